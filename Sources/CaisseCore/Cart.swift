/// One line of a cart or a sale: the product as it was priced when added.
/// The price is copied so that a price change pulled mid-sale does not change
/// a line the customer has already seen.
public struct SaleLine: Hashable, Sendable, Codable {
    public var lineNo: Int
    public var productId: Int64
    public var sku: String
    public var name: String
    public var unitPrice: Money
    public var taxClass: TaxClass
    public var quantity: Int

    public init(lineNo: Int, productId: Int64, sku: String, name: String, unitPrice: Money, taxClass: TaxClass, quantity: Int) {
        self.lineNo = lineNo
        self.productId = productId
        self.sku = sku
        self.name = name
        self.unitPrice = unitPrice
        self.taxClass = taxClass
        self.quantity = quantity
    }

    public var total: Money { unitPrice * quantity }

    enum CodingKeys: String, CodingKey {
        case lineNo, productId, sku, name
        case unitPrice = "unitPriceCents"
        case taxClass, quantity
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

/// The customer's basket before payment.
public struct Cart: Hashable, Sendable {
    public private(set) var lines: [SaleLine] = []
    private var nextLineNo = 1

    public init() {}

    /// A cart put back as it was saved (parked, or kept across a restart of the till).
    public init(lines: [SaleLine]) {
        self.lines = lines
        nextLineNo = (lines.map(\.lineNo).max() ?? 0) + 1
    }

    public var isEmpty: Bool { lines.isEmpty }
    public var itemCount: Int { lines.reduce(0) { $0 + $1.quantity } }

    /// Adds a product; scanning the same product again adds to its line.
    @discardableResult
    public mutating func add(_ product: Product, quantity: Int = 1) throws(DomainError) -> SaleLine {
        try Quantity.validate(quantity)
        guard product.active else {
            throw DomainError(.inactiveProduct, "\(product.name) (\(product.sku)) is no longer sold")
        }
        if let i = lines.firstIndex(where: { $0.productId == product.id }) {
            let merged = lines[i].quantity + quantity
            try Quantity.validate(merged)
            lines[i].quantity = merged
            return lines[i]
        }
        let line = SaleLine(lineNo: nextLineNo, productId: product.id, sku: product.sku, name: product.name,
                            unitPrice: product.price, taxClass: product.taxClass, quantity: quantity)
        nextLineNo += 1
        lines.append(line)
        return line
    }

    public mutating func setQuantity(lineNo: Int, to quantity: Int) throws(DomainError) {
        try Quantity.validate(quantity)
        guard let i = lines.firstIndex(where: { $0.lineNo == lineNo }) else {
            throw DomainError(.unknownLine, "no line \(lineNo) in the cart")
        }
        lines[i].quantity = quantity
    }

    public mutating func remove(lineNo: Int) throws(DomainError) {
        guard let i = lines.firstIndex(where: { $0.lineNo == lineNo }) else {
            throw DomainError(.unknownLine, "no line \(lineNo) in the cart")
        }
        lines.remove(at: i)
    }

    /// Empties the cart (the sale is abandoned; nothing is recorded).
    public mutating func void() {
        lines.removeAll()
        nextLineNo = 1
    }

    public func totals(_ rule: TaxRule) -> SaleTotals { SaleTotals(lines: numberedLines, rule: rule) }

    /// Lines renumbered 1…n in cart order, as they are printed and stored.
    public var numberedLines: [SaleLine] {
        lines.enumerated().map { i, line in
            var l = line
            l.lineNo = i + 1
            return l
        }
    }
}
