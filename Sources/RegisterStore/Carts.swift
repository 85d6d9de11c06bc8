import CaisseAPI
import CaisseCore
import Foundation
import GRDB

extension RegisterStore {
    /// Saves the cart on screen, or forgets it (nil or empty: sold, voided or parked).
    public func saveCurrentCart(_ cart: Cart?, cashierId: Int64, at time: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM held_cart WHERE kind = 'current'")
            guard let cart, !cart.isEmpty else { return }
            try db.execute(sql: "INSERT INTO held_cart(kind, cashier_id, created_at, lines) VALUES ('current', ?, ?, ?)",
                           arguments: [cashierId, time, try WireJSON.string(cart)])
        }
    }

    /// The cart that was on screen when the till stopped, if any.
    public func currentCart() throws -> HeldCart? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM held_cart WHERE kind = 'current'").map(Self.heldCart)
        }
    }

    /// Puts a sale aside; the screen's cart is then empty. Returns how many wait.
    @discardableResult
    public func park(_ cart: Cart, cashierId: Int64, at time: Int64) throws -> Int {
        guard !cart.isEmpty else { throw StoreError("an empty cart cannot be parked") }
        return try writer.write { db in
            try db.execute(sql: "DELETE FROM held_cart WHERE kind = 'current'")
            try db.execute(sql: "INSERT INTO held_cart(kind, cashier_id, created_at, lines) VALUES ('parked', ?, ?, ?)",
                           arguments: [cashierId, time, try WireJSON.string(cart)])
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM held_cart WHERE kind = 'parked'") ?? 0
        }
    }

    /// The parked sales, oldest first.
    public func parkedCarts() throws -> [HeldCart] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM held_cart WHERE kind = 'parked' ORDER BY created_at, id").map(Self.heldCart)
        }
    }

    /// Takes a parked sale back: it leaves the parked list and becomes the cart on screen, in one transaction.
    public func recall(parkedId: Int64, cashierId: Int64, at time: Int64) throws -> Cart {
        try writer.write { db in
            guard let held = try Row.fetchOne(db, sql: "SELECT * FROM held_cart WHERE kind = 'parked' AND id = ?",
                                              arguments: [parkedId]).map(Self.heldCart) else {
                throw StoreError("no parked sale \(parkedId)")
            }
            try db.execute(sql: "DELETE FROM held_cart WHERE kind = 'current' OR id = ?", arguments: [parkedId])
            try db.execute(sql: "INSERT INTO held_cart(kind, cashier_id, created_at, lines) VALUES ('current', ?, ?, ?)",
                           arguments: [cashierId, time, try WireJSON.string(held.cart)])
            return held.cart
        }
    }

    /// The whole cart, with the discounts given on it.
    static func heldCart(_ row: Row) throws -> HeldCart {
        let text: String = row["lines"]
        return HeldCart(id: row["id"], cashierId: row["cashier_id"], createdAt: row["created_at"],
                        cart: try WireJSON.decoder.decode(Cart.self, from: Data(text.utf8)))
    }

    // MARK: - Quick keys

    /// The store's quick keys, in order, as central last sent them (products no longer sold left out).
    public func quickKeys() throws -> [Product] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT product.* FROM quick_key JOIN product ON product.id = quick_key.product_id
                WHERE product.active = 1 ORDER BY quick_key.position
                """).map(Self.product)
        }
    }

    func replaceQuickKeys(_ db: Database, productIds: [Int64]) throws {
        try db.execute(sql: "DELETE FROM quick_key")
        for (i, id) in productIds.enumerated() {
            try db.execute(sql: "INSERT INTO quick_key(position, product_id) VALUES (?, ?)", arguments: [i + 1, id])
        }
    }
}

extension RegisterStore {
    /// This register's sales since `since` (milliseconds), newest first: the list
    /// a return or a reprint picks from.
    public func sales(since: Int64, limit: Int = 200) throws -> [SaleSummary] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT sale.receipt_number, sale.created_at, sale.total_cents,
                       (SELECT coalesce(sum(quantity), 0) FROM sale_line WHERE sale_line.sale_id = sale.id) AS items,
                       (SELECT coalesce(sum(return_line.quantity), 0) FROM return_line
                          JOIN sale_return ON sale_return.id = return_line.return_id
                         WHERE sale_return.original_sale_id = sale.id) AS returned
                FROM sale WHERE sale.created_at >= ? ORDER BY sale.created_at DESC, sale.receipt_number DESC LIMIT ?
                """, arguments: [since, limit]).map {
                SaleSummary(receiptNumber: $0["receipt_number"], createdAt: $0["created_at"], total: Money(cents: $0["total_cents"]),
                            itemCount: $0["items"], returnedCount: $0["returned"])
            }
        }
    }
}

extension RegisterStore {
    /// The promotions central sent, every store's (`Promotion.runs` picks this store's).
    public func promotions() throws -> [Promotion] {
        try writer.read { db in
            try String.fetchAll(db, sql: "SELECT definition FROM promotion ORDER BY id").map {
                try WireJSON.decoder.decode(Promotion.self, from: Data($0.utf8))
            }
        }
    }

    /// The promotions running in this store at `millis` (its local day and hour).
    public func runningPromotions(at millis: Int64) throws -> [Promotion] {
        let me = try identity()
        let zone = TimeZone(identifier: me.store.timeZone) ?? TimeZone(secondsFromGMT: 0)!
        let moment = LocalMoment(epochMillis: millis, utcOffsetSeconds: zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000)))
        return try promotions().filter { $0.runs(storeId: me.store.id, at: moment) }
    }

    /// How far this store's cashiers and employees may discount without a manager (central's, or the standard limit).
    public func discountPolicy() throws -> DiscountPolicy {
        try writer.read { db in try discountPolicy(db) }
    }

    func discountPolicy(_ db: Database) throws -> DiscountPolicy {
        try setting(db, Settings.storePolicy).map { try WireJSON.decoder.decode(DiscountPolicy.self, from: Data($0.utf8)) } ?? .standard
    }

    /// Head office's loyalty program as last pulled (nil before the first pull that carried one):
    /// what the receipt says a sale with a card earns. Central credits the points itself.
    public func loyaltyProgram() throws -> LoyaltyProgram? {
        try writer.read { db in try setting(db, Settings.loyaltyProgram).map { try WireJSON.decoder.decode(LoyaltyProgram.self, from: Data($0.utf8)) } }
    }

    func apply(_ db: Database, promotions: [Promotion]?, policy: DiscountPolicy?, program: LoyaltyProgram? = nil) throws {
        if let program { try set(db, Settings.loyaltyProgram, try WireJSON.string(program)) }
        for p in promotions ?? [] {
            try db.execute(sql: """
                INSERT INTO promotion(id, definition) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET definition = excluded.definition
                """, arguments: [p.id, try WireJSON.string(p)])
        }
        if let policy { try set(db, Settings.storePolicy, try WireJSON.string(policy)) }
    }
}
