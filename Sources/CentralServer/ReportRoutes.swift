import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import Hummingbird

struct ReportRoutes {
    let service: CentralService

    func register(on v1: RouterGroup<CentralContext>) {
        /// The consolidated sales report, JSON or CSV (`format=csv`), for managers.
        v1.get("reports/sales") { request, context -> Response in
            try context.require(.manager)
            let today = try await service.today()
            func day(_ name: String, _ fallback: Day) throws -> Day {
                guard let raw = request.stringQuery(name) else { return fallback }
                guard let d = Day(iso: raw) else { throw APIError.badRequest("\(name) must be a date YYYY-MM-DD") }
                return d
            }
            let from = try day("from", today.adding(days: -6))
            let to = try day("to", today)
            let top = Int(try request.intQuery("top", default: 10, in: 0...100))
            // JSON and CSV of one period share one computation of the report.
            let reads = service.heavyReads
            let report = { @Sendable in try await reads.value("report \(from) \(to) \(top)") { try await service.salesReport(from: from, to: to, top: top) } }
            switch request.stringQuery("format") ?? "json" {
            case "json":
                // What is shared is the encoded answer: a manager refreshing a long period costs
                // central a copy of its bytes, not an encoding each time.
                let encoder = context.responseEncoder
                let body = try await heavyRead("report \(from) \(to) \(top) json", context) { ByteBuffer(bytes: try encoder.encode(try await report())) }
                return ResponseCache.response(body)
            case "csv":
                // One table a file (issue 29): the stores unless `table` names another.
                let name = request.stringQuery("table") ?? ReportCSV.Table.stores.rawValue
                guard let table = ReportCSV.Table(rawValue: name) else {
                    throw APIError.badRequest("table must be one of " + ReportCSV.Table.allCases.map(\.rawValue).joined(separator: ", "))
                }
                let body = try await heavyRead("report \(from) \(to) \(top) csv \(table.rawValue)", context) {
                    ByteBuffer(string: ReportCSV.text(try await report(), table: table))
                }
                return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                       .contentDisposition: "attachment; filename=\"ventes-\(from)-\(to)-\(table.rawValue).csv\""],
                                body: .init(byteBuffer: body))
            default:
                throw APIError.badRequest("format must be json or csv")
            }
        }

        /// Revenue per store (today, 7 days, 30 days) and stock alerts, for managers.
        v1.get("dashboard") { _, context -> Response in
            try context.require(.manager)
            let encoder = context.responseEncoder
            return ResponseCache.response(try await heavyRead("dashboard \(try await service.today())", context) {
                ByteBuffer(bytes: try encoder.encode(try await service.dashboard()))
            })
        }
    }

    /// A heavy read shared with whoever asked the same within seconds, else computed in a
    /// place of the gate: head office's lane, or one place per store.
    func heavyRead<T: Sendable>(_ key: String, _ context: CentralContext, _ compute: @escaping @Sendable () async throws -> T) async throws -> T {
        let reads = service.heavyReads
        if reads.running(key) != nil { return try await reads.value(key, compute: compute) }
        let lane: HeavyWorkGate.Lane = context.callerIsHeadOffice ? .headOffice : .store((try? context.requirePrincipal().storeId) ?? 0)
        return try await service.heavyWork.run(lane) { try await reads.value(key, compute: compute) }
    }
}
