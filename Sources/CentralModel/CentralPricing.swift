import CaisseAPI
import CaisseCore

/// Central prices a sale again from its own promotions and the pricing rule the tills
/// run (`Pricing.price`), and says where the till's figures differ (issue 24: a
/// promotion claimed at 100 % when it gives 5 ¢, two exclusive promotions stacked, ten
/// 10 % discounts on one line). The till's figures stay in the journal; a sale whose
/// figures differ is quarantined until head office believes the till or voids it.
public enum CentralPricing {
    /// What central makes of the sale's lines: the same items, the manual discounts as
    /// the amounts a person gave, and the promotions the sale names as central defines them.
    public static func differences(_ sale: Sale, promotions: [Int64: Promotion]) -> String? {
        var lineDiscounts: [Int: ManualDiscount] = [:]
        var saleTotal = Money.zero
        var saleReason: DiscountReasonCode = DiscountReason.other.rawValue
        var saleApprover: Int64?
        var offers: [Int64: Promotion] = [:]
        for line in sale.lines {
            let manual = line.discounts.filter { $0.kind == .line || $0.kind == .override }
            // A person gives one discount or one new price per line, never more (the till's rule).
            guard manual.count <= 1 else { return "line \(line.lineNo): \(manual.count) discounts given by a person on one line" }
            if let d = manual.first {
                switch d.kind {
                case .override:
                    guard line.quantity > 0, d.amount.cents % Int64(line.quantity) == 0 else {
                        return "line \(line.lineNo): a new price that is not a whole price per unit"
                    }
                    lineDiscounts[line.lineNo] = ManualDiscount(rule: .price(line.unitPrice - Money(cents: d.amount.cents / Int64(line.quantity))),
                                                                reason: d.reason ?? "", approvedBy: d.approvedBy)
                default:
                    lineDiscounts[line.lineNo] = ManualDiscount(rule: .amount(d.amount), reason: d.reason ?? "", approvedBy: d.approvedBy)
                }
            }
            for d in line.discounts where d.kind == .sale {
                saleTotal += d.amount
                saleReason = d.reason ?? saleReason
                saleApprover = d.approvedBy ?? saleApprover
            }
            for d in line.discounts where d.kind == .promotion {
                guard let id = d.promotionId, let promotion = promotions[id] else { return "line \(line.lineNo): a promotion central does not know" }
                offers[id] = promotion
            }
        }
        let items = sale.lines.map { line -> SaleLine in
            var l = line
            l.discounts = []
            return l
        }
        let sale2 = saleTotal.isPositive ? ManualDiscount(rule: .amount(saleTotal), reason: saleReason, approvedBy: saleApprover) : nil
        let priced = Pricing.price(items, lineDiscounts: lineDiscounts, saleDiscount: sale2, offers: offers.values.sorted { $0.id < $1.id })
        for (till, central) in zip(sale.lines, priced) {
            let tillFigures = till.discounts.map(Self.figure).sorted()
            let centralFigures = central.discounts.map(Self.figure).sorted()
            if tillFigures != centralFigures {
                return "line \(till.lineNo): the till took \(Self.describe(till.discounts)) off, central's pricing takes \(Self.describe(central.discounts))"
            }
        }
        return nil
    }

    private struct Figure: Comparable {
        var kind: String
        var promotionId: Int64
        var cents: Int64
        static func < (a: Figure, b: Figure) -> Bool { (a.kind, a.promotionId, a.cents) < (b.kind, b.promotionId, b.cents) }
    }

    private static func figure(_ d: LineDiscount) -> Figure {
        Figure(kind: d.kind.rawValue, promotionId: d.promotionId ?? 0, cents: d.amount.cents)
    }

    private static func describe(_ discounts: [LineDiscount]) -> String {
        guard !discounts.isEmpty else { return "nothing" }
        return discounts.map { "\($0.amount) (\($0.kind.rawValue)\($0.promotionId.map { " #\($0)" } ?? ""))" }.joined(separator: " + ")
    }
}
