/// One line of a cart or a sale: the product as it was priced when added.
/// The price is copied so that a price change pulled mid-sale does not change
/// a line the customer has already seen.
public struct SaleLine: Hashable, Sendable, Codable {
    public var lineNo: Int
    public var productId: Int64
    public var sku: String
    public var name: String
    /// The list price of one unit.
    public var unitPrice: Money
    public var taxClass: TaxClass
    public var quantity: Int
    /// The product's category (promotions by category, reports); absent in sales journaled before it.
    public var category: String?
    /// Promotions, discounts and overrides, each an amount off the gross.
    public var discounts: [LineDiscount]

    public init(lineNo: Int, productId: Int64, sku: String, name: String, unitPrice: Money, taxClass: TaxClass, quantity: Int,
                category: String? = nil, discounts: [LineDiscount] = []) {
        self.lineNo = lineNo
        self.productId = productId
        self.sku = sku
        self.name = name
        self.unitPrice = unitPrice
        self.taxClass = taxClass
        self.quantity = quantity
        self.category = category
        self.discounts = discounts
    }

    /// Quantity × list price.
    public var gross: Money { unitPrice * quantity }
    public var discountTotal: Money { discounts.reduce(.zero) { $0 + $1.amount } }
    /// What the customer pays for the line before taxes: taxes are on this.
    public var total: Money { gross - discountTotal }

    enum CodingKeys: String, CodingKey {
        case lineNo, productId, sku, name
        case unitPrice = "unitPriceCents"
        case taxClass, quantity, category, discounts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lineNo = try c.decode(Int.self, forKey: .lineNo)
        productId = try c.decode(Int64.self, forKey: .productId)
        sku = try c.decode(String.self, forKey: .sku)
        name = try c.decode(String.self, forKey: .name)
        unitPrice = try c.decode(Money.self, forKey: .unitPrice)
        taxClass = try c.decode(TaxClass.self, forKey: .taxClass)
        quantity = try c.decode(Int.self, forKey: .quantity)
        category = try c.decodeIfPresent(String.self, forKey: .category)
        discounts = try c.decodeIfPresent([LineDiscount].self, forKey: .discounts) ?? []
    }

    /// A line without discounts is written as before they existed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lineNo, forKey: .lineNo)
        try c.encode(productId, forKey: .productId)
        try c.encode(sku, forKey: .sku)
        try c.encode(name, forKey: .name)
        try c.encode(unitPrice, forKey: .unitPrice)
        try c.encode(taxClass, forKey: .taxClass)
        try c.encode(quantity, forKey: .quantity)
        try c.encodeIfPresent(category, forKey: .category)
        if !discounts.isEmpty { try c.encode(discounts, forKey: .discounts) }
    }
}

/// Subtotal, each tax and the total of a set of lines under a tax rule.
public struct SaleTotals: Hashable, Sendable {
    public var subtotal: Money
    public var taxes: [TaxLine]
    public var taxTotal: Money { taxes.reduce(.zero) { $0 + $1.amount } }
    public var total: Money { subtotal + taxTotal }

    public init(lines: [SaleLine], rule: TaxRule) {
        var byClass: [TaxClass: Money] = [:]
        for line in lines { byClass[line.taxClass, default: .zero] += line.total }
        subtotal = lines.reduce(.zero) { $0 + $1.total }
        taxes = rule.taxes(onSubtotals: byClass)
    }
}

/// The customer's basket before payment: what was scanned, what a person
/// took off, and the offers running; `lines` prices them (`Pricing`).
public struct Cart: Hashable, Sendable, Codable {
    /// The lines as scanned, at list price.
    public private(set) var items: [SaleLine] = []
    private var nextLineNo = 1
    /// lineNo → the discount or price override a person gave on it.
    public private(set) var lineDiscounts: [Int: ManualDiscount] = [:]
    public private(set) var saleDiscount: ManualDiscount?
    /// The promotions running in this store now (the till keeps them current).
    public var offers: [Promotion] = []
    /// The customer's loyalty card, scanned at any time during the sale (issue 27).
    public var customerCard: String?
    /// The order for pickup being handed over (issue 27), its lines in the cart.
    public var orderId: String?
    /// The reward's hold at central (issue 27), set with the sale's `loyalty` discount of its value.
    public var loyaltyHoldId: String?
    /// The card's balance central gave with the hold (after it): the balance known, for the receipt.
    public var pointsBalanceKnown: Int64?

    public init() {}

    /// A cart put back as it was saved (parked, or kept across a restart of the till).
    public init(lines: [SaleLine]) {
        self.items = lines.map { l in
            var base = l
            base.discounts = []
            return base
        }
        nextLineNo = (lines.map(\.lineNo).max() ?? 0) + 1
    }

    /// Every line, priced: promotions, then discounts, then the sale's discount.
    public var lines: [SaleLine] {
        Pricing.price(items, lineDiscounts: lineDiscounts, saleDiscount: saleDiscount, offers: offers)
    }

    public var isEmpty: Bool { items.isEmpty }
    public var itemCount: Int { items.reduce(0) { $0 + $1.quantity } }

    /// Adds a product; scanning the same product again adds to its line.
    @discardableResult
    public mutating func add(_ product: Product, quantity: Int = 1) throws(DomainError) -> SaleLine {
        try Quantity.validate(quantity)
        guard product.active else {
            throw DomainError(.inactiveProduct, "\(product.name) (\(product.sku)) is no longer sold")
        }
        if let i = items.firstIndex(where: { $0.productId == product.id }) {
            let merged = items[i].quantity + quantity
            try Quantity.validate(merged)
            items[i].quantity = merged
            return items[i]
        }
        let line = SaleLine(lineNo: nextLineNo, productId: product.id, sku: product.sku, name: product.name,
                            unitPrice: product.price, taxClass: product.taxClass, quantity: quantity, category: product.category)
        nextLineNo += 1
        items.append(line)
        return line
    }

    public mutating func setQuantity(lineNo: Int, to quantity: Int) throws(DomainError) {
        try Quantity.validate(quantity)
        guard let i = items.firstIndex(where: { $0.lineNo == lineNo }) else {
            throw DomainError(.unknownLine, "no line \(lineNo) in the cart")
        }
        items[i].quantity = quantity
    }

    public mutating func remove(lineNo: Int) throws(DomainError) {
        guard let i = items.firstIndex(where: { $0.lineNo == lineNo }) else {
            throw DomainError(.unknownLine, "no line \(lineNo) in the cart")
        }
        items.remove(at: i)
        lineDiscounts[lineNo] = nil
    }

    /// Gives (or, with nil, takes back) a discount or a price override on a line.
    public mutating func setDiscount(_ discount: ManualDiscount?, lineNo: Int) throws(DomainError) {
        guard let line = items.first(where: { $0.lineNo == lineNo }) else {
            throw DomainError(.unknownLine, "no line \(lineNo) in the cart")
        }
        try discount?.validate(unitPrice: line.unitPrice)
        lineDiscounts[lineNo] = discount
    }

    /// Gives (or takes back) a discount on the whole sale.
    public mutating func setSaleDiscount(_ discount: ManualDiscount?) throws(DomainError) {
        try discount?.validate(unitPrice: nil)
        saleDiscount = discount
    }

    /// Empties the cart (the sale is abandoned; nothing is recorded).
    public mutating func void() {
        items.removeAll()
        lineDiscounts = [:]
        saleDiscount = nil
        loyaltyHoldId = nil
        pointsBalanceKnown = nil
        nextLineNo = 1
    }

    public func totals(_ rule: TaxRule) -> SaleTotals { SaleTotals(lines: numberedLines, rule: rule) }

    /// Lines priced and renumbered 1…n in cart order, as they are printed and stored.
    public var numberedLines: [SaleLine] {
        lines.enumerated().map { i, line in
            var l = line
            l.lineNo = i + 1
            return l
        }
    }
}
