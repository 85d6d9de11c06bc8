import CaisseAPI
import CaisseCore
import CentralModel
import Testing

/// Issue 27: which points expire, oldest first, never more than the balance.
@Suite struct LoyaltyExpiryTests {
    func entry(_ points: Int64, at day: Int64, _ kind: LoyaltyEntry.Kind = .earned) -> LoyaltyEntry {
        LoyaltyEntry(id: 0, customerId: 1, kind: kind, points: points, reference: nil, reason: nil, createdAt: day * 86_400_000)
    }

    @Test func spentPointsComeOutOfTheOldestFirst() {
        let cutoff: Int64 = 100 * 86_400_000
        #expect(LoyaltyExpiry.due([entry(100, at: 10), entry(50, at: 120)], cutoff: cutoff) == 100)
        #expect(LoyaltyExpiry.due([entry(100, at: 10), entry(-30, at: 50, .redeemed), entry(50, at: 120)], cutoff: cutoff) == 70)
        #expect(LoyaltyExpiry.due([entry(100, at: 10), entry(-130, at: 150, .redeemed), entry(50, at: 120)], cutoff: cutoff) == 0,
                "spent after the cutoff still spends the oldest")
        #expect(LoyaltyExpiry.due([entry(100, at: 10), entry(-100, at: 101, .expired)], cutoff: cutoff) == 0, "expired already")
        #expect(LoyaltyExpiry.due([entry(100, at: 10), entry(-40, at: 120, .held)], cutoff: cutoff) == 60, "a hold is spent until released")
        #expect(LoyaltyExpiry.due([entry(Int64.max, at: 10), entry(Int64.max, at: 11)], cutoff: cutoff) == Int64.max, "sums saturate")
    }

    @Test func noExpiryNoCutoff() {
        #expect(LoyaltyExpiry.cutoff(LoyaltyProgram(pointsPerDollar: 1, rewards: []), at: 1_000) == nil)
        #expect(LoyaltyExpiry.cutoff(LoyaltyProgram(pointsPerDollar: 1, rewards: [], expiryDays: 2), at: 3 * 86_400_000) == 86_400_000)
    }
}
