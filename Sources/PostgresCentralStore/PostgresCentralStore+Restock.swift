import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import PostgresNIO

extension PostgresCentralStore {
    static func restock(_ row: SQLRow) throws -> RestockRequest {
        RestockRequest(id: try row.get("id"), storeId: try row.get("store_id"), productId: try row.get("product_id"),
                       quantity: try row.get("quantity"), state: RestockState(rawValue: try row.get("state")) ?? .requested,
                       note: try row.get("note"), createdAt: try row.get("created_at"), updatedAt: try row.get("updated_at"))
    }

    public func restockRequests(_ query: RestockQuery) async throws -> [RestockRequest] {
        try await read { sql in
            try await sql.rows(#"""
                SELECT * FROM restock_request WHERE ($1::bigint IS NULL OR store_id = $1) AND ($2::text IS NULL OR state = $2)
                    AND ($3::text IS NULL OR id = $3)
                ORDER BY created_at, id COLLATE "C"
                """#, query.storeId, query.state?.rawValue, query.id).map(Self.restock)
        }
    }

    public func createRestock(id: String, storeId: Int64, productId: Int64, quantity: Int, note: String?, at time: Int64) async throws -> RestockRequest {
        try Quantity.validate(quantity)
        return try await write { sql in
            let change = try await sql.change(reserving: 1)
            let request = try RestockRequest.judgedNew(
                id: id, store: try await Self.location(sql, id: storeId), storeId: storeId, productId: productId,
                productActive: try await sql.scalar(Bool.self, "SELECT active FROM product WHERE id = $1", productId),
                quantity: quantity, note: note, at: time)
            try await sql.execute("""
                INSERT INTO restock_request(id, store_id, product_id, quantity, state, note, created_at, updated_at, change_seq)
                VALUES ($1, $2, $3, $4, 'requested', $5, $6, $7, $8)
                """, id, storeId, productId, quantity, note, time, time, change)
            return request
        }
    }

    public func transitionRestock(id: String, action: RestockAction, at time: Int64) async throws -> RestockRequest {
        try await write { sql in
            // The counter lock before any row lock: the order every writer follows (no deadlock).
            try await sql.reserve(2)
            return try await Self.transition(sql, id: id, action: action, at: time, registerId: nil, sequence: nil, expectedStore: nil)
        }
    }

    /// One step of a request's life with its stock effect, in the caller's
    /// transaction. The request row is locked: two instances shipping the same
    /// request at once take turns, and the second finds it already shipped.
    static func transition(_ sql: SQL, id: String, action: RestockAction, at time: Int64, registerId: String?, sequence: Int64?,
                           expectedStore: Int64?) async throws -> RestockRequest {
        guard let current = try await sql.row("SELECT * FROM restock_request WHERE id = $1 FOR UPDATE", id).map(restock) else {
            throw CentralError(.notFound, "unknown restock request \(id)")
        }
        var warehouse: (id: Int64, onHand: Int)?
        if action == .ship, let wid = try await sql.scalar(Int64.self, "SELECT id FROM location WHERE kind = 'warehouse' ORDER BY id LIMIT 1") {
            // FOR UPDATE: the quantity checked is the one the movement then takes from.
            warehouse = (wid, try await sql.scalar(Int.self, "SELECT on_hand FROM stock WHERE location_id = $1 AND product_id = $2 FOR UPDATE",
                                                    wid, current.productId) ?? 0)
        }
        let step = try RestockStep.plan(current, action: action, expectedStore: expectedStore, warehouse: warehouse, at: time)
        if let movement = step.movement {
            try await apply(sql, movement: movement, registerId: registerId, sequence: sequence, at: time)
        }
        try await sql.execute("UPDATE restock_request SET state = $1, updated_at = $2, change_seq = $3 WHERE id = $4",
                              step.request.state.rawValue, time, try await sql.change(), id)
        return step.request
    }

    public func adjustmentRows(from: Day, to: Day) async throws -> [AdjustmentTotals] {
        try await snapshot { sql in
            try await sql.rows("""
                SELECT a.store_id, a.day, a.product_id, max(a.sku) AS sku, max(a.name) AS name, coalesce(max(p.category), '') AS category,
                       a.reason, sum(a.quantity)::bigint AS quantity, sum(a.value_cents)::bigint AS value, sum(a.cost_cents)::bigint AS cost
                FROM stock_adjustment_line AS a LEFT JOIN product AS p ON p.id = a.product_id
                WHERE a.day BETWEEN $1 AND $2 GROUP BY a.store_id, a.day, a.product_id, a.reason
                """, Int64(from.number), Int64(to.number)).map { row in
                AdjustmentTotals(storeId: try row.get("store_id"), day: Day(number: try row.get("day")), productId: try row.get("product_id"),
                                 sku: try row.get("sku"), name: try row.get("name"), category: try row.get("category"),
                                 reason: AdjustmentReason(rawValue: try row.get("reason")) ?? .correction, quantity: try row.get("quantity"),
                                 value: Money(cents: try row.get("value")), cost: try row.get("cost", as: Int64?.self).map(Money.init(cents:)))
            }
        }
    }

    public func discountRows(from: Day, to: Day) async throws -> [DiscountTotals] {
        try await snapshot { sql in
            try await sql.rows("""
                SELECT store_id, day, document_kind, kind, reason, promotion_id, label, cashier_id, approved_by, count AS n, amount_cents AS amount
                FROM agg_discount_day WHERE day BETWEEN $1 AND $2
                """, Int64(from.number), Int64(to.number)).map { row in
                // The aggregate keys "" and 0 for what a discount does not have.
                let reason = try row.get("reason", as: String.self), label = try row.get("label", as: String.self)
                let promotion = try row.get("promotion_id", as: Int64.self), approver = try row.get("approved_by", as: Int64.self)
                return DiscountTotals(storeId: try row.get("store_id"), day: Day(number: try row.get("day")),
                                      documentKind: DocumentKind(rawValue: try row.get("document_kind")) ?? .sale,
                                      kind: LineDiscount.Kind(rawValue: try row.get("kind")) ?? .line, reason: reason.isEmpty ? nil : reason,
                                      promotionId: promotion == 0 ? nil : promotion, label: label.isEmpty ? nil : label,
                                      cashierId: try row.get("cashier_id"), approvedBy: approver == 0 ? nil : approver, count: try row.get("n"),
                                      amount: Money(cents: try row.get("amount")))
            }
        }
    }

    public func reportRows(from: Day, to: Day) async throws -> (documents: [DocumentTotals], products: [ProductTotals]) {
        let rows = try await snapshot { sql in
            // sum() of BIGINT is NUMERIC in PostgreSQL: cast back, cents fit in 64 bits.
            let documents = try await sql.rows("""
                SELECT store_id, day, kind, documents AS n, items, subtotal_cents AS subtotal, tax_cents AS tax
                FROM agg_store_day WHERE day BETWEEN $1 AND $2
                """, Int64(from.number), Int64(to.number)).map { row in
                DocumentTotals(storeId: try row.get("store_id"), day: Day(number: try row.get("day")),
                               kind: DocumentKind(rawValue: try row.get("kind")) ?? .sale, count: try row.get("n"), items: try row.get("items"),
                               subtotal: Money(cents: try row.get("subtotal")), tax: Money(cents: try row.get("tax")))
            }
            let products = try await sql.rows("""
                \(AggregateSQL.productsOfPeriod(placeholders: ["$1", "$2", "$3", "$4", "$5", "$6"]))
                """, arguments: AggregateSQL.bounds(AggregateRange(from: from, to: to)).map { $0 as any SQLArgument }).map { row in
                ProductTotals(productId: try row.get("product_id"), sku: try row.get("sku"), name: try row.get("name"),
                              kind: DocumentKind(rawValue: try row.get("kind")) ?? .sale, quantity: try row.get("quantity"),
                              amount: Money(cents: try row.get("amount_cents")))
            }
            return ReportRows(documents: documents, products: products)
        }
        return (rows.documents, rows.products)
    }

    /// A Sendable pair to carry out of the snapshot closure.
    struct ReportRows: Sendable {
        var documents: [DocumentTotals]
        var products: [ProductTotals]
    }
}
