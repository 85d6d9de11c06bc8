import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import PostgresNIO
import ServiceLifecycle

/// Central's persistence on PostgreSQL, for several central instances over one
/// database. Same contract as `SQLiteCentralStore`; the concurrency design
/// (row locks, one change counter) is in docs/adr/0010-postgres-concurrency.md.
public final class PostgresCentralStore: CentralStore {
    public let url: PostgresURL
    let client: PostgresClient
    let logger: Logger
    /// Runs the connection pool when the store runs its own client (commands,
    /// tests); cancelled by `shutdown()`. `serve` runs `clientService` in its
    /// ServiceGroup instead, which shuts it down after the HTTP server.
    private let runner: Task<Void, Never>?

    /// Connects lazily: the first query opens the first connection.
    /// - Parameter runsClient: false when the caller runs `clientService` (serve's ServiceGroup).
    public init(url: PostgresURL, maximumConnections: Int = 20, runsClient: Bool = true) {
        self.url = url
        var configuration = url.clientConfiguration
        configuration.options.maximumConnections = maximumConnections
        let client = PostgresClient(configuration: configuration)
        self.client = client
        logger = Logger(label: "caisse-central.postgres")
        runner = runsClient ? Task { await client.run() } : nil
    }

    public convenience init(url: String, maximumConnections: Int = 20, runsClient: Bool = true) throws {
        self.init(url: try PostgresURL(url), maximumConnections: maximumConnections, runsClient: runsClient)
    }

    /// The connection pool as a service, for a ServiceGroup to run and shut down.
    public var clientService: any Service { client }

    /// Closes the pool's connections; the store is unusable afterwards.
    public func shutdown() async {
        runner?.cancel()
        await runner?.value
    }

    // MARK: Transactions

    /// Reads on one leased connection, each statement in its own snapshot.
    func read<T: Sendable>(_ body: (SQL) async throws -> T) async throws -> T {
        try await Self.mapped {
            try await client.withConnection { connection in
                try await body(SQL(connection: connection, logger: logger))
            }
        }
    }

    /// Reads that must agree with each other: one REPEATABLE READ snapshot.
    func snapshot<T: Sendable>(_ body: (SQL) async throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", retries: 0, body)
    }

    /// One READ COMMITTED transaction with row locks. Retried on a deadlock or a
    /// serialisation failure, which the lock order should prevent (belt and braces).
    func write<T: Sendable>(_ body: (SQL) async throws -> T) async throws -> T {
        try await transaction("BEGIN", retries: 3, body)
    }

    private func transaction<T: Sendable>(_ begin: String, retries: Int, _ body: (SQL) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await Self.mapped {
                    try await client.withConnection { connection in
                        let sql = SQL(connection: connection, logger: logger)
                        try await sql.execute(begin)
                        do {
                            let value = try await body(sql)
                            try await sql.execute("COMMIT")
                            return value
                        } catch {
                            // The original error matters, not a failed rollback on a dead connection.
                            try? await sql.execute("ROLLBACK")
                            throw error
                        }
                    }
                }
            } catch is RetryableConflict where attempt < retries {
                attempt += 1
                try await Task.sleep(for: .milliseconds(5 * attempt))
            }
        }
    }

    /// PostgreSQL's errors that mean something to central, as CentralError.
    static func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            switch error.serverInfo?[.sqlState] {
            case "23505": throw CentralError(.conflict, error.serverInfo?[.detail] ?? "already exists")
            case "23503": throw CentralError(.invalid, error.serverInfo?[.detail] ?? "refers to a missing row")
            case "23514": throw CentralError(.invalid, error.serverInfo?[.message] ?? "a value is out of range")
            case "40P01", "40001": throw RetryableConflict()
            default: throw PostgresStoreError(underlying: error)
            }
        }
    }

    // MARK: Housekeeping

    public func migrate() async throws {
        try await write { sql in
            // Several instances may start at once: one migrates, the others wait and find nothing to do.
            try await sql.execute("SELECT pg_advisory_xact_lock(4242001)")
            try await sql.execute("CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            let applied = Set(try await sql.rows("SELECT version FROM schema_migration").map { try $0.get("version", as: Int.self) })
            for migration in PostgresSchema.migrations where !applied.contains(migration.version) {
                for statement in migration.statements { try await sql.execute(statement) }
                try await sql.execute("INSERT INTO schema_migration(version) VALUES ($1)", migration.version)
            }
        }
    }

    public func ping() async throws {
        _ = try await read { sql in try await sql.scalar(Int.self, "SELECT 1") }
    }

    public func dataVersion() async throws -> DataVersion {
        try await read { sql in
            guard let row = try await sql.row(DataVersionSQL.query) else { return DataVersion(changes: 0, catalog: 0, users: 0, revokedRegisters: 0) }
            return DataVersion(changes: try row.get("changes"), catalog: try row.get("catalog"), users: try row.get("users"),
                               revokedRegisters: try row.get("revoked"), logouts: try row.get("logouts"))
        }
    }

    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    public func schema() async throws -> [TableSchema] {
        try await snapshot { sql in
            // information_schema's columns are domains over name/varchar: read as text.
            let tables = try await sql.rows("""
                SELECT table_name::text FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migration'
                ORDER BY table_name
                """).map { try $0.get("table_name", as: String.self) }
            let keys = Set(try await sql.rows("""
                SELECT k.table_name::text, k.column_name::text FROM information_schema.table_constraints c
                JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name
                WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema()
                """).map { "\(try $0.get("table_name", as: String.self)).\(try $0.get("column_name", as: String.self))" })
            let foreignKeys = try await sql.rows("""
                SELECT k.table_name::text, k.column_name::text, u.table_name::text AS target_table, u.column_name::text AS target_column
                FROM information_schema.table_constraints c
                JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name
                JOIN information_schema.constraint_column_usage u ON u.constraint_schema = c.constraint_schema AND u.constraint_name = c.constraint_name
                WHERE c.constraint_type = 'FOREIGN KEY' AND c.table_schema = current_schema()
                ORDER BY k.table_name, k.column_name
                """)
            let columns = try await sql.rows("""
                SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns
                WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
                """)
            return try tables.map { table in
                TableSchema(
                    name: table,
                    columns: try columns.filter { try $0.get("table_name", as: String.self) == table }.map { row in
                        let name: String = try row.get("column_name")
                        return TableSchema.Column(name: name, type: try row.get("data_type"), primaryKey: keys.contains("\(table).\(name)"),
                                                  notNull: try row.get("is_nullable", as: String.self) == "NO")
                    },
                    foreignKeys: try foreignKeys.filter { try $0.get("table_name", as: String.self) == table }.map { row in
                        TableSchema.ForeignKey(column: try row.get("column_name"), table: try row.get("target_table"),
                                               targetColumn: try row.get("target_column"))
                    })
            }
        }
    }
}

/// A deadlock or serialisation failure: the transaction may simply run again.
struct RetryableConflict: Error, CustomStringConvertible {
    var description: String { "PostgreSQL: the transaction kept conflicting with others (deadlock or serialisation failure)" }
}

/// A database failure with no meaning for central (connection lost, bad SQL…),
/// described with the server's message rather than PSQLError's redacted text.
public struct PostgresStoreError: Error, CustomStringConvertible {
    public var underlying: PSQLError
    public var description: String {
        if let info = underlying.serverInfo, let message = info[.message] {
            return "PostgreSQL: \(message)\(info[.sqlState].map { " (\($0))" } ?? "")"
        }
        return "PostgreSQL: \(String(reflecting: underlying))"
    }
}
