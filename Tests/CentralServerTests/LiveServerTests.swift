import CaisseAPI
import CaisseCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The real `caisse-central` binary built next to this test bundle.
let centralBinary: URL = {
    var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("caisse-central")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: ".build/debug/caisse-central")
}()

/// Runs a `caisse-central` command to completion and returns its stdout.
@discardableResult
func central(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = centralBinary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["CAISSE_DATA"] = dataDirectory.path
    process.environment = env
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.standardError
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CentralTestError("caisse-central \(arguments.joined(separator: " ")) exited \(process.terminationStatus)") }
    return String(decoding: data, as: UTF8.self)
}

struct CentralTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// `caisse-central serve --port 0` running on loopback until stopped.
final class LiveCentral: @unchecked Sendable {
    let process = Process()
    let baseURL: URL
    let database: String

    init(database: String) throws {
        self.database = database
        process.executableURL = centralBinary
        process.arguments = ["serve", "--database", database, "--port", "0", "--log-level", "warning"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        // Wait for the line that names the port (bounded: a broken binary must not hang the suite).
        var buffer = ""
        let deadline = Date().addingTimeInterval(30)
        while !buffer.contains("\n"), Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = buffer.range(of: "http://127.0.0.1:"), let port = Int(buffer[range.upperBound...].prefix { $0.isNumber }) else {
            process.terminate()
            throw CentralTestError("caisse-central did not say where it listens: \(buffer)")
        }
        baseURL = URL(string: "http://127.0.0.1:\(port)")!   // allowed: built from a parsed integer port
    }

    func request(_ method: String, _ path: String, token: String? = nil, body: Data? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        if let query = path.split(separator: "?").dropFirst().first {
            request.url = URL(string: baseURL.absoluteString + path.split(separator: "?")[0] + "?" + query)
        }
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// SIGTERM, then the exit status.
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

@Suite("caisse-central binary", .serialized)
struct LiveServerTests {
    @Test func seedServeSyncAndStopGracefully() async throws {
        let db = try temporaryFolder().appendingPathComponent("central.sqlite").path
        try central(["seed", "--database", db, "--pin-rounds", "1000"])
        let token = try central(["registers", "add", "--database", db, "--store", "CV", "--name", "CV-1"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count == 64)

        let server = try LiveCentral(database: db)
        #expect(try await server.request("GET", "/health").0 == 200)
        #expect(try await server.request("GET", "/ready").0 == 200)
        let (status, body) = try await server.request("GET", "/v1/products/1", token: token)
        #expect(status == 200)
        #expect(try JSONDecoder().decode(Product.self, from: body).name == "Timbits assortis (boîte de 10)")
        #expect(try await server.request("GET", "/v1/products/1").0 == 401)

        let till = try Till(registerId: "CV-1", storeId: 1)
        try till.sell([(1, 2)])
        let push = try await server.request("POST", "/v1/sync/events", token: token,
                                             body: try WireJSON.encoder.encode(PushRequest(events: try till.store.journal())))
        #expect(push.0 == 200)
        #expect(try JSONDecoder().decode(PushResponse.self, from: push.1).appliedThrough == 1)

        // Issue 13: a forged, well-chained sale whose lines add up to a few dollars and whose
        // subtotal says 1 M$ changes nothing; since issue 23 it is kept in the register's
        // journal and quarantined (200), so that the till's later sales still go in.
        let forgedTill = try Till(registerId: "CV-1", storeId: 1)
        let honest = try forgedTill.sell([(1, 1)])
        var bent = honest
        bent.subtotal = Money(cents: 100_000_000)
        let journal = try till.store.journal()
        let forged = SyncEvent(registerId: "CV-1", sequence: 2, id: "forged", type: .sale, createdAt: honest.createdAt,
                               payload: try WireJSON.string(bent), previousHash: journal[0].hash)
        let refused = try await server.request("POST", "/v1/sync/events", token: token,
                                                body: try WireJSON.encoder.encode(PushRequest(events: [forged])))
        #expect(refused.0 == 200, "\(String(decoding: refused.1, as: UTF8.self))")
        #expect(try JSONDecoder().decode(PushResponse.self, from: refused.1).appliedThrough == 2)
        // Integers at Int64's edges trap nothing either.
        let edge = #"{"events":[{"registerId":"CV-1","sequence":9223372036854775806,"id":"a","type":"sale","createdAt":-9223372036854775808,"payload":"{}","previousHash":"x","hash":"y"},{"registerId":"CV-1","sequence":9223372036854775807,"id":"b","type":"sale","createdAt":0,"payload":"{}","previousHash":"x","hash":"y"}]}"#
        #expect(try await server.request("POST", "/v1/sync/events", token: token, body: Data(edge.utf8)).0 == 422)
        #expect(try await server.request("GET", "/health").0 == 200)

        let login = try await server.request("POST", "/v1/auth/login", token: token, body: Data(#"{"username":"gerant.cv","pin":"3333"}"#.utf8))
        let manager = try JSONDecoder().decode(LoginResponse.self, from: login.1).token
        let report = try await server.request("GET", "/v1/reports/sales", token: manager)
        #expect(try JSONDecoder().decode(SalesReportResponse.self, from: report.1).report.total.count == 1)

        let metrics = String(decoding: try await server.request("GET", "/metrics").1, as: UTF8.self)
        #expect(metrics.contains("hb_requests"))
        #expect(metrics.contains("caisse_sync_events_ingested"))

        #expect(server.stop() == 0)
        // The admin commands read the same file afterwards.
        #expect(try central(["report", "--database", db]).contains("Magasin Centre-Ville"))
        // The refused batches flagged the register: audit says so and exits 1.
        #expect(throws: (any Error).self) { try central(["audit", "--database", db]) }
        try central(["registers", "revoke", "--database", db, "CV-1"])
        #expect(try central(["registers", "list", "--database", db]).contains("REVOKED"))
    }
}
