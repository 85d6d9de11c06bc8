import CaisseAPI
import CaisseCore
import Foundation
import Testing
@testable import CentralStore

/// Issue 16 at central, on SQLite and PostgreSQL: promotions and discount
/// limits are checked once, reach the tills by sync, and what a till applied
/// is checked against them (refused when no honest till could, flagged when an
/// offline till or a wrong clock could).
@Suite("Promotions at central", .postgresDatabases)
struct PromotionContractTests {
    static var today: Day { Day(epochMillis: Int64(Date().timeIntervalSince1970 * 1000), utcOffsetSeconds: -5 * 3_600) }

    static func muffins(from start: Day, to end: Day) -> PromotionInput {
        PromotionInput(name: "Muffins 3 pour 5 $", kind: .multiBuy, priceCents: 500, quantity: 3, productIds: [5], startDay: start, endDay: end)
    }

    @Test(arguments: StoreKind.allCases)
    func promotionsAreCheckedAndReachEveryTillWithTheStoresLimit(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let cv = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(cv, storeId: 1)
        let nord = try Till(registerId: "NORD-1", storeId: 2)
        try await store.enrol(nord, storeId: 2)
        func drain(_ id: String, from cursor: Int64) async throws -> (cursor: Int64, promotions: [Promotion], policy: DiscountPolicy?) {
            var cursor = cursor, promotions: [Promotion] = [], policy: DiscountPolicy?
            while true {
                let page = try await store.changes(registerId: id, since: cursor, limit: 1_000)
                promotions += page.promotions ?? []
                if let p = page.discountPolicy { policy = p }
                cursor = page.cursor
                if !page.hasMore { return (cursor, promotions, policy) }
            }
        }
        let cvStart = try await drain("CV-1", from: 0).cursor
        let nordStart = try await drain("NORD-1", from: 0).cursor

        let created = try await store.createPromotion(Self.muffins(from: Self.today, to: Self.today.adding(days: 30)))
        #expect(created.id > 0)
        try await store.setDiscountPolicy(DiscountPolicy(staffLimitPercent: 15), storeId: 1)
        let cvPull = try await drain("CV-1", from: cvStart)
        #expect(cvPull.promotions.map(\.id) == [created.id])
        #expect(cvPull.policy == DiscountPolicy(staffLimitPercent: 15))
        let nordPull = try await drain("NORD-1", from: nordStart)
        #expect(nordPull.promotions.map(\.id) == [created.id], "every till gets every promotion and keeps those of its store")
        #expect(nordPull.policy == nil, "another store's limit is not this till's")
        #expect(try await store.discountPolicy(storeId: 2) == .standard)

        var ended = Self.muffins(from: Self.today, to: Self.today.adding(days: 30))
        ended.active = false
        #expect(try await store.updatePromotion(id: created.id, ended).active == false)
        #expect(try await drain("CV-1", from: cvPull.cursor).promotions.map(\.active) == [false])

        var bad = Self.muffins(from: Self.today, to: Self.today)
        bad.quantity = nil
        await #expect(throws: CentralError.self) { _ = try await store.createPromotion(bad) }
        bad = Self.muffins(from: Self.today, to: Self.today.adding(days: -1))
        await #expect(throws: CentralError.self) { _ = try await store.createPromotion(bad) }
        bad = Self.muffins(from: Self.today, to: Self.today)
        bad.productIds = [999_999]
        await #expect(throws: CentralError.self) { _ = try await store.createPromotion(bad) }
        bad.productIds = [5]
        bad.storeIds = [6]   // the warehouse
        await #expect(throws: CentralError.self) { _ = try await store.createPromotion(bad) }
        await #expect(throws: CentralError.self) { _ = try await store.updatePromotion(id: 999, Self.muffins(from: Self.today, to: Self.today)) }
        await #expect(throws: CentralError.self) { try await store.setDiscountPolicy(DiscountPolicy(staffLimitPercent: 101), storeId: 1) }
        await #expect(throws: CentralError.self) { try await store.setDiscountPolicy(DiscountPolicy(staffLimitPercent: 10), storeId: 6) }
        #expect(try await store.promotions().count == 1, "nothing refused was written")
    }

    @Test(arguments: StoreKind.allCases)
    func whatATillAppliedIsCheckedRefusedOrFlagged(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        let running = try await store.createPromotion(Self.muffins(from: Self.today.adding(days: -1), to: Self.today.adding(days: 30)))
        let over = try await store.createPromotion(Self.muffins(from: Self.today.adding(days: -10), to: Self.today.adding(days: -2)))

        // A sale under a running promotion, one under a promotion the till still had after it ended (offline).
        var cart = Cart()
        cart.offers = [running]
        try cart.add(try till.product(5), quantity: 3)
        try till.sell(cart)
        cart.offers = [over]
        try till.sell(cart)
        // A cashier's 50 % off a line: within the 60 % the till last heard of, beyond the 10 % central has now.
        try till.store.applyChanges([ChangeSet(registerId: "CV-1", storeId: 1, cursor: 1, hasMore: false, appliedThrough: 0, locations: [],
                                               taxRules: [], products: [], users: [], restockRequests: [], stock: [], chainName: "",
                                               discountPolicy: DiscountPolicy(staffLimitPercent: 60))], pulledFrom: 0)
        var generous = Cart()
        try generous.add(try till.product(2))
        try generous.setDiscount(ManualDiscount(rule: .percent(micros: 500_000), reason: "goodwill"), lineNo: 1)
        try till.sell(generous)
        _ = try await store.ingest(registerId: "CV-1", events: try till.events())
        let kinds = try await store.exceptions(storeId: 1, includeResolved: false).map(\.kind)
        #expect(kinds.filter { $0 == "promotion_out_of_schedule" }.count == 1)
        #expect(kinds.filter { $0 == "discount_without_approval" }.count == 1)
        #expect(try await store.registers().first { $0.id == "CV-1" }?.appliedThrough == 3, "facts are recorded, never refused")

        // A promotion central never issued: no honest till has it.
        let forger = try Till(registerId: "CV-2", storeId: 1)
        try await store.enrol(forger, storeId: 1)
        var forged = Cart()
        var fake = running
        fake.id = 4_242
        forged.offers = [fake]
        try forged.add(try forger.product(5), quantity: 3)
        try forger.sell(forged)
        guard case .applied(1, 1, [.unknownReference]) = try await store.ingest(registerId: "CV-2", events: try forger.events()) else {
            Issue.record("the forged promotion's sale was not quarantined")
            return
        }
    }
}
