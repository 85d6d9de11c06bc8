/// An offer defined by head office at central and synced to the tills, which
/// apply it by themselves (offline too) as the cart changes.
///
/// On the wire it is flat: `kind` says which of the amounts matters.
public struct Promotion: Hashable, Sendable, Codable, Identifiable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// `percentMicros` off each unit (250 000 = 25 %).
        case percentOff = "percent_off"
        /// `amountCents` off each unit (never below zero).
        case amountOff = "amount_off"
        /// Each unit at `priceCents` (when that is lower).
        case fixedPrice = "fixed_price"
        /// `quantity` units for `priceCents` ("3 for 5 $"), across the targeted lines.
        case multiBuy = "multi_buy"
        /// Buy `quantity`, get `freeQuantity` free (the cheapest of each group).
        case buyGet = "buy_get"
    }

    public var id: Int64
    public var name: String
    public var kind: Kind
    public var percentMicros: Int64?
    public var amountCents: Int64?
    public var priceCents: Int64?
    public var quantity: Int?
    public var freeQuantity: Int?
    /// What it applies to: these products, or every product of `category` (one or the other).
    public var productIds: [Int64]
    public var category: String?
    /// First and last day, inclusive, in the store's local time.
    public var startDay: Day
    public var endDay: Day
    /// ISO weekdays (1 Monday … 7 Sunday); empty: every day.
    public var weekdays: [Int]
    /// Local minutes of the day, [from, to); nil: all day.
    public var fromMinute: Int?
    public var toMinute: Int?
    /// Stores it runs in; empty: every store.
    public var storeIds: [Int64]
    /// Stacks with other offers; otherwise the best offer for the customer wins.
    public var combinable: Bool
    public var active: Bool

    public init(id: Int64, name: String, kind: Kind, percentMicros: Int64? = nil, amountCents: Int64? = nil, priceCents: Int64? = nil,
                quantity: Int? = nil, freeQuantity: Int? = nil, productIds: [Int64] = [], category: String? = nil,
                startDay: Day, endDay: Day, weekdays: [Int] = [], fromMinute: Int? = nil, toMinute: Int? = nil,
                storeIds: [Int64] = [], combinable: Bool = false, active: Bool = true) {
        self.id = id
        self.name = name
        self.kind = kind
        self.percentMicros = percentMicros
        self.amountCents = amountCents
        self.priceCents = priceCents
        self.quantity = quantity
        self.freeQuantity = freeQuantity
        self.productIds = productIds
        self.category = category
        self.startDay = startDay
        self.endDay = endDay
        self.weekdays = weekdays
        self.fromMinute = fromMinute
        self.toMinute = toMinute
        self.storeIds = storeIds
        self.combinable = combinable
        self.active = active
    }

    /// Whether it runs in this store at this local moment.
    public func runs(storeId: Int64, at moment: LocalMoment) -> Bool {
        guard active, storeIds.isEmpty || storeIds.contains(storeId), startDay <= moment.day, moment.day <= endDay else { return false }
        if !weekdays.isEmpty, !weekdays.contains(moment.weekday) { return false }
        if let from = fromMinute, moment.minute < from { return false }
        if let to = toMinute, moment.minute >= to { return false }
        return true
    }

    public func targets(_ line: SaleLine) -> Bool {
        if !productIds.isEmpty { return productIds.contains(line.productId) }
        if let category { return line.category.map { SearchKey.fold($0) == SearchKey.fold(category) } ?? false }
        return false
    }

    /// What central accepts: each kind with its own figures in range, a target, days in order.
    public func validate() throws(DomainError) {
        func bad(_ m: String) -> DomainError { DomainError(.invalidInput, m) }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, DocumentCheck.isCleanText(name, maxLength: 120) else {
            throw bad("name must be 1–120 printable characters")
        }
        guard productIds.isEmpty != (category == nil) else { throw bad("give productIds or a category, one of the two") }
        guard productIds.count <= 500, productIds.allSatisfy({ $0 > 0 }) else { throw bad("at most 500 product ids") }
        if let category { guard DocumentCheck.isCleanText(category, maxLength: 60), !category.isEmpty else { throw bad("category out of range") } }
        guard Day.years.contains(startDay.civil.year), Day.years.contains(endDay.civil.year) else {
            throw bad("startDay and endDay are days of \(Day.years.lowerBound)–\(Day.years.upperBound)")
        }
        guard startDay <= endDay, endDay.number - startDay.number <= 3_660 else { throw bad("startDay must not follow endDay (10 years at most)") }
        guard weekdays.allSatisfy({ (1...7).contains($0) }), Set(weekdays).count == weekdays.count else { throw bad("weekdays are 1 (Monday) … 7") }
        if let from = fromMinute { guard (0..<1_440).contains(from) else { throw bad("fromMinute is 0…1439") } }
        if let to = toMinute { guard (1...1_440).contains(to), to > (fromMinute ?? 0) else { throw bad("toMinute is after fromMinute, at most 1440") } }
        guard storeIds.count <= 1_000 else { throw bad("too many stores") }
        let maxCents = DocumentLimits.maxUnitPrice.cents
        switch kind {
        case .percentOff:
            guard let p = percentMicros, (1...1_000_000).contains(p) else { throw bad("percent_off needs percentMicros in 1…1000000") }
        case .amountOff:
            guard let a = amountCents, (1...maxCents).contains(a) else { throw bad("amount_off needs amountCents > 0") }
        case .fixedPrice:
            guard let p = priceCents, (0...maxCents).contains(p) else { throw bad("fixed_price needs priceCents ≥ 0") }
        case .multiBuy:
            guard let q = quantity, (2...100).contains(q), let p = priceCents, (0...maxCents).contains(p) else {
                throw bad("multi_buy needs quantity 2…100 and priceCents ≥ 0")
            }
        case .buyGet:
            guard let q = quantity, (1...100).contains(q), let f = freeQuantity, (1...100).contains(f) else {
                throw bad("buy_get needs quantity and freeQuantity, 1…100 each")
            }
        }
    }

    /// What this offer takes off each line (index → amount) when it alone applies to `lines`.
    public func discounts(on lines: [SaleLine]) -> [Int: Money] {
        var result: [Int: Money] = [:]
        let targeted = lines.indices.filter { targets(lines[$0]) }
        switch kind {
        case .percentOff:
            let p = percentMicros ?? 0
            for i in targeted { result[i] = Pricing.share(lines[i].gross, micros: p) }
        case .amountOff:
            let off = Money(cents: amountCents ?? 0)
            for i in targeted { result[i] = min(off, lines[i].unitPrice) * lines[i].quantity }
        case .fixedPrice:
            let price = Money(cents: priceCents ?? 0)
            for i in targeted where lines[i].unitPrice > price { result[i] = (lines[i].unitPrice - price) * lines[i].quantity }
        case .multiBuy, .buyGet:
            // Units across lines, dearest first: the customer gets the best grouping.
            var units: [(line: Int, price: Money)] = []
            for i in targeted { units += Array(repeating: (i, lines[i].unitPrice), count: lines[i].quantity) }
            units.sort { $0.price != $1.price ? $0.price > $1.price : $0.line < $1.line }
            let groupSize = kind == .multiBuy ? (quantity ?? 0) : (quantity ?? 0) + (freeQuantity ?? 0)
            guard groupSize > 0 else { return [:] }
            for start in stride(from: 0, to: units.count - groupSize + 1, by: groupSize) {
                let group = Array(units[start..<start + groupSize])
                if kind == .multiBuy {
                    let full = group.reduce(Money.zero) { $0 + $1.price }
                    let off = full - Money(cents: priceCents ?? 0)
                    guard off.isPositive else { continue }
                    for (unit, amount) in zip(group, Pricing.spread(off, over: group.map(\.price))) {
                        result[unit.line, default: .zero] += amount
                    }
                } else {
                    for unit in group.suffix(freeQuantity ?? 0) { result[unit.line, default: .zero] += unit.price }
                }
            }
        }
        return result.filter { $0.value.isPositive }
    }
}

/// A moment in the store's local time: what a promotion's calendar is read against.
public struct LocalMoment: Hashable, Sendable {
    public var day: Day
    /// 0…1439.
    public var minute: Int

    public init(day: Day, minute: Int) {
        self.day = day
        self.minute = minute
    }

    public init(epochMillis: Int64, utcOffsetSeconds: Int) {
        day = Day(epochMillis: epochMillis, utcOffsetSeconds: utcOffsetSeconds)
        let seconds = epochMillis / 1000 + Int64(utcOffsetSeconds)
        minute = Int(((seconds % 86_400) + 86_400) % 86_400 / 60)
    }

    /// ISO weekday: 1 Monday … 7 Sunday (1970-01-01 was a Thursday).
    public var weekday: Int { ((day.number + 3) % 7 + 7) % 7 + 1 }
}
