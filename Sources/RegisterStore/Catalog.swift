import CaisseAPI
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
            INSERT INTO product(id, sku, barcode, name, category, price_cents, tax_class, reorder_point, overstock_threshold, active, search_key, fresh)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET sku = excluded.sku, barcode = excluded.barcode, name = excluded.name,
              category = excluded.category, price_cents = excluded.price_cents, tax_class = excluded.tax_class,
              reorder_point = excluded.reorder_point, overstock_threshold = excluded.overstock_threshold, active = excluded.active,
              search_key = excluded.search_key, fresh = excluded.fresh
            """)
        for p in products {
            try statement.execute(arguments: [p.id, p.sku.uppercased(), p.barcode, p.name, p.category, p.price.cents,
                                              p.taxClass.rawValue, p.reorderPoint, p.overstockThreshold, p.active, SearchKey.fold(p.name), p.fresh])
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
                reorderPoint: row["reorder_point"], overstockThreshold: row["overstock_threshold"], active: row["active"], fresh: row["fresh"])
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

    /// One page of what the search box shows, and how many match in all.
    public struct SearchPage: Hashable, Sendable {
        public var products: [Product]
        /// Matches in all (at most `searchCap + 1`: beyond it, "more than `searchCap`").
        public var total: Int
        public var offset: Int
    }

    /// How many matches are gathered and ranked; a shorter text than that is too vague to rank.
    public static let searchCap = 300

    /// What the search box shows, only products that can be sold:
    /// 1. an exact barcode or SKU (a scan): that product alone;
    /// 2. otherwise every match (up to `searchCap`) of names that start with the
    ///    typed text (a B-tree range, accents and case aside), then of FTS5 prefix
    ///    matches of every word in name, category or SKU (bm25 order);
    /// 3. ranked by the units this till sold, most first (a stable sort: the match
    ///    order decides among equals), and cut to one page.
    public func searchPage(_ text: String, offset: Int = 0, limit: Int = 20) throws -> SearchPage {
        let offset = max(0, offset)
        guard limit > 0 else { return SearchPage(products: [], total: 0, offset: offset) }
        return try writer.read { db in
            if let exact = try product(db, code: text), exact.active { return SearchPage(products: [exact], total: 1, offset: 0) }
            // Candidates as ids only (from the index, no row decoded): ranking reads
            // a few hundred integers, and only the page shown becomes products.
            let cap = Self.searchCap + 1
            var ids: [Int64] = []
            var seen = Set<Int64>()
            func take(_ found: [Int64]) {
                for id in found where ids.count < cap && seen.insert(id).inserted { ids.append(id) }
            }
            let key = SearchKey.fold(text)
            guard !key.isEmpty else { return SearchPage(products: [], total: 0, offset: offset) }
            take(try Int64.fetchAll(db, sql: """
                SELECT id FROM product WHERE search_key >= ? AND search_key < ? AND active = 1 ORDER BY search_key LIMIT ?
                """, arguments: [key, key + "\u{10FFFF}", cap]))
            if ids.count < cap, let match = Self.ftsQuery(text) {
                // bm25 scores every match: worth it for a few hundred, not for the
                // tens of thousands a short word hits in a large catalog.
                let hits = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM product_fts WHERE product_fts MATCH ? LIMIT ?)",
                                            arguments: [match, cap]) ?? 0
                take(try Int64.fetchAll(db, sql: """
                    SELECT product.id FROM product_fts JOIN product ON product.id = product_fts.rowid
                    WHERE product_fts MATCH ? AND product.active = 1
                    \(hits <= Self.searchCap ? "ORDER BY bm25(product_fts, 10.0, 2.0, 5.0), product.name" : "") LIMIT ?
                    """, arguments: [match, cap + ids.count]))
            }
            var sold: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT product_id, units FROM product_sold WHERE product_id IN (SELECT value FROM json_each(?))",
                                        arguments: [try WireJSON.string(ids)]) {
                sold[row["product_id"]] = row["units"]
            }
            // What sells most first; the match order among equals (a stable sort).
            let page = Array(ids.enumerated().sorted { a, b in
                let ua = sold[a.element] ?? 0, ub = sold[b.element] ?? 0
                return ua != ub ? ua > ub : a.offset < b.offset
            }.map(\.element).dropFirst(offset).prefix(limit))
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM product WHERE id IN (SELECT value FROM json_each(?))",
                                        arguments: [try WireJSON.string(page)]).map(Self.product)
            let byId = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            return SearchPage(products: page.compactMap { byId[$0] }, total: ids.count, offset: offset)
        }
    }

    /// The first page of `searchPage`: what the search box shows first.
    public func search(_ text: String, limit: Int = 20) throws -> [Product] {
        try searchPage(text, limit: limit).products
    }

    /// Turns typed text into an FTS5 query: every word must match as a prefix.
    /// Punctuation is dropped, so no input can form FTS5 syntax.
    static func ftsQuery(_ text: String) -> String? {
        let words = SearchKey.foldLigatures(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
        guard !words.isEmpty else { return nil }
        return words.map { "\"\($0)\"*" }.joined(separator: " ")
    }
}
