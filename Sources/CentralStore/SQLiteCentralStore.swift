import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import GRDB

/// Central's persistence on one SQLite file (the default for a small chain).
public final class SQLiteCentralStore: CentralStore {
    // Reads call GRDB synchronously: a read served from SQLite's page cache is
    // a few microseconds of CPU, less than a hop to GRDB's queue and back.
    // Writes stay async: they wait for fsync.
    let writer: any DatabaseWriter
    /// Sync pushes, written several to a transaction under load.
    let groupCommit: GroupCommit

    /// Opens the file at `path` (created if absent). WAL, synchronous=FULL:
    /// an acknowledged push is on disk.
    /// - Parameter observer: sees every statement's SQL as it runs (tests: what a use case reads).
    public init(path: String, observer: (@Sendable (String) -> Void)? = nil) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            if let observer { db.trace { observer($0.expandedDescription) } }
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // 32 MB of page cache per connection (SQLite's default is 2 MB): a
            // batch of 100 sales dirties a few hundred pages, and a transaction
            // that outgrows the cache writes pages to the WAL more than once.
            try db.execute(sql: "PRAGMA cache_size = -32768")
            // Statement journals and savepoints' sub-journals in memory, not in
            // temporary files: on disk they cost a write() per page touched
            // (16,000 a second while ingesting), for data that never outlives
            // the transaction.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        writer = try DatabasePool(path: path, configuration: config)
        groupCommit = GroupCommit(writer: writer)
    }

    /// An in-memory database (tests).
    public init(inMemory: Void = ()) throws {
        writer = try DatabaseQueue()
        groupCommit = GroupCommit(writer: writer)
    }

    /// A synchronous read on the calling thread (see `writer`). Single-statement
    /// reads skip GRDB's BEGIN/COMMIT (a statement is atomic on its own); reads
    /// that must see one snapshot across statements pass `consistent: true`.
    func readNow<T>(consistent: Bool = false, _ body: (Database) throws -> T) throws -> T {
        consistent ? try writer.read(body) : try writer.unsafeRead(body)
    }

    /// A long read (a report over months, the audit of every journal) on threads of
    /// its own at a lower priority, not on Swift's cooperative pool: while it runs, the
    /// pool's few threads keep serving the tills' pushes and pulls (issue 18), and they
    /// come first for the cores too (issue 26).
    func readOffPool<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let writer = self.writer
        return try await LongWork.shared.run { try writer.read(body) }
    }

    public func migrate() async throws {
        try SQLiteSchema.migrator.migrate(writer)
    }

    public func dataVersion() async throws -> DataVersion {
        try readNow { db in
            let row = try Row.fetchOne(db.cachedStatement(sql: DataVersionSQL.query))
            return DataVersion(changes: row?[0] ?? 0, catalog: row?[1] ?? 0, users: row?[2] ?? 0, revokedRegisters: row?[3] ?? 0,
                               logouts: row?[4] ?? 0)
        }
    }

    public func ping() async throws {
        _ = try readNow { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    // MARK: Change numbers

    /// Reserves `count` consecutive change numbers inside the caller's transaction
    /// and returns the first.
    static func nextChanges(_ db: Database, count: Int = 1) throws -> Int64 {
        let last = try Int64.fetchOne(db.cachedStatement(sql: "UPDATE change_counter SET value = value + ? WHERE id = 1 RETURNING value"),
                                      arguments: [count]) ?? Int64(count)
        return last - Int64(count) + 1
    }

    // MARK: Seed

    public func seed(_ seed: ChainSeed) async throws {
        try await writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM location") == 0 else {
                throw CentralError(.conflict, "this database already holds a chain; seed an empty one")
            }
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('chain_name', ?)", arguments: [seed.name])
            for l in seed.locations {
                try db.execute(sql: """
                    INSERT INTO location(id, code, name, kind, address, tax_rule, tax_numbers, time_zone, change_seq)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [l.id, l.code, l.name, l.kind.rawValue, l.address, l.taxRule, try WireJSON.string(l.taxNumbers),
                                     l.timeZone, try Self.nextChanges(db)])
            }
            for r in seed.taxRules {
                try db.execute(sql: "INSERT INTO tax_rule(code, name, rates, change_seq) VALUES (?, ?, ?, ?)",
                               arguments: [r.code, r.name, try WireJSON.string(r.rates), try Self.nextChanges(db)])
            }
            var seq = try Self.nextChanges(db, count: max(1, seed.products.count))
            let insertProduct = try db.cachedStatement(sql: """
                INSERT INTO product(id, sku, barcode, name, category, price_cents, tax_class, reorder_point, overstock_threshold,
                                    active, search_key, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for p in seed.products {
                try insertProduct.execute(arguments: [p.id, p.sku.uppercased(), p.barcode, p.name, p.category, p.price.cents, p.taxClass.rawValue,
                                                      p.reorderPoint, p.overstockThreshold, p.active, SearchKey.fold(p.name), seq])
                seq += 1
            }
            let fresh = seed.products.filter(\.fresh).map(\.id)
            if !fresh.isEmpty {
                try db.execute(sql: "UPDATE product SET fresh = 1 WHERE id IN (SELECT value FROM json_each(?))", arguments: [try WireJSON.string(fresh)])
            }
            let setCost = try db.cachedStatement(sql: "UPDATE product SET cost_cents = ? WHERE id = ?")
            for p in seed.products { if let cost = p.cost { try setCost.execute(arguments: [cost.cents, p.id]) } }
            for u in seed.users { try Self.insert(db, user: u) }
            let rows = seed.stock.flatMap { loc, quantities in quantities.map { (loc, $0.key, $0.value) } }
            seq = try Self.nextChanges(db, count: max(1, rows.count))
            let insertStock = try db.cachedStatement(sql: "INSERT INTO stock(location_id, product_id, on_hand, change_seq) VALUES (?, ?, ?, ?)")
            let insertMovement = try db.cachedStatement(sql: """
                INSERT INTO stock_movement(location_id, product_id, quantity, reason, reference, created_at) VALUES (?, ?, ?, 'adjustment', 'opening stock', ?)
                """)
            let now = Self.now()
            for (loc, product, qty) in rows.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
                try insertStock.execute(arguments: [loc, product, qty, seq])
                try insertMovement.execute(arguments: [loc, product, qty, now])
                seq += 1
            }
        }
    }

    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    // MARK: Identity

    public func chainName() async throws -> String {
        try readNow { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'chain_name'") ?? "" }
    }

    public func locations() async throws -> [Location] {
        try readNow { db in try Self.locations(db) }
    }

    static func locations(_ db: Database, since: Int64 = -1) throws -> [Location] {
        try Row.fetchAll(db, sql: "SELECT * FROM location WHERE change_seq > ? ORDER BY id", arguments: [since]).map(location)
    }

    static func location(_ row: Row) throws -> Location {
        Location(id: row["id"], code: row["code"], name: row["name"], kind: LocationKind(rawValue: row["kind"]) ?? .store,
                 address: row["address"], taxRule: row["tax_rule"],
                 taxNumbers: try WireJSON.decoder.decode([String: String].self, from: Data((row["tax_numbers"] as String).utf8)),
                 timeZone: row["time_zone"])
    }

    public func taxRules() async throws -> [TaxRule] {
        try readNow { db in try Self.taxRules(db) }
    }

    static func taxRules(_ db: Database, since: Int64 = -1) throws -> [TaxRule] {
        try Row.fetchAll(db, sql: "SELECT * FROM tax_rule WHERE change_seq > ? ORDER BY code", arguments: [since]).map { row in
            TaxRule(code: row["code"], name: row["name"],
                    rates: try WireJSON.decoder.decode([TaxRate].self, from: Data((row["rates"] as String).utf8)))
        }
    }

    static func location(_ db: Database, id: Int64) throws -> Location? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM location WHERE id = ?"), arguments: [id]).map(location)
    }

    public func location(id: Int64) async throws -> Location? {
        try readNow { db in try Self.location(db, id: id) }
    }

    public func addRegister(id: String, storeId: Int64, name: String, tokenDigest: String) async throws -> RegisterRecord {
        guard (1...32).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw CentralError(.invalid, "register id '\(id)' must be 1–32 letters, digits or '-'")
        }
        return try await writer.write { db in
            guard let store = try Self.location(db, id: storeId) else { throw CentralError(.notFound, "unknown store \(storeId)") }
            guard store.sells else { throw CentralError(.invalid, "\(store.name) is a warehouse: it has no till") }
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM register WHERE id = ?", arguments: [id]) == 0 else {
                throw CentralError(.conflict, "register \(id) already exists")
            }
            try db.execute(sql: "INSERT INTO register(id, store_id, name, token_digest, last_hash) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, storeId, name, tokenDigest, HashChain.genesis])
            return RegisterRecord(id: id, storeId: storeId, name: name, appliedThrough: 0, lastHash: HashChain.genesis, revoked: false, auditFlag: nil)
        }
    }

    public func revokeRegister(id: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE register SET revoked = 1 WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw CentralError(.notFound, "unknown register \(id)") }
        }
    }

    static func register(_ row: Row) -> RegisterRecord {
        RegisterRecord(id: row["id"], storeId: row["store_id"], name: row["name"], appliedThrough: row["applied_through"],
                       lastHash: row["last_hash"], revoked: row["revoked"], auditFlag: row["audit_flag"])
    }

    public func registers() async throws -> [RegisterRecord] {
        try readNow { db in try Row.fetchAll(db, sql: "SELECT * FROM register ORDER BY id").map(Self.register) }
    }

    public func register(tokenDigest: String) async throws -> RegisterRecord? {
        try readNow { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM register WHERE token_digest = ?"), arguments: [tokenDigest]).map(Self.register)
        }
    }

    static func insert(_ db: Database, user u: User) throws {
        try db.execute(sql: """
            INSERT INTO app_user(id, username, display_name, role, store_id, pin_hash, active, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [u.id, u.username, u.displayName, u.role.rawValue, u.storeId, u.pinHash, u.active, try nextChanges(db)])
    }

    static func user(_ row: Row) -> User {
        User(id: row["id"], username: row["username"], displayName: row["display_name"], role: Role(rawValue: row["role"]) ?? .cashier,
             storeId: row["store_id"], pinHash: row["pin_hash"], active: row["active"])
    }

    public func addUser(_ user: User) async throws -> User {
        try await writer.write { db in
            guard try Self.location(db, id: user.storeId) != nil else { throw CentralError(.notFound, "unknown store \(user.storeId)") }
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user WHERE username = ?", arguments: [user.username]) == 0 else {
                throw CentralError(.conflict, "username \(user.username) is taken")
            }
            var u = user
            if u.id <= 0 { u.id = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM app_user")) ?? 1 }
            try Self.insert(db, user: u)
            return u
        }
    }

    public func users(storeId: Int64?) async throws -> [User] {
        try readNow { db in
            if let storeId {
                return try Row.fetchAll(db, sql: "SELECT * FROM app_user WHERE store_id = ? ORDER BY id", arguments: [storeId]).map(Self.user)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM app_user ORDER BY id").map(Self.user)
        }
    }

    public func loginState(username: String) async throws -> LoginState? {
        try readNow { db in
            try Row.fetchOne(db, sql: "SELECT * FROM app_user WHERE username = ?", arguments: [username]).map { row in
                LoginState(user: Self.user(row), failedAttempts: row["failed_logins"], lockedUntil: row["locked_until"])
            }
        }
    }

    public func recordLoginFailure(userId: Int64, maxFailures: Int, lockUntil: Int64) async throws {
        try await writer.write { db in
            // One statement: concurrent failures on several instances all count. A lock
            // starts the count again, so one wrong PIN after it expires does not re-lock.
            try db.execute(sql: """
                UPDATE app_user SET failed_logins = CASE WHEN failed_logins + 1 >= ?1 THEN 0 ELSE failed_logins + 1 END,
                    locked_until = CASE WHEN failed_logins + 1 >= ?1 THEN ?2 ELSE locked_until END
                WHERE id = ?3
                """, arguments: [maxFailures, lockUntil, userId])
        }
    }

    public func createSession(userId: Int64, tokenDigest: String, expiresAt: Int64, registerId: String?) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = ?", arguments: [userId])
            try db.execute(sql: "INSERT INTO session(token_digest, user_id, expires_at, register_id) VALUES (?, ?, ?, ?)",
                           arguments: [tokenDigest, userId, expiresAt, registerId])
            try db.execute(sql: "DELETE FROM session WHERE expires_at < ?", arguments: [Self.now()])
        }
    }

    public func session(tokenDigest: String, now: Int64) async throws -> Session? {
        try readNow { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT app_user.*, session.expires_at AS session_expires_at FROM session JOIN app_user ON app_user.id = session.user_id
                LEFT JOIN register ON register.id = session.register_id
                WHERE session.token_digest = ? AND session.expires_at > ? AND app_user.active = 1
                  AND (session.register_id IS NULL OR register.revoked = 0)
                """), arguments: [tokenDigest, now]).map { Session(user: Self.user($0), expiresAt: $0["session_expires_at"]) }
        }
    }

    public func endSession(tokenDigest: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE token_digest = ?", arguments: [tokenDigest])
            // Every instance's cached sessions are checked against this count.
            try db.execute(sql: "UPDATE session_epoch SET value = value + 1 WHERE id = 1")
        }
    }
}

extension SQLiteCentralStore {
    public func schema() async throws -> [TableSchema] {
        try readNow { db in
            let names = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name
                """)
            return try names.map { name in
                let columns = try Row.fetchAll(db, sql: "SELECT * FROM pragma_table_info(?)", arguments: [name]).map { row in
                    TableSchema.Column(name: row["name"], type: row["type"], primaryKey: (row["pk"] as Int) > 0, notNull: row["notnull"])
                }
                let fks = try Row.fetchAll(db, sql: "SELECT * FROM pragma_foreign_key_list(?)", arguments: [name]).map { row in
                    TableSchema.ForeignKey(column: row["from"], table: row["table"], targetColumn: row["to"] ?? "id")
                }
                return TableSchema(name: name, columns: columns, foreignKeys: fks)
            }
        }
    }

    /// An online, consistent copy of central in a new file (`VACUUM INTO`), while pushes
    /// go on: what docs/operations.md's backups and the restore drill use.
    public func backup(to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw CentralError(.conflict, "\(path) already exists") }
        try await writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
    }
}
