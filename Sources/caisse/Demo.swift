import ArgumentParser
import CaisseAPI
import CaisseCore
import DemoChain
import Foundation
import RegisterStore
import Sync

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the demo chain: a central (child process, SQLite in a fresh folder, seeded from data/), a register of the first store enrolled with it, and the till's screen, logged out.")

    @Option(help: "Where to put the demo's files (default: a new temporary folder).")
    var dir: String?

    @Option(name: .long, help: "Language: fr or en (default: from LANG).")
    var lang: Language?

    @Flag(help: "No screen: a scripted tour with the command-line tools (used when not on a terminal).")
    var script = false

    @Option(help: "The store whose register opens, by code: CV (Magasin Centre-Ville, default), NORD, SUD, EST, or MM (head office: gerant.mm approves and ships restock; admin is at central only).")
    var store = "CV"

    @Option(help: .hidden)
    var pinRounds: Int = PinHasher.defaultRounds

    func run() async throws {
        try await reportingErrorsAsync {
            let folder = dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("caisse-demo-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let code = store.uppercased()
            guard ["CV", "NORD", "SUD", "EST", "MM"].contains(code) else { throw Failure("--store: CV, NORD, SUD, EST or MM (got '\(store)')") }
            // One till per store in the folder: run the demo again with --dir and another --store to
            // play another place of the chain against the same central (a store asks, head office ships).
            let path = folder + (code == "CV" ? "/caisse.sqlite" : "/caisse-\(code.lowercased()).sqlite")
            let options = try RegisterOptions.parse(["--db", path] + (lang.map { ["--lang", $0.rawValue] } ?? []))
            if script || isatty(0) != 1 || isatty(1) != 1 {
                if !script { print("(not a terminal: running the scripted tour; `caisse demo` on a terminal opens the till's screen)") }
                try scriptedTour(path: path, options: options)
                return
            }
            let fr = options.language == .fr
            print(fr ? "Démarrage du central de démo…" : "Starting the demo central…")
            let central = try DemoCentral(folder: folder, pinRounds: pinRounds)
            defer { central.stop() }
            let enrolled = FileManager.default.fileExists(atPath: path) ? try RegisterStore(path: path).syncSettings() : nil
            let token = try enrolled?.token ?? central.addRegister("\(code)-1", store: code)
            try central.start()
            if enrolled != nil {
                // The central listens on a new port each run: point the till at it.
                try RegisterStore(path: path).updateCentralURL(central.url)
            } else {
                let pages = try await SyncClient(baseURL: central.url, token: token).allChanges(since: 0)
                guard let merged = ChangeSet.merging(pages) else { throw Failure("central sent nothing") }
                try RegisterStore(path: path).enroll(centralURL: central.url, token: token, changes: merged)
            }
            let store = try options.openStore()
            try await TuiSession(store: store, language: options.language, databasePath: path, syncInterval: 5, statsFile: nil)
                .runOnOwnThread()
            print(fr ? "Fichiers de la démo : \(folder) (caisse.sqlite, central.sqlite, receipts/)."
                     : "Demo files: \(folder) (caisse.sqlite, central.sqlite, receipts/).")
            let who = code.lowercased()
            print(fr ? "NIP de démo : caissier.\(who) 1111, employe.\(who) 2222, gerant.\(who) 3333. Le siège : caisse demo --store MM."
                     : "Demo PINs: caissier.\(who) 1111, employe.\(who) 2222, gerant.\(who) 3333. Head office: caisse demo --store MM.")
        }
    }

    /// The tour of the command-line tools on a stand-alone register (no central, no screen).
    func scriptedTour(path: String, options: RegisterOptions) throws {
        let fr = options.language == .fr
        var initCommand = try Init.parse(["--db", path])
        initCommand.pinRounds = pinRounds
        try initCommand.run()
        let langArgs = lang.map { ["--lang", $0.rawValue] } ?? []
        let store = try options.openStore()
        print("\n$ caisse search cafe")
        for p in try store.search("cafe", limit: 5) {
            print("  \(padded(p.sku, 9)) \(padded(p.name, 40)) \(p.price.formatted(options.language))")
        }
        // The demo cashier's PIN, as a script would pass it (never as an argument).
        setenv("CAISSE_PIN", "1111", 0)
        print("\n$ CAISSE_PIN=1111 caisse sell TIM-0001 CAF-0001:2 BOU-0003 --pay cash:20")
        try Sell.parse(["--db", path, "TIM-0001", "CAF-0001:2", "BOU-0003", "--pay", "cash:20"] + langArgs).run()
        guard let receipt = try store.journal().last.flatMap({ try? $0.document().sale })?.receiptNumber else { return }
        print("\n$ CAISSE_PIN=1111 caisse return \(receipt) 2:1")
        try Return.parse(["--db", path, receipt, "2:1"] + langArgs).run()
        print("\n$ caisse stock --low")
        let low = try store.stock(filter: .low)
        for p in low.prefix(8) { print("  \(padded(p.sku, 9)) \(padded(p.name, 40)) \(leftPadded(String(p.onHand), 4))") }
        if low.count > 8 { print("  … \(low.count - 8) " + (fr ? "de plus" : "more")) }
        print(fr ? "\nLa caisse de démo est dans \(path). Essayez :" : "\nThe demo register is in \(path). Try:")
        print("  export CAISSE_DB=\(path)")
        print("  swift run caisse search muffin")
        print("  CAISSE_PIN=1111 swift run caisse sell MUF-0001:2 --pay card:1234")
    }
}

/// The demo's central: the real `caisse-central` binary (built next to `caisse`)
/// over a SQLite file in the demo folder, on a free loopback port.
final class DemoCentral: @unchecked Sendable {
    let database: String
    let executable: URL
    private let lock = NSLock()
    private var stopping = false
    private var process: Process?
    /// Central's standard input: it stops when this closes, so it dies with the demo whatever ends it (SIGHUP).
    private var lifeline: Pipe?
    private var address = ""
    /// Where it listens; the same across the restarts (written by the restarting thread too).
    var url: String { lock.withLock { address } }

    init(folder: String, pinRounds: Int) throws {
        database = folder + "/central.sqlite"
        let seeded = FileManager.default.fileExists(atPath: database)
        let sibling = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("caisse-central")
        guard FileManager.default.isExecutableFile(atPath: sibling.path) else {
            throw Failure("caisse-central is not built next to caisse (\(sibling.path)): run `swift build` first")
        }
        executable = sibling
        // A folder of an earlier demo keeps its central: the chain's history goes on.
        if !seeded {
            let data = try DataDirectory.locate()
            _ = try runToEnd(["seed", "--database", database, "--data", data.path, "--pin-rounds", String(pinRounds)])
        }
    }

    func addRegister(_ id: String, store: String) throws -> String {
        try runToEnd(["registers", "add", "--database", database, "--store", store, "--name", id])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func runToEnd(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure("caisse-central \(arguments.first ?? "") failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Starts `serve` (on a free port the first time) and waits for the line that names the port.
    /// A central that dies while the demo runs is started again on the same port (issue 28: the
    /// till stayed offline for good, and a central started by hand listened elsewhere).
    func start(port: Int = 0) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--database", database, "--port", String(port), "--log-level", "error", "--exit-on-stdin-eof"]
        let out = Pipe()
        process.standardOutput = out
        // The screen owns the terminal: the central's log goes to a file, not over the till's picture.
        let log = database.replacingOccurrences(of: ".sqlite", with: ".log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log) ?? FileHandle.nullDevice
        let lifeline = Pipe()
        process.standardInput = lifeline
        process.terminationHandler = { [weak self] _ in self?.restartUnlessStopping() }
        try process.run()
        lock.withLock {
            self.process = process
            self.lifeline = lifeline
        }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw Failure("caisse-central stopped before listening (see \(log))") }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://") else { throw Failure("unexpected caisse-central output: \(text)") }
        let found = String(text[range.lowerBound...].prefix { !$0.isWhitespace })
        lock.withLock { address = found }
    }

    private func restartUnlessStopping() {
        guard let port = Int(url.split(separator: ":").last ?? "") else { return }
        for _ in 0..<50 {
            if lock.withLock({ stopping }) { return }
            Thread.sleep(forTimeInterval: 0.2)   // the port frees once the kernel closed the dead one's socket
            if (try? start(port: port)) != nil { return }
        }
    }

    func stop() {
        let process: Process? = lock.withLock {
            stopping = true
            return self.process
        }
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        lock.withLock { self.process = nil }
    }

    deinit { stop() }
}
