import CaisseAPI
import CaisseCore
import Foundation
import RegisterStore
import Testing

/// nginx, openssl and PostgreSQL on this machine; in CI (CI=true) the test
/// always runs, so a missing package fails it instead of skipping it.
let scaleOutAvailable = ProcessInfo.processInfo.environment["CI"] == "true"
    || (onPath("nginx") && onPath("openssl") && onPath("psql")
        && ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).contains {
            FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb")
        })
let prometheusAvailable = ProcessInfo.processInfo.environment["CI"] == "true" || onPath("prometheus")

@Suite("Scale-out: instances behind nginx (TLS) over PostgreSQL", .serialized, .enabled(if: scaleOutAvailable))
struct ScaleOutTests {
    /// Three real tills (two in one store, so their pushes move the same stock
    /// rows) sell and sync through nginx while instance 1 is SIGKILLed and
    /// restarted; every sale lands exactly once and every stock figure is exact.
    @Test(.timeLimit(.minutes(3)))
    func registersSyncThroughACrashedInstanceAndEverySaleLandsOnce() async throws {
        let cluster = try Cluster(instances: 2, prometheus: prometheusAvailable, logs: true)
        defer { cluster.down() }
        let work = cluster.folder.appendingPathComponent("tills")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

        let baseline = try stockFigures(cluster)
        var tills: [String: String] = [:]   // register id → database
        for (id, store) in [("CV-1", "CV"), ("CV-2", "CV"), ("NORD-1", "NORD")] {
            let token = try must(try ours("caisse-central", ["registers", "add", "--database", cluster.database, "--store", store, "--name", id]),
                                 "registers add").trimmingCharacters(in: .whitespacesAndNewlines)
            let db = work.appendingPathComponent("\(id).sqlite").path
            try must(try ours("caisse", ["enroll", "--db", db, "--central", cluster.url, "--token", token, "--ca-file", cluster.caFile]), "enroll \(id)")
            tills[id] = db
        }

        // Sell and sync in a loop on each till, through nginx, while instance 1 dies.
        let loops = tills.map { SellingLoop(database: $0.value) }
        loops.forEach { $0.start() }
        try await Task.sleep(for: .seconds(4))
        try cluster.run("kill", "1")
        let syncedBeforeKill = loops.map(\.reached)
        try await Task.sleep(for: .seconds(4))
        let syncedWhileDown = zip(loops.map(\.reached), syncedBeforeKill).map { $0 - $1 }
        try cluster.run("start", "1")
        try await Task.sleep(for: .seconds(4))
        loops.forEach { $0.stop() }
        while loops.contains(where: { !$0.finished }) { try await Task.sleep(for: .milliseconds(50)) }

        for loop in loops {
            #expect(loop.refused.isEmpty, "a sync was refused: \(loop.refused.first ?? "")")
            #expect(loop.sold > 0)
        }
        // nginx sent every request to the surviving instance while 1 was down.
        #expect(syncedWhileDown.allSatisfy { $0 > 0 }, "syncs while instance 1 was down: \(syncedWhileDown)")

        // Drain every outbox, then one more pull each so every till sees the others' sales.
        for db in tills.values { try syncUntilEmpty(db) }
        for db in tills.values { try must(try ours("caisse", ["sync", "--db", db]), "sync") }

        // What the journals say was sold, per (store, product), over every till first.
        var sold: [StockKey: Int] = [:]
        var salesByTill: [String: [Sale]] = [:]
        for (id, db) in tills {
            let store = try RegisterStore(path: db)
            try store.verifyJournal()
            let journal = try store.journal()
            let sales = try journal.filter { $0.type == .sale }.map { try WireJSON.decoder.decode(Sale.self, from: Data($0.payload.utf8)) }
            salesByTill[id] = sales
            for sale in sales {
                for line in sale.lines { sold[StockKey(location: sale.storeId, product: line.productId), default: 0] += line.quantity }
            }
            let mark = try cluster.sql("SELECT applied_through FROM register WHERE id = '\(id)'").first?.first
            #expect(mark == String(journal.last?.sequence ?? 0), "register \(id)")
        }
        for (id, db) in tills {
            // Exactly once: central holds each receipt of this till once, and no other.
            let sales = salesByTill[id] ?? []
            let central = try cluster.sql("SELECT receipt_number FROM document WHERE kind = 'sale' AND register_id = '\(id)' ORDER BY 1").map { $0[0] }
            #expect(central == sales.map(\.receiptNumber).sorted(), "register \(id): central has \(central.count), journal \(sales.count)")
            // The till's on-hand (central's snapshot + its own unsynced: none) equals the ledger's.
            let store = try RegisterStore(path: db)
            let storeId = try store.identity().store.id
            for (key, before) in baseline where key.location == storeId {
                let figure = try store.onHand(productId: key.product)
                #expect(figure == before - sold[key, default: 0], "till \(id), product \(key.product)")
            }
        }
        #expect(!sold.isEmpty)
        // Every register's stored journal still verifies at central.
        try must(try ours("caisse-central", ["audit", "--database", cluster.database]), "caisse-central audit")
        // Central's ledger: every row is its opening figure less what the journals sold.
        let after = try stockFigures(cluster)
        for (key, before) in baseline {
            #expect(after[key] == before - sold[key, default: 0], "location \(key.location), product \(key.product)")
        }

        if let prometheus = cluster.prometheus {
            try await expectScrapedRequests(prometheus, instances: cluster.instances.count)
        }
        try expectOneIdFromTillToCentral(cluster, tills: Array(tills.values))
    }

    /// Issue 29: the id a till logged beside its last push is on the same line of work in
    /// nginx's access log and in the log of the instance that served it.
    func expectOneIdFromTillToCentral(_ cluster: Cluster, tills: [String]) throws {
        for db in tills {
            let tillLog = try String(contentsOfFile: db + ".log", encoding: .utf8)
            let push = try #require(tillLog.split(separator: "\n").last { $0.contains("route=/v1/sync/events") && $0.contains("status=200") },
                                    "the till logged its pushes")
            let id = try #require(push.split(separator: " ").first { $0.hasPrefix("request_id=") }?.dropFirst("request_id=".count))
            let access = try String(contentsOf: cluster.folder.appendingPathComponent("nginx/logs/access.log"), encoding: .utf8)
            #expect(access.split(separator: "\n").contains { $0.contains("request_id=\(id)") && $0.contains("/v1/sync/events") }, "nginx logged \(id)")
            let central = try (1...cluster.instances.count).map {
                try String(contentsOf: cluster.folder.appendingPathComponent("central-\($0).log"), encoding: .utf8)
            }.joined(separator: "\n")
            // The request's own line (a warning the push raised carries the same id).
            let lines = central.split(separator: "\n").filter { $0.contains("request_id=\(id)") }
            #expect(lines.contains { $0.contains("route=/v1/sync/events") && $0.contains("status=200") }, "central logged \(id): \(lines)")
        }
    }

    /// A till refuses a certificate that does not verify: another CA, a host
    /// name the certificate was not issued for, or the system store (which does
    /// not know the cluster's CA) — at enrolment and later, from its stored CA file.
    @Test(.timeLimit(.minutes(2)))
    func aTillRefusesAWrongCertificate() async throws {
        let cluster = try Cluster(instances: 1, prometheus: false)
        defer { cluster.down() }
        let work = cluster.folder.appendingPathComponent("tills")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let otherCA = work.appendingPathComponent("other-ca.crt").path
        try must(try execute("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                         "-days", "1", "-subj", "/CN=Another CA", "-keyout", work.appendingPathComponent("other-ca.key").path,
                                         "-out", otherCA]), "openssl")
        func token(_ name: String) throws -> String {
            try must(try ours("caisse-central", ["registers", "add", "--database", cluster.database, "--store", "CV", "--name", name]),
                     "registers add").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let wrongHost = cluster.url.replacingOccurrences(of: "127.0.0.1", with: "127.0.0.2")
        for (name, url, ca) in [("CV-8", cluster.url, Optional(otherCA)), ("CV-9", wrongHost, Optional(cluster.caFile)), ("CV-10", cluster.url, nil)] {
            let db = work.appendingPathComponent("\(name).sqlite").path
            let refused = try ours("caisse", ["enroll", "--db", db, "--central", url, "--token", try token(name)] + (ca.map { ["--ca-file", $0] } ?? []))
            #expect(refused.status == 1, "\(name) enrolled through a wrong certificate")
            #expect(refused.stderr.contains("certificate was refused"), "\(name): \(refused.stderr)")
        }

        // Enrolled with the right CA, then that file holds another CA: the next sync refuses.
        let db = work.appendingPathComponent("CV-11.sqlite").path
        let caCopy = work.appendingPathComponent("ca.crt").path
        try FileManager.default.copyItem(atPath: cluster.caFile, toPath: caCopy)
        try must(try ours("caisse", ["enroll", "--db", db, "--central", cluster.url, "--token", try token("CV-11"), "--ca-file", caCopy]), "enroll")
        try must(try ours("caisse", ["sync", "--db", db]), "sync")
        try FileManager.default.removeItem(atPath: caCopy)
        try FileManager.default.copyItem(atPath: otherCA, toPath: caCopy)
        let sync = try ours("caisse", ["sync", "--db", db])
        #expect(sync.status == 1)
        #expect(sync.stdout.contains("certificate was refused"), "\(sync.stdout)")
    }
}

struct StockKey: Hashable {
    var location: Int64
    var product: Int64
}

func stockFigures(_ cluster: Cluster) throws -> [StockKey: Int] {
    var figures: [StockKey: Int] = [:]
    for row in try cluster.sql("SELECT location_id, product_id, on_hand FROM stock") {
        guard row.count == 3, let l = Int64(row[0]), let p = Int64(row[1]), let q = Int(row[2]) else { throw TestFailure("stock row \(row)") }
        figures[StockKey(location: l, product: p)] = q
    }
    return figures
}

func syncUntilEmpty(_ db: String) throws {
    var last = ""
    for _ in 0..<20 {
        let output = try ours("caisse", ["sync", "--db", db])
        if output.status == 0 && output.stdout.contains(" 0 pending") { return }
        last = output.stdout + output.stderr
        usleep(200_000)
    }
    throw TestFailure("\(db) did not drain its outbox: \(last)")
}

/// A till on a thread of its own: `caisse stress-sell` a few sales, `caisse
/// sync`, again, until stopped. Counts syncs that reached central and keeps
/// any refusal (exit 1); exit 2 (not reached) is what a till lives with.
final class SellingLoop: @unchecked Sendable {
    let database: String
    private let lock = NSLock()
    private var stopping = false
    private var done = false
    private var reachedCount = 0
    private var soldCount = 0
    private var refusals: [String] = []

    init(database: String) { self.database = database }

    var reached: Int { locked { reachedCount } }
    var sold: Int { locked { soldCount } }
    var refused: [String] { locked { refusals } }
    var finished: Bool { locked { done } }

    func start() {
        Thread.detachNewThread { [self] in
            while !locked({ stopping }) {
                do {
                    try must(try ours("caisse", ["stress-sell", "--db", database, "--count", "3"]), "stress-sell")
                    locked { soldCount += 3 }
                    let sync = try ours("caisse", ["sync", "--db", database])
                    locked {
                        if sync.status == 0 { reachedCount += 1 }
                        if sync.status == 1 { refusals.append(sync.stdout + sync.stderr) }
                    }
                } catch {
                    locked { refusals.append("\(error)") }
                }
            }
            locked { done = true }
        }
    }

    func stop() { locked { stopping = true } }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

/// Prometheus (started by scripts/cluster from docs/ops/prometheus.yml) has
/// scraped every instance and counts requests.
func expectScrapedRequests(_ prometheus: String, instances: Int) async throws {
    func query(_ promQL: String) async throws -> Double? {
        var components = URLComponents(string: prometheus + "/api/v1/query")
        components?.queryItems = [URLQueryItem(name: "query", value: promQL)]
        guard let url = components?.url else { throw TestFailure("bad query URL") }
        let output = try execute("curl", ["-fsS", "--max-time", "5", url.absoluteString])
        guard output.status == 0 else { return nil }
        // {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1712.3,"42"]}]}}
        guard let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any],
              let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]],
              let value = result.first?["value"] as? [Any], value.count == 2, let text = value[1] as? String else { return nil }
        return Double(text)
    }
    var requests: Double?
    var up: Double?
    for _ in 0..<60 {
        up = try await query("sum(up{job=\"caisse-central\"})")
        requests = try await query("sum(hb_requests)")
        if up == Double(instances), let requests, requests > 0 { break }
        try await Task.sleep(for: .milliseconds(500))
    }
    #expect(up == Double(instances), "instances up in Prometheus: \(String(describing: up))")
    #expect((requests ?? 0) > 0, "hb_requests in Prometheus: \(String(describing: requests))")
}
