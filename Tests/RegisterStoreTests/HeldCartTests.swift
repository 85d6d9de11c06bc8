import CaisseAPI
import CaisseCore
import Foundation
@testable import RegisterStore
import Testing

/// Issue 15: carts kept across a restart, parked sales, search ranked by what
/// sells, today's sales and quick keys, on a real database file.
@Suite struct HeldCartTests {
    @Test func theCartOnScreenSurvivesReopeningTheFileAndASaleForgetsIt() throws {
        let r = try TestRegister()
        var cart = Cart()
        try cart.add(try r.product("CAF-0001"), quantity: 2)
        try cart.add(try r.product("BEI-0001"))
        try r.store.saveCurrentCart(cart, cashierId: r.cashier.id, at: 1_000)
        let reopened = try RegisterStore(path: r.path)   // the till restarted
        #expect(try reopened.currentCart()?.cart == cart)
        var payment = Payment(total: cart.totals(try reopened.identity().taxRule).total)
        try payment.payExactCash()
        _ = try reopened.recordSale(cart: cart, payment: payment, cashierId: r.cashier.id)
        #expect(try reopened.currentCart() == nil, "the sale and the end of its draft are one transaction")
    }

    @Test func aParkedSaleIsRecalledOnceAndBecomesTheCartOnScreen() throws {
        let r = try TestRegister()
        var first = Cart()
        try first.add(try r.product("TIM-0001"))
        var second = Cart()
        try second.add(try r.product("MUF-0001"), quantity: 4)
        try r.store.saveCurrentCart(first, cashierId: r.cashier.id, at: 1)
        #expect(try r.store.park(first, cashierId: r.cashier.id, at: 2) == 1)
        #expect(try r.store.currentCart() == nil, "parking empties the screen")
        #expect(try r.store.park(second, cashierId: r.cashier.id, at: 3) == 2)
        let parked = try r.store.parkedCarts()
        #expect(parked.map(\.cart) == [first, second])
        let back = try r.store.recall(parkedId: parked[1].id, cashierId: r.cashier.id, at: 4)
        #expect(back == second)
        #expect(try r.store.currentCart()?.cart == second)
        #expect(try r.store.parkedCarts().map(\.cart) == [first])
        #expect(throws: StoreError.self) { try r.store.recall(parkedId: parked[1].id, cashierId: r.cashier.id, at: 5) }
        #expect(throws: StoreError.self) { try r.store.park(Cart(), cashierId: r.cashier.id, at: 6) }
    }

    @Test func searchRanksWhatThisTillSellsMostFirstAndSaysHowManyMatch() throws {
        let r = try TestRegister()
        let before = try r.store.searchPage("cafe", limit: 3)
        #expect(before.total > 3)
        let popular = try #require(try r.store.searchPage("cafe", limit: 50).products.last)
        try r.sell([(popular.sku, 5)])
        let after = try r.store.searchPage("cafe", limit: 3)
        #expect(after.products.first?.id == popular.id, "five sold: first, whatever its name")
        #expect(after.total == before.total)
        let second = try r.store.searchPage("cafe", offset: 3, limit: 3)
        #expect(second.offset == 3)
        #expect(Set(second.products.map(\.id)).isDisjoint(with: after.products.map(\.id)), "pages do not overlap")
        #expect(try r.store.searchPage(popular.barcode).total == 1)
    }

    @Test func todaysSalesAreNewestFirstWithWhatWasReturned() throws {
        let r = try TestRegister()
        let a = try r.sell([("TIM-0001", 2)])
        let b = try r.sell([("CAF-0001", 1), ("BEI-0001", 3)])
        _ = try r.store.recordReturn(receiptNumber: a.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                     refundKind: .cash, cashierId: r.cashier.id)
        let list = try r.store.sales(since: 0)
        #expect(list.map(\.receiptNumber) == [b.receiptNumber, a.receiptNumber])
        #expect(list.map(\.itemCount) == [4, 2])
        #expect(list.map(\.returnedCount) == [0, 1])
        #expect(list.first?.total == b.total)
        #expect(try r.store.sales(since: b.createdAt + 1).isEmpty)
    }

    @Test func quickKeysFromCentralLeaveOutProductsNoLongerSold() throws {
        let r = try TestRegister()
        let ids = try ["CAF-0001", "BEI-0001", "MUF-0001"].map { try r.product($0).id }
        var page = ChangeSet(registerId: "CV-1", storeId: 1, cursor: 1, hasMore: false, appliedThrough: 0, locations: [], taxRules: [],
                             products: [], users: [], restockRequests: [], stock: [], chainName: "", quickKeys: ids)
        try r.store.applyChanges([page], pulledFrom: 0)
        #expect(try r.store.quickKeys().map(\.id) == ids)
        var retired = try r.product("BEI-0001")
        retired.active = false
        page = ChangeSet(registerId: "CV-1", storeId: 1, cursor: 2, hasMore: false, appliedThrough: 0, locations: [], taxRules: [],
                         products: [retired], users: [], restockRequests: [], stock: [], chainName: "")
        try r.store.applyChanges([page], pulledFrom: 1)
        #expect(try r.store.quickKeys().map(\.sku) == ["CAF-0001", "MUF-0001"], "a page without quick keys keeps them")
    }

    /// Issue 17: the close's waste sheet lists the fresh products still on the shelf, and declaring them moves the stock.
    @Test func unsoldFreshProductsAreWhatTheCloseThrowsAway() throws {
        let r = try TestRegister()
        let fresh = try r.store.unsoldFresh()
        #expect(!fresh.isEmpty)
        #expect(fresh.allSatisfy { $0.onHand > 0 && $0.units == 0 })
        #expect(Set(fresh.map(\.productId)).isSuperset(of: [3]), "the honey donut is baked every day")
        #expect(!fresh.contains { $0.productId == 2 }, "filter coffee is not")
        let donut = try #require(fresh.first { $0.productId == 3 })
        let manager = try #require(try r.store.users().first { $0.storeId == 1 && $0.role == .manager })
        _ = try r.store.recordAdjustment(reason: .waste, lines: [(3, -donut.onHand)], note: nil, by: manager.id)
        #expect(try r.store.onHand(productId: 3) == 0)
        #expect(try !r.store.unsoldFresh().contains { $0.productId == 3 })
    }
}
