import ArgumentParser
import CaisseAPI
import CaisseCore
import CentralModel
import CentralServer
import CentralStore
import DemoChain
import Foundation
import PostgresCentralStore

/// Writes a realistic history into a fresh central database through the real ingest
/// path (`CentralStore.ingest`, the code a push runs, without HTTP): sales shaped by hour
/// of day and day of week, returns of earlier sales, a weekly restock request per store.
/// Reports and the dashboard are then measured against it (`report-bench`).
struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history",
        abstract: "Write N stores × D days of sales, returns and restock requests into a fresh central database through ingest.")

    @Option(help: "A new SQLite file, or a postgres:// URL of an empty database.") var database: String
    @Option(help: "Stores of the chain (S01, S02…).") var stores = 20
    @Option(help: "Days of history, ending today.") var days = 365
    @Option(help: "Sales per store on an average day.") var sales = 685
    @Option(help: "Catalog size.") var products = 320
    @Option(help: "Events per ingested batch.") var batch = 1_000
    @Option(help: "Seed of the generator: the same history for the same seed.") var seed: UInt64 = 18

    func run() async throws {
        guard stores >= 1, stores <= 500, days >= 1, days <= 3_660, sales >= 1, products >= 5 else {
            throw ValidationError("stores 1–500, days 1–3660, sales ≥ 1, products ≥ 5")
        }
        let central: any CentralStore
        if database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
            central = try PostgresCentralStore(url: database)
        } else {
            guard !FileManager.default.fileExists(atPath: database) else { throw ValidationError("\(database) exists: give a new file") }
            central = try SQLiteCentralStore(path: database)
        }
        try await central.migrate()
        let plan = HistoryPlan(stores: stores, products: products, seed: seed)
        try await central.seed(try plan.chainSeed())
        for store in plan.storeLocations {
            _ = try await central.addRegister(id: plan.registerId(store.id), storeId: store.id, name: plan.registerId(store.id),
                                              tokenDigest: BearerToken.digest(BearerToken.generate()))
        }
        let started = Date()
        let today = Day(epochMillis: Int64(Date().timeIntervalSince1970 * 1000), utcOffsetSeconds: -5 * 3_600)
        var totals = (sales: 0, returns: 0, lines: 0)
        var journals = Dictionary(uniqueKeysWithValues: plan.storeLocations.map { ($0.id, Journal(registerId: plan.registerId($0.id))) })
        var yesterday: [Int64: [Sale]] = [:]
        for offset in stride(from: days - 1, through: 0, by: -1) {
            let day = today.adding(days: -offset)
            // Each store's day is made, then the stores are ingested side by side (decoding and hashing use both cores).
            var batches: [(String, [SyncEvent])] = []
            for store in plan.storeLocations {
                var generator = plan.generator(store: store.id, day: day)
                let made = try generator.day(store: store.id, day: day, salesOnAverage: sales, yesterday: yesterday[store.id] ?? [],
                                             journal: &journals[store.id]!)
                yesterday[store.id] = made.sales
                totals.sales += made.sales.count
                totals.returns += made.returns
                totals.lines += made.sales.reduce(0) { $0 + $1.lines.count }
                let events = journals[store.id]!.take()
                for chunk in stride(from: 0, to: events.count, by: batch) {
                    batches.append((plan.registerId(store.id), Array(events[chunk..<min(chunk + batch, events.count)])))
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                var byRegister: [String: [[SyncEvent]]] = [:]
                for (register, events) in batches { byRegister[register, default: []].append(events) }
                for (register, chunks) in byRegister {
                    group.addTask {
                        for events in chunks {
                            guard case .applied = try await central.ingest(registerId: register, events: events) else {
                                throw ValidationError("register \(register): a batch was not applied")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            if offset % 30 == 0 || offset == 0 {
                let elapsed = Date().timeIntervalSince(started)
                print(String(format: "%@: %d sales, %d returns so far, %.0f s, %.0f sales/s", day.iso, totals.sales, totals.returns, elapsed,
                             Double(totals.sales) / max(elapsed, 0.001)))
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        print(String(format: "history: %d stores × %d days: %d sales (%d lines), %d returns through ingest in %.0f s (%.0f sales/s)",
                     stores, days, totals.sales, totals.lines, totals.returns, elapsed, Double(totals.sales) / elapsed))
    }
}

/// One register's journal as it is written: sequence numbers and the hash chain.
struct Journal {
    let registerId: String
    var sequence: Int64 = 0
    var previous = HashChain.genesis
    var pending: [SyncEvent] = []
    var receipts = 0

    init(registerId: String) { self.registerId = registerId }

    /// Journals a document as a till does: today's payload version (ADR 0022).
    mutating func append(id: String, at time: Int64, _ document: JournalDocument) throws {
        sequence += 1
        let event = SyncEvent(registerId: registerId, sequence: sequence, id: id, type: document.eventType, createdAt: time,
                              payload: try document.payload(), previousHash: previous)
        previous = event.hash
        pending.append(event)
    }

    mutating func take() -> [SyncEvent] {
        defer { pending = [] }
        return pending
    }

    mutating func nextReceipt() -> String {
        receipts += 1
        return "\(registerId)-\(receipts)"
    }
}

/// The chain the history is written for, and the shape of its days.
struct HistoryPlan: Sendable {
    let storeCount: Int
    let catalog: [Product]
    let seed: UInt64
    let storeLocations: [Location]
    let rule: TaxRule

    /// Customers by hour of the day, 6 h to 20 h: the morning coffee, lunch, the afternoon.
    static let hourWeights = [3, 9, 10, 7, 5, 6, 9, 8, 5, 5, 6, 7, 5, 3, 2]
    /// Monday … Sunday.
    static let weekdayFactor = [0.9, 0.9, 0.95, 1.0, 1.15, 1.25, 1.0]

    init(stores: Int, products: Int, seed: UInt64) {
        storeCount = stores
        catalog = CatalogGenerator().products(count: products)
        self.seed = seed
        rule = .quebec
        storeLocations = (1...stores).map { i in
            let code = String(format: "S%02d", i)
            return Location(id: Int64(i), code: code, name: "Café \(code)", kind: .store, address: "\(i) rue Principale, Montréal",
                            taxRule: "QC", taxNumbers: ["GST": "123456789RT0001", "QST": "1234567890TQ0001"], timeZone: "America/Toronto")
        }
    }

    func registerId(_ storeId: Int64) -> String { String(format: "S%02d-1", Int(storeId)) }

    func chainSeed() throws -> ChainSeed {
        let warehouse = Location(id: Int64(storeCount + 1), code: "ENT", name: "Entrepôt", kind: .warehouse, address: "Laval",
                                 taxRule: "QC", taxNumbers: [:], timeZone: "America/Toronto")
        let office = Location(id: Int64(storeCount + 2), code: "MM", name: "Siège", kind: .headOffice, address: "Montréal",
                              taxRule: "QC", taxNumbers: [:], timeZone: "America/Toronto")
        let hash = try PinHasher(rounds: 1_000).hash(pin: "1111")
        let users = storeLocations.map { s in
            User(id: s.id, username: "caissier.\(s.code.lowercased())", displayName: "Caissier \(s.code)", role: .cashier, storeId: s.id, pinHash: hash)
        } + [User(id: Int64(storeCount + 1), username: "admin", displayName: "Admin", role: .admin, storeId: office.id, pinHash: hash)]
        // Enough stock that a year of sales never crosses zero (no negative-stock exceptions to flood the history).
        var stock: [Int64: [Int64: Int]] = [:]
        for location in storeLocations + [warehouse] { stock[location.id] = Dictionary(uniqueKeysWithValues: catalog.map { ($0.id, 1_000_000) }) }
        return ChainSeed(name: "Chaîne d'essai", locations: storeLocations + [warehouse, office], taxRules: [rule], products: catalog,
                         users: users, stock: stock)
    }

    func generator(store: Int64, day: Day) -> DayGenerator {
        DayGenerator(rng: SplitMix64(seed: seed &+ UInt64(store) &* 1_000_003 &+ UInt64(day.number) &* 7_919), plan: self)
    }
}

struct DayGenerator {
    var rng: SplitMix64
    let plan: HistoryPlan

    /// One store's day: its sales by hour, about 1.5 % of yesterday's sales partly returned,
    /// and on Mondays a restock request.
    mutating func day(store: Int64, day: Day, salesOnAverage: Int, yesterday: [Sale], journal: inout Journal) throws -> (sales: [Sale], returns: Int) {
        let weekday = ((day.number + 3) % 7 + 7) % 7   // 1970-01-01 was a Thursday: 0 is Monday
        let count = Int(Double(salesOnAverage) * HistoryPlan.weekdayFactor[weekday] * (0.9 + 0.2 * rng.unit()))
        let totalWeight = HistoryPlan.hourWeights.reduce(0, +)
        // Local midnight as UTC millis (the chain is in Montréal: UTC−5, −4 in summer; 6 h–21 h stays in the same day).
        let midnight = Int64(day.number) * 86_400_000 + 5 * 3_600_000
        var minutes: [Int] = (0..<count).map { _ in
            var pick = rng.below(totalWeight)
            var hour = 0
            while pick >= HistoryPlan.hourWeights[hour] { pick -= HistoryPlan.hourWeights[hour]; hour += 1 }
            return (6 + hour) * 60 + rng.below(60)
        }
        minutes.sort()
        var made: [Sale] = []
        for minute in minutes {
            var cart = Cart()
            for _ in 0...rng.below(3) {
                // A few best sellers and a long tail.
                let index = min(plan.catalog.count - 1, Int(pow(rng.unit(), 2.5) * Double(plan.catalog.count)))
                try cart.add(plan.catalog[index], quantity: 1 + (rng.below(4) == 0 ? 1 : 0))
            }
            var payment = Payment(total: cart.totals(plan.rule).total)
            if rng.below(2) == 0 { try payment.payExactCash() } else { _ = try payment.payCard(reference: "4242") }
            let at = midnight + Int64(minute) * 60_000 + Int64(rng.below(60_000))
            let sale = try Sale(id: UUID().uuidString.lowercased(), receiptNumber: journal.nextReceipt(), storeId: store,
                                registerId: journal.registerId, cashierId: store, createdAt: at, cart: cart, rule: plan.rule, payment: payment)
            try journal.append(id: sale.id, at: at, .sale(sale))
            made.append(sale)
        }
        var returns = 0
        // After the day's last sale, a second apart: central quarantines a till's event dated before its
        // previous one (issue 23), and every return of the history was set aside so (its reports counted none).
        let closing = made.last?.createdAt ?? midnight + 21 * 3_600_000
        for original in yesterday where rng.below(1_000) < 15 {
            let line = original.lines[rng.below(original.lines.count)]
            let refund = try Refund(original: original, alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: line.lineNo, quantity: 1)])
            let at = closing + Int64(returns + 1) * 1_000
            // Refunded as paid, never more than the customer paid (a cash sale was rounded to the nickel), as the
            // till settles it: a card refund of a rounded cash sale carried a rounding without cash, quarantined too.
            let kind = original.tenders.first?.kind ?? .card
            let settlement = RefundSettlement(refund: refund, kind: kind, original: original, previouslyRefunded: .zero,
                                              completesSale: refund.lines.map(\.quantity).reduce(0, +) == original.itemCount)
            let tender = kind == .cash ? Tender(kind: .cash, amount: settlement.amount) : Tender(kind: .card, amount: settlement.amount, reference: "4242")
            let ret = SaleReturn(id: UUID().uuidString.lowercased(), receiptNumber: journal.nextReceipt(), original: original, storeId: store,
                                 registerId: journal.registerId, cashierId: store, createdAt: at, refund: refund,
                                 tenders: [tender], rounding: settlement.rounding)
            try journal.append(id: ret.id, at: at, .saleReturn(ret))
            returns += 1
        }
        if weekday == 0 {
            let request = RestockRequestPayload(requestId: UUID().uuidString.lowercased(), storeId: store, productId: plan.catalog[rng.below(20)].id,
                                                quantity: 24, note: nil, requestedBy: store)
            let at = closing + Int64(returns + 1) * 1_000
            try journal.append(id: request.requestId, at: at, .restockRequest(request))
        }
        return (made, returns)
    }
}

/// Times the consolidated report over 1, 3, 6 and 12 months and the dashboard on a
/// central database (one written by `history`), in process: the store's reads and the
/// report's assembly, which is what a request spends beyond HTTP.
struct ReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report",
        abstract: "Median and p95 of the consolidated report (30 to 365 days) and the dashboard on a central database.")

    @Option(help: "A SQLite file or a postgres:// URL (e.g. written by `caisse-bench history`).") var database: String
    @Option(help: "Runs of each measure.") var runs = 20

    func run() async throws {
        let central: any CentralStore = database.hasPrefix("postgres") ? try PostgresCentralStore(url: database) : try SQLiteCentralStore(path: database)
        try await central.migrate()
        let service = CentralService(store: central)
        let today = try await service.today()
        func measure(_ label: String, _ body: () async throws -> Void) async throws {
            try await body()   // warm: caches, first statement preparation
            var times: [Double] = []
            for _ in 0..<runs {
                let t0 = Date()
                try await body()
                times.append(Date().timeIntervalSince(t0) * 1000)
            }
            times.sort()
            print(String(format: "%-28@ median %7.2f ms   p95 %7.2f ms", label as NSString, times[times.count / 2],
                         times[min(times.count - 1, times.count * 95 / 100)]))
        }
        for days in [30, 90, 180, 365] {
            try await measure("report, \(days) days") { _ = try await service.salesReport(from: today.adding(days: -(days - 1)), to: today) }
        }
        try await measure("dashboard") { _ = try await service.dashboard() }
        let year = try await service.salesReport(from: today.adding(days: -364), to: today)
        print("365 days: \(year.report.total.count) sales, \(year.report.total.returnCount) returns, net \(year.report.total.net)")
    }
}
