import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import PostgresNIO

extension PostgresCentralStore {
    /// Applies a register's batch in one transaction. The register row is locked
    /// first (`FOR UPDATE`): two instances receiving pushes for the same register
    /// at once take turns, and the second sees the first's mark, so each event
    /// applies exactly once.
    public func ingest(registerId: String, events: [SyncEvent]) async throws -> IngestOutcome {
        // Decoded and hashed before the transaction: the register's row lock is
        // then held for the writes only (a register's store never changes).
        let (register, store) = try await read { sql -> (RegisterRecord, Location) in
            guard let register = try await sql.row("SELECT * FROM register WHERE id = $1", registerId).map(Self.register) else {
                throw CentralError(.notFound, "unknown register \(registerId)")
            }
            try register.requireActive()
            guard let store = try await Self.location(sql, id: register.storeId) else { throw CentralError(.notFound, "unknown store \(register.storeId)") }
            return (register, store)
        }
        // Not inside `read`: decoding must not hold a pooled connection either.
        do {
            let batch = try DecodedBatch(register: register, store: store, events: events)
            return try await batch.applyKeepingEveryEvent({ single in
                try await write { sql in try await Self.contentFaultsNamed { try await Self.ingest(sql, batch: single) } }
            }, isContentFault: { $0 is ContentFault })
        } catch let error as CentralError where error.flagsRegister {
            // Flag for audit in its own transaction: the batch itself was refused whole.
            try await write { sql in
                try await sql.execute("UPDATE register SET audit_flag = $1 WHERE id = $2", error.message, registerId)
            }
            throw error
        }
    }

    /// What PostgreSQL refuses because of what a push holds: a data exception
    /// (class 22: a value out of range) or an integrity violation (class 23).
    /// Named inside the transaction, before the store maps PostgreSQL's errors.
    struct ContentFault: Error, CustomStringConvertible {
        var description: String
    }
    static func contentFaultsNamed<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as PSQLError {
            if let state = error.serverInfo?[.sqlState], state.hasPrefix("22") || state.hasPrefix("23") {
                throw ContentFault(description: "\(state): \(error.serverInfo?[.message] ?? "")")
            }
            throw error
        }
    }

    /// Ingest's steps (CentralModel's `IngestSteps`, written once), answered with PostgreSQL's SQL.
    static func ingest(_ sql: SQL, batch: DecodedBatch) async throws -> IngestOutcome {
        let registerId = batch.registerId
        let started = try IngestSteps.start(batch, locked: try await sql.row("SELECT * FROM register WHERE id = $1 FOR UPDATE", registerId).map(Self.register))
        var stored: [Int64: String] = [:]
        if !started.duplicateSequences.isEmpty {
            for row in try await sql.rows("SELECT sequence, hash FROM event WHERE register_id = $1 AND sequence = ANY($2::bigint[])",
                                          registerId, started.duplicateSequences) {
                stored[try row.get("sequence")] = try row.get("hash")
            }
        }
        switch try started.checked(storedHashes: stored) {
        case .finished(let outcome): return outcome
        case .judge(let judging):
            if judging.locksChangedRows { try await sql.reserve(judging.changeNumbersNeeded) }
            var facts = try await facts(sql, judging.factsNeeded, storeId: judging.storeId)
            facts.clockMark = try await sql.scalar(Int64.self, "SELECT clock_mark FROM register WHERE id = $1", registerId) ?? 0
            let write = try judging.judged(facts: facts, at: Self.now())
            let new = write.events
            // Before the effects: the register's row is locked since the start, and every write
            // left after the change counter's lock lengthens the part every writer waits for.
            try await sql.execute("UPDATE register SET applied_through = $1, last_hash = $2, clock_mark = $3 WHERE id = $4",
                                  write.through, write.lastHash, write.clockMark, registerId)
            // Whole columns as arrays: a batch of a thousand events is a handful of round trips.
            try await sql.execute("""
                INSERT INTO event(register_id, sequence, id, type, created_at, payload, previous_hash, hash, received_at)
                SELECT $1, *, $9::bigint FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[])
                """, arguments: [registerId, new.map(\.sequence), new.map(\.id), new.map(\.type.rawValue), new.map(\.createdAt),
                                 new.map(\.payload), new.map(\.previousHash), new.map(\.hash), write.receivedAt])
            try await writeEffects(sql, write.plan, registerId: registerId, storeId: write.storeId, at: write.receivedAt)
            return write.outcome
        }
    }

    /// What a judged plan does to the books (the events themselves are written by the caller):
    /// at ingest, and when head office applies a quarantined event.
    static func writeEffects(_ sql: SQL, _ plan: IngestPlan, registerId: String, storeId: Int64, at now: Int64) async throws {
        let docs = plan.documents
        if !docs.isEmpty {
            try await sql.execute("""
                INSERT INTO document(id, kind, receipt_number, store_id, register_id, event_sequence, created_at, day, items,
                                     subtotal_cents, tax_cents, total_cents, original_id)
                SELECT i, k, r, s, g, q, c, d, n, st, tx, tt, NULLIF(o, '')
                FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[],
                            $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::text[]) AS t(i, k, r, s, g, q, c, d, n, st, tx, tt, o)
                """, arguments: [docs.map(\.id), docs.map(\.kind.rawValue), docs.map(\.receiptNumber), docs.map(\.storeId), docs.map(\.registerId),
                                 docs.map(\.eventSequence), docs.map(\.createdAt), docs.map { Int64($0.day.number) }, docs.map { Int64($0.items) },
                                 docs.map(\.subtotal.cents), docs.map(\.tax.cents), docs.map(\.total.cents), docs.map { $0.originalId ?? "" }])
            let lines = docs.flatMap { d in d.lines.map { (d.id, $0) } }
            try await sql.execute("""
                INSERT INTO document_line(document_id, line_no, product_id, sku, name, quantity, amount_cents)
                SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
                """, arguments: [lines.map(\.0), lines.map { Int64($0.1.lineNo) }, lines.map(\.1.productId), lines.map(\.1.sku),
                                 lines.map(\.1.name), lines.map { Int64($0.1.quantity) }, lines.map(\.1.amount.cents)])
            let discounts = docs.flatMap { d in d.discounts.map { (d.id, $0) } }
            if !discounts.isEmpty {
                try await sql.execute("""
                    INSERT INTO document_discount(document_id, line_no, position, kind, reason, promotion_id, label, cashier_id, approved_by, amount_cents)
                    SELECT i, l, p, k, NULLIF(r, ''), NULLIF(pr, 0), NULLIF(lb, ''), c, NULLIF(a, 0), m
                    FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::bigint[],
                                $9::bigint[], $10::bigint[]) AS t(i, l, p, k, r, pr, lb, c, a, m)
                    """, arguments: [discounts.map(\.0), discounts.map { Int64($0.1.lineNo) }, discounts.map { Int64($0.1.position) },
                                     discounts.map(\.1.kind.rawValue), discounts.map { $0.1.reason ?? "" }, discounts.map { $0.1.promotionId ?? 0 },
                                     discounts.map { $0.1.label ?? "" }, discounts.map(\.1.cashierId), discounts.map { $0.1.approvedBy ?? 0 },
                                     discounts.map(\.1.amount.cents)])
            }
        }
        try await write(sql, lossLines: plan.lossLines)
        try await write(sql, taxesOf: plan.documents)
        try await insertLedger(sql, plan.movements, registerId: registerId, at: now)
        for h in plan.redeemedHolds {
            // Still held: a hold is redeemed once, by the first sale that names it.
            try await sql.execute("UPDATE loyalty_entry SET kind = $1, points = $2, reason = $3 WHERE id = $4 AND kind = 'held'",
                                  h.kind.rawValue, h.points, h.reason, h.id)
        }
        for l in plan.loyalty {
            // Once per sale and per return (a unique index): a sale applied again by head office credits nothing twice.
            try await sql.execute("""
                INSERT INTO loyalty_entry(customer_id, kind, points, reference, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
                """, l.customerId, l.kind.rawValue, l.points, l.reference, l.createdAt)
        }
        for x in plan.exceptions {
            try await sql.execute("""
                INSERT INTO central_exception(kind, store_id, register_id, event_sequence, reference, detail, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, x.kind.rawValue, x.storeId, x.registerId, x.sequence, x.reference, x.detail, now)
        }
        // From here on rows that registers pull change: the change counter is locked until commit,
        // and every writer waits for it (ADR 0010). So it is taken as late as possible, after every
        // write that needs no change number. For a plain sale the counter, on-hand and the aggregates
        // are one statement, and the commit the only other round trip under the lock (issue 26: 12
        // round trips before round 8, then 3; the fleet's bottleneck). Before the restock rows a
        // receipt locks: every writer takes the counter first.
        let plain = plan.restockRequests.isEmpty && plan.restockReceipts.isEmpty && plan.transferWrites.isEmpty && plan.orderWrites.isEmpty
        if plain, !sql.holdsChangeCounter, !plan.movements.isEmpty || !plan.documents.isEmpty {
            let sums = stockSums(plan.movements)
            var batch = StatementBatch(takingChangeNumbers: sums.count)
            if !sums.isEmpty {
                batch.add("""
                    INSERT INTO stock(location_id, product_id, on_hand, change_seq)
                    SELECT l, p, q, (SELECT base FROM counter) + o FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS t(l, p, q, o)
                    ON CONFLICT (location_id, product_id) DO UPDATE SET on_hand = stock.on_hand + excluded.on_hand, change_seq = excluded.change_seq
                    """, arguments: [sums.map(\.key.location), sums.map(\.key.product), sums.map(\.quantity)])
            }
            add(&batch, aggregatesOf: plan.documents)
            try await sql.execute(batch)
        } else {
            let changeRows = plan.movements.count + plan.restockRequests.count + 2 * plan.restockReceipts.count + plan.transferWrites.count
            if changeRows > 0 || !plan.documents.isEmpty { try await sql.reserve(changeRows) }
            var batch = StatementBatch()
            try await add(&batch, stockOf: plan.movements, sql)
            add(&batch, aggregatesOf: plan.documents)
            try await sql.execute(batch)
        }
        try await write(sql, transfers: plan.transferWrites, at: now)
        for (_, r) in plan.restockRequests {
            // Idempotent by id: the same request could also have been made through the API.
            try await sql.execute("""
                INSERT INTO restock_request(id, store_id, product_id, quantity, state, note, created_at, updated_at, change_seq)
                VALUES ($1, $2, $3, $4, 'requested', $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING
                """, r.requestId, r.storeId, r.productId, r.quantity, r.note, now, now, try await sql.change())
        }
        for (sequence, receipt) in plan.restockReceipts {
            _ = try await transition(sql, id: receipt.requestId, action: .receive, at: now, registerId: registerId, sequence: sequence,
                                     expectedStore: storeId)
        }
        for o in plan.orderWrites {
            try await sql.execute("UPDATE online_order SET state = $1, sale_id = $2, updated_at = $3, change_seq = $4 WHERE id = $5",
                                  o.state.rawValue, o.saleId, o.updatedAt, try await sql.change(), o.id)
        }
    }

    /// Head office applies a quarantined event (issue 23): judged again as central stands
    /// now, dated as decided, and written as ingest would have; refused if it still breaks a rule.
    static func applyQuarantined(_ sql: SQL, registerId: String, sequence: Int64, dating: Int64?, at now: Int64) async throws {
        let register = try await sql.row("SELECT * FROM register WHERE id = $1 FOR UPDATE", registerId).map(Self.register)
        let store: Location? = if let register { try await location(sql, id: register.storeId) } else { nil }
        let replaying = try IngestSteps.replay(register: register, store: store,
                                               stored: try await sql.row("SELECT * FROM event WHERE register_id = $1 AND sequence = $2",
                                                                         registerId, sequence).map { try storedEvent($0, registerId: registerId) },
                                               sequence: sequence, dating: dating)
        // Every writer takes the change counter before the rows `facts` locks.
        try await sql.reserve(replaying.changeNumbersNeeded)
        let plan = try replaying.judged(facts: try await facts(sql, replaying.factsNeeded, storeId: replaying.storeId))
        try await writeEffects(sql, plan, registerId: registerId, storeId: replaying.storeId, at: now)
    }

    static func storedEvent(_ row: SQLRow, registerId: String) throws -> SyncEvent {
        var event = SyncEvent(registerId: registerId, sequence: try row.get("sequence"), id: try row.get("id"),
                              type: EventType(rawValue: try row.get("type")) ?? .sale, createdAt: try row.get("created_at"),
                              payload: try row.get("payload"), previousHash: try row.get("previous_hash"))
        event.hash = try row.get("hash")
        return event
    }

    /// What central's state says about what the plan refers to (ADR 0013). The
    /// restock rows are locked: the state judged is the state the receipt changes.
    static func facts(_ sql: SQL, _ needed: FactsNeeded, storeId: Int64) async throws -> IngestFacts {
        var facts = IngestFacts()
        if !needed.documentIds.isEmpty {
            for row in try await sql.rows("SELECT id FROM document WHERE id = ANY($1::text[])", needed.documentIds) {
                facts.takenDocumentIds.insert(try row.get("id"))
            }
        }
        for row in try await sql.rows("SELECT id, active, price_cents, cost_cents, sku, name FROM product WHERE id = ANY($1::bigint[])",
                                      needed.productIds) {
            facts.products[try row.get("id")] = .init(active: try row.get("active"), price: Money(cents: try row.get("price_cents")),
                                                      cost: try row.get("cost_cents", as: Int64?.self).map(Money.init(cents:)),
                                                      sku: try row.get("sku"), name: try row.get("name"))
        }
        if !needed.transferIds.isEmpty {
            // Locked: two registers' events about one transfer are judged one after the other.
            for t in try await sql.rows("SELECT * FROM stock_transfer WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE",
                                        needed.transferIds).map(transfer) {
                facts.transfers[t.id] = t
            }
            facts.stores = Set(try await locations(sql).filter(\.sells).map(\.id))
        }
        for row in try await sql.rows("SELECT id, active, store_id, role FROM app_user WHERE id = ANY($1::bigint[])", needed.userIds) {
            facts.users[try row.get("id")] = .init(active: try row.get("active"), storeId: try row.get("store_id"),
                                                   role: Role(rawValue: try row.get("role")) ?? .cashier)
        }
        if !needed.restockIds.isEmpty {
            for request in try await sql.rows("SELECT * FROM restock_request WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE",
                                              needed.restockIds).map(restock) {
                facts.restockRequests[request.id] = request
            }
        }
        let stockProducts = needed.productIds + facts.restockRequests.values.map(\.productId)
        for row in try await sql.rows("SELECT product_id, on_hand FROM stock WHERE location_id = $1 AND product_id = ANY($2::bigint[])",
                                      storeId, stockProducts) {
            facts.onHand[try row.get("product_id")] = try row.get("on_hand")
        }
        if let store = try await location(sql, id: storeId) {
            facts.taxRates = try await taxRules(sql).first { $0.code == store.taxRule }?.rates ?? []
            facts.timeZone = TimeZone(identifier: store.timeZone) ?? facts.timeZone
        }
        for row in try await sql.rows("SELECT definition FROM promotion WHERE id = ANY($1::bigint[])", needed.promotionIds) {
            try facts.addPromotion(definition: try row.get("definition"))
        }
        if let policy = try await sql.scalar(String.self, "SELECT policy FROM store_setting WHERE store_id = $1", storeId) {
            facts.discountPolicy = try StoredForm.policy(policy)
        }
        if !needed.orderIds.isEmpty {
            // Locked: a customer cancelling and the store handing over take turns.
            for order in try await orders(sql, where: "id = ANY($1::text[])", [needed.orderIds], at: facts.receivedAt, locking: true) {
                facts.orders[order.id] = order
            }
        }
        if !needed.customerIds.isEmpty {
            for row in try await sql.rows("""
                SELECT id FROM customer WHERE id = ANY($1::bigint[]) AND erased_at IS NULL AND loyalty_consent_at IS NOT NULL
                """, needed.customerIds) {
                facts.customersEarning.insert(try row.get("id"))
            }
        }
        if !needed.holdIds.isEmpty {
            // Locked: two registers naming one hold take turns (the second finds it redeemed).
            for row in try await sql.rows("""
                SELECT * FROM loyalty_entry WHERE kind IN ('held', 'redeemed', 'released') AND reference = ANY($1::text[]) ORDER BY id FOR UPDATE
                """, needed.holdIds) {
                let entry = try loyaltyEntry(row)
                if let reference = entry.reference { facts.holds[reference] = entry }
            }
        }
        if !needed.customerIds.isEmpty || !needed.originalSaleIds.isEmpty || !needed.holdIds.isEmpty {
            facts.loyaltyProgram = try await loyaltyProgram(sql)
        }
        if !needed.originalSaleIds.isEmpty {
            for row in try await sql.rows("""
                SELECT reference, customer_id, points FROM loyalty_entry WHERE kind = 'earned' AND reference = ANY($1::text[])
                """, needed.originalSaleIds) {
                facts.earnedBySale[try row.get("reference")] = LoyaltyEarned(customerId: try row.get("customer_id"), points: try row.get("points"))
            }
            for row in try await sql.rows("""
                SELECT e.payload FROM document AS d JOIN event AS e ON e.register_id = d.register_id AND e.sequence = d.event_sequence
                WHERE d.kind = 'sale' AND d.id = ANY($1::text[]) ORDER BY d.id FOR UPDATE OF d
                """, needed.originalSaleIds) {
                try facts.addOriginalSale(payload: try row.get("payload"))
            }
            for row in try await sql.rows("""
                SELECT e.payload FROM document AS d JOIN event AS e ON e.register_id = d.register_id AND e.sequence = d.event_sequence
                WHERE d.kind = 'return' AND d.original_id = ANY($1::text[]) ORDER BY d.created_at
                """, needed.originalSaleIds) {
                try facts.addPriorReturn(payload: try row.get("payload"))
            }
        }
        return facts
    }


    /// A batch's movements: every one into the ledger, then on-hand once per
    /// (location, product) with the sum, in key order so that writers lock
    /// stock rows in the same order.
    /// - Parameter registerId: nil for central's own movements (the warehouse's adjustments),
    ///   which belong to no register's journal: then no event sequence either, as on SQLite.
    static func applyMovements(_ sql: SQL, _ movements: [(sequence: Int64, movement: StockMovement)], registerId: String?, at time: Int64) async throws {
        guard !movements.isEmpty else { return }
        try await insertLedger(sql, movements, registerId: registerId, at: time)
        var batch = StatementBatch()
        try await add(&batch, stockOf: movements, sql)
        try await sql.execute(batch)
    }

    /// The movements into the ledger (no change number: registers do not pull it).
    static func insertLedger(_ sql: SQL, _ movements: [(sequence: Int64, movement: StockMovement)], registerId: String?, at time: Int64) async throws {
        guard !movements.isEmpty else { return }
        let m = movements.map(\.movement)
        try await sql.execute("""
            INSERT INTO stock_movement(location_id, product_id, quantity, reason, reference, register_id, event_sequence, created_at)
            SELECT l, p, q, r, ref, $6::text, CASE WHEN $6::text IS NULL THEN NULL ELSE s END, $8 FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $7::bigint[])
                AS m(l, p, q, r, ref, s)
            """, arguments: [m.map(\.locationId), m.map(\.productId), m.map { Int64($0.quantity) }, m.map(\.reason.rawValue), m.map(\.reference),
                             registerId, movements.map(\.sequence), time])
    }

    /// The movements' sum per (location, product), in key order so that writers lock stock rows in the same order.
    static func stockSums(_ movements: [(sequence: Int64, movement: StockMovement)]) -> [(key: StockKey, quantity: Int64)] {
        var sums: [StockKey: Int64] = [:]
        for x in movements.map(\.movement) { sums[StockKey(location: x.locationId, product: x.productId), default: 0] += Int64(x.quantity) }
        return sums.sorted { $0.key < $1.key }.map { (key: $0.key, quantity: $0.value) }
    }

    /// On-hand once per (location, product) with the movements' sum, each row with its own change number.
    static func add(_ batch: inout StatementBatch, stockOf movements: [(sequence: Int64, movement: StockMovement)], _ sql: SQL) async throws {
        let sums = stockSums(movements)
        guard !sums.isEmpty else { return }
        let first = try await sql.changes(sums.count)
        batch.add("""
            INSERT INTO stock(location_id, product_id, on_hand, change_seq)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[])
            ON CONFLICT (location_id, product_id) DO UPDATE SET on_hand = stock.on_hand + excluded.on_hand, change_seq = excluded.change_seq
            """, arguments: [sums.map(\.key.location), sums.map(\.key.product), sums.map(\.quantity), sums.indices.map { first + Int64($0) }])
    }

    struct StockKey: Hashable, Comparable {
        var location: Int64
        var product: Int64
        static func < (a: Self, b: Self) -> Bool { (a.location, a.product) < (b.location, b.product) }
    }

    /// What changed for the register's store since `since`, at most about `limit`
    /// rows, read in one snapshot so the stock rows, the applied mark and the
    /// counter agree. Because change numbers are taken under the counter's row
    /// lock, every number at or below the counter this snapshot sees belongs to a
    /// transaction that has committed: the returned cursor never passes a row
    /// that shows up later.
    public func changes(registerId: String, since: Int64, limit: Int, includeStock: Bool) async throws -> ChangeSet {
        if let nothingNew = try await nothingNew(registerId: registerId, since: since, limit: limit, includeStock: includeStock) { return nothingNew }
        return try await snapshot { sql in
            // The register, the counter, the warehouse and the chain's name in one round trip: a pull
            // is the fleet's most frequent request (every till every few seconds), and its round trips
            // were most of PostgreSQL's work under 4,000 tills (issue 26).
            guard let head = try await sql.row("""
                SELECT r.*, (SELECT value FROM change_counter WHERE id = 1) AS counter,
                       (SELECT id FROM location WHERE kind = 'warehouse' ORDER BY id LIMIT 1) AS warehouse,
                       (SELECT value FROM meta WHERE key = 'chain_name') AS chain_name
                FROM register AS r WHERE r.id = $1
                """, registerId) else {
                throw CentralError(.notFound, "unknown register \(registerId)")
            }
            let register = try Self.register(head)
            let window = try ChangeFeedWindow(register: register, since: since, limit: limit, counter: try head.get("counter", as: Int64?.self) ?? 0)
            let since = window.since
            let store = register.storeId
            let warehouse = try head.get("warehouse", as: Int64?.self) ?? -1
            let chainName = try head.get("chain_name", as: String?.self) ?? ""
            let relevant = Self.relevantChanges(since: "$1", store: "$2", warehouse: "$3", includeStock: includeStock)
            // The page's changes up to one past its last (every row has its own number), in one query:
            // the page's edge and the tables to read come from the same rows. A till's usual pull finds
            // none (issue 26: this and a second pass over the same union were two of a pull's five statements).
            let changed = try await sql.rows("SELECT seq, source FROM (\(relevant)) AS c ORDER BY seq LIMIT $4",
                                             since, store, warehouse, Int64(window.offset + 2))
                .map { (seq: try $0.get("seq", as: Int64.self), source: try $0.get("source", as: String.self)) }
            let page = window.closed(nth: changed.count > window.offset ? changed[window.offset].seq : nil,
                                     anyAfterNth: changed.count > window.offset + 1)
            let upper = page.upper
            let sources = Set(changed.filter { $0.seq <= upper }.map(\.source))
            let products = !sources.contains("product") ? [] : try await sql.rows("""
                SELECT * FROM product WHERE change_seq > $1 AND change_seq <= $2 ORDER BY change_seq
                """, since, upper).map(Self.product)
            let users = !sources.contains("user") ? [] : try await sql.rows("""
                SELECT * FROM app_user WHERE change_seq > $1 AND change_seq <= $2 AND store_id = $3 AND role <> 'admin' ORDER BY change_seq
                """, since, upper, store).map(Self.user)
            let requests = !sources.contains("restock") ? [] : try await sql.rows("""
                SELECT * FROM restock_request WHERE store_id = $1 AND change_seq > $2 AND change_seq <= $3 ORDER BY change_seq
                """, store, since, upper).map(Self.restock)
            let stock = !sources.contains("stock") ? [] : try await Self.stockRows(sql, store: store, warehouse: warehouse, since: since, upper: upper)
            // A location or a tax rule that changed sends them all: a till replaces its whole list.
            let locations = !sources.contains("location") ? [] : try await Self.locations(sql)
            let taxRules = !sources.contains("tax_rule") ? [] : try await Self.taxRules(sql)
            let quickKeys = !sources.contains("quick_keys") ? nil : try await sql.scalar(String.self, """
                SELECT product_ids FROM quick_key_set WHERE store_id = $1 AND change_seq > $2 AND change_seq <= $3
                """, store, since, upper).map(QuickKeyList.decode)
            let promotions = !sources.contains("promotion") ? [] : try await sql.rows("""
                SELECT definition FROM promotion WHERE change_seq > $1 AND change_seq <= $2 ORDER BY id
                """, since, upper).map { try StoredForm.promotion(try $0.get("definition")) }
            let policy = !sources.contains("policy") ? nil : try await sql.scalar(String.self, """
                SELECT policy FROM store_setting WHERE store_id = $1 AND change_seq > $2 AND change_seq <= $3
                """, store, since, upper).map(StoredForm.policy)
            let transfers = !sources.contains("transfer") ? [] : try await sql.rows("""
                SELECT * FROM stock_transfer WHERE (from_store_id = $1 OR to_store_id = $1) AND change_seq > $2 AND change_seq <= $3 ORDER BY change_seq
                """, store, since, upper).map(Self.transfer)
            let orders = !sources.contains("order") ? [] : try await Self.orders(sql, where: "store_id = $1 AND change_seq > $2 AND change_seq <= $3",
                                                                                   [store, since, upper], at: Self.now())
            let program = !sources.contains("loyalty") ? nil : try await sql.scalar(String.self, """
                SELECT definition FROM loyalty_program WHERE change_seq > $1 AND change_seq <= $2
                """, since, upper).map(StoredForm.loyaltyProgram)
            return page.changeSet(register: register, locations: locations, taxRules: taxRules, products: products, users: users,
                                  restockRequests: requests, stock: stock, chainName: chainName, quickKeys: quickKeys, promotions: promotions,
                                  discountPolicy: policy, transfers: transfers, orders: orders, loyaltyProgram: program,
                                  stockApart: !includeStock)
        }
    }

    /// The changes a register pulls, as a UNION over the tables it reads. Each branch names its
    /// table, so that only the tables with a change in the page are read. The arguments are SQL
    /// expressions: bound parameters, or the columns of a statement that reads them itself.
    static func relevantChanges(since: String, store: String, warehouse: String, includeStock: Bool) -> String {
        """
        SELECT change_seq AS seq, 'product' AS source FROM product WHERE change_seq > \(since)
        UNION ALL SELECT change_seq, 'user' FROM app_user WHERE change_seq > \(since) AND store_id = \(store) AND role <> 'admin'
        UNION ALL SELECT change_seq, 'restock' FROM restock_request WHERE store_id = \(store) AND change_seq > \(since)
        \(includeStock ? """
        UNION ALL SELECT change_seq, 'stock' FROM stock WHERE location_id = \(store) AND change_seq > \(since)
        UNION ALL SELECT change_seq, 'stock' FROM stock WHERE location_id = \(warehouse) AND change_seq > \(since)
        """ : "")
        UNION ALL SELECT change_seq, 'location' FROM location WHERE change_seq > \(since)
        UNION ALL SELECT change_seq, 'tax_rule' FROM tax_rule WHERE change_seq > \(since)
        UNION ALL SELECT change_seq, 'quick_keys' FROM quick_key_set WHERE store_id = \(store) AND change_seq > \(since)
        UNION ALL SELECT change_seq, 'promotion' FROM promotion WHERE change_seq > \(since)
        UNION ALL SELECT change_seq, 'policy' FROM store_setting WHERE store_id = \(store) AND change_seq > \(since)
        UNION ALL SELECT change_seq, 'transfer' FROM stock_transfer WHERE from_store_id = \(store) AND change_seq > \(since)
        UNION ALL SELECT change_seq, 'transfer' FROM stock_transfer WHERE to_store_id = \(store) AND change_seq > \(since)
        UNION ALL SELECT change_seq, 'order' FROM online_order WHERE store_id = \(store) AND change_seq > \(since)
        UNION ALL SELECT change_seq, 'loyalty' FROM loyalty_program WHERE change_seq > \(since)
        """
    }

    /// A till's usual pull finds nothing new: one statement says so (PostgreSQL gives a statement
    /// one snapshot), where the paged read takes four round trips (BEGIN, the register and the
    /// counter, the changes, COMMIT; issue 26). Nil when there is something to page through, or
    /// no such register: the snapshot's read then answers as before.
    func nothingNew(registerId: String, since: Int64, limit: Int, includeStock: Bool) async throws -> ChangeSet? {
        let changes = Self.relevantChanges(since: "w.since", store: "h.store_id", warehouse: "h.warehouse", includeStock: includeStock)
        guard let head = try await read({ sql in
            try await sql.row("""
                WITH h AS (
                    SELECT r.*, (SELECT value FROM change_counter WHERE id = 1) AS counter,
                           coalesce((SELECT id FROM location WHERE kind = 'warehouse' ORDER BY id LIMIT 1), -1) AS warehouse,
                           (SELECT value FROM meta WHERE key = 'chain_name') AS chain_name
                    FROM register AS r WHERE r.id = $1)
                SELECT h.*, EXISTS (\(changes)) AS changed
                FROM h, LATERAL (SELECT CASE WHEN $2::bigint > coalesce(h.counter, 0) THEN 0 ELSE $2::bigint END AS since) AS w
                """, registerId, since)
        }), try head.get("changed", as: Bool.self) == false else { return nil }
        let register = try Self.register(head)
        let window = try ChangeFeedWindow(register: register, since: since, limit: limit, counter: try head.get("counter", as: Int64?.self) ?? 0)
        return window.closed(nth: nil, anyAfterNth: false).changeSet(
            register: register, locations: [], taxRules: [], products: [], users: [], restockRequests: [], stock: [],
            chainName: try head.get("chain_name", as: String?.self) ?? "", quickKeys: nil, promotions: [], discountPolicy: nil, transfers: [],
            orders: [], loyaltyProgram: nil, stockApart: !includeStock)
    }

    public func stockChanges(registerId: String, since: Int64, limit: Int) async throws -> StockFeed {
        try await snapshot { sql in
            // One snapshot: the stock rows and the applied mark must agree.
            guard let head = try await sql.row("""
                SELECT r.*, (SELECT value FROM change_counter WHERE id = 1) AS counter,
                       (SELECT id FROM location WHERE kind = 'warehouse' ORDER BY id LIMIT 1) AS warehouse
                FROM register AS r WHERE r.id = $1
                """, registerId) else {
                throw CentralError(.notFound, "unknown register \(registerId)")
            }
            let register = try Self.register(head)
            let window = try ChangeFeedWindow(register: register, since: since, limit: limit, counter: try head.get("counter", as: Int64?.self) ?? 0)
            let warehouse = try head.get("warehouse", as: Int64?.self) ?? -1
            let edge = try await sql.rows("""
                SELECT change_seq FROM stock WHERE location_id IN ($1, $2) AND change_seq > $3 ORDER BY change_seq OFFSET $4 LIMIT 2
                """, register.storeId, warehouse, window.since, window.offset).map { try $0.get("change_seq", as: Int64.self) }
            let page = window.closed(nth: edge.first, anyAfterNth: edge.count > 1)
            return page.stockFeed(register: register, stock: try await Self.stockRows(sql, store: register.storeId, warehouse: warehouse,
                                                                                     since: window.since, upper: page.upper))
        }
    }

    static func stockRows(_ sql: SQL, store: Int64, warehouse: Int64, since: Int64, upper: Int64) async throws -> [StockRow] {
        try await sql.rows("""
            SELECT location_id, product_id, on_hand FROM stock WHERE location_id IN ($1, $2) AND change_seq > $3 AND change_seq <= $4
            ORDER BY change_seq
            """, store, warehouse, since, upper).map {
            StockRow(locationId: try $0.get("location_id"), productId: try $0.get("product_id"), onHand: try $0.get("on_hand"))
        }
    }

    public func saleForReturn(receiptNumber: String, askingRegister: String?) async throws -> SaleForReturn? {
        try await snapshot { sql in
            guard let payload = try await sql.scalar(String.self, """
                SELECT e.payload FROM document AS d JOIN event AS e ON e.register_id = d.register_id AND e.sequence = d.event_sequence
                WHERE d.receipt_number = $1 AND d.kind = 'sale'
                """, receiptNumber.uppercased()) else { return nil }
            var facts = IngestFacts()
            try facts.addOriginalSale(payload: payload)
            guard let sale = facts.originalSales.values.first else { return nil }
            for row in try await sql.rows("""
                SELECT e.payload FROM document AS d JOIN event AS e ON e.register_id = d.register_id AND e.sequence = d.event_sequence
                WHERE d.kind = 'return' AND d.original_id = $1 ORDER BY d.created_at
                """, sale.id) {
                try facts.addPriorReturn(payload: try row.get("payload"))
            }
            return SaleForReturn(sale: sale, returns: facts.priorReturns[sale.id] ?? [], askingRegister: askingRegister)
        }
    }

    public func audit() async throws -> [String: String] {
        try await snapshot { sql in
            var broken: [String: String] = [:]
            for register in try await sql.rows(#"SELECT * FROM register ORDER BY id COLLATE "C""#).map(Self.register) {
                let events = try await sql.rows("SELECT * FROM event WHERE register_id = $1 ORDER BY sequence", register.id)
                    .map { try Self.storedEvent($0, registerId: register.id) }
                if let problem = JournalAudit.problem(register: register, storedEvents: events) { broken[register.id] = problem }
            }
            return broken
        }
    }
}
