/// The ranges every figure of a sale or a return must fall in, and the checks
/// that a document adds up. The till builds documents with `Cart`, `Payment`
/// and `Refund`; central runs these checks on what a till pushes, so a document
/// no honest till can produce is refused before any arithmetic on it can trap.
///
/// The bounds are far above any real receipt and far below Int64: a document's
/// amounts stay under 10^10 cents, so tax (base × rate in millionths) stays
/// under 10^16 and a report can sum 9 × 10^8 documents without overflow.
public enum DocumentLimits {
    public static let maxLines = 500
    /// 1 000 000 $ a unit: the catalog's own ceiling (ProductRules).
    public static let maxUnitPrice = Money(cents: 100_000_000)
    /// 100 M$ a document (subtotal, total, any tender).
    public static let maxAmount = Money(cents: 10_000_000_000)
    public static let maxTaxes = 10
    /// 100 % in millionths.
    public static let maxRateMicros: Int64 = 1_000_000
    public static let maxTenders = 20
    /// Nickel rounding moves a cash total by at most 2 ¢.
    public static let maxCashRounding: Int64 = 2
    /// 2000-01-01 … 2100-01-01 (UTC), in milliseconds.
    public static let createdAt: ClosedRange<Int64> = 946_684_800_000...4_102_444_800_000
    public static let maxTextLength = 200
    public static let maxDiscountsPerLine = 20
}

public enum DocumentCheck {
    /// A sale as the till closes it: lines, taxes under the rates it names,
    /// total, tenders, rounding and change all agree.
    public static func sale(_ sale: Sale) throws(DomainError) {
        try timestamp(sale.createdAt)
        try text(sale.id, "id"); try text(sale.receiptNumber, "receipt number")
        // Issue 27's fields, bounded where decoded: central looks both up, and names them in exceptions.
        if let card = sale.customerCard, !(1...32).contains(card.count) || !card.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw invalid("a loyalty card is 1 to 32 digits")
        }
        if let order = sale.orderId, !isCleanText(order, maxLength: 64) { throw invalid("an order id is 1 to 64 printable characters") }
        if let hold = sale.loyaltyHoldId, !isCleanText(hold, maxLength: 64) { throw invalid("a loyalty hold id is 1 to 64 printable characters") }
        let byClass = try lines(sale.lines, numbered: true)
        let subtotal = sale.lines.reduce(Money.zero) { $0 + $1.total }
        try equal(sale.subtotal, subtotal, "the subtotal", "the sum of the lines")
        try taxes(sale.taxes, byClass: byClass)
        try equal(sale.taxTotal, sale.taxes.reduce(.zero) { $0 + $1.amount }, "the tax total", "the sum of the taxes")
        try equal(sale.total, sale.subtotal + sale.taxTotal, "the total", "subtotal + taxes")
        try settlement(sale.tenders, total: sale.total, rounding: sale.rounding, change: sale.change, refund: false)
    }

    /// What can be checked of a return without its original sale.
    public static func returnDocument(_ ret: SaleReturn) throws(DomainError) {
        try timestamp(ret.createdAt)
        try text(ret.id, "id"); try text(ret.receiptNumber, "receipt number"); try text(ret.originalSaleId, "original sale id")
        _ = try lines(ret.lines, numbered: false)
        try equal(ret.subtotal, ret.lines.reduce(.zero) { $0 + $1.total }, "the subtotal", "the sum of the lines")
        guard ret.taxes.count <= DocumentLimits.maxTaxes else { throw invalid("more than \(DocumentLimits.maxTaxes) taxes") }
        for tax in ret.taxes {
            guard (0...DocumentLimits.maxRateMicros).contains(tax.rateMicros), inAmountRange(tax.base), inAmountRange(tax.amount) else {
                throw invalid("tax \(tax.code) is out of range")
            }
        }
        try equal(ret.taxTotal, ret.taxes.reduce(.zero) { $0 + $1.amount }, "the tax total", "the sum of the taxes")
        try equal(ret.total, ret.subtotal + ret.taxTotal, "the total", "subtotal + taxes")
        try settlement(ret.tenders, total: ret.total, rounding: ret.rounding, change: .zero, refund: true)
    }

    /// A return against its original sale and the returns of it already
    /// recorded: the same lines at the same prices, never more than sold, taxes
    /// as `Refund` computes them, and never more money than the customer paid.
    public static func returnAgainstOriginal(_ ret: SaleReturn, original: Sale, priorReturns: [SaleReturn]) throws(DomainError) {
        // Any store of the chain takes back what another sold (issue 24): the goods go back on the
        // shelf of the store that took them, the refund is counted there.
        guard ret.originalReceiptNumber == original.receiptNumber else {
            throw invalid("the return does not name its original sale's receipt")
        }
        var already: [Int: Int] = [:]
        var refunded = Money.zero
        for prior in priorReturns {
            for line in prior.lines { already[line.lineNo, default: 0] += line.quantity }
            refunded += prior.amountRefunded
        }
        let refund = try Refund(original: original, alreadyReturned: already,
                                requested: ret.lines.map { ReturnRequestLine(lineNo: $0.lineNo, quantity: $0.quantity) })
        let expected = refund.lines.sorted { $0.lineNo < $1.lineNo }
        guard ret.lines.sorted(by: { $0.lineNo < $1.lineNo }) == expected else {
            throw invalid("the returned lines differ from the original sale's (product, price or tax class)")
        }
        guard ret.taxes == refund.taxes else { throw invalid("the refunded taxes differ from what the original sale charged") }
        let balance = original.amountPaid - refunded
        guard !ret.amountRefunded.isNegative, ret.amountRefunded <= balance else {
            throw invalid("the refund of \(ret.amountRefunded) is more than the \(balance) left of what the customer paid")
        }
    }

    // MARK: - Parts

    static func invalid(_ message: String) -> DomainError { DomainError(.invalidInput, message) }

    static func inAmountRange(_ m: Money) -> Bool { m.cents >= 0 && m <= DocumentLimits.maxAmount }

    static func timestamp(_ millis: Int64) throws(DomainError) {
        guard DocumentLimits.createdAt.contains(millis) else { throw invalid("the time \(millis) is outside 2000–2100") }
    }

    static func text(_ s: String, _ what: String) throws(DomainError) {
        guard !s.isEmpty, isCleanText(s) else { throw invalid("the \(what) is empty, too long or holds control characters") }
    }

    /// Printable text of at most `maxLength` bytes: no control character (a
    /// NUL is refused by PostgreSQL, a newline breaks a receipt or a CSV).
    public static func isCleanText(_ s: String, maxLength: Int = DocumentLimits.maxTextLength) -> Bool {
        s.utf8.count <= maxLength && !s.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    static func equal(_ claimed: Money, _ computed: Money, _ what: String, _ of: String) throws(DomainError) {
        guard claimed == computed else { throw invalid("\(what) \(claimed) is not \(of) (\(computed))") }
    }

    /// Checks ranges before any product: quantity × price ≤ 9 999 × 999 999,99 $.
    static func lines(_ lines: [SaleLine], numbered: Bool) throws(DomainError) -> [TaxClass: Money] {
        guard (1...DocumentLimits.maxLines).contains(lines.count) else {
            throw invalid("a document holds 1 to \(DocumentLimits.maxLines) lines, not \(lines.count)")
        }
        var byClass: [TaxClass: Money] = [:]
        var seen: Set<Int> = []
        var sum = Money.zero
        for (i, l) in lines.enumerated() {
            guard (1...Quantity.maximumPerLine).contains(l.quantity) else { throw invalid("line \(l.lineNo): quantity \(l.quantity) out of 1…\(Quantity.maximumPerLine)") }
            guard l.unitPrice.cents >= 0, l.unitPrice <= DocumentLimits.maxUnitPrice else { throw invalid("line \(l.lineNo): unit price out of range") }
            guard l.productId > 0, isCleanText(l.sku, maxLength: 64), isCleanText(l.name),
                  isCleanText(l.taxClass.rawValue, maxLength: 64) else { throw invalid("line \(l.lineNo): product fields out of range") }
            guard numbered ? l.lineNo == i + 1 : (1...DocumentLimits.maxLines).contains(l.lineNo) && seen.insert(l.lineNo).inserted else {
                throw invalid("line numbers must run 1, 2, 3 … without repeats")
            }
            try discounts(l)
            sum += l.total
            byClass[l.taxClass, default: .zero] += l.total
        }
        guard sum <= DocumentLimits.maxAmount else { throw invalid("the lines add up to more than \(DocumentLimits.maxAmount)") }
        return byClass
    }

    /// A line's discounts: each a positive amount with what its kind needs, all
    /// together never more than the line's gross (a line is never paid below zero).
    static func discounts(_ l: SaleLine) throws(DomainError) {
        guard l.discounts.count <= DocumentLimits.maxDiscountsPerLine else {
            throw invalid("line \(l.lineNo): more than \(DocumentLimits.maxDiscountsPerLine) discounts")
        }
        var sum = Money.zero
        for d in l.discounts {
            guard d.amount.isPositive, d.amount <= DocumentLimits.maxAmount else { throw invalid("line \(l.lineNo): a discount is out of range") }
            switch d.kind {
            case .promotion:
                guard let id = d.promotionId, id > 0, d.reason == nil, d.label.map({ isCleanText($0, maxLength: 120) }) ?? true else {
                    throw invalid("line \(l.lineNo): a promotion's discount names its promotion")
                }
            case .line, .override, .sale:
                guard let reason = d.reason, !reason.isEmpty, isCleanText(reason, maxLength: 32), d.promotionId == nil else {
                    throw invalid("line \(l.lineNo): a discount given at the till has a reason")
                }
            }
            if let approver = d.approvedBy { guard approver > 0 else { throw invalid("line \(l.lineNo): unknown approver") } }
            sum += d.amount
        }
        guard sum <= l.gross else { throw invalid("line \(l.lineNo): discounts of \(sum) exceed the line's \(l.gross)") }
        guard l.discounts.filter({ $0.kind == .override }).count <= 1 else { throw invalid("line \(l.lineNo): two price overrides") }
    }

    /// Each tax is its rate × its base under the classes it names, rounded as the till rounds.
    static func taxes(_ taxes: [TaxLine], byClass: [TaxClass: Money]) throws(DomainError) {
        guard taxes.count <= DocumentLimits.maxTaxes, Set(taxes.map(\.code)).count == taxes.count else {
            throw invalid("taxes must have distinct codes, at most \(DocumentLimits.maxTaxes)")
        }
        for tax in taxes {
            guard (0...DocumentLimits.maxRateMicros).contains(tax.rateMicros), isCleanText(tax.code, maxLength: 16),
                  tax.taxableClasses.count <= 20, tax.taxableClasses.allSatisfy({ isCleanText($0.rawValue, maxLength: 64) }) else {
                throw invalid("tax \(tax.code): rate out of 0…100 %")
            }
        }
        let rule = TaxRule(code: "", name: "", rates: taxes.map(\.rate))
        let computed = rule.taxes(onSubtotals: byClass)
        for (claimed, expected) in zip(taxes, computed) {
            guard claimed.base == expected.base, claimed.amount == expected.amount,
                  claimed.taxableClasses == expected.taxableClasses else {
                throw invalid("tax \(claimed.code): \(claimed.amount) on \(claimed.base) is not its rate on the lines' base (\(expected.amount) on \(expected.base))")
            }
        }
    }

    /// Tenders cover exactly the total plus its rounding; rounding comes from
    /// cash only; each cash tender's change is what was given less what it settles.
    static func settlement(_ tenders: [Tender], total: Money, rounding: Money, change: Money, refund: Bool) throws(DomainError) {
        guard inAmountRange(total) else { throw invalid("the total \(total) is out of range") }
        guard tenders.count <= DocumentLimits.maxTenders else { throw invalid("more than \(DocumentLimits.maxTenders) tenders") }
        var paid = Money.zero
        var changes = Money.zero
        for t in tenders {
            guard inAmountRange(t.amount), inAmountRange(t.change) else { throw invalid("a tender is out of range") }
            switch t.kind {
            case .card:
                guard t.amount.isPositive, t.change == .zero, t.given == nil,
                      let ref = t.reference, (1...64).contains(ref.count), isCleanText(ref) else {
                    throw invalid("a card tender needs an amount, a reference, and no cash given or change")
                }
            case .cash:
                if let given = t.given {
                    guard inAmountRange(given), given >= t.amount, t.change == given - t.amount else {
                        throw invalid("a cash tender's change is not what was given less what it settles")
                    }
                } else {
                    guard t.change == .zero else { throw invalid("cash change without cash given") }
                }
            }
            paid += t.amount
            changes += t.change
        }
        // A refund's rounding too (issue 24: a cash return refunded 36,65 $ for a 2,52 $ line).
        guard (-DocumentLimits.maxCashRounding...DocumentLimits.maxCashRounding).contains(rounding.cents) else { throw invalid("a rounding of \(rounding) is more than 2 ¢") }
        guard rounding == .zero || tenders.contains(where: { $0.kind == .cash }) else { throw invalid("rounding without a cash tender") }
        if !refund {
            guard change == changes else { throw invalid("the change \(change) is not the tenders' change (\(changes))") }
        }
        guard total.isPositive || !tenders.isEmpty || rounding == .zero, paid == total + rounding else {
            throw invalid("the tenders (\(paid)) do not settle the total \(total) with its rounding \(rounding)")
        }
    }
}
