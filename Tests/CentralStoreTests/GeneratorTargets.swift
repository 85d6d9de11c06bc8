import AsyncHTTPClient
import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import NIOCore
import RegisterStore
import Sync
import Testing
@testable import CentralStore
@testable import PostgresCentralStore

/// Where the hostile generator sends its pushes and head office's reads: central's store in
/// this process, or the real binary over HTTP (issue 24), killed and started again as it goes.
protocol GeneratorTarget: AnyObject {
    /// The register's batch; the sequence central acknowledged through (nil: refused or a gap).
    /// `crash`: central is killed while the push is on its way, started again, and the till retries.
    func push(_ r: HostileGeneratorTests.Register, _ batch: [SyncEvent], crash: Bool) async throws -> Int64?
    func headOfficeReads() async throws
    /// Head office's decisions, as head office makes them on this target.
    func createPromotion(_ input: PromotionInput) async throws -> Promotion
    func restock(_ id: String, _ action: RestockAction) async throws
    func createTransfer(_ body: TransferCreate) async throws -> StockTransfer
    func cancelTransfer(_ id: String) async throws
    func restart() async throws
    var restarts: Int { get }
    func stop()
}

final class InProcess: GeneratorTarget {
    let central: any CentralStore
    init(central: any CentralStore) { self.central = central }
    var restarts: Int { 0 }

    func push(_ r: HostileGeneratorTests.Register, _ batch: [SyncEvent], crash: Bool) async throws -> Int64? {
        guard case .applied(let through, _, _) = try await central.ingest(registerId: r.id, events: batch) else { return nil }
        return through
    }

    func headOfficeReads() async throws {
        _ = try await central.reportRows(from: Day(number: 10_000), to: Day(number: 100_000))
        _ = try await central.discountRows(from: Day(number: 10_000), to: Day(number: 100_000))
        _ = try await central.exceptions(storeId: nil, includeResolved: false)
        _ = try await central.adjustmentRows(from: Day(number: 10_000), to: Day(number: 100_000))
        _ = try await central.transfers(TransferQuery())
        _ = try await central.restockRequests(RestockQuery())
    }

    func createPromotion(_ input: PromotionInput) async throws -> Promotion { try await central.createPromotion(input) }
    var now: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
    func restock(_ id: String, _ action: RestockAction) async throws { _ = try await central.transitionRestock(id: id, action: action, at: now) }
    func createTransfer(_ b: TransferCreate) async throws -> StockTransfer {
        try await central.createTransfer(id: UUID().uuidString.lowercased(), from: b.fromStoreId, to: b.toStoreId, productId: b.productId,
                                         quantity: b.quantity, note: b.note, at: now)
    }
    func cancelTransfer(_ id: String) async throws { _ = try await central.cancelTransfer(id: id, at: now) }

    func restart() async throws {}
    func stop() {}
}

/// The real `caisse-central serve` over the generator's database, on one loopback port kept
/// across restarts; registers push with their own tokens, head office reads with a session.
final class HTTPTarget: GeneratorTarget, @unchecked Sendable {
    let database: String
    var tokens: [String: String] = [:]
    var port = 0
    var process: Process?
    var session = ""
    private(set) var restarts = 0
    let http = SyncClient.tillHTTPClient

    init(database: String) { self.database = database }

    var base: String { "http://127.0.0.1:\(port)" }

    /// A seeded database the test reads directly and the binary serves.
    static func database(_ kind: StoreKind) async throws -> (any CentralStore, String) {
        switch kind {
        case .sqlite:
            let path = try temporaryFolder().appendingPathComponent("central.sqlite").path
            let store = try SQLiteCentralStore(path: path)
            try await store.migrate()
            try await store.seed(try demoSeed())
            return (store, path)
        case .postgres:
            let url = try await PostgresTestEnvironment.freshDatabase()
            let store = PostgresTestEnvironment.instance(on: url)
            try await store.migrate()
            try await store.seed(try demoSeed())
            return (store, url.description)
        }
    }

    static func start(central: any CentralStore, database: String, registers: [HostileGeneratorTests.Register]) async throws -> HTTPTarget {
        let target = HTTPTarget(database: database)
        for r in registers {
            let token = BearerToken.generate()
            _ = try await central.addRegister(id: r.id, storeId: r.storeId, name: r.id, tokenDigest: BearerToken.digest(token))
            target.tokens[r.id] = token
        }
        try target.launch()
        target.session = try await target.login()
        return target
    }

    static var binary: URL {
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("caisse-central")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/caisse-central")
    }

    func launch() throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--database", database, "--port", String(port), "--log-level", "error"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = ""
        let deadline = Date().addingTimeInterval(30)
        while !buffer.contains("\n"), Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = buffer.range(of: "127.0.0.1:"), let bound = Int(buffer[range.upperBound...].prefix { $0.isNumber }) else {
            process.terminate()
            throw StoreError("caisse-central did not start: \(buffer)")
        }
        port = bound
        self.process = process
    }

    /// SIGKILL: a crash, not a shutdown; then the same binary on the same port and database.
    func restart() async throws {
        if let process {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        restarts += 1
        var attempt = 0
        while true {
            do { try launch(); return } catch where attempt < 20 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(100))   // the port is free again once the kernel has closed it
            }
        }
    }

    func stop() {
        process?.terminate()
        process?.waitUntilExit()
        process = nil
    }

    func push(_ r: HostileGeneratorTests.Register, _ batch: [SyncEvent], crash: Bool) async throws -> Int64? {
        let client = SyncClient(baseURL: base, token: tokens[r.id] ?? "", http: http)
        if crash {
            // Killed while the push is on its way: committed or not, the till cannot tell.
            async let sent: PushOutcome? = try? client.push(batch)
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...20)))
            try await restart()
            _ = await sent
        }
        // What a till does: the same batch again until central answers; a 5xx or a refusal is a failure.
        for attempt in 0..<30 {
            do {
                switch try await SyncClient(baseURL: base, token: tokens[r.id] ?? "", http: http).push(batch) {
                case .acknowledged(let through): return through
                case .gap: return nil
                }
            } catch let error as SyncError where error.status == nil && attempt < 29 {
                try await Task.sleep(for: .milliseconds(100))   // not reached yet: central is starting
            } catch {
                Issue.record("\(r.id): push answered \(error)")
                return nil
            }
        }
        return nil
    }

    func login() async throws -> String {
        var request = HTTPClientRequest(url: base + "/v1/auth/login")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"username":"admin","pin":"9999"}"#))
        let response = try await http.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw StoreError("admin login: \(response.status)") }
        return try JSONDecoder().decode(LoginResponse.self, from: Data(buffer: body)).token
    }

    /// Every read head office makes, JSON and CSV: each must answer 200, whatever tills sent.
    func headOfficeReads() async throws {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        let to = f.string(from: Date().addingTimeInterval(86_400)), from = f.string(from: Date().addingTimeInterval(-30 * 86_400))
        var paths = ["/v1/reports/sales?from=\(from)&to=\(to)", "/v1/dashboard", "/v1/exceptions", "/v1/stock/stores/1", "/v1/stock/stores/2",
                     "/v1/transfers", "/v1/restock-requests", "/v1/promotions"]
        paths += ["stores", "discounts", "losses", "taxes", "products", "days"].map { "/v1/reports/sales?from=\(from)&to=\(to)&format=csv&table=\($0)" }
        for path in paths {
            for attempt in 0..<30 {
                var request = HTTPClientRequest(url: base + path)
                request.headers.add(name: "Authorization", value: "Bearer " + session)
                do {
                    let response = try await http.execute(request, timeout: .seconds(30))
                    _ = try await response.body.collect(upTo: 64 << 20)
                    #expect(response.status == .ok, "\(path): \(response.status)")
                    break
                } catch where attempt < 29 {
                    try await Task.sleep(for: .milliseconds(100))   // central is starting again
                }
            }
        }
    }

    /// Head office's call, again while central is not listening yet (a restart just happened);
    /// any answer central gives is final.
    func asHeadOffice<T>(_ call: (SyncClient) async throws -> T) async throws -> T {
        for attempt in 0... {
            do { return try await call(SyncClient(baseURL: base, token: session, http: http)) } catch let error as SyncError where error.status == nil && attempt < 29 {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        fatalError("unreachable")   // allowed: the loop returns or throws
    }
    func createPromotion(_ input: PromotionInput) async throws -> Promotion { try await asHeadOffice { try await $0.createPromotion(input) } }
    func restock(_ id: String, _ action: RestockAction) async throws { _ = try await asHeadOffice { try await $0.restock(id, action) } }
    func createTransfer(_ body: TransferCreate) async throws -> StockTransfer { try await asHeadOffice { try await $0.createTransfer(body) } }
    func cancelTransfer(_ id: String) async throws { _ = try await asHeadOffice { try await $0.cancelTransfer(id) } }
}
