import CaisseCore

/// The consolidated report as CSV, the same from central's API and the till's export.
public enum ReportCSV {
    public static func text(_ response: SalesReportResponse) -> String {
        var out = "store_id,store,sales,items,gross,returns,taxes,net\n"
        func row(_ id: String, _ name: String, _ f: SalesFigures) {
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            out += "\(id),\(quoted),\(f.count),\(f.items),\(f.gross),\(f.returns),\(f.taxes),\(f.net)\n"
        }
        for s in response.report.stores { row(String(s.storeId), response.storeNames[String(s.storeId)] ?? "", s.figures) }
        row("", "TOTAL", response.report.total)
        return out
    }
}
