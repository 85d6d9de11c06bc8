import CaisseAPI
import CaisseCore
import Foundation
import GRDB

extension SQLiteCentralStore {
    static func restock(_ row: Row) -> RestockRequest {
        RestockRequest(id: row["id"], storeId: row["store_id"], productId: row["product_id"], quantity: row["quantity"],
                       state: RestockState(rawValue: row["state"]) ?? .requested, note: row["note"],
                       createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    public func restockRequests(_ query: RestockQuery) async throws -> [RestockRequest] {
        try readNow { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM restock_request WHERE (?1 IS NULL OR store_id = ?1) AND (?2 IS NULL OR state = ?2) AND (?3 IS NULL OR id = ?3)
                ORDER BY created_at, id
                """, arguments: [query.storeId, query.state?.rawValue, query.id]).map(Self.restock)
        }
    }

    public func createRestock(id: String, storeId: Int64, productId: Int64, quantity: Int, note: String?, at time: Int64) async throws -> RestockRequest {
        try Quantity.validate(quantity)
        return try await writer.write { db in
            let request = try RestockRequest.judgedNew(
                id: id, store: try Self.location(db, id: storeId), storeId: storeId, productId: productId,
                productActive: try Bool.fetchOne(db, sql: "SELECT active FROM product WHERE id = ?", arguments: [productId]),
                quantity: quantity, note: note, at: time)
            try db.execute(sql: """
                INSERT INTO restock_request(id, store_id, product_id, quantity, state, note, created_at, updated_at, change_seq)
                VALUES (?, ?, ?, ?, 'requested', ?, ?, ?, ?)
                """, arguments: [id, storeId, productId, quantity, note, time, time, try Self.nextChanges(db)])
            return request
        }
    }

    public func transitionRestock(id: String, action: RestockAction, at time: Int64) async throws -> RestockRequest {
        try await writer.write { db in try Self.transition(db, id: id, action: action, at: time, registerId: nil, sequence: nil, expectedStore: nil) }
    }

    /// One step of a request's life with its stock effect (`RestockStep`), in the caller's transaction.
    static func transition(_ db: Database, id: String, action: RestockAction, at time: Int64, registerId: String?, sequence: Int64?,
                           expectedStore: Int64?) throws -> RestockRequest {
        guard let current = try Row.fetchOne(db, sql: "SELECT * FROM restock_request WHERE id = ?", arguments: [id]).map(restock) else {
            throw CentralError(.notFound, "unknown restock request \(id)")
        }
        var warehouse: (id: Int64, onHand: Int)?
        if action == .ship, let wid = try Int64.fetchOne(db, sql: "SELECT id FROM location WHERE kind = 'warehouse' ORDER BY id LIMIT 1") {
            warehouse = (wid, try Int.fetchOne(db, sql: "SELECT on_hand FROM stock WHERE location_id = ? AND product_id = ?",
                                               arguments: [wid, current.productId]) ?? 0)
        }
        let step = try RestockStep.plan(current, action: action, expectedStore: expectedStore, warehouse: warehouse, at: time)
        if let movement = step.movement {
            try apply(db, movement: movement, registerId: registerId, sequence: sequence, at: time)
        }
        try db.execute(sql: "UPDATE restock_request SET state = ?, updated_at = ?, change_seq = ? WHERE id = ?",
                       arguments: [step.request.state.rawValue, time, try nextChanges(db), id])
        return step.request
    }

    public func adjustmentRows(from: Day, to: Day) async throws -> [AdjustmentTotals] {
        try await readOffPool { db in
            try Row.fetchAll(db, sql: """
                SELECT a.store_id, a.day, a.product_id, max(a.sku) AS sku, max(a.name) AS name, coalesce(max(p.category), '') AS category,
                       a.reason, sum(a.quantity) AS quantity, sum(a.value_cents) AS value, sum(a.cost_cents) AS cost
                FROM stock_adjustment_line AS a LEFT JOIN product AS p ON p.id = a.product_id
                WHERE a.day BETWEEN ? AND ? GROUP BY a.store_id, a.day, a.product_id, a.reason
                """, arguments: [from.number, to.number]).map { row in
                AdjustmentTotals(storeId: row["store_id"], day: Day(number: row["day"]), productId: row["product_id"], sku: row["sku"],
                                 name: row["name"], category: row["category"], reason: AdjustmentReason(rawValue: row["reason"]) ?? .correction,
                                 quantity: row["quantity"], value: Money(cents: row["value"]),
                                 cost: (row["cost"] as Int64?).map(Money.init(cents:)))
            }
        }
    }

    public func discountRows(from: Day, to: Day) async throws -> [DiscountTotals] {
        try await readOffPool { db in
            try Row.fetchAll(db, sql: """
                SELECT store_id, day, document_kind, kind, reason, promotion_id, label, cashier_id, approved_by, count AS n, amount_cents AS amount
                FROM agg_discount_day WHERE day BETWEEN ? AND ?
                """, arguments: [from.number, to.number]).map { row in
                // The aggregate keys "" and 0 for what a discount does not have.
                let reason: String = row["reason"], label: String = row["label"]
                let promotion: Int64 = row["promotion_id"], approver: Int64 = row["approved_by"]
                return DiscountTotals(storeId: row["store_id"], day: Day(number: row["day"]),
                                      documentKind: DocumentKind(rawValue: row["document_kind"]) ?? .sale,
                                      kind: LineDiscount.Kind(rawValue: row["kind"]) ?? .line, reason: reason.isEmpty ? nil : reason,
                                      promotionId: promotion == 0 ? nil : promotion, label: label.isEmpty ? nil : label,
                                      cashierId: row["cashier_id"], approvedBy: approver == 0 ? nil : approver, count: row["n"],
                                      amount: Money(cents: row["amount"]))
            }
        }
    }

    public func reportRows(from: Day, to: Day) async throws -> (documents: [DocumentTotals], products: [ProductTotals]) {
        let rows = try await readOffPool { db in
            let documents = try Row.fetchAll(db, sql: """
                SELECT store_id, day, kind, documents AS n, items, subtotal_cents AS subtotal, tax_cents AS tax
                FROM agg_store_day WHERE day BETWEEN ? AND ?
                """, arguments: [from.number, to.number]).map { row in
                DocumentTotals(storeId: row["store_id"], day: Day(number: row["day"]), kind: DocumentKind(rawValue: row["kind"]) ?? .sale,
                               count: row["n"], items: row["items"], subtotal: Money(cents: row["subtotal"]), tax: Money(cents: row["tax"]))
            }
            let products = try Row.fetchAll(db, sql: """
                \(AggregateSQL.productsOfPeriod(placeholders: ["?1", "?2", "?3", "?4", "?5", "?6"]))
                """, arguments: StatementArguments(AggregateSQL.bounds(AggregateRange(from: from, to: to)))).map { row in
                ProductTotals(productId: row["product_id"], sku: row["sku"], name: row["name"], kind: DocumentKind(rawValue: row["kind"]) ?? .sale,
                              quantity: row["quantity"], amount: Money(cents: row["amount_cents"]))
            }
            return ReportRows(documents: documents, products: products)
        }
        return (rows.documents, rows.products)
    }

    /// The report's two row sets, carried out of the read as one Sendable value.
    struct ReportRows: Sendable {
        var documents: [DocumentTotals]
        var products: [ProductTotals]
    }
}
