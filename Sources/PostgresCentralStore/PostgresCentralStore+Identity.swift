import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import PostgresNIO

extension PostgresCentralStore {
    // MARK: Seed

    public func seed(_ seed: ChainSeed) async throws {
        try await write { sql in
            // The counter lock first: two seeds at once are serialised, the second finds the chain.
            var seq = try await sql.changes(seed.locations.count + seed.taxRules.count + seed.products.count + seed.users.count)
            guard try await sql.scalar(Int64.self, "SELECT count(*) FROM location") == 0 else {
                throw CentralError(.conflict, "this database already holds a chain; seed an empty one")
            }
            try await sql.execute("INSERT INTO meta(key, value) VALUES ('chain_name', $1)", seed.name)
            for l in seed.locations {
                try await sql.execute("""
                    INSERT INTO location(id, code, name, kind, address, tax_rule, tax_numbers, time_zone, change_seq)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """, l.id, l.code, l.name, l.kind.rawValue, l.address, l.taxRule, try WireJSON.string(l.taxNumbers), l.timeZone, seq)
                seq += 1
            }
            for r in seed.taxRules {
                try await sql.execute("INSERT INTO tax_rule(code, name, rates, change_seq) VALUES ($1, $2, $3, $4)",
                                      r.code, r.name, try WireJSON.string(r.rates), seq)
                seq += 1
            }
            // Whole columns as arrays: one round trip for the catalog instead of one per product.
            let products = seed.products
            try await sql.execute("""
                INSERT INTO product(id, sku, barcode, name, category, price_cents, tax_class, reorder_point, overstock_threshold,
                                    active, search_key, change_seq)
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
                                     $8::bigint[], $9::bigint[], $10::boolean[], $11::text[], $12::bigint[])
                """, arguments: [
                    products.map(\.id), products.map { $0.sku.uppercased() }, products.map(\.barcode), products.map(\.name),
                    products.map(\.category), products.map(\.price.cents), products.map(\.taxClass.rawValue),
                    products.map { Int64($0.reorderPoint) }, products.map { Int64($0.overstockThreshold) }, products.map(\.active),
                    products.map { SearchKey.fold($0.name) }, products.indices.map { seq + Int64($0) },
                ])
            seq += Int64(products.count)
            let fresh = products.filter(\.fresh).map(\.id)
            if !fresh.isEmpty { try await sql.execute("UPDATE product SET fresh = true WHERE id = ANY($1::bigint[])", fresh) }
            let costed = products.filter { $0.cost != nil }
            if !costed.isEmpty {
                try await sql.execute("UPDATE product SET cost_cents = c FROM unnest($1::bigint[], $2::bigint[]) AS t(i, c) WHERE id = i",
                                      costed.map(\.id), costed.map { $0.cost?.cents ?? 0 })
            }
            for u in seed.users {
                try await Self.insert(sql, user: u, change: seq)
                seq += 1
            }
            let rows = seed.stock.flatMap { loc, quantities in quantities.map { (loc, $0.key, Int64($0.value)) } }
                .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            let first = try await sql.changes(max(1, rows.count))
            try await sql.execute("""
                INSERT INTO stock(location_id, product_id, on_hand, change_seq)
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[])
                """, arguments: [rows.map(\.0), rows.map(\.1), rows.map(\.2), rows.indices.map { first + Int64($0) }])
            try await sql.execute("""
                INSERT INTO stock_movement(location_id, product_id, quantity, reason, reference, created_at)
                SELECT l, p, q, 'adjustment', 'opening stock', $4 FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS m(l, p, q)
                """, arguments: [rows.map(\.0), rows.map(\.1), rows.map(\.2), Self.now()])
        }
    }

    // MARK: Locations and tax rules

    public func chainName() async throws -> String {
        try await read { sql in try await sql.scalar(String.self, "SELECT value FROM meta WHERE key = 'chain_name'") ?? "" }
    }

    public func locations() async throws -> [Location] {
        try await read { sql in try await Self.locations(sql) }
    }

    static func locations(_ sql: SQL) async throws -> [Location] {
        try await sql.rows("SELECT * FROM location ORDER BY id").map(location)
    }

    static func location(_ row: SQLRow) throws -> Location {
        Location(id: try row.get("id"), code: try row.get("code"), name: try row.get("name"),
                 kind: LocationKind(rawValue: try row.get("kind")) ?? .store, address: try row.get("address"), taxRule: try row.get("tax_rule"),
                 taxNumbers: try WireJSON.decoder.decode([String: String].self, from: Data(try row.get("tax_numbers", as: String.self).utf8)),
                 timeZone: try row.get("time_zone"))
    }

    static func location(_ sql: SQL, id: Int64) async throws -> Location? {
        try await sql.row("SELECT * FROM location WHERE id = $1", id).map(location)
    }

    public func location(id: Int64) async throws -> Location? {
        try await read { sql in try await Self.location(sql, id: id) }
    }

    public func taxRules() async throws -> [TaxRule] {
        try await read { sql in try await Self.taxRules(sql) }
    }

    static func taxRules(_ sql: SQL) async throws -> [TaxRule] {
        // COLLATE "C": SQLite's byte order, whatever the database's locale.
        try await sql.rows(#"SELECT * FROM tax_rule ORDER BY code COLLATE "C""#).map { row in
            TaxRule(code: try row.get("code"), name: try row.get("name"),
                    rates: try WireJSON.decoder.decode([TaxRate].self, from: Data(try row.get("rates", as: String.self).utf8)))
        }
    }

    // MARK: Registers

    public func addRegister(id: String, storeId: Int64, name: String, tokenDigest: String) async throws -> RegisterRecord {
        guard (1...32).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw CentralError(.invalid, "register id '\(id)' must be 1–32 letters, digits or '-'")
        }
        return try await write { sql in
            guard let store = try await Self.location(sql, id: storeId) else { throw CentralError(.notFound, "unknown store \(storeId)") }
            guard store.sells else { throw CentralError(.invalid, "\(store.name) is a warehouse: it has no till") }
            // ON CONFLICT: a concurrent enrolment of the same id on another instance is a conflict, not a crash.
            let inserted = try await sql.rows("""
                INSERT INTO register(id, store_id, name, token_digest, last_hash) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, id, storeId, name, tokenDigest, HashChain.genesis)
            guard !inserted.isEmpty else { throw CentralError(.conflict, "register \(id) already exists") }
            return RegisterRecord(id: id, storeId: storeId, name: name, appliedThrough: 0, lastHash: HashChain.genesis, revoked: false, auditFlag: nil)
        }
    }

    public func revokeRegister(id: String) async throws {
        try await write { sql in
            guard try await !sql.rows("UPDATE register SET revoked = TRUE WHERE id = $1 RETURNING id", id).isEmpty else {
                throw CentralError(.notFound, "unknown register \(id)")
            }
        }
    }

    static func register(_ row: SQLRow) throws -> RegisterRecord {
        RegisterRecord(id: try row.get("id"), storeId: try row.get("store_id"), name: try row.get("name"),
                       appliedThrough: try row.get("applied_through"), lastHash: try row.get("last_hash"),
                       revoked: try row.get("revoked"), auditFlag: try row.get("audit_flag"))
    }

    public func registers() async throws -> [RegisterRecord] {
        try await read { sql in try await sql.rows(#"SELECT * FROM register ORDER BY id COLLATE "C""#).map(Self.register) }
    }

    public func register(tokenDigest: String) async throws -> RegisterRecord? {
        try await read { sql in try await sql.row("SELECT * FROM register WHERE token_digest = $1", tokenDigest).map(Self.register) }
    }

    // MARK: Users and sessions

    static func insert(_ sql: SQL, user u: User, change: Int64) async throws {
        try await sql.execute("""
            INSERT INTO app_user(id, username, display_name, role, store_id, pin_hash, active, change_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, u.id, u.username, u.displayName, u.role.rawValue, u.storeId, u.pinHash, u.active, change)
    }

    static func user(_ row: SQLRow) throws -> User {
        User(id: try row.get("id"), username: try row.get("username"), displayName: try row.get("display_name"),
             role: Role(rawValue: try row.get("role")) ?? .cashier, storeId: try row.get("store_id"), pinHash: try row.get("pin_hash"),
             active: try row.get("active"))
    }

    public func addUser(_ user: User) async throws -> User {
        try await write { sql in
            // The counter lock first: concurrent additions are serialised, so max(id) + 1 is unique.
            let change = try await sql.change(reserving: 1)
            guard try await Self.location(sql, id: user.storeId) != nil else { throw CentralError(.notFound, "unknown store \(user.storeId)") }
            guard try await sql.scalar(Int64.self, "SELECT count(*) FROM app_user WHERE lower(username) = lower($1)", user.username) == 0 else {
                throw CentralError(.conflict, "username \(user.username) is taken")
            }
            var u = user
            if u.id <= 0 { u.id = try await sql.scalar(Int64.self, "SELECT coalesce(max(id), 0) + 1 FROM app_user") ?? 1 }
            try await Self.insert(sql, user: u, change: change)
            return u
        }
    }

    public func users(storeId: Int64?) async throws -> [User] {
        try await read { sql in
            try await sql.rows("SELECT * FROM app_user WHERE ($1::bigint IS NULL OR store_id = $1) ORDER BY id", storeId).map(Self.user)
        }
    }

    public func loginState(username: String) async throws -> LoginState? {
        try await read { sql in
            try await sql.row("SELECT * FROM app_user WHERE lower(username) = lower($1)", username).map { row in
                LoginState(user: try Self.user(row), failedAttempts: try row.get("failed_logins"), lockedUntil: try row.get("locked_until"))
            }
        }
    }

    public func recordLoginFailure(userId: Int64, maxFailures: Int, lockUntil: Int64) async throws {
        try await write { sql in
            // One statement, which locks the row: concurrent failures on several instances all
            // count. A lock starts the count again, so one wrong PIN after it expires does not re-lock.
            try await sql.execute("""
                UPDATE app_user SET failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END,
                    locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END
                WHERE id = $3
                """, maxFailures, lockUntil, userId)
        }
    }

    public func createSession(userId: Int64, tokenDigest: String, expiresAt: Int64, registerId: String?) async throws {
        try await write { sql in
            try await sql.execute("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1", userId)
            try await sql.execute("INSERT INTO session(token_digest, user_id, expires_at, register_id) VALUES ($1, $2, $3, $4)",
                                  tokenDigest, userId, expiresAt, registerId)
            try await sql.execute("DELETE FROM session WHERE expires_at < $1", Self.now())
        }
    }

    public func session(tokenDigest: String, now: Int64) async throws -> Session? {
        try await read { sql in
            guard let row = try await sql.row("""
                SELECT app_user.*, session.expires_at AS session_expires_at FROM session JOIN app_user ON app_user.id = session.user_id
                LEFT JOIN register ON register.id = session.register_id
                WHERE session.token_digest = $1 AND session.expires_at > $2 AND app_user.active
                  AND (session.register_id IS NULL OR NOT register.revoked)
                """, tokenDigest, now) else { return nil }
            return Session(user: try Self.user(row), expiresAt: try row.get("session_expires_at"))
        }
    }

    public func endSession(tokenDigest: String) async throws {
        try await write { sql in
            try await sql.execute("DELETE FROM session WHERE token_digest = $1", tokenDigest)
            // Every instance's cached sessions are checked against this count.
            try await sql.execute("UPDATE session_epoch SET value = value + 1 WHERE id = 1")
        }
    }
}
