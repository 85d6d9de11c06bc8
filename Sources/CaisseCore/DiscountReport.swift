/// Discounts of a period, as central's ledger groups them (a row per store,
/// day, document kind, discount kind, reason, promotion, cashier and approver).
public struct DiscountTotals: Hashable, Sendable, Codable {
    public var storeId: Int64
    public var day: Day
    /// A return's share of a discount gives it back: it counts negative.
    public var documentKind: DocumentKind
    public var kind: LineDiscount.Kind
    public var reason: String?
    public var promotionId: Int64?
    public var label: String?
    public var cashierId: Int64
    public var approvedBy: Int64?
    public var count: Int
    public var amount: Money

    public init(storeId: Int64, day: Day, documentKind: DocumentKind, kind: LineDiscount.Kind, reason: String?, promotionId: Int64?,
                label: String?, cashierId: Int64, approvedBy: Int64?, count: Int, amount: Money) {
        self.storeId = storeId
        self.day = day
        self.documentKind = documentKind
        self.kind = kind
        self.reason = reason
        self.promotionId = promotionId
        self.label = label
        self.cashierId = cashierId
        self.approvedBy = approvedBy
        self.count = count
        self.amount = amount
    }

    public var signed: Money { documentKind == .sale ? amount : -amount }
}

/// What came off the prices over a period: in all, and by store, promotion,
/// reason (of what people gave), cashier and approver. Amounts net of returns.
public struct DiscountSummary: Hashable, Sendable, Codable {
    public struct Entry: Hashable, Sendable, Codable {
        /// A store, promotion or user id, or a reason code.
        public var key: String
        public var label: String
        public var amount: Money
        /// Discounts given (on sales).
        public var count: Int
        public init(key: String, label: String, amount: Money, count: Int) {
            self.key = key
            self.label = label
            self.amount = amount
            self.count = count
        }

        enum CodingKeys: String, CodingKey {
            case key, label, count
            case amount = "amountCents"
        }
    }

    enum CodingKeys: String, CodingKey {
        case total = "totalCents"
        case byStore, byPromotion, byReason, byCashier, byApprover
    }

    public var total: Money = .zero
    public var byStore: [Entry] = []
    public var byPromotion: [Entry] = []
    public var byReason: [Entry] = []
    public var byCashier: [Entry] = []
    public var byApprover: [Entry] = []

    public init() {}

    /// - Parameter names: display names by key ("store:1", "user:3") where known.
    public init(rows: [DiscountTotals], names: [String: String] = [:]) {
        func group(_ key: (DiscountTotals) -> (String, String)?) -> [Entry] {
            var entries: [String: Entry] = [:]
            for row in rows {
                guard let (k, label) = key(row) else { continue }
                var e = entries[k] ?? Entry(key: k, label: label, amount: .zero, count: 0)
                e.amount += row.signed
                if row.documentKind == .sale { e.count.add(saturating: row.count) }
                entries[k] = e
            }
            // Largest first; ties by key so the order is stable.
            return entries.values.sorted { ($0.amount, $1.key) > ($1.amount, $0.key) }
        }
        total = rows.reduce(.zero) { $0 + $1.signed }
        byStore = group { (String($0.storeId), names["store:\($0.storeId)"] ?? "#\($0.storeId)") }
        byPromotion = group { r in r.promotionId.map { (String($0), r.label ?? "#\($0)") } }
        byReason = group { r in r.kind == .promotion ? nil : (r.reason ?? "", r.reason ?? "") }
        byCashier = group { r in r.kind == .promotion ? nil : (String(r.cashierId), names["user:\(r.cashierId)"] ?? "#\(r.cashierId)") }
        byApprover = group { r in r.approvedBy.map { (String($0), names["user:\($0)"] ?? "#\($0)") } }
    }

    /// A store's discounts over what its sales were worth before them, in tenths of a percent.
    public static func ratePermille(discounts: Money, netSales: Money) -> Int {
        // In Int128: a month of a store's discounts times 1 000 does not fit Int64
        // (issue 24: the dashboard and the CSV report trapped on such a month).
        let discounts = Int128(discounts.cents)
        let before = Int128(netSales.cents) + discounts
        guard before > 0, discounts > 0 else { return 0 }
        return Int(min(1_000, (discounts * 1_000 + before / 2) / before))
    }
}
