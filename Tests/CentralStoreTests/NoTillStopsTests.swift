import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import GRDB
import Testing
@testable import CentralStore
@testable import PostgresCentralStore

/// Issue 23: central refuses only what breaks the chain; every chain-valid event is kept,
/// what it disagrees with is quarantined for head office, and the till's later events go on
/// being applied. On SQLite and PostgreSQL alike.
@Suite("No till ever stops", .postgresDatabases)
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
        // Both times are kept: the till's, as printed, and central's receipt of it.
        if let sqlite = central as? SQLiteCentralStore {
            let times = try sqlite.writer.read { db in
                try Row.fetchOne(db, sql: "SELECT created_at, received_at FROM event WHERE register_id = 'CV-1' AND sequence = 3")
            }
            #expect(times?["created_at"] == Int64(120_000))
            #expect((times?["received_at"] as Int64?).map { $0 >= now } == true)
        }

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

/// Issue 23, central's half of a restore on both dialects: a real copy of central taken
/// mid-day (SQLite's online backup; PostgreSQL's `CREATE DATABASE … TEMPLATE`), restored;
/// the till's cursor is ahead of it and its journal longer. The pull answers a reset with
/// central's mark instead of a refusal, and the events from the mark apply: central ends
/// where the original was.
@Suite("Restore at central", .postgresDatabases)
struct RestoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func aRestoredCentralTellsTheTillWhereToResumeAndTakesEverythingBack(kind: StoreKind) async throws {
        let (live, backup) = try await Self.liveAndBackup(kind) { central in
            let till = try Till(registerId: "CV-1", storeId: 1)
            try await central.enrol(till, storeId: 1)
            for _ in 0..<3 { try till.sell([(1, 1)]) }
            _ = try await central.ingest(registerId: "CV-1", events: try till.events())
            return till
        }
        let (central, till) = live
        for _ in 0..<4 { try till.sell([(1, 2)]) }
        _ = try await central.ingest(registerId: "CV-1", events: try till.events())
        let cursor = try await central.changes(registerId: "CV-1", since: 0, limit: 10_000).cursor
        let expected = (try await central.onHand(1, 1), try await central.reportRows(from: Day(number: 0), to: Day(number: 100_000)).documents)

        let restored = try await backup()
        let page = try await restored.changes(registerId: "CV-1", since: cursor, limit: 10_000)
        #expect(page.reset == true && page.appliedThrough == 3)
        let missing = try till.events().filter { $0.sequence > page.appliedThrough }
        #expect(try await restored.ingest(registerId: "CV-1", events: missing) == .applied(through: 7, newEvents: 4))
        #expect(try await restored.onHand(1, 1) == expected.0)
        #expect(try await restored.reportRows(from: Day(number: 0), to: Day(number: 100_000)).documents == expected.1)
        #expect(try await restored.audit().isEmpty)
        #expect(try await restored.changes(registerId: "CV-1", since: 0, limit: 10_000).reset == nil)
    }

    /// A live central after `setUp`, and a function that gives a central restored from a
    /// copy taken right after `setUp`.
    static func liveAndBackup<T>(_ kind: StoreKind, setUp: (any CentralStore) async throws -> T) async throws
        -> (live: (any CentralStore, T), backup: () async throws -> any CentralStore) {
        switch kind {
        case .sqlite:
            let path = try temporaryFolder().appendingPathComponent("central.sqlite").path
            let store = try SQLiteCentralStore(path: path)
            try await store.migrate()
            try await store.seed(try demoSeed())
            let value = try await setUp(store)
            let copy = try temporaryFolder().appendingPathComponent("backup.sqlite").path
            try await store.backup(to: copy)
            return ((store, value), { try SQLiteCentralStore(path: copy) })
        case .postgres:
            let url = try await PostgresTestEnvironment.freshDatabase()
            var store = PostgresTestEnvironment.instance(on: url)
            try await store.migrate()
            try await store.seed(try demoSeed())
            let value = try await setUp(store)
            // A template must have no session: the live instance closes its pool for the copy.
            await store.shutdown()
            let copy = try await PostgresTestEnvironment.freshDatabase()
            try await PostgresTestEnvironment.admin?.read { sql in
                try await sql.execute("DROP DATABASE \(copy.database)")
                try await sql.execute("CREATE DATABASE \(copy.database) TEMPLATE \(url.database)")
            }
            store = PostgresTestEnvironment.instance(on: url)
            return ((store, value), { PostgresTestEnvironment.instance(on: copy) })
        }
    }
}
