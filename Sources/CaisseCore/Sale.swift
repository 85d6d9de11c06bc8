/// A completed sale: what the receipt shows and what is journaled.
public struct Sale: Hashable, Sendable, Codable {
    public var id: String
    public var receiptNumber: String
    public var storeId: Int64
    public var registerId: String
    public var cashierId: Int64
    /// Milliseconds since 1970 (UTC).
    public var createdAt: Int64
    public var lines: [SaleLine]
    public var taxes: [TaxLine]
    public var subtotal: Money
    public var taxTotal: Money
    /// Total before cash rounding.
    public var total: Money
    /// Nickel rounding applied when cash settled (+/− a few cents).
    public var rounding: Money
    public var tenders: [Tender]
    public var change: Money
    /// The loyalty card scanned for this sale (issue 27); central credits its points when it
    /// receives the sale, offline or not. Absent from older payloads and from sales without one.
    public var customerCard: String?
    /// The order for pickup this sale hands over (issue 27): its channel is online pickup.
    public var orderId: String?
    /// The points central held for the reward this sale gives (issue 27): the sale's discount with
    /// reason `loyalty`; central redeems the hold when it receives the sale, once.
    public var loyaltyHoldId: String?

    public var itemCount: Int { lines.reduce(0) { $0 + $1.quantity } }
    /// What the customer actually paid.
    public var amountPaid: Money { total + rounding }

    /// A sale as it was recorded (a journal's payload read back): no check, the reader judges it.
    public init(id: String, receiptNumber: String, storeId: Int64, registerId: String, cashierId: Int64, createdAt: Int64,
                lines: [SaleLine], taxes: [TaxLine], subtotal: Money, taxTotal: Money, total: Money, rounding: Money,
                tenders: [Tender], change: Money, customerCard: String? = nil, orderId: String? = nil, loyaltyHoldId: String? = nil) {
        self.id = id
        self.receiptNumber = receiptNumber
        self.storeId = storeId
        self.registerId = registerId
        self.cashierId = cashierId
        self.createdAt = createdAt
        self.lines = lines
        self.taxes = taxes
        self.subtotal = subtotal
        self.taxTotal = taxTotal
        self.total = total
        self.rounding = rounding
        self.tenders = tenders
        self.change = change
        self.customerCard = customerCard
        self.orderId = orderId
        self.loyaltyHoldId = loyaltyHoldId
    }

    /// Closes a cart: refuses an empty cart and an unpaid or over-paid one.
    public init(id: String, receiptNumber: String, storeId: Int64, registerId: String, cashierId: Int64,
                createdAt: Int64, cart: Cart, rule: TaxRule, payment: Payment) throws(DomainError) {
        guard !cart.isEmpty else { throw DomainError(.emptyCart, "the cart is empty") }
        let totals = cart.totals(rule)
        guard payment.total == totals.total else {
            throw DomainError(.saleNotPaid, "the payment is for \(payment.total), the sale totals \(totals.total)")
        }
        guard payment.isComplete else {
            throw DomainError(.saleNotPaid, "\(payment.remaining) is still due")
        }
        self.id = id
        self.receiptNumber = receiptNumber
        self.storeId = storeId
        self.registerId = registerId
        self.cashierId = cashierId
        self.createdAt = createdAt
        self.lines = cart.numberedLines
        self.taxes = totals.taxes
        self.subtotal = totals.subtotal
        self.taxTotal = totals.taxTotal
        self.total = totals.total
        self.rounding = payment.rounding
        self.tenders = payment.tenders
        self.change = payment.change
        self.customerCard = cart.customerCard
        self.orderId = cart.orderId
        self.loyaltyHoldId = cart.loyaltyHoldId
    }

    enum CodingKeys: String, CodingKey {
        case id, receiptNumber, storeId, registerId, cashierId, createdAt, lines, taxes
        case subtotal = "subtotalCents"
        case taxTotal = "taxTotalCents"
        case total = "totalCents"
        case rounding = "roundingCents"
        case tenders
        case change = "changeCents"
        case customerCard, orderId, loyaltyHoldId
    }
}
