import CaisseAPI
import CaisseCore
import DemoChain
import Foundation
import RegisterStore
import Testing
@testable import CentralStore

let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data")

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("caisse-central-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The demo chain, loaded once; PINs hashed cheaply (hash cost is not under test).
let demoChain: ChainData = {
    do { return try ChainData.load(from: dataDirectory) } catch { fatalError("data/: \(error)") }   // allowed: test fixture
}()

func demoSeed() throws -> ChainSeed {
    ChainSeed(name: demoChain.name, locations: demoChain.locations, taxRules: demoChain.taxRules, products: demoChain.products,
              users: try demoChain.hashedUsers(PinHasher(rounds: 1_000)), stock: demoChain.stock)
}

/// The stores under contract test. PostgreSQL runs when $CAISSE_TEST_POSTGRES_URL
/// names a server (scripts/test starts one), and always in CI, where its absence fails.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres
    var testDescription: String { rawValue }

    static var allCases: [StoreKind] { PostgresTestEnvironment.enabled ? [.sqlite, .postgres] : [.sqlite] }

    func make() async throws -> any CentralStore {
        switch self {
        case .sqlite:
            let store = try SQLiteCentralStore(path: try temporaryFolder().appendingPathComponent("central.sqlite").path)
            try await store.migrate()
            return store
        case .postgres:
            return try await PostgresTestEnvironment.freshStore()
        }
    }

    /// A migrated, seeded store.
    func seeded() async throws -> any CentralStore {
        let store = try await make()
        try await store.seed(try demoSeed())
        return store
    }
}

/// A real register database that makes real journal events to push.
struct Till {
    let store: RegisterStore
    let registerId: String
    let cashier: User
    let employee: User
    let manager: User

    init(registerId: String, storeId: Int64) throws {
        store = try RegisterStore(path: try temporaryFolder().appendingPathComponent("till.sqlite").path)
        self.registerId = registerId
        try store.install(RegisterSetup(chainName: demoChain.name, registerId: registerId, storeId: storeId,
                                        locations: demoChain.locations, taxRules: demoChain.taxRules, products: demoChain.products,
                                        users: try demoChain.hashedUsers(PinHasher(rounds: 1_000)),
                                        stock: demoChain.registerStock(storeId: storeId)))
        let users = try store.users()
        guard let cashier = users.first(where: { $0.storeId == storeId && $0.role == .cashier }),
              let employee = users.first(where: { $0.storeId == storeId && $0.role == .employee }),
              let manager = users.first(where: { $0.storeId == storeId && $0.role == .manager }) else { throw StoreError("no staff") }
        self.cashier = cashier
        self.employee = employee
        self.manager = manager
    }

    /// - Parameter time: the till's clock when it is not the machine's (issue 23: a clock that fell back).
    @discardableResult
    func sell(_ items: [(Int64, Int)], at time: Int64? = nil) throws -> Sale {
        var cart = Cart()
        for (id, qty) in items {
            guard let p = try store.product(id: id) else { throw StoreError("no product \(id)") }
            try cart.add(p, quantity: qty)
        }
        var payment = Payment(total: cart.totals(try store.identity().taxRule).total)
        try payment.payExactCash()
        return try store.recordSale(cart: cart, payment: payment, cashierId: cashier.id, at: time)
    }

    /// Sells a cart as the till built it (discounts, promotions), paid in exact cash.
    @discardableResult
    func sell(_ cart: Cart, by cashierId: Int64? = nil) throws -> Sale {
        var payment = Payment(total: cart.totals(try store.identity().taxRule).total)
        try payment.payExactCash()
        return try store.recordSale(cart: cart, payment: payment, cashierId: cashierId ?? cashier.id)
    }

    func product(_ id: Int64) throws -> Product {
        guard let p = try store.product(id: id) else { throw StoreError("no product \(id)") }
        return p
    }

    func events() throws -> [SyncEvent] { try store.journal() }
}

extension IdentityRepository {
    /// Registers a till with a fresh token digest.
    @discardableResult
    func enrol(_ till: Till, storeId: Int64) async throws -> RegisterRecord {
        try await addRegister(id: till.registerId, storeId: storeId, name: till.registerId, tokenDigest: BearerToken.digest(BearerToken.generate()))
    }

}

extension StockRepository {
    func onHand(_ location: Int64, _ product: Int64) async throws -> Int? {
        try await stock(locationId: location).first { $0.productId == product }?.onHand
    }
}
