import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import GRDB

extension SQLiteCentralStore {
    static func transfer(_ row: Row) -> StockTransfer {
        StockTransfer(id: row["id"], fromStoreId: row["from_store_id"], toStoreId: row["to_store_id"], productId: row["product_id"],
                      requested: row["requested"], shipped: row["shipped"], received: row["received"], damaged: row["damaged"],
                      state: TransferState(rawValue: row["state"]) ?? .requested, note: row["note"],
                      createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    public func transfers(_ query: TransferQuery) async throws -> [StockTransfer] {
        try readNow { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM stock_transfer WHERE (?1 IS NULL OR from_store_id = ?1 OR to_store_id = ?1) AND (?2 IS NULL OR state = ?2)
                ORDER BY created_at, id
                """, arguments: [query.storeId, query.state?.rawValue]).map(Self.transfer)
        }
    }

    public func createTransfer(id: String, from: Int64, to: Int64, productId: Int64, quantity: Int, note: String?, at time: Int64) async throws -> StockTransfer {
        try await writer.write { db in
            let transfer = try TransferRules.requested(
                id: id, from: try Self.location(db, id: from), to: try Self.location(db, id: to),
                product: try Row.fetchOne(db, sql: "SELECT * FROM product WHERE id = ?", arguments: [productId]).map(Self.product),
                quantity: quantity, note: note, taken: try Row.fetchOne(db, sql: "SELECT 1 FROM stock_transfer WHERE id = ?", arguments: [id]) != nil,
                at: time)
            try Self.write(db, transfers: [transfer], at: time)
            return transfer
        }
    }

    public func cancelTransfer(id: String, at time: Int64) async throws -> StockTransfer {
        try await writer.write { db in
            guard let current = try Row.fetchOne(db, sql: "SELECT * FROM stock_transfer WHERE id = ?", arguments: [id]).map(Self.transfer) else {
                throw CentralError(.notFound, "unknown transfer \(id)")
            }
            let cancelled = try TransferRules.cancelled(current, at: time)
            try Self.write(db, transfers: [cancelled], at: time)
            return cancelled
        }
    }

    /// Each transfer as it now stands, with a new change number (both stores' tills pull it).
    static func write(_ db: Database, transfers: [StockTransfer], at time: Int64) throws {
        for t in transfers {
            try db.execute(sql: """
                INSERT INTO stock_transfer(id, from_store_id, to_store_id, product_id, requested, shipped, received, damaged, state, note,
                                           created_at, updated_at, change_seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET shipped = excluded.shipped, received = excluded.received, damaged = excluded.damaged,
                    state = excluded.state, updated_at = excluded.updated_at, change_seq = excluded.change_seq
                """, arguments: [t.id, t.fromStoreId, t.toStoreId, t.productId, t.requested, t.shipped, t.received, t.damaged,
                                 t.state.rawValue, t.note, time, time, try nextChanges(db)])
        }
    }

    /// Loss lines (a till's adjustments, a transfer's damaged and short units) in the loss ledger.
    static func write(_ db: Database, lossLines: [LossLine]) throws {
        try insertRows(db, into: "stock_adjustment_line(adjustment_id, product_id, store_id, register_id, event_sequence, day, created_at, reason, sku, name, quantity, value_cents, by_user, approved_by, cost_cents)",
                       width: 15, lossLines) { row, l in
            row.text(l.adjustmentId); row.int(l.productId); row.int(l.storeId); row.text(l.registerId); row.int(l.sequence)
            row.int(l.day.number); row.int(l.createdAt); row.text(l.reason.rawValue); row.text(l.sku); row.text(l.name)
            row.int(l.quantity); row.int(l.value.cents); row.int(l.by); row.int(l.approvedBy); row.int(l.cost?.cents)
        }
    }

    public func adjustWarehouse(_ request: WarehouseAdjustmentRequest, at time: Int64) async throws -> StockAdjustment {
        try await writer.write { db in
            let warehouse = try Int64.fetchOne(db, sql: "SELECT id FROM location WHERE kind = 'warehouse' ORDER BY id LIMIT 1")
                .flatMap { try Self.location(db, id: $0) }
            let ids = try WireJSON.string(request.lines.map(\.productId))
            var products: [Int64: Product] = [:]
            for p in try Row.fetchAll(db, sql: "SELECT * FROM product WHERE id IN (SELECT value FROM json_each(?))", arguments: [ids]).map(Self.product) {
                products[p.id] = p
            }
            var onHand: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT product_id, on_hand FROM stock WHERE location_id = ? AND product_id IN (SELECT value FROM json_each(?))",
                                        arguments: [warehouse?.id ?? -1, ids]) {
                onHand[row["product_id"]] = row["on_hand"]
            }
            let write = try request.judged(id: UUID().uuidString.lowercased(), warehouse: warehouse, products: products, onHand: onHand, at: time)
            try Self.apply(db, movements: write.movements.map { ($0, nil) }, registerId: nil, at: time)
            try Self.write(db, lossLines: write.lossLines)
            return write.adjustment
        }
    }
}
