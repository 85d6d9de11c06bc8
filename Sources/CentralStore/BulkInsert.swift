import GRDB
import GRDBSQLite

/// Multi-row INSERTs for ingest, with values bound through SQLite's C API.
/// GRDB's `StatementArguments` box every value in an existential and copy it
/// twice; on the ingest path that was a fifth of the write transaction's CPU
/// (perf, ADR 0012). Statements are still prepared and cached by GRDB.
struct RowBinder {
    fileprivate let statement: SQLiteStatement
    fileprivate var index: CInt = 1

    mutating func int(_ value: Int64) {
        sqlite3_bind_int64(statement, index, value)
        index += 1
    }

    mutating func int(_ value: Int) { int(Int64(value)) }

    mutating func int(_ value: Int64?) {
        if let value { int(value) } else { null() }
    }

    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            // SQLITE_TRANSIENT: SQLite copies the bytes before this returns.
            if let base = bytes.baseAddress {
                _ = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { sqlite3_bind_text(statement, index, $0, CInt(bytes.count), transient) }
            } else {
                _ = sqlite3_bind_text(statement, index, "", 0, transient)
            }
        }
        index += 1
    }

    mutating func text(_ value: String?) {
        if let value { text(value) } else { null() }
    }

    mutating func null() {
        sqlite3_bind_null(statement, index)
        index += 1
    }
}

private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension SQLiteCentralStore {
    /// `INSERT INTO <table> VALUES (…), (…)… <suffix>` in statements of up to
    /// 100 rows of `width` values; `bind` binds one row's values in order.
    static func insertRows<Rows: Collection>(_ db: Database, into table: String, width: Int, _ rows: Rows, suffix: String = "",
                                             bind: (inout RowBinder, Rows.Element) -> Void) throws {
        let chunk = 100
        let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        var start = rows.startIndex
        while start != rows.endIndex {
            let end = rows.index(start, offsetBy: chunk, limitedBy: rows.endIndex) ?? rows.endIndex
            let slice = rows[start..<end]
            let sql = "INSERT INTO \(table) VALUES " + Array(repeating: tuple, count: slice.count).joined(separator: ", ") + " " + suffix
            // Full chunks reuse one prepared statement; the last, shorter one is prepared once.
            let statement = slice.count == chunk ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
            var binder = RowBinder(statement: statement.sqliteStatement)
            for row in slice { bind(&binder, row) }
            guard binder.index - 1 == CInt(width * slice.count) else {
                throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "bound \(binder.index - 1) values for \(width * slice.count) placeholders", sql: sql)
            }
            let step = sqlite3_step(statement.sqliteStatement)
            let reset = sqlite3_reset(statement.sqliteStatement)
            guard step == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: reset != SQLITE_OK ? reset : step),
                                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
            }
            start = end
        }
    }
}
