import ArgumentParser
import CaisseAPI
import CaisseCore
import CentralServer
import CentralStore
import DemoChain
import PostgresCentralStore
import Foundation
import ServiceLifecycle

@main
struct CaisseCentral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caisse-central",
        abstract: "The chain's central service: catalog, users, stock ledger, sync with the registers, reports.",
        subcommands: [Serve.self, Migrate.self, Seed.self, Registers.self, Users.self, Restock.self, Report.self, Audit.self, Backup.self, Exceptions.self, QuickKeys.self, Promotions.self, DiscountLimit.self, Transfers.self, WarehouseAdjust.self, WarehouseCount.self, Customers.self, Loyalty.self, Orders.self, RebuildAggregates.self, Schema.self])

    /// Central's SQLite file (PIN hashes, token digests) and its backups: owner only.
    static func main() async {
        umask(0o077)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The database: a SQLite file path or a postgres://user:pass@host:port/db URL (default: $CAISSE_CENTRAL_DB or ./caisse-central.sqlite).")
    var database: String?

    var location: String {
        database ?? ProcessInfo.processInfo.environment["CAISSE_CENTRAL_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "caisse-central.sqlite"
    }

    /// The database as messages show it: a PostgreSQL URL without its password.
    var displayLocation: String {
        PostgresURL.isPostgres(location) ? (try? PostgresURL(location))?.description ?? "PostgreSQL" : location
    }

    /// Opens and migrates the store.
    /// For `serve`: the store, the services its ServiceGroup runs (PostgreSQL's
    /// client), and the migration to finish before the first request.
    func openForServing() throws -> (store: any CentralStore, services: [any Service], prepare: @Sendable () async throws -> Void) {
        if PostgresURL.isPostgres(location) {
            let store = try PostgresCentralStore(url: location, runsClient: false)
            return (store, [store.clientService], { try await store.migrate() })
        }
        let store = try SQLiteCentralStore(path: location)
        return (store, [], { try await store.migrate() })
    }

    func open() async throws -> any CentralStore {
        if PostgresURL.isPostgres(location) {
            let store = try PostgresCentralStore(url: location)
            try await store.migrate()
            return store
        }
        let store = try SQLiteCentralStore(path: location)
        try await store.migrate()
        return store
    }
}

struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Any error becomes one line on stderr and exit code 1.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("caisse-central: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")
    @OptionGroup var db: DatabaseOptions
    func run() async throws {
        try await reportingErrors {
            _ = try await db.open()
            print("database \(db.displayLocation) is up to date")
        }
    }
}

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo chain from data/ into an empty database.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The demo chain's folder (default: $CAISSE_DATA, or the nearest data/).") var data: String?
    @Option(help: .hidden) var pinRounds: Int = PinHasher.defaultRounds
    /// Benchmarks: keep only the first N products (5 = the seed's own data set).
    @Option(help: .hidden) var catalogSize: Int?

    func run() async throws {
        try await reportingErrors {
            guard pinRounds >= 1_000 else { throw CLIFailure("--pin-rounds must be at least 1000") }
            var chain = try ChainData.load(from: try DataDirectory.locate(explicit: data))
            if let catalogSize {
                guard catalogSize >= 1 else { throw CLIFailure("--catalog-size must be at least 1") }
                chain.products = catalogSize <= chain.products.count ? Array(chain.products.prefix(catalogSize))
                    : CatalogGenerator().products(count: catalogSize)
                let kept = Set(chain.products.map(\.id))
                // A smaller catalog keeps the quick keys it has (issue 26: "no product 6").
                chain.quickKeys = chain.quickKeys.filter { kept.contains($0) }
                let generator = CatalogGenerator()
                for location in chain.locations {
                    var stock = (chain.stock[location.id] ?? [:]).filter { kept.contains($0.key) }
                    let generated = generator.openingStock(products: chain.products, locationId: location.id, isWarehouse: location.kind == .warehouse)
                    for (id, qty) in generated where stock[id] == nil { stock[id] = qty }
                    chain.stock[location.id] = stock
                }
            }
            let store = try await db.open()
            try await store.seed(ChainSeed(name: chain.name, locations: chain.locations, taxRules: chain.taxRules,
                                           products: chain.products, users: try chain.hashedUsers(PinHasher(rounds: pinRounds)),
                                           stock: chain.stock))
            for location in chain.stores where !chain.quickKeys.isEmpty {
                _ = try await store.replaceQuickKeys(storeId: location.id, productIds: chain.quickKeys)
            }
            print("seeded \(chain.name): \(chain.locations.count) locations, \(chain.products.count) products, \(chain.users.count) users")
        }
    }
}
