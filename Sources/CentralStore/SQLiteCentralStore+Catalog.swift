import Foundation
import CaisseAPI
import CaisseCore
import GRDB

extension SQLiteCentralStore {
    static func product(_ row: Row) -> Product {
        Product(id: row["id"], sku: row["sku"], barcode: row["barcode"], name: row["name"], category: row["category"],
                price: Money(cents: row["price_cents"]), taxClass: TaxClass(row["tax_class"] as String),
                reorderPoint: row["reorder_point"], overstockThreshold: row["overstock_threshold"], active: row["active"], fresh: row["fresh"],
                cost: (row["cost_cents"] as Int64?).map(Money.init(cents:)))
    }

    public func products(after: Int64, limit: Int, matching text: String?) async throws -> [Product] {
        try readNow { db in
            if let text, !SearchKey.fold(text).isEmpty {
                return try Row.fetchAll(db, sql: """
                    SELECT * FROM product WHERE id > ? AND (search_key LIKE ? ESCAPE '\\' OR sku = ? OR barcode = ?) ORDER BY id LIMIT ?
                    """, arguments: [after, "%" + StoredForm.likeEscaped(SearchKey.fold(text)) + "%", text.uppercased(), text, limit]).map(Self.product)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM product WHERE id > ? ORDER BY id LIMIT ?", arguments: [after, limit]).map(Self.product)
        }
    }


    public func product(id: Int64) async throws -> Product? {
        try readNow { db in try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE id = ?"), arguments: [id]).map(Self.product) }
    }

    public func product(sku: String) async throws -> Product? {
        try readNow { db in try Row.fetchOne(db, sql: "SELECT * FROM product WHERE sku = ?", arguments: [sku.uppercased()]).map(Self.product) }
    }

    public func product(barcode: String) async throws -> Product? {
        try readNow { db in try Row.fetchOne(db, sql: "SELECT * FROM product WHERE barcode = ?", arguments: [barcode]).map(Self.product) }
    }

    public func createProduct(_ input: ProductInput) async throws -> Product {
        try ProductRules.validate(input)
        return try await writer.write { db in
            try Self.requireUnique(db, input, except: nil)
            let id = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM product") ?? 1
            try db.execute(sql: """
                INSERT INTO product(id, sku, barcode, name, category, price_cents, tax_class, reorder_point, overstock_threshold,
                                    active, search_key, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, input.sku.uppercased(), input.barcode, input.name, input.category, input.priceCents, input.taxClass.rawValue,
                                 input.reorderPoint, input.overstockThreshold, input.active ?? true, SearchKey.fold(input.name),
                                 try Self.nextChanges(db)])
            try db.execute(sql: "UPDATE product SET fresh = ?, cost_cents = ? WHERE id = ?", arguments: [input.fresh ?? false, input.costCents, id])
            guard let product = try Row.fetchOne(db, sql: "SELECT * FROM product WHERE id = ?", arguments: [id]).map(Self.product) else {
                throw CentralError(.notFound, "product \(id) vanished")
            }
            return product
        }
    }

    public func updateProduct(id: Int64, _ input: ProductInput) async throws -> Product {
        try ProductRules.validate(input)
        return try await writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM product WHERE id = ?", arguments: [id]) == 1 else {
                throw CentralError(.notFound, "unknown product \(id)")
            }
            try Self.requireUnique(db, input, except: id)
            // A new change number: the price change reaches every till with its next pull.
            try db.execute(sql: """
                UPDATE product SET sku = ?, barcode = ?, name = ?, category = ?, price_cents = ?, tax_class = ?, reorder_point = ?,
                    overstock_threshold = ?, active = ?, search_key = ?, change_seq = ? WHERE id = ?
                """, arguments: [input.sku.uppercased(), input.barcode, input.name, input.category, input.priceCents, input.taxClass.rawValue,
                                 input.reorderPoint, input.overstockThreshold, input.active ?? true, SearchKey.fold(input.name),
                                 try Self.nextChanges(db), id])
            guard db.changesCount == 1 else { throw CentralError(.notFound, "unknown product \(id)") }
            try db.execute(sql: "UPDATE product SET fresh = ?, cost_cents = ? WHERE id = ?", arguments: [input.fresh ?? false, input.costCents, id])
            guard let product = try Row.fetchOne(db, sql: "SELECT * FROM product WHERE id = ?", arguments: [id]).map(Self.product) else {
                throw CentralError(.notFound, "unknown product \(id)")
            }
            return product
        }
    }

    static func requireUnique(_ db: Database, _ input: ProductInput, except id: Int64?) throws {
        if let other = try Int64.fetchOne(db, sql: "SELECT id FROM product WHERE sku = ? AND id IS NOT ?", arguments: [input.sku.uppercased(), id]) {
            throw CentralError(.conflict, "SKU \(input.sku.uppercased()) is already product \(other)")
        }
        if let other = try Int64.fetchOne(db, sql: "SELECT id FROM product WHERE barcode = ? AND id IS NOT ?", arguments: [input.barcode, id]) {
            throw CentralError(.conflict, "barcode \(input.barcode) is already product \(other)")
        }
    }

    // MARK: Stock

    public func stock(locationId: Int64) async throws -> [StockLine] {
        try readNow { db in
            guard try Self.location(db, id: locationId) != nil else { throw CentralError(.notFound, "unknown location \(locationId)") }
            return try Row.fetchAll(db, sql: """
                SELECT product.id, product.sku, product.name, product.reorder_point, product.overstock_threshold, stock.on_hand
                FROM stock JOIN product ON product.id = stock.product_id
                WHERE stock.location_id = ? ORDER BY product.id
                """, arguments: [locationId]).map { row in
                StockLine(productId: row["id"], sku: row["sku"], name: row["name"], onHand: row["on_hand"],
                          reorderPoint: row["reorder_point"], overstockThreshold: row["overstock_threshold"])
            }
        }
    }

    /// Every active product at every selling location: one without a stock row has none (out of stock), as the till counts it.
    public func storeStockPositions() async throws -> [StockPosition] {
        try readNow { db in
            try Row.fetchAll(db, sql: """
                SELECT location.id AS location_id, product.id, product.sku, product.name, product.reorder_point, product.overstock_threshold,
                       coalesce(stock.on_hand, 0) AS on_hand
                FROM location CROSS JOIN product
                LEFT JOIN stock ON stock.location_id = location.id AND stock.product_id = product.id
                WHERE location.kind != 'warehouse' AND product.active = 1 ORDER BY location.id, product.id
                """).map { row in
                // By position, not by name: a name is looked up case-insensitively, for each of thousands of rows.
                StockPosition(locationId: row[0], productId: row[1], sku: row[2], name: row[3], onHand: row[6],
                              reorderPoint: row[4], overstockThreshold: row[5])
            }
        }
    }

    /// Applies movements to the ledger, one row each, and to on-hand, one
    /// update per location and product with one new change number each.
    static func apply(_ db: Database, movements: [(movement: StockMovement, sequence: Int64?)], registerId: String?, at time: Int64) throws {
        guard !movements.isEmpty else { return }
        try insertRows(db, into: "stock_movement(location_id, product_id, quantity, reason, reference, register_id, event_sequence, created_at)",
                       width: 8, movements) { row, item in
            let (m, sequence) = item
            row.int(m.locationId); row.int(m.productId); row.int(m.quantity); row.text(m.reason.rawValue); row.text(m.reference)
            row.text(registerId); row.int(sequence); row.int(time)
        }
        struct Key: Hashable { var location: Int64, product: Int64 }
        var order: [Key] = []
        var delta: [Key: Int] = [:]
        for (m, _) in movements {
            let key = Key(location: m.locationId, product: m.productId)
            if delta[key] == nil { order.append(key) }
            delta[key, default: 0] += m.quantity
        }
        let first = try nextChanges(db, count: order.count)
        try insertRows(db, into: "stock(location_id, product_id, on_hand, change_seq)", width: 4, Array(order.enumerated()),
                       suffix: "ON CONFLICT(location_id, product_id) DO UPDATE SET on_hand = on_hand + excluded.on_hand, change_seq = excluded.change_seq") { row, item in
            let (i, key) = item
            row.int(key.location); row.int(key.product); row.int(delta[key] ?? 0); row.int(first + Int64(i))
        }
    }

    /// Applies one movement to the ledger and to on-hand, with a new change number.
    static func apply(_ db: Database, movement m: StockMovement, registerId: String?, sequence: Int64?, at time: Int64) throws {
        try apply(db, movements: [(m, sequence)], registerId: registerId, at: time)
    }
}
