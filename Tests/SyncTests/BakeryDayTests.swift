import CaisseAPI
import CaisseCore
import CentralStore
import Foundation
import Testing

/// Issue 17: a day of a bakery through the real central. Sales, waste at close,
/// a count with a sale during it, a transfer from another store received one unit
/// short; after sync central's stock is the opening stock plus every movement,
/// each till's on-hand equals central's, and the report's waste and shrinkage
/// are what was declared (the unit short included).
@Suite(.serialized) struct BakeryDayTests {
    @Test func salesWasteAndACountBalanceWithCentral() async throws {
        let central = try Central()
        try central.start()
        let cv = try await EnrolledTill.enroll(central: central, registerId: "CV-1", storeCode: "CV")
        let nord = try await EnrolledTill.enroll(central: central, registerId: "NORD-1", storeCode: "NORD")
        let manager = try #require(try cv.store.users().first { $0.storeId == 1 && $0.role == .manager })
        let nordEmployee = try #require(try nord.store.users().first { $0.storeId == 2 && $0.role == .employee })
        let donut: Int64 = 3, muffin: Int64 = 5, bagel: Int64 = 4, croissant: Int64 = 1
        var opening: [Int64: Int] = [:]
        for id in [donut, muffin, bagel, croissant] {
            let onHand = try await central.onHand(store: 1, product: id)
            opening[id] = onHand ?? 0
        }
        let nordCroissants = try #require(try await central.onHand(store: 2, product: croissant))

        // The morning: CV asks NORD for 6 croissants; NORD ships them; they are in transit at both ends and at central.
        let request = try cv.store.requestTransfer(from: 2, productId: croissant, quantity: 6, note: "fournée ratée", by: manager.id)
        _ = await cv.engine.syncOnce()
        _ = await nord.engine.syncOnce()
        let asked = try #require(try nord.store.transfers().first { $0.transfer.id == request.id })
        #expect(asked.canShip && asked.otherStore == "CV")
        try nord.store.shipTransfer(request.id, quantity: 6, by: nordEmployee.id)
        #expect(try nord.store.onHand(productId: croissant) == nordCroissants - 6)
        _ = await nord.engine.syncOnce()
        _ = await cv.engine.syncOnce()
        #expect(try cv.store.unitsInTransit().incoming[croissant] == 6)
        #expect(try nord.store.unitsInTransit().outgoing[croissant] == 6)
        let atCentral = try await SQLiteCentralStore(path: central.database).transfers(.init(state: .shipped))
        #expect(atCentral.map(\.inTransit) == [6])
        // Five arrive: four good, one crushed; the sixth never does.
        let received = try cv.store.receiveTransfer(request.id, received: 4, damaged: 1, by: manager.id)
        #expect(received.short == 1)

        try cv.sell([(donut, 5), (muffin, 2)])
        try cv.sell([(bagel, 1), (donut, 1)])
        // The count of the bakery: muffins counted, then one sells, then bagels counted.
        try cv.store.startCount(scope: .category("Boulangerie"), by: manager.id)
        try cv.store.count(productId: muffin, units: 10)
        try cv.sell([(muffin, 1)])
        try cv.store.count(productId: bagel, units: opening[bagel]! - 1)   // the shelf matches the books
        let counted = try #require(try cv.store.confirmCount(by: manager.id))
        #expect(counted.lines.map(\.productId) == [muffin])
        let muffinDifference = 10 - (opening[muffin]! - 2)
        #expect(counted.lines.first?.quantity == muffinDifference)
        // Waste at close: every donut left.
        let left = try #require(try cv.store.unsoldFresh().first { $0.productId == donut })
        _ = try cv.store.recordAdjustment(reason: .waste, lines: [(donut, -left.onHand)], note: "invendus du jour", by: manager.id)
        let outcome = await cv.engine.syncOnce()
        #expect(try cv.store.pendingCount() == 0, "\(outcome)")
        _ = await cv.engine.syncOnce()

        _ = await nord.engine.syncOnce()

        let expected: [Int64: Int] = [donut: 0, muffin: 10 - 1, bagel: opening[bagel]! - 1, croissant: opening[croissant]! + 4]
        for (id, quantity) in expected {
            #expect(try await central.onHand(store: 1, product: id) == quantity, "product \(id) at central")
            #expect(try cv.store.onHand(productId: id) == quantity, "product \(id) at the till")
        }
        #expect(try await central.onHand(store: 2, product: croissant) == nordCroissants - 6)
        #expect(try nord.store.onHand(productId: croissant) == nordCroissants - 6)
        let done = try await SQLiteCentralStore(path: central.database).transfers(.init(storeId: 2))
        #expect(done.map(\.state) == [.received] && done.first?.short == 1 && done.first?.damaged == 1)
        #expect(try nord.store.transfers().first?.transfer.state == .received, "NORD's till learns the receipt with its pull")
        let today = Day(epochMillis: Int64(Date().timeIntervalSince1970 * 1000), utcOffsetSeconds: -5 * 3_600)
        let rows = try await SQLiteCentralStore(path: central.database).adjustmentRows(from: today.adding(days: -1), to: today.adding(days: 1))
        let losses = StockLossSummary(rows: rows)
        let donutPrice = try #require(try cv.store.product(id: donut)).price
        let muffinPrice = try #require(try cv.store.product(id: muffin)).price
        let croissantPrice = try #require(try cv.store.product(id: croissant)).price
        #expect(losses.waste.units == left.onHand && losses.waste.value == donutPrice * left.onHand)
        #expect(losses.shrinkage.units == -muffinDifference + 2)
        #expect(losses.shrinkage.value == muffinPrice * -muffinDifference + croissantPrice * 2)
        #expect(Set(losses.byReason.map(\.key)) == ["waste", "correction", "transit_damaged", "transit_short"])
    }

    /// Bad input is refused with a clear message and changes nothing: a transfer to the
    /// same store, a negative or zero quantity, a receipt with negative units.
    @Test func badTransfersAreRefusedAndChangeNothing() async throws {
        let central = try Central()
        try central.start()
        let cv = try await EnrolledTill.enroll(central: central, registerId: "CV-1", storeCode: "CV")
        let manager = try #require(try cv.store.users().first { $0.storeId == 1 && $0.role == .manager })
        let before = try cv.store.pendingCount()
        #expect(throws: DomainError.self) { try cv.store.shipTransfer(to: 1, productId: 1, quantity: 2, by: manager.id) }
        #expect(throws: DomainError.self) { try cv.store.requestTransfer(from: 2, productId: 1, quantity: -3, by: manager.id) }
        #expect(throws: DomainError.self) { try cv.store.requestTransfer(from: 2, productId: 1, quantity: 0, by: manager.id) }
        #expect(throws: (any Error).self) { try cv.store.requestTransfer(from: 99, productId: 1, quantity: 1, by: manager.id) }
        let sent = try cv.store.shipTransfer(to: 2, productId: 1, quantity: 2, by: manager.id)
        #expect(throws: (any Error).self) { try cv.store.receiveTransfer(sent.id, received: 2, by: manager.id) }   // CV sent it: NORD receives
        #expect(try cv.store.pendingCount() == before + 1)
        #expect(try cv.store.transfers().count == 1)
    }
}
