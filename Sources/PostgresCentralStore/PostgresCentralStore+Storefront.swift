import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import PostgresNIO

extension PostgresCentralStore {
    public func signUp(_ input: CustomerInput, passwordHash: String, at time: Int64) async throws -> Customer {
        guard input.email != nil else { throw CentralError(.invalid, "an account on the web needs an email") }
        let customer = try await createCustomer(input, storeId: nil, at: time)
        try await write { sql in try await sql.execute("UPDATE customer SET password_hash = $1 WHERE id = $2", passwordHash, customer.id) }
        return customer
    }

    public func customerLogin(email: String) async throws -> CustomerLogin? {
        try await read { sql in
            guard let row = try await sql.row("SELECT * FROM customer WHERE email = $1 AND erased_at IS NULL", email.lowercased()) else { return nil }
            return CustomerLogin(customer: try Self.customer(row), passwordHash: try row.get("password_hash"), lockedUntil: try row.get("locked_until"))
        }
    }

    public func recordCustomerLoginFailure(customerId: Int64, maxFailures: Int, lockUntil: Int64) async throws {
        try await write { sql in
            try await sql.execute("""
                UPDATE customer SET login_failures = login_failures + 1,
                    locked_until = CASE WHEN login_failures + 1 >= $1 THEN $2 ELSE locked_until END WHERE id = $3
                """, maxFailures, lockUntil, customerId)
        }
    }

    public func recordCustomerLoginSuccess(customerId: Int64) async throws {
        try await write { sql in try await sql.execute("UPDATE customer SET login_failures = 0, locked_until = NULL WHERE id = $1", customerId) }
    }

    public func openCustomerSession(customerId: Int64, tokenDigest: String, csrf: String, expiresAt: Int64, at time: Int64) async throws {
        try await write { sql in
            try await sql.execute("DELETE FROM customer_session WHERE expires_at < $1", time)
            try await sql.execute("INSERT INTO customer_session(token_digest, customer_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                                  tokenDigest, customerId, csrf, time, expiresAt)
        }
    }

    public func customerSession(tokenDigest: String, at time: Int64) async throws -> CustomerSession? {
        try await read { sql in
            guard let row = try await sql.row("""
                SELECT c.*, s.csrf FROM customer_session AS s JOIN customer AS c ON c.id = s.customer_id
                WHERE s.token_digest = $1 AND s.expires_at > $2 AND c.erased_at IS NULL
                """, tokenDigest, time) else { return nil }
            return CustomerSession(customer: try Self.customer(row), csrf: try row.get("csrf"))
        }
    }

    public func closeCustomerSession(tokenDigest: String) async throws {
        try await write { sql in try await sql.execute("DELETE FROM customer_session WHERE token_digest = $1", tokenDigest) }
    }

    /// What the store can still promise: on hand less what open orders (not past their pickup day) reserve.
    static let availableSQL = """
        greatest(0, coalesce((SELECT on_hand FROM stock WHERE location_id = $1 AND product_id = p.id), 0)
            - coalesce((SELECT sum(l.quantity) FROM online_order_line AS l JOIN online_order AS o ON o.id = l.order_id
                        WHERE o.store_id = $1 AND l.product_id = p.id AND o.state IN ('placed', 'preparing', 'ready') AND o.pickup_by >= $2), 0))::bigint
        """

    static func requireShop(_ sql: SQL, storeId: Int64) async throws {
        guard let store = try await location(sql, id: storeId), store.sells else { throw CentralError(.notFound, "no store \(storeId) sells online") }
    }

    static func shopItem(_ row: SQLRow) throws -> ShopItem {
        ShopItem(product: try product(row), available: Int(try row.get("available", as: Int64.self)))
    }

    public func shopItems(storeId: Int64, query: String?, after: Int64, limit: Int, at time: Int64) async throws -> [ShopItem] {
        try await read { sql in
            try await Self.requireShop(sql, storeId: storeId)
            let q = query.map { StoredForm.likeEscaped(SearchKey.fold($0)) }
            return try await sql.rows(#"""
                SELECT p.*, \#(Self.availableSQL) AS available FROM product AS p
                WHERE p.active AND p.id > $3 AND ($4::text IS NULL OR p.search_key LIKE '%' || $4 || '%' ESCAPE '\')
                ORDER BY p.id LIMIT $5
                """#, storeId, time, after, q, max(1, min(limit, 100))).map(Self.shopItem)
        }
    }

    static func cart(_ sql: SQL, customerId: Int64, storeId: Int64, at time: Int64, locking: Bool = false) async throws -> [ShopCartLine] {
        if locking {
            // The store's stock rows of the cart, locked in one order: two checkouts of the last units take turns.
            _ = try await sql.rows("""
                SELECT 1 FROM stock WHERE location_id = $1 AND product_id IN (SELECT product_id FROM shop_cart_line WHERE customer_id = $2 AND store_id = $1)
                ORDER BY product_id FOR UPDATE
                """, storeId, customerId)
        }
        return try await sql.rows("""
            SELECT p.*, c.quantity AS wanted, \(availableSQL) AS available FROM shop_cart_line AS c JOIN product AS p ON p.id = c.product_id
            WHERE c.customer_id = $3 AND c.store_id = $1 ORDER BY p.id
            """, storeId, time, customerId).map { ShopCartLine(item: try shopItem($0), quantity: Int(try $0.get("wanted", as: Int64.self))) }
    }

    public func cart(customerId: Int64, storeId: Int64, at time: Int64) async throws -> [ShopCartLine] {
        try await read { sql in try await Self.cart(sql, customerId: customerId, storeId: storeId, at: time) }
    }

    public func setCartLine(customerId: Int64, storeId: Int64, productId: Int64, quantity: Int, at time: Int64) async throws {
        try await write { sql in
            try await Self.requireShop(sql, storeId: storeId)
            let item = try await sql.row("SELECT p.*, \(Self.availableSQL) AS available FROM product AS p WHERE p.id = $3",
                                         storeId, time, productId).map(Self.shopItem)
            try OrderRules.cartQuantity(quantity, item: item, productId: productId)
            if quantity == 0 {
                try await sql.execute("DELETE FROM shop_cart_line WHERE customer_id = $1 AND store_id = $2 AND product_id = $3",
                                      customerId, storeId, productId)
            } else {
                guard try await sql.scalar(Int64.self, "SELECT count(*) FROM shop_cart_line WHERE customer_id = $1 AND store_id = $2 AND product_id <> $3",
                                           customerId, storeId, productId) ?? 0 < OrderRules.maxLines else {
                    throw CentralError(.invalid, "at most \(OrderRules.maxLines) lines per order")
                }
                try await sql.execute("""
                    INSERT INTO shop_cart_line(customer_id, store_id, product_id, quantity) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (customer_id, store_id, product_id) DO UPDATE SET quantity = excluded.quantity
                    """, customerId, storeId, productId, quantity)
            }
        }
    }

    public func checkout(customerId: Int64, storeId: Int64, orderId: String, holdDays: Int, at time: Int64) async throws -> OnlineOrder {
        try await write { sql in
            try await sql.reserve(1)
            try await Self.requireShop(sql, storeId: storeId)
            let order = try OrderRules.placed(try await Self.cart(sql, customerId: customerId, storeId: storeId, at: time, locking: true),
                                              id: orderId, customerId: customerId, storeId: storeId, holdDays: holdDays, at: time)
            try await sql.execute("""
                INSERT INTO online_order(id, number, customer_id, store_id, state, total_cents, created_at, updated_at, pickup_by, sale_id, change_seq)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                """, order.id, order.number, order.customerId, order.storeId, order.state.rawValue, order.total.cents, order.createdAt,
                                  order.updatedAt, order.pickupBy, order.saleId, try await sql.change())
            for l in order.lines {
                try await sql.execute("""
                    INSERT INTO online_order_line(order_id, product_id, sku, name, quantity, unit_price_cents) VALUES ($1, $2, $3, $4, $5, $6)
                    """, order.id, l.productId, l.sku, l.name, l.quantity, l.unitPrice.cents)
            }
            try await sql.execute("DELETE FROM shop_cart_line WHERE customer_id = $1 AND store_id = $2", customerId, storeId)
            return order
        }
    }

    static func orders(_ sql: SQL, where condition: String, _ arguments: [any SQLArgument], at time: Int64, locking: Bool = false) async throws -> [OnlineOrder] {
        let rows = try await sql.rows("SELECT * FROM online_order WHERE \(condition) ORDER BY created_at DESC, id LIMIT 200" + (locking ? " FOR UPDATE" : ""),
                                      arguments: arguments)
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.get("id", as: String.self) }
        var lines: [String: [OnlineOrder.Line]] = [:]
        for l in try await sql.rows("SELECT * FROM online_order_line WHERE order_id = ANY($1::text[]) ORDER BY product_id", ids) {
            lines[try l.get("order_id"), default: []].append(OnlineOrder.Line(
                productId: try l.get("product_id"), sku: try l.get("sku"), name: try l.get("name"),
                quantity: Int(try l.get("quantity", as: Int64.self)), unitPrice: Money(cents: try l.get("unit_price_cents"))))
        }
        return try rows.map { r in
            let id: String = try r.get("id")
            return OrderRules.current(OnlineOrder(
                id: id, number: try r.get("number"), customerId: try r.get("customer_id"), storeId: try r.get("store_id"),
                state: OnlineOrder.State(rawValue: try r.get("state")) ?? .cancelled, lines: lines[id] ?? [], total: Money(cents: try r.get("total_cents")),
                createdAt: try r.get("created_at"), updatedAt: try r.get("updated_at"), pickupBy: try r.get("pickup_by"), saleId: try r.get("sale_id")),
                                      at: time)
        }
    }

    public func orders(customerId: Int64, at time: Int64) async throws -> [OnlineOrder] {
        try await snapshot { sql in try await Self.orders(sql, where: "customer_id = $1", [customerId], at: time) }
    }

    public func orders(storeId: Int64, openOnly: Bool, at time: Int64) async throws -> [OnlineOrder] {
        try await snapshot { sql in
            try await Self.orders(sql, where: "store_id = $1 AND (NOT $2 OR (state IN ('placed', 'preparing', 'ready') AND pickup_by >= $3))",
                                  [storeId, openOnly, time], at: time)
        }
    }

    public func order(id: String, at time: Int64) async throws -> OnlineOrder? {
        try await snapshot { sql in try await Self.orders(sql, where: "id = $1", [id], at: time).first }
    }

    public func transitionOrder(id: String, action: OnlineOrder.Action, storeId: Int64?, customerId: Int64?, saleId: String?,
                                at time: Int64) async throws -> OnlineOrder {
        try await write { sql in
            try await sql.reserve(1)
            let order = try OrderRules.transition(try await Self.orders(sql, where: "id = $1", [id], at: time, locking: true).first, id: id,
                                                  action: action, storeId: storeId, customerId: customerId, saleId: saleId, at: time)
            try await sql.execute("UPDATE online_order SET state = $1, sale_id = $2, updated_at = $3, change_seq = $4 WHERE id = $5",
                                  order.state.rawValue, order.saleId, time, try await sql.change(), id)
            return order
        }
    }

    /// Sums in numeric (PostgreSQL's sum of bigint) clamped into bigint: a report never traps on what ingest admitted.
    public func channelSummary(from: Day, to: Day, fromMillis: Int64, toMillis: Int64, at time: Int64) async throws -> ChannelSummary {
        try await snapshot { sql in
            var pickups: [Int64: (count: Int, total: Money)] = [:]
            for row in try await sql.rows("""
                SELECT o.store_id, count(*) AS n, greatest(least(coalesce(sum(d.subtotal_cents), 0), 9200000000000000000), -9200000000000000000)::bigint AS total FROM online_order AS o JOIN document AS d ON d.id = o.sale_id
                WHERE o.state = 'picked_up' AND d.day BETWEEN $1 AND $2 GROUP BY o.store_id
                """, Int64(from.number), Int64(to.number)) {
                pickups[try row.get("store_id")] = (Int(try row.get("n", as: Int64.self)), Money(cents: try row.get("total")))
            }
            var open: [Int64: (count: Int, oldest: Int64?)] = [:]
            for row in try await sql.rows("""
                SELECT store_id, count(*) AS n, min(created_at) AS oldest FROM online_order
                WHERE state IN ('placed', 'preparing', 'ready') AND pickup_by >= $1 GROUP BY store_id
                """, time) {
                open[try row.get("store_id")] = (Int(try row.get("n", as: Int64.self)), try row.get("oldest", as: Int64?.self))
            }
            let row = try await sql.row("""
                SELECT greatest(least(coalesce(sum(CASE WHEN kind = 'earned' AND created_at BETWEEN $1 AND $2 THEN points END), 0), 9200000000000000000), -9200000000000000000)::bigint AS earned,
                       greatest(least(coalesce(sum(CASE WHEN kind = 'redeemed' AND created_at BETWEEN $1 AND $2 THEN -points END), 0), 9200000000000000000), -9200000000000000000)::bigint AS redeemed,
                       greatest(least(coalesce(sum(points), 0), 9200000000000000000), -9200000000000000000)::bigint AS outstanding
                FROM loyalty_entry
                """, fromMillis, toMillis)
            return ChannelSummary(pickups: pickups, open: open, earned: try row?.get("earned") ?? 0, redeemed: try row?.get("redeemed") ?? 0,
                                  outstanding: try row?.get("outstanding") ?? 0)
        }
    }
}
