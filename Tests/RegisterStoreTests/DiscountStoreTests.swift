import CaisseAPI
import CaisseCore
import Foundation
@testable import RegisterStore
import Testing

/// Issue 16 in the till's database: central's promotions and limit are kept,
/// and a sale with a discount beyond the limit is refused without a manager.
@Suite struct DiscountStoreTests {
    func pay(_ r: TestRegister, _ cart: Cart, by cashierId: Int64) throws -> Sale {
        var payment = Payment(total: cart.totals(try r.store.identity().taxRule).total)
        try payment.payExactCash()
        return try r.store.recordSale(cart: cart, payment: payment, cashierId: cashierId)
    }

    @Test func beyondTheStoresLimitASaleNeedsAManagerOfThisStore() throws {
        let r = try TestRegister()
        let users = try r.store.users()
        let manager = try #require(users.first { $0.storeId == 1 && $0.role == .manager })
        let otherManager = try #require(users.first { $0.storeId != 1 && $0.role == .manager })
        let page = ChangeSet(registerId: "CV-1", storeId: 1, cursor: 1, hasMore: false, appliedThrough: 0, locations: [], taxRules: [],
                             products: [], users: [], restockRequests: [], stock: [], chainName: "", discountPolicy: DiscountPolicy(staffLimitPercent: 20))
        try r.store.applyChanges([page], pulledFrom: 0)
        #expect(try r.store.discountPolicy() == DiscountPolicy(staffLimitPercent: 20))

        var cart = Cart()
        try cart.add(try r.product("TIM-0001"))
        try cart.setDiscount(ManualDiscount(rule: .percent(micros: 200_000), reason: "loyalty"), lineNo: 1)
        #expect(try pay(r, cart, by: r.cashier.id).lines.first?.discounts.first?.amount == Money(cents: 60), "20 %: within the store's limit")

        try cart.setDiscount(ManualDiscount(rule: .percent(micros: 300_000), reason: "loyalty"), lineNo: 1)
        #expect(throws: DomainError.self) { try pay(r, cart, by: r.cashier.id) }
        try cart.setDiscount(ManualDiscount(rule: .percent(micros: 300_000), reason: "loyalty", approvedBy: otherManager.id), lineNo: 1)
        #expect(throws: StoreError.self) { try pay(r, cart, by: r.cashier.id) }
        try cart.setDiscount(ManualDiscount(rule: .percent(micros: 300_000), reason: "loyalty", approvedBy: manager.id), lineNo: 1)
        let sale = try pay(r, cart, by: r.cashier.id)
        #expect(sale.lines.first?.discounts.first?.approvedBy == manager.id)
        #expect(try r.store.sales(since: 0).count == 2, "the refused attempts wrote nothing")
    }

    /// Issue 28: the offline report's top sellers counted the list price, not what the customer paid.
    @Test func theOfflineReportsTopSellersAreNetOfDiscounts() throws {
        let r = try TestRegister()
        var cart = Cart()
        try cart.add(try r.product("TIM-0001"), quantity: 2)
        try cart.setDiscount(ManualDiscount(rule: .percent(micros: 100_000), reason: "loyalty"), lineNo: 1)
        let sale = try pay(r, cart, by: r.cashier.id)
        let today = Day(epochMillis: sale.createdAt, utcOffsetSeconds: 0)
        let rows = try r.store.localReportRows(from: today.adding(days: -1), to: today.adding(days: 1))
        #expect(rows.products.map(\.amount) == [sale.lines[0].total])
        #expect(sale.lines[0].total < sale.lines[0].gross)
        let report = SalesReport(documents: rows.documents, products: rows.products)
        #expect(report.topProducts.first?.revenue == report.total.net, "top sellers and the total share one base")
    }

    @Test func promotionsFromCentralAreKeptAndAParkedCartKeepsItsDiscounts() throws {
        let r = try TestRegister()
        let promotion = Promotion(id: 3, name: "Muffins", kind: .percentOff, percentMicros: 100_000, productIds: [5],
                                  startDay: Day(iso: "2000-01-01")!, endDay: Day(iso: "2100-12-31")!)   // allowed: test fixture
        let page = ChangeSet(registerId: "CV-1", storeId: 1, cursor: 1, hasMore: false, appliedThrough: 0, locations: [], taxRules: [],
                             products: [], users: [], restockRequests: [], stock: [], chainName: "", promotions: [promotion])
        try r.store.applyChanges([page], pulledFrom: 0)
        #expect(try r.store.promotions() == [promotion])
        var ended = promotion
        ended.active = false
        let next = ChangeSet(registerId: "CV-1", storeId: 1, cursor: 2, hasMore: false, appliedThrough: 0, locations: [], taxRules: [],
                             products: [], users: [], restockRequests: [], stock: [], chainName: "", promotions: [ended])
        try r.store.applyChanges([next], pulledFrom: 1)
        #expect(try r.store.promotions() == [ended], "a change replaces the promotion")

        var cart = Cart()
        try cart.add(try r.product("CAF-0001"), quantity: 2)
        try cart.setSaleDiscount(ManualDiscount(rule: .amount(Money(cents: 50)), reason: "goodwill"))
        try r.store.park(cart, cashierId: r.cashier.id, at: 1)
        #expect(try r.store.parkedCarts().first?.cart == cart)
    }
}
