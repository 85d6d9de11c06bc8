import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore

/// A manager asking for the consolidated report again as soon as it arrives, over
/// one kept-alive connection, as a browser or a till would: the load a report loop
/// puts on central beside a fleet (scripts/bench-growth), without a process started
/// per request on the same cores.
struct ReportLoop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report-loop",
        abstract: "Ask central for a report again and again for some seconds; prints how many, their latency and errors.")

    @Option(help: "Central's base URL (loopback).") var url: String
    @Option(help: "A manager's or head office's bearer token.") var token: String
    @Option(help: "Days in the report's period, ending today.") var days = 365
    @Option(help: "Seconds to keep asking.") var seconds = 60.0
    @Flag(help: "A different report each time (its top products' count and its period's end vary), so that no answer is shared and each is computed.")
    var distinct = false

    func run() async throws {
        guard let base = URL(string: url), base.host == "127.0.0.1" || base.host == "localhost" else {
            throw ValidationError("--url must be on loopback")
        }
        guard (1...3_650).contains(days) else { throw ValidationError("--days: 1 to 3650") }
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let iso = DateFormatter()
        iso.locale = Locale(identifier: "en_US_POSIX")
        iso.dateFormat = "yyyy-MM-dd"
        let day: TimeInterval = 86_400
        let deadline = Date().addingTimeInterval(seconds)
        var times: [Double] = []
        var errors = 0
        var bytes = 0
        var turn = 0
        while Date() < deadline {
            // Distinct: 101 sizes of the top products times 30 ends within the last month, so
            // that the periods stay over the history and no key comes back within seconds.
            let top = distinct ? turn % 101 : 10
            let end = Date().addingTimeInterval(-day * Double(distinct ? (turn / 101) % 30 : 0))
            turn += 1
            var request = HTTPClientRequest(url: "\(url)/v1/reports/sales?from=\(iso.string(from: end.addingTimeInterval(-day * Double(days - 1))))&to=\(iso.string(from: end))&top=\(top)")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let t0 = DispatchTime.now().uptimeNanoseconds
            do {
                let response = try await http.execute(request, timeout: .seconds(60))
                let body = try await response.body.collect(upTo: 64 << 20)
                if response.status == .ok { bytes = body.readableBytes } else { errors += 1 }
            } catch {
                errors += 1
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        try await http.shutdown()
        times.sort()
        func pct(_ p: Double) -> Double { times.isEmpty ? 0 : times[min(times.count - 1, Int(Double(times.count) * p))] }
        print(String(format: "report loop (%d days%@): %d reports in %.0f s, median %.2f ms, p95 %.2f ms, %d errors, %d KB each",
                     days, distinct ? ", a different one each time" : ", the same one", times.count, seconds,
                     pct(0.5), pct(0.95), errors, bytes / 1024))
    }
}
