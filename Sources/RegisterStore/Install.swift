import CaisseAPI
import CaisseCore
import Foundation
import GRDB

/// What a register starts from: reference data, catalog, people and stock.
/// `caisse init` builds it from data/; enrolment (sync) builds it from central.
public struct RegisterSetup: Sendable {
    public var chainName: String
    public var registerId: String
    public var storeId: Int64
    public var locations: [Location]
    public var taxRules: [TaxRule]
    public var products: [Product]
    public var users: [User]
    /// locationId → productId → on-hand, for this store and the warehouse.
    public var stock: [Int64: [Int64: Int]]

    public init(chainName: String, registerId: String, storeId: Int64, locations: [Location], taxRules: [TaxRule],
                products: [Product], users: [User], stock: [Int64: [Int64: Int]]) {
        self.chainName = chainName
        self.registerId = registerId
        self.storeId = storeId
        self.locations = locations
        self.taxRules = taxRules
        self.products = products
        self.users = users
        self.stock = stock
    }
}

extension RegisterStore {
    /// Sets up an empty database as one register of one store. Refuses a
    /// database that already belongs to a register: its journal must not be mixed.
    public func install(_ setup: RegisterSetup) throws {
        guard Self.isValidRegisterId(setup.registerId) else {
            throw StoreError("register id '\(setup.registerId)' must be 1–32 letters, digits or '-'")
        }
        try writer.write { db in
            if let existing = try setting(db, Settings.registerId) {
                throw StoreError("this database already belongs to register \(existing)")
            }
            guard let store = setup.locations.first(where: { $0.id == setup.storeId }) else {
                throw StoreError("unknown store \(setup.storeId)")
            }
            guard store.sells else { throw StoreError("\(store.name) is a warehouse: it has no till") }
            guard setup.taxRules.contains(where: { $0.code == store.taxRule }) else {
                throw StoreError("\(store.name) charges tax rule \(store.taxRule), which is not defined")
            }
            try upsert(db, locations: setup.locations, taxRules: setup.taxRules)
            try upsert(db, products: setup.products)
            try upsert(db, users: setup.users)
            try replaceSnapshot(db, stock: setup.stock)
            try set(db, Settings.registerId, setup.registerId)
            try set(db, Settings.storeId, setup.storeId)
            try set(db, Settings.chainName, setup.chainName)
            try set(db, Settings.appliedMark, 0)
            try set(db, Settings.nextReceipt, 1)
        }
    }

    static func isValidRegisterId(_ id: String) -> Bool {
        (1...32).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    func upsert(_ db: Database, users: [User]) throws {
        for u in users {
            try db.execute(sql: """
                INSERT INTO user(id, username, display_name, role, store_id, pin_hash, active) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET username = excluded.username, display_name = excluded.display_name,
                  role = excluded.role, store_id = excluded.store_id, pin_hash = excluded.pin_hash, active = excluded.active
                """, arguments: [u.id, u.username, u.displayName, u.role.rawValue, u.storeId, u.pinHash, u.active])
        }
    }

    static func user(_ row: Row) -> User {
        User(id: row["id"], username: row["username"], displayName: row["display_name"],
             role: Role(rawValue: row["role"]) ?? .cashier, storeId: row["store_id"], pinHash: row["pin_hash"], active: row["active"])
    }

    public func users() throws -> [User] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM user ORDER BY id").map(Self.user) }
    }

    public func user(username: String) throws -> User? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM user WHERE username = ? COLLATE NOCASE", arguments: [username]).map(Self.user)
        }
    }

    public func user(id: Int64) throws -> User? {
        try writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [id]).map(Self.user) }
    }
}

extension RegisterStore {
    /// Checks a person's PIN against the hash synced from central, under the
    /// per-person lockout kept in this database (`PinAttempts`). An unknown or
    /// inactive person is a wrong PIN, and counts nothing.
    public func checkPin(userId: Int64, pin: String, at time: Int64? = nil) throws -> PinCheck {
        let now = time ?? Self.now()
        let (user, attempts) = try writer.read { db -> (User?, PinAttempts) in
            let user = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [userId]).map(Self.user)
            let row = try Row.fetchOne(db, sql: "SELECT failures, locked_until FROM pin_attempt WHERE user_id = ?", arguments: [userId])
            return (user, row.map { PinAttempts(failures: $0["failures"], lockedUntil: $0["locked_until"]) } ?? PinAttempts())
        }
        if let until = attempts.lock(at: now) { return .locked(until: until) }
        guard let user, user.active else { return .wrong(triesLeft: PinAttempts.maxFailures) }
        // PBKDF2 outside the write: a sale committing meanwhile does not wait for it.
        let accepted = PinHasher.verify(pin: pin, against: user.pinHash)
        return try writer.write { db in
            // Read again: another process (the CLI beside the screen) may have counted meanwhile.
            let row = try Row.fetchOne(db, sql: "SELECT failures, locked_until FROM pin_attempt WHERE user_id = ?", arguments: [userId])
            var current = row.map { PinAttempts(failures: $0["failures"], lockedUntil: $0["locked_until"]) } ?? PinAttempts()
            if let until = current.lock(at: now) { return .locked(until: until) }
            let result = current.record(accepted: accepted, at: now)
            try db.execute(sql: """
                INSERT INTO pin_attempt(user_id, failures, locked_until) VALUES (?, ?, ?)
                ON CONFLICT(user_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until
                """, arguments: [userId, current.failures, current.lockedUntil])
            return result
        }
    }
}
