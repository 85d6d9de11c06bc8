import Foundation
import CaisseCore
import GRDB

extension RegisterStore {
    /// Inserts or updates products (from data/ or a pull), keeping the search index in step.
    func upsert(_ db: Database, products: [Product]) throws {
        // Many rows: let the triggers stand aside and rebuild the index once.
        let bulk = products.count >= 1_000
        if bulk { try setMeta(db, "bulk_catalog_load", "1") }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO product(id, sku, barcode, name, category, price_cents, tax_class, reorder_point, overstock_threshold, active, search_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET sku = excluded.sku, barcode = excluded.barcode, name = excluded.name,
              category = excluded.category, price_cents = excluded.price_cents, tax_class = excluded.tax_class,
              reorder_point = excluded.reorder_point, overstock_threshold = excluded.overstock_threshold, active = excluded.active,
              search_key = excluded.search_key
            """)
        for p in products {
            try statement.execute(arguments: [p.id, p.sku.uppercased(), p.barcode, p.name, p.category, p.price.cents,
                                              p.taxClass.rawValue, p.reorderPoint, p.overstockThreshold, p.active, SearchKey.fold(p.name)])
        }
        if bulk {
            try db.execute(sql: "DELETE FROM meta WHERE key = 'bulk_catalog_load'")
            // The index holds the folded text the triggers would have written
            // ('rebuild' would read the unfolded columns).
            try db.execute(sql: "INSERT INTO product_fts(product_fts) VALUES ('delete-all')")
            try db.execute(sql: """
                INSERT INTO product_fts(rowid, name, category, sku)
                SELECT id, replace(replace(replace(replace(name, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'),
                       replace(replace(replace(replace(category, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), sku
                FROM product
                """)
            try db.execute(sql: "INSERT INTO product_fts(product_fts) VALUES ('optimize')")
        }
    }

    /// Inserts or updates products (a pull from central, or data/).
    public func saveProducts(_ products: [Product]) throws {
        try writer.write { db in try upsert(db, products: products) }
    }

    static func product(_ row: Row) -> Product {
        Product(id: row["id"], sku: row["sku"], barcode: row["barcode"], name: row["name"], category: row["category"],
                price: Money(cents: row["price_cents"]), taxClass: TaxClass(row["tax_class"] as String),
                reorderPoint: row["reorder_point"], overstockThreshold: row["overstock_threshold"], active: row["active"])
    }

    public func product(id: Int64) throws -> Product? {
        try writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM product WHERE id = ?", arguments: [id]).map(Self.product) }
    }

    /// Exact barcode or SKU (case-insensitive): what a scanner or a cashier types.
    public func product(code: String) throws -> Product? {
        try writer.read { db in try product(db, code: code) }
    }

    func product(_ db: Database, code: String) throws -> Product? {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        return try Row.fetchOne(db, sql: "SELECT * FROM product WHERE barcode = ? OR sku = ? LIMIT 1",
                                arguments: [trimmed, trimmed.uppercased()]).map(Self.product)
    }

    public func productCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM product") ?? 0 }
    }

    /// What the search box shows, best first, only products that can be sold:
    /// 1. an exact barcode or SKU (a scan): that product alone;
    /// 2. names that start with the typed text, accents and case aside, in
    ///    name order (a B-tree range: fast whatever the catalog size);
    /// 3. then FTS5 prefix matches of every word anywhere in name, category or
    ///    SKU, ranked by bm25 when there are few enough to rank cheaply.
    public func search(_ text: String, limit: Int = 20) throws -> [Product] {
        guard limit > 0 else { return [] }
        return try writer.read { db in
            if let exact = try product(db, code: text), exact.active { return [exact] }
            var results: [Product] = []
            var seen = Set<Int64>()
            func take(_ rows: [Row]) {
                for row in rows where results.count < limit {
                    let p = Self.product(row)
                    if seen.insert(p.id).inserted { results.append(p) }
                }
            }
            let key = SearchKey.fold(text)
            guard !key.isEmpty else { return [] }
            take(try Row.fetchAll(db, sql: """
                SELECT * FROM product WHERE search_key >= ? AND search_key < ? AND active = 1 ORDER BY search_key LIMIT ?
                """, arguments: [key, key + "\u{10FFFF}", limit]))
            guard results.count < limit, let match = Self.ftsQuery(text) else { return results }
            // bm25 scores every match: worth it for a few hundred, not for the
            // tens of thousands a short prefix hits in a large catalog.
            let cap = 300
            let matches = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM product_fts WHERE product_fts MATCH ? LIMIT ?)",
                                           arguments: [match, cap + 1]) ?? 0
            let ranked = matches <= cap
            take(try Row.fetchAll(db, sql: """
                SELECT product.* FROM product_fts JOIN product ON product.id = product_fts.rowid
                WHERE product_fts MATCH ? AND product.active = 1
                \(ranked ? "ORDER BY bm25(product_fts, 10.0, 2.0, 5.0), product.name" : "") LIMIT ?
                """, arguments: [match, limit + results.count]))
            return results
        }
    }

    /// Turns typed text into an FTS5 query: every word must match as a prefix.
    /// Punctuation is dropped, so no input can form FTS5 syntax.
    static func ftsQuery(_ text: String) -> String? {
        let words = SearchKey.foldLigatures(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
        guard !words.isEmpty else { return nil }
        return words.map { "\"\($0)\"*" }.joined(separator: " ")
    }
}
