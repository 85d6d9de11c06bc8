import CaisseCore

/// The consolidated report as CSV, one table per file (issue 29: five tables separated by
/// blank lines in one file were read as one by every spreadsheet), the same from central's
/// API, its CLI and the till's export.
public enum ReportCSV {
    public enum Table: String, CaseIterable, Sendable {
        /// One row per store and the chain's total (the default).
        case stores
        /// The discounts by promotion, reason, cashier and approver (a `section` column tells them apart).
        case discounts
        /// Waste and shrinkage in all, then by store, reason, category and product.
        case losses
        /// Taxes by code, per store then for the chain, as they are filed.
        case taxes
        /// The top products, as the screen shows them.
        case products
        /// The days of the period.
        case days
    }

    /// The stores' table, what `format=csv` and `report --csv` give.
    public static func text(_ response: SalesReportResponse) -> String { text(response, table: .stores) }

    /// - Parameter language: the labels of reasons, the `key` column staying the code a program reads
    ///   (issue 28, item 16: the till's French export said "goodwill" and "waste").
    public static func text(_ response: SalesReportResponse, table: Table, language: Language = .en) -> String {
        let report = response.report
        var out = ""
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        func label(_ section: String, _ e: (key: String, label: String)) -> String {
            switch section {
            case "reason": DiscountReason(rawValue: e.key)?.label(language) ?? e.label
            case "losses": Self.lossTotal(e.key, language) ?? e.label
            case "loss_reason": AdjustmentReason(rawValue: e.key)?.label(language) ?? e.label
            default: e.label
            }
        }
        switch table {
        case .stores:
            out = "store_id,store,sales,items,gross,returns,return_count,taxes,net,discounts,discount_rate_pct\n"
            func row(_ id: String, _ name: String, _ f: SalesFigures, discounts: Money) {
                let permille = DiscountSummary.ratePermille(discounts: discounts, netSales: f.net)
                out += "\(id),\(quoted(name)),\(f.count),\(f.items),\(f.gross),\(f.returns),\(f.returnCount),\(f.taxes),\(f.net),\(discounts),\(permille / 10).\(permille % 10)\n"
            }
            for s in report.stores {
                let discounts = report.discounts.byStore.first { $0.key == String(s.storeId) }?.amount ?? .zero
                row(String(s.storeId), response.storeNames[String(s.storeId)] ?? "", s.figures, discounts: discounts)
            }
            row("", "TOTAL", report.total, discounts: report.discounts.total)
        case .discounts:
            out = "section,key,label,count,amount\n"
            for (section, entries) in [("promotion", report.discounts.byPromotion), ("reason", report.discounts.byReason),
                                       ("cashier", report.discounts.byCashier), ("approver", report.discounts.byApprover)] {
                for e in entries { out += "\(section),\(quoted(e.key)),\(quoted(label(section, (e.key, e.label)))),\(e.count),\(e.amount)\n" }
            }
        case .losses:
            // Units lost, their value at retail, and at cost where the catalog has one (empty when none has).
            out = "section,key,label,units,value,cost\n"
            let losses = report.losses
            func loss(_ section: String, _ e: StockLossSummary.Entry) {
                out += "\(section),\(quoted(e.key)),\(quoted(label(section, (e.key, e.label)))),\(e.units),\(e.value),\(e.cost.map { "\($0)" } ?? "")\n"
            }
            for e in [losses.waste, losses.shrinkage] { loss("losses", e) }
            for (section, entries) in [("loss_store", losses.byStore), ("loss_reason", losses.byReason), ("loss_category", losses.byCategory),
                                       ("loss_product", losses.byProduct)] {
                for e in entries { loss(section, e) }
            }
        case .taxes:
            out = "tax_code,store_id,store,collected,refunded,net\n"
            for t in report.taxes {
                let store = t.storeId.map { response.storeNames[String($0)] ?? "" } ?? "TOTAL"
                out += "\(quoted(t.code)),\(t.storeId.map(String.init) ?? ""),\(quoted(store)),\(t.collected),\(t.refunded),\(t.net)\n"
            }
        case .products:
            out = "rank,product_id,sku,product,quantity,revenue\n"
            for (i, p) in report.topProducts.enumerated() {
                out += "\(i + 1),\(p.productId),\(quoted(p.sku)),\(quoted(p.name)),\(p.quantity),\(p.revenue)\n"
            }
        case .days:
            out = "day,sales,items,gross,returns,return_count,taxes,net\n"
            for d in report.days {
                let f = d.figures
                out += "\(d.day.iso),\(f.count),\(f.items),\(f.gross),\(f.returns),\(f.returnCount),\(f.taxes),\(f.net)\n"
            }
        }
        return out
    }

    /// Every table, each as the file a spreadsheet opens ("stores.csv"…).
    public static func files(_ response: SalesReportResponse, language: Language = .en) -> [(name: String, text: String)] {
        Table.allCases.map { ("\($0.rawValue).csv", text(response, table: $0, language: language)) }
    }

    static func lossTotal(_ key: String, _ language: Language) -> String? {
        switch key {
        case "waste": language == .fr ? "pertes (invendus)" : "waste"
        case "shrinkage": language == .fr ? "démarque" : "shrinkage"
        default: nil
        }
    }
}
