import CaisseAPI
import CaisseCore
import Foundation
import Testing
@testable import CentralStore

/// The persistence contract: every CentralStore implementation passes it.
@Suite("Central store contract", .postgresDatabases)
struct ContractTests {
    @Test(arguments: StoreKind.allCases)
    func seedsTheChainOnce(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        #expect(try await store.locations().count == 6)
        #expect(try await store.chainName() == demoChain.name)
        #expect(try await store.product(sku: "tim-0001")?.name == "Timbits assortis (boîte de 10)")
        #expect(try await store.onHand(1, 1) == 23)
        #expect(try await store.onHand(6, 1) == 80)
        await #expect(throws: CentralError.self) { try await store.seed(try demoSeed()) }
    }

    @Test(arguments: StoreKind.allCases)
    func registersAreBoundToAStoreAndRevocable(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let digest = BearerToken.digest("token-a")
        _ = try await store.addRegister(id: "CV-1", storeId: 1, name: "Caisse 1", tokenDigest: digest)
        #expect(try await store.register(tokenDigest: digest)?.storeId == 1)
        #expect(try await store.register(tokenDigest: BearerToken.digest("other")) == nil)
        await #expect(throws: CentralError.self) { try await store.addRegister(id: "CV-1", storeId: 1, name: "x", tokenDigest: "d2") }
        await #expect(throws: CentralError.self) { try await store.addRegister(id: "CL-1", storeId: 6, name: "x", tokenDigest: "d3") }
        await #expect(throws: CentralError.self) { try await store.addRegister(id: "X-1", storeId: 99, name: "x", tokenDigest: "d4") }
        await #expect(throws: CentralError.self) { try await store.addRegister(id: "bad id", storeId: 1, name: "x", tokenDigest: "d5") }
        try await store.revokeRegister(id: "CV-1")
        #expect(try await store.register(tokenDigest: digest)?.revoked == true)
    }

    @Test(arguments: StoreKind.allCases)
    func ingestAppliesSalesToTheLedgerExactlyOnce(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        let sale = try till.sell([(1, 2), (2, 1)])
        try till.sell([(1, 1)])
        let events = try till.events()
        #expect(try await store.ingest(registerId: "CV-1", events: events) == .applied(through: 2, newEvents: 2))
        #expect(try await store.onHand(1, 1) == 20)
        #expect(try await store.onHand(1, 2) == 1)
        // The same batch again (a retry after a lost answer) changes nothing.
        #expect(try await store.ingest(registerId: "CV-1", events: events) == .applied(through: 2, newEvents: 0))
        #expect(try await store.onHand(1, 1) == 20)
        let rows = try await store.reportRows(from: Day(number: 0), to: Day(number: 100_000))
        #expect(rows.documents.reduce(0) { $0 + $1.count } == 2)
        #expect(rows.documents.reduce(Money.zero) { $0 + $1.subtotal } == sale.subtotal + Money(cents: 299))
        // A batch overlapping what was applied applies only the new part.
        try till.sell([(3, 1)])
        #expect(try await store.ingest(registerId: "CV-1", events: try till.events()) == .applied(through: 3, newEvents: 1))
        #expect(try await store.onHand(1, 3) == 44)
    }

    @Test(arguments: StoreKind.allCases)
    func aGapIsRefusedWithTheExpectedSequence(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        for _ in 0..<3 { try till.sell([(1, 1)]) }
        let events = try till.events()
        #expect(try await store.ingest(registerId: "CV-1", events: Array(events[1...])) == .gap(expected: 1))
        #expect(try await store.onHand(1, 1) == 23)
        _ = try await store.ingest(registerId: "CV-1", events: [events[0]])
        #expect(try await store.ingest(registerId: "CV-1", events: [events[2]]) == .gap(expected: 2))
    }

    @Test(arguments: StoreKind.allCases)
    func aBrokenChainIsRefusedWholeAndFlagged(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        for _ in 0..<3 { try till.sell([(1, 1)]) }
        var events = try till.events()
        events[1].payload = events[1].payload.replacingOccurrences(of: "\"quantity\":1", with: "\"quantity\":0")
        await #expect(throws: CentralError.self) { try await store.ingest(registerId: "CV-1", events: events) }
        #expect(try await store.onHand(1, 1) == 23)
        #expect(try await store.registers().first?.auditFlag != nil)
        #expect(try await store.registers().first?.appliedThrough == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func aDocumentTwiceInOneBatchIsQuarantinedOnce(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        try till.sell([(1, 1)])
        let first = try till.events()[0]
        // Well chained, another event id, the same sale again.
        let again = SyncEvent(registerId: "CV-1", sequence: 2, id: UUID().uuidString.lowercased(), type: .sale,
                              createdAt: first.createdAt, payload: first.payload, previousHash: first.hash)
        guard case .applied(2, 2, [.idTaken]) = try await store.ingest(registerId: "CV-1", events: [first, again]) else {
            Issue.record("the second copy was not quarantined")
            return
        }
        #expect(try await store.onHand(1, 1) == 22, "the sale is counted once")
        // Sent again in a later batch: quarantined again, counted once.
        let third = SyncEvent(registerId: "CV-1", sequence: 3, id: UUID().uuidString.lowercased(), type: .sale,
                              createdAt: first.createdAt, payload: first.payload, previousHash: again.hash)
        guard case .applied(3, 1, [.idTaken]) = try await store.ingest(registerId: "CV-1", events: [third]) else {
            Issue.record("the copy in a later batch was not quarantined")
            return
        }
        #expect(try await store.onHand(1, 1) == 22)
    }

    @Test(arguments: StoreKind.allCases)
    func aReinstalledTillIsNotTakenForARetry(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let first = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(first, storeId: 1)
        try first.sell([(1, 1)])
        _ = try await store.ingest(registerId: "CV-1", events: try first.events())
        let reinstalled = try Till(registerId: "CV-1", storeId: 1)
        try reinstalled.sell([(2, 1)])
        await #expect(throws: CentralError.self) { try await store.ingest(registerId: "CV-1", events: try reinstalled.events()) }
        #expect(try await store.onHand(1, 2) == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func aRegisterCannotPushAnotherRegistersOrStoresEvents(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let cv = try Till(registerId: "CV-1", storeId: 1)
        let nord = try Till(registerId: "NORD-1", storeId: 2)
        try await store.enrol(cv, storeId: 1)
        try await store.enrol(nord, storeId: 2)
        try cv.sell([(1, 1)])
        await #expect(throws: CentralError.self) { try await store.ingest(registerId: "NORD-1", events: try cv.events()) }
        // A till installed for store 1 but enrolled as a register of store 2.
        let impostor = try Till(registerId: "NORD-2", storeId: 1)
        _ = try await store.addRegister(id: "NORD-2", storeId: 2, name: "x", tokenDigest: "digest-n2")
        try impostor.sell([(1, 1)])
        // Its journal chains: kept and quarantined as another store's (issue 23), never applied.
        guard case .applied(1, 1, [.foreignReference]) = try await store.ingest(registerId: "NORD-2", events: try impostor.events()) else {
            Issue.record("the impostor's sale was not quarantined")
            return
        }
        #expect(try await store.onHand(1, 1) == 23)
        #expect(try await store.onHand(2, 1) == 34)
    }

    @Test(arguments: StoreKind.allCases)
    func aCashSessionCloseIsCheckedBeforeItIsKept(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        try till.store.openCashSession(float: Money(cents: 10_000), by: till.cashier.id)
        try till.sell([(1, 1)])
        _ = try till.store.closeCashSession(counted: Money(cents: 10_300), by: till.cashier.id)
        let events = try till.events()
        #expect(events.map(\.type) == [.sale, .cashSessionClose])
        let close = try #require(try events[1].document().cashSessionClose)

        // The same close with its content changed, re-chained as a till would:
        // the chain holds, so only the payload check can refuse it.
        func tampered(_ payload: String) -> SyncEvent {
            SyncEvent(registerId: "CV-1", sequence: 2, id: events[1].id, type: .cashSessionClose, createdAt: events[1].createdAt,
                      payload: payload, previousHash: events[0].hash)
        }
        var otherStore = close
        otherStore.session.storeId = 2
        var wrongSums = close
        wrongSums.difference = Money(cents: 0)
        // What does not hold is kept and quarantined (issue 23); so is what central cannot read at all, a
        // payload of a newer version among them: refused, it would stop the till for ever (ADR 0022).
        for (bad, reason) in [(tampered(try JournalDocument.cashSessionClose(otherStore).payload()), ExceptionKind.foreignReference),
                              (tampered(try JournalDocument.cashSessionClose(wrongSums).payload()), .invalidDocument),
                              (tampered("{}"), .invalidDocument),
                              (tampered(#"{"v":2,"session":{}}"#), .invalidDocument)] {
            let central = try await kind.seeded()
            try await central.enrol(till, storeId: 1)
            #expect(try await central.ingest(registerId: "CV-1", events: [events[0], bad]) == .applied(through: 2, newEvents: 2, exceptions: [reason]))
        }
        #expect(try await store.ingest(registerId: "CV-1", events: events) == .applied(through: 2, newEvents: 2))
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentPushesFromSeveralRegistersLoseNoMovement(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let tills = try [Till(registerId: "CV-1", storeId: 1), Till(registerId: "CV-2", storeId: 1), Till(registerId: "NORD-1", storeId: 2)]
        for t in tills { try await store.enrol(t, storeId: t.registerId.hasPrefix("CV") ? 1 : 2) }
        for t in tills { for _ in 0..<20 { try t.sell([(1, 1), (4, 1)]) } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in tills {
                let events = try t.events()
                group.addTask {
                    // Each till pushes in batches of 5, all tills at once.
                    for start in stride(from: 0, to: events.count, by: 5) {
                        _ = try await store.ingest(registerId: t.registerId, events: Array(events[start..<min(start + 5, events.count)]))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.onHand(1, 1) == 23 - 40)
        #expect(try await store.onHand(1, 4) == 2 - 40)   // offline sales may go below zero
        #expect(try await store.onHand(2, 1) == 34 - 20)
        #expect(try await store.audit().isEmpty)
    }

    /// Issue 15: a store's quick keys, checked once in shared Swift, reach that store's tills with one pull and no other's.
    @Test(arguments: StoreKind.allCases)
    func quickKeysAreCheckedAndReachOnlyTheirStoresTills(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let cv = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(cv, storeId: 1)
        let nord = try Till(registerId: "NORD-1", storeId: 2)
        try await store.enrol(nord, storeId: 2)
        func drain(_ id: String, from cursor: Int64) async throws -> (cursor: Int64, keys: [Int64]?) {
            var cursor = cursor
            var keys: [Int64]?
            while true {
                let page = try await store.changes(registerId: id, since: cursor, limit: 1_000)
                if let k = page.quickKeys { keys = k }
                cursor = page.cursor
                if !page.hasMore { return (cursor, keys) }
            }
        }
        let cvStart = try await drain("CV-1", from: 0).cursor
        let nordStart = try await drain("NORD-1", from: 0).cursor

        let chosen = try await store.replaceQuickKeys(storeId: 1, productIds: [2, 3, 5])
        #expect(chosen.map(\.id) == [2, 3, 5])
        #expect(try await store.quickKeys(storeId: 1) == [2, 3, 5])
        let cvPull = try await drain("CV-1", from: cvStart)
        #expect(cvPull.keys == [2, 3, 5])
        #expect(try await drain("CV-1", from: cvPull.cursor).keys == nil, "sent once")
        #expect(try await drain("NORD-1", from: nordStart).keys == nil, "another store's keys are not this till's")

        for bad in [Array(Int64(1)...11), [2, 2], [999_999]] {
            await #expect(throws: CentralError.self) { _ = try await store.replaceQuickKeys(storeId: 1, productIds: bad) }
        }
        await #expect(throws: CentralError.self) { _ = try await store.replaceQuickKeys(storeId: 6, productIds: [2]) }   // the warehouse
        await #expect(throws: CentralError.self) { _ = try await store.replaceQuickKeys(storeId: 99, productIds: [2]) }
        #expect(try await store.quickKeys(storeId: 1) == [2, 3, 5], "a refused set changes nothing")
        _ = try await store.replaceQuickKeys(storeId: 1, productIds: [])
        #expect(try await drain("CV-1", from: cvPull.cursor).keys == [], "cleared keys reach the till as an empty list")
    }

    @Test(arguments: StoreKind.allCases)
    func changesArePagedAndNeverSkipAnything(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        var cursor: Int64 = 0
        var products: [Int64: Product] = [:]
        var stock: [StockRow] = []
        var users: [User] = []
        var pages = 0
        repeat {
            let page = try await store.changes(registerId: "CV-1", since: cursor, limit: 100)
            #expect(page.cursor > cursor)
            for p in page.products { products[p.id] = p }
            stock += page.stock
            users += page.users
            if pages == 0 { #expect(!page.locations.isEmpty && !page.taxRules.isEmpty) }
            cursor = page.cursor
            pages += 1
            if !page.hasMore { break }
        } while pages < 100
        #expect(products.count == demoChain.products.count)
        #expect(pages > 5)
        #expect(Set(stock.map(\.locationId)) == [1, 6])
        #expect(stock.filter { $0.locationId == 1 }.count == demoChain.products.count)
        #expect(users.allSatisfy { $0.storeId == 1 || $0.role == .admin })
        #expect(users.contains { $0.username == "caissier.cv" })

        // Nothing new: an empty page with the same cursor.
        let idle = try await store.changes(registerId: "CV-1", since: cursor, limit: 100)
        #expect(idle.products.isEmpty && idle.stock.isEmpty && !idle.hasMore)
        #expect(idle.cursor == cursor)

        // A price change reaches the till with the next pull, alone.
        guard let muffin = try await store.product(sku: "MUF-0001") else { throw CentralError(.notFound, "muffin") }
        _ = try await store.updateProduct(id: muffin.id, ProductInput(
            sku: muffin.sku, barcode: muffin.barcode, name: muffin.name, category: muffin.category, priceCents: 279,
            taxClass: muffin.taxClass, reorderPoint: muffin.reorderPoint, overstockThreshold: muffin.overstockThreshold))
        let next = try await store.changes(registerId: "CV-1", since: cursor, limit: 100)
        #expect(next.products.map(\.price) == [Money(cents: 279)])
        #expect(next.stock.isEmpty)

        // Sales of this till move its store's stock and its mark, in the same page.
        try till.sell([(1, 3)])
        _ = try await store.ingest(registerId: "CV-1", events: try till.events())
        let afterSale = try await store.changes(registerId: "CV-1", since: next.cursor, limit: 100)
        #expect(afterSale.appliedThrough == 1)
        #expect(afterSale.stock == [StockRow(locationId: 1, productId: 1, onHand: 20)])

        // Another store's sales are not this till's business.
        let nord = try Till(registerId: "NORD-1", storeId: 2)
        try await store.enrol(nord, storeId: 2)
        try nord.sell([(1, 1)])
        _ = try await store.ingest(registerId: "NORD-1", events: try nord.events())
        let quiet = try await store.changes(registerId: "CV-1", since: afterSale.cursor, limit: 100)
        #expect(quiet.stock.isEmpty)
        // Nothing new for this till (PostgreSQL answers it in one statement, issue 26): the page
        // says all that a paged read would, its cursor past the other store's changes.
        #expect(quiet.cursor > afterSale.cursor && !quiet.hasMore && quiet.appliedThrough == 1)
        #expect(quiet.registerId == "CV-1" && quiet.storeId == 1 && quiet.chainName == afterSale.chainName && !quiet.chainName.isEmpty)
        #expect(quiet.products.isEmpty && quiet.users.isEmpty && quiet.locations.isEmpty && quiet.promotions == nil && quiet.stockApart == nil)
        let apart = try await store.changes(registerId: "CV-1", since: quiet.cursor, limit: 100, includeStock: false)
        #expect(apart.stockApart == true && apart.cursor == quiet.cursor)
        await #expect(throws: CentralError.self) { try await store.changes(registerId: "CV-1", since: -1, limit: 10) }
        // A cursor ahead of central (a restored backup, issue 23): everything again from 0, said so.
        let ahead = try await store.changes(registerId: "CV-1", since: quiet.cursor + 1_000, limit: 10)
        #expect(ahead.reset == true && ahead.hasMore && ahead.cursor <= quiet.cursor)
        #expect(quiet.reset == nil)
        // A revoked till pulls nothing, even when nothing is new.
        try await store.revokeRegister(id: "CV-1")
        await #expect(throws: CentralError.self) { try await store.changes(registerId: "CV-1", since: quiet.cursor, limit: 100) }
        await #expect(throws: CentralError.self) { try await store.changes(registerId: "GHOST-1", since: 0, limit: 100) }
    }

    @Test(arguments: StoreKind.allCases)
    func restockLifecycleMovesStock(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let request = try await store.createRestock(id: "r1", storeId: 1, productId: 2, quantity: 30, note: nil, at: 1)
        #expect(request.state == .requested)
        await #expect(throws: CentralError.self) { try await store.transitionRestock(id: "r1", action: .ship, at: 2) }
        _ = try await store.transitionRestock(id: "r1", action: .approve, at: 2)
        _ = try await store.transitionRestock(id: "r1", action: .ship, at: 3)
        #expect(try await store.onHand(6, 2) == 60 - 30)
        #expect(try await store.onHand(1, 2) == 2)
        let received = try await store.transitionRestock(id: "r1", action: .receive, at: 4)
        #expect(received.state == .received)
        #expect(try await store.onHand(1, 2) == 32)
        await #expect(throws: CentralError.self) { try await store.transitionRestock(id: "r1", action: .receive, at: 5) }
        #expect(try await store.onHand(1, 2) == 32)

        // Shipping more than the warehouse holds is refused and moves nothing.
        _ = try await store.createRestock(id: "r2", storeId: 1, productId: 5, quantity: 26, note: "gros samedi", at: 1)
        _ = try await store.transitionRestock(id: "r2", action: .approve, at: 2)
        await #expect(throws: CentralError.self) { try await store.transitionRestock(id: "r2", action: .ship, at: 3) }
        #expect(try await store.onHand(6, 5) == 25)
        #expect(try await store.restockRequests(RestockQuery(storeId: 1, state: .approved)).map(\.id) == ["r2"])
        await #expect(throws: CentralError.self) { try await store.transitionRestock(id: "nope", action: .approve, at: 3) }
        await #expect(throws: CentralError.self) { try await store.createRestock(id: "r3", storeId: 6, productId: 1, quantity: 1, note: nil, at: 1) }
        await #expect(throws: (any Error).self) { try await store.createRestock(id: "r4", storeId: 1, productId: 1, quantity: 0, note: nil, at: 1) }
    }

    @Test(arguments: StoreKind.allCases)
    func restockRequestedAndReceivedAtTheTill(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        let request = try till.store.requestRestock(productId: 4, quantity: 10, requestedBy: till.employee.id)
        _ = try await store.ingest(registerId: "CV-1", events: try till.events())
        #expect(try await store.restockRequests(RestockQuery(storeId: 1)).map(\.id) == [request.id])
        _ = try await store.transitionRestock(id: request.id, action: .approve, at: 2)
        _ = try await store.transitionRestock(id: request.id, action: .ship, at: 3)
        let changes = try await store.changes(registerId: "CV-1", since: 0, limit: 10_000)
        #expect(changes.restockRequests.first { $0.id == request.id }?.state == .shipped)
    }

    @Test(arguments: StoreKind.allCases)
    func productsAreValidatedAndUnique(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let input = ProductInput(sku: "NEW-1", barcode: "2000000099996", name: "Galette des rois", category: "Boulangerie",
                                 priceCents: 1299, taxClass: .standard, reorderPoint: 2, overstockThreshold: 20)
        let created = try await store.createProduct(input)
        #expect(created.id == Int64(demoChain.products.count + 1))
        await #expect(throws: CentralError.self) { try await store.createProduct(input) }
        var bad = input
        bad.sku = "OTHER-1"
        bad.barcode = "1234567890123"
        await #expect(throws: CentralError.self) { try await store.createProduct(bad) }
        bad.barcode = input.barcode
        await #expect(throws: CentralError.self) { try await store.createProduct(bad) }   // barcode taken
        bad.barcode = EAN13.make("200000009998") ?? ""
        bad.priceCents = -1
        await #expect(throws: CentralError.self) { try await store.createProduct(bad) }
        await #expect(throws: CentralError.self) { try await store.updateProduct(id: 999_999, input) }
        #expect(try await store.products(after: 0, limit: 5, matching: "galette").map(\.sku) == ["NEW-1"])
        #expect(try await store.products(after: 0, limit: 3, matching: nil).map(\.id) == [1, 2, 3])
        #expect(try await store.products(after: 3, limit: 2, matching: nil).map(\.id) == [4, 5])
        #expect(try await store.products(after: 0, limit: 50, matching: "cafe filtre").allSatisfy { $0.name.hasPrefix("Café filtre") })
        #expect(try await store.products(after: 0, limit: 50, matching: "100%_").isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func failedLoginsLockTheUser(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        guard let state = try await store.loginState(username: "CAISSIER.CV") else { throw CentralError(.notFound, "user") }
        for _ in 0..<4 { try await store.recordLoginFailure(userId: state.user.id, maxFailures: 5, lockUntil: 9_999) }
        #expect(try await store.loginState(username: "caissier.cv")?.lockedUntil == nil)
        try await store.recordLoginFailure(userId: state.user.id, maxFailures: 5, lockUntil: 9_999)
        #expect(try await store.loginState(username: "caissier.cv")?.lockedUntil == 9_999)
        _ = try await store.addRegister(id: "CV-1", storeId: 1, name: "CV-1", tokenDigest: "r1")
        try await store.createSession(userId: state.user.id, tokenDigest: "s1", expiresAt: Int64.max / 2, registerId: "CV-1")
        #expect(try await store.loginState(username: "caissier.cv")?.failedAttempts == 0)
        #expect(try await store.session(tokenDigest: "s1", now: 0)?.user.username == "caissier.cv")
        #expect(try await store.session(tokenDigest: "s1", now: 0)?.expiresAt == Int64.max / 2)
        #expect(try await store.session(tokenDigest: "s1", now: Int64.max / 2 + 1) == nil)
        #expect(try await store.session(tokenDigest: "s2", now: 0) == nil)
        // A lock restarts the count: one more wrong PIN after it does not lock again.
        try await store.recordLoginFailure(userId: state.user.id, maxFailures: 5, lockUntil: 9_999)
        #expect(try await store.loginState(username: "caissier.cv")?.failedAttempts == 1)
        // Logout ends a session; revoking its register ends the others opened from it.
        try await store.createSession(userId: state.user.id, tokenDigest: "s3", expiresAt: Int64.max / 2, registerId: "CV-1")
        try await store.endSession(tokenDigest: "s1")
        #expect(try await store.session(tokenDigest: "s1", now: 0) == nil)
        #expect(try await store.session(tokenDigest: "s3", now: 0) != nil)
        try await store.revokeRegister(id: "CV-1")
        #expect(try await store.session(tokenDigest: "s3", now: 0) == nil)
    }
}

/// SQLite's group commit: pushes that arrive together share a transaction, and
/// a refused one rolls back alone.
@Suite struct GroupCommitTests {
    @Test func aRefusedBatchInAGroupRollsBackAloneAndTheOthersAreApplied() async throws {
        let store = try SQLiteCentralStore(path: try temporaryFolder().appendingPathComponent("central.sqlite").path)
        try await store.migrate()
        try await store.seed(try demoSeed())
        let good = try (1...6).map { try Till(registerId: "CV-\($0)", storeId: 1) }
        let bad = try Till(registerId: "CV-9", storeId: 1)
        let unknownProduct = try Till(registerId: "CV-8", storeId: 1)
        for t in good + [bad, unknownProduct] {
            try await store.enrol(t, storeId: 1)
            for _ in 0..<10 { try t.sell([(1, 1)]) }
        }
        var tampered = try bad.events()
        tampered[4].payload = tampered[4].payload.replacingOccurrences(of: "\"quantity\":1", with: "\"quantity\":5")
        // Well chained, but about a product central does not know: refused after its events were written.
        let first = try unknownProduct.events()[0]
        let stray = SyncEvent(registerId: "CV-8", sequence: 1, id: first.id, type: .sale, createdAt: first.createdAt,
                              payload: first.payload.replacingOccurrences(of: "\"productId\":1,", with: "\"productId\":99999,"),
                              previousHash: HashChain.genesis)
        #expect(stray.payload != first.payload)
        let before = store.groupCommit.stats
        // Another writer (as the admin commands are) holds SQLite's write lock until all eight pushes wait.
        let commit = store.groupCommit
        let busy = Task {
            try await store.writer.write { _ in
                let deadline = Date().addingTimeInterval(10)
                while commit.waitingCount < 8, Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
            }
        }
        try await Task.sleep(for: .milliseconds(20))
        let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
            for t in good {
                group.addTask { (t.registerId, (try? await store.ingest(registerId: t.registerId, events: try t.events())) != nil) }
            }
            let events = tampered
            group.addTask { ("CV-9", (try? await store.ingest(registerId: "CV-9", events: events)) != nil) }
            group.addTask { ("CV-8", (try? await store.ingest(registerId: "CV-8", events: [stray])) != nil) }
            var all: [String: Bool] = [:]
            for await (id, ok) in group { all[id] = ok }
            return all
        }
        try await busy.value
        #expect(outcomes["CV-9"] == false)
        #expect(outcomes["CV-8"] == true, "an unknown product is quarantined, not refused (issue 23)")
        #expect(good.allSatisfy { outcomes[$0.registerId] == true })
        // Six good tills sold ten each; the tampered batch left nothing behind.
        #expect(try await store.onHand(1, 1) == 23 - 60)
        let registers = try await store.registers()
        #expect(registers.first { $0.id == "CV-9" }?.appliedThrough == 0)
        #expect(registers.first { $0.id == "CV-9" }?.auditFlag != nil)
        #expect(registers.filter { $0.id.hasPrefix("CV-") && !["CV-8", "CV-9"].contains($0.id) }.allSatisfy { $0.appliedThrough == 10 })
        #expect(registers.first { $0.id == "CV-8" }?.appliedThrough == 1)
        let after = store.groupCommit.stats
        #expect(after.batches - before.batches == 8)
        #expect(after.transactions - before.transactions < 8, "pushes that waited shared a transaction")
        // The stray event is CV-8's first for good: its real journal differs from sequence 1 and is refused.
        await #expect(throws: CentralError.self) { try await store.ingest(registerId: "CV-8", events: try unknownProduct.events()) }
        #expect(try await store.onHand(1, 1) == 23 - 60)
        #expect(try await store.exceptions(storeId: 1, includeResolved: false).map(\.kind).contains("unknown_reference"))
        // The refused register stays flagged for a person to look at; the others are clean.
        #expect(Set(try await store.audit().keys) == ["CV-8", "CV-9"])
    }
}
