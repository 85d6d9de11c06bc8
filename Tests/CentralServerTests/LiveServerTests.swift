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

    init(database: String, arguments: [String] = []) throws {
        self.database = database
        process.executableURL = centralBinary
        process.arguments = ["serve", "--database", database, "--port", "0", "--log-level", "warning"] + arguments
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

    /// Issue 26: a smaller catalog than the demo's failed on the quick keys ("no product 6").
    @Test func aSmallCatalogKeepsTheQuickKeysItHas() throws {
        let db = try temporaryFolder().appendingPathComponent("central.sqlite").path
        let out = try central(["seed", "--database", db, "--pin-rounds", "1000", "--catalog-size", "5"])
        #expect(out.contains("5 products"), "\(out)")
    }

    /// Issue 24: half-sent requests were never timed out, and a thousand idle sockets stopped
    /// /health for everyone. A thousand slow clients hold sockets (half a request head each);
    /// central keeps answering, and closes them when they have sent nothing for --idle-timeout.
    @Test func centralKeepsServingWhileAThousandSlowClientsHoldSockets() async throws {
        let db = try temporaryFolder().appendingPathComponent("central.sqlite").path
        try central(["seed", "--database", db, "--pin-rounds", "1000"])
        let server = try LiveCentral(database: db, arguments: ["--idle-timeout", "2"])
        defer { _ = server.stop() }
        SlowClients.raiseFileLimit(to: 4_096)
        let port = try #require(server.baseURL.port)
        let slow = try SlowClients(count: 1_000, port: UInt16(port), send: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        defer { slow.closeAll() }
        #expect(slow.connected == 1_000)
        let started = Date()
        #expect(try await server.request("GET", "/health").0 == 200)
        #expect(Date().timeIntervalSince(started) < 5)
        // Past the idle timeout, central has closed every one of them.
        try await Task.sleep(for: .seconds(4))
        #expect(slow.closedByServer() == 1_000)
        #expect(try await server.request("GET", "/health").0 == 200)
    }
}

/// Sockets that connect to central and send a request's first bytes, then nothing.
final class SlowClients: @unchecked Sendable {
    private var sockets: [Int32] = []
    var connected: Int { sockets.count }

    init(count: Int, port: UInt16, send prefix: String) throws {
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw CentralTestError("socket(): errno \(errno)") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard status == 0 else {
                close(fd)
                throw CentralTestError("connect(): errno \(errno) after \(sockets.count) sockets")
            }
            _ = prefix.withCString { write(fd, $0, strlen($0)) }
            sockets.append(fd)
        }
    }

    /// How many the server closed: a read that returns end of file (0) or a reset.
    func closedByServer() -> Int {
        sockets.filter { fd in
            var pollfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pollfd, 1, 100) == 1 else { return false }
            var byte: UInt8 = 0
            return read(fd, &byte, 1) <= 0
        }.count
    }

    func closeAll() {
        for fd in sockets { close(fd) }
        sockets = []
    }

    /// The test process holds the thousand client ends.
    static func raiseFileLimit(to wanted: UInt64) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < wanted else { return }
        limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
