/// A catalog item as the till and central know it.
public struct Product: Hashable, Sendable, Codable, Identifiable {
    public var id: Int64
    public var sku: String
    /// EAN-13, 13 digits with a valid check digit.
    public var barcode: String
    public var name: String
    public var category: String
    public var price: Money
    public var taxClass: TaxClass
    /// At or under this on-hand quantity a store should reorder.
    public var reorderPoint: Int
    /// Above this on-hand quantity a store holds too much.
    public var overstockThreshold: Int
    /// Deactivated products stay for history but cannot be sold.
    public var active: Bool
    /// Made or baked for the day (pastries, sandwiches): what is unsold at close is declared as waste.
    public var fresh: Bool
    /// What the chain pays for a unit, when the catalog knows it: losses are also valued at cost.
    public var cost: Money?

    public init(id: Int64, sku: String, barcode: String, name: String, category: String, price: Money,
                taxClass: TaxClass, reorderPoint: Int, overstockThreshold: Int, active: Bool = true, fresh: Bool = false, cost: Money? = nil) {
        self.fresh = fresh
        self.cost = cost
        self.id = id
        self.sku = sku
        self.barcode = barcode
        self.name = name
        self.category = category
        self.price = price
        self.taxClass = taxClass
        self.reorderPoint = reorderPoint
        self.overstockThreshold = overstockThreshold
        self.active = active
    }

    enum CodingKeys: String, CodingKey {
        case id, sku, barcode, name, category
        case price = "priceCents"
        case taxClass, reorderPoint, overstockThreshold, active, fresh
        case cost = "costCents"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        sku = try c.decode(String.self, forKey: .sku)
        barcode = try c.decode(String.self, forKey: .barcode)
        name = try c.decode(String.self, forKey: .name)
        category = try c.decode(String.self, forKey: .category)
        price = try c.decode(Money.self, forKey: .price)
        taxClass = try c.decode(TaxClass.self, forKey: .taxClass)
        reorderPoint = try c.decode(Int.self, forKey: .reorderPoint)
        overstockThreshold = try c.decode(Int.self, forKey: .overstockThreshold)
        active = try c.decodeIfPresent(Bool.self, forKey: .active) ?? true
        fresh = try c.decodeIfPresent(Bool.self, forKey: .fresh) ?? false
        cost = try c.decodeIfPresent(Money.self, forKey: .cost)
    }
}

/// EAN-13 barcodes: what a scanner types, 12 digits plus a check digit.
public enum EAN13 {
    /// The check digit for the first 12 digits (weights 1,3,1,3…).
    public static func checkDigit(for twelveDigits: String) -> Int? {
        let digits = twelveDigits.compactMap(\.wholeNumberValue)
        guard digits.count == 12, twelveDigits.count == 12, twelveDigits.allSatisfy(\.isASCIIDigit) else { return nil }
        let sum = digits.enumerated().reduce(0) { acc, e in acc + e.element * (e.offset % 2 == 0 ? 1 : 3) }
        return (10 - sum % 10) % 10
    }

    public static func isValid(_ code: String) -> Bool {
        guard code.count == 13, code.allSatisfy(\.isASCIIDigit), let last = code.last?.wholeNumberValue,
              let check = checkDigit(for: String(code.prefix(12))) else { return false }
        return check == last
    }

    /// Completes 12 digits into a valid EAN-13.
    public static func make(_ twelveDigits: String) -> String? {
        checkDigit(for: twelveDigits).map { twelveDigits + String($0) }
    }
}
