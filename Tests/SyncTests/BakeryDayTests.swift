import CaisseAPI
import CaisseCore
import CentralStore
import Foundation
import Testing

/// Issue 17: a day of a bakery through the real central. Sales, waste at close,
/// a count with a sale during it; after sync central's stock is the opening
/// stock plus every movement, each till's on-hand equals central's, and the
/// report's waste and shrinkage are what was declared.
@Suite(.serialized) struct BakeryDayTests {
    @Test func salesWasteAndACountBalanceWithCentral() async throws {
        let central = try Central()
        try central.start()
        let cv = try await EnrolledTill.enroll(central: central, registerId: "CV-1", storeCode: "CV")
        let manager = try #require(try cv.store.users().first { $0.storeId == 1 && $0.role == .manager })
        let donut: Int64 = 3, muffin: Int64 = 5, bagel: Int64 = 4
        var opening: [Int64: Int] = [:]
        for id in [donut, muffin, bagel] {
            let onHand = try await central.onHand(store: 1, product: id)
            opening[id] = onHand ?? 0
        }

        try cv.sell([(donut, 5), (muffin, 2)])
        try cv.sell([(bagel, 1), (donut, 1)])
        // The count of the bakery: muffins counted, then one sells, then bagels counted.
        try cv.store.startCount(scope: "Boulangerie", by: manager.id)
        try cv.store.count(productId: muffin, units: 10)
        try cv.sell([(muffin, 1)])
        try cv.store.count(productId: bagel, units: opening[bagel]! - 1)   // the shelf matches the books
        let counted = try #require(try cv.store.confirmCount(by: manager.id))
        #expect(counted.lines.map(\.productId) == [muffin])
        let muffinDifference = 10 - (opening[muffin]! - 2)
        #expect(counted.lines.first?.quantity == muffinDifference)
        // Waste at close: every donut left.
        let left = try #require(try cv.store.unsoldFresh().first { $0.productId == donut })
        _ = try cv.store.recordAdjustment(reason: .waste, lines: [(donut, -left.units)], note: "invendus du jour", by: manager.id)
        let outcome = await cv.engine.syncOnce()
        #expect(try cv.store.pendingCount() == 0, "\(outcome)")
        _ = await cv.engine.syncOnce()

        let expected: [Int64: Int] = [donut: 0, muffin: 10 - 1, bagel: opening[bagel]! - 1]
        for (id, quantity) in expected {
            #expect(try await central.onHand(store: 1, product: id) == quantity, "product \(id) at central")
            #expect(try cv.store.onHand(productId: id) == quantity, "product \(id) at the till")
        }
        let today = Day(epochMillis: Int64(Date().timeIntervalSince1970 * 1000), utcOffsetSeconds: -5 * 3_600)
        let rows = try await SQLiteCentralStore(path: central.database).adjustmentRows(from: today.adding(days: -1), to: today.adding(days: 1))
        let losses = StockLossSummary(rows: rows)
        let donutPrice = try #require(try cv.store.product(id: donut)).price
        let muffinPrice = try #require(try cv.store.product(id: muffin)).price
        #expect(losses.waste.units == left.units && losses.waste.value == donutPrice * left.units)
        #expect(losses.shrinkage.units == -muffinDifference && losses.shrinkage.value == muffinPrice * -muffinDifference)
    }
}
