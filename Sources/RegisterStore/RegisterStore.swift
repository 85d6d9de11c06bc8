import CaisseAPI
import CaisseCore
import Foundation
import GRDB

/// Who this till is: its store, its register id and the tax rule it charges.
public struct RegisterIdentity: Hashable, Sendable {
    public var registerId: String
    public var store: Location
    public var taxRule: TaxRule
    public var chainName: String
}

/// The register's local database. One type owns the connection; every write
/// that belongs together (a sale and its journal entry) is one transaction.
public final class RegisterStore: Sendable {
    let writer: any DatabaseWriter

    /// Opens (and migrates) the database file at `path`: WAL so that reads never
    /// wait for the writer, synchronous=FULL so a sale is on disk before the
    /// receipt shows.
    ///
    /// - Throws: `StoreError.damaged` when SQLite finds the file damaged: the
    ///   till must not sell on a database that may lose what it writes.
    public convenience init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A checkpoint copies the WAL into the database file and fsyncs it: left to
            // SQLite it runs inside whichever sale commits the 1000th page. The till
            // checkpoints when idle instead (`checkpoint()`); this is only the backstop.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            try Self.requireIntact(pool, path: path)
            try self.init(writer: pool)
        } catch let error as DatabaseError where Self.isCorruption(error) {
            throw StoreError.damaged(path: path, detail: "\(error)")
        }
    }

    /// SQLITE_CORRUPT and SQLITE_NOTADB: the file's pages are damaged, or it is not a database.
    public static func isCorruption(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
    }

    /// `PRAGMA quick_check`: every page and index well formed (O(n), about a
    /// second for a year of sales; run at start and by `caisse journal`).
    static func requireIntact(_ writer: any DatabaseWriter, path: String) throws {
        let problems = try writer.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
        guard problems == ["ok"] else {
            throw StoreError.damaged(path: path, detail: problems.joined(separator: "; "))
        }
    }

    /// Re-checks the database file (see `requireIntact`).
    public func checkIntegrity() throws {
        do { try Self.requireIntact(writer, path: writer.path) } catch let error as DatabaseError where Self.isCorruption(error) {
            throw StoreError.damaged(path: writer.path, detail: "\(error)")
        }
    }

    /// An in-memory database, for tests.
    public static func inMemory() throws -> RegisterStore {
        try RegisterStore(writer: DatabaseQueue())
    }

    init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try Schema.migrator.migrate(writer)
    }

    /// The database file (nil in memory): its log and its receipts live beside it.
    public var path: String? { (writer as? DatabasePool)?.path }

    /// Copies the write-ahead log into the database file, without waiting for
    /// readers. Call it when the till is idle (after a receipt, between customers).
    public func checkpoint() throws {
        guard let pool = writer as? DatabasePool else { return }
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
    }

    // MARK: - Settings

    /// One column of the till's settings row (`register_setting`), with its Swift type.
    struct Setting<Value: DatabaseValueConvertible>: Sendable {
        let column: String
    }

    enum Settings {
        static let registerId = Setting<String>(column: "register_id")
        static let storeId = Setting<Int64>(column: "store_id")
        static let chainName = Setting<String>(column: "chain_name")
        static let nextReceipt = Setting<Int>(column: "next_receipt")
        static let appliedMark = Setting<Int64>(column: "applied_mark")
        static let pullCursor = Setting<Int64>(column: "pull_cursor")
        static let stockCursor = Setting<Int64>(column: "stock_cursor")
        static let centralURL = Setting<String>(column: "central_url")
        static let centralToken = Setting<String>(column: "central_token")
        static let centralCAFile = Setting<String>(column: "central_ca_file")
        static let lastSync = Setting<Int64>(column: "last_sync")
        static let lastSyncError = Setting<String>(column: "last_sync_error")
        static let storePolicy = Setting<String>(column: "store_policy")
        static let loyaltyProgram = Setting<String>(column: "loyalty_program")
    }

    func setting<Value>(_ db: Database, _ setting: Setting<Value>) throws -> Value? {
        try Value.fetchOne(db, sql: "SELECT \(setting.column) FROM register_setting WHERE id = 1")
    }

    func set<Value>(_ db: Database, _ setting: Setting<Value>, _ value: Value?) throws {
        try db.execute(sql: "UPDATE register_setting SET \(setting.column) = ? WHERE id = 1", arguments: [value])
    }

    /// The catalog load's transient flag, which the stock triggers read (`bulk_catalog_load`).
    func meta(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
    }

    func setMeta(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [key, value])
    }

    public var isInstalled: Bool {
        get throws { try writer.read { db in try setting(db, Settings.registerId) != nil } }
    }

    public func identity() throws -> RegisterIdentity {
        try writer.read { db in try identity(db) }
    }

    func identity(_ db: Database) throws -> RegisterIdentity {
        guard let registerId = try setting(db, Settings.registerId),
              let storeId = try setting(db, Settings.storeId) else {
            throw StoreError("this register is not set up yet: run `caisse init` first")
        }
        guard let store = try location(db, id: storeId) else { throw StoreError("store \(storeId) is missing from the local database") }
        guard let rule = try taxRule(db, code: store.taxRule) else { throw StoreError("tax rule \(store.taxRule) is missing") }
        return RegisterIdentity(registerId: registerId, store: store, taxRule: rule, chainName: try setting(db, Settings.chainName) ?? "")
    }

    // MARK: - Reference data

    func location(_ db: Database, id: Int64) throws -> Location? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM location WHERE id = ?", arguments: [id]) else { return nil }
        return try Self.location(row)
    }

    public func locations() throws -> [Location] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM location ORDER BY id").map(Self.location) }
    }

    static func location(_ row: Row) throws -> Location {
        let numbers = try JSONDecoder().decode([String: String].self, from: Data((row["tax_numbers"] as String).utf8))
        return Location(id: row["id"], code: row["code"], name: row["name"],
                        kind: LocationKind(rawValue: row["kind"]) ?? .store, address: row["address"],
                        taxRule: row["tax_rule"], taxNumbers: numbers, timeZone: row["time_zone"])
    }

    func taxRule(_ db: Database, code: String) throws -> TaxRule? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM tax_rule WHERE code = ?", arguments: [code]) else { return nil }
        let rates = try WireJSON.decoder.decode([TaxRate].self, from: Data((row["rates"] as String).utf8))
        return TaxRule(code: row["code"], name: row["name"], rates: rates)
    }

    /// Replaces reference data (locations, tax rules) with central's or data/'s.
    func upsert(_ db: Database, locations: [Location], taxRules: [TaxRule]) throws {
        for l in locations {
            try db.execute(sql: """
                INSERT INTO location(id, code, name, kind, address, tax_rule, tax_numbers, time_zone) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET code = excluded.code, name = excluded.name, kind = excluded.kind,
                  address = excluded.address, tax_rule = excluded.tax_rule, tax_numbers = excluded.tax_numbers, time_zone = excluded.time_zone
                """, arguments: [l.id, l.code, l.name, l.kind.rawValue, l.address, l.taxRule, try WireJSON.string(l.taxNumbers), l.timeZone])
        }
        for r in taxRules {
            try db.execute(sql: """
                INSERT INTO tax_rule(code, name, rates) VALUES (?, ?, ?)
                ON CONFLICT(code) DO UPDATE SET name = excluded.name, rates = excluded.rates
                """, arguments: [r.code, r.name, try WireJSON.string(r.rates)])
        }
    }

    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
