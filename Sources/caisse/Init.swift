import ArgumentParser
import CaisseAPI
import CaisseCore
import DemoChain
import Foundation
import RegisterStore

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set up a new register database for one store from the demo chain in data/.")

    @OptionGroup var options: RegisterOptions

    @Option(help: "Store code or id (default: the first store, CV).")
    var store: String?

    @Option(help: "Register id, letters, digits and '-' (default: STORECODE-1).")
    var register: String?

    @Option(help: "The demo chain's folder (default: $CAISSE_DATA, or the nearest data/).")
    var data: String?

    @Option(help: .hidden)
    var pinRounds: Int = PinHasher.defaultRounds

    func run() throws {
        try reportingErrors {
            guard pinRounds >= 1_000 else { throw Failure("--pin-rounds must be at least 1000") }
            let chain = try ChainData.load(from: try DataDirectory.locate(explicit: data))
            let location: Location
            if let store {
                guard let found = Int64(store).flatMap(chain.location) ?? chain.location(code: store) else {
                    throw Failure("unknown store '\(store)' (known: \(chain.stores.map(\.code).joined(separator: ", ")))")
                }
                location = found
            } else {
                guard let first = chain.stores.first else { throw Failure("the chain has no store") }
                location = first
            }
            guard location.sells else { throw Failure("\(location.name) is a warehouse: it has no till") }
            let registerId = register ?? "\(location.code)-1"
            let path = options.databasePath
            if FileManager.default.fileExists(atPath: path), try RegisterStore(path: path).isInstalled {
                throw Failure("\(path) is already set up; choose another --db")
            }
            let setup = RegisterSetup(chainName: chain.name, registerId: registerId, storeId: location.id,
                                      locations: chain.locations, taxRules: chain.taxRules, products: chain.products,
                                      users: try chain.hashedUsers(PinHasher(rounds: pinRounds), allowedAt: location.id),
                                      stock: chain.registerStock(storeId: location.id))
            let existed = FileManager.default.fileExists(atPath: path)
            do {
                try RegisterStore(path: path).install(setup)
            } catch {
                // A failed set-up leaves no half-made database behind.
                if !existed { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
                throw error
            }
            print("Register \(registerId) of \(location.name) set up in \(path): \(chain.products.count) products, \(setup.users.count) users.")
        }
    }
}
