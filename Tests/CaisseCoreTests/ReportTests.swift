import Testing
@testable import CaisseCore

@Suite("Reports")
struct ReportTests {
    let today = Day(iso: "2026-11-25")!

    var documents: [DocumentTotals] {
        [
            DocumentTotals(storeId: 1, day: today, kind: .sale, count: 2, items: 5, subtotal: Money(cents: 1000), tax: Money(cents: 150)),
            DocumentTotals(storeId: 1, day: today, kind: .return, count: 1, items: 1, subtotal: Money(cents: 200), tax: Money(cents: 30)),
            DocumentTotals(storeId: 2, day: today.adding(days: -1), kind: .sale, count: 1, items: 2, subtotal: Money(cents: 500), tax: Money(cents: 75)),
            DocumentTotals(storeId: 2, day: today.adding(days: -10), kind: .sale, count: 1, items: 1, subtotal: Money(cents: 300), tax: Money(cents: 45)),
            DocumentTotals(storeId: 1, day: today.adding(days: -40), kind: .sale, count: 1, items: 1, subtotal: Money(cents: 9999), tax: .zero),
        ]
    }

    @Test func perStoreFigures() {
        let report = SalesReport(documents: Array(documents.prefix(4)), products: [])
        #expect(report.stores.map(\.storeId) == [1, 2])
        let store1 = report.stores[0].figures
        #expect(store1.count == 2)
        #expect(store1.items == 4)
        #expect(store1.gross == Money(cents: 1000))
        #expect(store1.returns == Money(cents: 200))
        #expect(store1.taxes == Money(cents: 120))
        #expect(store1.net == Money(cents: 800))
        #expect(report.total.net == Money(cents: 1600))
        #expect(report.days.map(\.day) == [today.adding(days: -10), today.adding(days: -1), today])
    }

    @Test func topProductsByNetRevenue() {
        let products = [
            ProductTotals(productId: 1, sku: "A", name: "A", kind: .sale, quantity: 10, amount: Money(cents: 1000)),
            ProductTotals(productId: 2, sku: "B", name: "B", kind: .sale, quantity: 3, amount: Money(cents: 1500)),
            ProductTotals(productId: 2, sku: "B", name: "B", kind: .return, quantity: 2, amount: Money(cents: 1000)),
            ProductTotals(productId: 3, sku: "C", name: "C", kind: .sale, quantity: 1, amount: Money(cents: 700)),
        ]
        let report = SalesReport(documents: [], products: products, topCount: 2)
        #expect(report.topProducts.map(\.sku) == ["A", "C"])
        #expect(report.topProducts[0].quantity == 10)
    }

    @Test func dashboardWindows() {
        let windows = StoreRevenue.windows(documents: documents, today: today, storeIds: [1, 2, 3])
        #expect(windows.map(\.storeId) == [1, 2, 3])
        #expect(windows[0].today == Money(cents: 800))
        #expect(windows[0].last30Days == Money(cents: 800))   // the 40-day-old sale is out
        #expect(windows[1].today == .zero)
        #expect(windows[1].last7Days == Money(cents: 500))
        #expect(windows[1].last30Days == Money(cents: 800))
        #expect(windows[2].last30Days == .zero)
    }

    /// Issue 24: a month of discounts each as large as a line can hold (a legal sale each)
    /// made the dashboard's and the CSV's rate trap (discounts × 1 000 past Int64).
    @Test func discountRateOfAHostileMonthDoesNotTrap() {
        let huge = Money(cents: 999_900_000_000 * 500)   // 500 lines at the largest gross, all discounted
        let discounts = (0..<30).map { i in
            DiscountTotals(storeId: 1, day: today.adding(days: -i), documentKind: .sale, kind: .line, reason: "goodwill", promotionId: nil,
                           label: nil, cashierId: 1, approvedBy: nil, count: 1, amount: huge)
        }
        let windows = StoreRevenue.windows(documents: documents, today: today, storeIds: [1], discounts: discounts)
        #expect(windows[0].discounts30Days == huge * 30)
        #expect(windows[0].discountRatePermille == 1_000)
        #expect(DiscountSummary.ratePermille(discounts: Money(cents: .max), netSales: Money(cents: .max)) == 500)
        var rows = discounts
        for i in rows.indices { rows[i].amount = Money(cents: .max / 3) }
        let summary = DiscountSummary(rows: rows)
        #expect(summary.total == Money(cents: .max))   // saturated: hostile data shows as the bound, never a trap
    }

    /// Issue 24's arithmetic audit: counts, items and quantities read back from storage are summed
    /// without trapping too (a quantity of Int.min returned once made `-1 * quantity` trap).
    @Test func countsAndQuantitiesFromStorageSaturate() {
        let rows = [DocumentTotals(storeId: 1, day: today, kind: .sale, count: .max, items: .max, subtotal: Money(cents: 100), tax: .zero),
                    DocumentTotals(storeId: 1, day: today, kind: .sale, count: .max, items: .max, subtotal: Money(cents: 100), tax: .zero),
                    DocumentTotals(storeId: 1, day: today, kind: .return, count: .max, items: .min, subtotal: Money(cents: 1), tax: .zero)]
        let products = [ProductTotals(productId: 1, sku: "A", name: "A", kind: .return, quantity: .min, amount: Money(cents: 1)),
                        ProductTotals(productId: 1, sku: "A", name: "A", kind: .sale, quantity: .max, amount: Money(cents: 1))]
        let report = SalesReport(documents: rows, products: products)
        #expect(report.total.count == .max && report.total.items == .max)
        #expect(report.topProducts.first?.quantity == .max)
        var n = Int64.max
        n.add(saturating: 1)
        #expect(n == .max)
        n = -.max
        n.subtract(saturating: 5)
        #expect(n == -.max)
        #expect(Int.max.adding(saturating: -1) == .max - 1)
    }

    @Test func moneySaturatesInsteadOfTrapping() {
        #expect(Money(cents: .max) + Money(cents: 1) == Money(cents: .max))
        #expect(Money(cents: -.max) - Money(cents: 2) == Money(cents: -.max))
        #expect(Money(cents: .max / 2) * 3 == Money(cents: .max))
        #expect(Money(cents: .max / 2) * -3 == Money(cents: -.max))
        #expect(-Money(cents: .min) == Money(cents: .max))
        #expect(Money(cents: 250) + Money(cents: -100) == Money(cents: 150))
    }

    @Test func stockAlertsPerLocation() {
        let positions = [
            StockPosition(locationId: 1, productId: 1, sku: "A", name: "A", onHand: 0, reorderPoint: 5, overstockThreshold: 50),
            StockPosition(locationId: 1, productId: 2, sku: "B", name: "B", onHand: 3, reorderPoint: 5, overstockThreshold: 50),
            StockPosition(locationId: 2, productId: 1, sku: "A", name: "A", onHand: 80, reorderPoint: 5, overstockThreshold: 50),
            StockPosition(locationId: 2, productId: 2, sku: "B", name: "B", onHand: 20, reorderPoint: 5, overstockThreshold: 50),
        ]
        let alerts = StockAlerts.classify(positions)
        #expect(alerts.map(\.locationId) == [1, 2])
        #expect(alerts[0].out.map(\.sku) == ["A"])
        #expect(alerts[0].low.map(\.sku) == ["B"])
        #expect(alerts[1].over.map(\.sku) == ["A"])
        #expect(alerts[1].low.isEmpty)
    }
}

@Suite("Days and barcodes")
struct DayAndBarcodeTests {
    @Test func isoRoundTrip() {
        for text in ["1999-12-31", "2000-02-29", "2026-11-25", "2100-12-31"] {
            #expect(Day(iso: text)?.iso == text)
        }
        #expect(Day(number: 0).iso == "1970-01-01")
        #expect(Day(iso: "2000-01-01")?.number == 10_957)
        // Issue 24: 0999 was taken, written back as "999-01-01", and no longer read.
        for bad in ["2026-02-30", "2025-02-29", "2026-13-01", "26-11-25", "2026/11/25", "", "2026-11-25T00:00",
                    "0999-01-01", "1970-01-01", "2102-01-01", "9999-12-31", "+026-11-25", "2026-+1-01"] {
            #expect(Day(iso: bad) == nil, "\(bad)")
        }
        #expect(Day(number: -1_000_000).iso.count == 11 && Day(number: -700_000).iso.hasPrefix("00"), "four digits, whatever the year")
    }

    @Test func localDayFollowsTheOffset() {
        // 2026-11-25 03:00 UTC is still the 24th in Montréal (UTC−5).
        let millis = Day(iso: "2026-11-25")!.startMillis(utcOffsetSeconds: 0) + 3 * 3_600_000
        #expect(Day(epochMillis: millis, utcOffsetSeconds: -5 * 3600).iso == "2026-11-24")
        #expect(Day(epochMillis: millis, utcOffsetSeconds: 0).iso == "2026-11-25")
        #expect(Day(epochMillis: -1, utcOffsetSeconds: 0).iso == "1969-12-31")
    }

    @Test func ean13CheckDigits() {
        #expect(EAN13.isValid("4006381333931"))
        #expect(!EAN13.isValid("4006381333932"))
        #expect(!EAN13.isValid("400638133393"))
        #expect(!EAN13.isValid("40063813339a1"))
        #expect(EAN13.make("200000000001") == "2000000000015")
    }
}
