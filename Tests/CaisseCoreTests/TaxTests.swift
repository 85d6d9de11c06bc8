import Testing
@testable import CaisseCore

@Suite("Taxes")
struct TaxTests {
    func product(_ id: Int64, _ cents: Int64, _ taxClass: TaxClass = .standard) -> Product {
        Product(id: id, sku: "P\(id)", barcode: "", name: "Produit \(id)", category: "Test", price: Money(cents: cents),
                taxClass: taxClass, reorderPoint: 1, overstockThreshold: 10)
    }

    @Test func quebecChargesGSTAndQSTOnTheSubtotal() {
        let taxes = TaxRule.quebec.taxes(onSubtotals: [.standard: Money(cents: 1086)])
        #expect(taxes.map(\.code) == ["GST", "QST"])
        #expect(taxes.map(\.amount) == [Money(cents: 54), Money(cents: 108)])   // 54.3 ¢ and 108.3285 ¢
    }

    @Test("half a cent rounds up", arguments: [
        (TaxRule.quebec, Int64(2000), ["GST": Int64(100), "QST": 200]),   // QST: 199.5 ¢ → 200 ¢
        (TaxRule.quebec, Int64(10), ["GST": 1, "QST": 1]),                // GST: 0.5 ¢ → 1 ¢
        (TaxRule.ontario, Int64(50), ["HST": 7]),                         // HST: 6.5 ¢ → 7 ¢
    ])
    func halfCentRoundsUp(rule: TaxRule, base: Int64, expected: [String: Int64]) {
        let taxes = rule.taxes(onSubtotals: [.standard: Money(cents: base)])
        #expect(Dictionary(uniqueKeysWithValues: taxes.map { ($0.code, $0.amount.cents) }) == expected)
    }

    @Test func roundsOncePerSaleNotPerLine() {
        // Three lines of 0.10 $: per line GST would be 3 × 1 ¢; on the subtotal it is 1.5 ¢ → 2 ¢.
        var cart = Cart()
        for id in 1...3 { _ = try? cart.add(product(Int64(id), 10)) }
        let totals = cart.totals(.quebec)
        #expect(totals.taxes.first { $0.code == "GST" }?.amount == Money(cents: 2))
    }

    @Test func zeroRatedGoodsAreNotTaxed() {
        var cart = Cart()
        _ = try? cart.add(product(1, 1000, .zeroRated))
        _ = try? cart.add(product(2, 1000))
        let totals = cart.totals(.quebec)
        #expect(totals.subtotal == Money(cents: 2000))
        #expect(totals.taxes.map(\.base) == [Money(cents: 1000), Money(cents: 1000)])
        #expect(totals.taxTotal == Money(cents: 50 + 100))   // 50 ¢ GST, 99.75 ¢ → 100 ¢ QST
        #expect(totals.total == Money(cents: 2150))
    }

    @Test func ontarioHarmonizedTaxShowsTheRuleIsData() {
        var cart = Cart()
        _ = try? cart.add(product(1, 1999))
        let totals = cart.totals(.ontario)
        #expect(totals.taxes.map(\.code) == ["HST"])
        #expect(totals.taxTotal == Money(cents: 260))   // 259.87 ¢
        #expect(totals.total == Money(cents: 2259))
    }

    @Test func percentTextPerLanguage() {
        #expect(TaxRule.quebec.rates[1].percentText(.fr) == "9,975\u{00A0}%")
        #expect(TaxRule.quebec.rates[1].percentText(.en) == "9.975%")
        #expect(TaxRule.quebec.rates[0].percentText(.en) == "5%")
    }
}
