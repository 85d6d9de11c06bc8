import CaisseAPI
import CaisseCore
import GRDB

extension RegisterStore {
    /// Appends an event to the outbox inside the caller's transaction. The
    /// sequence is the last one + 1: writes are serialised, so there are no gaps,
    /// and a rolled-back transaction takes its number with it.
    /// The document is written in the version tills write today (ADR 0022).
    func appendEvent(_ db: Database, registerId: String, id: String, createdAt: Int64, _ document: JournalDocument) throws -> SyncEvent {
        let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM outbox ORDER BY sequence DESC LIMIT 1")
        let sequence: Int64 = (last?["sequence"] ?? 0) + 1
        let previousHash: String = last?["hash"] ?? HashChain.genesis
        let event = SyncEvent(registerId: registerId, sequence: sequence, id: id, type: document.eventType, createdAt: createdAt,
                              payload: try document.payload(), previousHash: previousHash)
        try db.execute(sql: """
            INSERT INTO outbox(sequence, id, type, created_at, payload, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [event.sequence, event.id, event.type.rawValue, event.createdAt, event.payload, event.previousHash, event.hash])
        return event
    }

    static func event(_ row: Row, registerId: String) throws -> SyncEvent {
        guard let type = EventType(rawValue: row["type"]) else {
            throw StoreError("journal event \(row["sequence"] as Int64) has an unknown type '\(row["type"] as String)'")
        }
        var event = SyncEvent(registerId: registerId, sequence: row["sequence"], id: row["id"], type: type,
                              createdAt: row["created_at"], payload: row["payload"], previousHash: row["previous_hash"])
        // Keep the stored hash: verification compares it with the recomputed one.
        event.hash = row["hash"]
        return event
    }

    /// Events not yet acknowledged by central, oldest first.
    public func pendingEvents(limit: Int = 500) throws -> [SyncEvent] {
        try writer.read { db in
            let registerId = try identity(db).registerId
            return try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE delivered = 0 ORDER BY sequence LIMIT ?", arguments: [limit])
                .map { try Self.event($0, registerId: registerId) }
        }
    }

    public func pendingCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE delivered = 0") ?? 0 }
    }

    /// Central acknowledged every event up to `sequence`.
    public func markDelivered(upTo sequence: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE outbox SET delivered = 1 WHERE sequence <= ? AND delivered = 0", arguments: [sequence])
        }
    }

    /// The last event central acknowledged (0 when none).
    public func deliveredThrough() throws -> Int64 {
        try writer.read { db in try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM outbox WHERE delivered = 1") ?? 0 }
    }

    /// Central was restored to a point before events it had acknowledged (issue 23):
    /// they are sent again from its mark, its stock is taken anew from the next pull
    /// (cursor 0), and until then this till counts its own events after that mark.
    public func centralRestored(appliedThrough mark: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE outbox SET delivered = 0 WHERE sequence > ?", arguments: [mark])
            try set(db, Settings.pullCursor, 0)
            try set(db, Settings.stockCursor, 0)
            try set(db, Settings.appliedMark, mark)
        }
    }

    /// Central lost events it had acknowledged (a restored backup): send them again.
    public func markUndelivered(from sequence: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE outbox SET delivered = 0 WHERE sequence >= ?", arguments: [sequence])
        }
    }

    /// All journal events in order (audits, tests).
    public func journal() throws -> [SyncEvent] {
        try writer.read { db in
            let registerId = try identity(db).registerId
            return try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY sequence").map { try Self.event($0, registerId: registerId) }
        }
    }

    /// Re-verifies the whole local journal: sequences from 1 without gaps, each
    /// event's hash matching its bytes, each event chained to the one before.
    public func verifyJournal() throws {
        let events = try journal()
        do { try HashChain.verify(events) } catch {
            throw StoreError("the local journal is broken: \(error)")
        }
    }
}
