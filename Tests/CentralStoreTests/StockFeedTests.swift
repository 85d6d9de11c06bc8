import CaisseAPI
import CaisseCore
import CentralModel
import Testing

/// Issue 26: a till pulls its store's stock apart from the change feed, on its own cursor,
/// with the applied mark read in the same transaction; tills that predate it get the stock
/// in the change feed as before. Both dialects.
@Suite struct StockFeedTests {
    @Test(arguments: StoreKind.allCases)
    func theStockComesApartWithItsMarkPagedAndNeverSkipped(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        // The whole snapshot from 0, page by page: every product of the store and of the warehouse, once.
        var cursor: Int64 = 0
        var rows: [StockRow] = []
        var pages = 0
        repeat {
            let page = try await store.stockChanges(registerId: "CV-1", since: cursor, limit: 50)
            #expect(page.cursor > cursor)
            rows += page.stock
            cursor = page.cursor
            pages += 1
            if !page.hasMore { break }
        } while pages < 100
        #expect(pages > 2)
        #expect(Set(rows.map(\.locationId)) == [1, 6])
        #expect(rows.filter { $0.locationId == 1 }.count == demoChain.products.count)
        #expect(Set(rows.map { "\($0.locationId)/\($0.productId)" }).count == rows.count, "each row once")
        let changesCursor = try await store.changes(registerId: "CV-1", since: 0, limit: 10_000).cursor

        // A sale: the change feed asked apart carries no stock and says so; the stock feed carries
        // the row and the mark that goes with it; the feed as old tills pull it is unchanged.
        try till.sell([(1, 3)])
        _ = try await store.ingest(registerId: "CV-1", events: try till.events())
        let apart = try await store.changes(registerId: "CV-1", since: changesCursor, limit: 100, includeStock: false)
        #expect(apart.stock.isEmpty && apart.stockApart == true && apart.appliedThrough == 1)
        let old = try await store.changes(registerId: "CV-1", since: changesCursor, limit: 100)
        #expect(old.stock == [StockRow(locationId: 1, productId: 1, onHand: 20)] && old.stockApart == nil)
        let feed = try await store.stockChanges(registerId: "CV-1", since: cursor, limit: 100)
        #expect(feed.stock == [StockRow(locationId: 1, productId: 1, onHand: 20)])
        #expect(feed.appliedThrough == 1 && !feed.hasMore && feed.cursor > cursor)
        let idle = try await store.stockChanges(registerId: "CV-1", since: feed.cursor, limit: 100)
        #expect(idle.stock.isEmpty && idle.cursor == feed.cursor)

        // Another store's sales are not this till's stock.
        let nord = try Till(registerId: "NORD-1", storeId: 2)
        try await store.enrol(nord, storeId: 2)
        try nord.sell([(1, 1)])
        _ = try await store.ingest(registerId: "NORD-1", events: try nord.events())
        #expect(try await store.stockChanges(registerId: "CV-1", since: feed.cursor, limit: 100).stock.isEmpty)

        // A cursor ahead of central (a restored backup): everything again from 0, said so.
        let ahead = try await store.stockChanges(registerId: "CV-1", since: feed.cursor + 1_000_000, limit: 10_000)
        #expect(ahead.reset == true && ahead.stock.filter { $0.locationId == 1 }.count == demoChain.products.count)
        await #expect(throws: CentralError.self) { try await store.stockChanges(registerId: "CV-1", since: -1, limit: 10) }
        await #expect(throws: CentralError.self) { try await store.stockChanges(registerId: "NOBODY", since: 0, limit: 10) }
    }
}
