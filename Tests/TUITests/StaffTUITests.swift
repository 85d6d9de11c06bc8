import CaisseCore
import Foundation
import RegisterStore
import Testing

/// A real `caisse-central serve` that can be stopped and started again on the same port.
final class LiveCentral {
    let database: String
    private(set) var port = 0
    private var process: Process?

    init(folder: String) throws {
        database = folder + "/central.sqlite"
        try run(binary("caisse-central"), ["seed", "--database", database, "--pin-rounds", "1000"])
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func addRegister(_ id: String, store: String) throws -> String {
        try run(binary("caisse-central"), ["registers", "add", "--database", database, "--store", store, "--name", id])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary("caisse-central"))
        process.arguments = ["serve", "--database", database, "--port", String(port), "--log-level", "error"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var buffer = ""
        while !buffer.contains("\n") {
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

    deinit { stop() }
}

/// Issue 7's flows with the real binaries on real terminals.
@Suite(.serialized, .enabled(if: tmuxAvailable, "tmux is not installed"))
struct StaffTUITests {
    @Test func restockOfflineApprovedAtHeadOfficeReceivedAndTheReportShowsTwoStores() throws {
        let folder = try temporaryFolder()
        let central = try LiveCentral(folder: folder)
        try central.start()
        let caisse = binary("caisse")
        for (register, store) in [("CV-1", "CV"), ("MM-1", "MM"), ("NORD-1", "NORD")] {
            let token = try central.addRegister(register, store: store)
            try run(caisse, ["enroll", "--db", "\(folder)/\(register).sqlite", "--central", central.url, "--token", token])
        }
        central.stop()

        // The employee asks for goods while central is away.
        let cv = try Tmux(width: 100, height: 30)
        try cv.type("\(caisse) tui --db \(folder)/CV-1.sqlite --lang en")
        try cv.press("Enter")
        try cv.waitFor("Who are you?")
        try cv.type("employe.cv")
        try cv.press("Enter")
        try cv.type("2222")
        try cv.press("Enter")
        try cv.waitFor("Hello Mathis Gagnon")
        try cv.type("6")
        try cv.waitFor("Restock — Magasin Centre-Ville")
        try cv.press("Space")
        let chosen = try cv.waitFor("[x]")
        let line = try #require(chosen.split(separator: "\n").first { $0.contains("[x]") })
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        let sku = String(parts[1])
        let asked = try #require(Int(parts.last ?? ""))
        try cv.press("F5")
        try cv.waitFor("1 request(s) sent to the warehouse")
        try cv.waitFor("○ Offline")
        let tillStore = try RegisterStore(path: "\(folder)/CV-1.sqlite")
        let product = try #require(try tillStore.product(code: sku))
        let before = try tillStore.onHand(productId: product.id)

        // Central is back: sync delivers the request.
        try central.start()
        try cv.press("Escape")
        try cv.waitFor("Menu")
        try cv.type("0")   // sync now (employee menu, drawer closed)
        try cv.waitFor("0 to send")

        // A manager at head office approves and ships it from his own register.
        let mm = try Tmux(width: 100, height: 30)
        try mm.type("\(caisse) tui --db \(folder)/MM-1.sqlite --lang en")
        try mm.press("Enter")
        try mm.waitFor("Who are you?")
        try mm.type("gerant.mm")
        try mm.press("Enter")
        try mm.type("3333")
        try mm.press("Enter")
        try mm.waitFor("Hello")
        try mm.type("9")
        try mm.waitFor("requested")
        try mm.type("a")
        try mm.waitFor(": approved.")
        try mm.type("s")
        try mm.waitFor(": shipped.")

        // The store receives it: its stock rises.
        try cv.type("0")
        try cv.waitFor("Synced with central")   // issue 28: the sync asked for says how it went
        try cv.type("6")
        try cv.press("Tab")
        try cv.waitFor("shipped")
        try cv.press("F6")
        try cv.waitFor("Received: +\(asked) in stock.")
        #expect(try tillStore.onHand(productId: product.id) == before + asked)

        // Sales at two registers of two stores; the manager's report shows both.
        try run(caisse, ["sell", "--db", "\(folder)/CV-1.sqlite", "TIM-0001:2", "--pay", "cash"])
        try run(caisse, ["sell", "--db", "\(folder)/NORD-1.sqlite", "CAF-0001:3", "--pay", "card:A1"])
        try run(caisse, ["sync", "--db", "\(folder)/NORD-1.sqlite"])
        try cv.press("Escape")
        try cv.type("0")   // sync now: the till's background sync pushes the CLI's sale too
        // The status bar's count predates the CLI's sale: wait for central's own mark instead.
        let events = try tillStore.journal().count
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline,
              !(try run(binary("caisse-central"), ["registers", "list", "--database", central.database]).contains("CV-1\tstore 1\tapplied \(events)")) {
            Thread.sleep(forTimeInterval: 0.1)
        }
        let cvSale = try #require(try tillStore.journal().compactMap { try? $0.document().sale }.last)
        let nordSale = try #require(try RegisterStore(path: "\(folder)/NORD-1.sqlite").journal().compactMap { try? $0.document().sale }.last)
        try mm.press("Escape")
        try mm.type("7")
        let report = try mm.waitFor("Magasin Nord")
        let cvRow = try #require(report.split(separator: "\n").first { $0.contains("Magasin Centre-Ville") })
        let nordRow = try #require(report.split(separator: "\n").first { $0.contains("Magasin Nord") })
        #expect(cvRow.contains(cvSale.subtotal.formatted(.en)))
        #expect(nordRow.contains(nordSale.subtotal.formatted(.en)))
        #expect(nordRow.contains(nordSale.taxTotal.formatted(.en)))

        // The dashboard: today's revenue of both stores as bars, and the stock alerts.
        try mm.press("Escape")
        try mm.type("8")
        let board = try mm.waitFor("Stock alerts")
        let cvBar = try #require(board.split(separator: "\n").first { $0.contains("Magasin Centre-Ville") && $0.contains("█") })
        #expect(cvBar.contains(cvSale.subtotal.formatted(.en)))
        #expect(board.split(separator: "\n").contains { $0.contains("Magasin Nord") && $0.contains(nordSale.subtotal.formatted(.en)) })
    }
}
