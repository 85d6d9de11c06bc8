/// A customer's loyalty card (issue 27): an EAN-13 in the in-store range that no product uses
/// ("29", then the customer's number), so the till tells a card from an item by the scan alone.
public enum LoyaltyCard {
    public static let prefix = "29"

    /// The card of customer `id` (1 ... 9,999,999,999).
    public static func number(forCustomer id: Int64) -> String? {
        guard (1...9_999_999_999).contains(id) else { return nil }
        let digits = String(id)
        return EAN13.make(prefix + String(repeating: "0", count: 10 - digits.count) + digits)
    }

    public static func isCard(_ code: String) -> Bool {
        code.hasPrefix(prefix) && EAN13.isValid(code)
    }

    public static func customerId(of code: String) -> Int64? {
        guard isCard(code) else { return nil }
        return Int64(code.dropFirst(2).prefix(10))
    }
}

/// What a head office's program gives (issue 27): N points for X $ off.
public struct LoyaltyReward: Hashable, Sendable, Codable {
    public var points: Int64
    public var value: Money
    public init(points: Int64, value: Money) {
        self.points = points
        self.value = value
    }
}

/// Head office's loyalty program: points per dollar spent after discounts and before taxes,
/// the rewards they buy, and how long points last (nil: for ever).
public struct LoyaltyProgram: Hashable, Sendable, Codable {
    public var pointsPerDollar: Int64
    public var rewards: [LoyaltyReward]
    public var expiryDays: Int?

    public init(pointsPerDollar: Int64, rewards: [LoyaltyReward], expiryDays: Int? = nil) {
        self.pointsPerDollar = pointsPerDollar
        self.rewards = rewards
        self.expiryDays = expiryDays
    }

    /// No program: nothing is earned.
    public static let none = LoyaltyProgram(pointsPerDollar: 0, rewards: [])

    public func validate() throws(DomainError) {
        guard (0...100).contains(pointsPerDollar) else { throw DomainError(.invalidInput, "points per dollar: 0 to 100") }
        guard rewards.count <= 20 else { throw DomainError(.invalidInput, "at most 20 rewards") }
        for r in rewards {
            guard (1...1_000_000).contains(r.points) else { throw DomainError(.invalidInput, "a reward costs 1 to 1,000,000 points") }
            guard r.value.cents > 0, r.value.cents <= 100_000 else { throw DomainError(.invalidInput, "a reward is worth 0.01 $ to 1,000 $") }
        }
        if let days = expiryDays, !(1...3_650).contains(days) { throw DomainError(.invalidInput, "points expire after 1 to 3,650 days, or never") }
    }

    /// Points for what the customer paid before taxes (whole dollars; nothing for a negative amount).
    /// Bounded: a sale is at most a few million dollars, so the product stays far inside Int64.
    public func points(forNet net: Money) -> Int64 {
        guard net.cents > 0, pointsPerDollar > 0 else { return 0 }
        return min(net.cents, 100_000_000_000) / 100 * min(pointsPerDollar, 100)
    }
}
