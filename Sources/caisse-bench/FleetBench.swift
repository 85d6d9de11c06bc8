import ArgumentParser
import AsyncHTTPClient
import CaisseAPI
import CaisseCore
import CentralModel
import CentralStore
import DemoChain
import Foundation
import NIOSSL
import PostgresCentralStore
import Sync

/// N simulated tills against a running central, each with its own token and journal,
/// doing what a till does: a sale every 30–90 s pushed at once, a pull every 10 s.
/// Prints push and pull latency percentiles for each fleet size, and central's memory.
struct Fleet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fleet",
        abstract: "Run fleets of simulated tills against a running central; push and pull latency percentiles per fleet size.")

    @Option(help: "Central's base URL (loopback).") var url: String
    @Option(help: "Central's database, to enrol the simulated tills (a SQLite file or a postgres:// URL).") var database: String
    @Option(help: "Fleet sizes to run one after the other, comma-separated.") var registers = "1000"
    @Option(help: "Seconds each fleet is measured.") var seconds = 60.0
    @Option(help: "Seconds before measuring: by 90 s every till has made its first sale.") var rampUp = 90.0
    @Option(help: "Central's process id, to print its resident memory (VmRSS).") var centralPid: Int32?
    @Option(help: "Connections to central (the tills' requests share them).") var connections = 256
    @Option(help: "Push p99 target in milliseconds.") var target = 250.0
    @Option(help: "PEM file of the CA of central's https certificate (nginx in front of several instances).") var caFile: String?
    @Flag(help: "Pull the stock in the change feed every 10 s, as tills before the stock feed did (issue 26's before); by default the change feed every 10 s and the stock feed every 60 s.")
    var stockWithChanges = false
    @Flag(help: "Also print one machine-readable line per fleet: RESULT n pushes p50 p95 p99 pulls p50 p95 p99 errors rss_kb.") var result = false

    func run() async throws {
        guard let base = URL(string: url), base.host == "127.0.0.1" || base.host == "localhost" else {
            throw ValidationError("--url must be on loopback")
        }
        let sizes = registers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard let largest = sizes.max(), largest > 0 else { throw ValidationError("--registers: fleet sizes such as 1000,2000,5000") }
        let central: any CentralStore = database.hasPrefix("postgres") ? try PostgresCentralStore(url: database) : try SQLiteCentralStore(path: database)
        try await central.migrate()
        let stores = try await central.locations().filter(\.sells)
        guard !stores.isEmpty else { throw ValidationError("the chain has no store") }
        let catalog = Array(try await central.products(after: 0, limit: 500, matching: nil).filter(\.active).prefix(200))
        let rules = Dictionary(try await central.taxRules().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let cashiers = Dictionary(try await central.users(storeId: nil).filter { $0.role == .cashier }.map { ($0.storeId, $0.id) },
                                  uniquingKeysWith: { a, _ in a })
        // Each fleet its own tills: a till's journal starts at 1 once only.
        let run = UUID().uuidString.prefix(6)
        var tills: [SimulatedTill] = []
        for i in 0..<sizes.reduce(0, +) {
            let store = stores[i % stores.count]
            let token = BearerToken.generate()
            let id = "F\(run)-\(i + 1)"
            _ = try await central.addRegister(id: id, storeId: store.id, name: id, tokenDigest: BearerToken.digest(token))
            tills.append(SimulatedTill(registerId: id, token: token, store: store, rule: rules[store.taxRule] ?? .quebec,
                                       cashierId: cashiers[store.id] ?? 1))
        }
        var configuration = HTTPClient.Configuration()
        if let caFile {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            configuration.tlsConfiguration = tls
        }
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(60))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let cursor = try await central.dataVersion().changes
        print("fleet: up to \(largest) tills over \(stores.count) stores; a sale every 30–90 s each, pushed at once; a pull every 10 s"
              + (stockWithChanges ? ", the stock in it" : ", the stock feed every 60 s"))
        print("  tills   pushes  push p50  p95     p99     pulls   pull p50  p95     p99     errors  central RSS")
        var passed: Int?
        var used = 0
        for size in sizes.sorted() {
            defer { used += size }
            let outcome = await FleetRun(tills: Array(tills[used..<used + size]), catalog: catalog, baseURL: url, http: http, startCursor: cursor,
                                         rampUp: rampUp, seconds: seconds, stockApart: !stockWithChanges).run()
            let rss = centralPid.flatMap(Self.residentKilobytes)
            let push = outcome.pushes.sorted(), pull = outcome.pulls.sorted()
            func pct(_ xs: [Double], _ p: Double) -> Double { xs.isEmpty ? 0 : xs[min(xs.count - 1, Int(Double(xs.count) * p))] }
            print(String(format: "  %-7d %-7d %-9.1f %-7.1f %-7.1f %-7d %-9.1f %-7.1f %-7.1f %-7d %@", size, push.count, pct(push, 0.5), pct(push, 0.95),
                         pct(push, 0.99), pull.count, pct(pull, 0.5), pct(pull, 0.95), pct(pull, 0.99), outcome.errors,
                         rss.map { "\($0 / 1024) MB" } ?? "–"))
            if result {
                print(String(format: "RESULT %d %d %.1f %.1f %.1f %d %.1f %.1f %.1f %d %d", size, push.count, pct(push, 0.5), pct(push, 0.95), pct(push, 0.99),
                             pull.count, pct(pull, 0.5), pct(pull, 0.95), pct(pull, 0.99), outcome.errors, rss ?? 0))
            }
            if pct(push, 0.99) < target, outcome.errors == 0 { passed = size }
        }
        try await http.shutdown()
        print(passed.map { "largest fleet with push p99 under \(Int(target)) ms and no error: \($0) tills" }
              ?? "no fleet size kept push p99 under \(Int(target)) ms without errors")
    }

    static func residentKilobytes(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }
}

struct SimulatedTill: Sendable {
    let registerId: String
    let token: String
    let store: Location
    let rule: TaxRule
    let cashierId: Int64
}

/// One fleet size's run: every till in its own task, sleeping between its sales and pulls.
struct FleetRun: Sendable {
    let tills: [SimulatedTill]
    let catalog: [Product]
    let baseURL: String
    let http: HTTPClient
    let startCursor: Int64
    let rampUp: Double
    let seconds: Double
    /// The change feed without the stock, and the stock feed once a minute (issue 26).
    let stockApart: Bool

    struct Outcome: Sendable {
        var pushes: [Double] = []
        var pulls: [Double] = []
        var errors = 0
    }

    func run() async -> Outcome {
        let start = Date()
        let measureFrom = start.addingTimeInterval(rampUp)
        let deadline = measureFrom.addingTimeInterval(seconds)
        return await withTaskGroup(of: Outcome.self) { group in
            for (i, till) in tills.enumerated() {
                group.addTask {
                    await Self.live(till, seed: UInt64(i + 1), catalog: catalog, client: SyncClient(baseURL: baseURL, token: till.token, http: http),
                                    cursor: startCursor, stockApart: stockApart, measureFrom: measureFrom, deadline: deadline)
                }
            }
            var all = Outcome()
            for await o in group {
                all.pushes += o.pushes
                all.pulls += o.pulls
                all.errors += o.errors
            }
            return all
        }
    }

    static func live(_ till: SimulatedTill, seed: UInt64, catalog: [Product], client: SyncClient, cursor start: Int64, stockApart: Bool,
                     measureFrom: Date, deadline: Date) async -> Outcome {
        var rng = SplitMix64(seed: seed &* 0x9E37_79B9)
        var journal = Journal(registerId: till.registerId)
        var cursor = start
        var stockCursor = start
        var outcome = Outcome()
        // Spread the fleet: the first sale within 90 s, the first pull within 10 s.
        var nextSale = Date().addingTimeInterval(rng.unit() * 90)
        var nextPull = Date().addingTimeInterval(rng.unit() * 10)
        var nextStock = Date().addingTimeInterval(rng.unit() * 60)
        while true {
            let wake = min(nextSale, nextPull)
            if wake >= deadline { return outcome }
            let wait = wake.timeIntervalSinceNow
            if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) }
            let measured = Date() >= measureFrom
            if nextSale <= nextPull {
                nextSale = nextSale.addingTimeInterval(30 + rng.unit() * 60)
                do {
                    var cart = Cart()
                    for _ in 0...rng.below(3) { try cart.add(catalog[rng.below(catalog.count)], quantity: 1 + rng.below(2)) }
                    var payment = Payment(total: cart.totals(till.rule).total)
                    _ = try payment.payCard(reference: "4242")
                    let now = Int64(Date().timeIntervalSince1970 * 1000)
                    let sale = try Sale(id: UUID().uuidString.lowercased(), receiptNumber: journal.nextReceipt(), storeId: till.store.id,
                                        registerId: till.registerId, cashierId: till.cashierId, createdAt: now, cart: cart, rule: till.rule,
                                        payment: payment)
                    try journal.append(id: sale.id, at: now, .sale(sale))
                    let events = journal.take()
                    let t0 = Date()
                    guard case .acknowledged = try await client.push(events) else { throw ValidationError("not acknowledged") }
                    if measured { outcome.pushes.append(Date().timeIntervalSince(t0) * 1000) }
                } catch {
                    if measured { outcome.errors += 1 }
                }
            } else {
                nextPull = nextPull.addingTimeInterval(10)
                let t0 = Date()
                do {
                    let changes = try await client.changes(since: cursor, limit: 1_000, stockApart: stockApart)
                    cursor = changes.cursor
                    // A pull is the change feed, and the stock feed when its minute has come.
                    if stockApart, Date() >= nextStock {
                        nextStock = nextStock.addingTimeInterval(60)
                        stockCursor = try await client.allStock(since: stockCursor, limit: 1_000).last?.cursor ?? stockCursor
                    }
                    if measured { outcome.pulls.append(Date().timeIntervalSince(t0) * 1000) }
                } catch {
                    if measured { outcome.errors += 1 }
                }
            }
        }
    }
}
