import ArgumentParser
import CaisseAPI
import CaisseCore
import DemoChain
import Foundation
import Sync

/// Sync ingest throughput: registers push backlogs of 3-line sales to a
/// running central in batches, in parallel; prints sale lines/s and batch latency.
/// Pushes go through the tills' own client (AsyncHTTPClient), so https with a
/// private CA (nginx in front of several instances) works as for a till.
struct IngestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest",
        abstract: "Push generated sales to a running caisse-central and measure ingest throughput.")

    @Option(help: "Central's base URL (loopback).") var url: String
    @Option(help: "Register tokens, comma-separated (one pushing task each).") var token: String
    @Option(help: "Register ids, comma-separated, in the order of the tokens.") var register: String
    @Option(help: "The registers' store id.") var store: Int64 = 1
    @Option(help: "Catalog size (product ids 1…N).") var products: Int = 320
    @Option(help: "Events per batch.") var batch: Int = 100
    @Option(help: "Stop after this many seconds.") var seconds: Double = 10
    @Option(help: "Batches made per register before timing (an upper bound on what is sent).") var batches = 400
    @Option(help: "PEM file of the CA of central's https certificate.") var caFile: String?
    @Flag(help: "Also print one machine-readable line: RESULT batches events/s p50 p95 p99 errors.") var result = false

    func run() async throws {
        guard let base = URL(string: url), base.host == "127.0.0.1" || base.host == "localhost" else {
            throw ValidationError("--url must be on loopback")
        }
        let tokens = token.split(separator: ",").map(String.init)
        let registers = register.split(separator: ",").map(String.init)
        guard tokens.count == registers.count, !tokens.isEmpty else { throw ValidationError("one register id per token") }
        let catalog = CatalogGenerator().products(count: products)
        let batchesPerRegister = batches
        // Built before timing: hashing and encoding belong to the tills, not to central.
        let bodies: [[Data]] = try registers.map { id in
            try Self.batches(registerId: id, storeId: store, catalog: catalog, count: batchesPerRegister * batch, batchSize: batch)
        }
        let clients = try tokens.map { try SyncClient(baseURL: url, token: $0, caFile: caFile) }
        let deadline = Date().addingTimeInterval(seconds)
        let start = Date()
        let results = await withTaskGroup(of: (Int, [Double], Int).self) { group in
            for (i, client) in clients.enumerated() {
                let mine = bodies[i]
                group.addTask {
                    var sent = 0
                    var latencies: [Double] = []
                    for body in mine where Date() < deadline {
                        let t0 = Date()
                        do {
                            // A failed batch leaves a gap after it: that register stops, counted as an error.
                            guard case .acknowledged = try await client.push(encoded: body) else { return (sent, latencies, 1) }
                        } catch {
                            return (sent, latencies, 1)
                        }
                        latencies.append(Date().timeIntervalSince(t0) * 1000)
                        sent += 1
                    }
                    return (sent, latencies, 0)
                }
            }
            var all: [(Int, [Double], Int)] = []
            for await r in group { all.append(r) }
            return all
        }
        let elapsed = Date().timeIntervalSince(start)
        let sentBatches = results.reduce(0) { $0 + $1.0 }
        let latencies = results.flatMap(\.1).sorted()
        let errors = results.reduce(0) { $0 + $1.2 }
        let events = sentBatches * batch
        func pct(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        print("sync ingest: \(registers.count) registers in parallel, batches of \(batch) sales × 3 lines, \(String(format: "%.1f", elapsed)) s")
        print(String(format: "  %d events, %.0f events/s, %.0f sale lines/s; batch p50 %.1f ms, p95 %.1f ms, p99 %.1f ms; %d errors",
                     events, Double(events) / elapsed, Double(events * 3) / elapsed, pct(0.5), pct(0.95), pct(0.99), errors))
        if result {
            print(String(format: "RESULT %d %.0f %.1f %.1f %.1f %d", sentBatches, Double(events) / elapsed, pct(0.5), pct(0.95), pct(0.99), errors))
        }
    }

    /// A register's journal of `count` exact-cash sales, hash-chained, cut into request bodies.
    static func batches(registerId: String, storeId: Int64, catalog: [Product], count: Int, batchSize: Int) throws -> [Data] {
        var previous = HashChain.genesis
        var events: [SyncEvent] = []
        var rng = SystemRandomNumberGenerator()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for n in 1...count {
            var cart = Cart()
            for q in 1...3 { try cart.add(catalog[Int.random(in: 0..<catalog.count, using: &rng)], quantity: q) }
            var payment = Payment(total: cart.totals(.quebec).total)
            try payment.payExactCash()
            let sale = try Sale(id: UUID().uuidString.lowercased(), receiptNumber: "\(registerId)-\(n)", storeId: storeId,
                                registerId: registerId, cashierId: 1, createdAt: now, cart: cart, rule: .quebec, payment: payment)
            let event = SyncEvent(registerId: registerId, sequence: Int64(n), id: sale.id, type: .sale, createdAt: now,
                                  payload: try JournalDocument.sale(sale).payload(), previousHash: previous)
            previous = event.hash
            events.append(event)
        }
        return try stride(from: 0, to: events.count, by: batchSize).map {
            try WireJSON.encoder.encode(PushRequest(events: Array(events[$0..<min($0 + batchSize, events.count)])))
        }
    }
}
