import CaisseAPI
import CaisseCore
import CentralModel

extension PostgresCentralStore {
    public func quickKeys(storeId: Int64) async throws -> [Int64] {
        try await snapshot { sql in
            try await sql.scalar(String.self, "SELECT product_ids FROM quick_key_set WHERE store_id = $1", storeId)
                .map(QuickKeyList.decode) ?? []
        }
    }

    public func saveQuickKeys(storeId: Int64, productIds: [Int64]) async throws {
        try await write { sql in
            try await sql.execute("""
                INSERT INTO quick_key_set(store_id, product_ids, change_seq) VALUES ($1, $2, $3)
                ON CONFLICT (store_id) DO UPDATE SET product_ids = excluded.product_ids, change_seq = excluded.change_seq
                """, storeId, QuickKeyList.encode(productIds), try await sql.change())
        }
    }
}
