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

/// The person a headless command acts as: named by --cashier (default: the
/// store's first cashier), proven by their PIN, under the same per-person
/// lockout and role rules as the screen. The PIN comes from $CAISSE_PIN or
/// one line of standard input, never from an argument (which `ps` shows).
func authenticate(_ store: RegisterStore, username: String?, needs role: Role = .cashier,
                  pinVariable: String = "CAISSE_PIN") throws -> User {
    let user = try resolveCashier(store, username: username)
    guard user.role.allows(role) else { throw Failure("\(user.username) is a \(user.role.rawValue); this needs a \(role.rawValue) or above") }
    let pin = try readPin(for: user, variable: pinVariable)
    switch try store.checkPin(userId: user.id, pin: pin) {
    case .accepted: return user
    case .wrong(let left):
        throw Failure("wrong PIN for \(user.username) (\(left) \(left == 1 ? "try" : "tries") left before a \(PinAttempts.lockMillis / 1000) s lock)")
    case .locked(let until):
        throw Failure("\(user.username) is locked for \(max(1, (until - Int64(Date().timeIntervalSince1970 * 1000) + 999) / 1000)) s after \(PinAttempts.maxFailures) wrong PINs")
    }
}

private func readPin(for user: User, variable: String) throws -> String {
    if let pin = ProcessInfo.processInfo.environment[variable], !pin.isEmpty { return pin }
    let terminal = isatty(0) == 1
    var saved = termios()
    if terminal {
        FileHandle.standardError.write(Data("PIN for \(user.username): ".utf8))
        tcgetattr(0, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSANOW, &silent)
    }
    let line = readLine(strippingNewline: true)
    if terminal {
        tcsetattr(0, TCSANOW, &saved)
        FileHandle.standardError.write(Data("\n".utf8))
    }
    guard let pin = line?.trimmingCharacters(in: .whitespaces), !pin.isEmpty else {
        throw Failure("\(user.username)'s PIN is needed: set \(variable) or give it on standard input")
    }
    return pin
}
