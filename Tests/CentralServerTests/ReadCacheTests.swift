import CaisseAPI
import CaisseCore
@testable import CentralServer
import CentralStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The read caches of ADR 0012: what a cached read may and may not show.
@Suite struct ReadCacheTests {
    static let maxAge = Int64(CentralService.defaultReadCacheMaxAgeMillis) * 1_000_000

    @Test func aRevokedRegisterIsRefusedAtOnceBySyncAndWithinTheMaxAgeByReads() async throws {
        let central = try await TestCentral()
        let token = central.tokens["CV-1"]
        try await central.app.test(.router) { client in
            // Sync knows the token already (issue 26: which register a token is, cached for sync)…
            #expect(try await client.call(.get, "/v1/sync/changes", token: token).status == .ok)
            #expect(try await client.call(.get, "/v1/sync/stock", token: token).status == .ok)
            #expect(try await client.call(.get, "/v1/products/1", token: token).status == .ok)
            // As `caisse-central registers revoke` does: straight in the database, not through this instance.
            try await central.store.revokeRegister(id: "CV-1")
            // A catalog read may still be served from the cache, but no longer than the max age.
            #expect(try await client.call(.get, "/v1/products/1", token: token).status == .ok)
            // …and sync refuses it at once all the same: the push's and the pull's own transactions check.
            let pull = try await client.call(.get, "/v1/sync/changes", token: token)
            #expect(pull.status == .unauthorized && pull.errorCode == "revoked")
            #expect(try await client.call(.get, "/v1/sync/stock", token: token).status == .unauthorized)
            // The router ignores empty segments: this is sync too, and must not use the read cache.
            #expect(try await client.call(.get, "/v1//sync/changes", token: token).status == .unauthorized)
            #expect(try await client.call(.post, "/v1/sync/events", token: token, body: PushRequest(events: [])).status == .unauthorized)
            #expect(try await client.call(.post, "/v1/restock-requests", token: token, json: #"{"productId":1,"quantity":2}"#).status == .unauthorized)
            central.monotonic.advance(by: Self.maxAge)
            let refused = try await client.call(.get, "/v1/products/1", token: token)
            #expect(refused.status == .unauthorized)
            #expect(refused.errorCode == "unauthorized")
        }
    }

    @Test func aWriteByAnotherProcessShowsOnceTheMaxAgeHasPassed() async throws {
        let central = try await TestCentral()
        let token = central.tokens["CV-1"]
        try await central.app.test(.router) { client in
            #expect(try await client.call(.get, "/v1/products/1", token: token).decode(Product.self).price == Money(cents: 299))
            var input = try #require(try await central.store.product(id: 1)).input
            input.priceCents = 249
            _ = try await central.store.updateProduct(id: 1, input)
            central.monotonic.advance(by: Self.maxAge - 1)
            #expect(try await client.call(.get, "/v1/products/1", token: token).decode(Product.self).price == Money(cents: 299))
            central.monotonic.advance(by: 1)
            #expect(try await client.call(.get, "/v1/products/1", token: token).decode(Product.self).price == Money(cents: 249))
            let page = try await client.call(.get, "/v1/products?limit=1", token: token).decode(Page<Product>.self)
            #expect(page.items.first?.price == Money(cents: 249))
        }
    }

    @Test func aWriteServedHereShowsAtOnceEvenWithinTheMaxAge() async throws {
        let central = try await TestCentral()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try till.sell([(1, 2)])
        try await central.app.test(.router) { client in
            let cv = central.tokens["CV-1"]
            let admin = try await client.login("admin", "9999")
            #expect(try await client.call(.get, "/v1/stock/stores/1", token: cv).decode(StockResponse.self).lines.first { $0.productId == 1 }?.onHand == 23)
            #expect(try await client.call(.get, "/v1/products/sku/TIM-0001", token: cv).decode(Product.self).price == Money(cents: 299))
            // No clock moves in this test: the version is re-read because this instance served the writes.
            _ = try await client.call(.post, "/v1/sync/events", token: cv, body: PushRequest(events: try till.store.journal()))
            #expect(try await client.call(.get, "/v1/stock/stores/1", token: cv).decode(StockResponse.self).lines.first { $0.productId == 1 }?.onHand == 21)
            var input = try #require(try await central.store.product(id: 1)).input
            input.priceCents = 259
            #expect(try await client.call(.put, "/v1/products/1", token: admin, body: input).status == .ok)
            #expect(try await client.call(.get, "/v1/products/sku/TIM-0001", token: cv).decode(Product.self).price == Money(cents: 259))
            #expect(try await client.call(.get, "/v1/products/barcode/\(CatalogGeneratorBarcode.of(1))", token: cv).decode(Product.self).price == Money(cents: 259))
        }
    }

    @Test func aCachedSessionEndsWhenItExpires() async throws {
        let central = try await TestCentral()
        try await central.app.test(.router) { client in
            let manager = try await client.login("gerant.cv", "3333")
            #expect(try await client.call(.get, "/v1/users", token: manager).status == .ok)
            central.wallClock.advance(by: central.service.sessionMillis - 1)
            #expect(try await client.call(.get, "/v1/users", token: manager).status == .ok)
            central.wallClock.advance(by: 1)
            #expect(try await client.call(.get, "/v1/users", token: manager).status == .unauthorized)
        }
    }

    /// Issue 26: a person's session is cached like a register's, and still ends when it is logged
    /// out on another instance or its register is revoked, within the max age like every cached read.
    @Test func aCachedSessionEndsWithALogoutElsewhereOrItsRegistersRevocation() async throws {
        let central = try await TestCentral()
        try await central.app.test(.router) { client in
            let manager = try await client.login("gerant.cv", "3333")
            #expect(try await client.call(.get, "/v1/users", token: manager).status == .ok)
            // Logged out through another instance: straight in the database.
            try await central.store.endSession(tokenDigest: BearerToken.digest(manager))
            central.monotonic.advance(by: Self.maxAge)
            #expect(try await client.call(.get, "/v1/users", token: manager).status == .unauthorized)

            let again = try await client.login("gerant.cv", "3333")
            #expect(try await client.call(.get, "/v1/stock/stores/1", token: again).status == .ok)
            try await central.store.revokeRegister(id: "CV-1")
            central.monotonic.advance(by: Self.maxAge)
            #expect(try await client.call(.get, "/v1/stock/stores/1", token: again).status == .unauthorized)
        }
    }

    @Test func aNewUserShowsInTheCachedListOnceTheMaxAgeHasPassed() async throws {
        let central = try await TestCentral()
        try await central.app.test(.router) { client in
            let manager = try await client.login("gerant.cv", "3333")
            let before = try await client.call(.get, "/v1/users", token: manager).decode([UserInfo].self)
            _ = try await central.store.addUser(User(id: 0, username: "nouveau", displayName: "Nouveau", role: .cashier, storeId: 1,
                                                    pinHash: "x", active: true))
            central.monotonic.advance(by: Self.maxAge)
            let after = try await client.call(.get, "/v1/users", token: manager).decode([UserInfo].self)
            #expect(after.count == before.count + 1)
            #expect(after.contains { $0.username == "nouveau" })
        }
    }

    @Test func withNoMaxAgeEveryReadSeesTheDatabase() async throws {
        let central = try await TestCentral(readCacheMaxAgeMillis: 0)
        let token = central.tokens["NORD-1"]
        try await central.app.test(.router) { client in
            #expect(try await client.call(.get, "/v1/products?limit=1", token: token).status == .ok)
            try await central.store.revokeRegister(id: "NORD-1")
            #expect(try await client.call(.get, "/v1/products?limit=1", token: token).status == .unauthorized)
        }
    }

    @Test func concurrentRequestsShareOneVersionReadButNeverOneThatPredatesAWrite() async throws {
        let tracker = VersionTracker(maxAgeMillis: 100, now: { 0 })
        let reads = ManualClock(0)
        let gate = ManualClock(0)
        let read: @Sendable () async throws -> DataVersion = {
            reads.advance(by: 1)
            while gate.value == 0 { try await Task.sleep(for: .milliseconds(1)) }
            return DataVersion(changes: reads.value, catalog: 0, users: 0, revokedRegisters: 0)
        }
        // Two hundred requests arrive while the first read is under way: one query in all.
        try await withThrowingTaskGroup(of: DataVersion.self) { group in
            for _ in 0..<200 { group.addTask { try await tracker.current(reading: read) } }
            try await Task.sleep(for: .milliseconds(50))
            gate.advance(by: 1)
            for try await v in group { #expect(v.changes == 1) }
        }
        #expect(reads.value == 1)
        // A write served here: the next request reads again, even with the version fresh.
        gate.advance(by: -1)
        let before = Task { try await tracker.current(reading: read) }
        tracker.noteLocalWrite()
        let slow = Task { try await tracker.current(reading: read) }
        try await Task.sleep(for: .milliseconds(50))
        tracker.noteLocalWrite()
        let after = Task { try await tracker.current(reading: read) }
        try await Task.sleep(for: .milliseconds(50))
        gate.advance(by: 1)
        _ = try await before.value
        _ = try await slow.value
        // The read begun before the second write does not answer for the request after it.
        #expect(try await after.value.changes == 3)
        #expect(reads.value == 3)
    }

    @Test func aBodyIsMadeOnceForAllTheRequestsThatMissMeanwhile() async throws {
        let cache = ResponseCache()
        let made = ManualClock(0)
        let gate = ManualClock(0)
        let make: @Sendable () async throws -> [Int] = {
            made.advance(by: 1)
            while gate.value == 0 { try await Task.sleep(for: .milliseconds(1)) }
            return [1, 2, 3]
        }
        try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
            for _ in 0..<100 {
                group.addTask { try await cache.json("stock|1", version: 7, encoder: JSONEncoder(), make).status }
            }
            try await Task.sleep(for: .milliseconds(50))
            gate.advance(by: 1)
            for try await status in group { #expect(status == .ok) }
        }
        #expect(made.value == 1)
        #expect(cache.get("stock|1", version: 7).map { String(buffer: $0) } == "[1,2,3]")
        // A failure reaches every waiter and is not kept: the next request makes the body again.
        let failing: @Sendable () async throws -> [Int] = {
            made.advance(by: 1)
            throw APIError.notFound("no store 9")
        }
        await #expect(throws: APIError.self) { try await cache.json("stock|9", version: 7, encoder: JSONEncoder(), failing) }
        await #expect(throws: APIError.self) { try await cache.json("stock|9", version: 7, encoder: JSONEncoder(), failing) }
        #expect(made.value == 3)
    }

    @Test func theTwoGenerationMapStaysBoundedAndKeepsWhatIsRead() {
        var map = TwoGenerationMap<Int, Int>(capacity: 10)
        map.set(0, 0)
        for i in 1...1_000 {
            map.set(i, i)
            #expect(map.get(0) == 0, "read after every insert, key 0 stays")
            #expect(map.count <= 20)
        }
        #expect(map.get(1) == nil)
        #expect(map.get(1_000) == 1_000)
    }

    @Test func theResponseCacheIsBoundedInBytes() {
        let cache = ResponseCache(maxBytes: 10_000)
        let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1_000)
        for i in 0..<1_000 { cache.put("page|\(i)", version: 1, body: body) }
        let kept = (0..<1_000).filter { cache.get("page|\($0)", version: 1) != nil }.count
        #expect(kept > 0)
        #expect(kept <= 20, "at most twice the byte budget")
        // A body larger than the budget is served but not kept.
        cache.put("huge", version: 1, body: ByteBuffer(repeating: 0, count: 20_000))
        #expect(cache.get("huge", version: 1) == nil)
        #expect(cache.get("page|999", version: 2) == nil, "another version is a miss")
    }
}

extension Product {
    /// The product as an admin would resend it.
    var input: ProductInput {
        ProductInput(sku: sku, barcode: barcode, name: name, category: category, priceCents: price.cents, taxClass: taxClass,
                     reorderPoint: reorderPoint, overstockThreshold: overstockThreshold, active: active)
    }
}
