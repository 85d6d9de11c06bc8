import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import GRDB

extension SQLiteCentralStore {
    static func customer(_ row: Row) -> Customer {
        Customer(id: row["id"], cardNumber: row["card_number"], name: row["name"], email: row["email"], phone: row["phone"],
                 language: row["language"], loyaltyConsentAt: row["loyalty_consent_at"], marketingConsentAt: row["marketing_consent_at"],
                 createdAt: row["created_at"], storeId: row["store_id"], erasedAt: row["erased_at"])
    }

    static func loyaltyEntry(_ row: Row) -> LoyaltyEntry {
        LoyaltyEntry(id: row["id"], customerId: row["customer_id"], kind: LoyaltyEntry.Kind(rawValue: row["kind"]) ?? .adjusted,
                     points: row["points"], reference: row["reference"], reason: row["reason"], createdAt: row["created_at"])
    }

    public func createCustomer(_ input: CustomerInput, storeId: Int64?, at time: Int64) async throws -> Customer {
        try await writer.write { db in
            let id = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM customer") ?? 0) + 1
            let c = try CustomerRules.new(input, id: id, storeId: storeId, at: time)
            if let email = c.email, try Int64.fetchOne(db, sql: "SELECT id FROM customer WHERE email = ?", arguments: [email]) != nil {
                throw CentralError(.conflict, "a customer already has the email \(email)")
            }
            try db.execute(sql: """
                INSERT INTO customer(id, card_number, name, email, phone, language, loyalty_consent_at, marketing_consent_at, created_at, store_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [c.id, c.cardNumber, c.name, c.email, c.phone, c.language, c.loyaltyConsentAt, c.marketingConsentAt,
                                 c.createdAt, c.storeId])
            return c
        }
    }

    public func customers(matching query: String, byName: Bool, limit: Int) async throws -> [Customer] {
        let key = try CustomerRules.searchKey(query)
        return try readNow { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM customer WHERE erased_at IS NULL
                    AND (phone = ?1 OR email = ?1 OR card_number = ?1 OR (?2 AND name LIKE '%' || ?3 || '%' ESCAPE '\\'))
                ORDER BY id LIMIT ?4
                """, arguments: [key, byName, StoredForm.likeEscaped(key), max(1, min(limit, 100))]).map(Self.customer)
        }
    }

    public func customer(id: Int64) async throws -> Customer? {
        try readNow { db in try Row.fetchOne(db, sql: "SELECT * FROM customer WHERE id = ?", arguments: [id]).map(Self.customer) }
    }

    public func loyaltyProgram() async throws -> LoyaltyProgram {
        try readNow { db in try Self.loyaltyProgram(db) }
    }

    static func loyaltyProgram(_ db: Database) throws -> LoyaltyProgram {
        try String.fetchOne(db, sql: "SELECT definition FROM loyalty_program WHERE id = 1").map(StoredForm.loyaltyProgram) ?? .none
    }

    public func setLoyaltyProgram(_ program: LoyaltyProgram) async throws {
        do { try program.validate() } catch { throw CentralError(.invalid, error.message) }
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO loyalty_program(id, definition, change_seq) VALUES (1, ?, ?)
                ON CONFLICT(id) DO UPDATE SET definition = excluded.definition, change_seq = excluded.change_seq
                """, arguments: [try WireJSON.string(program), try Self.nextChanges(db)])
        }
    }

    public func loyaltyAccount(customerId: Int64) async throws -> LoyaltyAccount {
        try readNow { db in try Self.loyaltyAccount(db, customerId: customerId) }
    }

    static func loyaltyAccount(_ db: Database, customerId: Int64) throws -> LoyaltyAccount {
        guard try Int64.fetchOne(db, sql: "SELECT id FROM customer WHERE id = ?", arguments: [customerId]) != nil else {
            throw CentralError(.notFound, "no customer \(customerId)")
        }
        return LoyaltyAccount(customerId: customerId, entries: try Row.fetchAll(db, sql: "SELECT * FROM loyalty_entry WHERE customer_id = ? ORDER BY id",
                                                                                  arguments: [customerId]).map(Self.loyaltyEntry))
    }

    static func balance(_ db: Database, customerId: Int64) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT CAST(max(min(total(points), 9.2e18), -9.2e18) AS INTEGER) FROM loyalty_entry WHERE customer_id = ?", arguments: [customerId]) ?? 0
    }

    static func addEntry(_ db: Database, customerId: Int64, kind: LoyaltyEntry.Kind, points: Int64, reference: String?, reason: String?,
                         at time: Int64) throws -> LoyaltyEntry {
        try db.execute(sql: "INSERT INTO loyalty_entry(customer_id, kind, points, reference, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [customerId, kind.rawValue, points, reference, reason, time])
        return LoyaltyEntry(id: db.lastInsertedRowID, customerId: customerId, kind: kind, points: points, reference: reference, reason: reason,
                            createdAt: time)
    }

    public func adjustPoints(customerId: Int64, _ adjustment: PointsAdjustment, at time: Int64) async throws -> LoyaltyEntry {
        try await writer.write { db in
            guard try Self.customerRow(db, id: customerId) != nil else { throw CentralError(.notFound, "no customer \(customerId)") }
            try CustomerRules.adjustment(adjustment, balance: try Self.balance(db, customerId: customerId))
            return try Self.addEntry(db, customerId: customerId, kind: .adjusted, points: adjustment.points, reference: nil,
                                     reason: adjustment.reason.trimmingCharacters(in: .whitespaces), at: time)
        }
    }

    public func customersWithPointsCredited(before cutoff: Int64) async throws -> [Int64] {
        try readNow { db in
            try Int64.fetchAll(db, sql: """
                SELECT customer_id FROM loyalty_entry GROUP BY customer_id
                HAVING total(points) > 0 AND min(CASE WHEN points > 0 THEN created_at END) < ? ORDER BY customer_id
                """, arguments: [cutoff])
        }
    }

    public func expirePoints(customerId: Int64, cutoff: Int64, at time: Int64) async throws -> Bool {
        try await writer.write { db in
            let entries = try Row.fetchAll(db, sql: "SELECT * FROM loyalty_entry WHERE customer_id = ?", arguments: [customerId]).map(Self.loyaltyEntry)
            let due = LoyaltyExpiry.due(entries, cutoff: cutoff)
            guard due > 0 else { return false }
            _ = try Self.addEntry(db, customerId: customerId, kind: .expired, points: -due, reference: nil, reason: LoyaltyExpiry.reason(cutoff: cutoff), at: time)
            return true
        }
    }

    static func customerRow(_ db: Database, id: Int64) throws -> Customer? {
        try Row.fetchOne(db, sql: "SELECT * FROM customer WHERE id = ?", arguments: [id]).map(Self.customer)
    }

    public func holdPoints(_ request: LoyaltyHoldRequest, id: String, at time: Int64) async throws -> LoyaltyHold {
        // One writer at a time: the balance read is the balance the hold is taken from.
        try await writer.write { db in
            let customer = try Row.fetchOne(db, sql: "SELECT * FROM customer WHERE card_number = ?", arguments: [request.cardNumber]).map(Self.customer)
            let hold = try CustomerRules.hold(request, id: id, customer: customer,
                                              balance: try customer.map { try Self.balance(db, customerId: $0.id) } ?? 0,
                                              program: try Self.loyaltyProgram(db))
            _ = try Self.addEntry(db, customerId: hold.customerId, kind: .held, points: -hold.points, reference: id,
                                  reason: "reward of \(hold.value)", at: time)
            return hold
        }
    }

    public func settleHold(id: String, redeemed: Bool, at time: Int64) async throws -> LoyaltyEntry {
        try await writer.write { db in
            let held = try Row.fetchOne(db, sql: "SELECT * FROM loyalty_entry WHERE reference = ? AND kind IN ('held', 'redeemed', 'released')",
                                        arguments: [id]).map(Self.loyaltyEntry)
            let settled = try CustomerRules.settle(held, id: id, redeemed: redeemed)
            try db.execute(sql: "UPDATE loyalty_entry SET kind = ?, points = ?, reason = ? WHERE id = ?",
                           arguments: [settled.kind.rawValue, settled.points, settled.reason, settled.id])
            return settled
        }
    }

    public func exportCustomer(id: Int64, by: String, at time: Int64) async throws -> CustomerExport {
        try await writer.write { db in
            guard let customer = try Self.customerRow(db, id: id) else { throw CentralError(.notFound, "no customer \(id)") }
            let account = try Self.loyaltyAccount(db, customerId: id)
            let receipts = try String.fetchAll(db, sql: """
                SELECT d.receipt_number FROM loyalty_entry AS l JOIN document AS d ON d.id = l.reference
                WHERE l.customer_id = ? AND l.kind IN ('earned', 'reversed') ORDER BY d.created_at
                """, arguments: [id])
            try db.execute(sql: "INSERT INTO customer_record(customer_id, action, by_user, created_at) VALUES (?, 'exported', ?, ?)",
                           arguments: [id, by, time])
            return CustomerExport(customer: customer, loyalty: account, receipts: receipts, exportedAt: time)
        }
    }

    public func eraseCustomer(id: Int64, by: String, at time: Int64) async throws -> Customer {
        try await writer.write { db in
            guard let customer = try Self.customerRow(db, id: id) else { throw CentralError(.notFound, "no customer \(id)") }
            let gone = try CustomerRules.erased(customer, at: time)
            try db.execute(sql: """
                UPDATE customer SET name = NULL, email = NULL, phone = NULL, loyalty_consent_at = NULL, marketing_consent_at = NULL,
                    password_hash = NULL, erased_at = ? WHERE id = ?
                """, arguments: [time, id])
            try db.execute(sql: "DELETE FROM customer_session WHERE customer_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM shop_cart_line WHERE customer_id = ?", arguments: [id])
            try db.execute(sql: "INSERT INTO customer_record(customer_id, action, by_user, created_at) VALUES (?, 'erased', ?, ?)",
                           arguments: [id, by, time])
            return gone
        }
    }
}
