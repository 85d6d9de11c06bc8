import CaisseAPI
import CaisseCore
import Foundation
import Testing
@testable import CentralStore

/// Issue 13's attacks, as a till holding a register's token would send them:
/// well chained events whose documents no honest till produces are refused,
/// change nothing and flag the register; what an honest till produces and
/// central disagrees with is applied once and listed as an exception.
@Suite("Central's trust boundary", .postgresDatabases)
struct TrustBoundaryTests {
    /// A chain-valid event after `journal` carrying `payload`.
    static func forge(after journal: [SyncEvent], registerId: String, type: EventType = .sale, payload: String,
                      sequence: Int64? = nil, createdAt: Int64? = nil) -> SyncEvent {
        SyncEvent(registerId: registerId, sequence: sequence ?? Int64(journal.count + 1), id: UUID().uuidString.lowercased(), type: type,
                  createdAt: createdAt ?? journal.last?.createdAt ?? 1_767_000_000_000, payload: payload, previousHash: journal.last?.hash ?? HashChain.genesis)
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// An honest sale's payload as a dictionary, to be bent.
    static func saleObject(_ till: Till) throws -> [String: Any] {
        let sale = try till.sell([(1, 2), (2, 1)])
        return try JSONSerialization.jsonObject(with: try WireJSON.encoder.encode(sale)) as! [String: Any]   // allowed: test fixture
    }

    struct Attack: CustomTestStringConvertible, Sendable {
        var name: String
        var bend: @Sendable ([String: Any]) -> [String: Any]
        var testDescription: String { name }
    }

    static let attacks: [Attack] = [
        Attack(name: "subtotal of 1,000,000 $ over lines of a few dollars") { var o = $0; o["subtotalCents"] = 100_000_000; return o },
        Attack(name: "negative totals") { var o = $0; o["totalCents"] = -5_000; o["subtotalCents"] = -5_000; return o },
        Attack(name: "totals near Int64.max") { var o = $0; o["totalCents"] = Int64.max - 1; o["subtotalCents"] = Int64.max - 1; return o },
        Attack(name: "unit price × quantity past Int64") { o in
            var o = o
            var lines = o["lines"] as! [[String: Any]]   // allowed: test fixture
            lines[0]["unitPriceCents"] = Int64.max / 2
            lines[0]["quantity"] = 3
            o["lines"] = lines
            return o
        },
        Attack(name: "quantity Int.min") { o in
            var o = o
            var lines = o["lines"] as! [[String: Any]]   // allowed: test fixture
            lines[0]["quantity"] = Int.min
            o["lines"] = lines
            return o
        },
        Attack(name: "a tax that is not its rate on its base") { o in
            var o = o
            var taxes = o["taxes"] as! [[String: Any]]   // allowed: test fixture
            taxes[0]["amountCents"] = 0
            o["taxes"] = taxes
            return o
        },
        Attack(name: "tenders that do not cover the total") { o in
            var o = o
            var tenders = o["tenders"] as! [[String: Any]]   // allowed: test fixture
            tenders[0]["amountCents"] = 5
            o["tenders"] = tenders
            return o
        },
        Attack(name: "change that does not add up") { var o = $0; o["changeCents"] = 100_000; return o },
        Attack(name: "createdAt at Int64.min inside the document") { var o = $0; o["createdAt"] = Int64.min; return o },
        // Issue 24's arithmetic audit: abs(Int64.min) traps; central's checks must take ranges.
        Attack(name: "cash rounding at Int64.min") { var o = $0; o["roundingCents"] = Int64.min; return o },
        Attack(name: "cash rounding at Int64.max") { var o = $0; o["roundingCents"] = Int64.max; return o },
        Attack(name: "a NUL in a product name") { o in
            var o = o
            var lines = o["lines"] as! [[String: Any]]   // allowed: test fixture
            lines[0]["name"] = "Caf\u{0}é"
            o["lines"] = lines
            return o
        },
    ]

    /// Issue 23: a document no honest till produces is kept in the register's journal and
    /// quarantined, never applied; the till's next honest event is applied. What cannot even be
    /// read (an amount past the wire's limits) is quarantined too: refused, it stopped the till (ADR 0022).
    @Test(arguments: StoreKind.allCases, attacks)
    func aDocumentNoHonestTillProducesIsQuarantinedAndChangesNothing(kind: StoreKind, attack: Attack) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        let honest = try Self.saleObject(till)
        let journal = try till.events()
        let good = Array(journal.dropLast())
        let bent = Self.forge(after: good, registerId: "CV-1", payload: try Self.json(attack.bend(honest)))
        let stockBefore = try await store.stock(locationId: 1)
        let reportBefore = try await store.reportRows(from: Day(number: 0), to: Day(number: 100_000)).documents
        guard case .applied(1, 1, let found) = try await store.ingest(registerId: "CV-1", events: good + [bent]) else {
            Issue.record("a chain-valid event was refused")
            return
        }
        #expect(found == [.invalidDocument])
        #expect(try await store.stock(locationId: 1) == stockBefore)
        #expect(try await store.reportRows(from: Day(number: 0), to: Day(number: 100_000)).documents == reportBefore)
        #expect(try await store.audit()["CV-1"] == nil, "the journal is whole: the event is kept")
        let open = try await store.exceptions(storeId: 1, includeResolved: false)
        #expect(open.map(\.kind) == ["invalid_document"] && open.first?.sequence == 1)
        // The till's next honest sale (the one the bent event replaced) is applied.
        let next = Self.forge(after: good + [bent], registerId: "CV-1", payload: journal.last!.payload)   // allowed: test fixture
        guard case .applied(2, 1, []) = try await store.ingest(registerId: "CV-1", events: [next]) else {
            Issue.record("the honest event after a quarantined one was not applied")
            return
        }
        #expect(try await store.stock(locationId: 1) != stockBefore)
    }

    @Test(arguments: StoreKind.allCases)
    func eventHeadersOutOfRangeAreRefused(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        try till.sell([(1, 1)])
        let e = try till.events()[0]
        let nearMax = [Self.forge(after: [], registerId: "CV-1", payload: e.payload, sequence: Int64.max - 1),
                       Self.forge(after: [], registerId: "CV-1", payload: e.payload, sequence: Int64.max)]
        await #expect(throws: CentralError.self) { try await store.ingest(registerId: "CV-1", events: nearMax) }
        // A till dated before 2000 (a dead clock battery): kept, quarantined as `clock`, not applied.
        let onHand = try await store.onHand(1, 1)
        let ancient = Self.forge(after: [], registerId: "CV-1", payload: e.payload, sequence: 1, createdAt: Int64.min)
        guard case .applied(1, 1, [.clock]) = try await store.ingest(registerId: "CV-1", events: [ancient]) else {
            Issue.record("a till with a wrong clock was not kept going")
            return
        }
        #expect(try await store.onHand(1, 1) == onHand)
    }

    @Test(arguments: StoreKind.allCases)
    func returnsAreCheckedAgainstTheOriginalSale(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        let sale = try till.sell([(1, 2), (2, 1)])
        let honestReturn = try till.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                                       refundKind: .cash, cashierId: till.cashier.id)
        let journal = try till.events()
        let onHandBefore = try await store.onHand(1, 1)

        // A return of a sale that does not exist: 50,000 $ and 50 units.
        var ghost = honestReturn
        ghost.originalSaleId = "no-such-sale"
        ghost.lines = [SaleLine(lineNo: 1, productId: 1, sku: "X", name: "X", unitPrice: Money(cents: 100_000), taxClass: .zeroRated, quantity: 50)]
        ghost.taxes = []
        ghost.subtotal = Money(cents: 5_000_000)
        ghost.taxTotal = .zero
        ghost.total = Money(cents: 5_000_000)
        ghost.rounding = .zero
        ghost.tenders = [Tender(kind: .cash, amount: Money(cents: 5_000_000))]
        let forgedGhost = Self.forge(after: Array(journal.dropLast()), registerId: "CV-1", type: .return, payload: try WireJSON.string(ghost))

        // A return of more than was sold, at the original's prices.
        let original = try till.store.sale(receiptNumber: sale.receiptNumber)!   // allowed: test fixture
        let refund = try Refund(original: original, alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: 1, quantity: 2)])
        var tooMany = honestReturn
        tooMany.lines = refund.lines.map { var l = $0; l.quantity = 3; return l }
        tooMany.subtotal = tooMany.lines.reduce(.zero) { $0 + $1.total }
        tooMany.taxes = refund.taxes
        tooMany.taxTotal = refund.taxTotal
        tooMany.total = tooMany.subtotal + tooMany.taxTotal
        tooMany.rounding = .zero
        tooMany.tenders = [Tender(kind: .card, amount: tooMany.total, reference: "x")]
        let forgedTooMany = Self.forge(after: Array(journal.dropLast()), registerId: "CV-1", type: .return, payload: try WireJSON.string(tooMany))
        // Each on a central of its own: the sale is applied, the forged return quarantined (issue 23).
        for (forged, reason) in [(forgedGhost, ExceptionKind.unknownReference), (forgedTooMany, .invalidDocument)] {
            let central = try await kind.seeded()
            try await central.enrol(till, storeId: 1)
            guard case .applied(2, 2, let found) = try await central.ingest(registerId: "CV-1", events: Array(journal.dropLast()) + [forged]) else {
                Issue.record("the batch was refused")
                continue
            }
            #expect(found == [reason])
            #expect(try await central.onHand(1, 1) == onHandBefore! - 2)
        }

        // The honest return goes in, in the same batch as its sale or after it.
        guard case .applied(2, 2, _) = try await store.ingest(registerId: "CV-1", events: journal) else {
            Issue.record("the honest sale and return were not applied")
            return
        }
        #expect(try await store.onHand(1, 1) == onHandBefore! - 2 + 1)
    }

    @Test(arguments: StoreKind.allCases)
    func twoTillsReceivingOneDeliveryAreBothAppliedAndTheStockCountsItOnce(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let a = try Till(registerId: "CV-1", storeId: 1)
        let b = try Till(registerId: "CV-2", storeId: 1)
        try await store.enrol(a, storeId: 1)
        try await store.enrol(b, storeId: 1)
        let request = try await store.createRestock(id: "r-1", storeId: 1, productId: 3, quantity: 6, note: nil, at: 1_767_000_000_000)
        _ = try await store.transitionRestock(id: request.id, action: .approve, at: 1_767_000_000_001)
        _ = try await store.transitionRestock(id: request.id, action: .ship, at: 1_767_000_000_002)
        // Both tills learn it was shipped, then go offline and both receive it.
        var cursors: [String: Int64] = [:]
        for till in [a, b] {
            let page = try await store.changes(registerId: till.registerId, since: 0, limit: 10_000)
            #expect(try till.store.applyChanges([page], pulledFrom: 0))
            cursors[till.registerId] = page.cursor
            try till.store.receiveRestock(requestId: "r-1", by: till.employee.id)
            try till.sell([(3, 1)])
        }
        let before = try await store.onHand(1, 3)!   // allowed: test fixture
        guard case .applied(2, 2, let first) = try await store.ingest(registerId: "CV-1", events: try a.events()) else {
            Issue.record("CV-1 was not applied")
            return
        }
        #expect(first.isEmpty)
        guard case .applied(2, 2, let second) = try await store.ingest(registerId: "CV-2", events: try b.events()) else {
            Issue.record("CV-2 was refused: its sale after the second receipt would never reach central")
            return
        }
        #expect(second == [.restockAlreadyReceived])
        #expect(try await store.onHand(1, 3) == before + 6 - 2, "the delivery counts once, both sales count")
        let open = try await store.exceptions(storeId: 1, includeResolved: false)
        #expect(open.map(\.kind) == ["restock_already_received"])
        #expect(open.first?.registerId == "CV-2")

        // Head office resolves it; the resolution is recorded and the list empties.
        let resolved = try await store.resolveException(id: open[0].id, by: "gerant.mm", note: "second receipt was a double scan", at: 1)
        #expect(resolved.resolvedBy == "gerant.mm")
        #expect(try await store.exceptions(storeId: nil, includeResolved: false).isEmpty)
        #expect(try await store.exceptions(storeId: nil, includeResolved: true).count == 1)
        await #expect(throws: CentralError.self) { try await store.resolveException(id: open[0].id, by: "x", note: "again", at: 2) }

        // Each till's on-hand, once it pulls, equals central's.
        for till in [a, b] {
            let cursor = cursors[till.registerId] ?? 0
            try till.store.markDelivered(upTo: 2)
            let page = try await store.changes(registerId: till.registerId, since: cursor, limit: 10_000)
            #expect(try till.store.applyChanges([page], pulledFrom: cursor))
            #expect(try till.store.onHand(productId: 3) == (try await store.onHand(1, 3)))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aDeactivatedProductAndAStalePriceAreRecordedNotRefused(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        try till.sell([(4, 1)])
        // Meanwhile head office reprices product 4 and retires it.
        let p = try await store.product(id: 4)!   // allowed: test fixture
        _ = try await store.updateProduct(id: 4, ProductInput(sku: p.sku, barcode: p.barcode, name: p.name, category: p.category,
                                                              priceCents: p.price.cents + 100, taxClass: p.taxClass,
                                                              reorderPoint: p.reorderPoint, overstockThreshold: p.overstockThreshold, active: false))
        guard case .applied(1, 1, let found) = try await store.ingest(registerId: "CV-1", events: try till.events()) else {
            Issue.record("the sale was refused")
            return
        }
        #expect(found == [.inactiveProduct])
    }

    /// Issue 14: a stolen till yields only its own store's people's hashes,
    /// never an admin's or another store's.
    @Test(arguments: StoreKind.allCases)
    func aTillPullsOnlyItsOwnStoresPeople(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        for location in demoChain.locations where location.sells {
            let register = "R\(location.id)-1"
            _ = try await store.addRegister(id: register, storeId: location.id, name: register,
                                            tokenDigest: BearerToken.digest(BearerToken.generate()))
            let users = try await store.changes(registerId: register, since: 0, limit: 10_000).users
            #expect(users.allSatisfy { $0.storeId == location.id && $0.role != .admin }, "register of \(location.code)")
            #expect(!users.isEmpty || location.kind == .headOffice)
        }
    }

    /// Issue 13: a product with no stock row at a store is out of stock there.
    @Test(arguments: StoreKind.allCases)
    func aProductWithNoStockRowIsOutOfStockOnTheDashboard(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let created = try await store.createProduct(ProductInput(sku: "NEW-1", barcode: EAN13.make("299999999990")!, name: "Nouveau",   // allowed: valid 12 digits
                                                                 category: "Test", priceCents: 100, taxClass: .standard,
                                                                 reorderPoint: 2, overstockThreshold: 50))
        let positions = try await store.storeStockPositions().filter { $0.productId == created.id }
        #expect(Set(positions.map(\.locationId)) == Set(demoChain.locations.filter { $0.kind != .warehouse }.map(\.id)))
        #expect(positions.allSatisfy { $0.onHand == 0 })
    }

    /// A card sale at CV-1, then a cash refund of one unit that a manager approved at the till.
    static func cardSaleRefundedInCash(_ store: any CentralStore) async throws -> Till {
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        var cart = Cart()
        try cart.add(try #require(try till.store.product(id: 1)), quantity: 2)
        var payment = Payment(total: cart.totals(try till.store.identity().taxRule).total)
        try payment.payCard(reference: "AUTH-1")
        let sale = try till.store.recordSale(cart: cart, payment: payment, cashierId: till.cashier.id)
        let manager = try #require(try till.store.users().first { $0.storeId == 1 && $0.role == .manager })
        _ = try till.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [.init(lineNo: 1, quantity: 1)], refundKind: .cash,
                                        cashierId: till.cashier.id, approvedBy: manager.id)
        return till
    }

    /// Issue 14: a cash refund of a card sale needs a manager; an older till that sends one
    /// without an approver is recorded and flagged, never refused.
    @Test(arguments: StoreKind.allCases)
    func aRefundThatNeededAManagerAndHasNoneIsFlagged(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let journal = try await Self.cardSaleRefundedInCash(store).events()
        var unapproved = try #require(try journal[1].document().saleReturn)
        unapproved.approvedBy = nil
        let old = Self.forge(after: [journal[0]], registerId: "CV-1", type: .return, payload: try WireJSON.string(unapproved))
        guard case .applied(2, 2, let found) = try await store.ingest(registerId: "CV-1", events: [journal[0], old]) else {
            Issue.record("the batch was refused")
            return
        }
        #expect(found == [.refundWithoutApproval])
    }

    @Test(arguments: StoreKind.allCases)
    func anApprovedRefundIsClean(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let journal = try await Self.cardSaleRefundedInCash(store).events()
        guard case .applied(2, 2, let found) = try await store.ingest(registerId: "CV-1", events: journal) else {
            Issue.record("the batch was refused")
            return
        }
        #expect(found.isEmpty)
    }

    /// Stock going below zero is applied and flagged once, when it crosses zero, not with every later sale.
    @Test(arguments: StoreKind.allCases)
    func goingBelowZeroIsFlaggedOnceWhenItCrosses(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        let onHand = try #require(try await store.onHand(1, 1))
        try till.sell([(1, onHand)])
        try till.sell([(1, 2)])
        try till.sell([(1, 1)])
        guard case .applied(3, 3, let found) = try await store.ingest(registerId: "CV-1", events: try till.events()) else {
            Issue.record("the batch was refused")
            return
        }
        #expect(found == [.negativeStock])
        #expect(try await store.onHand(1, 1) == -3)
        try till.sell([(1, 1)])
        guard case .applied(4, 1, let later) = try await store.ingest(registerId: "CV-1", events: try till.events()) else {
            Issue.record("the batch was refused")
            return
        }
        #expect(later.isEmpty, "already below zero")
    }
}
