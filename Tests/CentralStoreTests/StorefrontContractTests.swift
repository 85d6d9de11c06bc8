import CaisseAPI
import CaisseCore
import Foundation
import Testing
@testable import CentralStore

/// Issue 27: carts and orders for pickup, in both dialects. An order reserves what the store
/// has and never more, whoever checks out at the same moment; it is picked up once, by its own
/// store; one not picked up in time gives its stock back.
@Suite("Storefront orders", .postgresDatabases)
struct StorefrontContractTests {
    static let now: Int64 = 1_790_000_000_000

    func customer(_ central: any CentralStore, _ email: String) async throws -> Customer {
        try await central.signUp(CustomerInput(name: "Client", email: email, loyaltyConsent: true), passwordHash: "x", at: Self.now)
    }

    func available(_ central: any CentralStore, store: Int64, product: Int64, at time: Int64 = now) async throws -> Int {
        try #require(try await central.shopItems(storeId: store, query: nil, after: product - 1, limit: 1, at: time).first { $0.product.id == product })
            .available
    }

    @Test(arguments: StoreKind.allCases)
    func anOrderReservesWhatTheStoreHasAndIsPickedUpOnceByItsStore(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let ana = try await customer(central, "ana@example.com")
        let onHand = try #require(try await central.onHand(1, 5))
        #expect(try await available(central, store: 1, product: 5) == onHand)

        try await central.setCartLine(customerId: ana.id, storeId: 1, productId: 5, quantity: 2, at: Self.now)
        await #expect(throws: CentralError.self, "more than the store has") {
            try await central.setCartLine(customerId: ana.id, storeId: 1, productId: 5, quantity: onHand + 1, at: Self.now)
        }
        await #expect(throws: CentralError.self, "the warehouse sells nothing online") {
            try await central.setCartLine(customerId: ana.id, storeId: 6, productId: 5, quantity: 1, at: Self.now)
        }
        #expect(try await central.cart(customerId: ana.id, storeId: 1, at: Self.now).map(\.quantity) == [2])

        let order = try await central.checkout(customerId: ana.id, storeId: 1, orderId: "order-1", holdDays: 3, at: Self.now)
        #expect(order.state == .placed && order.lines.map(\.quantity) == [2] && order.number.hasPrefix("W-"))
        #expect(try await central.cart(customerId: ana.id, storeId: 1, at: Self.now).isEmpty)
        #expect(try await available(central, store: 1, product: 5) == onHand - 2, "reserved")
        await #expect(throws: CentralError.self, "an empty cart") {
            try await central.checkout(customerId: ana.id, storeId: 1, orderId: "order-2", holdDays: 3, at: Self.now)
        }

        await #expect(throws: CentralError.self, "another store's order") {
            try await central.transitionOrder(id: "order-1", action: .prepare, storeId: 2, customerId: nil, saleId: nil, at: Self.now + 1)
        }
        #expect(try await central.transitionOrder(id: "order-1", action: .prepare, storeId: 1, customerId: nil, saleId: nil, at: Self.now + 1).state == .preparing)
        #expect(try await central.transitionOrder(id: "order-1", action: .ready, storeId: 1, customerId: nil, saleId: nil, at: Self.now + 2).state == .ready)
        #expect(try await central.orders(storeId: 1, openOnly: true, at: Self.now + 3).map(\.id) == ["order-1"])
        let picked = try await central.transitionOrder(id: "order-1", action: .pickup, storeId: 1, customerId: nil, saleId: "sale-1", at: Self.now + 3)
        #expect(picked.state == .pickedUp && picked.saleId == "sale-1")
        await #expect(throws: CentralError.self, "never picked up twice") {
            try await central.transitionOrder(id: "order-1", action: .pickup, storeId: 1, customerId: nil, saleId: "sale-2", at: Self.now + 4)
        }
        #expect(try await central.orders(customerId: ana.id, at: Self.now + 4).map(\.state) == [.pickedUp])
        #expect(try await central.orders(storeId: 1, openOnly: true, at: Self.now + 4).isEmpty)
        #expect(try await available(central, store: 1, product: 5) == onHand, "a picked-up order reserves nothing (the sale moves the stock)")
    }

    @Test(arguments: StoreKind.allCases)
    func twoCustomersCheckingOutTheLastUnitsAtOnceOneWins(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let a = try await customer(central, "a@example.com"), b = try await customer(central, "b@example.com")
        let onHand = try #require(try await central.onHand(1, 3))
        try #require(onHand >= 2)
        try await central.setCartLine(customerId: a.id, storeId: 1, productId: 3, quantity: onHand, at: Self.now)
        try await central.setCartLine(customerId: b.id, storeId: 1, productId: 3, quantity: onHand, at: Self.now)
        @Sendable func checkout(_ c: Customer) async -> Bool {
            (try? await central.checkout(customerId: c.id, storeId: 1, orderId: "order-\(c.id)", holdDays: 3, at: Self.now)) != nil
        }
        async let first = checkout(a)
        async let second = checkout(b)
        let won = await [first, second].filter { $0 }.count
        #expect(won == 1, "stock is never reserved beyond what the store has")
        #expect(try await available(central, store: 1, product: 3) == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func anOrderNotPickedUpInTimeGivesItsStockBack(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let c = try await customer(central, "late@example.com")
        let onHand = try #require(try await central.onHand(1, 5))
        try await central.setCartLine(customerId: c.id, storeId: 1, productId: 5, quantity: 1, at: Self.now)
        let order = try await central.checkout(customerId: c.id, storeId: 1, orderId: "late-1", holdDays: 2, at: Self.now)
        let after = order.pickupBy + 1
        #expect(try await available(central, store: 1, product: 5, at: after) == onHand)
        #expect(try await central.order(id: "late-1", at: after)?.state == .expired)
        await #expect(throws: CentralError.self, "an expired order is not picked up") {
            try await central.transitionOrder(id: "late-1", action: .pickup, storeId: 1, customerId: nil, saleId: "s", at: after)
        }
        // The customer cancels another before its day: released at once.
        try await central.setCartLine(customerId: c.id, storeId: 1, productId: 5, quantity: 1, at: Self.now)
        _ = try await central.checkout(customerId: c.id, storeId: 1, orderId: "late-2", holdDays: 2, at: Self.now)
        await #expect(throws: CentralError.self, "not someone else's order") {
            try await central.transitionOrder(id: "late-2", action: .cancel, storeId: nil, customerId: c.id + 1, saleId: nil, at: Self.now)
        }
        #expect(try await central.transitionOrder(id: "late-2", action: .cancel, storeId: nil, customerId: c.id, saleId: nil, at: Self.now).state == .cancelled)
        #expect(try await available(central, store: 1, product: 5) == onHand - 1, "only the first order reserves, until its day")
    }
}
