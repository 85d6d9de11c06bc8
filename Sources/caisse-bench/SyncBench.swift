import ArgumentParser
import CaisseAPI
import CaisseCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RegisterStore
import Sync

/// Sync figures against a running central on loopback: first full pull of the
/// catalog (enrolment), draining a backlog of offline sales, and an
/// incremental pull of 10 changed products.
struct SyncBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync",
        abstract: "Enrolment pull, offline backlog drain and incremental pull against a running caisse-central.")

    @Option(help: "Central's base URL (loopback).") var url: String
    @Option(help: "A register token of store 1.") var token: String
    @Option(help: "Offline sales to drain (3 lines each).") var sales: Int = 10_000
    @Option(help: "Rounds of the 10-change incremental pull.") var rounds: Int = 20
    @Option(help: "Folder for the register database.") var dir: String

    func run() async throws {
        guard let base = URL(string: url), base.host == "127.0.0.1" else { throw ValidationError("--url must be on loopback") }
        let client = SyncClient(baseURL: url, token: token)

        // 1. Enrolment: every page of the catalog, applied to a new database.
        let path = dir + "/register.sqlite"
        var t0 = Date()
        let pages = try await client.allChanges(since: 0)
        guard let merged = ChangeSet.merging(pages) else { throw ValidationError("central sent nothing") }
        let downloaded = Date().timeIntervalSince(t0)
        let store = try RegisterStore(path: path)
        try store.enroll(centralURL: url, token: token, changes: merged)
        let enrolled = Date().timeIntervalSince(t0)
        print(String(format: "first pull: %d products, %d stock rows in %d pages: %.2f s download+decode, %.2f s with the local apply",
                     merged.products.count, merged.stock.count, pages.count, downloaded, enrolled))

        // 2. A backlog of offline sales (made before timing), then one sync cycle drains it.
        guard let cashier = try store.users().first(where: { $0.role == .cashier && $0.storeId == merged.storeId }) else {
            throw ValidationError("no cashier")
        }
        let rule = try store.identity().taxRule
        let count = Int64(merged.products.count)
        for n in 0..<sales {
            var cart = Cart()
            for q in 1...3 {
                guard let p = try store.product(id: Int64((n * 7 + q * 131) % Int(count)) + 1) else { continue }
                try cart.add(p, quantity: q)
            }
            var payment = Payment(total: cart.totals(rule).total)
            try payment.payExactCash()
            _ = try store.recordSale(cart: cart, payment: payment, cashierId: cashier.id)
        }
        try store.checkpoint()
        let engine = try SyncEngine(store: store, client: client, batchSize: 500)
        t0 = Date()
        let drained = await engine.syncOnce()
        let drainSeconds = Date().timeIntervalSince(t0)
        print(String(format: "drain: %d offline sales (3 lines each) pushed in %.2f s (%.0f sales/s), %d pending, reached %@",
                     drained.pushed, drainSeconds, Double(drained.pushed) / drainSeconds, drained.pending, drained.reached ? "yes" : "no"))

        // 3. Ten products change on central; the next cycle pulls them.
        let admin = try await login(base)
        var samples: [Double] = []
        for round in 0..<rounds {
            for k in 0..<10 {
                let id = Int64(1 + (round * 10 + k) % Int(count))
                guard let p = try store.product(id: id) else { continue }
                let input = ProductInput(sku: p.sku, barcode: p.barcode, name: p.name, category: p.category,
                                         priceCents: p.price.cents + 10, taxClass: p.taxClass, reorderPoint: p.reorderPoint,
                                         overstockThreshold: p.overstockThreshold)
                try await put(base.appendingPathComponent("v1/products/\(id)"), token: admin, body: try WireJSON.encoder.encode(input))
            }
            t0 = Date()
            let report = await engine.syncOnce()
            samples.append(Date().timeIntervalSince(t0) * 1000)
            guard report.reached, report.productsPulled == 10 else { throw ValidationError("incremental pull got \(report.productsPulled) products: \(report.error ?? "")") }
        }
        samples.sort()
        print(String(format: "incremental pull of 10 changed products (whole sync cycle): p50 %.1f ms, max %.1f ms over %d rounds",
                     samples[samples.count / 2], samples.last ?? 0, samples.count))
    }

    func login(_ base: URL) async throws -> String {
        var request = URLRequest(url: base.appendingPathComponent("v1/auth/login"))
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"username":"admin","pin":"9999"}"#.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, _) = try await URLSession.shared.data(for: request)
        return try JSONDecoder().decode(LoginResponse.self, from: data).token
    }

    func put(_ url: URL, token: String, body: Data) async throws {
        var request = URLRequest(url: url)
        request.httpMethod = "PUT"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw ValidationError("PUT \(url) failed") }
    }
}
