import ArgumentParser
import CaisseAPI
import CaisseCore
import DemoChain
import Foundation
import RegisterStore

/// Creates a register database with a generated catalog (done once, not timed).
struct PrepareRegister: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prepare-register",
        abstract: "Create a register database over a generated catalog, for `register`.")

    @Option(help: "The database file to create.") var db: String
    @Option(help: "Number of products.") var products: Int = 100_000
    @Option(help: "The demo chain's folder (default: the nearest data/).") var data: String?

    func run() throws {
        let chain = try ChainData.load(from: try DataDirectory.locate(explicit: data))
        let generator = CatalogGenerator()
        let catalog = generator.products(count: products)
        var stock: [Int64: [Int64: Int]] = [1: generator.openingStock(products: catalog, locationId: 1, isWarehouse: false)]
        if let warehouse = chain.warehouse {
            stock[warehouse.id] = generator.openingStock(products: catalog, locationId: warehouse.id, isWarehouse: true)
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        let store = try RegisterStore(path: db)
        try store.install(RegisterSetup(chainName: chain.name, registerId: "CV-1", storeId: 1, locations: chain.locations,
                                        taxRules: chain.taxRules, products: catalog,
                                        users: try chain.hashedUsers(PinHasher(rounds: 1_000)), stock: stock))
        print("prepared \(db): \(catalog.count) products")
    }
}

/// Measures what a cashier waits for: search as you type and the durable sale
/// commit, on an existing database, in a fresh process so peak RSS is the till's.
struct RegisterBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "register",
        abstract: "Search and sale-commit latency and peak RSS on a prepared register database.")

    @Option(help: "A database made by prepare-register.") var db: String
    @Option(help: "Timed repetitions per search query kind.") var searches: Int = 2_000
    @Option(help: "Sales to commit.") var sales: Int = 1_000
    @Flag(help: "Also time each search query on its own.") var verbose = false

    func run() throws {
        let store = try RegisterStore(path: db)
        let me = try store.identity()
        let count = try store.productCount()
        guard count > 0, let cashier = try store.users().first(where: { $0.storeId == me.store.id && $0.role == .cashier }) else {
            throw ValidationError("\(db) is not a prepared register database")
        }
        var rng = SystemRandomNumberGenerator()
        func randomProduct() throws -> Product {
            guard let p = try store.product(id: Int64.random(in: 1...Int64(count), using: &rng)) else { throw ValidationError("missing product") }
            return p
        }
        print("catalog: \(count) products, database \(db)")
        print("")
        print(row("operation", "n", "p50", "p99", "max"))

        // Warm the page cache and statement caches once, as a till does at start.
        _ = try store.search("cafe")

        let barcodes = try (0..<searches).map { _ in try randomProduct().barcode }
        report("search barcode (exact)", try barcodes.map { code in try time { _ = try store.search(code) } })
        let skus = try (0..<searches).map { _ in try randomProduct().sku.lowercased() }
        report("search SKU (exact)", try skus.map { code in try time { _ = try store.search(code) } })
        let two = ["ca", "mu", "be", "ba", "th", "la", "cr", "so", "bo", "ta"]
        report("search 2-letter prefix", try (0..<searches).map { i in try time { _ = try store.search(two[i % two.count]) } })
        let three = ["caf", "muf", "bag", "the", "lat", "cro", "sou", "bis", "tas", "jus"]
        report("search 3-letter prefix", try (0..<searches).map { i in try time { _ = try store.search(three[i % three.count]) } })
        let words = ["cafe fil", "muffin bleu", "beigne erable", "bagel sesame", "latte vanille", "tasse voyage"]
        report("search words (ranked)", try (0..<searches).map { i in try time { _ = try store.search(words[i % words.count]) } })
        if verbose {
            for w in words + three + two { report("  '\(w)'", try (0..<200).map { _ in try time { _ = try store.search(w) } }) }
        }

        var commits: [Double] = []
        for _ in 0..<sales {
            var cart = Cart()
            for q in 1...3 { try cart.add(try randomProduct(), quantity: q) }
            var payment = Payment(total: cart.totals(me.taxRule).total)
            try payment.payExactCash()
            commits.append(try time { _ = try store.recordSale(cart: cart, payment: payment, cashierId: cashier.id) })
            // Between customers, as the till does.
            if commits.count % 50 == 0 { try store.checkpoint() }
        }
        report("sale commit (3 lines, fsync)", commits)

        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("")
        print("peak RSS: \(String(format: "%.1f", Double(usage.ru_maxrss) / 1024)) MiB")
    }

    func time(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    }

    func report(_ name: String, _ samples: [Double]) {
        let sorted = samples.sorted()
        func pct(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        print(row(name, String(sorted.count), ms(pct(0.5)), ms(pct(0.99)), ms(sorted.last ?? 0)))
    }

    func ms(_ v: Double) -> String { String(format: "%.3f ms", v) }

    func row(_ a: String, _ b: String, _ c: String, _ d: String, _ e: String) -> String {
        a.padding(toLength: 30, withPad: " ", startingAt: 0) + b.leftPad(6) + c.leftPad(12) + d.leftPad(12) + e.leftPad(12)
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
