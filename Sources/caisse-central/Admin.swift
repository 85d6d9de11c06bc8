import ArgumentParser
import CaisseAPI
import CaisseCore
import CentralServer
import CentralStore
import Foundation

struct Registers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Enrol, list and revoke registers.",
                                                    subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enrol a register of a store and print its token (shown once).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Store code or id.") var store: String
        @Option(help: "Register id (letters, digits, '-'), e.g. CV-2.") var name: String

        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                let location = try await resolveLocation(central, store)
                let token = BearerToken.generate()
                _ = try await central.addRegister(id: name, storeId: location.id, name: name, tokenDigest: BearerToken.digest(token))
                print(token)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registers with their sync mark.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await reportingErrors {
                for r in try await db.open().registers() {
                    print("\(r.id)\tstore \(r.storeId)\tapplied \(r.appliedThrough)\(r.revoked ? "\tREVOKED" : "")\(r.auditFlag.map { "\tAUDIT: \($0)" } ?? "")")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a register: its token stops working at once.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "Register id.") var id: String
        func run() async throws {
            try await reportingErrors {
                try await db.open().revokeRegister(id: id)
                print("register \(id) revoked")
            }
        }
    }
}

func resolveLocation(_ store: any CentralStore, _ text: String) async throws -> Location {
    let locations = try await store.locations()
    guard let location = locations.first(where: { String($0.id) == text || $0.code.caseInsensitiveCompare(text) == .orderedSame }) else {
        throw CLIFailure("unknown store '\(text)' (known: \(locations.map(\.code).joined(separator: ", ")))")
    }
    return location
}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add and list users.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user; the PIN is read from $CAISSE_PIN or --pin.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Login name.") var username: String
        @Option(help: "Full name.") var name: String
        @Option(help: "cashier, employee, manager or admin.") var role: String
        @Option(help: "Store code or id.") var store: String
        @Option(help: "4 to 8 digits (prefer $CAISSE_PIN: arguments are visible to other users of the machine).") var pin: String?

        func run() async throws {
            try await reportingErrors {
                guard let role = Role(rawValue: role) else { throw CLIFailure("role must be cashier, employee, manager or admin") }
                guard let pin = pin ?? ProcessInfo.processInfo.environment["CAISSE_PIN"], (4...8).contains(pin.count), pin.allSatisfy(\.isNumber) else {
                    throw CLIFailure("a PIN of 4 to 8 digits is required (--pin or $CAISSE_PIN)")
                }
                guard (1...64).contains(username.count), !username.contains(" ") else { throw CLIFailure("username must be 1–64 characters without spaces") }
                let central = try await db.open()
                let location = try await resolveLocation(central, store)
                let user = try await central.addUser(User(id: 0, username: username, displayName: name, role: role, storeId: location.id,
                                                          pinHash: try PinHasher().hash(pin: pin)))
                print("user \(user.username) (#\(user.id)) added to \(location.name) as \(role.rawValue)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await reportingErrors {
                for u in try await db.open().users(storeId: nil) {
                    print("\(u.id)\t\(u.username)\t\(u.role.rawValue)\tstore \(u.storeId)\t\(u.displayName)\(u.active ? "" : "\tinactive")")
                }
            }
        }
    }
}

struct Restock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List and move restock requests (the same rules as the API).",
                                                    subcommands: [List.self, Approve.self, Reject.self, Ship.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List restock requests.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Only this store (code or id).") var store: String?
        @Option(help: "Only this state.") var state: String?
        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                var storeId: Int64?
                if let store { storeId = try await resolveLocation(central, store).id }
                let state = try state.map { raw -> RestockState in
                    guard let s = RestockState(rawValue: raw) else { throw CLIFailure("unknown state '\(raw)'") }
                    return s
                }
                for r in try await central.restockRequests(RestockQuery(storeId: storeId, state: state)) {
                    print("\(r.id)\tstore \(r.storeId)\tproduct \(r.productId)\t× \(r.quantity)\t\(r.state.rawValue)\(r.note.map { "\t\($0)" } ?? "")")
                }
            }
        }
    }

    static func move(_ db: DatabaseOptions, _ id: String, _ action: RestockAction) async throws {
        try await reportingErrors {
            let request = try await db.open().transitionRestock(id: id, action: action, at: CentralService.now())
            print("\(request.id) is now \(request.state.rawValue)")
        }
    }

    struct Approve: AsyncParsableCommand {
        @OptionGroup var db: DatabaseOptions
        @Argument var id: String
        func run() async throws { try await Restock.move(db, id, .approve) }
    }
    struct Reject: AsyncParsableCommand {
        @OptionGroup var db: DatabaseOptions
        @Argument var id: String
        func run() async throws { try await Restock.move(db, id, .reject) }
    }
    struct Ship: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ship from the warehouse (refused when it has too little).")
        @OptionGroup var db: DatabaseOptions
        @Argument var id: String
        func run() async throws { try await Restock.move(db, id, .ship) }
    }
}

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the consolidated sales report.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "First day, YYYY-MM-DD (default: 6 days ago).") var from: String?
    @Option(help: "Last day, YYYY-MM-DD (default: today).") var to: String?
    @Flag(help: "The stores' table as CSV.") var csv = false
    @Option(help: ArgumentHelp("One table as CSV: stores, discounts, losses, taxes, products or days.", valueName: "table"))
    var table: String?
    @Option(help: ArgumentHelp("Every table as its own CSV file in this folder (stores.csv, discounts.csv…).", valueName: "dir"))
    var csvDir: String?

    func run() async throws {
        try await reportingErrors {
            let service = CentralService(store: try await db.open())
            let today = try await service.today()
            func day(_ text: String?, _ fallback: Day) throws -> Day {
                guard let text else { return fallback }
                guard let d = Day(iso: text) else { throw CLIFailure("'\(text)' is not a date (YYYY-MM-DD)") }
                return d
            }
            let response = try await service.salesReport(from: try day(from, today.adding(days: -6)), to: try day(to, today))
            if let csvDir {
                try FileManager.default.createDirectory(atPath: csvDir, withIntermediateDirectories: true)
                for (name, text) in ReportCSV.files(response) {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: csvDir).appendingPathComponent(name), options: .atomic)
                    print(csvDir + "/" + name)
                }
                return
            }
            if let table {
                guard let t = ReportCSV.Table(rawValue: table) else {
                    throw CLIFailure("--table: one of " + ReportCSV.Table.allCases.map(\.rawValue).joined(separator: ", "))
                }
                print(ReportCSV.text(response, table: t), terminator: "")
                return
            }
            if csv {
                print(CentralService.csv(response), terminator: "")
                return
            }
            print("Ventes du \(response.from) au \(response.to)")
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
            func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
            print(pad("Magasin", 24) + lpad("Ventes", 8) + lpad("Articles", 10) + lpad("Brut", 14) + lpad("Retours", 12) + lpad("Taxes", 12) + lpad("Net", 14))
            func row(_ name: String, _ f: SalesFigures) {
                print(pad(name, 24) + lpad(String(f.count), 8) + lpad(String(f.items), 10) + lpad(f.gross.formatted(.fr), 14)
                      + lpad(f.returns.formatted(.fr), 12) + lpad(f.taxes.formatted(.fr), 12) + lpad(f.net.formatted(.fr), 14))
            }
            for s in response.report.stores { row(response.storeNames[String(s.storeId)] ?? "#\(s.storeId)", s.figures) }
            row("TOTAL", response.report.total)
            if !response.report.topProducts.isEmpty {
                print("\nMeilleurs vendeurs")
                for p in response.report.topProducts { print("  \(pad(p.sku, 9)) \(pad(p.name, 40)) \(lpad(String(p.quantity), 6)) \(lpad(p.revenue.formatted(.fr), 12))") }
            }
            if let channels = response.channels {
                // Issue 27: online pickup beside the store's own sales, orders still waiting, points.
                print("\nCommandes web (cueillette en magasin)")
                for s in channels.stores {
                    let waiting = s.openOrders == 0 ? "" : ", \(s.openOrders) en attente"
                    print("  \(pad(response.storeNames[String(s.storeId)] ?? "#\(s.storeId)", 22)) \(lpad(String(s.onlinePickupSales), 6)) vente(s)"
                          + " \(lpad(s.onlinePickupTotal.formatted(.fr), 12))\(waiting)")
                }
                print("Points : \(channels.pointsEarned) gagnés, \(channels.pointsRedeemed) échangés ; en circulation : \(channels.pointsOutstanding)")
            }
        }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Re-verify every register's stored journal (hash chain); exit 1 if one is broken.")
    @OptionGroup var db: DatabaseOptions
    func run() async throws {
        try await reportingErrors {
            let central = try await db.open()
            let broken = try await central.audit()
            let registers = try await central.registers()
            for r in registers { print("\(r.id)\t\(broken[r.id].map { "BROKEN: \($0)" } ?? "ok (\(r.appliedThrough) events)")") }
            if !broken.isEmpty { throw ExitCode.failure }
        }
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy central's SQLite database, online and consistent, into a new file (PostgreSQL: pg_dump, see docs/operations.md).")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The new file.") var to: String
    func run() async throws {
        try await reportingErrors {
            guard let central = try await db.open() as? SQLiteCentralStore else {
                throw CLIFailure("backup copies a SQLite central; back PostgreSQL up with pg_dump or pg_basebackup (docs/operations.md)")
            }
            let started = Date()
            try await central.backup(to: to)
            print("backed up to \(to) in \(Int(Date().timeIntervalSince(started) * 1000)) ms")
        }
    }
}

struct Schema: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the persisted domain model as a Mermaid ER diagram, read from the live database.")
    @OptionGroup var db: DatabaseOptions
    func run() async throws {
        try await reportingErrors {
            print(MermaidER.render(try await db.open().schema()), terminator: "")
        }
    }
}

struct Exceptions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What tills recorded that central's state disagreed with (a delivery received twice, stock below zero…): list and resolve.",
        subcommands: [List.self, Resolve.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List open exceptions (--all: resolved ones too), newest first.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Only this store (code or id).") var store: String?
        @Flag(help: "Resolved exceptions too.") var all = false
        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                var storeId: Int64?
                if let store { storeId = try await resolveLocation(central, store).id }
                let list = try await central.exceptions(storeId: storeId, includeResolved: all)
                if list.isEmpty { print("no \(all ? "" : "open ")exception") }
                for x in list {
                    let open = x.quarantined == true ? "QUARANTINED (apply, correct or void)" : "OPEN"
                    let state = x.resolvedAt == nil ? open : "\(x.decision?.rawValue ?? "resolved") by \(x.resolvedBy ?? "?"): \(x.resolution ?? "")"
                    print("\(x.id)\t\(x.kind)\tstore \(x.storeId)\t\(x.registerId)#\(x.sequence)\t\(x.reference)\t\(x.detail)\t\(state)")
                }
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close an exception with what was done (recorded with --by).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The exception's id.") var id: Int64
        @Option(help: "What was done, e.g. 'second delivery sent back'.") var note: String
        @Option(help: "Who resolves it.") var by: String
        @Option(help: "For a quarantined event: apply (as the till wrote it, judged again now), correct (dated the day central received it: a till's clock) or void (the books never see it).")
        var decision: ExceptionDecision?
        func run() async throws {
            try await reportingErrors {
                let note = note.trimmingCharacters(in: .whitespaces)
                guard !note.isEmpty, DocumentCheck.isCleanText(note, maxLength: 500) else { throw CLIFailure("--note: 1 to 500 printable characters") }
                let x = try await db.open().resolveException(id: id, by: by, note: note, decision: decision, at: CentralService.now())
                print("exception \(x.id) \(x.decision.map { "decided (\($0.rawValue))" } ?? "resolved") by \(x.resolvedBy ?? by)")
            }
        }
    }
}

extension ExceptionDecision: ExpressibleByArgument {}
