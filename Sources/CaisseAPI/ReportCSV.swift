import CaisseCore

/// The consolidated report as CSV, the same from central's API and the till's export:
/// one row per store and the chain's total, then the discounts by promotion,
/// reason, cashier and approver, then waste and shrinkage by store, reason,
/// category and product (one `section` column tells them apart).
public enum ReportCSV {
    public static func text(_ response: SalesReportResponse) -> String {
        let report = response.report
        var out = "store_id,store,sales,items,gross,returns,taxes,net,discounts,discount_rate_pct\n"
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        func row(_ id: String, _ name: String, _ f: SalesFigures, discounts: Money) {
            let permille = DiscountSummary.ratePermille(discounts: discounts, netSales: f.net)
            out += "\(id),\(quoted(name)),\(f.count),\(f.items),\(f.gross),\(f.returns),\(f.taxes),\(f.net),\(discounts),\(permille / 10).\(permille % 10)\n"
        }
        for s in report.stores {
            let discounts = report.discounts.byStore.first { $0.key == String(s.storeId) }?.amount ?? .zero
            row(String(s.storeId), response.storeNames[String(s.storeId)] ?? "", s.figures, discounts: discounts)
        }
        row("", "TOTAL", report.total, discounts: report.discounts.total)
        out += "\nsection,key,label,count,amount,cost\n"
        for (section, entries) in [("promotion", report.discounts.byPromotion), ("reason", report.discounts.byReason),
                                   ("cashier", report.discounts.byCashier), ("approver", report.discounts.byApprover)] {
            for e in entries { out += "\(section),\(quoted(e.key)),\(quoted(e.label)),\(e.count),\(e.amount),\n" }
        }
        // Waste and shrinkage (issue 17): count is units lost, amount their value at retail,
        // cost their value at cost where the catalog has one (empty when none has).
        let losses = report.losses
        func loss(_ section: String, _ e: StockLossSummary.Entry) {
            out += "\(section),\(quoted(e.key)),\(quoted(e.label)),\(e.units),\(e.value),\(e.cost.map { "\($0)" } ?? "")\n"
        }
        for e in [losses.waste, losses.shrinkage] { loss("losses", e) }
        for (section, entries) in [("loss_store", losses.byStore), ("loss_reason", losses.byReason), ("loss_category", losses.byCategory),
                                   ("loss_product", losses.byProduct)] {
            for e in entries { loss(section, e) }
        }
        return out
    }
}
