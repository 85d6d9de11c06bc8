import Foundation

/// One reduction of one line, as journaled: an amount off the line's gross
/// (quantity × list price). A line's total is its gross less its discounts;
/// taxes are computed on that total.
public struct LineDiscount: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Given on this line at the till (a percent or an amount).
        case line
        /// The unit price replaced at the till.
        case override
        /// A head-office promotion.
        case promotion
        /// This line's share of a discount on the whole sale.
        case sale
    }

    public var kind: Kind
    public var amount: Money
    /// Why (a `DiscountReason` code) for what a person gave; nil for a promotion.
    public var reason: String?
    public var promotionId: Int64?
    /// The promotion's name as the receipt shows it.
    public var label: String?
    /// The manager whose PIN allowed it beyond the giver's limit.
    public var approvedBy: Int64?

    public init(kind: Kind, amount: Money, reason: String? = nil, promotionId: Int64? = nil, label: String? = nil, approvedBy: Int64? = nil) {
        self.kind = kind
        self.amount = amount
        self.reason = reason
        self.promotionId = promotionId
        self.label = label
        self.approvedBy = approvedBy
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case amount = "amountCents"
        case reason, promotionId, label, approvedBy
    }
}

/// The reasons a person gives for a discount or a price override.
public enum DiscountReason: String, Hashable, Sendable, CaseIterable {
    case damaged, priceMatch = "price_match", loyalty, staff, goodwill, other

    public func label(_ language: Language) -> String {
        let fr = language == .fr
        switch self {
        case .damaged: return fr ? "abîmé" : "damaged"
        case .priceMatch: return fr ? "prix concurrent" : "price match"
        case .loyalty: return fr ? "fidélité" : "loyalty"
        case .staff: return fr ? "employé" : "staff"
        case .goodwill: return fr ? "geste commercial" : "goodwill"
        case .other: return fr ? "autre" : "other"
        }
    }

    /// A journaled reason code in words, or the code itself when it is not one of ours.
    public static func label(_ code: String?, _ language: Language) -> String? {
        code.map { DiscountReason(rawValue: $0)?.label(language) ?? $0 }
    }
}

/// A discount a person gives at the till, before it is priced into the lines.
public struct ManualDiscount: Hashable, Sendable, Codable {
    public enum Rule: Hashable, Sendable, Codable {
        /// Millionths off (100 000 = 10 %).
        case percent(micros: Int64)
        /// An amount off the line or the sale.
        case amount(Money)
        /// A line's new unit price (a price override).
        case price(Money)
    }

    public var rule: Rule
    public var reason: DiscountReasonCode
    public var approvedBy: Int64?

    public init(rule: Rule, reason: DiscountReasonCode, approvedBy: Int64? = nil) {
        self.rule = rule
        self.reason = reason
        self.approvedBy = approvedBy
    }

    /// A discount that makes sense on a line at `unitPrice` (or on a sale when nil).
    public func validate(unitPrice: Money?) throws(DomainError) {
        switch rule {
        case .percent(let micros):
            guard (1...1_000_000).contains(micros) else { throw DomainError(.invalidInput, "a discount is between 0 and 100 %") }
        case .amount(let amount):
            guard amount.isPositive, amount <= DocumentLimits.maxAmount else { throw DomainError(.invalidInput, "a discount is a positive amount") }
        case .price(let price):
            guard let unitPrice else { throw DomainError(.invalidInput, "a price override is for a line") }
            guard !price.isNegative, price < unitPrice else {
                throw DomainError(.invalidInput, "an overridden price is below the list price (\(unitPrice)) and not negative")
            }
        }
    }
}

/// A percent as a person types it: "25", "12,5" or "12.5" → millionths (250 000);
/// nil unless above 0 and at most 100. The till's screens, its CLI and central's share it.
public enum PercentText {
    public static func micros(_ text: String) -> Int64? {
        let cleaned = text.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
        guard let value = Double(cleaned), value > 0, value <= 100 else { return nil }
        return Int64((value * 10_000).rounded())
    }
}

/// A reason code: a `DiscountReason`, as text on the wire.
public typealias DiscountReasonCode = String

/// A store's limits, set at central (managers are not limited): how far a
/// cashier or an employee may discount (a percent of what the discount applies
/// to), and adjust stock (its value at retail), without a manager's PIN.
public struct DiscountPolicy: Hashable, Sendable, Codable {
    /// Cashiers and employees, in whole percent.
    public var staffLimitPercent: Int
    /// Stock adjustments (waste, breakage…) above this value need a manager.
    public var adjustmentLimit: Money

    public static let standardAdjustmentLimit = Money(cents: 50_00)
    public static let standard = DiscountPolicy(staffLimitPercent: 10)

    public init(staffLimitPercent: Int, adjustmentLimit: Money = DiscountPolicy.standardAdjustmentLimit) {
        self.staffLimitPercent = staffLimitPercent
        self.adjustmentLimit = adjustmentLimit
    }

    enum CodingKeys: String, CodingKey {
        case staffLimitPercent
        case adjustmentLimit = "adjustmentLimitCents"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        staffLimitPercent = try c.decode(Int.self, forKey: .staffLimitPercent)
        adjustmentLimit = try c.decodeIfPresent(Money.self, forKey: .adjustmentLimit) ?? Self.standardAdjustmentLimit
    }

    /// Whether `amount` off `base` needs a manager's PIN when `role` gives it.
    public func needsApproval(role: Role, amount: Money, base: Money) -> Bool {
        guard !role.allows(.manager), amount.isPositive else { return false }
        // amount / base > limit %, in integers, with the half cent a percent discount's rounding may add:
        // 10 % of 6,57 $ is 0,66 $, within the limit.
        return amount.cents * 100 > base.cents * Int64(max(0, staffLimitPercent)) + 50
    }
}

/// Prices a cart's lines: promotions, then what a person gave per line, then
/// the sale discount spread over the lines. Pure and exact to the cent.
public enum Pricing {
    /// `micros` millionths of `amount`, half up.
    public static func share(_ amount: Money, micros: Int64) -> Money {
        Money(cents: (amount.cents * micros + 500_000) / 1_000_000)
    }

    /// Splits `total` over `weights` in proportion, by largest remainder: the
    /// parts add up to `total` exactly; ties go to the earlier weight.
    public static func spread(_ total: Money, over weights: [Money]) -> [Money] {
        let sum = weights.reduce(Int64(0)) { $0 + max(0, $1.cents) }
        guard sum > 0, !weights.isEmpty else { return weights.map { _ in .zero } }
        var parts = weights.map { max(0, $0.cents) * total.cents / sum }
        let remainders = weights.map { max(0, $0.cents) * total.cents % sum }
        var left = total.cents - parts.reduce(0, +)
        for i in remainders.indices.sorted(by: { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }) where left > 0 {
            parts[i] += 1
            left -= 1
        }
        return parts.map { Money(cents: $0) }
    }

    /// The lines with their discounts. Promotions: the best offer for the
    /// customer wins, line by line (the one that takes most off goes first,
    /// the rest compete for the lines left); combinable ones add on top. An
    /// overridden price is final: no promotion on that line.
    public static func price(_ items: [SaleLine], lineDiscounts: [Int: ManualDiscount], saleDiscount: ManualDiscount?,
                             offers: [Promotion]) -> [SaleLine] {
        var lines = items.map { line -> SaleLine in
            var l = line
            l.discounts = []
            return l
        }
        let overridden = Set(lines.indices.filter { i in
            if case .price = lineDiscounts[lines[i].lineNo]?.rule { return true }
            return false
        })
        // Exclusive offers: the largest saving first, on the lines still free.
        var free = Set(lines.indices).subtracting(overridden)
        var candidates = offers.filter { !$0.combinable }
        while !candidates.isEmpty {
            var best: (promotion: Promotion, amounts: [Int: Money], total: Money)?
            for promotion in candidates {
                let open = free.sorted()
                let amounts = promotion.discounts(on: open.map { lines[$0] })
                var mapped: [Int: Money] = [:]
                for (k, v) in amounts { mapped[open[k]] = v }
                let total = mapped.values.reduce(Money.zero, +)
                if total.isPositive, best == nil || total > best!.total || (total == best!.total && promotion.id < best!.promotion.id) {
                    best = (promotion, mapped, total)
                }
            }
            guard let chosen = best else { break }
            for (i, amount) in chosen.amounts {
                lines[i].discounts.append(LineDiscount(kind: .promotion, amount: amount, promotionId: chosen.promotion.id, label: chosen.promotion.name))
                free.remove(i)
            }
            candidates.removeAll { $0.id == chosen.promotion.id }
        }
        let notOverridden = lines.indices.filter { !overridden.contains($0) }
        for promotion in offers.filter(\.combinable).sorted(by: { $0.id < $1.id }) {
            for (k, amount) in promotion.discounts(on: notOverridden.map { lines[$0] }) {
                let i = notOverridden[k]
                let room = lines[i].total
                guard room.isPositive else { continue }
                lines[i].discounts.append(LineDiscount(kind: .promotion, amount: min(amount, room), promotionId: promotion.id,
                                                       label: promotion.name))
            }
        }
        // What a person gave on a line: on what the promotions left.
        for i in lines.indices {
            guard let manual = lineDiscounts[lines[i].lineNo] else { continue }
            let amount: Money
            switch manual.rule {
            case .price(let price): amount = (lines[i].unitPrice - min(price, lines[i].unitPrice)) * lines[i].quantity
            case .percent(let micros): amount = share(lines[i].total, micros: micros)
            case .amount(let off): amount = min(off, lines[i].total)
            }
            if amount.isPositive {
                lines[i].discounts.append(LineDiscount(kind: manual.rule.isOverride ? .override : .line, amount: amount,
                                                       reason: manual.reason, approvedBy: manual.approvedBy))
            }
        }
        // The sale's discount, spread by largest remainder so the lines add up exactly.
        if let sale = saleDiscount {
            let base = lines.reduce(Money.zero) { $0 + $1.total }
            let total: Money
            switch sale.rule {
            case .percent(let micros): total = share(base, micros: micros)
            case .amount(let off): total = min(off, base)
            case .price: total = .zero
            }
            for (i, part) in spread(total, over: lines.map(\.total)).enumerated() where part.isPositive {
                lines[i].discounts.append(LineDiscount(kind: .sale, amount: part, reason: sale.reason, approvedBy: sale.approvedBy))
            }
        }
        return lines
    }
}

extension ManualDiscount.Rule {
    var isOverride: Bool {
        if case .price = self { return true }
        return false
    }
}

extension DiscountPolicy {
    /// The discounts of these lines that a person of `role` gave beyond the
    /// limit without a manager's approval: what the till asks a PIN for, and
    /// what central flags. A line discount is measured against what the
    /// promotions left of the line, an override against the line's gross, the
    /// sale's discount against the sale before it.
    /// - Parameter rewardHeld: the sale's `loyalty` discount is a reward central holds points for
    ///   (issue 27): the customer's points, not a person's discount, so outside the limit.
    public func unapproved(_ lines: [SaleLine], role: Role, rewardHeld: Bool = false) -> [String] {
        var found: [String] = []
        var saleShare = Money.zero, saleBase = Money.zero, saleApproved = true
        let lines = !rewardHeld ? lines : lines.map { line -> SaleLine in
            var l = line
            l.discounts.removeAll { $0.kind == .sale && $0.reason == DiscountReason.loyalty.rawValue }
            return l
        }
        for line in lines {
            let promotions = line.discounts.filter { $0.kind == .promotion }.reduce(Money.zero) { $0 + $1.amount }
            for d in line.discounts {
                switch d.kind {
                case .line where d.approvedBy == nil && needsApproval(role: role, amount: d.amount, base: line.gross - promotions),
                     .override where d.approvedBy == nil && needsApproval(role: role, amount: d.amount, base: line.gross):
                    found.append("line \(line.lineNo): \(d.kind.rawValue) discount of \(d.amount) on \(line.gross)")
                case .sale:
                    saleShare += d.amount
                    if d.approvedBy == nil { saleApproved = false }
                default: break
                }
            }
            saleBase += line.total + line.discounts.filter { $0.kind == .sale }.reduce(Money.zero) { $0 + $1.amount }
        }
        if saleShare.isPositive, !saleApproved, needsApproval(role: role, amount: saleShare, base: saleBase) {
            found.append("sale discount of \(saleShare) on \(saleBase)")
        }
        return found
    }
}
