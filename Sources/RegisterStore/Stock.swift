import CaisseAPI
import CaisseCore
import Foundation
import GRDB

/// Which products a stock listing shows.
extension RegisterStore {
    /// Replaces the stock snapshot of the given locations (central's figures).
    func replaceSnapshot(_ db: Database, stock: [Int64: [Int64: Int]]) throws {
        for (location, quantities) in stock {
            try db.execute(sql: "DELETE FROM stock_snapshot WHERE location_id = ?", arguments: [location])
            try upsertSnapshot(db, quantities.map { StockRow(locationId: location, productId: $0.key, onHand: $0.value) })
        }
    }

    /// Central's on-hand for these rows, as the change feed or the stock feed gave them.
    func upsertSnapshot(_ db: Database, _ rows: [StockRow]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO stock_snapshot(location_id, product_id, on_hand) VALUES (?, ?, ?)
            ON CONFLICT(location_id, product_id) DO UPDATE SET on_hand = excluded.on_hand
            """)
        for row in rows { try statement.execute(arguments: [row.locationId, row.productId, row.onHand]) }
    }

    /// The highest own event central has applied to the snapshot: movements of
    /// later events are added on top, earlier ones are already in it.
    func appliedMark(_ db: Database) throws -> Int64 {
        try setting(db, Settings.appliedMark) ?? 0
    }

    /// Local on-hand of this store = snapshot + own movements not yet in it.
    public func onHand(productId: Int64) throws -> Int {
        try writer.read { db in try onHand(db, productId: productId) }
    }

    /// This store's stock positions, optionally filtered by status and by a
    /// text that must prefix-match the product (as in search).
    public func stock(filter: StockFilter = .all, matching text: String? = nil, limit: Int = 10_000) throws -> [StockPosition] {
        try writer.read { db in
            let me = try identity(db)
            var sql = """
                SELECT product.id, product.sku, product.name, product.category, product.reorder_point, product.overstock_threshold,
                       coalesce(snap.on_hand, 0) + coalesce(moves.quantity, 0) AS on_hand
                FROM product
                LEFT JOIN stock_snapshot AS snap ON snap.location_id = ?1 AND snap.product_id = product.id
                LEFT JOIN (SELECT product_id, sum(quantity) AS quantity FROM stock_movement
                           WHERE location_id = ?1 AND event_sequence > ?2 GROUP BY product_id) AS moves
                       ON moves.product_id = product.id
                WHERE product.active = 1
                """
            var arguments: [any DatabaseValueConvertible] = [me.store.id, try appliedMark(db)]
            if let text, let match = Self.ftsQuery(text) {
                sql += " AND product.id IN (SELECT rowid FROM product_fts WHERE product_fts MATCH ?3)"
                arguments.append(match)
            }
            sql += " ORDER BY product.name"
            let positions = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                StockPosition(locationId: me.store.id, productId: row["id"], sku: row["sku"], name: row["name"],
                              onHand: row["on_hand"], reorderPoint: row["reorder_point"], overstockThreshold: row["overstock_threshold"],
                              category: row["category"])
            }
            let filtered = filter == .all ? positions : positions.filter { filter.admits($0.status) }
            return Array(filtered.prefix(limit))
        }
    }

    /// Units this till's own journal moved that central has not acknowledged yet, by product:
    /// what central's live figures lack until the next push (issue 28, item 8).
    public func unsentMovements() throws -> [Int64: Int] {
        try writer.read { db in
            let me = try identity(db)
            let rows = try Row.fetchAll(db, sql: """
                SELECT product_id, sum(quantity) AS quantity FROM stock_movement
                WHERE location_id = ? AND event_sequence IN (SELECT sequence FROM outbox WHERE delivered = 0)
                GROUP BY product_id
                """, arguments: [me.store.id])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["product_id"] as Int64, $0["quantity"] as Int) })
        }
    }

    /// Each product's category, for rows read from central (which carry none).
    public func categories(of productIds: [Int64]) throws -> [Int64: String] {
        try writer.read { db in
            var found: [Int64: String] = [:]
            for chunk in stride(from: 0, to: productIds.count, by: 500).map({ Array(productIds[$0..<min($0 + 500, productIds.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "SELECT id, category FROM product WHERE id IN (\(marks))", arguments: StatementArguments(chunk)) {
                    found[row["id"]] = row["category"]
                }
            }
            return found
        }
    }

    /// The warehouse's stock as of the last snapshot (central stock).
    public func warehouseStock() throws -> [StockPosition] {
        try writer.read { db in
            guard let warehouse = try Int64.fetchOne(db, sql: "SELECT id FROM location WHERE kind = 'warehouse' LIMIT 1") else { return [] }
            return try Row.fetchAll(db, sql: """
                SELECT product.id, product.sku, product.name, product.reorder_point, product.overstock_threshold, snap.on_hand
                FROM stock_snapshot AS snap JOIN product ON product.id = snap.product_id
                WHERE snap.location_id = ? ORDER BY product.name
                """, arguments: [warehouse]).map { row in
                StockPosition(locationId: warehouse, productId: row["id"], sku: row["sku"], name: row["name"],
                              onHand: row["on_hand"], reorderPoint: row["reorder_point"], overstockThreshold: row["overstock_threshold"])
            }
        }
    }

    /// Asks the warehouse for goods: recorded locally and journaled, so it
    /// works offline and reaches central with the next sync.
    public func requestRestock(productId: Int64, quantity: Int, note: String? = nil, requestedBy: Int64,
                               at time: Int64? = nil) throws -> RestockRequest {
        try Quantity.validate(quantity)
        return try writer.write { db in
            let me = try identity(db)
            try requireActiveUser(db, id: requestedBy, atLeast: .employee)
            guard try Bool.fetchOne(db, sql: "SELECT active FROM product WHERE id = ?", arguments: [productId]) == true else {
                throw StoreError("unknown or inactive product \(productId)")
            }
            let createdAt = time ?? Self.now()
            let request = RestockRequest(id: UUID().uuidString.lowercased(), storeId: me.store.id, productId: productId,
                                         quantity: quantity, note: note, createdAt: createdAt, updatedAt: createdAt)
            let payload = RestockRequestPayload(requestId: request.id, storeId: me.store.id, productId: productId,
                                                quantity: quantity, note: note, requestedBy: requestedBy)
            _ = try appendEvent(db, registerId: me.registerId, id: request.id, createdAt: createdAt, .restockRequest(payload))
            try db.execute(sql: """
                INSERT INTO restock_request(id, store_id, product_id, quantity, state, note, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [request.id, request.storeId, productId, quantity, request.state.rawValue, note, createdAt, createdAt])
            return request
        }
    }

    /// Declares waste, breakage, theft, goods found or a correction: journaled
    /// and applied to this till's stock in one transaction, offline too. Beyond
    /// the store's limit (at retail) a manager of the store must approve.
    ///
    /// - Parameter closingCount: the count whose differences these are, closed in the same transaction.
    public func recordAdjustment(reason: AdjustmentReason, lines: [(productId: Int64, quantity: Int)], note: String?, by userId: Int64,
                                 approvedBy: Int64? = nil, at time: Int64? = nil, closingCount: String? = nil) throws -> StockAdjustment {
        try writer.write { db in
            let me = try identity(db)
            try requireActiveUser(db, id: userId, atLeast: .employee)
            var priced: [AdjustmentLine] = []
            for line in lines {
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM product WHERE id = ?", arguments: [line.productId]) else {
                    throw StoreError("unknown product \(line.productId)")
                }
                let p = Self.product(row)
                priced.append(AdjustmentLine(productId: p.id, sku: p.sku, name: p.name, quantity: line.quantity, unitPrice: p.price))
            }
            let note = note?.trimmingCharacters(in: .whitespaces)
            let adjustment = StockAdjustment(id: UUID().uuidString.lowercased(), storeId: me.store.id, registerId: me.registerId,
                                             createdAt: time ?? Self.now(), reason: reason, note: note?.isEmpty == true ? nil : note,
                                             lines: priced, by: userId, approvedBy: approvedBy)
            try adjustment.validate()
            // What leaves the shelf was on it. (A count's corrections are against the book of the
            // moment each product was counted, and may cross what sales left since.)
            if closingCount == nil {
                for line in adjustment.lines where line.quantity < 0 {
                    try Shelf.check(leaving: -line.quantity, onHand: try onHand(db, productId: line.productId), sku: line.sku)
                }
            }
            let role = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [userId]).map(Self.user)?.role ?? .employee
            if try discountPolicy(db).adjustmentNeedsApproval(role: role, value: adjustment.value) {
                guard let approvedBy else {
                    throw DomainError(.approvalNeeded, "an adjustment worth \(adjustment.value) at retail needs a manager's PIN")
                }
                try requireActiveUser(db, id: approvedBy, atLeast: .manager)
                guard try Int64.fetchOne(db, sql: "SELECT store_id FROM user WHERE id = ?", arguments: [approvedBy]) == me.store.id else {
                    throw StoreError("the approving manager must work at this store")
                }
            }
            let event = try appendEvent(db, registerId: me.registerId, id: adjustment.id, createdAt: adjustment.createdAt, .stockAdjustment(adjustment))
            try insert(db, movements: StockMovement.forAdjustment(adjustment), sequence: event.sequence, at: adjustment.createdAt)
            if let closingCount { try db.execute(sql: "DELETE FROM stock_count WHERE id = ?", arguments: [closingCount]) }
            return adjustment
        }
    }

    public func restockRequests() throws -> [RestockRequest] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM restock_request ORDER BY created_at DESC").map { row in
                RestockRequest(id: row["id"], storeId: row["store_id"], productId: row["product_id"], quantity: row["quantity"],
                               state: RestockState(rawValue: row["state"]) ?? .requested, note: row["note"],
                               createdAt: row["created_at"], updatedAt: row["updated_at"])
            }
        }
    }
}
