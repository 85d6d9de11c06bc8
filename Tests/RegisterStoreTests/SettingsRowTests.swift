import CaisseAPI
import CaisseCore
import Foundation
import GRDB
@testable import RegisterStore
import Testing

/// Issue 25: the till's settings are one typed row, no longer strings in `meta`; a till
/// in the field keeps every setting it had when it takes the new version.
@Suite struct SettingsRowTests {
    @Test func aTillsOldMetaBecomesItsSettingsRowUnchanged() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: "v12-printer")
        let old: [String: String] = [
            "register_id": "CV-3", "store_id": "1", "chain_name": "Caisse démo", "next_receipt": "42",
            "applied_mark": "17", "pull_cursor": "905", "central_url": "https://central.example:8443",
            "central_token": "t0k3n", "central_ca_file": "/etc/caisse/ca.pem", "last_sync": "1795633380000",
            "last_sync_error": "central unreachable", "store_policy": #"{"adjustmentLimitCents":5000,"staffLimitPercent":15}"#,
            "bulk_catalog_load": "1",
        ]
        try queue.write { db in
            for (key, value) in old { try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [key, value]) }
        }
        let store = try RegisterStore(writer: queue)
        let settings = try #require(try store.syncSettings())
        #expect(settings.centralURL == "https://central.example:8443" && settings.token == "t0k3n" && settings.caFile == "/etc/caisse/ca.pem")
        #expect(settings.cursor == 905 && settings.lastSuccess == 1_795_633_380_000 && settings.lastError == "central unreachable")
        #expect(try store.discountPolicy().staffLimitPercent == 15)
        try queue.read { db in
            #expect(try store.setting(db, RegisterStore.Settings.nextReceipt) == 42)
            #expect(try store.setting(db, RegisterStore.Settings.appliedMark) == 17)
            #expect(try store.setting(db, RegisterStore.Settings.registerId) == "CV-3")
            #expect(try store.setting(db, RegisterStore.Settings.storeId) == 1)
            // The stock feed goes on where the till's snapshot stands (issue 26).
            #expect(try store.setting(db, RegisterStore.Settings.stockCursor) == 905)
            // Only the catalog load's transient flag stays a key/value.
            let keys = try String.fetchAll(db, sql: "SELECT key FROM meta")
            #expect(keys == ["bulk_catalog_load"])
        }
    }

    @Test func theRowRefusesWhatNoTillWrites() throws {
        let store = try RegisterStore.inMemory()
        try store.writer.write { db in
            #expect(throws: DatabaseError.self) { try store.set(db, RegisterStore.Settings.nextReceipt, 0) }
            #expect(throws: DatabaseError.self) { try store.set(db, RegisterStore.Settings.storePolicy, "not json") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "INSERT INTO register_setting (id) VALUES (2)") }
        }
    }
}
