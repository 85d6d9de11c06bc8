import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import PostgresNIO

extension PostgresCentralStore {
    static func product(_ row: SQLRow) throws -> Product {
        Product(id: try row.get("id"), sku: try row.get("sku"), barcode: try row.get("barcode"), name: try row.get("name"),
                category: try row.get("category"), price: Money(cents: try row.get("price_cents")),
                taxClass: TaxClass(try row.get("tax_class", as: String.self)), reorderPoint: try row.get("reorder_point"),
                overstockThreshold: try row.get("overstock_threshold"), active: try row.get("active"), fresh: try row.get("fresh"),
                cost: try row.get("cost_cents", as: Int64?.self).map(Money.init(cents:)))
    }

    public func products(after: Int64, limit: Int, matching text: String?) async throws -> [Product] {
        try await read { sql in
            if let text, !SearchKey.fold(text).isEmpty {
                return try await sql.rows(#"""
                    SELECT * FROM product WHERE id > $1 AND (search_key LIKE $2 ESCAPE '\' OR sku = $3 OR barcode = $4) ORDER BY id LIMIT $5
                    """#, after, "%" + StoredForm.likeEscaped(SearchKey.fold(text)) + "%", text.uppercased(), text, limit).map(Self.product)
            }
            return try await sql.rows("SELECT * FROM product WHERE id > $1 ORDER BY id LIMIT $2", after, limit).map(Self.product)
        }
    }


    public func product(id: Int64) async throws -> Product? {
        try await read { sql in try await sql.row("SELECT * FROM product WHERE id = $1", id).map(Self.product) }
    }

    public func product(sku: String) async throws -> Product? {
        try await read { sql in try await sql.row("SELECT * FROM product WHERE sku = $1", sku.uppercased()).map(Self.product) }
    }

    public func product(barcode: String) async throws -> Product? {
        try await read { sql in try await sql.row("SELECT * FROM product WHERE barcode = $1", barcode).map(Self.product) }
    }

    public func createProduct(_ input: ProductInput) async throws -> Product {
        try ProductRules.validate(input)
        return try await write { sql in
            // The counter lock first: product creations are serialised, so max(id) + 1 is unique.
            let change = try await sql.change(reserving: 1)
            try await Self.requireUnique(sql, input, except: nil)
            guard let row = try await sql.row("""
                INSERT INTO product(id, sku, barcode, name, category, price_cents, tax_class, reorder_point, overstock_threshold,
                                    active, search_key, change_seq)
                SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM product
                RETURNING *
                """, input.sku.uppercased(), input.barcode, input.name, input.category, input.priceCents, input.taxClass.rawValue,
                input.reorderPoint, input.overstockThreshold, input.active ?? true, SearchKey.fold(input.name), change) else {
                throw CentralError(.notFound, "the new product vanished")
            }
            let created = try Self.product(row)
            guard input.fresh == true || input.costCents != nil else { return created }
            guard let row = try await sql.row("UPDATE product SET fresh = $1, cost_cents = $2 WHERE id = $3 RETURNING *",
                                              input.fresh ?? false, input.costCents, created.id) else {
                throw CentralError(.notFound, "the new product vanished")
            }
            return try Self.product(row)
        }
    }

    public func updateProduct(id: Int64, _ input: ProductInput) async throws -> Product {
        try ProductRules.validate(input)
        return try await write { sql in
            let change = try await sql.change(reserving: 1)
            guard try await sql.scalar(Int64.self, "SELECT count(*) FROM product WHERE id = $1", id) == 1 else {
                throw CentralError(.notFound, "unknown product \(id)")
            }
            try await Self.requireUnique(sql, input, except: id)
            // A new change number: the price change reaches every till with its next pull.
            guard let row = try await sql.row("""
                UPDATE product SET sku = $1, barcode = $2, name = $3, category = $4, price_cents = $5, tax_class = $6, reorder_point = $7,
                    overstock_threshold = $8, active = $9, search_key = $10, change_seq = $11 WHERE id = $12
                RETURNING *
                """, input.sku.uppercased(), input.barcode, input.name, input.category, input.priceCents, input.taxClass.rawValue,
                input.reorderPoint, input.overstockThreshold, input.active ?? true, SearchKey.fold(input.name), change, id) else {
                throw CentralError(.notFound, "unknown product \(id)")
            }
            let updated = try Self.product(row)
            guard updated.fresh != (input.fresh ?? false) || updated.cost?.cents != input.costCents else { return updated }
            guard let row = try await sql.row("UPDATE product SET fresh = $1, cost_cents = $2 WHERE id = $3 RETURNING *",
                                              input.fresh ?? false, input.costCents, id) else {
                throw CentralError(.notFound, "unknown product \(id)")
            }
            return try Self.product(row)
        }
    }

    static func requireUnique(_ sql: SQL, _ input: ProductInput, except id: Int64?) async throws {
        if let other = try await sql.scalar(Int64.self, "SELECT id FROM product WHERE sku = $1 AND id IS DISTINCT FROM $2::bigint",
                                            input.sku.uppercased(), id) {
            throw CentralError(.conflict, "SKU \(input.sku.uppercased()) is already product \(other)")
        }
        if let other = try await sql.scalar(Int64.self, "SELECT id FROM product WHERE barcode = $1 AND id IS DISTINCT FROM $2::bigint",
                                            input.barcode, id) {
            throw CentralError(.conflict, "barcode \(input.barcode) is already product \(other)")
        }
    }

    // MARK: Stock

    public func stock(locationId: Int64) async throws -> [StockLine] {
        try await snapshot { sql in
            guard try await Self.location(sql, id: locationId) != nil else { throw CentralError(.notFound, "unknown location \(locationId)") }
            return try await sql.rows("""
                SELECT product.id, product.sku, product.name, product.reorder_point, product.overstock_threshold, stock.on_hand
                FROM stock JOIN product ON product.id = stock.product_id
                WHERE stock.location_id = $1 ORDER BY product.id
                """, locationId).map { row in
                StockLine(productId: try row.get("id"), sku: try row.get("sku"), name: try row.get("name"), onHand: try row.get("on_hand"),
                          reorderPoint: try row.get("reorder_point"), overstockThreshold: try row.get("overstock_threshold"))
            }
        }
    }

    public func storeStockPositions() async throws -> [StockPosition] {
        try await read { sql in
            try await sql.rows("""
                SELECT location.id AS location_id, product.id, product.sku, product.name, product.reorder_point, product.overstock_threshold,
                       coalesce(stock.on_hand, 0) AS on_hand
                FROM location CROSS JOIN product
                LEFT JOIN stock ON stock.location_id = location.id AND stock.product_id = product.id
                WHERE location.kind <> 'warehouse' AND product.active ORDER BY location.id, product.id
                """).map { row in
                StockPosition(locationId: try row.get("location_id"), productId: try row.get("id"), sku: try row.get("sku"),
                              name: try row.get("name"), onHand: try row.get("on_hand"), reorderPoint: try row.get("reorder_point"),
                              overstockThreshold: try row.get("overstock_threshold"))
            }
        }
    }

    /// Applies one movement to the ledger and to on-hand, with a new change number.
    /// `on_hand = on_hand + n` in one statement: the row lock it takes makes
    /// concurrent movements of the same product add up instead of overwriting.
    static func apply(_ sql: SQL, movement m: StockMovement, registerId: String?, sequence: Int64?, at time: Int64) async throws {
        try await sql.execute("""
            INSERT INTO stock_movement(location_id, product_id, quantity, reason, reference, register_id, event_sequence, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, m.locationId, m.productId, m.quantity, m.reason.rawValue, m.reference, registerId, sequence, time)
        try await sql.execute("""
            INSERT INTO stock(location_id, product_id, on_hand, change_seq) VALUES ($1, $2, $3, $4)
            ON CONFLICT (location_id, product_id) DO UPDATE SET on_hand = stock.on_hand + excluded.on_hand, change_seq = excluded.change_seq
            """, m.locationId, m.productId, m.quantity, try await sql.change())
    }
}
