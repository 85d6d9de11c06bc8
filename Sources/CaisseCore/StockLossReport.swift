/// Adjustments of a period as central's ledger groups them: a row per store,
/// day, product and reason (units and retail value signed as the stock moved).
public struct AdjustmentTotals: Hashable, Sendable, Codable {
    public var storeId: Int64
    public var day: Day
    public var productId: Int64
    public var sku: String
    public var name: String
    public var category: String
    public var reason: AdjustmentReason
    public var quantity: Int
    public var value: Money
    /// At cost, for the lines whose product has a cost in the catalog (nil when none has).
    public var cost: Money?

    public init(storeId: Int64, day: Day, productId: Int64, sku: String, name: String, category: String, reason: AdjustmentReason,
                quantity: Int, value: Money, cost: Money? = nil) {
        self.cost = cost
        self.storeId = storeId
        self.day = day
        self.productId = productId
        self.sku = sku
        self.name = name
        self.category = category
        self.reason = reason
        self.quantity = quantity
        self.value = value
    }
}

/// Waste and shrinkage over a period, as losses (positive units and value at
/// retail): waste apart (unsold fresh goods), shrinkage the rest (breakage,
/// theft, corrections, less what was found), by store, product, category and reason.
public struct StockLossSummary: Hashable, Sendable, Codable {
    public struct Entry: Hashable, Sendable, Codable {
        public var key: String
        public var label: String
        public var units: Int
        public var value: Money
        /// At cost, over the lines whose product has a cost (nil when none has).
        public var cost: Money?

        public init(key: String, label: String, units: Int, value: Money, cost: Money? = nil) {
            self.cost = cost
            self.key = key
            self.label = label
            self.units = units
            self.value = value
        }

        enum CodingKeys: String, CodingKey {
            case key, label, units
            case value = "valueCents"
            case cost = "costCents"
        }

        mutating func add(_ row: AdjustmentTotals) {
            // A loss is stock that left: the opposite of the movement's sign.
            units -= row.quantity
            value -= row.value
            if let c = row.cost { cost = (cost ?? .zero) - c }
        }
    }

    public var waste = Entry(key: "waste", label: "waste", units: 0, value: .zero)
    public var shrinkage = Entry(key: "shrinkage", label: "shrinkage", units: 0, value: .zero)
    public var byStore: [Entry] = []
    public var byProduct: [Entry] = []
    public var byCategory: [Entry] = []
    public var byReason: [Entry] = []

    public init() {}

    public init(rows: [AdjustmentTotals], storeNames: [String: String] = [:], topProducts: Int = 10) {
        func group(_ key: (AdjustmentTotals) -> (String, String)) -> [Entry] {
            var entries: [String: Entry] = [:]
            for row in rows {
                let (k, label) = key(row)
                entries[k, default: Entry(key: k, label: label, units: 0, value: .zero)].add(row)
            }
            return entries.values.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        }
        for row in rows {
            if row.reason == .waste { waste.add(row) } else { shrinkage.add(row) }
        }
        byStore = group { (String($0.storeId), storeNames[String($0.storeId)] ?? "#\($0.storeId)") }
        byProduct = Array(group { (String($0.productId), $0.sku + " " + $0.name) }.prefix(max(0, topProducts)))
        byCategory = group { ($0.category, $0.category) }
        byReason = group { ($0.reason.rawValue, $0.reason.rawValue) }
    }
}
