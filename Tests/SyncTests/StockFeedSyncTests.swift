import CaisseAPI
import CaisseCore
import Foundation
import RegisterStore
import Sync
import Testing

/// Issue 26: a till takes its store's stock from the stock feed about once a minute and the
/// rest of the change feed every cycle; its own sales are counted once whichever came last.
@Suite("The stock feed at the till", .serialized)
struct StockFeedSyncTests {
    @Test func theStoreStockComesWithTheStockFeedAndTheTillsOwnSalesAreCountedOnce() async throws {
        let central = try Central()
        try central.start()
        defer { central.stop() }
        let a = try await EnrolledTill.enroll(central: central, registerId: "CV-1", storeCode: "CV")
        let b = try await EnrolledTill.enroll(central: central, registerId: "CV-2", storeCode: "CV")
        let client = SyncClient(baseURL: central.url, token: try #require(try b.store.syncSettings()?.token))
        let hourly = try SyncEngine(store: b.store, client: client, stockInterval: 3_600)
        let start = try b.store.onHand(productId: 1)
        #expect(await hourly.syncOnce().reached)
        #expect(try b.store.onHand(productId: 1) == start)

        // CV-1 sells 2; CV-2 sells 1 and syncs within the minute: the change feed brings no stock.
        try a.sell([(1, 2)])
        _ = await a.engine.syncOnce()
        try b.sell([(1, 1)])
        #expect(try b.store.onHand(productId: 1) == start - 1)
        let cycle = await hourly.syncOnce()
        #expect(cycle.reached && cycle.pushed == 1)
        #expect(try b.store.onHand(productId: 1) == start - 1, "its own sale once, CV-1's not yet known")

        // The stock feed's turn: CV-1's 2 and CV-2's own 1, each once.
        let now = try SyncEngine(store: b.store, client: client, stockInterval: 0)
        #expect(await now.syncOnce().reached)
        #expect(try b.store.onHand(productId: 1) == start - 3)
        #expect(try b.store.syncSettings()?.stockCursor ?? 0 > 0)
    }
}
