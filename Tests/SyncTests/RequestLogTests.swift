import CaisseAPI
import CaisseCore
import Foundation
import RegisterStore
import Sync
import Testing

/// Issue 29: one id follows a sale from the till's log to central's line for its push.
@Suite("Logs that follow a sale", .serialized)
struct RequestLogTests {
    @Test func oneRequestIdFindsTheSaleInTheTillsLogAndInCentrals() async throws {
        let central = try Central()
        central.logFile = try temporaryFolder().appendingPathComponent("central.log").path
        try central.start()
        let till = try await EnrolledTill.enroll(central: central, registerId: "CV-1", storeCode: "CV")
        try till.sell([(1, 1)])
        let report = await till.engine.syncOnce()
        #expect(report.pushed == 1)
        central.stop()

        let tillLogPath = try #require(till.store.path) + ".log"
        let tillLog = try String(contentsOfFile: tillLogPath, encoding: .utf8)
        let push = try #require(tillLog.split(separator: "\n").first { $0.contains("route=/v1/sync/events") }, "\(tillLog)")
        #expect(push.contains("status=200"))
        let id = try #require(push.split(separator: " ").first { $0.hasPrefix("request_id=") }?.dropFirst("request_id=".count))

        let lines = try String(contentsOfFile: try #require(central.logFile), encoding: .utf8).split(separator: "\n")
        let matching = lines.filter { $0.contains(id) }
        #expect(matching.count == 1, "exactly central's line for that push: \(matching)")
        let line = try #require(matching.first)
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "one JSON object a line")
        #expect(fields["route"] == "/v1/sync/events" && fields["status"] == "200" && fields["register"] == "CV-1" && fields["store"] == "1")
        #expect(fields["level"] == "info" && fields["time"]?.hasSuffix("Z") == true && fields["duration_ms"] != nil)
        // The W3C trace the till sent is the one central logged on that line.
        let trace = try #require(push.split(separator: " ").first { $0.hasPrefix("trace_id=") }?.dropFirst("trace_id=".count))
        #expect(trace.count == 32 && fields["trace_id"] == String(trace))
        // Nothing secret in a line: the register's token never appears.
        let token = try #require(try till.store.syncSettings()?.token)
        #expect(!lines.contains { $0.contains(token) })
        #expect(!tillLog.contains(token))
    }
}
