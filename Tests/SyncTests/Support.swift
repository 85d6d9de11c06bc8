import CaisseAPI
import CaisseCore
import CentralStore
import Foundation
import RegisterStore
import Sync
import Testing

let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data")

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("caisse-sync-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func binary(_ name: String) -> URL {
    var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: ".build/debug/\(name)")
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Runs one of our binaries to completion; returns (status, stdout).
@discardableResult
func run(_ name: String, _ arguments: [String], expectSuccess: Bool = true) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = binary(name)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["CAISSE_DATA"] = dataDirectory.path
    env["CAISSE_PIN"] = "1111"   // the demo cashiers' PIN, for `caisse sell`
    process.environment = env
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if expectSuccess && process.terminationStatus != 0 {
        throw TestFailure("\(name) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
    }
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A real central: a seeded SQLite file and the `caisse-central serve` binary,
/// which can be stopped and started again on the same loopback port.
final class Central: @unchecked Sendable {
    let database: String
    private(set) var port = 0
    private var process: Process?

    init() throws {
        database = try temporaryFolder().appendingPathComponent("central.sqlite").path
        try run("caisse-central", ["seed", "--database", database, "--pin-rounds", "1000"])
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func addRegister(_ id: String, store: String) throws -> String {
        try run("caisse-central", ["registers", "add", "--database", database, "--store", store, "--name", id]).1
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Where central's log goes when it is kept (JSON lines at info), else nowhere.
    var logFile: String?

    func start() throws {
        let process = Process()
        process.executableURL = binary("caisse-central")
        process.arguments = ["serve", "--database", database, "--port", String(port)]
            + (logFile == nil ? ["--log-level", "error"] : ["--log-level", "info", "--log-format", "json"])
        let out = Pipe()
        process.standardOutput = out
        if let logFile {
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: logFile)
        } else {
            process.standardError = FileHandle.nullDevice
        }
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
            throw TestFailure("caisse-central did not start: \(buffer)")
        }
        port = bound
        self.process = process
    }

    func stop() {
        process?.terminate()
        process?.waitUntilExit()
        process = nil
    }

    /// Central's own figures, read from its database file (assertions only).
    func onHand(store: Int64, product: Int64) async throws -> Int? {
        try await SQLiteCentralStore(path: database).stock(locationId: store).first { $0.productId == product }?.onHand
    }

    func exceptions() async throws -> [CentralException] {
        try await SQLiteCentralStore(path: database).exceptions(storeId: nil, includeResolved: true)
    }

    func salesCount() async throws -> Int {
        try await SQLiteCentralStore(path: database).reportRows(from: Day(number: 0), to: Day(number: 100_000)).documents
            .filter { $0.kind == .sale }.reduce(0) { $0 + $1.count }
    }

    deinit { stop() }
}

/// A till enrolled with central through the sync client.
struct EnrolledTill {
    let store: RegisterStore
    let engine: SyncEngine
    let cashier: User

    static func enroll(central: Central, registerId: String, storeCode: String) async throws -> EnrolledTill {
        let token = try central.addRegister(registerId, store: storeCode)
        let path = try temporaryFolder().appendingPathComponent("till.sqlite").path
        let client = SyncClient(baseURL: central.url, token: token)
        guard let merged = ChangeSet.merging(try await client.allChanges(since: 0, limit: 200)) else { throw TestFailure("no changes") }
        let store = try RegisterStore(path: path)
        try store.enroll(centralURL: central.url, token: token, changes: merged)
        guard let cashier = try store.users().first(where: { $0.storeId == merged.storeId && $0.role == .cashier }) else { throw TestFailure("no cashier") }
        return EnrolledTill(store: store, engine: try SyncEngine(store: store, client: client, batchSize: 50), cashier: cashier)
    }

    @discardableResult
    func sell(_ items: [(Int64, Int)]) throws -> Sale {
        var cart = Cart()
        for (id, qty) in items {
            guard let p = try store.product(id: id) else { throw TestFailure("no product \(id)") }
            try cart.add(p, quantity: qty)
        }
        var payment = Payment(total: cart.totals(try store.identity().taxRule).total)
        try payment.payExactCash()
        return try store.recordSale(cart: cart, payment: payment, cashierId: cashier.id)
    }
}
