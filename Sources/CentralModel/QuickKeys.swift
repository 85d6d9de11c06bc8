import CaisseAPI
import CaisseCore

/// A store's quick keys: products sold without a scan (coffee, a pastry), one key
/// each at the till. Chosen at central per store, synced to its registers.
public enum QuickKeyRules {
    /// One page at the till: keys 1 to 9, then 0.
    public static let maximum = 10

    /// Checks a new set against the catalog and the location, with the store's
    /// own lookups: the rule is written once, whatever the database.
    public static func validate(storeId: Int64, productIds: [Int64], in store: some IdentityRepository & CatalogRepository) async throws {
        guard productIds.count <= maximum else { throw CentralError(.invalid, "a store has at most \(maximum) quick keys") }
        guard Set(productIds).count == productIds.count else { throw CentralError(.invalid, "a product appears twice among the quick keys") }
        guard let location = try await store.location(id: storeId) else { throw CentralError(.notFound, "no store \(storeId)") }
        guard location.kind != .warehouse else { throw CentralError(.invalid, "\(location.name) is the warehouse: it sells nothing") }
        for id in productIds {
            guard let product = try await store.product(id: id) else { throw CentralError(.invalid, "no product \(id)") }
            guard product.active else { throw CentralError(.invalid, "\(product.name) (\(product.sku)) is no longer sold") }
        }
    }
}

extension OffersRepository where Self: CatalogRepository & IdentityRepository {
    /// Replaces a store's quick keys after `QuickKeyRules` accepts them; returns them as products.
    public func replaceQuickKeys(storeId: Int64, productIds: [Int64]) async throws -> [Product] {
        try await QuickKeyRules.validate(storeId: storeId, productIds: productIds, in: self)
        try await saveQuickKeys(storeId: storeId, productIds: productIds)
        return try await quickKeyProducts(storeId: storeId)
    }

    /// A store's quick keys, in order (products since retired included: the till leaves them out).
    public func quickKeyProducts(storeId: Int64) async throws -> [Product] {
        var products: [Product] = []
        for id in try await quickKeys(storeId: storeId) {
            if let p = try await product(id: id) { products.append(p) }
        }
        return products
    }
}

/// How a store's quick keys are kept in one column: ids in order, comma-separated.
public enum QuickKeyList {
    public static func encode(_ ids: [Int64]) -> String { ids.map(String.init).joined(separator: ",") }
    public static func decode(_ text: String) -> [Int64] { text.split(separator: ",").compactMap { Int64($0) } }
}
