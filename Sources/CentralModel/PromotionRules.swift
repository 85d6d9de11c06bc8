import CaisseAPI
import CaisseCore

/// What central accepts as a promotion or a store's discount limit, checked
/// once in Swift with each store's own lookups.
public enum PromotionRules {
    public static func validate(_ promotion: Promotion, in store: some CatalogRepository & IdentityRepository) async throws {
        do { try promotion.validate() } catch { throw CentralError(.invalid, error.message) }
        let locations = try await store.locations()
        for id in promotion.storeIds {
            guard let location = locations.first(where: { $0.id == id }), location.sells else {
                throw CentralError(.invalid, "storeIds: \(id) is not a store")
            }
        }
        for id in promotion.productIds {
            guard try await store.product(id: id) != nil else { throw CentralError(.invalid, "productIds: no product \(id)") }
        }
    }

    public static let limitRange = 0...100
}

extension OffersRepository where Self: CatalogRepository & IdentityRepository {
    /// Creates a promotion after `PromotionRules` accepts it.
    public func createPromotion(_ input: PromotionInput) async throws -> Promotion {
        let promotion = input.promotion(id: 0)
        try await PromotionRules.validate(promotion, in: self)
        return try await savePromotion(promotion)
    }

    /// Replaces a promotion (ending it early is a new end day, or `active: false`).
    public func updatePromotion(id: Int64, _ input: PromotionInput) async throws -> Promotion {
        guard try await promotion(id: id) != nil else { throw CentralError(.notFound, "no promotion \(id)") }
        let promotion = input.promotion(id: id)
        try await PromotionRules.validate(promotion, in: self)
        return try await savePromotion(promotion)
    }

    /// Sets a store's discount limit for cashiers and employees.
    public func setDiscountPolicy(_ policy: DiscountPolicy, storeId: Int64) async throws {
        guard PromotionRules.limitRange.contains(policy.staffLimitPercent) else {
            throw CentralError(.invalid, "staffLimitPercent is 0…100")
        }
        guard !policy.adjustmentLimit.isNegative, policy.adjustmentLimit <= DocumentLimits.maxAmount else {
            throw CentralError(.invalid, "adjustmentLimitCents is 0…\(DocumentLimits.maxAmount.cents)")
        }
        guard let location = try await location(id: storeId), location.sells else { throw CentralError(.notFound, "no store \(storeId)") }
        try await saveDiscountPolicy(policy, storeId: storeId)
    }
}
