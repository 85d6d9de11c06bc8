import CaisseAPI
import CaisseCore
import Foundation
import GRDB

extension RegisterStore {
    /// Starts a count of the whole store ("all"), of one category, or of a shelf ("shelf:NAME":
    /// whatever is scanned there, never zeroing the rest); one at a time.
    @discardableResult
    /// The active catalog's categories, in order: what a count can take.
    public func categories() throws -> [String] {
        try writer.read { db in try Self.categories(db) }
    }

    static func categories(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT category FROM product WHERE active = 1 AND category <> '' ORDER BY category")
    }

    @discardableResult
    public func startCount(scope: CountScope, by userId: Int64, at time: Int64? = nil) throws -> StockCount {
        try writer.write { db in
            try requireActiveUser(db, id: userId, atLeast: .employee)
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM stock_count") == 0 else {
                throw StoreError(.countAlreadyUnderWay)
            }
            var scope = scope
            // A category as the catalog spells it: its name, or a unique word's start (issue 28).
            let categories = try Self.categories(db)
            switch scope {
            case .store: break
            case .shelf(let shelf):
                guard !shelf.isEmpty, DocumentCheck.isCleanText(shelf, maxLength: 60) else {
                    throw StoreError(.nameTheShelf)
                }
            case .category(let typed):
                switch StockCount.category(typed, in: categories) {
                case .one(let name): scope = .category(name)
                case .several(let names):
                    throw StoreError(.whichCategory(names))
                case .none:
                    throw StoreError(.noSuchCategory(among: categories))
                }
            }
            let count = StockCount(id: UUID().uuidString.lowercased(), scope: scope, startedAt: time ?? Self.now(), startedBy: userId, lines: [])
            try db.execute(sql: "INSERT INTO stock_count(id, scope, started_at, started_by) VALUES (?, ?, ?, ?)",
                           arguments: [count.id, count.scope.stored, count.startedAt, userId])
            return count
        }
    }

    /// Adds units counted of a product (a scan adds one; a typed quantity, that many). The
    /// product's book stock is taken the first time it is counted: sales after that are
    /// not counted against it.
    @discardableResult
    public func count(productId: Int64, units: Int, at time: Int64? = nil) throws -> StockCount {
        guard (1...Quantity.maximumPerLine).contains(units) else {
            throw StoreError(.countUnitsAtATime(max: Quantity.maximumPerLine))
        }
        try writer.write { db in
            guard let (id, scope) = try Row.fetchOne(db, sql: "SELECT id, scope FROM stock_count").map({ ($0["id"] as String, CountScope(stored: $0["scope"])) }) else {
                throw StoreError(.noCountUnderWay)
            }
            guard let product = try Row.fetchOne(db, sql: "SELECT * FROM product WHERE id = ?", arguments: [productId]).map(Self.product) else {
                throw StoreError("unknown product \(productId)")
            }
            guard scope.covers(category: product.category) else {
                throw StoreError(.notInCountedScope(sku: product.sku, scope: scope))
            }
            let book = try onHand(db, productId: productId)
            try db.execute(sql: """
                INSERT INTO stock_count_line(count_id, product_id, book, counted, first_counted_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(count_id, product_id) DO UPDATE SET counted = counted + excluded.counted
                """, arguments: [id, productId, book, units, time ?? Self.now()])
            guard (try Int.fetchOne(db, sql: "SELECT counted FROM stock_count_line WHERE count_id = ? AND product_id = ?",
                                    arguments: [id, productId]) ?? 0) <= Quantity.maximumPerLine else {
                throw StoreError("more than \(Quantity.maximumPerLine) units of \(product.sku) counted")
            }
        }
        guard let count = try currentCount() else { throw StoreError("the count vanished") }
        return count
    }

    /// The count under way, each product with its book and what was counted.
    public func currentCount() throws -> StockCount? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM stock_count") else { return nil }
            let lines = try Row.fetchAll(db, sql: """
                SELECT l.product_id, l.book, l.counted, p.sku, p.name, p.price_cents FROM stock_count_line AS l
                JOIN product AS p ON p.id = l.product_id WHERE l.count_id = ? ORDER BY p.name
                """, arguments: [row["id"] as String]).map {
                StockCount.Line(productId: $0["product_id"], sku: $0["sku"], name: $0["name"], unitPrice: Money(cents: $0["price_cents"]),
                                book: $0["book"], counted: $0["counted"])
            }
            return StockCount(id: row["id"], scope: CountScope(stored: row["scope"]), startedAt: row["started_at"], startedBy: row["started_by"], lines: lines)
        }
    }

    /// Posts the count's differences as one correction (journaled, synced), then closes it.
    /// Beyond the store's limit at retail a manager of the store approves.
    @discardableResult
    ///
    /// - Parameter zeroUncounted: the products of the count's scope (the store or a category) that
    ///   were not counted are taken as counted at 0: their whole on-hand is a difference. Not for a shelf.
    public func confirmCount(by userId: Int64, approvedBy: Int64? = nil, zeroUncounted: Bool = false, at time: Int64? = nil) throws -> StockAdjustment? {
        guard var count = try currentCount() else { throw StoreError("no count under way") }
        if zeroUncounted {
            guard !count.scope.isShelf else { throw StoreError("a shelf's count never zeroes the products not counted") }
            count.lines += try uncounted(count)
        }
        let differences = count.differences
        if differences.isEmpty {
            try cancelCount()
            return nil
        }
        return try recordAdjustment(reason: .correction, lines: differences.map { ($0.productId, $0.difference) },
                                    note: "count \(count.scope)", by: userId, approvedBy: approvedBy, at: time, closingCount: count.id)
    }

    /// The active products of the count's scope not counted yet, each as counted 0 against its on-hand now.
    public func uncounted(_ count: StockCount) throws -> [StockCount.Line] {
        let counted = Set(count.lines.map(\.productId))
        return try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM product WHERE active = 1 ORDER BY name").map(Self.product)
                .filter { !counted.contains($0.id) && count.scope.covers(category: $0.category) }.map { p in
                StockCount.Line(productId: p.id, sku: p.sku, name: p.name, unitPrice: p.price, book: try onHand(db, productId: p.id), counted: 0)
            }
        }
    }

    public func cancelCount() throws {
        try writer.write { db in try db.execute(sql: "DELETE FROM stock_count") }
    }

    /// This till's on-hand of one product: central's snapshot plus its own movements past central's mark.
    func onHand(_ db: Database, productId: Int64) throws -> Int {
        let me = try identity(db)
        return try Int.fetchOne(db, sql: """
            SELECT coalesce((SELECT on_hand FROM stock_snapshot WHERE location_id = ?1 AND product_id = ?2), 0)
                 + coalesce((SELECT sum(quantity) FROM stock_movement
                             WHERE location_id = ?1 AND product_id = ?2 AND event_sequence > ?3), 0)
            """, arguments: [me.store.id, productId, try appliedMark(db)]) ?? 0
    }
}
