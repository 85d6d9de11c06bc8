import ArgumentParser
import CaisseAPI
import CaisseCore
import Foundation
import RegisterStore
import Sync

struct Enroll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bind a new register database to central with the register's token, and pull everything (catalog, users, stock).")

    @OptionGroup var options: RegisterOptions
    @Option(help: "Central's base URL, e.g. http://127.0.0.1:8430.") var central: String
    @Option(help: "The register's token (from `caisse-central registers add`); default $CAISSE_TOKEN.") var token: String?
    @Option(help: "PEM file of the CA that signs central's https certificate (kept for later syncs); default $CAISSE_CA_FILE, else the system's trust store.")
    var caFile: String?

    func run() async throws {
        try await reportingErrorsAsync {
            guard let token = token ?? ProcessInfo.processInfo.environment["CAISSE_TOKEN"], !token.isEmpty else {
                throw Failure("a token is required (--token or $CAISSE_TOKEN)")
            }
            guard URL(string: central)?.scheme.map({ ["http", "https"].contains($0) }) == true else {
                throw Failure("--central must be an http:// or https:// URL")
            }
            let caFile = try resolvedCAFile()
            let path = options.databasePath
            if FileManager.default.fileExists(atPath: path), try RegisterStore(path: path).isInstalled {
                throw Failure("\(path) is already set up; choose another --db")
            }
            let progress = ProgressBar(label: "catalogue")
            let pages = try await SyncClient(baseURL: central, token: token, caFile: caFile).allChanges(since: 0) { page in
                progress.advance(by: page.products.count)
            }
            progress.finish()
            guard let merged = ChangeSet.merging(pages) else { throw Failure("central sent nothing") }
            let existed = FileManager.default.fileExists(atPath: path)
            do {
                let store = try RegisterStore(path: path)
                try store.enroll(centralURL: central, token: token, caFile: caFile, changes: merged)
            } catch {
                if !existed { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
                throw error
            }
            print("Register \(merged.registerId) of store \(merged.storeId) enrolled in \(path): \(merged.products.count) products, \(merged.users.count) users.")
        }
    }

    /// The CA file as an absolute path (later syncs may run from another folder), checked to exist now.
    func resolvedCAFile() throws -> String? {
        guard let given = caFile ?? ProcessInfo.processInfo.environment["CAISSE_CA_FILE"], !given.isEmpty else { return nil }
        let path = URL(fileURLWithPath: given).standardizedFileURL.path
        guard FileManager.default.isReadableFile(atPath: path) else { throw Failure("cannot read the CA file \(path)") }
        return path
    }
}

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync",
        abstract: "Push the journal to central and pull changes. Exit code 0: done; 2: central not reached (offline is normal, sales wait); 1: central refused (e.g. revoked token); 3: this till's database is damaged.")

    @OptionGroup var options: RegisterOptions
    @Flag(help: "Keep syncing (every --interval seconds; backoff with jitter when central is away) until Ctrl-C.") var watch = false
    @Option(help: "Seconds between cycles with --watch.") var interval: Double = 5

    func run() async throws {
        try await reportingErrorsAsync {
            let store = try options.openStore()
            guard let settings = try store.syncSettings() else { throw Failure("this register is not enrolled: run `caisse enroll` first") }
            let engine = try SyncEngine(store: store, client: SyncClient(settings: settings))
            if watch {
                await engine.run(interval: interval) { report in
                    print(Self.describe(report))
                }
                return
            }
            let report = await engine.syncOnce()
            print(Self.describe(report))
            if report.damaged { throw ExitCode(3) }
            if !report.reached { throw ExitCode(2) }
            // Reached but refused (revoked token, broken chain…): a person must look.
            if report.error != nil { throw ExitCode.failure }
        }
    }

    static func describe(_ r: SyncReport) -> String {
        if r.damaged { return r.error ?? StoreError.damagedPrefix }
        var lines: [String] = []
        if r.centralRestored { lines.append("central had been restored from a backup: this till's journal was sent again from central's mark") }
        switch (r.reached, r.error) {
        case (true, nil): lines.append("central reached: \(r.pushed) events pushed, \(r.productsPulled) products pulled, \(r.pending) pending")
        case (true, let error?): lines.append("central refused: \(error); \(r.pending) pending")
        case (false, let error): lines.append("central not reached (\(error ?? "unknown")): \(r.pending) pending")
        }
        if let skew = r.clockSkewSeconds, abs(skew) > ClockSkew.tolerance {
            lines.append("warning: this till's clock is \(ClockSkew.describe(skew, .en)) against central's: set it right (sales keep their time; central quarantines those it cannot date)")
        }
        return lines.joined(separator: "\n")
    }
}

/// A one-line progress bar on the terminal (stderr), quiet when not a terminal.
final class ProgressBar: @unchecked Sendable {
    let label: String
    let lock = NSLock()
    var count = 0
    let enabled = isatty(2) == 1

    init(label: String) { self.label = label }

    func advance(by n: Int) {
        lock.lock()
        defer { lock.unlock() }
        count += n
        guard enabled else { return }
        let bar = String(repeating: "█", count: min(40, count / 2_500 + 1))
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(count)".utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
