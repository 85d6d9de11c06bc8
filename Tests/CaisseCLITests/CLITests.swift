import CaisseAPI
import CaisseCore
import Foundation
import RegisterStore
import Testing

@Suite("caisse CLI", .serialized)
struct CLITests {
    @Test func initSellReturnSearchAndStock() throws {
        let cli = try CLI()
        try cli.initialise()

        let search = try cli.run(["search", "cafe", "filtre"])
        #expect(search.status == 0)
        #expect(search.stdout.contains("Café filtre moyen"))

        let sale = try cli.run(["sell", "TIM-0001", "CAF-0001:2", "--pay", "cash:20"])
        #expect(sale.status == 0, "\(sale.stderr)")
        #expect(sale.stdout.contains("Reçu CV-1-000001"))
        #expect(sale.stdout.contains("Monnaie rendue"))

        let card = try cli.run(["sell", "2000000000015", "--pay", "card:AUTH-77", "--lang", "en"])
        #expect(card.status == 0, "\(card.stderr)")
        #expect(card.stdout.contains("Card AUTH-77"))

        let ret = try cli.run(["return", "CV-1-000001", "2:1"])
        #expect(ret.status == 0, "\(ret.stderr)")
        #expect(ret.stdout.contains("RETOUR"))
        #expect(ret.stdout.contains("Vente d'origine CV-1-000001"))

        let over = try cli.run(["return", "CV-1-000001", "2:2"])
        #expect(over.status == 1)
        #expect(over.stderr.contains("1 already returned"))

        let stock = try cli.run(["stock", "timbits", "assortis"])
        #expect(stock.stdout.contains("TIM-0001"))
        #expect(stock.stdout.contains("          21 "))   // 23 − 1 − 1

        let low = try cli.run(["stock", "--low"])
        #expect(low.status == 0)
        #expect(low.stdout.contains("RUPTURE") || low.stdout.contains("bas"))

        let journal = try cli.run(["journal"])
        #expect(journal.stdout.hasPrefix("journal ok: 3 events"))

        let store = try RegisterStore(path: cli.db)
        #expect(try store.saleCount() == 2)
    }

    @Test("mistakes get one clear line, exit 1, and change nothing", arguments: [
        (["sell", "NOPE-1", "--pay", "cash"], "unknown product 'NOPE-1'"),
        (["sell", "TIM-0001:-2", "--pay", "cash"], "quantity must be at least 1"),
        (["sell", "TIM-0001:x", "--pay", "cash"], "is not a quantity"),
        (["sell", "TIM-0001", "--pay", "cash:1"], "still due: the sale was not recorded"),
        (["sell", "TIM-0001", "--pay", "cash:-5"], "is negative"),
        (["sell", "TIM-0001", "--pay", "bitcoin"], "is not a tender"),
        (["sell", "TIM-0001"], "no tender"),
        (["sell", "TIM-0001", "--pay", "cash", "--cashier", "nobody"], "unknown user 'nobody'"),
        (["return", "CV-1-000404", "1"], "no sale with receipt number CV-1-000404"),
        (["sell", "TIM-0001", "--pay", "cash", "--cashier", "caissier.nord"], "unknown user 'caissier.nord'"),
        (["stock", "--low", "--out"], "at most one of"),
        (["search", "x", "--limit", "0"], "--limit must be between 1 and 500"),
    ])
    func mistakes(arguments: [String], message: String) throws {
        let cli = try CLI()
        try cli.initialise()
        let result = try cli.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        let store = try RegisterStore(path: cli.db)
        #expect(try store.saleCount() == 0)
        #expect(try store.journal().isEmpty)
    }

    /// Issue 14: anyone with a shell on the till could sell or refund cash in
    /// anyone's name. Now the CLI is a person who gives a PIN, under the
    /// screen's per-person lockout, kept in the database across runs.
    /// Issue 16: discounts headless, with the approver's PIN read as the cashier's is.
    @Test func sellTakesDiscountsAndAnApproverBeyondTheLimit() throws {
        let cli = try CLI()
        try cli.initialise()
        let within = try cli.run(["sell", "CAF-0001:3", "TIM-0001", "--discount", "1:10%:loyalty", "--pay", "cash"])
        #expect(within.status == 0, "\(within.stderr)")
        #expect(within.stdout.contains("Remise (fidélité)") && within.stdout.contains("-0,66"), "\(within.stdout)")
        let beyond = try cli.run(["sell", "TIM-0001", "--discount", "1:=1.50:price_match", "--pay", "cash"])
        #expect(beyond.status == 1)
        #expect(beyond.stderr.contains("needs a manager's PIN"), "\(beyond.stderr)")
        let approved = try cli.run(["sell", "TIM-0001", "--discount", "1:=1.50:price_match", "--sale-discount", "0.25:goodwill",
                                    "--approver", "gerant.cv", "--pay", "cash"], environment: ["CAISSE_APPROVER_PIN": "3333"])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout.contains("Prix modifié (prix concurrent)") && approved.stdout.contains("Vos économies"))
        for bad in [["--discount", "1:10%:nope"], ["--discount", "3:10%:loyalty"], ["--sale-discount", "=1.00:goodwill"], ["--discount", "1:150%:other"]] {
            let refused = try cli.run(["sell", "TIM-0001", "--pay", "cash"] + bad)
            #expect(refused.status == 1, "\(bad)")
        }
        let store = try RegisterStore(path: cli.db)
        #expect(try store.saleCount() == 2, "nothing refused was recorded")
        #expect(try store.sale(receiptNumber: "CV-1-000002")?.lines.first?.discounts.first?.approvedBy != nil)
    }

    /// Issue 17: waste and the rest, headless; bad input changes nothing.
    @Test func adjustDeclaresWasteAndRefusesWhatMakesNoSense() throws {
        let cli = try CLI()
        try cli.initialise()
        let store = try RegisterStore(path: cli.db)
        let before = try store.onHand(productId: 3)
        let waste = try cli.run(["adjust", "--reason", "waste", "BEI-0001:6", "MUF-0001:2", "--note", "fin de journée"], pin: "2222")
        #expect(waste.status == 0, "\(waste.stderr)")
        #expect(waste.stdout.contains("perte (invendus)") && waste.stdout.contains("Valeur au détail"))
        #expect(try store.onHand(productId: 3) == before - 6)
        for bad in [["--reason", "waste", "BEI-0001:-6"], ["--reason", "correction", "BEI-0001:3"], ["--reason", "nope", "BEI-0001:1"],
                    ["--reason", "waste"], ["--reason", "theft", "ART-0001:3"], ["--reason", "waste", "NOPE:1"]] {
            let refused = try cli.run(["adjust"] + bad, pin: "2222")
            #expect(refused.status == 1, "\(bad): \(refused.stderr)")
        }
        #expect(try cli.run(["adjust", "--reason", "waste", "BEI-0001:1"]).status == 1, "a cashier does not adjust stock")
        #expect(try store.onHand(productId: 3) == before - 6)
        #expect(try store.journal().count == 1, "nothing refused was journaled")
        let approved = try cli.run(["adjust", "--reason", "theft", "ART-0001:3", "--approver", "gerant.cv"], pin: "2222",
                                   environment: ["CAISSE_APPROVER_PIN": "3333"])
        #expect(approved.status == 0, "\(approved.stderr)")
    }

    /// Issue 17: transfers headless; an adjustment without a reason, a transfer to this very
    /// store or of a negative quantity are refused with a clear message and change nothing.
    @Test func transfersAndBadInventoryInput() throws {
        let cli = try CLI()
        try cli.initialise()
        let store = try RegisterStore(path: cli.db)
        let noReason = try cli.run(["adjust", "BEI-0001:1"], pin: "2222")
        #expect(noReason.status != 0 && noReason.stderr.contains("--reason"), "\(noReason.stderr)")
        let toItself = try cli.run(["transfer", "send", "--to", "CV", "TIM-0001:2"], pin: "2222")
        #expect(toItself.status == 1 && toItself.stderr.contains("another store"), "\(toItself.stderr)")
        let negative = try cli.run(["transfer", "request", "--from", "NORD", "TIM-0001:-2"], pin: "2222")
        #expect(negative.status == 1 && negative.stderr.contains("CODE:UNITS"), "\(negative.stderr)")
        #expect(try store.journal().isEmpty, "nothing refused was journaled")
        let before = try store.onHand(productId: 1)
        let sent = try cli.run(["transfer", "send", "--to", "NORD", "TIM-0001:2"], pin: "2222")
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(try store.onHand(productId: 1) == before - 2)
        let list = try cli.run(["transfer", "list"])
        #expect(list.stdout.contains("NORD") && list.stdout.contains("2"), "\(list.stdout)")
    }

    /// Found trying the till: `caisse stock --warehouse BAG-0001` printed all 320 products, each "overstock"
    /// by the store's thresholds. The words filter it; the store's filters are refused for it.
    @Test func theWarehousesStockIsFilteredByWordsAndHasNoThresholds() throws {
        let cli = try CLI()
        try cli.initialise()
        let one = try cli.run(["stock", "--warehouse", "BAG-0001"])
        #expect(one.status == 0 && one.stdout.contains("1 produit(s)") && !one.stdout.contains("surstock"), "\(one.stdout)")
        #expect(try cli.run(["stock", "--warehouse", "--low"]).status == 1)
        let store = try cli.run(["stock", "BAG-0001"])
        #expect(store.stdout.contains("1 produit(s)") && !store.stdout.contains("BOU-0001"), "a SKU typed whole is that product: \(store.stdout)")
    }

    /// Issue 17: a count headless, offline, with a sale during it.
    @Test func countStartAddConfirm() throws {
        let cli = try CLI()
        try cli.initialise()
        #expect(try cli.run(["count", "start", "--category", "Boulangerie"], pin: "2222").status == 0)
        let added = try cli.run(["count", "add", "BAG-0001:5", "MUF-0001"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("BAG-0001") && added.stdout.contains("+3"), "\(added.stdout)")
        #expect(try cli.run(["sell", "MUF-0001", "--pay", "cash"]).status == 0)
        #expect(try cli.run(["count", "add", "CAF-0001"]).status == 1, "not in the category counted")
        #expect(try cli.run(["count", "add", "BAG-0001:0"]).status == 1)
        let refused = try cli.run(["count", "confirm"], pin: "2222")
        #expect(refused.status == 1 && refused.stderr.contains("manager's PIN"), "\(refused.stderr)")
        let confirmed = try cli.run(["count", "confirm", "--approver", "gerant.cv"], pin: "2222", environment: ["CAISSE_APPROVER_PIN": "3333"])
        #expect(confirmed.status == 0, "\(confirmed.stderr)")
        let store = try RegisterStore(path: cli.db)
        #expect(try store.onHand(productId: 4) == 5)
        #expect(try store.onHand(productId: 5) == 0, "one muffin counted, the one sold after it was counted is gone too")
        #expect(try cli.run(["count", "show"]).status == 1, "no count under way")
    }

    @Test func theCLIActsOnlyForAPersonWhoGivesTheirPIN() throws {
        let cli = try CLI()
        try cli.initialise()
        let none = try cli.run(["sell", "TIM-0001", "--pay", "cash"], pin: nil)
        #expect(none.status == 1)
        #expect(none.stderr.contains("PIN is needed"), "\(none.stderr)")
        for tries in [2, 1] {
            let wrong = try cli.run(["return", "CV-1-000001", "1"], pin: "0000")
            #expect(wrong.stderr.contains("wrong PIN for caissier.cv (\(tries) "), "\(wrong.stderr)")
        }
        #expect(try cli.run(["sell", "TIM-0001", "--pay", "cash"], pin: "0000").stderr.contains("locked for"))
        // Locked: even the right PIN is refused, in a new process, for this person only.
        #expect(try cli.run(["sell", "TIM-0001", "--pay", "cash"]).stderr.contains("locked for"))
        let other = try cli.run(["sell", "TIM-0001", "--pay", "cash", "--cashier", "employe.cv"], pin: "2222")
        #expect(other.status == 0, "\(other.stderr)")
        let store = try RegisterStore(path: cli.db)
        #expect(try store.saleCount() == 1)
        #expect(try store.journal().count == 1)
        // Secrets at rest: the database is its owner's only.
        let mode = try FileManager.default.attributesOfItem(atPath: cli.db)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// Issue 13: a till with damaged pages kept selling and said "journal ok".
    @Test func aDamagedDatabaseStopsTheTillWithExitCode3() throws {
        let cli = try CLI()
        try cli.initialise()
        #expect(try cli.run(["sell", "TIM-0001", "--pay", "cash"]).status == 0)
        _ = try RegisterStore(path: cli.db)   // checkpointed on close: every page is in the main file
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: cli.db))
        let size = try handle.seekToEnd()
        // Scribble over every page after the first (the header stays readable).
        var offset: UInt64 = 4096
        while offset + 64 < size {
            try handle.seek(toOffset: offset + 16)
            handle.write(Data(repeating: 0xA5, count: 48))
            offset += 4096
        }
        try handle.close()
        for arguments in [["sell", "TIM-0001", "--pay", "cash"], ["journal"], ["sync"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 3, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("database is damaged"), "\(result.stderr)")
        }
    }

    @Test func commandsBeforeInitSayWhatToDo() throws {
        let cli = try CLI()
        let result = try cli.run(["sell", "TIM-0001", "--pay", "cash"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("run `caisse init` first"))
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }

    @Test func initRefusesTwiceAndLeavesNothingOnFailure() throws {
        let cli = try CLI()
        let bad = try cli.run(["init", "--pin-rounds", "1000", "--store", "CL"])
        #expect(bad.stderr.contains("warehouse"))
        let badId = try cli.run(["init", "--pin-rounds", "1000", "--register", "no spaces"])
        #expect(badId.status == 1)
        #expect(!FileManager.default.fileExists(atPath: cli.db))
        try cli.initialise(["--store", "NORD"])
        let again = try cli.run(["init", "--pin-rounds", "1000"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already set up"))
        #expect(try RegisterStore(path: cli.db).identity().registerId == "NORD-1")
    }
}

@Suite("Crash safety")
struct CrashTests {
    /// A till killed (power cut, SIGKILL) in the middle of selling must come
    /// back with every committed sale whole and nothing half-written.
    @Test func killedWhileSellingLeavesOnlyWholeSales() throws {
        let cli = try CLI()
        try cli.initialise()
        var seenCommitted = Set<String>()
        for round in 0..<3 {
            let process = Process()
            process.executableURL = caisseBinary
            process.arguments = ["stress-sell", "--db", cli.db]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Let it commit a varying number of sales, then kill it without warning.
            var buffer = ""
            let target = 15 + round * 10
            while buffer.split(separator: "\n").count < target {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer += String(decoding: chunk, as: UTF8.self)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            for line in buffer.split(separator: "\n") where line.hasPrefix("committed ") {
                seenCommitted.insert(String(line.split(separator: " ")[1]))
            }
        }

        let store = try RegisterStore(path: cli.db)
        try store.verifyJournal()
        let journal = try store.journal()
        let sales = try journal.filter { $0.type == .sale }.map { try JournalDocument.sale(payload: $0.payload) }
        #expect(try store.saleCount() == sales.count)
        #expect(journal.map(\.sequence) == Array(1...Int64(journal.count)))
        // Every sale the process reported as committed survived the kill.
        let receipts = Set(sales.map(\.receiptNumber))
        #expect(seenCommitted.isSubset(of: receipts))
        #expect(seenCommitted.count >= 15 + 25 + 35 - 3)
        for sale in sales {
            let stored = try store.sale(receiptNumber: sale.receiptNumber)
            #expect(stored == sale)
            #expect(sale.tenders.reduce(Money.zero) { $0 + $1.amount } == sale.amountPaid)
        }
        // Stock moved exactly by what the whole sales sold.
        let sold = sales.flatMap(\.lines).filter { $0.productId == 1 }.reduce(0) { $0 + $1.quantity }
        #expect(try store.onHand(productId: 1) == 23 - sold)
    }

    /// Issue 29: the help texts carried their own line breaks, so `caisse sell --help` broke
    /// sentences in the middle ("each with a\nreason") whatever the terminal's width.
    @Test func helpTextsWrapWhereTheTerminalDoes() throws {
        let cli = try CLI()
        for command in [["sell"], ["return"], ["adjust"]] {
            let wide = try cli.run(command + ["--help"], withDB: false, environment: ["COLUMNS": "1000"])
            let paragraph = wide.stdout.split(separator: "\n").first { $0.contains(command == ["sell"] ? "each with a reason" : "PIN") }
            #expect(paragraph != nil, "\(command): \(wide.stdout)")
            #expect(paragraph.map { $0.count > 300 } == true, "one paragraph, one line on a wide terminal: \(command)")
        }
        let narrow = try cli.run(["sell", "--help"], withDB: false, environment: ["COLUMNS": "80"])
        #expect(narrow.stdout.split(separator: "\n").filter { !$0.hasPrefix("USAGE:") }.allSatisfy { $0.count <= 80 })
    }

    /// The class of the `sell --help` break: no help text of either program, at any depth,
    /// carries its own line break in the middle of a sentence (the terminal wraps them).
    @Test func noHelpTextBreaksASentenceItself() throws {
        let central = caisseBinary.deletingLastPathComponent().appendingPathComponent("caisse-central")
        var broken: [String] = []
        func help(_ binary: URL, _ path: [String], depth: Int) throws {
            let process = Process()
            process.executableURL = binary
            process.arguments = path + ["--help"]
            process.environment = ProcessInfo.processInfo.environment.merging(["COLUMNS": "1000"]) { _, new in new }
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let overview = lines.prefix { !$0.hasPrefix("USAGE:") }
            for (a, b) in zip(overview, overview.dropFirst()) {
                let indentA = a.prefix { $0 == " " }.count, indentB = b.prefix { $0 == " " }.count
                let x = a.trimmingCharacters(in: .whitespaces), y = b.trimmingCharacters(in: .whitespaces)
                // Examples (a command line) and laid-out columns are the author's own lines.
                guard indentA == indentB, indentA < 20, x.count > 60, !x.hasPrefix("caisse"), !y.hasPrefix("caisse"),
                      let last = x.last, last.isLetter || last == ",", y.first?.isLowercase == true else { continue }
                broken.append("\(([binary.lastPathComponent] + path).joined(separator: " ")): “\(x.suffix(30))” / “\(y.prefix(30))”")
            }
            guard depth < 2, let start = lines.firstIndex(of: "SUBCOMMANDS:") else { return }
            for line in lines[(start + 1)...].prefix(while: { !$0.isEmpty }) {
                guard let name = line.split(separator: " ").first.map(String.init), name != "help" else { continue }
                try help(binary, path + [name], depth: depth + 1)
            }
        }
        try help(caisseBinary, [], depth: 0)
        try help(central, [], depth: 0)
        #expect(broken.isEmpty, "\(broken.joined(separator: "\n"))")
    }
}
