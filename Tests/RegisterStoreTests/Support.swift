import CaisseAPI
import CaisseCore
import DemoChain
import Foundation
import GRDB
@testable import RegisterStore

let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data")

/// A real register database file in a fresh temporary folder, set up as
/// register CV-1 of Magasin Centre-Ville from data/.
struct TestRegister {
    let folder: URL
    let path: String
    let store: RegisterStore
    let chain: ChainData
    let cashier: User
    let employee: User

    init(registerId: String = "CV-1", storeId: Int64 = 1) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("caisse-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("register.sqlite").path
        chain = try ChainData.load(from: dataDirectory)
        store = try RegisterStore(path: path)
        try store.install(RegisterSetup(chainName: chain.name, registerId: registerId, storeId: storeId,
                                        locations: chain.locations, taxRules: chain.taxRules, products: chain.products,
                                        users: try chain.hashedUsers(PinHasher(rounds: 1_000)),
                                        stock: chain.registerStock(storeId: storeId)))
        guard let cashier = try store.users().first(where: { $0.storeId == storeId && $0.role == .cashier }) else {
            throw StoreError("no cashier")
        }
        self.cashier = cashier
        guard let employee = try store.users().first(where: { $0.storeId == storeId && $0.role == .employee }) else {
            throw StoreError("no employee")
        }
        self.employee = employee
    }

    func product(_ code: String) throws -> Product {
        guard let p = try store.product(code: code) else { throw StoreError("no product \(code)") }
        return p
    }

    /// Sells `items` (code, quantity) paid in exact cash.
    @discardableResult
    func sell(_ items: [(String, Int)]) throws -> Sale {
        var cart = Cart()
        for (code, qty) in items { try cart.add(try product(code), quantity: qty) }
        var payment = Payment(total: cart.totals(try store.identity().taxRule).total)
        try payment.payExactCash()
        return try store.recordSale(cart: cart, payment: payment, cashierId: cashier.id)
    }
}

extension TestRegister {
    /// One integer from SQL, for assertions on what is on disk.
    func int(_ sql: String, _ arguments: StatementArguments = []) throws -> Int? {
        try store.writer.read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) }
    }

    func text(_ sql: String) throws -> String? {
        try store.writer.read { db in try String.fetchOne(db, sql: sql) }
    }
}
