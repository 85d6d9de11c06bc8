import Foundation

/// Why a store's stock changed outside a sale, a return or a delivery.
public enum AdjustmentReason: String, Hashable, Sendable, Codable, CaseIterable {
    /// Thrown away: unsold fresh goods at close, past their date.
    case waste
    case breakage
    case theft
    /// More on the shelf than the books said.
    case found
    /// A count that differs from the books, either way.
    case correction
    /// Central's, never a till's: a transfer's units that arrived damaged, or never arrived.
    case transitDamaged = "transit_damaged"
    case transitShort = "transit_short"

    /// What a person declares at a till or at head office (transit losses come from receipts).
    public static let declarable: [AdjustmentReason] = [.waste, .breakage, .theft, .found, .correction]
    public var isDeclarable: Bool { Self.declarable.contains(self) }

    /// Waste, breakage and theft take stock away, found adds it; a correction goes either way.
    public func admits(_ quantity: Int) -> Bool {
        switch self {
        case .waste, .breakage, .theft, .transitDamaged: quantity < 0
        case .found: quantity > 0
        // Negative when more arrived than was shipped.
        case .transitShort: quantity != 0
        case .correction: quantity != 0
        }
    }

    /// What units typed for this reason mean: waste, breakage and theft are the units that
    /// left (typed unsigned), found the units that turned up (unsigned), a correction is signed
    /// (+3, -2). Nil for what does not fit the reason.
    public func quantity(typed text: String) -> Int? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let signed = text.hasPrefix("+") || text.hasPrefix("-")
        guard let n = Int(text), n != 0, (-Quantity.maximumPerLine...Quantity.maximumPerLine).contains(n) else { return nil }
        switch self {
        case .waste, .breakage, .theft: return signed || n < 0 ? nil : -n
        case .found: return signed || n < 0 ? nil : n
        case .correction: return signed ? n : nil
        case .transitDamaged, .transitShort: return nil
        }
    }

    /// Losses the chain did not sell: what reports call shrinkage (waste is reported apart).
    public var isShrinkage: Bool { self != .waste }

    public func label(_ language: Language) -> String {
        let fr = language == .fr
        switch self {
        case .waste: return fr ? "perte (invendus)" : "waste"
        case .breakage: return fr ? "bris" : "breakage"
        case .theft: return fr ? "vol" : "theft"
        case .found: return fr ? "retrouvé" : "found"
        case .correction: return fr ? "correction" : "correction"
        case .transitDamaged: return fr ? "abîmé en transfert" : "damaged in transit"
        case .transitShort: return fr ? "manquant au transfert" : "short on transfer"
        }
    }
}

/// One product's change in an adjustment, valued at the retail price of the day.
public struct AdjustmentLine: Hashable, Sendable, Codable {
    public var productId: Int64
    public var sku: String
    public var name: String
    /// Signed: negative leaves the shelf.
    public var quantity: Int
    public var unitPrice: Money

    public init(productId: Int64, sku: String, name: String, quantity: Int, unitPrice: Money) {
        self.productId = productId
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
    }

    /// At retail, signed like the quantity.
    public var value: Money { unitPrice * quantity }

    enum CodingKeys: String, CodingKey {
        case productId, sku, name, quantity
        case unitPrice = "unitPriceCents"
    }
}

/// Stock taken away or added at a store, with a reason, by someone: journaled
/// by the till like a sale, and a movement in central's ledger.
public struct StockAdjustment: Hashable, Sendable, Codable {
    public var id: String
    public var storeId: Int64
    public var registerId: String
    public var createdAt: Int64
    public var reason: AdjustmentReason
    public var note: String?
    public var lines: [AdjustmentLine]
    /// Who declared it, and the manager who approved it beyond the store's limit.
    public var by: Int64
    public var approvedBy: Int64?

    public init(id: String, storeId: Int64, registerId: String, createdAt: Int64, reason: AdjustmentReason, note: String?,
                lines: [AdjustmentLine], by: Int64, approvedBy: Int64? = nil) {
        self.id = id
        self.storeId = storeId
        self.registerId = registerId
        self.createdAt = createdAt
        self.reason = reason
        self.note = note
        self.lines = lines
        self.by = by
        self.approvedBy = approvedBy
    }

    /// What it is worth at retail, as a positive amount.
    public var value: Money { lines.reduce(Money.zero) { $0 + ($1.value.isNegative ? -$1.value : $1.value) } }

    /// What no honest till writes: the till checks it before journaling, central again at ingest.
    public func validate() throws(DomainError) {
        func bad(_ m: String) -> DomainError { DomainError(.invalidInput, m) }
        guard (1...DocumentLimits.maxLines).contains(lines.count) else { throw bad("an adjustment has 1 to \(DocumentLimits.maxLines) lines") }
        guard !id.isEmpty, DocumentCheck.isCleanText(id, maxLength: 100), DocumentLimits.createdAt.contains(createdAt) else {
            throw bad("an adjustment needs an id and a time in 2000–2100")
        }
        if let note { guard DocumentCheck.isCleanText(note, maxLength: 200) else { throw bad("the note is at most 200 printable characters") } }
        guard by > 0, approvedBy.map({ $0 > 0 }) ?? true else { throw bad("an adjustment names who made it") }
        guard reason.isDeclarable else { throw bad("\(reason.rawValue) is recorded by central from a transfer's receipt, not declared") }
        var seen: Set<Int64> = []
        for line in lines {
            guard line.productId > 0, seen.insert(line.productId).inserted else { throw bad("a product appears twice in one adjustment") }
            // A range, not abs(): abs(Int.min) from a hostile payload would trap.
            guard line.quantity != 0, (-Quantity.maximumPerLine...Quantity.maximumPerLine).contains(line.quantity) else {
                throw bad("\(line.sku): a quantity of 1 to \(Quantity.maximumPerLine) units, not \(line.quantity)")
            }
            guard reason.admits(line.quantity) else {
                throw bad("\(line.sku): \(reason.rawValue) \(reason == .found ? "adds" : "takes away") stock (quantity \(line.quantity))")
            }
            guard !line.unitPrice.isNegative, line.unitPrice <= DocumentLimits.maxUnitPrice,
                  DocumentCheck.isCleanText(line.sku, maxLength: 64), DocumentCheck.isCleanText(line.name) else {
                throw bad("\(line.sku): product fields out of range")
            }
        }
    }
}

extension StockMovement {
    /// The stock effect of an adjustment: one movement per line, signed as declared.
    public static func forAdjustment(_ a: StockAdjustment) -> [StockMovement] {
        a.lines.map { StockMovement(locationId: a.storeId, productId: $0.productId, quantity: $0.quantity, reason: .adjustment, reference: a.id) }
    }
}

extension DiscountPolicy {
    /// Whether an adjustment of `value` at retail needs a manager's PIN when `role` makes it.
    public func adjustmentNeedsApproval(role: Role, value: Money) -> Bool {
        !role.allows(.manager) && value > adjustmentLimit
    }
}

/// A fresh product still on the shelf at close: what is declared as waste, all of it unless told otherwise.
public struct WasteLine: Hashable, Sendable {
    public var productId: Int64
    public var sku: String
    public var name: String
    public var unitPrice: Money
    public var onHand: Int
    /// Units thrown away (starts at 0: the employee declares the lines they throw).
    public var units: Int

    public init(productId: Int64, sku: String, name: String, unitPrice: Money, onHand: Int, units: Int) {
        self.productId = productId
        self.sku = sku
        self.name = name
        self.unitPrice = unitPrice
        self.onHand = onHand
        self.units = units
    }

    public var value: Money { unitPrice * units }
}

/// A count under way at a store: each product counted, with its book stock at
/// the moment it was first counted (sales go on during a count: the difference
/// is taken against the book of that moment, not of the confirmation).
public struct StockCount: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var productId: Int64
        public var sku: String
        public var name: String
        public var unitPrice: Money
        /// The till's on-hand when the product was first counted.
        public var book: Int
        public var counted: Int

        public init(productId: Int64, sku: String, name: String, unitPrice: Money, book: Int, counted: Int) {
            self.productId = productId
            self.sku = sku
            self.name = name
            self.unitPrice = unitPrice
            self.book = book
            self.counted = counted
        }

        /// Counted − book: negative is missing.
        public var difference: Int { counted - book }
        public var value: Money { unitPrice * difference }
    }

    public var id: String
    /// What is counted: the whole store, a category, or what is on one shelf.
    public var scope: CountScope
    public var startedAt: Int64
    public var startedBy: Int64
    public var lines: [Line]

    public init(id: String, scope: CountScope, startedAt: Int64, startedBy: Int64, lines: [Line]) {
        self.id = id
        self.scope = scope
        self.startedAt = startedAt
        self.startedBy = startedBy
        self.lines = lines
    }

    /// What a category typed at the till names (issue 28, item 7: only the exact full name worked):
    /// the exact name whatever the case and accents, else the one category a word of which starts
    /// with what was typed ("muffin" → "Muffins"), else the ones it could be.
    public enum CategoryMatch: Hashable, Sendable { case one(String), several([String]), none }

    public static func category(_ typed: String, in categories: [String]) -> CategoryMatch {
        let t = SearchKey.fold(typed.trimmingCharacters(in: .whitespaces))
        guard !t.isEmpty else { return .none }
        if let exact = categories.first(where: { SearchKey.fold($0) == t }) { return .one(exact) }
        let matches = categories.filter { c in
            let f = SearchKey.fold(c)
            return f.hasPrefix(t) || f.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains { $0.hasPrefix(t) }
        }
        switch matches.count {
        case 0: return .none
        case 1: return .one(matches[0])
        default: return .several(matches)
        }
    }


    /// What confirming posts: one correction of every product whose count differs from its book.
    public var differences: [Line] { lines.filter { $0.difference != 0 } }
    /// Counted less book, at retail: negative when goods are missing.
    public var netValue: Money { differences.reduce(Money.zero) { $0 + $1.value } }
    /// The differences' value at retail, as a positive amount (what the limit is measured on).
    public var differenceValue: Money { differences.reduce(Money.zero) { $0 + ($1.value.isNegative ? -$1.value : $1.value) } }
}

/// What a count covers (issue 25: it was the string "all", "shelf:NAME" or a category's name,
/// parsed in four modules, and a category named "all" was the whole store).
public enum CountScope: Hashable, Sendable, Codable, CustomStringConvertible {
    case store
    case category(String)
    /// Whatever is scanned on one shelf: the rest of the store is untouched.
    case shelf(String)

    /// As a person types it at the till: nothing is the store, "étagère:A3" (or shelf:A3) a shelf,
    /// anything else a category (the till resolves its name against the catalog).
    public init(typed: String) {
        let text = typed.trimmingCharacters(in: .whitespaces)
        for prefix in ["étagère:", "etagere:", "shelf:"] where text.lowercased().hasPrefix(prefix) {
            self = .shelf(text.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces))
            return
        }
        self = text.isEmpty ? .store : .category(text)
    }

    /// As the till's database keeps it. "all" and a bare name are what tills wrote before the
    /// prefix, read as they meant it.
    public init(stored: String) {
        if stored == "all" { self = .store }
        else if stored.hasPrefix("shelf:") { self = .shelf(String(stored.dropFirst(6))) }
        else if stored.hasPrefix("category:") { self = .category(String(stored.dropFirst(9))) }
        else { self = .category(stored) }
    }

    public var stored: String {
        switch self {
        case .store: "all"
        case .category(let name): "category:" + name
        case .shelf(let name): "shelf:" + name
        }
    }

    /// Products of this scope: every one, or the category's; a shelf's are whatever is scanned.
    public func covers(category: String) -> Bool {
        switch self {
        case .store, .shelf: true
        case .category(let name): name == category
        }
    }

    public var isShelf: Bool { if case .shelf = self { true } else { false } }

    /// For a journal note and the CLI (English, as the journal's notes are).
    public var description: String {
        switch self {
        case .store: "the whole store"
        case .category(let name): name
        case .shelf(let name): "shelf " + name
        }
    }

    public func label(_ language: Language) -> String {
        switch self {
        case .store: language == .fr ? "tout le magasin" : "the whole store"
        case .category(let name): name
        case .shelf(let name): (language == .fr ? "étagère " : "shelf ") + name
        }
    }
}
