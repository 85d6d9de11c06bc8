import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import GRDB

extension SQLiteCentralStore {
    public func promotions() async throws -> [Promotion] {
        try readNow { db in try String.fetchAll(db, sql: "SELECT definition FROM promotion ORDER BY id").map(StoredForm.promotion) }
    }

    public func promotion(id: Int64) async throws -> Promotion? {
        try readNow { db in
            try String.fetchOne(db, sql: "SELECT definition FROM promotion WHERE id = ?", arguments: [id]).map(StoredForm.promotion)
        }
    }

    public func savePromotion(_ promotion: Promotion) async throws -> Promotion {
        try await writer.write { db in
            var saved = promotion
            if saved.id == 0 { saved.id = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM promotion")) ?? 1 }
            try db.execute(sql: """
                INSERT INTO promotion(id, definition, change_seq) VALUES (?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET definition = excluded.definition, change_seq = excluded.change_seq
                """, arguments: [saved.id, try WireJSON.string(saved), try Self.nextChanges(db)])
            return saved
        }
    }

    public func discountPolicy(storeId: Int64) async throws -> DiscountPolicy {
        try readNow { db in
            try String.fetchOne(db, sql: "SELECT policy FROM store_setting WHERE store_id = ?", arguments: [storeId])
                .map(StoredForm.policy) ?? .standard
        }
    }

    public func saveDiscountPolicy(_ policy: DiscountPolicy, storeId: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO store_setting(store_id, policy, change_seq) VALUES (?, ?, ?)
                ON CONFLICT(store_id) DO UPDATE SET policy = excluded.policy, change_seq = excluded.change_seq
                """, arguments: [storeId, try WireJSON.string(policy), try Self.nextChanges(db)])
        }
    }


}
