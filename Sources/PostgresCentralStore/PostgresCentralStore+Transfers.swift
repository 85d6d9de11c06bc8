import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import PostgresNIO

extension PostgresCentralStore {
    static func transfer(_ row: SQLRow) throws -> StockTransfer {
        StockTransfer(id: try row.get("id"), fromStoreId: try row.get("from_store_id"), toStoreId: try row.get("to_store_id"),
                      productId: try row.get("product_id"), requested: try row.get("requested"), shipped: try row.get("shipped", as: Int?.self),
                      received: try row.get("received", as: Int?.self), damaged: try row.get("damaged", as: Int?.self),
                      state: TransferState(rawValue: try row.get("state")) ?? .requested, note: try row.get("note", as: String?.self),
                      createdAt: try row.get("created_at"), updatedAt: try row.get("updated_at"))
    }

    public func transfers(_ query: TransferQuery) async throws -> [StockTransfer] {
        try await read { sql in
            try await sql.rows(#"""
                SELECT * FROM stock_transfer WHERE ($1::bigint IS NULL OR from_store_id = $1 OR to_store_id = $1) AND ($2::text IS NULL OR state = $2)
                ORDER BY created_at, id COLLATE "C"
                """#, query.storeId, query.state?.rawValue).map(Self.transfer)
        }
    }

    public func createTransfer(id: String, from: Int64, to: Int64, productId: Int64, quantity: Int, note: String?, at time: Int64) async throws -> StockTransfer {
        try await write { sql in
            try await sql.reserve(1)
            let transfer = try TransferRules.requested(
                id: id, from: try await Self.location(sql, id: from), to: try await Self.location(sql, id: to),
                product: try await sql.row("SELECT * FROM product WHERE id = $1", productId).map(Self.product),
                quantity: quantity, note: note, taken: try await sql.scalar(Int64.self, "SELECT count(*) FROM stock_transfer WHERE id = $1", id) ?? 0 > 0,
                at: time)
            try await Self.write(sql, transfers: [transfer], at: time)
            return transfer
        }
    }

    public func cancelTransfer(id: String, at time: Int64) async throws -> StockTransfer {
        try await write { sql in
            // The counter lock before the row lock: the order every writer follows.
            try await sql.reserve(1)
            guard let current = try await sql.row("SELECT * FROM stock_transfer WHERE id = $1 FOR UPDATE", id).map(Self.transfer) else {
                throw CentralError(.notFound, "unknown transfer \(id)")
            }
            let cancelled = try TransferRules.cancelled(current, at: time)
            try await Self.write(sql, transfers: [cancelled], at: time)
            return cancelled
        }
    }

    /// Each transfer as it now stands, with a new change number (both stores' tills pull it).
    static func write(_ sql: SQL, transfers: [StockTransfer], at time: Int64) async throws {
        for t in transfers {
            try await sql.execute("""
                INSERT INTO stock_transfer(id, from_store_id, to_store_id, product_id, requested, shipped, received, damaged, state, note,
                                           created_at, updated_at, change_seq)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                ON CONFLICT (id) DO UPDATE SET shipped = excluded.shipped, received = excluded.received, damaged = excluded.damaged,
                    state = excluded.state, updated_at = excluded.updated_at, change_seq = excluded.change_seq
                """, t.id, t.fromStoreId, t.toStoreId, t.productId, Int64(t.requested), t.shipped.map(Int64.init), t.received.map(Int64.init),
                t.damaged.map(Int64.init), t.state.rawValue, t.note, time, time, try await sql.change())
        }
    }

    /// Loss lines (a till's adjustments, a transfer's damaged and short units) in the loss ledger.
    static func write(_ sql: SQL, lossLines l: [LossLine]) async throws {
        guard !l.isEmpty else { return }
        try await sql.execute("""
            INSERT INTO stock_adjustment_line(adjustment_id, product_id, store_id, register_id, event_sequence, day, created_at, reason,
                                              sku, name, quantity, value_cents, by_user, approved_by, cost_cents)
            SELECT i, p, s, g, q, d, c, r, k, n, u, v, b, NULLIF(a, 0), CASE WHEN hc THEN co END
            FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[],
                        $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::boolean[], $16::bigint[])
                 AS t(i, p, s, g, q, d, c, r, k, n, u, v, b, a, hc, co)
            """, arguments: [l.map(\.adjustmentId), l.map(\.productId), l.map(\.storeId), l.map(\.registerId), l.map(\.sequence),
                             l.map { Int64($0.day.number) }, l.map(\.createdAt), l.map(\.reason.rawValue), l.map(\.sku), l.map(\.name),
                             l.map { Int64($0.quantity) }, l.map(\.value.cents), l.map(\.by), l.map { $0.approvedBy ?? 0 },
                             l.map { $0.cost != nil }, l.map { $0.cost?.cents ?? 0 }])
    }

    public func adjustWarehouse(_ request: WarehouseAdjustmentRequest, at time: Int64) async throws -> StockAdjustment {
        try await write { sql in
            try await sql.reserve(request.lines.count)
            let warehouseId = try await sql.scalar(Int64.self, "SELECT id FROM location WHERE kind = 'warehouse' ORDER BY id LIMIT 1")
            let warehouse: Location? = if let warehouseId { try await Self.location(sql, id: warehouseId) } else { nil }
            var products: [Int64: Product] = [:]
            for p in try await sql.rows("SELECT * FROM product WHERE id = ANY($1::bigint[])", request.lines.map(\.productId)).map(Self.product) {
                products[p.id] = p
            }
            var onHand: [Int64: Int] = [:]
            for row in try await sql.rows("SELECT product_id, on_hand FROM stock WHERE location_id = $1 AND product_id = ANY($2::bigint[]) FOR UPDATE",
                                          warehouseId ?? -1, request.lines.map(\.productId)) {
                onHand[try row.get("product_id")] = try row.get("on_hand")
            }
            let write = try request.judged(id: UUID().uuidString.lowercased(), warehouse: warehouse, products: products, onHand: onHand, at: time)
            try await Self.applyMovements(sql, write.movements.map { (0, $0) }, registerId: nil, at: time)
            try await Self.write(sql, lossLines: write.lossLines)
            return write.adjustment
        }
    }
}
