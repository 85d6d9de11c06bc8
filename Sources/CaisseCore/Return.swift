/// What the customer brings back: a line of the original sale and how many.
public struct ReturnRequestLine: Hashable, Sendable, Codable {
    public var lineNo: Int
    public var quantity: Int
    public init(lineNo: Int, quantity: Int) {
        self.lineNo = lineNo
        self.quantity = quantity
    }
}

/// A return (refund) of part or all of an earlier sale.
public struct SaleReturn: Hashable, Sendable, Codable {
    public var id: String
    public var receiptNumber: String
    public var originalSaleId: String
    public var originalReceiptNumber: String
    public var storeId: Int64
    public var registerId: String
    public var cashierId: Int64
    public var createdAt: Int64
    /// Returned lines; `lineNo` is the original sale's line number.
    public var lines: [SaleLine]
    /// Refunded taxes (positive amounts).
    public var taxes: [TaxLine]
    public var subtotal: Money
    public var taxTotal: Money
    /// Refund before cash rounding.
    public var total: Money
    public var rounding: Money
    /// How the refund went back to the customer.
    public var tenders: [Tender]
    /// The manager who approved it at the till (`RefundApproval`), if it needed one.
    public var approvedBy: Int64?

    public var itemCount: Int { lines.reduce(0) { $0 + $1.quantity } }
    public var amountRefunded: Money { total + rounding }

    /// A return as it was recorded (a journal's payload read back): no check, the reader judges it.
    public init(id: String, receiptNumber: String, originalSaleId: String, originalReceiptNumber: String, storeId: Int64,
                registerId: String, cashierId: Int64, createdAt: Int64, lines: [SaleLine], taxes: [TaxLine], subtotal: Money,
                taxTotal: Money, total: Money, rounding: Money, tenders: [Tender], approvedBy: Int64?) {
        self.id = id
        self.receiptNumber = receiptNumber
        self.originalSaleId = originalSaleId
        self.originalReceiptNumber = originalReceiptNumber
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
        self.approvedBy = approvedBy
    }

    public init(id: String, receiptNumber: String, original: Sale, storeId: Int64, registerId: String, cashierId: Int64,
                createdAt: Int64, refund: Refund, tenders: [Tender], rounding: Money, approvedBy: Int64? = nil) {
        self.id = id
        self.receiptNumber = receiptNumber
        self.originalSaleId = original.id
        self.originalReceiptNumber = original.receiptNumber
        self.storeId = storeId
        self.registerId = registerId
        self.cashierId = cashierId
        self.createdAt = createdAt
        self.lines = refund.lines
        self.taxes = refund.taxes
        self.subtotal = refund.subtotal
        self.taxTotal = refund.taxTotal
        self.total = refund.total
        self.rounding = rounding
        self.tenders = tenders
        self.approvedBy = approvedBy
    }

    enum CodingKeys: String, CodingKey {
        case id, receiptNumber, originalSaleId, originalReceiptNumber, storeId, registerId, cashierId, createdAt, lines, taxes, approvedBy
        case subtotal = "subtotalCents"
        case taxTotal = "taxTotalCents"
        case total = "totalCents"
        case rounding = "roundingCents"
        case tenders
    }
}

/// How much goes back to the customer for one return, and the rounding in it.
public struct RefundSettlement: Hashable, Sendable {
    public var amount: Money
    /// amount − refund total: the nickel rounding of cash, or the balance of
    /// what the customer paid on the last return of a sale.
    public var rounding: Money

    /// Cash is rounded to the nickel, card is exact; and no refund ever exceeds
    /// what the customer paid less what was already given back. The return that
    /// completes a sale refunds exactly that balance, so the refunds of a sale add
    /// up to what was paid, to the cent, however they were split or rounded.
    public init(refund: Refund, kind: TenderKind, original: Sale, previouslyRefunded: Money, completesSale: Bool) {
        let balance = original.amountPaid - previouslyRefunded
        var amount = kind == .cash ? refund.total.roundedToNickel : refund.total
        if completesSale || amount > balance { amount = balance }
        if kind == .cash {
            // Cash has no pennies, even for the return that completes a card
            // sale: the nearest nickel that does not exceed what is left, so the
            // drawer's expected cash can always be counted.
            amount = amount.roundedToNickel
            if amount > balance { amount -= Money(cents: 5) }
        }
        self.amount = max(.zero, amount)
        self.rounding = self.amount - refund.total
    }
}

/// The amounts of a return, computed from the original sale's prices and taxes.
public struct Refund: Hashable, Sendable {
    public var lines: [SaleLine]
    public var taxes: [TaxLine]
    public var subtotal: Money
    public var taxTotal: Money { taxes.reduce(.zero) { $0 + $1.amount } }
    public var total: Money { subtotal + taxTotal }

    /// Validates a return against the original sale and what was already returned
    /// of each line (lineNo → quantity), and prices it.
    ///
    /// Taxes are refunded cumulatively: this return refunds tax(all returned so far,
    /// this one included) − tax(returned before). The refunds of a sale's returns
    /// therefore add up to exactly what was charged, never a cent more, however
    /// the lines are split across returns.
    public init(original: Sale, alreadyReturned: [Int: Int], requested: [ReturnRequestLine]) throws(DomainError) {
        guard !requested.isEmpty else { throw DomainError(.invalidInput, "choose at least one line to return") }
        var wanted: [Int: Int] = [:]
        for r in requested {
            try Quantity.validate(r.quantity)
            wanted[r.lineNo, default: 0] += r.quantity
        }
        var lines: [SaleLine] = []
        for line in original.lines where wanted[line.lineNo] != nil {
            let qty = wanted[line.lineNo] ?? 0
            let before = alreadyReturned[line.lineNo] ?? 0
            guard before + qty <= line.quantity else {
                throw DomainError(.returnExceedsSold,
                    "line \(line.lineNo) (\(line.name)): \(line.quantity) sold, \(before) already returned, cannot return \(qty) more")
            }
            var returned = line
            returned.quantity = qty
            // Each discount as much as these units carried of it: what was paid for them.
            let upTo = line.discounts(forFirst: before + qty), prior = line.discounts(forFirst: before)
            returned.discounts = zip(upTo, prior).map { after, earlier in
                var d = after
                d.amount = after.amount - earlier.amount
                return d
            }.filter { $0.amount.isPositive }
            lines.append(returned)
        }
        if let unknown = wanted.keys.sorted().first(where: { no in !original.lines.contains { $0.lineNo == no } }) {
            throw DomainError(.unknownLine, "receipt \(original.receiptNumber) has no line \(unknown)")
        }
        self.lines = lines
        self.subtotal = lines.reduce(.zero) { $0 + $1.total }

        func base(of tax: TaxLine, quantities: (SaleLine) -> Int) -> Money {
            original.lines.reduce(.zero) { acc, line in
                tax.taxableClasses.contains(line.taxClass) ? acc + line.net(forFirst: quantities(line)) : acc
            }
        }
        func charged(_ tax: TaxLine, onBase base: Money) -> Money {
            // The full base refunds exactly what was charged.
            base == tax.base ? tax.amount : tax.rate.tax(on: base)
        }
        self.taxes = original.taxes.map { tax in
            let previous = base(of: tax) { alreadyReturned[$0.lineNo] ?? 0 }
            let after = base(of: tax) { (alreadyReturned[$0.lineNo] ?? 0) + (wanted[$0.lineNo] ?? 0) }
            return TaxLine(code: tax.code, rateMicros: tax.rateMicros, taxableClasses: tax.taxableClasses,
                           base: after - previous, amount: charged(tax, onBase: after) - charged(tax, onBase: previous))
        }
    }
}

extension SaleLine {
    /// The line's discounts carried by its first `units` units, each rounded up:
    /// a partial return never refunds more than was paid for what comes back,
    /// and all the units carry exactly the discounts.
    public func discounts(forFirst units: Int) -> [LineDiscount] {
        discounts.map { d in
            var share = d
            let q = Int64(max(1, quantity)), u = Int64(min(max(0, units), quantity))
            share.amount = Money(cents: (d.amount.cents * u + q - 1) / q)
            return share
        }
    }

    /// What the customer paid for the first `units` units, before taxes.
    public func net(forFirst units: Int) -> Money {
        unitPrice * units - discounts(forFirst: units).reduce(.zero) { $0 + $1.amount }
    }
}

/// When a refund needs a manager's PIN at the till (issue 14): cash back for a
/// sale paid by card (money leaves the drawer that never came in), or more than
/// the store's limit. A manager acting alone approves their own refund. The
/// till asks, the store refuses without it, and central checks it again.
public enum RefundApproval: Hashable, Sendable {
    case cashForCardSale
    case overLimit(Money)

    /// The default limit above which a refund needs a manager (per store later).
    public static let defaultLimit = Money(cents: 100_00)

    ///
    /// - Parameter cashRefunded: cash already given back for this sale. Cash
    ///   back up to the cash the sale took in needs nobody (a split tender's
    ///   cash part); beyond it, the money was paid by card.
    public static func needed(original: Sale, kind: TenderKind, amount: Money, cashRefunded: Money = .zero,
                              limit: Money = defaultLimit) -> RefundApproval? {
        let cashIn = original.tenders.filter { $0.kind == .cash }.reduce(Money.zero) { $0 + $1.amount }
        if kind == .cash, original.tenders.contains(where: { $0.kind == .card }), cashRefunded + amount > cashIn { return .cashForCardSale }
        if amount > limit { return .overLimit(limit) }
        return nil
    }

    /// The tender a refund goes back to by default: the card if the sale was paid by card, else cash.
    public static func defaultKind(for original: Sale) -> TenderKind {
        original.tenders.contains { $0.kind == .card } ? .card : .cash
    }
}
