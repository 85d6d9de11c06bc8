import CentralStore
import Foundation
import Synchronization
import Testing
@testable import PostgresCentralStore

/// Where the PostgreSQL tests run: a server named by $CAISSE_TEST_POSTGRES_URL
/// (scripts/pg-cluster makes one). Each test gets its own database, dropped
/// when the test ends (the `.postgresDatabases` trait).
enum PostgresTestEnvironment {
    static let url: PostgresURL? = {
        guard let text = ProcessInfo.processInfo.environment["CAISSE_TEST_POSTGRES_URL"], !text.isEmpty else { return nil }
        return try? PostgresURL(text)
    }()

    /// CI must run them: there a missing server fails the tests instead of skipping them.
    static let required = ProcessInfo.processInfo.environment["CI"] == "true"

    static var enabled: Bool { url != nil || required }

    /// Creates and drops the test databases (never shut down: it lives as long as the test process).
    static let admin: PostgresCentralStore? = url.map { PostgresCentralStore(url: $0, maximumConnections: 4) }

    /// A new, empty, migrated database and a store over it.
    static func freshStore() async throws -> PostgresCentralStore {
        let url = try await freshDatabase()
        let store = PostgresCentralStore(url: url, maximumConnections: 8)
        TestDatabases.current?.adopt(store)
        try await store.migrate()
        return store
    }

    /// A new, empty database (dropped at the end of the test); open stores on it with `instance(on:)`.
    static func freshDatabase() async throws -> PostgresURL {
        guard let url, let admin else {
            throw CentralError(.invalid, "CAISSE_TEST_POSTGRES_URL is not set or not a postgres:// URL (CI=true requires PostgreSQL)")
        }
        let name = "caisse_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        try await admin.read { sql in try await sql.execute("CREATE DATABASE \(name)") }
        TestDatabases.current?.adopt(database: name)
        return url.with(database: name)
    }

    /// Another central instance over the same database (its own connection pool).
    static func instance(on url: PostgresURL) -> PostgresCentralStore {
        let store = PostgresCentralStore(url: url, maximumConnections: 8)
        TestDatabases.current?.adopt(store)
        return store
    }

    static func drop(database name: String) async {
        _ = try? await admin?.read { sql in try await sql.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    }
}

/// The stores and databases a test made, cleaned up when its scope ends.
final class TestDatabases: Sendable {
    @TaskLocal static var current: TestDatabases?

    private let made = Mutex<(stores: [PostgresCentralStore], databases: [String])>(([], []))

    func adopt(_ store: PostgresCentralStore) { made.withLock { $0.stores.append(store) } }
    func adopt(database name: String) { made.withLock { $0.databases.append(name) } }

    func cleanUp() async {
        let (stores, databases) = made.withLock { made in
            defer { made = ([], []) }
            return (made.stores, made.databases)
        }
        for store in stores { await store.shutdown() }
        for name in databases { await PostgresTestEnvironment.drop(database: name) }
    }
}

/// Gives each test (each case of a parameterised test) its own `TestDatabases`.
struct PostgresDatabasesTrait: TestTrait, SuiteTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let databases = TestDatabases()
        do {
            try await TestDatabases.$current.withValue(databases) { try await function() }
        } catch {
            await databases.cleanUp()
            throw error
        }
        await databases.cleanUp()
    }
}

extension Trait where Self == PostgresDatabasesTrait {
    /// Drops the PostgreSQL databases a test made when it ends.
    static var postgresDatabases: Self { Self() }
}
