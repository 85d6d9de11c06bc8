import CaisseAPI
import CaisseCore
import Foundation
import GRDB

extension SQLiteCentralStore {
    /// Applies a register's batch in one transaction: journal, sales and returns,
    /// ledger, restock events, and the new high-water mark. Writes are serialised
    /// by SQLite, so concurrent pushes from several registers never lose a movement.
    public func ingest(registerId: String, events: [SyncEvent]) async throws -> IngestOutcome {
        let (register, store) = try readNow { db -> (RegisterRecord, Location) in
            guard let register = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM register WHERE id = ?"), arguments: [registerId]).map(Self.register) else {
                throw CentralError(.notFound, "unknown register \(registerId)")
            }
            try register.requireActive()
            guard let store = try Self.location(db, id: register.storeId) else { throw CentralError(.notFound, "unknown store \(register.storeId)") }
            return (register, store)
        }
        // Decoded and hashed before the write, so that batches of several
        // registers decode in parallel (a register's store never changes).
        do {
            let batch = try DecodedBatch(register: register, store: store, events: events)
            return try await batch.applyKeepingEveryEvent({ try await groupCommit.apply($0) }, isContentFault: Self.isContentFault)
        } catch let error as CentralError where error.flagsRegister {
            // Flag for audit in its own transaction: the batch itself was refused whole.
            try await writer.write { db in
                try db.execute(sql: "UPDATE register SET audit_flag = ? WHERE id = ?", arguments: [error.message, registerId])
            }
            throw error
        }
    }

    /// What SQLite refuses because of what a push holds, not because of central's own state (issue 23).
    static func isContentFault(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return [.SQLITE_CONSTRAINT, .SQLITE_MISMATCH, .SQLITE_TOOBIG, .SQLITE_RANGE].contains(error.resultCode)
            || (error.resultCode == .SQLITE_ERROR && (error.message ?? "").contains("overflow"))
    }

    /// Ingest's steps (CentralModel's `IngestSteps`, written once), answered with SQLite's SQL.
    static func ingest(_ db: Database, batch: DecodedBatch) throws -> IngestOutcome {
        let registerId = batch.registerId
        let started = try IngestSteps.start(batch, locked: try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM register WHERE id = ?"),
                                                                            arguments: [registerId]).map(Self.register))
        var stored: [Int64: String] = [:]
        if !started.duplicateSequences.isEmpty {
            for row in try Row.fetchAll(db, sql: "SELECT sequence, hash FROM event WHERE register_id = ? AND sequence IN (SELECT value FROM json_each(?))",
                                        arguments: [registerId, try WireJSON.string(started.duplicateSequences)]) {
                stored[row["sequence"]] = row["hash"]
            }
        }
        switch try started.checked(storedHashes: stored) {
        case .finished(let outcome): return outcome
        case .judge(let judging):
            var facts = try facts(db, judging.factsNeeded, storeId: judging.storeId)
            facts.clockMark = try Int64.fetchOne(db.cachedStatement(sql: "SELECT clock_mark FROM register WHERE id = ?"), arguments: [registerId]) ?? 0
            let write = try judging.judged(facts: facts, at: Self.now())
            // Multi-row statements: a batch of 100 sales is a dozen statements, not
            // two thousand (each statement costs more in bindings than SQLite's work).
            try insertRows(db, into: "event(register_id, sequence, id, type, created_at, payload, previous_hash, hash, received_at)", width: 9,
                           write.events) { row, e in
                row.text(registerId); row.int(e.sequence); row.text(e.id); row.text(e.type.rawValue); row.int(e.createdAt)
                row.text(e.payload); row.text(e.previousHash); row.text(e.hash); row.int(write.receivedAt)
            }
            try writeEffects(db, write.plan, registerId: registerId, storeId: write.storeId, at: write.receivedAt)
            try db.execute(sql: "UPDATE register SET applied_through = ?, last_hash = ?, clock_mark = ? WHERE id = ?",
                           arguments: [write.through, write.lastHash, write.clockMark, registerId])
            return write.outcome
        }
    }

    /// What a judged plan does to the books (the events themselves are written by the caller):
    /// at ingest, and when head office applies a quarantined event.
    static func writeEffects(_ db: Database, _ plan: IngestPlan, registerId: String, storeId: Int64, at now: Int64) throws {
        try insertRows(db, into: "document(id, kind, receipt_number, store_id, register_id, event_sequence, created_at, day, items, subtotal_cents, tax_cents, total_cents, original_id)",
                       width: 13, plan.documents) { row, d in
            row.text(d.id); row.text(d.kind.rawValue); row.text(d.receiptNumber); row.int(d.storeId); row.text(d.registerId)
            row.int(d.eventSequence); row.int(d.createdAt); row.int(Int64(d.day.number)); row.int(d.items)
            row.int(d.subtotal.cents); row.int(d.tax.cents); row.int(d.total.cents); row.text(d.originalId)
        }
        try insertRows(db, into: "document_line(document_id, line_no, product_id, sku, name, quantity, amount_cents)", width: 7,
                       plan.documents.flatMap { d in d.lines.map { (d.id, $0) } }) { row, item in
            let (documentId, l) = item
            row.text(documentId); row.int(l.lineNo); row.int(l.productId); row.text(l.sku); row.text(l.name); row.int(l.quantity)
            row.int(l.amount.cents)
        }
        try insertRows(db, into: "document_discount(document_id, line_no, position, kind, reason, promotion_id, label, cashier_id, approved_by, amount_cents)",
                       width: 10, plan.documents.flatMap { d in d.discounts.map { (d.id, $0) } }) { row, item in
            let (documentId, x) = item
            row.text(documentId); row.int(x.lineNo); row.int(x.position); row.text(x.kind.rawValue); row.text(x.reason)
            row.int(x.promotionId); row.text(x.label); row.int(x.cashierId); row.int(x.approvedBy); row.int(x.amount.cents)
        }
        try write(db, lossLines: plan.lossLines)
        try apply(db, movements: plan.movements.map { ($0.movement, $0.sequence) }, registerId: registerId, at: now)
        try write(db, transfers: plan.transferWrites, at: now)
        try write(db, aggregatesOf: plan.documents)
        for (_, r) in plan.restockRequests {
            // Idempotent by id: the same request could also have been made through the API.
            try db.execute(sql: """
                INSERT INTO restock_request(id, store_id, product_id, quantity, state, note, created_at, updated_at, change_seq)
                VALUES (?, ?, ?, ?, 'requested', ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING
                """, arguments: [r.requestId, r.storeId, r.productId, r.quantity, r.note, now, now, try nextChanges(db)])
        }
        for (sequence, receipt) in plan.restockReceipts {
            _ = try transition(db, id: receipt.requestId, action: .receive, at: now, registerId: registerId, sequence: sequence,
                               expectedStore: storeId)
        }
        for o in plan.orderWrites {
            try db.execute(sql: "UPDATE online_order SET state = ?, sale_id = ?, updated_at = ?, change_seq = ? WHERE id = ?",
                           arguments: [o.state.rawValue, o.saleId, o.updatedAt, try nextChanges(db), o.id])
        }
        for l in plan.loyalty {
            // Once per sale and per return (a unique index): a sale applied again by head office credits nothing twice.
            try db.execute(sql: """
                INSERT INTO loyalty_entry(customer_id, kind, points, reference, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """, arguments: [l.customerId, l.kind.rawValue, l.points, l.reference, l.createdAt])
        }
        for h in plan.redeemedHolds {
            // Still held: a hold is redeemed once, by the first sale that names it.
            try db.execute(sql: "UPDATE loyalty_entry SET kind = ?, points = ?, reason = ? WHERE id = ? AND kind = 'held'",
                           arguments: [h.kind.rawValue, h.points, h.reason, h.id])
        }
        for x in plan.exceptions {
            try db.execute(sql: """
                INSERT INTO central_exception(kind, store_id, register_id, event_sequence, reference, detail, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [x.kind.rawValue, x.storeId, x.registerId, x.sequence, x.reference, x.detail, now])
        }
    }

    /// Head office applies a quarantined event (issue 23): judged again as central stands
    /// now, dated as decided, and written as ingest would have; refused if it still breaks a rule.
    static func applyQuarantined(_ db: Database, registerId: String, sequence: Int64, dating: Int64?, at now: Int64) throws {
        let register = try Row.fetchOne(db, sql: "SELECT * FROM register WHERE id = ?", arguments: [registerId]).map(Self.register)
        let replaying = try IngestSteps.replay(register: register, store: try register.flatMap { try location(db, id: $0.storeId) },
                                               stored: try Row.fetchOne(db, sql: "SELECT * FROM event WHERE register_id = ? AND sequence = ?",
                                                                        arguments: [registerId, sequence]).map { storedEvent($0, registerId: registerId) },
                                               sequence: sequence, dating: dating)
        let plan = try replaying.judged(facts: try facts(db, replaying.factsNeeded, storeId: replaying.storeId))
        try writeEffects(db, plan, registerId: registerId, storeId: replaying.storeId, at: now)
    }

    static func storedEvent(_ row: Row, registerId: String) -> SyncEvent {
        var event = SyncEvent(registerId: registerId, sequence: row["sequence"], id: row["id"], type: EventType(rawValue: row["type"]) ?? .sale,
                              createdAt: row["created_at"], payload: row["payload"], previousHash: row["previous_hash"])
        event.hash = row["hash"]
        return event
    }

    /// What central's state says about what the plan refers to (ADR 0013).
    static func facts(_ db: Database, _ needed: FactsNeeded, storeId: Int64) throws -> IngestFacts {
        var facts = IngestFacts()
        if !needed.documentIds.isEmpty {
            facts.takenDocumentIds = Set(try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM document WHERE id IN (SELECT value FROM json_each(?))"),
                                                             arguments: [try WireJSON.string(needed.documentIds)]))
        }
        let productIds = try WireJSON.string(needed.productIds)
        for row in try Row.fetchAll(db, sql: "SELECT id, active, price_cents, cost_cents, sku, name FROM product WHERE id IN (SELECT value FROM json_each(?))",
                                    arguments: [productIds]) {
            facts.products[row["id"]] = .init(active: row["active"], price: Money(cents: row["price_cents"]),
                                              cost: (row["cost_cents"] as Int64?).map(Money.init(cents:)), sku: row["sku"], name: row["name"])
        }
        if !needed.transferIds.isEmpty {
            for t in try Row.fetchAll(db, sql: "SELECT * FROM stock_transfer WHERE id IN (SELECT value FROM json_each(?))",
                                      arguments: [try WireJSON.string(needed.transferIds)]).map(transfer) {
                facts.transfers[t.id] = t
            }
            facts.stores = Set(try locations(db).filter(\.sells).map(\.id))
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, active, store_id, role FROM app_user WHERE id IN (SELECT value FROM json_each(?))",
                                    arguments: [try WireJSON.string(needed.userIds)]) {
            facts.users[row["id"]] = .init(active: row["active"], storeId: row["store_id"], role: Role(rawValue: row["role"]) ?? .cashier)
        }
        for request in try Row.fetchAll(db, sql: "SELECT * FROM restock_request WHERE id IN (SELECT value FROM json_each(?))",
                                        arguments: [try WireJSON.string(needed.restockIds)]).map(restock) {
            facts.restockRequests[request.id] = request
        }
        let stockProducts = needed.productIds + facts.restockRequests.values.map(\.productId)
        for row in try Row.fetchAll(db, sql: "SELECT product_id, on_hand FROM stock WHERE location_id = ? AND product_id IN (SELECT value FROM json_each(?))",
                                    arguments: [storeId, try WireJSON.string(stockProducts)]) {
            facts.onHand[row["product_id"]] = row["on_hand"]
        }
        if let store = try location(db, id: storeId) {
            facts.taxRates = try taxRules(db).first { $0.code == store.taxRule }?.rates ?? []
            facts.timeZone = TimeZone(identifier: store.timeZone) ?? facts.timeZone
        }
        for text in try String.fetchAll(db, sql: "SELECT definition FROM promotion WHERE id IN (SELECT value FROM json_each(?))",
                                        arguments: [try WireJSON.string(needed.promotionIds)]) {
            try facts.addPromotion(definition: text)
        }
        if let policy = try String.fetchOne(db, sql: "SELECT policy FROM store_setting WHERE store_id = ?", arguments: [storeId]) {
            facts.discountPolicy = try StoredForm.policy(policy)
        }
        if !needed.orderIds.isEmpty {
            for order in try orders(db, where: "id IN (SELECT value FROM json_each(?))", [try WireJSON.string(needed.orderIds)], at: facts.receivedAt) {
                facts.orders[order.id] = order
            }
        }
        if !needed.customerIds.isEmpty {
            facts.customersEarning = Set(try Int64.fetchAll(db, sql: """
                SELECT id FROM customer WHERE id IN (SELECT value FROM json_each(?)) AND erased_at IS NULL AND loyalty_consent_at IS NOT NULL
                """, arguments: [try WireJSON.string(needed.customerIds)]))
        }
        if !needed.holdIds.isEmpty {
            for row in try Row.fetchAll(db, sql: """
                SELECT * FROM loyalty_entry WHERE kind IN ('held', 'redeemed', 'released') AND reference IN (SELECT value FROM json_each(?))
                """, arguments: [try WireJSON.string(needed.holdIds)]) {
                let entry = Self.loyaltyEntry(row)
                if let reference = entry.reference { facts.holds[reference] = entry }
            }
        }
        if !needed.customerIds.isEmpty || !needed.originalSaleIds.isEmpty || !needed.holdIds.isEmpty {
            facts.loyaltyProgram = try loyaltyProgram(db)
        }
        if !needed.originalSaleIds.isEmpty {
            let ids = try WireJSON.string(needed.originalSaleIds)
            for row in try Row.fetchAll(db, sql: """
                SELECT reference, customer_id, points FROM loyalty_entry WHERE kind = 'earned' AND reference IN (SELECT value FROM json_each(?))
                """, arguments: [ids]) {
                facts.earnedBySale[row["reference"]] = LoyaltyEarned(customerId: row["customer_id"], points: row["points"])
            }
            for payload in try String.fetchAll(db, sql: """
                SELECT e.payload FROM document AS d JOIN event AS e ON e.register_id = d.register_id AND e.sequence = d.event_sequence
                WHERE d.kind = 'sale' AND d.id IN (SELECT value FROM json_each(?))
                """, arguments: [ids]) {
                try facts.addOriginalSale(payload: payload)
            }
            for payload in try String.fetchAll(db, sql: """
                SELECT e.payload FROM document AS d JOIN event AS e ON e.register_id = d.register_id AND e.sequence = d.event_sequence
                WHERE d.kind = 'return' AND d.original_id IN (SELECT value FROM json_each(?)) ORDER BY d.created_at
                """, arguments: [ids]) {
                try facts.addPriorReturn(payload: payload)
            }
        }
        return facts
    }

    /// What changed for the register's store since `since`, at most about `limit`
    /// rows, read in one transaction so the stock snapshot and the applied mark agree.
    public func changes(registerId: String, since: Int64, limit: Int, includeStock: Bool) async throws -> ChangeSet {
        // One snapshot: the stock rows and the applied mark must agree.
        return try readNow(consistent: true) { db in
            guard let register = try Row.fetchOne(db, sql: "SELECT * FROM register WHERE id = ?", arguments: [registerId]).map(Self.register) else {
                throw CentralError(.notFound, "unknown register \(registerId)")
            }
            let window = try ChangeFeedWindow(register: register, since: since, limit: limit,
                                              counter: try Int64.fetchOne(db, sql: "SELECT value FROM change_counter WHERE id = 1") ?? 0)
            let since = window.since
            let store = register.storeId
            let warehouse = try Int64.fetchOne(db, sql: "SELECT id FROM location WHERE kind = 'warehouse' ORDER BY id LIMIT 1") ?? -1
            let relevant = """
                SELECT change_seq AS seq FROM product WHERE change_seq > ?1
                UNION ALL SELECT change_seq FROM app_user WHERE change_seq > ?1 AND store_id = ?2 AND role <> 'admin'
                UNION ALL SELECT change_seq FROM restock_request WHERE store_id = ?2 AND change_seq > ?1
                \(includeStock ? """
                UNION ALL SELECT change_seq FROM stock WHERE location_id = ?2 AND change_seq > ?1
                UNION ALL SELECT change_seq FROM stock WHERE location_id = ?3 AND change_seq > ?1
                """ : "")
                UNION ALL SELECT change_seq FROM location WHERE change_seq > ?1
                UNION ALL SELECT change_seq FROM tax_rule WHERE change_seq > ?1
                UNION ALL SELECT change_seq FROM quick_key_set WHERE store_id = ?2 AND change_seq > ?1
                UNION ALL SELECT change_seq FROM promotion WHERE change_seq > ?1
                UNION ALL SELECT change_seq FROM store_setting WHERE store_id = ?2 AND change_seq > ?1
                UNION ALL SELECT change_seq FROM stock_transfer WHERE from_store_id = ?2 AND change_seq > ?1
                UNION ALL SELECT change_seq FROM stock_transfer WHERE to_store_id = ?2 AND change_seq > ?1
                UNION ALL SELECT change_seq FROM online_order WHERE store_id = ?2 AND change_seq > ?1
                UNION ALL SELECT change_seq FROM loyalty_program WHERE change_seq > ?1
                """
            let nth = try Int64.fetchOne(db, sql: "SELECT seq FROM (\(relevant)) ORDER BY seq LIMIT 1 OFFSET ?4",
                                         arguments: [since, store, warehouse, window.offset])
            let page = window.closed(nth: nth, anyAfterNth: try nth.map {
                try Int64.fetchOne(db, sql: "SELECT seq FROM (\(relevant)) WHERE seq > ?4 LIMIT 1", arguments: [since, store, warehouse, $0]) != nil
            } ?? false)
            let upper = page.upper
            let range: StatementArguments = [since, upper]
            let products = try Row.fetchAll(db, sql: "SELECT * FROM product WHERE change_seq > ? AND change_seq <= ? ORDER BY change_seq",
                                            arguments: range).map(Self.product)
            let users = try Row.fetchAll(db, sql: """
                SELECT * FROM app_user WHERE change_seq > ? AND change_seq <= ? AND store_id = ? AND role <> 'admin' ORDER BY change_seq
                """, arguments: [since, upper, store]).map(Self.user)
            let requests = try Row.fetchAll(db, sql: """
                SELECT * FROM restock_request WHERE store_id = ? AND change_seq > ? AND change_seq <= ? ORDER BY change_seq
                """, arguments: [store, since, upper]).map(Self.restock)
            let stock = includeStock ? try Self.stockRows(db, store: store, warehouse: warehouse, since: since, upper: upper) : []
            let locations = try Row.fetchAll(db, sql: "SELECT id FROM location WHERE change_seq > ? AND change_seq <= ?", arguments: range).isEmpty
                ? [] : try Self.locations(db)
            let taxRules = try Row.fetchAll(db, sql: "SELECT code FROM tax_rule WHERE change_seq > ? AND change_seq <= ?", arguments: range).isEmpty
                ? [] : try Self.taxRules(db)
            let chainName = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'chain_name'") ?? ""
            let quickKeys = try String.fetchOne(db, sql: """
                SELECT product_ids FROM quick_key_set WHERE store_id = ? AND change_seq > ? AND change_seq <= ?
                """, arguments: [store, since, upper]).map(QuickKeyList.decode)
            let promotions = try String.fetchAll(db, sql: "SELECT definition FROM promotion WHERE change_seq > ? AND change_seq <= ? ORDER BY id",
                                                 arguments: range).map(StoredForm.promotion)
            let policy = try String.fetchOne(db, sql: """
                SELECT policy FROM store_setting WHERE store_id = ? AND change_seq > ? AND change_seq <= ?
                """, arguments: [store, since, upper]).map(StoredForm.policy)
            let transfers = try Row.fetchAll(db, sql: """
                SELECT * FROM stock_transfer WHERE (from_store_id = ?1 OR to_store_id = ?1) AND change_seq > ?2 AND change_seq <= ?3 ORDER BY change_seq
                """, arguments: [store, since, upper]).map(Self.transfer)
            let orders = try Self.orders(db, where: "store_id = ? AND change_seq > ? AND change_seq <= ?", [store, since, upper], at: Self.now())
            let program = try String.fetchOne(db, sql: "SELECT definition FROM loyalty_program WHERE change_seq > ? AND change_seq <= ?",
                                              arguments: range).map(StoredForm.loyaltyProgram)
            return page.changeSet(register: register, locations: locations, taxRules: taxRules, products: products, users: users,
                                  restockRequests: requests, stock: stock, chainName: chainName, quickKeys: quickKeys, promotions: promotions,
                                  discountPolicy: policy, transfers: transfers, orders: orders, loyaltyProgram: program,
                                  stockApart: !includeStock)
        }
    }

    public func stockChanges(registerId: String, since: Int64, limit: Int) async throws -> StockFeed {
        // One snapshot: the stock rows and the applied mark must agree.
        try readNow(consistent: true) { db in
            guard let register = try Row.fetchOne(db, sql: "SELECT * FROM register WHERE id = ?", arguments: [registerId]).map(Self.register) else {
                throw CentralError(.notFound, "unknown register \(registerId)")
            }
            let window = try ChangeFeedWindow(register: register, since: since, limit: limit,
                                              counter: try Int64.fetchOne(db, sql: "SELECT value FROM change_counter WHERE id = 1") ?? 0)
            let warehouse = try Int64.fetchOne(db, sql: "SELECT id FROM location WHERE kind = 'warehouse' ORDER BY id LIMIT 1") ?? -1
            let edge = try Int64.fetchAll(db, sql: """
                SELECT change_seq FROM stock WHERE location_id IN (?1, ?2) AND change_seq > ?3 ORDER BY change_seq LIMIT 2 OFFSET ?4
                """, arguments: [register.storeId, warehouse, window.since, window.offset])
            let page = window.closed(nth: edge.first, anyAfterNth: edge.count > 1)
            return page.stockFeed(register: register, stock: try Self.stockRows(db, store: register.storeId, warehouse: warehouse,
                                                                               since: window.since, upper: page.upper))
        }
    }

    static func stockRows(_ db: Database, store: Int64, warehouse: Int64, since: Int64, upper: Int64) throws -> [StockRow] {
        try Row.fetchAll(db, sql: """
            SELECT location_id, product_id, on_hand FROM stock WHERE location_id IN (?, ?) AND change_seq > ? AND change_seq <= ?
            ORDER BY change_seq
            """, arguments: [store, warehouse, since, upper]).map {
            StockRow(locationId: $0["location_id"], productId: $0["product_id"], onHand: $0["on_hand"])
        }
    }

    public func saleForReturn(receiptNumber: String, askingRegister: String?) async throws -> SaleForReturn? {
        try readNow(consistent: true) { db in
            guard let payload = try String.fetchOne(db, sql: """
                SELECT e.payload FROM document AS d JOIN event AS e ON e.register_id = d.register_id AND e.sequence = d.event_sequence
                WHERE d.receipt_number = ? AND d.kind = 'sale'
                """, arguments: [receiptNumber.uppercased()]) else { return nil }
            var facts = IngestFacts()
            try facts.addOriginalSale(payload: payload)
            guard let sale = facts.originalSales.values.first else { return nil }
            for payload in try String.fetchAll(db, sql: """
                SELECT e.payload FROM document AS d JOIN event AS e ON e.register_id = d.register_id AND e.sequence = d.event_sequence
                WHERE d.kind = 'return' AND d.original_id = ? ORDER BY d.created_at
                """, arguments: [sale.id]) {
                try facts.addPriorReturn(payload: payload)
            }
            return SaleForReturn(sale: sale, returns: facts.priorReturns[sale.id] ?? [], askingRegister: askingRegister)
        }
    }

    public func audit() async throws -> [String: String] {
        try await readOffPool { db in
            var broken: [String: String] = [:]
            for register in try Row.fetchAll(db, sql: "SELECT * FROM register ORDER BY id").map(Self.register) {
                let events = try Row.fetchAll(db, sql: "SELECT * FROM event WHERE register_id = ? ORDER BY sequence", arguments: [register.id])
                    .map { Self.storedEvent($0, registerId: register.id) }
                if let problem = JournalAudit.problem(register: register, storedEvents: events) { broken[register.id] = problem }
            }
            return broken
        }
    }
}
