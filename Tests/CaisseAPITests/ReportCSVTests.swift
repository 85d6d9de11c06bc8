import CaisseAPI
import CaisseCore
import Testing

/// The report's CSV carries what the screen shows: stores with their discounts, then sections.
@Suite struct ReportCSVTests {
    @Test func discountsAndLossesHaveTheirSections() {
        let day = Day(number: 20_000)
        let documents = [DocumentTotals(storeId: 1, day: day, kind: .sale, count: 2, items: 5, subtotal: Money(cents: 1_000), tax: Money(cents: 150))]
        let discounts = DiscountSummary(rows: [DiscountTotals(storeId: 1, day: day, documentKind: .sale, kind: .promotion, reason: nil, promotionId: 4,
                                                              label: "Muffins", cashierId: 1, approvedBy: nil, count: 1, amount: Money(cents: 247))])
        let losses = StockLossSummary(rows: [AdjustmentTotals(storeId: 1, day: day, productId: 3, sku: "BEI-0001", name: "Beigne", category: "Beignes",
                                                              reason: .waste, quantity: -4, value: Money(cents: -676), cost: Money(cents: -240))])
        let report = SalesReport(documents: documents, products: [], discounts: discounts, losses: losses)
        let response = SalesReportResponse(from: day, to: day, storeNames: ["1": "CV"], report: report)
        let csv = ReportCSV.text(response)
        #expect(csv == "store_id,store,sales,items,gross,returns,return_count,taxes,net,discounts,discount_rate_pct\n"
                + "1,\"CV\",2,5,10.00,0.00,0,1.50,10.00,2.47,19.8\n,\"TOTAL\",2,5,10.00,0.00,0,1.50,10.00,2.47,19.8\n",
                "issue 29: one table, nothing else: \(csv)")
        #expect(ReportCSV.text(response, table: .discounts).contains("promotion,\"4\",\"Muffins\",1,2.47\n"))
        let lossTable = ReportCSV.text(response, table: .losses)
        #expect(lossTable.contains("losses,\"waste\",\"waste\",4,6.76,2.40\n"), "waste at retail and at cost")
        #expect(lossTable.contains("losses,\"shrinkage\",\"shrinkage\",0,0.00,\n"), "no cost known: empty")
        #expect(lossTable.contains("loss_category,\"Beignes\",\"Beignes\",4,6.76,2.40\n"))
        // Issue 28, item 16: the till's French export labels reasons in French; the keys stay codes.
        let french = ReportCSV.text(response, table: .losses, language: .fr)
        #expect(french.contains("losses,\"waste\",\"pertes (invendus)\",4,6.76,2.40\n"), "\(french)")
        #expect(french.contains("loss_reason,\"waste\",\"perte (invendus)\",4,6.76,2.40\n"), "\(french)")
        // Every file one table: a header, then rows of as many fields, no blank line.
        for (name, text) in ReportCSV.files(response) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(!lines.contains(""), "\(name) holds one table")
            let width = lines.first?.split(separator: ",").count
            #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count >= (width ?? 0) }, "\(name)")
        }
        #expect(ReportCSV.files(response).map(\.name) == ["stores.csv", "discounts.csv", "losses.csv", "taxes.csv", "products.csv", "days.csv"])
    }

    /// Issue 18: returns counted beside their amount; taxes by code as filed; top products and days.
    @Test func taxesByCodeTopProductsAndDays() {
        let day = Day(number: 20_000)
        let documents = [DocumentTotals(storeId: 1, day: day, kind: .sale, count: 3, items: 6, subtotal: Money(cents: 2_000), tax: Money(cents: 300)),
                         DocumentTotals(storeId: 1, day: day, kind: .return, count: 1, items: 1, subtotal: Money(cents: 200), tax: Money(cents: 30))]
        let products = [ProductTotals(productId: 5, sku: "MUF-0001", name: "Muffin", kind: .sale, quantity: 6, amount: Money(cents: 2_000)),
                        ProductTotals(productId: 5, sku: "MUF-0001", name: "Muffin", kind: .return, quantity: 1, amount: Money(cents: 200))]
        let taxes = [TaxTotals(storeId: 1, day: day, kind: .sale, code: "GST", amount: Money(cents: 100)),
                     TaxTotals(storeId: 1, day: day, kind: .sale, code: "QST", amount: Money(cents: 200)),
                     TaxTotals(storeId: 1, day: day, kind: .return, code: "GST", amount: Money(cents: 10)),
                     TaxTotals(storeId: 1, day: day, kind: .return, code: "QST", amount: Money(cents: 20))]
        let report = SalesReport(documents: documents, products: products, taxes: taxes)
        #expect(report.total.returnCount == 1 && report.total.returns == Money(cents: 200))
        let response = SalesReportResponse(from: day, to: day, storeNames: ["1": "CV"], report: report)
        #expect(ReportCSV.text(response).contains("1,\"CV\",3,5,20.00,2.00,1,2.70,18.00,0.00,0.0\n"))
        #expect(ReportCSV.text(response, table: .taxes).contains("\"GST\",1,\"CV\",1.00,0.10,0.90\n"))
        #expect(ReportCSV.text(response, table: .taxes).contains("\"QST\",,\"TOTAL\",2.00,0.20,1.80\n"))
        #expect(ReportCSV.text(response, table: .products).contains("1,5,\"MUF-0001\",\"Muffin\",5,18.00\n"))
        #expect(ReportCSV.text(response, table: .days).contains("\(day.iso),3,5,20.00,2.00,1,2.70,18.00\n"))
    }
}
