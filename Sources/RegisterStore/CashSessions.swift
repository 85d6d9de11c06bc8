import CaisseAPI
import CaisseCore
import Foundation
import GRDB

extension RegisterStore {
    /// Opens the drawer with `float` in it. Refuses a negative float, an unknown
    /// or deactivated user, and a second open session (checked here for the
    /// message, and by a unique index for any other writer).
    @discardableResult
    public func openCashSession(float: Money, by userId: Int64, at time: Int64? = nil) throws -> CashSession {
        try writer.write { db in
            let me = try identity(db)
            try requireActiveUser(db, id: userId)
            if let open = try openSession(db, me) {
                throw DomainError(.invalidTransition, "a cash session is already open (opened by user \(open.openedBy)); close it first")
            }
            let session = try CashSession.open(id: UUID().uuidString.lowercased(), registerId: me.registerId, storeId: me.store.id,
                                               at: time ?? Self.now(), by: userId, float: float)
            // Opening is not journaled: the close carries the whole session.
            let openingSequence = try Int64.fetchOne(db, sql: "SELECT coalesce(max(sequence), 0) FROM outbox") ?? 0
            try db.execute(sql: """
                INSERT INTO cash_session(id, opened_at, opened_by, float_cents, opening_sequence) VALUES (?, ?, ?, ?, ?)
                """, arguments: [session.id, session.openedAt, session.openedBy, session.float.cents, openingSequence])
            return session
        }
    }

    /// The open session of this register, if any.
    public func currentCashSession() throws -> CashSession? {
        try writer.read { db in try openSession(db, try identity(db)) }
    }

    /// The X report of the open session: what it holds so far. Nil when no session is open.
    public func cashReport() throws -> CashReport? {
        try writer.read { db in
            let me = try identity(db)
            guard let session = try openSession(db, me), let since = try openingSequence(db, sessionId: session.id) else { return nil }
            return try report(db, session: session, after: since)
        }
    }

    /// Closes the open session with the cash counted in the drawer: marks it
    /// closed and journals a `cash_session_close` event with the Z report, in
    /// one transaction. Refuses when no session is open or the count is negative.
    public func closeCashSession(counted: Money, by userId: Int64, at time: Int64? = nil) throws -> (session: CashSession, report: CashReport) {
        try writer.write { db in
            let me = try identity(db)
            try requireActiveUser(db, id: userId)
            guard let open = try openSession(db, me), let since = try openingSequence(db, sessionId: open.id) else {
                throw DomainError(.invalidTransition, "no cash session is open; open one with a float first")
            }
            let closedAt = time ?? Self.now()
            let session = try open.closed(at: closedAt, by: userId, counted: counted)
            // The report is computed before the close event is appended, inside the
            // same transaction: no sale can slip between the report and the close.
            let report = try report(db, session: session, after: since)
            let payload = CashSessionClosing(session: session, report: report, counted: counted)
            let event = try appendEvent(db, registerId: me.registerId, id: session.id, createdAt: closedAt, .cashSessionClose(payload))
            try db.execute(sql: """
                UPDATE cash_session SET closed_at = ?, closed_by = ?, counted_cents = ?, close_sequence = ?
                WHERE id = ? AND closed_at IS NULL
                """, arguments: [closedAt, userId, counted.cents, event.sequence, session.id])
            guard db.changesCount == 1 else { throw StoreError("cash session \(session.id) could not be closed") }
            return (session, report)
        }
    }

    // MARK: - Helpers

    func openSession(_ db: Database, _ me: RegisterIdentity) throws -> CashSession? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM cash_session WHERE closed_at IS NULL") else { return nil }
        return CashSession(id: row["id"], registerId: me.registerId, storeId: me.store.id, openedAt: row["opened_at"],
                           openedBy: row["opened_by"], float: Money(cents: row["float_cents"]))
    }

    func openingSequence(_ db: Database, sessionId: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT opening_sequence FROM cash_session WHERE id = ?", arguments: [sessionId])
    }

    /// Sums the sales and returns journaled after `sequence`, decoded from the
    /// outbox payloads: the authoritative copy, exactly as receipts printed them.
    func report(_ db: Database, session: CashSession, after sequence: Int64) throws -> CashReport {
        var sales: [Sale] = []
        var returns: [SaleReturn] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT type, payload FROM outbox WHERE sequence > ? AND type IN (?, ?) ORDER BY sequence",
                                       arguments: [sequence, EventType.sale.rawValue, EventType.return.rawValue])
        while let row = try rows.next() {
            let payload: String = row["payload"]
            if (row["type"] as String) == EventType.sale.rawValue {
                sales.append(try JournalDocument.sale(payload: payload))
            } else {
                returns.append(try JournalDocument.saleReturn(payload: payload))
            }
        }
        let noSales = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE sequence > ? AND type = ?",
                                       arguments: [sequence, EventType.noSale.rawValue]) ?? 0
        return CashReport(session: session, sales: sales, returns: returns, noSaleCount: noSales)
    }

    /// Opens the drawer with no sale (issue 29): only with a drawer open, on an active manager's
    /// word (the screen checked their PIN), journaled so that central and the Z report count it.
    public func recordNoSale(by cashierId: Int64, approvedBy managerId: Int64, at time: Int64? = nil) throws -> NoSalePayload {
        try writer.write { db in
            let me = try identity(db)
            try requireActiveUser(db, id: cashierId)
            guard let session = try openSession(db, me) else {
                throw DomainError(.invalidTransition, "no cash session is open; open one with a float first")
            }
            guard let manager = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [managerId]).map(Self.user),
                  manager.active, manager.role.allows(.manager), manager.role != .admin, manager.storeId == me.store.id else {
                throw StoreError(.noSaleNeedsAManager)
            }
            let at = time ?? Self.now()
            let payload = NoSalePayload(id: UUID().uuidString.lowercased(), storeId: me.store.id, registerId: me.registerId,
                                        sessionId: session.id, cashierId: cashierId, approvedBy: manager.id, createdAt: at)
            _ = try appendEvent(db, registerId: me.registerId, id: payload.id, createdAt: at, .noSale(payload))
            return payload
        }
    }
}
