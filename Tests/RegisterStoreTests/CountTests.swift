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
        try r.store.startCount(scope: .category("Boulangerie"), by: r.employee.id)
        #expect(throws: StoreError.self) { try r.store.startCount(scope: .store, by: r.employee.id) }
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

    /// Issue 28, item 7: "beignes" or "froides" name their category; "boissons" asks which one.
    @Test func aCategoryIsFoundByAWordsStartAndAnAmbiguousOneListsTheCandidates() throws {
        let r = try TestRegister()
        #expect(try r.store.categories().contains("Beignes et Timbits"))
        let ambiguous = #expect(throws: StoreError.self) { try r.store.startCount(scope: .category("boissons"), by: r.employee.id) }
        #expect(ambiguous?.reason == .whichCategory(["Boissons chaudes", "Boissons froides"]))
        let count = try r.store.startCount(scope: .category("beignes"), by: r.employee.id)
        #expect(count.scope == .category("Beignes et Timbits"))
        _ = try r.store.cancelCount()
        #expect(try r.store.startCount(scope: .category("froides"), by: r.employee.id).scope == .category("Boissons froides"))
    }

    @Test func aCategoryThatDoesNotExistIsRefusedAndAnEqualCountPostsNothing() throws {
        let r = try TestRegister()
        #expect(throws: StoreError.self) { try r.store.startCount(scope: .category("Nope"), by: r.employee.id) }
        #expect(throws: StoreError.self) { try r.store.startCount(scope: .store, by: r.cashier.id) }
        try r.store.startCount(scope: .store, by: r.employee.id)
        let timbits = try r.product("TIM-0001")
        try r.store.count(productId: timbits.id, units: try r.store.onHand(productId: timbits.id))
        #expect(try r.store.confirmCount(by: r.employee.id) == nil)
        #expect(try r.store.journal().isEmpty)
    }
}

/// What the till trial of issue 17 found: stock created or sent out of nothing, a shelf's
/// count, a category typed in another case, and what was not counted.
@Suite struct StockTrialTests {
    @Test func nothingLeavesBeyondWhatIsOnTheShelf() throws {
        let r = try TestRegister()
        let manager = try #require(try r.store.users().first { $0.storeId == 1 && $0.role == .manager })
        let muffin = try r.product("MUF-0001")
        let onHand = try r.store.onHand(productId: muffin.id)
        let journal = try r.store.journal().count
        #expect(throws: DomainError.self) {
            try r.store.recordAdjustment(reason: .waste, lines: [(muffin.id, -(onHand + 1))], note: nil, by: manager.id)
        }
        #expect(throws: DomainError.self) { try r.store.shipTransfer(to: 2, productId: muffin.id, quantity: onHand + 1, by: manager.id) }
        #expect(try r.store.onHand(productId: muffin.id) == onHand)
        #expect(try r.store.journal().count == journal, "refused: nothing changed")
        _ = try r.store.recordAdjustment(reason: .waste, lines: [(muffin.id, -onHand)], note: nil, by: manager.id)
        #expect(try r.store.onHand(productId: muffin.id) == 0)
    }

    @Test func aReceiptNeverCountsMoreThanWasShipped() throws {
        let r = try TestRegister()
        let shipped = StockTransfer(id: "t-1", fromStoreId: 2, toStoreId: 1, productId: 5, requested: 4, shipped: 4, state: .shipped,
                                    createdAt: 1, updatedAt: 1)
        try r.store.applyChanges([ChangeSet(registerId: "CV-1", storeId: 1, cursor: 1, hasMore: false, appliedThrough: 0, locations: [],
                                            taxRules: [], products: [], users: [], restockRequests: [], stock: [], chainName: "",
                                            transfers: [shipped])], pulledFrom: 0)
        let before = try r.store.onHand(productId: 5)
        let error = #expect(throws: DomainError.self) { try r.store.receiveTransfer("t-1", received: 4, damaged: 1, by: r.employee.id) }
        #expect(error?.detail == .arrivalBeyondShipped(shipped: 4), "a typed detail the till's screen says in its language")
        #expect(try r.store.onHand(productId: 5) == before)
        let received = try r.store.receiveTransfer("t-1", received: 3, damaged: 0, by: r.employee.id)
        #expect(received.short == 1)
        #expect(try r.store.onHand(productId: 5) == before + 3)
    }

    @Test func aShelfCountsWhatIsScannedAndACategoryMayZeroWhatWasNotCounted() throws {
        let r = try TestRegister()
        let manager = try #require(try r.store.users().first { $0.storeId == 1 && $0.role == .manager })
        // A shelf: any product, and the rest untouched, even when asked to zero.
        try r.store.startCount(scope: .shelf("A3"), by: r.employee.id)
        try r.store.count(productId: try r.product("CAF-0001").id, units: 2)
        try r.store.count(productId: try r.product("MUF-0001").id, units: 3)
        #expect(throws: StoreError.self) { try r.store.confirmCount(by: manager.id, zeroUncounted: true) }
        let shelf = try #require(try r.store.confirmCount(by: manager.id))
        #expect(shelf.lines.count <= 2)
        // A category typed in lower case is the catalog's; zeroing takes every uncounted product of it to 0.
        let count = try r.store.startCount(scope: .category("boulangerie"), by: r.employee.id)
        #expect(count.scope == .category("Boulangerie"))
        let muffin = try r.product("MUF-0001")
        try r.store.count(productId: muffin.id, units: 3)
        let uncounted = try r.store.uncounted(try #require(try r.store.currentCount()))
        #expect(!uncounted.isEmpty && uncounted.allSatisfy { $0.counted == 0 })
        _ = try r.store.confirmCount(by: manager.id, zeroUncounted: true)
        for line in uncounted { #expect(try r.store.onHand(productId: line.productId) == 0, "\(line.sku) zeroed") }
        #expect(try r.store.onHand(productId: muffin.id) == 3)
    }

    /// Issue 25: the scope was the string "all", "shelf:NAME" or a category's name, so a category
    /// named "all" counted the whole store (and zeroing took every product of the store to 0).
    @Test func aCategoryNamedAllIsACategory() throws {
        let r = try TestRegister()
        var muffin = try r.product("MUF-0001")
        muffin.category = "all"
        try r.store.applyChanges([ChangeSet(registerId: "CV-1", storeId: 1, cursor: 1, hasMore: false, appliedThrough: 0, locations: [],
                                            taxRules: [], products: [muffin], users: [], restockRequests: [], stock: [], chainName: "")],
                                 pulledFrom: 0)
        let count = try r.store.startCount(scope: .category("all"), by: r.employee.id)
        #expect(count.scope == .category("all"))
        #expect(try r.store.currentCount()?.scope == .category("all"), "kept as a category in the till's database")
        #expect(throws: StoreError.self) { try r.store.count(productId: try r.product("CAF-0001").id, units: 1) }
        let uncounted = try r.store.uncounted(try #require(try r.store.currentCount()))
        #expect(uncounted.map(\.productId) == [muffin.id], "only the category's product, not the store's \(uncounted.count)")
        #expect(CountScope(typed: "") == .store && CountScope(typed: "Étagère: A3") == .shelf("A3") && CountScope(typed: "all") == .category("all"))
        #expect(CountScope(stored: "all") == .store && CountScope(stored: "Boulangerie") == .category("Boulangerie"), "what older tills stored")
    }
}
