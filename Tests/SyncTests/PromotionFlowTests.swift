import CaisseAPI
import CaisseCore
import CentralStore
import Foundation
import Testing

/// Issue 16 from end to end: a promotion defined with `caisse-central
/// promotions add` reaches a till by sync, applies by itself to its next sale,
/// stops after its last day, and shows in central's report and dashboard.
@Suite(.serialized) struct PromotionFlowTests {
    @Test func aPromotionFromCentralAppliesAtTheTillAndShowsInTheReport() async throws {
        let central = try Central()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let zone = TimeZone(identifier: "America/Toronto")!
        let today = Day(epochMillis: now, utcOffsetSeconds: zone.secondsFromGMT(for: Date()))
        let added = try run("caisse-central", ["promotions", "add", "--database", central.database, "--name", "Muffins 3 pour 5 $",
                                               "--kind", "multi_buy", "--quantity", "3", "--price", "5", "--products", "MUF-0001",
                                               "--from", today.adding(days: -1).iso, "--to", today.iso, "--stores", "CV"]).1
        #expect(added.contains("Muffins 3 pour 5 $\t3 for 5.00"))
        try central.start()
        let cv = try await EnrolledTill.enroll(central: central, registerId: "CV-1", storeCode: "CV")
        let mm = try await EnrolledTill.enroll(central: central, registerId: "MM-1", storeCode: "MM")
        #expect(try cv.store.promotions().map(\.name) == ["Muffins 3 pour 5 $"])

        let cashier = try ScreenDriver(cv)
        await cashier.keys("caissier.cv<enter>1111<enter>1150<enter>")
        let muffin = try #require(try cv.store.product(code: "MUF-0001"))
        await cashier.keys(String(repeating: muffin.barcode + "<enter>", count: 3) + "<f5>")
        let sale = try #require(try cv.store.sale(receiptNumber: "CV-1-000001"))
        let off = muffin.price * 3 - Money(cents: 500)
        #expect(sale.lines.first?.discounts == [LineDiscount(kind: .promotion, amount: off, promotionId: 1, label: "Muffins 3 pour 5 $")])
        #expect(sale.subtotal == Money(cents: 500))

        // After its last day the same three muffins sell at full price.
        await cashier.send(.tick(now + 86_400_000 * 2))
        await cashier.keys("<enter>" + String(repeating: muffin.barcode + "<enter>", count: 3) + "<f5>")
        let later = try #require(try cv.store.sale(receiptNumber: "CV-1-000002"))
        #expect(later.lines.first?.discounts == [])
        #expect(later.subtotal == muffin.price * 3)
        _ = await cv.engine.syncOnce()

        // Central's report and dashboard, as head office's manager sees them at the till.
        let manager = try ScreenDriver(mm)
        await manager.keys("gerant.mm<enter>3333<enter>" + manager.menuKey(.reports))
        guard case .salesReport(let shown) = manager.state.screen, let report = shown.report?.report else { Issue.record("no report"); return }
        #expect(report.discounts.total == off)
        #expect(report.discounts.byPromotion.map(\.label) == ["Muffins 3 pour 5 $"])
        #expect(report.discounts.byStore.first?.key == "1")
        #expect(report.discounts.byPromotion.first?.count == 1)
        await manager.keys("<esc>" + manager.menuKey(.dashboard))
        guard case .dashboard(let board) = manager.state.screen, let dashboard = board.dashboard else { Issue.record("no dashboard"); return }
        let cvRevenue = try #require(dashboard.revenue.first { $0.storeId == 1 })
        #expect(cvRevenue.discounts30Days == off)
        #expect(cvRevenue.discountRatePermille == DiscountSummary.ratePermille(discounts: off, netSales: cvRevenue.last30Days))
        #expect(cvRevenue.discountRatePermille > 0)
        let csv = try run("caisse-central", ["report", "--database", central.database, "--table", "discounts"]).1
        #expect(csv.contains("promotion,\"1\",\"Muffins 3 pour 5 $\",1,\(off)"))
        // Issue 29: every table its own file, for a spreadsheet.
        let dir = try temporaryFolder().appendingPathComponent("csv").path
        let written = try run("caisse-central", ["report", "--database", central.database, "--csv-dir", dir]).1
        #expect(written.split(separator: "\n").count == 6)
        let discounts = try String(contentsOfFile: dir + "/discounts.csv", encoding: .utf8)
        #expect(discounts.hasPrefix("section,key,label,count,amount\n") && !discounts.contains("\n\n"))
    }
}
