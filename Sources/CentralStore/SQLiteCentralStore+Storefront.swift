import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import GRDB

extension SQLiteCentralStore {
    public func signUp(_ input: CustomerInput, passwordHash: String, at time: Int64) async throws -> Customer {
        guard input.email != nil else { throw CentralError(.invalid, "an account on the web needs an email") }
        let customer = try await createCustomer(input, storeId: nil, at: time)
        try await writer.write { db in
            try db.execute(sql: "UPDATE customer SET password_hash = ? WHERE id = ?", arguments: [passwordHash, customer.id])
        }
        return customer
    }

    public func customerLogin(email: String) async throws -> CustomerLogin? {
        try readNow { db in
            try Row.fetchOne(db, sql: "SELECT * FROM customer WHERE email = ? AND erased_at IS NULL", arguments: [email.lowercased()]).map {
                CustomerLogin(customer: Self.customer($0), passwordHash: $0["password_hash"], lockedUntil: $0["locked_until"])
            }
        }
    }

    public func recordCustomerLoginFailure(customerId: Int64, maxFailures: Int, lockUntil: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE customer SET login_failures = login_failures + 1,
                    locked_until = CASE WHEN login_failures + 1 >= ? THEN ? ELSE locked_until END WHERE id = ?
                """, arguments: [maxFailures, lockUntil, customerId])
        }
    }

    public func recordCustomerLoginSuccess(customerId: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE customer SET login_failures = 0, locked_until = NULL WHERE id = ?", arguments: [customerId])
        }
    }

    public func openCustomerSession(customerId: Int64, tokenDigest: String, csrf: String, expiresAt: Int64, at time: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM customer_session WHERE expires_at < ?", arguments: [time])
            try db.execute(sql: "INSERT INTO customer_session(token_digest, customer_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [tokenDigest, customerId, csrf, time, expiresAt])
        }
    }

    public func customerSession(tokenDigest: String, at time: Int64) async throws -> CustomerSession? {
        try readNow { db in
            try Row.fetchOne(db, sql: """
                SELECT c.*, s.csrf FROM customer_session AS s JOIN customer AS c ON c.id = s.customer_id
                WHERE s.token_digest = ? AND s.expires_at > ? AND c.erased_at IS NULL
                """, arguments: [tokenDigest, time]).map { CustomerSession(customer: Self.customer($0), csrf: $0["csrf"]) }
        }
    }

    public func closeCustomerSession(tokenDigest: String) async throws {
        try await writer.write { db in try db.execute(sql: "DELETE FROM customer_session WHERE token_digest = ?", arguments: [tokenDigest]) }
    }

    /// What the store can still promise: on hand less what open orders (not past their pickup day) reserve.
    static let availableSQL = """
        max(0, coalesce((SELECT on_hand FROM stock WHERE location_id = ?1 AND product_id = p.id), 0)
            - coalesce((SELECT sum(l.quantity) FROM online_order_line AS l JOIN online_order AS o ON o.id = l.order_id
                        WHERE o.store_id = ?1 AND l.product_id = p.id AND o.state IN ('placed', 'preparing', 'ready') AND o.pickup_by >= ?2), 0))
        """

    static func requireShop(_ db: Database, storeId: Int64) throws {
        guard let store = try location(db, id: storeId), store.sells else { throw CentralError(.notFound, "no store \(storeId) sells online") }
    }

    public func shopItems(storeId: Int64, query: String?, after: Int64, limit: Int, at time: Int64) async throws -> [ShopItem] {
        try readNow { db in
            try Self.requireShop(db, storeId: storeId)
            let q = query.map { StoredForm.likeEscaped(SearchKey.fold($0)) }
            return try Row.fetchAll(db, sql: """
                SELECT p.*, \(Self.availableSQL) AS available FROM product AS p
                WHERE p.active AND p.id > ?3 AND (?4 IS NULL OR p.search_key LIKE '%' || ?4 || '%' ESCAPE '\\')
                ORDER BY p.id LIMIT ?5
                """, arguments: [storeId, time, after, q, max(1, min(limit, 100))]).map { ShopItem(product: Self.product($0), available: $0["available"]) }
        }
    }

    static func cart(_ db: Database, customerId: Int64, storeId: Int64, at time: Int64) throws -> [ShopCartLine] {
        try Row.fetchAll(db, sql: """
            SELECT p.*, c.quantity AS wanted, \(availableSQL) AS available FROM shop_cart_line AS c JOIN product AS p ON p.id = c.product_id
            WHERE c.customer_id = ?3 AND c.store_id = ?1 ORDER BY p.id
            """, arguments: [storeId, time, customerId]).map {
            ShopCartLine(item: ShopItem(product: product($0), available: $0["available"]), quantity: $0["wanted"])
        }
    }

    public func cart(customerId: Int64, storeId: Int64, at time: Int64) async throws -> [ShopCartLine] {
        try readNow { db in try Self.cart(db, customerId: customerId, storeId: storeId, at: time) }
    }

    public func setCartLine(customerId: Int64, storeId: Int64, productId: Int64, quantity: Int, at time: Int64) async throws {
        try await writer.write { db in
            try Self.requireShop(db, storeId: storeId)
            let item = try Row.fetchOne(db, sql: "SELECT p.*, \(Self.availableSQL) AS available FROM product AS p WHERE p.id = ?3",
                                        arguments: [storeId, time, productId]).map { ShopItem(product: Self.product($0), available: $0["available"]) }
            try OrderRules.cartQuantity(quantity, item: item, productId: productId)
            if quantity == 0 {
                try db.execute(sql: "DELETE FROM shop_cart_line WHERE customer_id = ? AND store_id = ? AND product_id = ?",
                               arguments: [customerId, storeId, productId])
            } else {
                guard try Int.fetchOne(db, sql: "SELECT count(*) FROM shop_cart_line WHERE customer_id = ? AND store_id = ? AND product_id <> ?",
                                       arguments: [customerId, storeId, productId]) ?? 0 < OrderRules.maxLines else {
                    throw CentralError(.invalid, "at most \(OrderRules.maxLines) lines per order")
                }
                try db.execute(sql: """
                    INSERT INTO shop_cart_line(customer_id, store_id, product_id, quantity) VALUES (?, ?, ?, ?)
                    ON CONFLICT(customer_id, store_id, product_id) DO UPDATE SET quantity = excluded.quantity
                    """, arguments: [customerId, storeId, productId, quantity])
            }
        }
    }

    public func checkout(customerId: Int64, storeId: Int64, orderId: String, holdDays: Int, at time: Int64) async throws -> OnlineOrder {
        // One writer at a time: what the cart is checked against is what no other checkout takes meanwhile.
        try await writer.write { db in
            try Self.requireShop(db, storeId: storeId)
            let order = try OrderRules.placed(try Self.cart(db, customerId: customerId, storeId: storeId, at: time), id: orderId,
                                              customerId: customerId, storeId: storeId, holdDays: holdDays, at: time)
            try Self.insert(db, order: order)
            try db.execute(sql: "DELETE FROM shop_cart_line WHERE customer_id = ? AND store_id = ?", arguments: [customerId, storeId])
            return order
        }
    }

    static func insert(_ db: Database, order o: OnlineOrder) throws {
        try db.execute(sql: """
            INSERT INTO online_order(id, number, customer_id, store_id, state, total_cents, created_at, updated_at, pickup_by, sale_id, change_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [o.id, o.number, o.customerId, o.storeId, o.state.rawValue, o.total.cents, o.createdAt, o.updatedAt, o.pickupBy,
                             o.saleId, try nextChanges(db)])
        for l in o.lines {
            try db.execute(sql: "INSERT INTO online_order_line(order_id, product_id, sku, name, quantity, unit_price_cents) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [o.id, l.productId, l.sku, l.name, l.quantity, l.unitPrice.cents])
        }
    }

    static func orders(_ db: Database, where condition: String, _ arguments: StatementArguments, at time: Int64) throws -> [OnlineOrder] {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM online_order WHERE \(condition) ORDER BY created_at DESC, id LIMIT 200", arguments: arguments)
        guard !rows.isEmpty else { return [] }
        var lines: [String: [OnlineOrder.Line]] = [:]
        for l in try Row.fetchAll(db, sql: "SELECT * FROM online_order_line WHERE order_id IN (SELECT value FROM json_each(?)) ORDER BY product_id",
                                  arguments: [try WireJSON.string(rows.map { $0["id"] as String })]) {
            lines[l["order_id"], default: []].append(OnlineOrder.Line(productId: l["product_id"], sku: l["sku"], name: l["name"],
                                                                     quantity: l["quantity"], unitPrice: Money(cents: l["unit_price_cents"])))
        }
        return rows.map { r in
            OrderRules.current(OnlineOrder(id: r["id"], number: r["number"], customerId: r["customer_id"], storeId: r["store_id"],
                                           state: OnlineOrder.State(rawValue: r["state"]) ?? .cancelled, lines: lines[r["id"]] ?? [],
                                           total: Money(cents: r["total_cents"]), createdAt: r["created_at"], updatedAt: r["updated_at"],
                                           pickupBy: r["pickup_by"], saleId: r["sale_id"]), at: time)
        }
    }

    public func orders(customerId: Int64, at time: Int64) async throws -> [OnlineOrder] {
        try readNow { db in try Self.orders(db, where: "customer_id = ?", [customerId], at: time) }
    }

    public func orders(storeId: Int64, openOnly: Bool, at time: Int64) async throws -> [OnlineOrder] {
        try readNow { db in
            try Self.orders(db, where: "store_id = ? AND (NOT ? OR (state IN ('placed', 'preparing', 'ready') AND pickup_by >= ?))",
                            [storeId, openOnly, time], at: time)
        }
    }

    public func order(id: String, at time: Int64) async throws -> OnlineOrder? {
        try readNow { db in try Self.orders(db, where: "id = ?", [id], at: time).first }
    }

    public func transitionOrder(id: String, action: OnlineOrder.Action, storeId: Int64?, customerId: Int64?, saleId: String?,
                                at time: Int64) async throws -> OnlineOrder {
        try await writer.write { db in
            let order = try OrderRules.transition(try Self.orders(db, where: "id = ?", [id], at: time).first, id: id, action: action,
                                                  storeId: storeId, customerId: customerId, saleId: saleId, at: time)
            try db.execute(sql: "UPDATE online_order SET state = ?, sale_id = ?, updated_at = ?, change_seq = ? WHERE id = ?",
                           arguments: [order.state.rawValue, order.saleId, time, try Self.nextChanges(db), id])
            return order
        }
    }

    /// Sums in `total()` clamped into Int64: a report never traps on what ingest admitted (issue 24's rule).
    public func channelSummary(from: Day, to: Day, fromMillis: Int64, toMillis: Int64, at time: Int64) async throws -> ChannelSummary {
        try await readOffPool { db in
            var pickups: [Int64: (count: Int, total: Money)] = [:]
            // From the orders to their sales (CROSS JOIN fixes SQLite's order): from the day's
            // documents it walked the whole ledger of the period, 1.3 s for 30 days of 20 stores.
            for row in try Row.fetchAll(db, sql: """
                SELECT o.store_id, count(*) AS n, CAST(max(min(total(d.subtotal_cents), 9.2e18), -9.2e18) AS INTEGER) AS total
                FROM online_order AS o CROSS JOIN document AS d ON d.id = o.sale_id
                WHERE o.sale_id IS NOT NULL AND o.state = 'picked_up' AND d.day BETWEEN ? AND ? GROUP BY o.store_id
                """, arguments: [from.number, to.number]) {
                pickups[row["store_id"]] = (row["n"], Money(cents: row["total"]))
            }
            var open: [Int64: (count: Int, oldest: Int64?)] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT store_id, count(*) AS n, min(created_at) AS oldest FROM online_order
                WHERE state IN ('placed', 'preparing', 'ready') AND pickup_by >= ? GROUP BY store_id
                """, arguments: [time]) {
                open[row["store_id"]] = (row["n"], row["oldest"])
            }
            let points = try Row.fetchOne(db, sql: """
                SELECT CAST(max(min(total(CASE WHEN kind = 'earned' AND created_at BETWEEN ?1 AND ?2 THEN points END), 9.2e18), -9.2e18) AS INTEGER) AS earned,
                       CAST(max(min(total(CASE WHEN kind = 'redeemed' AND created_at BETWEEN ?1 AND ?2 THEN -points END), 9.2e18), -9.2e18) AS INTEGER) AS redeemed,
                       CAST(max(min(total(points), 9.2e18), -9.2e18) AS INTEGER) AS outstanding
                FROM loyalty_entry
                """, arguments: [fromMillis, toMillis])
            return ChannelSummary(pickups: pickups, open: open, earned: points?["earned"] ?? 0, redeemed: points?["redeemed"] ?? 0,
                                  outstanding: points?["outstanding"] ?? 0)
        }
    }
}
