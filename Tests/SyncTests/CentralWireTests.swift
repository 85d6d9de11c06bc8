import CaisseAPI
import CaisseCore
import DemoChain
import Foundation
import Sync
import Testing

/// ADR 0023: central's answers are read through the spec's generated types, then mapped to the
/// till's own with the ranges and closed sets the till's decoders keep.
@Suite struct CentralWireTests {
    func page() throws -> [String: Any] {
        let products = CatalogGenerator().products(count: 3)
        let users = [User(id: 7, username: "caissier.cv", displayName: "Caissier", role: .cashier, storeId: 1, pinHash: "h")]
        let page = ChangeSet(registerId: "CV-1", storeId: 1, cursor: 9, hasMore: false, appliedThrough: 2, locations: [], taxRules: [],
                             products: products, users: users, restockRequests: [],
                             stock: [StockRow(locationId: 1, productId: 1, onHand: 4)], chainName: "Bench")
        return try #require(try JSONSerialization.jsonObject(with: try WireJSON.encoder.encode(page)) as? [String: Any])
    }

    func read(_ object: [String: Any]) throws -> ChangeSet {
        try SpecDecoding.changeSet(try JSONSerialization.data(withJSONObject: object))
    }

    @Test func aPageReadsTheSameThroughTheSpecAsStraight() throws {
        let json = try JSONSerialization.data(withJSONObject: try page())
        #expect(try SpecDecoding.changeSet(json) == WireJSON.decoder.decode(ChangeSet.self, from: json))
    }

    @Test func anAmountBeyondTheWireLimitIsRefused() throws {
        var object = try page()
        var products = try #require(object["products"] as? [[String: Any]])
        products[0]["priceCents"] = 100_000_000_000_000 as Int64
        object["products"] = products
        #expect(throws: (any Error).self) { try read(object) }
    }

    @Test func aRoleOrAStateTheSpecDoesNotNameIsRefused() throws {
        var object = try page()
        var users = try #require(object["users"] as? [[String: Any]])
        users[0]["role"] = "owner"
        object["users"] = users
        #expect(throws: (any Error).self) { try read(object) }
    }

    @Test func aMissingRequiredFieldIsRefused() throws {
        var object = try page()
        object["chainName"] = nil
        #expect(throws: (any Error).self) { try read(object) }
    }
}
