import CaisseAPI
import CaisseCore
import Foundation
import Testing
@testable import CentralStore

/// Issue 17 at central, on SQLite and PostgreSQL: a till's adjustments move the
/// store's stock in the ledger, are reported as waste and shrinkage, and one
/// beyond the store's limit without a manager is recorded and flagged.
@Suite("Stock adjustments at central", .postgresDatabases)
struct AdjustmentContractTests {
    @Test(arguments: StoreKind.allCases)
    func adjustmentsMoveTheLedgerAndShowInTheReport(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await store.enrol(till, storeId: 1)
        let before = try #require(try await store.onHand(1, 3))
        _ = try till.store.recordAdjustment(reason: .waste, lines: [(3, -6), (5, -2)], note: "fin de journée", by: till.employee.id)
        _ = try till.store.recordAdjustment(reason: .found, lines: [(3, 1)], note: nil, by: till.employee.id)
        // The till heard of a 1 000 $ limit; central's is the standard 50 $: recorded, flagged, never refused.
        try till.store.applyChanges([ChangeSet(registerId: "CV-1", storeId: 1, cursor: 1, hasMore: false, appliedThrough: 0, locations: [],
                                               taxRules: [], products: [], users: [], restockRequests: [], stock: [], chainName: "",
                                               discountPolicy: DiscountPolicy(staffLimitPercent: 10, adjustmentLimit: Money(cents: 100_000)))],
                                    pulledFrom: 0)
        _ = try till.store.recordAdjustment(reason: .theft, lines: [(11, -3)], note: "étagère vide", by: till.employee.id)
        guard case .applied(through: 3, _, let exceptions) = try await store.ingest(registerId: "CV-1", events: try till.events()) else {
            Issue.record("not applied"); return
        }
        #expect(exceptions == [.adjustmentWithoutApproval])
        #expect(try await store.onHand(1, 3) == before - 5)
        #expect(try await store.onHand(1, 3) == (try till.store.onHand(productId: 3)), "the till and central agree")
        let today = Day(epochMillis: Int64(Date().timeIntervalSince1970 * 1000), utcOffsetSeconds: -5 * 3_600)
        let rows = try await store.adjustmentRows(from: today.adding(days: -1), to: today.adding(days: 1))
        let losses = StockLossSummary(rows: rows)
        let donut = try #require(try await store.product(id: 3)), muffin = try #require(try await store.product(id: 5))
        let mug = try #require(try await store.product(id: 11))
        #expect(losses.waste.units == 8)
        #expect(losses.waste.value == donut.price * 6 + muffin.price * 2)
        #expect(losses.shrinkage.units == 2, "3 stolen less 1 found")
        #expect(losses.shrinkage.value == mug.price * 3 - donut.price)
        #expect(Set(losses.byCategory.map(\.key)) == Set([donut.category, muffin.category, mug.category]))
    }
}
