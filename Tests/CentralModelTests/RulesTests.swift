import CaisseAPI
import CaisseCore
import Foundation
import Testing
@testable import CentralModel

/// The rules both central stores run, without a database: the judgement of a
/// batch over given facts, a restock step, the audit's verdict.
@Suite("Central's shared rules")
struct RulesTests {
    static let store = Location(id: 1, code: "CV", name: "Centre-Ville", kind: .store, address: "", taxRule: "QC",
                                taxNumbers: [:], timeZone: "America/Toronto")
    static let register = RegisterRecord(id: "CV-1", storeId: 1, name: "CV-1", appliedThrough: 0, lastHash: HashChain.genesis,
                                         revoked: false, auditFlag: nil)
    static let coffee = Product(id: 2, sku: "CAF-0001", barcode: "2000000000022", name: "Café", category: "Boissons",
                                price: Money(cents: 219), taxClass: .standard, reorderPoint: 5, overstockThreshold: 50)

    /// A chain of events from payloads, as a till journals them.
    static func journal(_ items: [(EventType, String)]) -> [SyncEvent] {
        var events: [SyncEvent] = []
        for (i, (type, payload)) in items.enumerated() {
            events.append(SyncEvent(registerId: "CV-1", sequence: Int64(i + 1), id: "e\(i)", type: type, createdAt: 1_767_000_000_000 + Int64(i),
                                    payload: payload, previousHash: events.last?.hash ?? HashChain.genesis))
        }
        return events
    }

    static func sale(_ id: String, quantity: Int) throws -> String {
        var cart = Cart()
        try cart.add(coffee, quantity: quantity)
        var payment = Payment(total: cart.totals(.quebec).total)
        try payment.payCard(reference: "A1")
        return try WireJSON.string(Sale(id: id, receiptNumber: "CV-1-\(id)", storeId: 1, registerId: "CV-1", cashierId: 7,
                                        createdAt: 1_767_000_000_000, cart: cart, rule: .quebec, payment: payment))
    }

    static var facts: IngestFacts {
        var f = IngestFacts()
        f.products[2] = .init(active: true, price: Money(cents: 219))
        f.users[7] = .init(active: true, storeId: 1, role: .cashier)
        f.taxRates = TaxRule.quebec.rates
        return f
    }

    @Test func aDeliveryReceivedTwiceInOneBatchCountsOnce() throws {
        let receipt = try WireJSON.string(RestockReceiptPayload(requestId: "r-1", storeId: 1, productId: 2, quantity: 6, receivedBy: 7))
        var facts = Self.facts
        facts.restockRequests["r-1"] = RestockRequest(id: "r-1", storeId: 1, productId: 2, quantity: 6, state: .shipped, createdAt: 0, updatedAt: 0)
        var plan = try IngestPlan(register: Self.register, store: Self.store, events: Self.journal([(.restockReceipt, receipt), (.restockReceipt, receipt)]))
        try plan.judge(facts, storeId: 1)
        #expect(plan.restockReceipts.map(\.sequence) == [1])
        #expect(plan.exceptions.map(\.kind) == [.restockAlreadyReceived])
        #expect(plan.exceptions.first?.sequence == 2)
    }

    @Test func stockIsFlaggedOnceWhenItCrossesZero() throws {
        var facts = Self.facts
        facts.onHand[2] = 3
        var plan = try IngestPlan(register: Self.register, store: Self.store,
                                  events: Self.journal([(.sale, try Self.sale("1", quantity: 2)), (.sale, try Self.sale("2", quantity: 2)),
                                                        (.sale, try Self.sale("3", quantity: 1))]))
        try plan.judge(facts, storeId: 1)
        #expect(plan.exceptions.map(\.kind) == [.negativeStock])
        #expect(plan.exceptions.first?.sequence == 2)
    }

    @Test func aReturnOfASaleNeverRecordedIsQuarantined() throws {
        let original = try WireJSON.decoder.decode(Sale.self, from: Data(try Self.sale("1", quantity: 2).utf8))
        let refund = try Refund(original: original, alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: 1, quantity: 1)])
        let payload = try WireJSON.string(SaleReturn(id: "ret-1", receiptNumber: "CV-1-R1", original: original, storeId: 1, registerId: "CV-1",
                                                     cashierId: 7, createdAt: 1_767_000_000_000, refund: refund,
                                                     tenders: [Tender(kind: .card, amount: refund.total, reference: "A1")], rounding: .zero))
        var plan = try IngestPlan(register: Self.register, store: Self.store, events: Self.journal([(.return, payload)]))
        try plan.judge(Self.facts, storeId: 1)
        #expect(plan.quarantined.map(\.reason.kind) == [.unknownReference])
        #expect(plan.documents.isEmpty && plan.movements.isEmpty)
        // With its sale earlier in the same batch, the same return is judged clean.
        var withSale = try IngestPlan(register: Self.register, store: Self.store,
                                      events: Self.journal([(.sale, try Self.sale("1", quantity: 2)), (.return, payload)]))
        var stocked = Self.facts
        stocked.onHand[2] = 10
        try withSale.judge(stocked, storeId: 1)
        #expect(withSale.exceptions.isEmpty)
    }

    @Test func aRestockStepChecksTheStoreAndTheWarehouse() throws {
        let approved = RestockRequest(id: "r-1", storeId: 1, productId: 2, quantity: 6, state: .approved, createdAt: 0, updatedAt: 0)
        #expect(throws: CentralError.self) { try RestockStep.plan(approved, action: .ship, expectedStore: nil, warehouse: (6, 5), at: 1) }
        let shipped = try RestockStep.plan(approved, action: .ship, expectedStore: nil, warehouse: (6, 6), at: 1)
        #expect(shipped.request.state == .shipped && shipped.movement?.quantity == -6 && shipped.movement?.locationId == 6)
        #expect(throws: CentralError.self) { try RestockStep.plan(shipped.request, action: .receive, expectedStore: 2, warehouse: nil, at: 2) }
        let received = try RestockStep.plan(shipped.request, action: .receive, expectedStore: 1, warehouse: nil, at: 2)
        #expect(received.movement == StockMovement(locationId: 1, productId: 2, quantity: 6, reason: .restockReceipt, reference: "r-1"))
        #expect(try RestockStep.plan(approved, action: .reject, expectedStore: nil, warehouse: nil, at: 1).movement == nil)
    }

    @Test func theAuditSaysWhatIsWrong() {
        let events = Self.journal([(.sale, "{}")])
        var register = Self.register
        #expect(JournalAudit.problem(register: register, storedEvents: []) == nil)
        #expect(JournalAudit.problem(register: register, storedEvents: events)?.contains("mark is 0") == true)
        register.appliedThrough = 1
        register.lastHash = events[0].hash
        #expect(JournalAudit.problem(register: register, storedEvents: events) == nil)
        register.auditFlag = "event 2: the subtotal …"
        #expect(JournalAudit.problem(register: register, storedEvents: events) == "refused a batch: event 2: the subtotal …")
    }
}

/// Issue 18: a period is read as its whole weeks and the days around them, never a day twice or missed.
@Suite struct AggregateRangeTests {
    @Test func everyDayOfThePeriodIsReadOnce() {
        for from in 20_000..<20_015 {
            for length in 0..<40 {
                let to = from + length
                let range = AggregateRange(from: Day(number: from), to: Day(number: to))
                var covered: [Int] = range.days.flatMap { Array($0) }
                if let weeks = range.weeks { covered += weeks.flatMap { w in Array((w * 7)...(w * 7 + 6)) } }
                #expect(covered.sorted() == Array(from...to), "\(from)…\(to)")
            }
        }
        #expect(AggregateRange(from: Day(number: 5), to: Day(number: 4)).days.isEmpty)
    }
}

/// Issue 23, rule 4: a batch the database refuses for what it holds is applied event
/// by event, and only the event the database refuses alone is quarantined (both dialects
/// run this one orchestration with their own transaction).
@Suite("Keeping every event")
struct KeepEveryEventTests {
    struct ContentFault: Error {}

    @Test func onlyTheEventTheDatabaseRefusesIsQuarantined() async throws {
        let events = RulesTests.journal([(.sale, try RulesTests.sale("1", quantity: 1)), (.sale, try RulesTests.sale("2", quantity: 1)),
                                         (.sale, try RulesTests.sale("3", quantity: 1))])
        let batch = try DecodedBatch(register: RulesTests.register, store: RulesTests.store, events: events)
        var applied: [Int64] = []
        var quarantined: [Int64] = []
        let outcome = try await batch.applyKeepingEveryEvent({ part in
            // The "database": refuses any transaction that applies event 2's effects.
            guard part.events.count == 1 else { throw ContentFault() }
            let sequence = part.events[0].sequence
            if case .quarantine(let q) = part.effects[0] {
                #expect(q.kind == .storageRefused)
                quarantined.append(sequence)
                return .applied(through: sequence, newEvents: 1, exceptions: [q.kind])
            }
            if sequence == 2 { throw ContentFault() }
            applied.append(sequence)
            return .applied(through: sequence, newEvents: 1)
        }, isContentFault: { $0 is ContentFault })
        #expect(outcome == .applied(through: 3, newEvents: 3, exceptions: [.storageRefused]))
        #expect(applied == [1, 3] && quarantined == [2])
    }

    @Test func aFaultOfCentralItselfStillFailsThePush() async throws {
        struct DiskFull: Error {}
        let batch = try DecodedBatch(register: RulesTests.register, store: RulesTests.store,
                                     events: RulesTests.journal([(.sale, try RulesTests.sale("1", quantity: 1))]))
        await #expect(throws: DiskFull.self) {
            try await batch.applyKeepingEveryEvent({ _ in throw DiskFull() }, isContentFault: { $0 is ContentFault })
        }
    }
}

/// Issue 24's arithmetic audit: head office's points are a till-independent input too.
@Suite struct PointsAdjustmentBoundsTests {
    @Test(arguments: [Int64.min, Int64.max, -10_000_001, 10_000_001, 0])
    func aChangeOutsideItsRangeIsRefusedNotATrap(_ points: Int64) {
        #expect(throws: CentralError.self) {
            _ = try CustomerRules.adjustment(PointsAdjustment(points: points, reason: "correction"), balance: 0)
        }
    }
}
