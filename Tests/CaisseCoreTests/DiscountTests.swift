import Foundation
import Testing
@testable import CaisseCore

/// Issue 16: discounts, promotions and overrides, on hand-computed cents.
@Suite("Discounts and promotions")
struct DiscountTests {
    let coffee = Product(id: 1, sku: "CAF-1", barcode: "", name: "Café", category: "Boissons", price: Money(cents: 219),
                         taxClass: .standard, reorderPoint: 1, overstockThreshold: 9)
    let donut = Product(id: 2, sku: "BEI-1", barcode: "", name: "Beigne", category: "Beignes", price: Money(cents: 169),
                        taxClass: .standard, reorderPoint: 1, overstockThreshold: 9)
    let muffin = Product(id: 3, sku: "MUF-1", barcode: "", name: "Muffin", category: "Boulangerie", price: Money(cents: 249),
                         taxClass: .standard, reorderPoint: 1, overstockThreshold: 9)
    let croissant = Product(id: 4, sku: "BOU-1", barcode: "", name: "Croissant", category: "Boulangerie", price: Money(cents: 349),
                            taxClass: .standard, reorderPoint: 1, overstockThreshold: 9)
    let bagel = Product(id: 5, sku: "BAG-1", barcode: "", name: "Bagel", category: "Boulangerie", price: Money(cents: 199),
                        taxClass: .standard, reorderPoint: 1, overstockThreshold: 9)
    let always = (Day(iso: "2026-01-01")!, Day(iso: "2026-12-31")!)

    func promotion(_ id: Int64, _ kind: Promotion.Kind, products: [Int64] = [], category: String? = nil, percent: Int64? = nil,
                   amount: Int64? = nil, price: Int64? = nil, quantity: Int? = nil, free: Int? = nil, combinable: Bool = false) -> Promotion {
        Promotion(id: id, name: "Promo \(id)", kind: kind, percentMicros: percent, amountCents: amount, priceCents: price, quantity: quantity,
                  freeQuantity: free, productIds: products, category: category, startDay: always.0, endDay: always.1, combinable: combinable)
    }

    @Test func aLineDiscountIsTakenBeforeTaxes() throws {
        var cart = Cart()
        try cart.add(coffee, quantity: 3)   // 6,57 $
        try cart.setDiscount(ManualDiscount(rule: .percent(micros: 100_000), reason: "loyalty"), lineNo: 1)
        let line = try #require(cart.lines.first)
        #expect(line.discounts == [LineDiscount(kind: .line, amount: Money(cents: 66), reason: "loyalty")])   // 65,7 ¢ half up
        #expect(line.total == Money(cents: 591))
        let totals = cart.totals(.quebec)
        #expect(totals.taxes.map(\.amount) == [Money(cents: 30), Money(cents: 59)])   // 29,55 ¢ and 58,95 ¢ on 5,91 $
        #expect(totals.total == Money(cents: 680))
        try cart.setDiscount(nil, lineNo: 1)
        #expect(cart.lines.first?.total == Money(cents: 657), "a discount is taken back as easily as it was given")
    }

    @Test func aSaleDiscountIsSpreadByLargestRemainderAndTheLinesAddUp() throws {
        var cart = Cart()
        try cart.add(coffee, quantity: 3)   // 6,57 $
        try cart.add(donut)                 // 1,69 $
        try cart.setSaleDiscount(ManualDiscount(rule: .amount(Money(cents: 500)), reason: "goodwill"))
        // 500 × 657/826 = 397,70…, 500 × 169/826 = 102,29…: the cent left goes to the larger remainder.
        #expect(cart.lines.map(\.discountTotal) == [Money(cents: 398), Money(cents: 102)])
        #expect(cart.lines.map(\.total) == [Money(cents: 259), Money(cents: 67)])
        #expect(cart.totals(.quebec).subtotal == Money(cents: 326))
        #expect(Pricing.spread(Money(cents: 100), over: [Money(cents: 1), Money(cents: 1), Money(cents: 1)]) == [34, 33, 33].map { Money(cents: $0) })
    }

    @Test func threeForFiveDollarsAcrossQuantitiesAndLines() throws {
        var one = Cart()
        one.offers = [promotion(1, .multiBuy, products: [3], price: 500, quantity: 3)]
        try one.add(muffin, quantity: 4)   // one group of 3 (7,47 $ for 5 $), the 4th at full price
        #expect(one.lines.first?.discountTotal == Money(cents: 247))
        #expect(one.lines.first?.total == Money(cents: 749))

        var mixed = Cart()
        mixed.offers = [promotion(2, .multiBuy, category: "boulangerie", price: 500, quantity: 3)]
        try mixed.add(muffin, quantity: 2)
        try mixed.add(croissant)
        try mixed.add(bagel)
        // Dearest units first: croissant 3,49 + muffins 2,49 + 2,49 = 8,47 $ → 3,47 $ off, spread 143 / 102 / 102; the bagel pays full.
        #expect(mixed.lines.map(\.discountTotal) == [Money(cents: 204), Money(cents: 143), .zero])
        #expect(mixed.lines.first?.discounts.first?.label == "Promo 2")
    }

    @Test func buyTwoGetOneFree() throws {
        for (quantity, off) in [(2, 0), (3, 169), (5, 169), (6, 338)] {
            var cart = Cart()
            cart.offers = [promotion(3, .buyGet, products: [2], quantity: 2, free: 1)]
            try cart.add(donut, quantity: quantity)
            #expect(cart.lines.first?.discountTotal == Money(cents: Int64(off)), "\(quantity) donuts")
        }
    }

    @Test func theBestOfferWinsAndCombinableOnesStack() throws {
        var cart = Cart()
        cart.offers = [promotion(4, .percentOff, products: [1], percent: 100_000),          // 10 %: 0,44 $ on 4,38 $
                       promotion(5, .amountOff, products: [1], amount: 50),                 // 0,50 $ a unit: 1,00 $
                       promotion(6, .percentOff, products: [1], percent: 50_000, combinable: true)]   // + 5 %: 0,22 $
        try cart.add(coffee, quantity: 2)
        let line = try #require(cart.lines.first)
        #expect(line.discounts.map(\.promotionId) == [5, 6])
        #expect(line.discounts.map(\.amount) == [Money(cents: 100), Money(cents: 22)])
        var fixed = Cart()
        fixed.offers = [promotion(7, .fixedPrice, products: [1], price: 199)]
        try fixed.add(coffee, quantity: 2)
        #expect(fixed.lines.first?.total == Money(cents: 398))
    }

    @Test func anOverriddenPriceIsFinal() throws {
        var cart = Cart()
        cart.offers = [promotion(8, .percentOff, products: [1], percent: 100_000)]
        try cart.add(coffee, quantity: 2)
        try cart.setDiscount(ManualDiscount(rule: .price(Money(cents: 150)), reason: "price_match", approvedBy: 3), lineNo: 1)
        #expect(cart.lines.first?.discounts == [LineDiscount(kind: .override, amount: Money(cents: 138), reason: "price_match", approvedBy: 3)])
        #expect(throws: DomainError.self) { try cart.setDiscount(ManualDiscount(rule: .price(Money(cents: 300)), reason: "x"), lineNo: 1) }
        #expect(throws: DomainError.self) { try cart.setDiscount(ManualDiscount(rule: .percent(micros: 0), reason: "x"), lineNo: 1) }
        #expect(throws: DomainError.self) { try cart.setSaleDiscount(ManualDiscount(rule: .price(Money(cents: 1)), reason: "x")) }
    }

    func paidSale(_ cart: Cart) throws -> Sale {
        var payment = Payment(total: cart.totals(.quebec).total)
        try payment.payCard(reference: "AUTH")
        return try Sale(id: "s", receiptNumber: "R-1", storeId: 1, registerId: "R", cashierId: 1, createdAt: 1_790_000_000_000,
                        cart: cart, rule: .quebec, payment: payment)
    }

    @Test func aPartialReturnOfAMultiBuyNeverRefundsMoreThanWasPaid() throws {
        var cart = Cart()
        cart.offers = [promotion(1, .multiBuy, products: [3], price: 500, quantity: 3)]
        try cart.add(muffin, quantity: 3)   // 7,47 $ for 5,00 $ + taxes 0,25 + 0,50 = 5,75 $
        let sale = try paidSale(cart)
        #expect(sale.total == Money(cents: 575))
        let first = try Refund(original: sale, alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: 1, quantity: 1)])
        // 2,49 $ less ⌈247 / 3⌉ = 0,83 $: 1,66 $, not more than the 1,666… $ the unit cost.
        #expect(first.subtotal == Money(cents: 166))
        #expect(first.taxes.map(\.amount) == [Money(cents: 8), Money(cents: 17)])
        let rest = try Refund(original: sale, alreadyReturned: [1: 1], requested: [ReturnRequestLine(lineNo: 1, quantity: 2)])
        #expect(rest.subtotal == Money(cents: 334))
        #expect(first.total + rest.total == sale.total, "every unit back: exactly what was paid")
        let ret = SaleReturn(id: "r", receiptNumber: "R-2", original: sale, storeId: 1, registerId: "R", cashierId: 1,
                             createdAt: sale.createdAt + 1, refund: first, tenders: [Tender(kind: .card, amount: first.total, reference: "AUTH")],
                             rounding: .zero)
        try DocumentCheck.returnAgainstOriginal(ret, original: sale, priorReturns: [])
    }

    @Test func centralChecksWhatTheDiscountsClaim() throws {
        var cart = Cart()
        cart.offers = [promotion(1, .multiBuy, products: [3], price: 500, quantity: 3)]
        try cart.add(muffin, quantity: 3)
        try cart.add(coffee)
        try cart.setDiscount(ManualDiscount(rule: .amount(Money(cents: 19)), reason: "damaged"), lineNo: 2)
        let sale = try paidSale(cart)
        try DocumentCheck.sale(sale)
        let json = try JSONEncoder().encode(sale)
        #expect(try JSONDecoder().decode(Sale.self, from: json) == sale)

        func refused(_ edit: (inout Sale) -> Void) -> Bool {
            var forged = sale
            edit(&forged)
            do { try DocumentCheck.sale(forged); return false } catch { return true }
        }
        #expect(refused { $0.lines[0].discounts[0].amount = Money(cents: 800) }, "more off than the line's gross")
        #expect(refused { $0.lines[0].discounts[0].promotionId = nil }, "a promotion's discount without its promotion")
        #expect(refused { $0.lines[1].discounts[0].reason = nil }, "a discount given at the till without a reason")
        #expect(refused { $0.lines[1].discounts[0].amount = Money(cents: -5) }, "a negative discount")
        #expect(refused { $0.lines[1].discounts = [] }, "lines that no longer add up to the subtotal")
    }

    @Test func aLineWithoutDiscountsIsWrittenAsBefore() throws {
        let line = SaleLine(lineNo: 1, productId: 1, sku: "A", name: "A", unitPrice: Money(cents: 100), taxClass: .standard, quantity: 1)
        let text = String(decoding: try JSONEncoder().encode(line), as: UTF8.self)
        #expect(!text.contains("discounts") && !text.contains("category"))
        let old = #"{"lineNo":1,"productId":1,"sku":"A","name":"A","unitPriceCents":100,"taxClass":"standard","quantity":1}"#
        #expect(try JSONDecoder().decode(SaleLine.self, from: Data(old.utf8)) == line)
    }

    @Test func percentsAreReadOneWayEverywhere() {
        #expect(PercentText.micros("25") == 250_000)
        #expect(PercentText.micros("12,5") == 125_000 && PercentText.micros("12.5 %") == 125_000)
        #expect(PercentText.micros("100") == 1_000_000)
        for bad in ["0", "-5", "100.1", "abc", ""] { #expect(PercentText.micros(bad) == nil, "\(bad)") }
    }

    @Test func staffMayDiscountUpToTheStoresLimitManagersBeyond() {
        let policy = DiscountPolicy(staffLimitPercent: 10)
        #expect(!policy.needsApproval(role: .cashier, amount: Money(cents: 100), base: Money(cents: 1_000)))
        #expect(!policy.needsApproval(role: .cashier, amount: Money(cents: 66), base: Money(cents: 657)), "10 % of 6,57 $ rounds to 0,66 $")
        #expect(policy.needsApproval(role: .cashier, amount: Money(cents: 101), base: Money(cents: 1_000)))
        #expect(policy.needsApproval(role: .employee, amount: Money(cents: 101), base: Money(cents: 1_000)))
        #expect(!policy.needsApproval(role: .manager, amount: Money(cents: 1_000), base: Money(cents: 1_000)))
    }

    @Test func aPromotionRunsOnItsDaysHoursAndStores() throws {
        var breakfast = promotion(9, .percentOff, products: [1], percent: 200_000)
        breakfast.startDay = Day(iso: "2026-11-23")!   // a Monday
        breakfast.endDay = Day(iso: "2026-11-29")!
        breakfast.weekdays = [1, 2, 3, 4, 5]
        breakfast.fromMinute = 7 * 60
        breakfast.toMinute = 10 * 60
        breakfast.storeIds = [1]
        let thursday = Day(iso: "2026-11-26")!
        #expect(LocalMoment(day: thursday, minute: 0).weekday == 4)
        #expect(breakfast.runs(storeId: 1, at: LocalMoment(day: thursday, minute: 8 * 60)))
        #expect(!breakfast.runs(storeId: 1, at: LocalMoment(day: thursday, minute: 10 * 60)), "the hour it ends")
        #expect(!breakfast.runs(storeId: 2, at: LocalMoment(day: thursday, minute: 8 * 60)), "another store")
        #expect(!breakfast.runs(storeId: 1, at: LocalMoment(day: Day(iso: "2026-11-28")!, minute: 8 * 60)), "a Saturday")
        #expect(!breakfast.runs(storeId: 1, at: LocalMoment(day: Day(iso: "2026-11-30")!, minute: 8 * 60)), "after its last day")
        // 2026-11-26 13:30 UTC is 08:30 in Montréal (UTC−5).
        let moment = LocalMoment(epochMillis: 1_795_699_800_000, utcOffsetSeconds: -5 * 3_600)
        #expect(moment.day == thursday && moment.minute == 8 * 60 + 30)
        try breakfast.validate()
        breakfast.toMinute = 6 * 60
        #expect(throws: DomainError.self) { try breakfast.validate() }
        #expect(throws: DomainError.self) { try promotion(10, .multiBuy, products: [1], price: 500).validate() }
        #expect(throws: DomainError.self) { try promotion(11, .percentOff, percent: 10).validate() }
    }
}
