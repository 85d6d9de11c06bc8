import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import PostgresNIO

extension PostgresCentralStore {
    static func customer(_ row: SQLRow) throws -> Customer {
        Customer(id: try row.get("id"), cardNumber: try row.get("card_number"), name: try row.get("name"), email: try row.get("email"),
                 phone: try row.get("phone"), language: try row.get("language"), loyaltyConsentAt: try row.get("loyalty_consent_at"),
                 marketingConsentAt: try row.get("marketing_consent_at"), createdAt: try row.get("created_at"),
                 storeId: try row.get("store_id"), erasedAt: try row.get("erased_at"))
    }

    static func loyaltyEntry(_ row: SQLRow) throws -> LoyaltyEntry {
        LoyaltyEntry(id: try row.get("id"), customerId: try row.get("customer_id"),
                     kind: LoyaltyEntry.Kind(rawValue: try row.get("kind")) ?? .adjusted, points: try row.get("points"),
                     reference: try row.get("reference"), reason: try row.get("reason"), createdAt: try row.get("created_at"))
    }

    public func createCustomer(_ input: CustomerInput, storeId: Int64?, at time: Int64) async throws -> Customer {
        try await write { sql in
            let id = try await sql.scalar(Int64.self, "SELECT nextval(pg_get_serial_sequence('customer', 'id'))") ?? 0
            let c = try CustomerRules.new(input, id: id, storeId: storeId, at: time)
            if let email = c.email, try await sql.scalar(Int64.self, "SELECT id FROM customer WHERE email = $1", email) != nil {
                throw CentralError(.conflict, "a customer already has the email \(email)")
            }
            try await sql.execute("""
                INSERT INTO customer(id, card_number, name, email, phone, language, loyalty_consent_at, marketing_consent_at, created_at, store_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                """, c.id, c.cardNumber, c.name, c.email, c.phone, c.language, c.loyaltyConsentAt, c.marketingConsentAt, c.createdAt, c.storeId)
            return c
        }
    }

    public func customers(matching query: String, byName: Bool, limit: Int) async throws -> [Customer] {
        let key = try CustomerRules.searchKey(query)
        return try await read { sql in
            try await sql.rows(#"""
                SELECT * FROM customer WHERE erased_at IS NULL
                    AND (phone = $1 OR email = $1 OR card_number = $1 OR ($2 AND name ILIKE '%' || $3 || '%' ESCAPE '\'))
                ORDER BY id LIMIT $4
                """#, key, byName, StoredForm.likeEscaped(key), max(1, min(limit, 100))).map(Self.customer)
        }
    }

    public func customer(id: Int64) async throws -> Customer? {
        try await read { sql in try await sql.row("SELECT * FROM customer WHERE id = $1", id).map(Self.customer) }
    }

    public func loyaltyProgram() async throws -> LoyaltyProgram {
        try await read { sql in try await Self.loyaltyProgram(sql) }
    }

    static func loyaltyProgram(_ sql: SQL) async throws -> LoyaltyProgram {
        try await sql.scalar(String.self, "SELECT definition FROM loyalty_program WHERE id = 1").map(StoredForm.loyaltyProgram) ?? .none
    }

    public func setLoyaltyProgram(_ program: LoyaltyProgram) async throws {
        do { try program.validate() } catch { throw CentralError(.invalid, error.message) }
        let text = try WireJSON.string(program)
        try await write { sql in
            try await sql.execute("""
                INSERT INTO loyalty_program(id, definition, change_seq) VALUES (1, $1, $2)
                ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, change_seq = excluded.change_seq
                """, text, try await sql.change())
        }
    }

    public func loyaltyAccount(customerId: Int64) async throws -> LoyaltyAccount {
        try await snapshot { sql in try await Self.loyaltyAccount(sql, customerId: customerId) }
    }

    static func loyaltyAccount(_ sql: SQL, customerId: Int64) async throws -> LoyaltyAccount {
        guard try await sql.scalar(Int64.self, "SELECT id FROM customer WHERE id = $1", customerId) != nil else {
            throw CentralError(.notFound, "no customer \(customerId)")
        }
        return LoyaltyAccount(customerId: customerId,
                              entries: try await sql.rows("SELECT * FROM loyalty_entry WHERE customer_id = $1 ORDER BY id", customerId).map(Self.loyaltyEntry))
    }

    /// The customer's row locked, then their balance: what a hold or an adjustment takes from
    /// is what no other instance takes from at the same time.
    static func lockedBalance(_ sql: SQL, customerId: Int64) async throws -> Int64 {
        _ = try await sql.scalar(Int64.self, "SELECT id FROM customer WHERE id = $1 FOR UPDATE", customerId)
        return try await sql.scalar(Int64.self, "SELECT greatest(least(coalesce(sum(points), 0), 9200000000000000000), -9200000000000000000)::bigint FROM loyalty_entry WHERE customer_id = $1", customerId) ?? 0
    }

    static func addEntry(_ sql: SQL, customerId: Int64, kind: LoyaltyEntry.Kind, points: Int64, reference: String?, reason: String?,
                         at time: Int64) async throws -> LoyaltyEntry {
        let id = try await sql.scalar(Int64.self, """
            INSERT INTO loyalty_entry(customer_id, kind, points, reference, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
            """, customerId, kind.rawValue, points, reference, reason, time) ?? 0
        return LoyaltyEntry(id: id, customerId: customerId, kind: kind, points: points, reference: reference, reason: reason, createdAt: time)
    }

    public func adjustPoints(customerId: Int64, _ adjustment: PointsAdjustment, at time: Int64) async throws -> LoyaltyEntry {
        try await write { sql in
            guard try await sql.row("SELECT * FROM customer WHERE id = $1", customerId) != nil else {
                throw CentralError(.notFound, "no customer \(customerId)")
            }
            try CustomerRules.adjustment(adjustment, balance: try await Self.lockedBalance(sql, customerId: customerId))
            return try await Self.addEntry(sql, customerId: customerId, kind: .adjusted, points: adjustment.points, reference: nil,
                                           reason: adjustment.reason.trimmingCharacters(in: .whitespaces), at: time)
        }
    }

    public func customersWithPointsCredited(before cutoff: Int64) async throws -> [Int64] {
        try await read { sql in
            try await sql.rows("""
                SELECT customer_id FROM loyalty_entry GROUP BY customer_id
                HAVING sum(points) > 0 AND min(created_at) FILTER (WHERE points > 0) < $1 ORDER BY customer_id
                """, cutoff).map { try $0.get("customer_id") as Int64 }
        }
    }

    public func expirePoints(customerId: Int64, cutoff: Int64, at time: Int64) async throws -> Bool {
        try await write { sql in
            // The customer's lock, as a hold takes it: two instances expiring at once, or a hold
            // meanwhile, read the ledger one after the other.
            _ = try await Self.lockedBalance(sql, customerId: customerId)
            let entries = try await sql.rows("SELECT * FROM loyalty_entry WHERE customer_id = $1", customerId).map(Self.loyaltyEntry)
            let due = LoyaltyExpiry.due(entries, cutoff: cutoff)
            guard due > 0 else { return false }
            _ = try await Self.addEntry(sql, customerId: customerId, kind: .expired, points: -due, reference: nil,
                                        reason: LoyaltyExpiry.reason(cutoff: cutoff), at: time)
            return true
        }
    }

    public func holdPoints(_ request: LoyaltyHoldRequest, id: String, at time: Int64) async throws -> LoyaltyHold {
        try await write { sql in
            let customer = try await sql.row("SELECT * FROM customer WHERE card_number = $1", request.cardNumber).map(Self.customer)
            let balance: Int64 = if let customer { try await Self.lockedBalance(sql, customerId: customer.id) } else { 0 }
            let hold = try CustomerRules.hold(request, id: id, customer: customer, balance: balance, program: try await Self.loyaltyProgram(sql))
            _ = try await Self.addEntry(sql, customerId: hold.customerId, kind: .held, points: -hold.points, reference: id,
                                        reason: "reward of \(hold.value)", at: time)
            return hold
        }
    }

    public func settleHold(id: String, redeemed: Bool, at time: Int64) async throws -> LoyaltyEntry {
        try await write { sql in
            let held = try await sql.row("""
                SELECT * FROM loyalty_entry WHERE reference = $1 AND kind IN ('held', 'redeemed', 'released') FOR UPDATE
                """, id).map(Self.loyaltyEntry)
            let settled = try CustomerRules.settle(held, id: id, redeemed: redeemed)
            try await sql.execute("UPDATE loyalty_entry SET kind = $1, points = $2, reason = $3 WHERE id = $4",
                                  settled.kind.rawValue, settled.points, settled.reason, settled.id)
            return settled
        }
    }

    public func exportCustomer(id: Int64, by: String, at time: Int64) async throws -> CustomerExport {
        try await write { sql in
            guard let customer = try await sql.row("SELECT * FROM customer WHERE id = $1", id).map(Self.customer) else {
                throw CentralError(.notFound, "no customer \(id)")
            }
            let account = try await Self.loyaltyAccount(sql, customerId: id)
            let receipts = try await sql.rows("""
                SELECT d.receipt_number FROM loyalty_entry AS l JOIN document AS d ON d.id = l.reference
                WHERE l.customer_id = $1 AND l.kind IN ('earned', 'reversed') ORDER BY d.created_at
                """, id).map { try $0.get("receipt_number", as: String.self) }
            try await sql.execute("INSERT INTO customer_record(customer_id, action, by_user, created_at) VALUES ($1, 'exported', $2, $3)", id, by, time)
            return CustomerExport(customer: customer, loyalty: account, receipts: receipts, exportedAt: time)
        }
    }

    public func eraseCustomer(id: Int64, by: String, at time: Int64) async throws -> Customer {
        try await write { sql in
            guard let customer = try await sql.row("SELECT * FROM customer WHERE id = $1 FOR UPDATE", id).map(Self.customer) else {
                throw CentralError(.notFound, "no customer \(id)")
            }
            let gone = try CustomerRules.erased(customer, at: time)
            try await sql.execute("""
                UPDATE customer SET name = NULL, email = NULL, phone = NULL, loyalty_consent_at = NULL, marketing_consent_at = NULL,
                    password_hash = NULL, erased_at = $1 WHERE id = $2
                """, time, id)
            try await sql.execute("DELETE FROM customer_session WHERE customer_id = $1", id)
            try await sql.execute("DELETE FROM shop_cart_line WHERE customer_id = $1", id)
            try await sql.execute("INSERT INTO customer_record(customer_id, action, by_user, created_at) VALUES ($1, 'erased', $2, $3)", id, by, time)
            return gone
        }
    }
}
