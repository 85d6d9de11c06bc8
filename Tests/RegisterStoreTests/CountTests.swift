import CaisseAPI
import CaisseCore
import Foundation
@testable import RegisterStore
import Testing

/// Issue 17: a count on a real till database, with sales going on.
@Suite struct CountTests {
    @Test func aDifferenceIsTakenAgainstTheBookWhenTheProductWasCounted() throws {
        let r = try TestRegister()
        let manager = try #require(try r.store.users().first { $0.storeId == 1 && $0.role == .manager })
        let muffin = try r.product("MUF-0001"), bagel = try r.product("BAG-0001")
        let muffinsBefore = try r.store.onHand(productId: muffin.id)
        try r.store.startCount(scope: "Boulangerie", by: r.employee.id)
        #expect(throws: StoreError.self) { try r.store.startCount(scope: "all", by: r.employee.id) }
        try r.store.count(productId: muffin.id, units: 10)
        try r.sell([("MUF-0001", 2)])   // sold after the muffins were counted: not a difference
        try r.store.count(productId: muffin.id, units: 1)
        try r.store.count(productId: bagel.id, units: 4)
        #expect(throws: StoreError.self) { try r.store.count(productId: try r.product("CAF-0001").id, units: 1) }
        #expect(throws: StoreError.self) { try r.store.count(productId: muffin.id, units: 0) }
        let count = try #require(try r.store.currentCount())
        let line = try #require(count.lines.first { $0.productId == muffin.id })
        #expect(line.book == muffinsBefore && line.counted == 11 && line.difference == 11 - muffinsBefore)

        let reopened = try RegisterStore(path: r.path)   // a count survives a restart
        #expect(try reopened.currentCount() == count)
        let adjustment = try #require(try reopened.confirmCount(by: manager.id))
        #expect(adjustment.reason == .correction)
        #expect(Set(adjustment.lines.map(\.productId)) == Set(count.differences.map(\.productId)))
        #expect(try reopened.onHand(productId: muffin.id) == 11 - 2, "counted less what sold after the count")
        #expect(try reopened.currentCount() == nil)
        #expect(try reopened.journal().last?.type == .stockAdjustment)
    }

    @Test func aCategoryThatDoesNotExistIsRefusedAndAnEqualCountPostsNothing() throws {
        let r = try TestRegister()
        #expect(throws: StoreError.self) { try r.store.startCount(scope: "Nope", by: r.employee.id) }
        #expect(throws: StoreError.self) { try r.store.startCount(scope: "all", by: r.cashier.id) }
        try r.store.startCount(scope: "all", by: r.employee.id)
        let timbits = try r.product("TIM-0001")
        try r.store.count(productId: timbits.id, units: try r.store.onHand(productId: timbits.id))
        #expect(try r.store.confirmCount(by: r.employee.id) == nil)
        #expect(try r.store.journal().isEmpty)
    }
}
