import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import Testing
@testable import CentralStore

/// Issue 17's transfers at central, on SQLite and PostgreSQL: a request journaled by
/// one store reaches the other with the change feed, the shipment moves the sender's
/// stock, the receipt the receiver's; what arrived short or damaged is a loss of the
/// receiving store, at retail and at cost. What an honest till can produce is recorded
/// and flagged, never refused; what none can is refused and changes nothing.
@Suite("Transfers at central", .postgresDatabases)
struct TransferContractTests {
    /// Pulls what changed for the till's store since `cursor`; returns the next cursor.
    @discardableResult
    func pull(_ store: any CentralStore, _ till: Till, since cursor: Int64) async throws -> Int64 {
        let page = try await store.changes(registerId: till.registerId, since: cursor, limit: 10_000)
        #expect(try till.store.applyChanges([page], pulledFrom: cursor))
        return page.cursor
    }

    func push(_ store: any CentralStore, _ till: Till, extra: [SyncEvent] = []) async throws -> [ExceptionKind] {
        guard case .applied(_, _, let exceptions) = try await store.ingest(registerId: till.registerId, events: try till.events() + extra) else {
            Issue.record("not applied"); return []
        }
        return exceptions
    }

    /// Events the till's code would never write, chained after its journal (or after `previous`).
    func raw(_ till: Till, after previous: [SyncEvent] = [], _ type: EventType, _ payload: some Encodable) throws -> SyncEvent {
        let last = (try till.events() + previous).last
        return SyncEvent(registerId: till.registerId, sequence: (last?.sequence ?? 0) + 1, id: UUID().uuidString, type: type,
                         createdAt: Int64(Date().timeIntervalSince1970 * 1000), payload: try WireJSON.string(payload),
                         previousHash: last?.hash ?? HashChain.genesis)
    }

    @Test(arguments: StoreKind.allCases)
    func aTransferMovesBothStoresAndReportsWhatArrivedShortOrDamaged(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let cv = try Till(registerId: "CV-1", storeId: 1), nord = try Till(registerId: "NORD-1", storeId: 2)
        try await store.enrol(cv, storeId: 1)
        try await store.enrol(nord, storeId: 2)
        // A cost in the catalog: losses are valued at it too.
        let mug = try #require(try await store.product(id: 11))
        _ = try await store.updateProduct(id: 11, ProductInput(sku: mug.sku, barcode: mug.barcode, name: mug.name, category: mug.category,
                                                                 priceCents: mug.price.cents, taxClass: mug.taxClass, reorderPoint: mug.reorderPoint,
                                                                 overstockThreshold: mug.overstockThreshold, costCents: 450))
        #expect(try await store.product(id: 11)?.cost == Money(cents: 450))
        let cvBefore = try await store.onHand(1, 11) ?? 0, nordBefore = try await store.onHand(2, 11) ?? 0

        let request = try cv.store.requestTransfer(from: 2, productId: 11, quantity: 5, note: "vitrine", by: cv.employee.id)
        #expect(try await push(store, cv) == [])
        var nordCursor = try await pull(store, nord, since: 0)
        #expect(try nord.store.transfers().map(\.canShip) == [true])
        try nord.store.shipTransfer(request.id, quantity: 5, by: nord.employee.id)
        #expect(try await push(store, nord) == [])
        #expect(try await store.onHand(2, 11) == nordBefore - 5)
        #expect(try await store.transfers(TransferQuery(state: .shipped)).map(\.inTransit) == [5])
        try await pull(store, cv, since: 0)
        #expect(try cv.store.unitsInTransit().incoming == [11: 5])

        try cv.store.receiveTransfer(request.id, received: 3, damaged: 1, by: cv.employee.id)
        #expect(try await push(store, cv) == [])
        #expect(try await store.onHand(1, 11) == cvBefore + 3)
        #expect(try await store.onHand(1, 11) == (try cv.store.onHand(productId: 11)))
        let done = try #require(try await store.transfers(TransferQuery(storeId: 1)).first)
        #expect(done.state == .received && done.received == 3 && done.damaged == 1 && done.short == 1 && done.inTransit == 0)
        let today = Day(epochMillis: Int64(Date().timeIntervalSince1970 * 1000), utcOffsetSeconds: -5 * 3_600)
        let losses = StockLossSummary(rows: try await store.adjustmentRows(from: today.adding(days: -1), to: today.adding(days: 1)))
        #expect(losses.shrinkage.units == 2 && losses.shrinkage.value == mug.price * 2 && losses.shrinkage.cost == Money(cents: 900))
        #expect(losses.byStore.map(\.key) == ["1"], "the receiving store's loss")
        #expect(Set(losses.byReason.map(\.key)) == ["transit_damaged", "transit_short"])
        nordCursor = try await pull(store, nord, since: nordCursor)
        #expect(try nord.store.transfers().first?.transfer.state == .received)
    }

    @Test(arguments: StoreKind.allCases)
    func receiptsCentralCannotCountAreFlaggedNeverRefused(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let cv = try Till(registerId: "CV-1", storeId: 1), nord = try Till(registerId: "NORD-1", storeId: 2)
        try await store.enrol(cv, storeId: 1)
        try await store.enrol(nord, storeId: 2)
        // NORD sends without a request; CV receives it twice (a restored backup replays the receipt).
        let sent = try nord.store.shipTransfer(to: 1, productId: 3, quantity: 4, by: nord.employee.id)
        _ = try await push(store, nord)
        try await pull(store, cv, since: 0)
        let before = try await store.onHand(1, 3) ?? 0
        try cv.store.receiveTransfer(sent.id, received: 4, by: cv.employee.id)
        #expect(try await push(store, cv) == [])
        let replay = try raw(cv, .transferReceipt, TransferReceiptPayload(transferId: sent.id, toStoreId: 1, productId: 3, received: 4, damaged: 0,
                                                                          receivedBy: cv.employee.id))
        let unknown = try raw(cv, after: [replay], .transferReceipt, TransferReceiptPayload(transferId: "nowhere", toStoreId: 1, productId: 3,
                                                                                            received: 2, damaged: 0, receivedBy: cv.employee.id))
        #expect(try await push(store, cv, extra: [replay, unknown]) == [.transferAlreadyReceived, .transferUnknown])
        #expect(try await store.onHand(1, 3) == before + 4, "counted once")
    }

    /// No till counts more arriving than central knows was shipped (it checks the same rule against
    /// what it pulled, never more): such a receipt is refused and changes nothing.
    @Test(arguments: StoreKind.allCases)
    func aReceiptOfMoreThanWasShippedIsQuarantined(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let cv = try Till(registerId: "CV-1", storeId: 1), nord = try Till(registerId: "NORD-1", storeId: 2)
        try await store.enrol(cv, storeId: 1)
        try await store.enrol(nord, storeId: 2)
        let sent = try nord.store.shipTransfer(to: 1, productId: 3, quantity: 4, by: nord.employee.id)
        _ = try await push(store, nord)
        let before = try await store.onHand(1, 3)
        let tooMany = try raw(cv, .transferReceipt, TransferReceiptPayload(transferId: sent.id, toStoreId: 1, productId: 3, received: 4, damaged: 1,
                                                                            receivedBy: cv.employee.id))
        guard case .applied(_, 1, [.invalidDocument]) = try await store.ingest(registerId: "CV-1", events: [tooMany]) else {
            Issue.record("the receipt was not quarantined"); return
        }
        #expect(try await store.onHand(1, 3) == before)
        #expect(try await store.transfers(TransferQuery(storeId: 1)).first?.state == .shipped)
    }

    @Test(arguments: StoreKind.allCases)
    func whatNoHonestTillWritesIsQuarantinedAndChangesNothing(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let cv = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(cv, storeId: 1)
        let before = try await store.onHand(1, 3)
        var sent: [SyncEvent] = []
        for payload in [
            TransferShipmentPayload(transferId: "t1", fromStoreId: 1, toStoreId: 1, productId: 3, quantity: 2, note: nil, shippedBy: cv.employee.id),
            TransferShipmentPayload(transferId: "t2", fromStoreId: 1, toStoreId: 2, productId: 3, quantity: -2, note: nil, shippedBy: cv.employee.id),
            TransferShipmentPayload(transferId: "t3", fromStoreId: 1, toStoreId: 99, productId: 3, quantity: 2, note: nil, shippedBy: cv.employee.id),
            TransferShipmentPayload(transferId: "t4", fromStoreId: 2, toStoreId: 1, productId: 3, quantity: 2, note: nil, shippedBy: cv.employee.id),
        ] {
            let event = try raw(cv, after: sent, .transferShipment, payload)
            sent.append(event)
            guard case .applied(_, 1, let found) = try await store.ingest(registerId: "CV-1", events: [event]) else {
                Issue.record("refused"); continue
            }
            #expect(found.count == 1 && found.allSatisfy(\.quarantines), "\(found)")
        }
        #expect(try await store.onHand(1, 3) == before)
        #expect(try await store.transfers(TransferQuery()).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func headOfficeRequestsCancelsAndAdjustsTheWarehouse(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let t = try await store.createTransfer(id: "ho-1", from: 2, to: 1, productId: 3, quantity: 7, note: nil, at: 1_790_000_000_000)
        #expect(t.state == .requested)
        await #expect(throws: CentralError.self) {
            try await store.createTransfer(id: "ho-2", from: 1, to: 1, productId: 3, quantity: 7, note: nil, at: 1_790_000_000_000)
        }
        await #expect(throws: CentralError.self) {
            try await store.createTransfer(id: "ho-3", from: 2, to: 1, productId: 3, quantity: 0, note: nil, at: 1_790_000_000_000)
        }
        #expect(try await store.cancelTransfer(id: "ho-1", at: 1_790_000_000_001).state == .cancelled)
        await #expect(throws: CentralError.self) { try await store.cancelTransfer(id: "ho-1", at: 1_790_000_000_002) }
        #expect(try await store.transfers(TransferQuery()).map(\.id) == ["ho-1"])

        let warehouse = try #require(try await store.locations().first { $0.kind == .warehouse }).id
        let before = try await store.onHand(warehouse, 2) ?? 0
        let admin = try #require(try await store.users(storeId: nil).first { $0.role == .admin })
        _ = try await store.adjustWarehouse(WarehouseAdjustmentRequest(reason: .breakage, lines: [.init(productId: 2, quantity: -3)],
                                                                       note: "palette", by: admin.id), at: Int64(Date().timeIntervalSince1970 * 1000))
        #expect(try await store.onHand(warehouse, 2) == before - 3)
        await #expect(throws: CentralError.self) {
            try await store.adjustWarehouse(WarehouseAdjustmentRequest(reason: .breakage, lines: [.init(productId: 2, quantity: 3)], note: nil, by: admin.id),
                                            at: 1_790_000_000_000)
        }
        await #expect(throws: CentralError.self, "nothing leaves the warehouse beyond its on-hand") {
            try await store.adjustWarehouse(WarehouseAdjustmentRequest(reason: .waste, lines: [.init(productId: 2, quantity: -(before - 2))], note: nil,
                                                                       by: admin.id), at: 1_790_000_000_000)
        }
        #expect(try await store.onHand(warehouse, 2) == before - 3, "a refused adjustment changes nothing")
        let today = Day(epochMillis: Int64(Date().timeIntervalSince1970 * 1000), utcOffsetSeconds: -5 * 3_600)
        let losses = StockLossSummary(rows: try await store.adjustmentRows(from: today.adding(days: -1), to: today.adding(days: 1)))
        #expect(losses.byStore.map(\.key) == [String(warehouse)] && losses.shrinkage.units == 3)
    }
}
