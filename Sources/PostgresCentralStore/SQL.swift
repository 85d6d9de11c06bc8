import CentralModel
import PostgresNIO

/// A value bound to a `$n` placeholder. Our SQL numbers its parameters itself
/// (`$1` may appear twice), which PostgresQuery's interpolation cannot do.
protocol SQLArgument: Sendable {
    func bind(to bindings: inout PostgresBindings)
}

extension Int64: SQLArgument {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
}
extension Int: SQLArgument {
    func bind(to bindings: inout PostgresBindings) { bindings.append(Int64(self)) }
}
extension String: SQLArgument {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
}
extension Bool: SQLArgument {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
}
extension Array: SQLArgument where Element: SQLArgument & PostgresArrayEncodable & PostgresNonThrowingEncodable {
    func bind(to bindings: inout PostgresBindings) { bindings.append(self) }
}
extension Optional: SQLArgument where Wrapped: SQLArgument {
    func bind(to bindings: inout PostgresBindings) {
        if let value = self { value.bind(to: &bindings) } else { bindings.appendNull() }
    }
}

/// A row read by column name.
struct SQLRow {
    let raw: PostgresRandomAccessRow

    func get<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try raw[column].decode(T.self)
    }
}

/// One leased connection, inside a transaction or not. Not Sendable: it lives
/// within one `read`/`write` closure, like the connection it wraps.
final class SQL {
    let connection: PostgresConnection
    let logger: Logger
    /// Change numbers reserved by this transaction and not used yet.
    private var nextChange: Int64 = 1
    private var lastChange: Int64 = 0

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    static func query(_ sql: String, _ arguments: [any SQLArgument]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments { argument.bind(to: &bindings) }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    func rows(_ sql: String, _ arguments: any SQLArgument...) async throws -> [SQLRow] {
        try await rows(sql, arguments: arguments)
    }

    func rows(_ sql: String, arguments: [any SQLArgument]) async throws -> [SQLRow] {
        let sequence = try await connection.query(Self.query(sql, arguments), logger: logger)
        var result: [SQLRow] = []
        for try await row in sequence { result.append(SQLRow(raw: row.makeRandomAccess())) }
        return result
    }

    func row(_ sql: String, _ arguments: any SQLArgument...) async throws -> SQLRow? {
        try await rows(sql, arguments: arguments).first
    }

    /// The first column of the first row (nil when no row, or NULL).
    func scalar<T: PostgresDecodable>(_ type: T.Type, _ sql: String, _ arguments: any SQLArgument...) async throws -> T? {
        guard let row = try await rows(sql, arguments: arguments).first else { return nil }
        let cell = row.raw[0]
        return cell.bytes == nil ? nil : try cell.decode(T.self)
    }

    func execute(_ sql: String, _ arguments: any SQLArgument...) async throws {
        try await execute(sql, arguments: arguments)
    }

    func execute(_ sql: String, arguments: [any SQLArgument]) async throws {
        let sequence = try await connection.query(Self.query(sql, arguments), logger: logger)
        for try await _ in sequence {}
    }

    // MARK: Change numbers

    /// Makes sure `needed` consecutive change numbers are at hand (reserving at
    /// least `batch`). The first call locks the counter row until commit: change
    /// numbers become visible in the order they are handed out, so a reader's
    /// cursor never passes a row that commits later
    /// (docs/adr/0010-postgres-concurrency.md). Numbers left unused are gaps,
    /// which cursors do not mind.
    func reserve(_ needed: Int, batch: Int = 1) async throws {
        let needed = Int64(max(1, needed))
        guard lastChange - nextChange + 1 < needed else { return }
        let count = max(needed, Int64(batch))
        guard let last = try await scalar(Int64.self, "UPDATE change_counter SET value = value + $1 WHERE id = 1 RETURNING value", count) else {
            throw CentralError(.notFound, "the change counter is missing: run caisse-central migrate")
        }
        lastChange = last
        nextChange = last - count + 1
    }

    /// The next change number; reserves `batch` at a time to save round trips.
    func change(reserving batch: Int = 16) async throws -> Int64 {
        try await reserve(1, batch: batch)
        defer { nextChange += 1 }
        return nextChange
    }

    /// Whether this transaction took the counter already (its lock is held until commit).
    var holdsChangeCounter: Bool { lastChange > 0 }

    /// `count` consecutive change numbers; returns the first.
    func changes(_ count: Int) async throws -> Int64 {
        try await reserve(count)
        let first = nextChange
        nextChange += Int64(max(1, count))
        return first
    }
}

/// Data-modifying statements sent as one (`WITH s0 AS (…), s1 AS (…) SELECT 1`): one round trip
/// where there were several. Ingest runs its writes that need change numbers so, while it holds
/// the change counter's lock: that lock serialises every writer, and each round trip held inside
/// it was the fleet's bottleneck (issue 26). The statements must touch different rows (PostgreSQL
/// runs them against one snapshot, in no set order).
struct StatementBatch {
    private(set) var statements: [String] = []
    private(set) var arguments: [any SQLArgument] = []
    /// The batch takes `count` change numbers itself: its first statement is the counter's
    /// `UPDATE`, named `counter` (its `base` + 1… are this batch's), so that taking the
    /// counter's lock and the writes that need it are one round trip (issue 26).
    private var takesChangeNumbers = false

    init() {}

    /// A batch whose statements may number rows `(SELECT base FROM counter) + 1`, `+ 2`…
    /// up to `count`. The query reads `counter`, so PostgreSQL runs its `UPDATE` before the
    /// other statements, which it runs to completion after the query: the counter's row is
    /// locked first, as by every writer (ADR 0010), and no two writers wait on each other.
    init(takingChangeNumbers count: Int) {
        add("UPDATE change_counter SET value = value + $1 WHERE id = 1 RETURNING value - $1 AS base", arguments: [Int64(max(1, count))])
        takesChangeNumbers = true
    }

    var isEmpty: Bool { statements.isEmpty }

    /// A statement numbered from `$1`, renumbered after the ones already added.
    mutating func add(_ sql: String, arguments added: [any SQLArgument]) {
        let offset = arguments.count
        var out = ""
        var digits = ""
        var inPlaceholder = false
        func flush() {
            if inPlaceholder { out += "$" + String((Int(digits) ?? 0) + offset) }
            digits = ""
            inPlaceholder = false
        }
        for c in sql {
            if inPlaceholder, c.isASCII, c.isNumber { digits.append(c); continue }
            flush()
            if c == "$" { inPlaceholder = true } else { out.append(c) }
        }
        flush()
        statements.append(out)
        arguments += added
    }

    var text: String {
        if takesChangeNumbers {
            let rest = statements.dropFirst().enumerated().map { "s\($0.offset) AS (\($0.element))" }
            return "WITH " + (["counter AS (\(statements[0]))"] + rest).joined(separator: ", ") + " SELECT base FROM counter"
        }
        return statements.count == 1 ? statements[0]
            : "WITH " + statements.enumerated().map { "s\($0.offset) AS (\($0.element))" }.joined(separator: ", ") + " SELECT 1"
    }
}

extension SQL {
    func execute(_ batch: StatementBatch) async throws {
        guard !batch.isEmpty else { return }
        try await execute(batch.text, arguments: batch.arguments)
    }
}
