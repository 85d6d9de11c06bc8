import CaisseAPI
import CaisseCore
import Foundation
import GRDB

/// Where this till syncs to and how far it has got.
public struct SyncSettings: Hashable, Sendable {
    public var centralURL: String
    public var token: String
    /// PEM file of the CA that signs central's (or its load balancer's) TLS
    /// certificate; nil: the system's trust store.
    public var caFile: String?
    public var cursor: Int64
    /// Where the stock feed goes on from (issue 26).
    public var stockCursor: Int64 = 0
    public var lastSuccess: Int64?
    public var lastError: String?
}

extension RegisterStore {
    /// Binds a fresh database to central: the first full pull becomes the setup.
    public func enroll(centralURL: String, token: String, caFile: String? = nil, changes: ChangeSet) throws {
        let byLocation = Dictionary(grouping: changes.stock, by: \.locationId)
            .mapValues { rows in Dictionary(rows.map { ($0.productId, $0.onHand) }, uniquingKeysWith: { _, last in last }) }
        try install(RegisterSetup(chainName: changes.chainName, registerId: changes.registerId, storeId: changes.storeId,
                                  locations: changes.locations, taxRules: changes.taxRules, products: changes.products,
                                  users: changes.users, stock: byLocation))
        try writer.write { db in
            try set(db, Settings.centralURL, centralURL)
            try set(db, Settings.centralToken, token)
            // A meta key, not a migration: absent on tills enrolled before TLS, which use the system store.
            if let caFile { try set(db, Settings.centralCAFile, caFile) }
            try set(db, Settings.pullCursor, changes.cursor)
            // The first pull carries the whole stock: the stock feed goes on from the same point.
            try set(db, Settings.stockCursor, changes.cursor)
            try set(db, Settings.appliedMark, changes.appliedThrough)
            try upsert(db, restockRequests: changes.restockRequests)
            try upsert(db, transfers: changes.transfers ?? [])
            if let keys = changes.quickKeys { try replaceQuickKeys(db, productIds: keys) }
            try apply(db, promotions: changes.promotions, policy: changes.discountPolicy, program: changes.loyaltyProgram)
            try set(db, Settings.lastSync, Self.now())
        }
    }

    /// Central moved (the demo's central listens on a new port each run); the token and the cursor stay.
    public func updateCentralURL(_ url: String) throws {
        try writer.write { db in try set(db, Settings.centralURL, url) }
    }

    public func syncSettings() throws -> SyncSettings? {
        try writer.read { db in
            guard let url = try setting(db, Settings.centralURL), let token = try setting(db, Settings.centralToken) else { return nil }
            return SyncSettings(centralURL: url, token: token, caFile: try setting(db, Settings.centralCAFile), cursor: try setting(db, Settings.pullCursor) ?? 0,
                                stockCursor: try setting(db, Settings.stockCursor) ?? 0,
                                lastSuccess: try setting(db, Settings.lastSync), lastError: try setting(db, Settings.lastSyncError))
        }
    }

    /// Applies a pull (all its pages, merged) in one transaction: new prices
    /// apply to the next sale (a cart keeps the prices it was built with), users
    /// and PIN hashes for offline login, restock states, and the stock snapshot
    /// together with central's applied mark, so on-hand never counts a sale twice.
    ///
    /// - Parameter cursor: the cursor the pull started from. When the stored
    ///   cursor is no longer that one, another sync of this database (`caisse
    ///   sync` beside the till's screen) applied a pull meanwhile, which covers
    ///   at least the same changes: these pages are dropped rather than let an
    ///   older snapshot overwrite a newer one and take the cursor back.
    /// - Returns: false when the pages were dropped for that reason.
    @discardableResult
    public func applyChanges(_ pages: [ChangeSet], pulledFrom cursor: Int64) throws -> Bool {
        guard let last = pages.last else { return true }
        return try writer.write { db in
            let me = try identity(db)
            guard pages.allSatisfy({ $0.registerId == me.registerId }) else {
                throw StoreError("these changes are for register \(last.registerId), not \(me.registerId)")
            }
            guard (try setting(db, Settings.pullCursor) ?? 0) == cursor else { return false }
            for page in pages {
                try upsert(db, locations: page.locations, taxRules: page.taxRules)
                try upsert(db, products: page.products)
                try upsert(db, users: page.users)
                try upsert(db, restockRequests: page.restockRequests)
                try upsert(db, transfers: page.transfers ?? [])
                try upsert(db, orders: page.orders ?? [])
                if let keys = page.quickKeys { try replaceQuickKeys(db, productIds: keys) }
                try apply(db, promotions: page.promotions, policy: page.discountPolicy, program: page.loyaltyProgram)
                try upsertSnapshot(db, page.stock)
            }
            try set(db, Settings.pullCursor, last.cursor)
            // The mark goes with the stock snapshot: when the stock comes apart, its feed moves it.
            if last.stockApart != true { try moveAppliedMark(db, to: last.appliedThrough) }
            try set(db, Settings.lastSync, Self.now())
            try set(db, Settings.lastSyncError, nil)
            return true
        }
    }

    /// Applies pages of the stock feed pulled from `cursor` (issue 26): the snapshot's rows and the
    /// applied mark read with them. False when another sync applied a newer pull meanwhile.
    public func applyStock(_ pages: [StockFeed], pulledFrom cursor: Int64) throws -> Bool {
        guard let last = pages.last else { return true }
        return try writer.write { db in
            guard (try setting(db, Settings.stockCursor) ?? 0) == cursor else { return false }
            for page in pages { try upsertSnapshot(db, page.stock) }
            try set(db, Settings.stockCursor, last.cursor)
            try moveAppliedMark(db, to: last.appliedThrough)
            return true
        }
    }

    /// The mark only grows: a pull read before a later push must not bring it back.
    func moveAppliedMark(_ db: Database, to mark: Int64) throws {
        try set(db, Settings.appliedMark, max(try appliedMark(db), mark))
    }

    public func recordSyncFailure(_ message: String) throws {
        try writer.write { db in try set(db, Settings.lastSyncError, String(message.prefix(500))) }
    }

    func upsert(_ db: Database, restockRequests: [RestockRequest]) throws {
        for r in restockRequests {
            try db.execute(sql: """
                INSERT INTO restock_request(id, store_id, product_id, quantity, state, note, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
                """, arguments: [r.id, r.storeId, r.productId, r.quantity, r.state.rawValue, r.note, r.createdAt, r.updatedAt])
        }
    }

    /// The mark of own events central has applied to the stock snapshot.
    public func appliedMark() throws -> Int64 {
        try writer.read { db in try appliedMark(db) }
    }
}
