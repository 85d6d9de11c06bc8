import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import Testing
@testable import CentralStore

/// Issue 23: central refuses only what breaks the chain; every chain-valid event is kept,
/// what it disagrees with is quarantined for head office, and the till's later events go on
/// being applied. On SQLite and PostgreSQL alike.
@Suite("No till ever stops")
struct NoTillStopsTests {
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// A till sells before, during and after its clock fell back two days and to 1970:
    /// every sale reaches central, the skewed ones quarantined as `clock`; head office
    /// applies one with central's date and voids another, and the books follow.
    @Test(arguments: StoreKind.allCases)
    func aTillWhoseClockFellBackKeepsSyncing(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await central.enrol(till, storeId: 1)
        let onHand = try #require(try await central.onHand(1, 1))
        let now = Self.now()
        try till.sell([(1, 1)], at: now - 60_000)                 // before: the clock is right
        try till.sell([(1, 1)], at: now - 2 * 86_400_000)         // the clock fell back two days
        try till.sell([(1, 1)], at: 120_000)                      // a dead battery: 1970
        try till.sell([(1, 1)], at: now)                          // fixed again
        guard case .applied(4, 4, let found) = try await central.ingest(registerId: "CV-1", events: try till.events()) else {
            Issue.record("the till's push was refused")
            return
        }
        #expect(found == [.clock, .clock])
        #expect(try await central.onHand(1, 1) == onHand - 2, "the two honest sales are applied, the skewed ones are not")
        #expect(try await central.audit()["CV-1"] == nil, "the journal is whole")
        let open = try await central.exceptions(storeId: 1, includeResolved: false)
        #expect(open.allSatisfy { $0.quarantined == true && $0.kind == "clock" } && open.count == 2)
        let twoDaysBack = try #require(open.first { $0.sequence == 2 })
        let in1970 = try #require(open.first { $0.sequence == 3 })
        #expect(in1970.detail.contains("1970-01-01"), "\(in1970.detail)")

        // A decision is required, and only a clock is corrected.
        await #expect(throws: CentralError.self) { try await central.resolveException(id: in1970.id, by: "admin", note: "x", at: now) }
        // 1970 cannot be applied as the till dated it; corrected, it counts on the day central received it.
        await #expect(throws: CentralError.self) {
            try await central.resolveException(id: in1970.id, by: "admin", note: "as is", decision: .apply, at: now)
        }
        let corrected = try await central.resolveException(id: in1970.id, by: "admin", note: "dead battery", decision: .correct, at: now)
        #expect(corrected.decision == .correct && corrected.resolvedBy == "admin")
        #expect(try await central.onHand(1, 1) == onHand - 3)
        let voided = try await central.resolveException(id: twoDaysBack.id, by: "admin", note: "test sale", decision: .void, at: now)
        #expect(voided.decision == .void)
        #expect(try await central.onHand(1, 1) == onHand - 3)
        await #expect(throws: CentralError.self) {
            try await central.resolveException(id: twoDaysBack.id, by: "admin", note: "again", decision: .apply, at: now)
        }
        // The report counts three sales, the corrected one on central's day.
        let rows = try await central.reportRows(from: Day(number: 0), to: Day(number: 100_000)).documents
        #expect(rows.filter { $0.kind == .sale }.reduce(0) { $0 + $1.count } == 3)
        #expect(!rows.contains { $0.day.iso.hasPrefix("1970") })

        // The till sells on: its next push is applied.
        try till.sell([(1, 1)], at: now + 1_000)
        guard case .applied(5, 1, []) = try await central.ingest(registerId: "CV-1", events: try till.events()) else {
            Issue.record("the sale after the decisions was not applied")
            return
        }
    }

    /// Ids a till chooses (an adjustment's) collide with another store's register: both apply.
    @Test(arguments: StoreKind.allCases)
    func idsChosenByTillsNeverCollideAcrossRegisters(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let cv = try Till(registerId: "CV-1", storeId: 1), nord = try Till(registerId: "NORD-1", storeId: 2)
        try await central.enrol(cv, storeId: 1)
        try await central.enrol(nord, storeId: 2)
        func adjustment(_ till: Till, storeId: Int64) throws -> SyncEvent {
            let a = StockAdjustment(id: "same-id", storeId: storeId, registerId: till.registerId, createdAt: Self.now(), reason: .waste,
                                    note: nil, lines: [AdjustmentLine(productId: 3, sku: "x", name: "x", quantity: -1, unitPrice: Money(cents: 100))],
                                    by: till.employee.id, approvedBy: nil)
            return SyncEvent(registerId: till.registerId, sequence: 1, id: UUID().uuidString, type: .stockAdjustment, createdAt: a.createdAt,
                             payload: try WireJSON.string(a), previousHash: HashChain.genesis)
        }
        let before = (try await central.onHand(1, 3), try await central.onHand(2, 3))
        guard case .applied(1, 1, let a) = try await central.ingest(registerId: "CV-1", events: [try adjustment(cv, storeId: 1)]),
              case .applied(1, 1, let b) = try await central.ingest(registerId: "NORD-1", events: [try adjustment(nord, storeId: 2)]) else {
            Issue.record("a push was refused")
            return
        }
        #expect(a.isEmpty && b.isEmpty, "\(a) \(b)")
        #expect(try await central.onHand(1, 3) == before.0.map { $0 - 1 })
        #expect(try await central.onHand(2, 3) == before.1.map { $0 - 1 })
    }

    /// A push whose content makes the database fail is no 5xx: the event is quarantined
    /// (an adjustment naming one product twice breaks the loss ledger's key), and the
    /// till's next honest sale is applied.
    @Test(arguments: StoreKind.allCases)
    func anAdjustmentTheLossLedgerCannotHoldIsQuarantinedAndTheNextSaleApplies(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await central.enrol(till, storeId: 1)
        let line = AdjustmentLine(productId: 3, sku: "x", name: "x", quantity: -1, unitPrice: Money(cents: 100))
        let a = StockAdjustment(id: "twice", storeId: 1, registerId: "CV-1", createdAt: Self.now(), reason: .waste, note: nil,
                                lines: [line, line], by: till.employee.id, approvedBy: nil)
        let bad = SyncEvent(registerId: "CV-1", sequence: 1, id: UUID().uuidString, type: .stockAdjustment, createdAt: a.createdAt,
                            payload: try WireJSON.string(a), previousHash: HashChain.genesis)
        let stock = try await central.onHand(1, 3)
        let onHand = try await central.onHand(1, 1)
        // An honest sale after it, in the same batch.
        let sale = try till.sell([(1, 1)])
        let honest = SyncEvent(registerId: "CV-1", sequence: 2, id: UUID().uuidString, type: .sale, createdAt: sale.createdAt,
                               payload: try WireJSON.string(sale), previousHash: bad.hash)
        guard case .applied(2, 2, let found) = try await central.ingest(registerId: "CV-1", events: [bad, honest]) else {
            Issue.record("the push was refused")
            return
        }
        #expect(found.count == 1 && found[0].quarantines, "\(found)")
        #expect(try await central.onHand(1, 3) == stock)
        #expect(try await central.onHand(1, 1) == onHand.map { $0 - 1 })
        #expect(try await central.audit()["CV-1"] == nil)
    }

    /// An unknown product and a document id already recorded (by another register) are
    /// quarantined, never a refusal or a 5xx.
    @Test(arguments: StoreKind.allCases)
    func anUnknownProductAndATakenIdAreQuarantined(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let cv1 = try Till(registerId: "CV-1", storeId: 1), cv2 = try Till(registerId: "CV-2", storeId: 1)
        try await central.enrol(cv1, storeId: 1)
        try await central.enrol(cv2, storeId: 1)
        let sale = try cv1.sell([(1, 1)])
        _ = try await central.ingest(registerId: "CV-1", events: try cv1.events())
        // CV-2 sends a sale carrying CV-1's sale id.
        var copy = try cv2.sell([(2, 1)])
        copy.id = sale.id
        let stolen = SyncEvent(registerId: "CV-2", sequence: 1, id: UUID().uuidString, type: .sale, createdAt: copy.createdAt,
                               payload: try WireJSON.string(copy), previousHash: HashChain.genesis)
        var ghost = try cv2.sell([(2, 1)])
        ghost.lines[0].productId = 999_999
        let unknown = SyncEvent(registerId: "CV-2", sequence: 2, id: UUID().uuidString, type: .sale, createdAt: ghost.createdAt,
                                payload: try WireJSON.string(ghost), previousHash: stolen.hash)
        guard case .applied(2, 2, let found) = try await central.ingest(registerId: "CV-2", events: [stolen, unknown]) else {
            Issue.record("the push was refused")
            return
        }
        #expect(found == [.idTaken, .unknownReference])
    }
}
