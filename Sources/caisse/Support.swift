import CaisseAPI
import CaisseCore
import Foundation
import RegisterStore

extension RegisterOptions {
    /// Opens an existing, set-up register database (never creates one by accident).
    func openStore() throws -> RegisterStore {
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw Failure("no register database at \(databasePath): run `caisse init` first (or pass --db)")
        }
        let store = try RegisterStore(path: databasePath)
        guard try store.isInstalled else { throw Failure("\(databasePath) is not set up: run `caisse init` first") }
        return store
    }
}

func receiptHeader(_ store: RegisterStore, cashierId: Int64, at millis: Int64) throws -> Receipt.Header {
    try store.receiptHeader(cashierId: cashierId, at: millis)
}

/// The cashier named on the command line, or the store's first cashier.
func resolveCashier(_ store: RegisterStore, username: String?) throws -> User {
    let me = try store.identity()
    if let username {
        guard let user = try store.user(username: username), user.active else { throw Failure("unknown user '\(username)'") }
        // Only the store's own people work its till; admins sign in at central only.
        guard user.storeId == me.store.id, user.role != .admin else {
            throw Failure("\(username) does not work at \(me.store.name)")
        }
        return user
    }
    guard let user = try store.users().first(where: { $0.storeId == me.store.id && $0.active && $0.role == .cashier })
            ?? store.users().first(where: { $0.storeId == me.store.id && $0.active }) else {
        throw Failure("\(me.store.name) has no active user: pass --cashier")
    }
    return user
}

func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
}

func leftPadded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
