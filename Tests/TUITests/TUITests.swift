import CaisseCore
import Foundation
import RegisterStore
import Testing

/// The real `caisse` binary on a real (tmux) terminal.
@Suite(.serialized, .enabled(if: tmuxAvailable, "tmux is not installed"))
struct TUITests {
    @Test func cashierSellsThreeScansForExactCashAcrossAResize() throws {
        let folder = try temporaryFolder()
        let db = folder + "/caisse.sqlite"
        let stats = folder + "/stats.txt"
        try run(binary("caisse"), ["init", "--db", db, "--pin-rounds", "1000"])
        let term = try Tmux(width: 100, height: 30)
        try term.type("\(binary("caisse")) tui --db \(db) --lang fr --stats-file \(stats); echo EXITED=$?")
        try term.press("Enter")
        try term.waitFor("Qui êtes-vous")
        try term.type("caissier.cv")
        try term.press("Enter")
        try term.waitFor("NIP :")
        try term.type("1111")
        try term.press("Enter")
        try term.waitFor("Bonjour Léa Tremblay")
        try term.type("1")
        try term.waitFor("Fonds compté")
        try term.type("150")
        try term.press("Enter")
        try term.waitFor("Article (code, SKU ou nom)")

        try term.type("2000000000015")
        try term.press("Enter")
        try term.waitFor("Timbits assortis (boîte de 10)")
        // Mid-sale the window shrinks to the smallest supported size: the sale goes on.
        try term.resize(width: 80, height: 24)
        let small = try term.waitFor("Articles : 1")
        #expect(small.split(separator: "\n").allSatisfy { $0.count <= 80 })
        try term.type("2000000000022")
        try term.press("Enter")
        try term.waitFor("Café filtre moyen")
        try term.type("2000000000039")
        try term.press("Enter")
        try term.waitFor("Articles : 3")
        try term.press("F5")
        _ = try term.waitFor("PAYÉ — AUCUNE MONNAIE")
        // The receipt's own lines: a capture taken mid-redraw (a loaded machine) showed only its top.
        let done = try term.waitFor("CV-1-000001")
        #expect(done.contains("Beigne glacé au miel"))
        #expect(done.contains("TOTAL"))

        // The sale is in the register's database, whole.
        let store = try RegisterStore(path: db)
        let sale = try #require(try store.sale(receiptNumber: "CV-1-000001"))
        #expect(sale.lines.map(\.productId) == [1, 2, 3])
        #expect(sale.total == Money(cents: 790))
        #expect(FileManager.default.fileExists(atPath: folder + "/receipts/CV-1-000001.txt"))

        // Ctrl-C quits and gives the shell back its normal screen.
        try term.press("C-c")
        let after = try term.waitFor("EXITED=0")
        #expect(!after.contains("MONNAIE"))
        let figures = try String(contentsOfFile: stats, encoding: .utf8)
        print("TUI under tmux:\n" + figures)
    }

    @Test func theTillQuitsWhenItsTerminalGoesAway() throws {
        let folder = try temporaryFolder()
        let db = folder + "/caisse.sqlite"
        try run(binary("caisse"), ["init", "--db", db, "--pin-rounds", "1000"])
        let term = try Tmux(width: 100, height: 30)
        try term.type("\(binary("caisse")) tui --db \(db) --lang en")
        try term.press("Enter")
        try term.waitFor("Who are you?")
        let pids = try run("/usr/bin/pgrep", ["-f", "caisse tui --db \(db)"])
        let pid = try #require(pids.split(separator: "\n").compactMap { Int32($0) }.first)
        term.close()
        let deadline = Date().addingTimeInterval(10)
        while kill(pid, 0) == 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(kill(pid, 0) != 0, "caisse tui kept running without its terminal")
    }

    /// Issue 15 F: closing the terminal of `caisse demo` (SIGHUP) left its caisse-central running.
    @Test func closingTheDemosTerminalStopsItsCentral() throws {
        let folder = try temporaryFolder()
        let term = try Tmux(width: 100, height: 30)
        try term.type("\(binary("caisse")) demo --dir \(folder) --lang en --pin-rounds 1000")
        try term.press("Enter")
        try term.waitFor("Who are you?", timeout: 60)
        func centralRunning() -> Bool {
            let ps = (try? run("/usr/bin/pgrep", ["-f", "serve --database \(folder)"])) ?? ""
            return ps.split(separator: "\n").contains { !$0.isEmpty && !$0.contains("pgrep") }
        }
        #expect(centralRunning())
        // The terminal goes away: SIGHUP to the demo alone (central, a child, is not told).
        let demo = try run("/usr/bin/pgrep", ["-f", "^\(binary("caisse")) demo --dir \(folder)"])
        for pid in demo.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGHUP) }
        let deadline = Date().addingTimeInterval(10)
        while centralRunning(), Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(!centralRunning(), "caisse-central outlived the demo")
        term.close()
    }

    @Test func demoRunsCentralAndTheTillAndTheSaleReachesCentral() throws {
        let folder = try temporaryFolder()
        let term = try Tmux(width: 100, height: 30)
        try term.type("\(binary("caisse")) demo --dir \(folder) --lang en --pin-rounds 1000; echo EXITED=$?")
        try term.press("Enter")
        try term.waitFor("Who are you?", timeout: 60)
        try term.waitFor("● Online")
        try term.type("gerant")
        try term.press("Enter")
        try term.type("3333")
        try term.press("Enter")
        try term.waitFor("Hello Chloé Roy")
        try term.type("1")
        try term.type("100")
        try term.press("Enter")
        try term.waitFor("Item (code, SKU or name)")
        try term.type("muffin")
        try term.waitFor("Results")
        try term.press("Enter")
        try term.press("F6")
        try term.waitFor("BALANCE DUE")
        try term.type("20")
        try term.press("Enter")
        try term.waitFor("CHANGE DUE")
        // Sync runs in the background: the sale leaves the outbox for central.
        try term.waitFor("0 to send │ synced")
        try term.press("Escape")
        try term.waitFor("Menu")
        try term.press("C-c")
        try term.waitFor("EXITED=0")
        let registers = try run(binary("caisse-central"), ["registers", "list", "--database", folder + "/central.sqlite"])
        #expect(registers.contains("CV-1\tstore 1\tapplied 1"))
    }

    /// Issue 15: the whole chain from the README's one command: a store asks for
    /// goods, head office approves and ships them at its own till, the store receives.
    @Test func theDemoTourGoesFromAStoresRequestToHeadOfficeShippingIt() throws {
        let folder = try temporaryFolder()
        func demo(_ store: String, _ term: Tmux) throws {
            try term.type("\(binary("caisse")) demo --dir \(folder) --store \(store) --lang en --pin-rounds 1000; echo EXITED=$?")
            try term.press("Enter")
            try term.waitFor("Who are you?", timeout: 60)
            try term.waitFor("● Online")
            try term.type("gerant")
            try term.press("Enter")
            try term.type("3333")
            try term.press("Enter")
            try term.waitFor("Hello")
        }
        func quit(_ term: Tmux) throws {
            try term.press("C-c")
            try term.waitFor("EXITED=0")
        }
        let term = try Tmux(width: 100, height: 30)
        // Centre-Ville's manager asks the warehouse for what runs low.
        try demo("CV", term)
        try term.type("6")
        try term.waitFor("Store's requests")
        try term.press("Space")
        try term.press("F5")
        try term.waitFor("request(s) sent to the warehouse")
        try term.waitFor("1 to send")   // journaled: the status bar says so at once
        try term.waitFor("0 to send │ synced")
        try quit(term)

        // Head office, at its own till against the same central, approves and ships.
        try demo("MM", term)
        try term.type("9")
        try term.waitFor("Stores' restock requests")
        try term.waitFor("requested")
        try term.type("a")
        try term.waitFor("approved")
        try term.type("s")
        try term.waitFor("shipped")
        try quit(term)

        // Back at Centre-Ville the shipment is there to receive.
        try demo("CV", term)
        try term.type("6")
        try term.waitFor("Store's requests")
        try term.press("Tab")
        try term.waitFor("shipped")
        try term.press("F6")
        try term.waitFor("Received: +")
        try quit(term)
    }

    /// Issue 15: a till killed mid-sale gives the cart back at the next login;
    /// a sale is parked for the next customer and recalled.
    @Test func aCartSurvivesAKilledTillAndASaleIsParkedAndRecalled() throws {
        let folder = try temporaryFolder()
        let db = folder + "/caisse.sqlite"
        try run(binary("caisse"), ["init", "--db", db, "--pin-rounds", "1000"])
        let term = try Tmux(width: 80, height: 24)
        func start() throws {
            try term.type("\(binary("caisse")) tui --db \(db) --lang fr; echo EXITED=$?")
            try term.press("Enter")
            try term.waitFor("Qui êtes-vous")
            try term.type("caissier.cv")
            try term.press("Enter")
            try term.waitFor("NIP :")
            try term.type("1111")
            try term.press("Enter")
        }
        try start()
        try term.waitFor("Bonjour Léa Tremblay")
        try term.type("1")
        try term.waitFor("Fonds compté")
        try term.type("150")
        try term.press("Enter")
        try term.waitFor("Article (code, SKU ou nom)")
        try term.type("2000000000015")
        try term.press("Enter")
        try term.type("2000000000022")
        try term.press("Enter")
        try term.waitFor("Articles : 2")
        // The power goes: no chance to save anything on the way out.
        let pids = try run("/usr/bin/pgrep", ["-f", "caisse tui --db \(db)"])
        for pid in pids.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
        try term.waitFor("EXITED=")
        try term.press("Enter")
        try start()
        let resumed = try term.waitFor("Vente reprise")
        #expect(resumed.contains("Timbits assortis") && resumed.contains("Café filtre moyen"))
        try term.press("F8")
        try term.waitFor("Vente mise en attente (1 en attente)")
        try term.type("2000000000039")
        try term.press("Enter")
        try term.press("F5")
        try term.waitFor("PAYÉ — AUCUNE MONNAIE")
        try term.press("Enter")
        try term.press("F9")
        try term.waitFor("Ventes en attente")
        try term.press("Enter")
        try term.waitFor("Vente reprise (2 article(s))")
        try term.press("F5")
        let paid = try term.waitFor("CV-1-000002")
        #expect(paid.contains("PAYÉ"))
        try term.press("C-c")
        try term.waitFor("EXITED=0")
        let store = try RegisterStore(path: db)
        #expect(try store.sale(receiptNumber: "CV-1-000002")?.lines.map(\.productId) == [1, 2])
        #expect(try store.parkedCarts().isEmpty && store.currentCart() == nil)
    }
}
