import CaisseAPI
import CaisseCore
import CentralModel
import GRDB

extension SQLiteCentralStore {
    public func quickKeys(storeId: Int64) async throws -> [Int64] {
        try readNow { db in
            try String.fetchOne(db, sql: "SELECT product_ids FROM quick_key_set WHERE store_id = ?", arguments: [storeId])
                .map(QuickKeyList.decode) ?? []
        }
    }

    public func saveQuickKeys(storeId: Int64, productIds: [Int64]) async throws {
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO quick_key_set(store_id, product_ids, change_seq) VALUES (?, ?, ?)
                ON CONFLICT(store_id) DO UPDATE SET product_ids = excluded.product_ids, change_seq = excluded.change_seq
                """, arguments: [storeId, QuickKeyList.encode(productIds), try Self.nextChanges(db)])
        }
    }
}
