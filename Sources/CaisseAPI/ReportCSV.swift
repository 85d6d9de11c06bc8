import CaisseCore

/// The consolidated report as CSV, the same from central's API and the till's export,
/// in blocks separated by a blank line, each with its header:
/// 1. one row per store and the chain's total;
/// 2. the discounts by promotion, reason, cashier and approver, then waste and shrinkage
///    by store, reason, category and product (one `section` column tells them apart);
/// 3. taxes by code, per store then for the chain, as they are filed;
/// 4. the top products, and 5. the days, as the screen shows them.
public enum ReportCSV {
    public static func text(_ response: SalesReportResponse) -> String {
        let report = response.report
        var out = "store_id,store,sales,items,gross,returns,return_count,taxes,net,discounts,discount_rate_pct\n"
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        func row(_ id: String, _ name: String, _ f: SalesFigures, discounts: Money) {
            let permille = DiscountSummary.ratePermille(discounts: discounts, netSales: f.net)
            out += "\(id),\(quoted(name)),\(f.count),\(f.items),\(f.gross),\(f.returns),\(f.returnCount),\(f.taxes),\(f.net),\(discounts),\(permille / 10).\(permille % 10)\n"
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
        out += "\ntax_code,store_id,store,collected,refunded,net\n"
        for t in report.taxes {
            let store = t.storeId.map { response.storeNames[String($0)] ?? "" } ?? "TOTAL"
            out += "\(quoted(t.code)),\(t.storeId.map(String.init) ?? ""),\(quoted(store)),\(t.collected),\(t.refunded),\(t.net)\n"
        }
        out += "\nrank,product_id,sku,product,quantity,revenue\n"
        for (i, p) in report.topProducts.enumerated() {
            out += "\(i + 1),\(p.productId),\(quoted(p.sku)),\(quoted(p.name)),\(p.quantity),\(p.revenue)\n"
        }
        out += "\nday,sales,items,gross,returns,return_count,taxes,net\n"
        for d in report.days {
            let f = d.figures
            out += "\(d.day.iso),\(f.count),\(f.items),\(f.gross),\(f.returns),\(f.returnCount),\(f.taxes),\(f.net)\n"
        }
        return out
    }
}
