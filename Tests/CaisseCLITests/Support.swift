import Foundation
import Testing

/// The `caisse` binary built next to this test bundle.
let caisseBinary: URL = {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("caisse")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: ".build/debug/caisse")
}()

let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data")

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the real binary with a register database in its own temporary folder.
struct CLI {
    let folder: URL
    var db: String { folder.appendingPathComponent("register.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("caisse-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    @discardableResult
    /// - Parameter pin: $CAISSE_PIN (the default cashier's, 1111); nil leaves it unset.
    func run(_ arguments: [String], withDB: Bool = true, pin: String? = "1111", environment extra: [String: String] = [:]) throws -> RunResult {
        let process = Process()
        process.executableURL = caisseBinary
        process.arguments = arguments + (withDB ? ["--db", db] : [])
        var env = ProcessInfo.processInfo.environment
        env["CAISSE_DATA"] = dataDirectory.path
        env["LANG"] = "fr_CA.UTF-8"
        env["CAISSE_PIN"] = pin
        env.merge(extra) { _, new in new }
        process.environment = env
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// `caisse init` with cheap PIN hashing (the hash cost is not under test here).
    func initialise(_ extra: [String] = []) throws {
        let result = try run(["init", "--pin-rounds", "1000"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
    }
}
