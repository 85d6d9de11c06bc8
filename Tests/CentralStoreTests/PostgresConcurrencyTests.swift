import CaisseAPI
import CaisseCore
import Foundation
import Testing
@testable import CentralStore
@testable import PostgresCentralStore

/// Several central instances over one PostgreSQL (docs/adr/0010-postgres-concurrency.md).
@Suite("PostgreSQL concurrency", .postgresDatabases,
       .enabled(if: PostgresTestEnvironment.enabled, "CAISSE_TEST_POSTGRES_URL is not set (scripts/test starts a cluster)"))
struct PostgresConcurrencyTests {
    /// A seeded database and `count` instances over it, each with its own pool.
    func instances(_ count: Int) async throws -> [PostgresCentralStore] {
        let url = try await PostgresTestEnvironment.freshDatabase()
        let stores = (0..<count).map { _ in PostgresTestEnvironment.instance(on: url) }
        try await stores[0].migrate()
        try await stores[0].seed(try demoSeed())
        return stores
    }

    @Test func twoInstancesPushingTheSameRegisterApplyEverySaleOnce() async throws {
        let stores = try await instances(2)
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await stores[0].enrol(till, storeId: 1)
        let before = try await [1, 2, 3, 4].asyncMap { try await stores[0].onHand(1, $0) ?? 0 }
        let sales = 60
        for i in 0..<sales { try till.sell([(1, 1), (Int64(2 + i % 3), 2)]) }
        let events = try till.events()
        #expect(events.count == sales)

        // Each instance pushes the whole journal in windows of its own size, every
        // window re-sending the last two events (a till retrying after a lost answer):
        // the windows of the two instances overlap all the time.
        let applied = try await withThrowingTaskGroup(of: Int.self) { group in
            for (store, size) in zip(stores, [7, 5]) {
                group.addTask {
                    var through: Int64 = 0
                    var newEvents = 0
                    var pushes = 0
                    while through < Int64(events.count), pushes < 1_000 {
                        pushes += 1
                        let start = Int(max(1, through - 1))
                        let batch = Array(events[(start - 1)..<min(start - 1 + size, events.count)])
                        switch try await store.ingest(registerId: "CV-1", events: batch) {
                        case let .applied(mark, new, _):
                            through = max(mark, batch.last?.sequence ?? mark)
                            newEvents += new
                        case let .gap(expected):
                            through = expected - 1
                        }
                    }
                    return newEvents
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(applied == sales)
        let rows = try await stores[1].reportRows(from: Day(number: 0), to: Day(number: 100_000))
        #expect(rows.documents.reduce(0) { $0 + $1.count } == sales)
        #expect(try await stores[1].onHand(1, 1) == before[0] - sales)
        for p in 2...4 {
            let sold = (0..<sales).filter { 2 + $0 % 3 == p }.count * 2
            #expect(try await stores[1].onHand(1, Int64(p)) == before[p - 1] - sold)
        }
        #expect(try await stores[0].registers().first?.appliedThrough == Int64(sales))
        #expect(try await stores[0].audit().isEmpty)
    }

    @Test func aCursorNeverSkipsAPriceChangeCommittedOutOfOrder() async throws {
        let stores = try await instances(4)
        let reader = stores[0]
        try await reader.enrol(try Till(registerId: "CV-1", storeId: 1), storeId: 1)
        var seen: [Int64: Money] = [:]
        var cursor: Int64 = 0
        func pullAll() async throws -> Int {
            var pages = 0
            while true {
                let page = try await reader.changes(registerId: "CV-1", since: cursor, limit: 50)
                for p in page.products { seen[p.id] = p.price }
                cursor = page.cursor
                pages += 1
                if !page.hasMore { return pages }
            }
        }
        _ = try await pullAll()
        let catalog = try await reader.products(after: 0, limit: 30, matching: nil)
        #expect(catalog.count == 30)

        // Three writers on three instances change the same thirty prices while
        // the reader keeps pulling: transactions commit in any order.
        let progress = WritersDone()
        let writers = Task {
            defer { Task { await progress.finish() } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (w, store) in stores.dropFirst().enumerated() {
                    group.addTask {
                        for round in 0..<40 {
                            let p = catalog[(round * 7 + w * 11) % catalog.count]
                            _ = try await store.updateProduct(id: p.id, ProductInput(
                                sku: p.sku, barcode: p.barcode, name: p.name, category: p.category,
                                priceCents: Int64(10_000 * (w + 1) + round), taxClass: p.taxClass,
                                reorderPoint: p.reorderPoint, overstockThreshold: p.overstockThreshold))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        var pulls = 0
        while await !progress.done {
            pulls += try await pullAll()
        }
        try await writers.value
        _ = try await pullAll()
        #expect(pulls > 1)
        for p in catalog {
            let final = try await reader.product(id: p.id)?.price
            #expect(seen[p.id] == final, "product \(p.id): the till has \(String(describing: seen[p.id])), central \(String(describing: final))")
        }
    }

    /// Issue 26: a plain sale takes its change numbers, writes on-hand and the aggregates in one
    /// statement. Four registers push on three instances while a till pulls the stock feed on a
    /// fourth: its cursor never passes a stock row committed later, so its on-hand ends as central's.
    @Test func aStockCursorNeverSkipsASaleCommittedOutOfOrder() async throws {
        let stores = try await instances(4)
        let reader = stores[0]
        let tills = try (1...4).map { try Till(registerId: "CV-\($0)", storeId: 1) }
        for till in tills { try await reader.enrol(till, storeId: 1) }
        for (i, till) in tills.enumerated() {
            for s in 0..<25 { try till.sell([(Int64(1 + (i + s) % 4), 1), (Int64(1 + s % 4), 1)]) }
        }
        var seen: [Int64: Int] = [:]
        var cursor: Int64 = 0
        func pullAll() async throws {
            while true {
                let page = try await reader.stockChanges(registerId: "CV-1", since: cursor, limit: 7)
                for row in page.stock where row.locationId == 1 { seen[row.productId] = row.onHand }
                cursor = page.cursor
                if !page.hasMore { return }
            }
        }
        try await pullAll()
        let progress = WritersDone()
        let writers = Task {
            defer { Task { await progress.finish() } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, till) in tills.enumerated() {
                    let store = stores[1 + i % 3]
                    let events = try till.events(), registerId = till.registerId
                    group.addTask {
                        for start in stride(from: 0, to: events.count, by: 3) {
                            _ = try await store.ingest(registerId: registerId, events: Array(events[start..<min(start + 3, events.count)]))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        while await !progress.done { try await pullAll() }
        try await writers.value
        try await pullAll()
        for product: Int64 in 1...4 {
            let central = try await reader.onHand(1, product)
            #expect(seen[product] == central, "product \(product): the till has \(String(describing: seen[product])), central \(String(describing: central))")
        }
        #expect(try await reader.registers().allSatisfy { $0.appliedThrough == 25 })
    }

    @Test func concurrentRestockShipmentsNeverOverdrawTheWarehouse() async throws {
        let stores = try await instances(2)
        let warehouse = try await stores[0].onHand(6, 5) ?? 0   // 25 of product 5
        for i in 0..<4 {
            _ = try await stores[0].createRestock(id: "r\(i)", storeId: 1, productId: 5, quantity: 10, note: nil, at: 1)
            _ = try await stores[0].transitionRestock(id: "r\(i)", action: .approve, at: 2)
        }
        // Each request shipped by both instances at once: each ships once, and only while stock lasts.
        let shipped = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<4 {
                for store in stores {
                    group.addTask {
                        do {
                            _ = try await store.transitionRestock(id: "r\(i)", action: .ship, at: 3)
                            return true
                        } catch let error as CentralError where [.insufficientStock, .invalidTransition].contains(error.kind) {
                            return false
                        }
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(shipped == warehouse / 10)
        #expect(try await stores[1].onHand(6, 5) == warehouse - 10 * shipped)
    }
}

/// Whether the writers are done, shared with the reader's loop.
actor WritersDone {
    private(set) var done = false
    func finish() { done = true }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
