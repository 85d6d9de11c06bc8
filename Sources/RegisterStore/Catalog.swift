import Foundation
import CaisseCore
import GRDB

extension RegisterStore {
    /// Inserts or updates products (from data/ or a pull), keeping the search index in step.
    func upsert(_ db: Database, products: [Product]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO product(id, sku, barcode, name, category, price_cents, tax_class, reorder_point, overstock_threshold, active)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET sku = excluded.sku, barcode = excluded.barcode, name = excluded.name,
              category = excluded.category, price_cents = excluded.price_cents, tax_class = excluded.tax_class,
              reorder_point = excluded.reorder_point, overstock_threshold = excluded.overstock_threshold, active = excluded.active
            """)
        for p in products {
            try statement.execute(arguments: [p.id, p.sku.uppercased(), p.barcode, p.name, p.category, p.price.cents,
                                              p.taxClass.rawValue, p.reorderPoint, p.overstockThreshold, p.active])
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

    /// What the search box shows: an exact barcode/SKU match first, then
    /// accent-insensitive prefix matches on name, category and SKU, best first.
    /// Only products that can be sold are listed.
    public func search(_ text: String, limit: Int = 20) throws -> [Product] {
        try writer.read { db in
            var results: [Product] = []
            if let exact = try product(db, code: text), exact.active { results.append(exact) }
            guard let match = Self.ftsQuery(text), results.count < limit else { return results }
            // Short prefixes match much of a large catalog; ranking all of them
            // costs more than it tells, so they are listed in catalog order instead.
            let shortQuery = text.filter { $0.isLetter || $0.isNumber }.count <= 2
            let sql = shortQuery
                ? """
                  SELECT product.* FROM product_fts JOIN product ON product.id = product_fts.rowid
                  WHERE product_fts MATCH ? AND product.active = 1 LIMIT ?
                  """
                : """
                  SELECT product.* FROM product_fts JOIN product ON product.id = product_fts.rowid
                  WHERE product_fts MATCH ? AND product.active = 1
                  ORDER BY bm25(product_fts, 10.0, 2.0, 5.0), product.name LIMIT ?
                  """
            for row in try Row.fetchAll(db, sql: sql, arguments: [match, limit + 1]) {
                let p = Self.product(row)
                if p.id != results.first?.id { results.append(p) }
                if results.count == limit { break }
            }
            return results
        }
    }

    /// Turns typed text into an FTS5 query: every word must match as a prefix.
    /// Punctuation is dropped, so no input can form FTS5 syntax.
    static func ftsQuery(_ text: String) -> String? {
        let words = foldLigatures(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
        guard !words.isEmpty else { return nil }
        return words.map { "\"\($0)\"*" }.joined(separator: " ")
    }

    /// unicode61 folds accents but not ligatures: "œuf" is indexed and searched as "oeuf".
    static func foldLigatures(_ text: String) -> String {
        text.replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "Œ", with: "OE")
            .replacingOccurrences(of: "æ", with: "ae").replacingOccurrences(of: "Æ", with: "AE")
    }
}
