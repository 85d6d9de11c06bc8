import CaisseAPI
import CaisseCore
import CentralModel
import Foundation

extension PostgresCentralStore {
    public func promotions() async throws -> [Promotion] {
        try await snapshot { sql in
            try await sql.rows("SELECT definition FROM promotion ORDER BY id").map { try StoredForm.promotion(try $0.get("definition")) }
        }
    }

    public func promotion(id: Int64) async throws -> Promotion? {
        try await snapshot { sql in
            try await sql.scalar(String.self, "SELECT definition FROM promotion WHERE id = $1", id).map(StoredForm.promotion)
        }
    }

    public func savePromotion(_ promotion: Promotion) async throws -> Promotion {
        try await write { sql in
            var saved = promotion
            if saved.id == 0 {
                // One writer at a time picks the next id: the table's lock, held to the commit.
                try await sql.execute("LOCK TABLE promotion IN SHARE ROW EXCLUSIVE MODE")
                saved.id = try await sql.scalar(Int64.self, "SELECT coalesce(max(id), 0) + 1 FROM promotion") ?? 1
            }
            try await sql.execute("""
                INSERT INTO promotion(id, definition, change_seq) VALUES ($1, $2, $3)
                ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, change_seq = excluded.change_seq
                """, saved.id, try WireJSON.string(saved), try await sql.change())
            return saved
        }
    }

    public func discountPolicy(storeId: Int64) async throws -> DiscountPolicy {
        try await snapshot { sql in
            try await sql.scalar(String.self, "SELECT policy FROM store_setting WHERE store_id = $1", storeId)
                .map(StoredForm.policy) ?? .standard
        }
    }

    public func saveDiscountPolicy(_ policy: DiscountPolicy, storeId: Int64) async throws {
        try await write { sql in
            try await sql.execute("""
                INSERT INTO store_setting(store_id, policy, change_seq) VALUES ($1, $2, $3)
                ON CONFLICT (store_id) DO UPDATE SET policy = excluded.policy, change_seq = excluded.change_seq
                """, storeId, try WireJSON.string(policy), try await sql.change())
        }
    }


}
