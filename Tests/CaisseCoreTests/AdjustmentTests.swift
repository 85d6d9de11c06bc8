import Testing
@testable import CaisseCore

/// Issue 17: stock adjustments and the losses they add up to.
@Suite("Stock adjustments")
struct AdjustmentTests {
    func adjustment(_ reason: AdjustmentReason, _ lines: [(Int64, Int)], note: String? = nil) -> StockAdjustment {
        StockAdjustment(id: "a-1", storeId: 1, registerId: "CV-1", createdAt: 1_790_000_000_000, reason: reason, note: note,
                        lines: lines.map { AdjustmentLine(productId: $0.0, sku: "SKU-\($0.0)", name: "P\($0.0)", quantity: $0.1, unitPrice: Money(cents: 169)) },
                        by: 2)
    }

    @Test func eachReasonMovesStockOneWayAndBadInputIsRefused() throws {
        try adjustment(.waste, [(1, -6), (2, -2)]).validate()
        try adjustment(.found, [(1, 3)]).validate()
        try adjustment(.correction, [(1, -1), (2, 4)]).validate()
        #expect(adjustment(.waste, [(1, -6), (2, -2)]).value == Money(cents: 1_352))
        for bad in [adjustment(.waste, [(1, 3)]), adjustment(.found, [(1, -3)]), adjustment(.theft, [(1, 0)]),
                    adjustment(.breakage, [(1, -1), (1, -2)]), adjustment(.correction, [(1, -10_000)]), adjustment(.waste, []),
                    adjustment(.waste, [(1, -1)], note: "line\nbreak")] {
            #expect(throws: DomainError.self) { try bad.validate() }
        }
        #expect(StockMovement.forAdjustment(adjustment(.waste, [(1, -6)])) ==
                [StockMovement(locationId: 1, productId: 1, quantity: -6, reason: .adjustment, reference: "a-1")])
    }

    /// A hostile payload's Int.min quantity trapped in abs() before it was refused.
    @Test func anyQuantityFromTheNetworkIsRefusedWithoutTrapping() {
        for q in [Int.min, Int.max, -10_000, 10_000] {
            #expect(throws: DomainError.self) { try adjustment(.correction, [(1, q)]).validate() }
        }
    }

    @Test func unitsTypedMeanWhatTheReasonSays() {
        #expect(AdjustmentReason.waste.quantity(typed: "6") == -6)
        #expect(AdjustmentReason.found.quantity(typed: " 2 ") == 2)
        #expect(AdjustmentReason.correction.quantity(typed: "+3") == 3)
        #expect(AdjustmentReason.correction.quantity(typed: "-2") == -2)
        for (reason, text) in [(AdjustmentReason.waste, "-6"), (.theft, "+1"), (.found, "-1"), (.correction, "3"), (.breakage, "0"),
                               (.waste, "10000"), (.waste, "x")] {
            #expect(reason.quantity(typed: text) == nil, "\(reason) \(text)")
        }
    }

    @Test func wasteAndShrinkageAreLossesByStoreCategoryAndReason() {
        let day = Day(number: 20_000)
        func row(_ store: Int64, _ product: Int64, _ category: String, _ reason: AdjustmentReason, _ quantity: Int, _ cents: Int64) -> AdjustmentTotals {
            AdjustmentTotals(storeId: store, day: day, productId: product, sku: "S\(product)", name: "P\(product)", category: category,
                             reason: reason, quantity: quantity, value: Money(cents: cents))
        }
        let summary = StockLossSummary(rows: [row(1, 1, "Beignes", .waste, -6, -1_014), row(1, 2, "Boulangerie", .waste, -2, -498),
                                              row(2, 1, "Beignes", .theft, -1, -169), row(2, 1, "Beignes", .found, 2, 338)],
                                       storeNames: ["1": "CV", "2": "NORD"])
        #expect(summary.waste == StockLossSummary.Entry(key: "waste", label: "waste", units: 8, value: Money(cents: 1_512)))
        #expect(summary.shrinkage.units == -1 && summary.shrinkage.value == Money(cents: -169), "found goods offset what was lost")
        #expect(summary.byStore.map(\.label) == ["CV", "NORD"])
        #expect(summary.byCategory.first { $0.key == "Beignes" }?.value == Money(cents: 845))
        #expect(summary.byReason.map(\.key) == ["waste", "theft", "found"])
    }
}

/// Issue 28, item 7: a count's category found from what a person types.
@Suite struct CountCategoryTests {
    let categories = ["Beignes", "Boissons chaudes", "Boissons froides", "Muffins", "Viennoiseries"]

    @Test func theExactNameAUniqueWordStartOrTheOnesItCouldBe() {
        #expect(StockCount.category("beignes", in: categories) == .one("Beignes"))
        #expect(StockCount.category("muffin", in: categories) == .one("Muffins"), "the start of the name")
        #expect(StockCount.category("froid", in: categories) == .one("Boissons froides"), "the start of a word")
        #expect(StockCount.category("VIENNOISERIES", in: categories) == .one("Viennoiseries"))
        #expect(StockCount.category("boissons", in: categories) == .several(["Boissons chaudes", "Boissons froides"]))
        #expect(StockCount.category("pain", in: categories) == .none)
        #expect(StockCount.category("  ", in: categories) == .none)
    }
}
