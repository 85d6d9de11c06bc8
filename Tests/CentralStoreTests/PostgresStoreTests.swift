import Foundation
import Testing
@testable import CentralStore
@testable import PostgresCentralStore

@Suite("PostgreSQL store")
struct PostgresStoreTests {
    @Test func urlsAreParsedAsLibpqWritesThem() throws {
        let url = try PostgresURL("postgres://caisse:s%3Acret@db.local:6543/central?sslmode=require")
        #expect(url.user == "caisse" && url.password == "s:cret" && url.host == "db.local" && url.port == 6543)
        #expect(url.database == "central" && url.sslMode == .require)
        #expect(url.description == "postgres://caisse@db.local:6543/central")   // never the password
        let short = try PostgresURL("postgresql://postgres@127.0.0.1/")
        #expect(short.port == 5432 && short.database == "postgres" && short.sslMode == .prefer)
        #expect(throws: CentralError.self) { try PostgresURL("central.sqlite") }
        #expect(throws: CentralError.self) { try PostgresURL("postgres://h/db?sslmode=maybe") }
    }

    /// `caisse-central schema` on PostgreSQL: the same tables, columns and keys as SQLite's.
    @Test(.postgresDatabases, .enabled(if: PostgresTestEnvironment.enabled, "CAISSE_TEST_POSTGRES_URL is not set"))
    func migrationsAreIdempotentAndTheSchemaMatchesSQLite() async throws {
        let postgres = try await PostgresTestEnvironment.freshStore()
        try await postgres.migrate()   // a second instance starting: nothing to do
        let sqlite = try SQLiteCentralStore(path: try temporaryFolder().appendingPathComponent("central.sqlite").path)
        try await sqlite.migrate()
        func shape(_ tables: [TableSchema]) -> [String: [String]] {
            Dictionary(uniqueKeysWithValues: tables.map { table in
                (table.name, table.columns.map { "\($0.name)\($0.primaryKey ? " PK" : "")\($0.notNull ? "" : " NULL")" }
                    + table.foreignKeys.map { "\($0.column) -> \($0.table).\($0.targetColumn)" }.sorted())
            })
        }
        let pg = shape(try await postgres.schema())
        let lite = shape(try await sqlite.schema())
        #expect(pg.keys.sorted() == lite.keys.sorted())
        for name in lite.keys.sorted() {
            // SQLite reports INTEGER PRIMARY KEY columns as nullable; PostgreSQL's keys never are.
            let normalised = lite[name]?.map { $0.hasSuffix(" PK NULL") ? String($0.dropLast(5)) : $0 }
            #expect(pg[name] == normalised, "table \(name)")
        }
        #expect(MermaidER.render(try await postgres.schema()).contains("location ||--o{ stock : \"location_id\""))
    }
}
