import CaisseAPI
import CaisseCore
import Foundation
import RegisterStore
import Testing
@testable import CentralStore

/// Issue 25: journals written by today's tills must ingest for ever. The fixture holds two
/// registers' journals with every event type of its day, made by the real till code,
/// and the order central received them in (with head office's steps between). Each run
/// replays them into a fresh central of each dialect, and decodes and re-encodes every payload:
/// when an encoding changes without a new payload version (ADR 0022), the bytes differ and
/// this test fails before any till in the field does.
///
/// Recorded once with `RECORD_JOURNAL_FIXTURE=1 swift test --filter JournalFixture`.
@Suite("Journals of today's tills ingest for ever", .postgresDatabases)
struct JournalFixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// Every recording is kept: v1 (ten event types), v2 (issue 29 added `no_sale`). The newest holds every type;
    /// RECORD_JOURNAL_FIXTURE=1 writes a new one only when a type is added (then name it v3 here).
    static let files = ["journal-v1.json", "journal-v2.json"]
    static var newest: URL { fixtures.appendingPathComponent(files[files.count - 1]) }

    struct Fixture: Codable {
        struct Step: Codable {
            /// Push this register's journal through `through`...
            var register: String?
            var through: Int64?
            var exceptions: [String]?
            /// ...or head office approves and ships this restock request...
            var shipRestock: String?
            /// ...or a customer orders one box of Timbits at CV for pickup, with this order id.
            var placeOrder: String?
        }
        var journals: [String: [SyncEvent]]
        var steps: [Step]
    }

    @Test(arguments: StoreKind.allCases, files)
    func theRecordedJournalsIngestAndTheirPayloadsKeepTheirBytes(kind: StoreKind, file: String) async throws {
        let url = Self.fixtures.appendingPathComponent(file)
        if ProcessInfo.processInfo.environment["RECORD_JOURNAL_FIXTURE"] == "1", kind == .sqlite, url == Self.newest { try await record() }
        let fixture = try WireJSON.decoder.decode(Fixture.self, from: Data(contentsOf: url))
        if url == Self.newest {
            #expect(Set(fixture.journals.values.joined().map(\.type)) == Set(EventType.allCases), "every event type is in the newest fixture")
        }

        for event in fixture.journals.values.joined() {
            #expect(try Self.reencoded(event) == event.payload, "event \(event.sequence) (\(event.type.rawValue)) of \(event.registerId)")
        }

        let central = try await kind.seeded()
        for id in fixture.journals.keys.sorted() {
            _ = try await central.addRegister(id: id, storeId: id.hasPrefix("CV") ? 1 : 2, name: id, tokenDigest: BearerToken.digest(BearerToken.generate()))
        }
        for step in fixture.steps {
            if let orderId = step.placeOrder {
                try await Self.placeOrder(central, id: orderId)
                continue
            }
            if let request = step.shipRestock {
                _ = try await central.transitionRestock(id: request, action: .approve, at: 1)
                _ = try await central.transitionRestock(id: request, action: .ship, at: 2)
                continue
            }
            let register = try #require(step.register), through = try #require(step.through)
            let events = try #require(fixture.journals[register]).filter { $0.sequence <= through }
            let outcome = try await central.ingest(registerId: register, events: events)
            guard case .applied(let applied, _, let exceptions) = outcome else { Issue.record("\(register): \(outcome)"); continue }
            #expect(applied == through && exceptions.map(\.rawValue) == (step.exceptions ?? []), "\(register) through \(through): \(outcome)")
        }
        #expect(try await central.audit().isEmpty)
        #expect(try await central.exceptions(storeId: nil, includeResolved: true).filter { ExceptionKind(rawValue: $0.kind)?.quarantines == true }.isEmpty,
                "no event of the fixture is set aside")
    }

    static func placeOrder(_ central: any CentralStore, id: String) async throws {
        // Placed now (the order must still be open when the recorded events replay, whenever that is).
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let customer = try await central.signUp(CustomerInput(email: "\(id)@example.com", loyaltyConsent: true), passwordHash: "x", at: now)
        try await central.setCartLine(customerId: customer.id, storeId: 1, productId: 1, quantity: 1, at: now)
        _ = try await central.checkout(customerId: customer.id, storeId: 1, orderId: id, holdDays: 30, at: now)
    }

    /// The payload read into the domain as central reads it, and journaled again as a till journals it today:
    /// the mapping of each version to the domain and back loses nothing (ADR 0022).
    static func reencoded(_ event: SyncEvent) throws -> String {
        try event.document().payload()
    }

    /// A morning and an evening of two stores, made by the real till code against a real central.
    func record() async throws {
        let central = try await StoreKind.sqlite.seeded()
        let cv = try Till(registerId: "CV-1", storeId: 1), nord = try Till(registerId: "NORD-1", storeId: 2)
        try await central.enrol(cv, storeId: 1)
        try await central.enrol(nord, storeId: 2)
        var cursors: [String: Int64] = [:]
        func pull(_ till: Till) async throws {
            let since = cursors[till.registerId] ?? 0
            let page = try await central.changes(registerId: till.registerId, since: since, limit: 10_000)
            _ = try till.store.applyChanges([page], pulledFrom: since)
            cursors[till.registerId] = page.cursor
        }
        var steps: [Fixture.Step] = []
        func push(_ till: Till) async throws {
            let events = try till.events()
            guard case .applied(let through, _, let exceptions) = try await central.ingest(registerId: till.registerId, events: events) else {
                throw StoreError("not applied")
            }
            steps.append(.init(register: till.registerId, through: through, exceptions: exceptions.map(\.rawValue)))
        }
        try await Self.placeOrder(central, id: "web-order-1")
        steps.append(.init(placeOrder: "web-order-1"))
        try await pull(cv)
        try await pull(nord)
        try cv.store.moveOrder("web-order-1", .ready, by: cv.employee.id)
        _ = try cv.store.openCashSession(float: Money(cents: 10_000), by: cv.cashier.id)
        let sale = try cv.sell([(1, 2), (3, 1)])
        _ = try cv.store.recordNoSale(by: cv.cashier.id, approvedBy: cv.manager.id)
        try cv.sell([(5, 3)])
        _ = try cv.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                      refundKind: .cash, cashierId: cv.cashier.id)
        _ = try cv.store.recordAdjustment(reason: .waste, lines: [(3, -2)], note: "fin de journée", by: cv.employee.id)
        let transfer = try cv.store.requestTransfer(from: 2, productId: 11, quantity: 4, note: "vitrine", by: cv.employee.id)
        try await push(cv)
        try nord.sell([(1, 1), (11, 1)])
        let restock = try nord.store.requestRestock(productId: 3, quantity: 12, requestedBy: nord.employee.id)
        try await pull(nord)
        try nord.store.shipTransfer(transfer.id, quantity: 4, by: nord.employee.id)
        try await push(nord)
        _ = try await central.transitionRestock(id: restock.id, action: .approve, at: 1)
        _ = try await central.transitionRestock(id: restock.id, action: .ship, at: 2)
        steps.append(.init(shipRestock: restock.id))
        try await pull(nord)
        _ = try nord.store.receiveRestock(requestId: restock.id, by: nord.employee.id)
        try await push(nord)
        try await pull(cv)
        _ = try cv.store.receiveTransfer(transfer.id, received: 3, damaged: 1, by: cv.employee.id)
        _ = try cv.store.closeCashSession(counted: Money(cents: 10_000), by: cv.cashier.id)
        try await push(cv)
        let fixture = Fixture(journals: ["CV-1": try cv.events(), "NORD-1": try nord.events()], steps: steps)
        let encoder = WireJSON.encoder
        encoder.outputFormatting.insert(.prettyPrinted)
        try FileManager.default.createDirectory(at: Self.fixtures, withIntermediateDirectories: true)
        try encoder.encode(fixture).write(to: Self.newest)
    }
}
