import CaisseAPI
import CaisseCore
import Foundation
import GRDB

extension RegisterStore {
    /// The store's transfers, open ones first, newest first.
    public func transfers() throws -> [TransferView] {
        try writer.read { db in
            let me = try identity(db)
            return try Row.fetchAll(db, sql: """
                SELECT t.*, coalesce(p.sku, '') AS sku, coalesce(p.name, '') AS product_name,
                       coalesce((SELECT code FROM location WHERE id = CASE WHEN t.from_store_id = ?1 THEN t.to_store_id ELSE t.from_store_id END), '') AS other
                FROM stock_transfer AS t LEFT JOIN product AS p ON p.id = t.product_id
                ORDER BY t.state IN ('received', 'cancelled'), t.updated_at DESC, t.id
                """, arguments: [me.store.id]).map { row in
                let t = Self.transfer(row)
                return TransferView(transfer: t, outgoing: t.fromStoreId == me.store.id, sku: row["sku"], productName: row["product_name"],
                                    otherStore: row["other"])
            }
        }
    }

    /// Units of each product on the road, to this store (incoming) and from it (outgoing).
    public func unitsInTransit() throws -> (incoming: [Int64: Int], outgoing: [Int64: Int]) {
        var incoming: [Int64: Int] = [:]
        var outgoing: [Int64: Int] = [:]
        for view in try transfers() where view.transfer.inTransit > 0 {
            if view.outgoing { outgoing[view.transfer.productId, default: 0] += view.transfer.inTransit } else {
                incoming[view.transfer.productId, default: 0] += view.transfer.inTransit
            }
        }
        return (incoming, outgoing)
    }

    static func transfer(_ row: Row) -> StockTransfer {
        StockTransfer(id: row["id"], fromStoreId: row["from_store_id"], toStoreId: row["to_store_id"], productId: row["product_id"],
                      requested: row["requested"], shipped: row["shipped"], received: row["received"], damaged: row["damaged"],
                      state: TransferState(rawValue: row["state"]) ?? .requested, note: row["note"],
                      createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    /// Asks another store for goods: kept here and journaled, so it works offline.
    @discardableResult
    public func requestTransfer(from storeId: Int64, productId: Int64, quantity: Int, note: String? = nil, by userId: Int64,
                                at time: Int64? = nil) throws -> StockTransfer {
        try writer.write { db in
            let me = try identity(db)
            try requireActiveUser(db, id: userId, atLeast: .employee)
            let id = UUID().uuidString.lowercased()
            let note = Self.cleanNote(note)
            try StockTransfer.validate(id: id, from: storeId, to: me.store.id, productId: productId, quantity: quantity, note: note)
            try requireStore(db, storeId)
            try requireActiveProduct(db, productId)
            let at = time ?? Self.now()
            let payload = TransferRequestPayload(transferId: id, fromStoreId: storeId, toStoreId: me.store.id, productId: productId,
                                                 quantity: quantity, note: note, requestedBy: userId)
            _ = try appendEvent(db, registerId: me.registerId, id: id, createdAt: at, .transferRequest(payload))
            let t = StockTransfer(id: id, fromStoreId: storeId, toStoreId: me.store.id, productId: productId, requested: quantity,
                                  state: .requested, note: note, createdAt: at, updatedAt: at)
            try save(db, t)
            return t
        }
    }

    /// Sends units to another store: a request addressed to this store (`transferId`), or a new
    /// transfer. The units leave this store's stock at once; they are in transit until received.
    @discardableResult
    public func shipTransfer(_ transferId: String? = nil, to storeId: Int64? = nil, productId: Int64? = nil, quantity: Int, note: String? = nil,
                             by userId: Int64, at time: Int64? = nil) throws -> StockTransfer {
        try writer.write { db in
            let me = try identity(db)
            try requireActiveUser(db, id: userId, atLeast: .employee)
            let at = time ?? Self.now()
            var t: StockTransfer
            if let transferId {
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM stock_transfer WHERE id = ?", arguments: [transferId]) else {
                    throw StoreError(.noTransferHere(String(transferId.prefix(8))))
                }
                t = Self.transfer(row)
                guard t.fromStoreId == me.store.id else {
                    throw StoreError(.transferSentByAnotherStore)
                }
                guard t.state == .requested else {
                    throw StoreError(.onlyARequestShips(t.state))
                }
            } else {
                guard let storeId, let productId else { throw StoreError("say which store the units go to, and which product") }
                t = StockTransfer(id: UUID().uuidString.lowercased(), fromStoreId: me.store.id, toStoreId: storeId, productId: productId,
                                  requested: quantity, state: .requested, note: Self.cleanNote(note), createdAt: at, updatedAt: at)
                try requireStore(db, storeId)
                try requireActiveProduct(db, productId)
            }
            try StockTransfer.validate(id: t.id, from: t.fromStoreId, to: t.toStoreId, productId: t.productId, quantity: quantity, note: t.note)
            let sku = try String.fetchOne(db, sql: "SELECT sku FROM product WHERE id = ?", arguments: [t.productId]) ?? String(t.productId)
            try Shelf.check(leaving: quantity, onHand: try onHand(db, productId: t.productId), sku: sku)
            let payload = TransferShipmentPayload(transferId: t.id, fromStoreId: t.fromStoreId, toStoreId: t.toStoreId, productId: t.productId,
                                                  quantity: quantity, note: t.note, shippedBy: userId)
            let event = try appendEvent(db, registerId: me.registerId, id: UUID().uuidString.lowercased(), createdAt: at, .transferShipment(payload))
            try insert(db, movements: [.transferOut(storeId: me.store.id, productId: t.productId, quantity: quantity, transferId: t.id)],
                       sequence: event.sequence, at: at)
            t.state = .shipped
            t.shipped = quantity
            t.updatedAt = at
            try save(db, t)
            return t
        }
    }

    /// Takes delivery of a transfer: good units go on the shelf; damaged ones and the
    /// units missing are recorded as such (central reports them as transit losses).
    @discardableResult
    public func receiveTransfer(_ transferId: String, received: Int, damaged: Int = 0, by userId: Int64, at time: Int64? = nil) throws -> StockTransfer {
        try StockTransfer.validateReceipt(received: received, damaged: damaged)
        return try writer.write { db in
            let me = try identity(db)
            try requireActiveUser(db, id: userId, atLeast: .employee)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM stock_transfer WHERE id = ?", arguments: [transferId]) else {
                throw StoreError(.noTransferHere(String(transferId.prefix(8))))
            }
            var t = Self.transfer(row)
            guard t.toStoreId == me.store.id else {
                throw StoreError(.transferGoesToAnotherStore)
            }
            guard t.state == .shipped else {
                throw StoreError(.onlyAShipmentIsReceived(t.state))
            }
            try t.checkArrival(received: received, damaged: damaged)
            let at = time ?? Self.now()
            let payload = TransferReceiptPayload(transferId: t.id, toStoreId: me.store.id, productId: t.productId, received: received,
                                                 damaged: damaged, receivedBy: userId)
            let event = try appendEvent(db, registerId: me.registerId, id: UUID().uuidString.lowercased(), createdAt: at, .transferReceipt(payload))
            if received > 0 {
                try insert(db, movements: [.transferIn(storeId: me.store.id, productId: t.productId, quantity: received, transferId: t.id)],
                           sequence: event.sequence, at: at)
            }
            t.state = .received
            t.received = received
            t.damaged = damaged
            t.updatedAt = at
            try save(db, t)
            return t
        }
    }

    /// Transfers as central has them: a step this till took and central has not applied yet is
    /// not undone (requested → shipped → received only moves forward; central's cancel wins over a request).
    func upsert(_ db: Database, transfers: [StockTransfer]) throws {
        for t in transfers {
            try db.execute(sql: """
                INSERT INTO stock_transfer(id, from_store_id, to_store_id, product_id, requested, shipped, received, damaged, state, note, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET shipped = excluded.shipped, received = excluded.received, damaged = excluded.damaged,
                    state = excluded.state, updated_at = excluded.updated_at
                WHERE NOT ((stock_transfer.state = 'shipped' AND excluded.state IN ('requested', 'cancelled'))
                           OR (stock_transfer.state = 'received' AND excluded.state <> 'received'))
                """, arguments: [t.id, t.fromStoreId, t.toStoreId, t.productId, t.requested, t.shipped, t.received, t.damaged,
                                 t.state.rawValue, t.note, t.createdAt, t.updatedAt])
        }
    }

    private func save(_ db: Database, _ t: StockTransfer) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO stock_transfer(id, from_store_id, to_store_id, product_id, requested, shipped, received, damaged, state, note, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [t.id, t.fromStoreId, t.toStoreId, t.productId, t.requested, t.shipped, t.received, t.damaged,
                             t.state.rawValue, t.note, t.createdAt, t.updatedAt])
    }

    private func requireStore(_ db: Database, _ storeId: Int64) throws {
        guard let store = try location(db, id: storeId), store.sells else {
            throw StoreError(.noSuchStore(storeId))
        }
    }

    private func requireActiveProduct(_ db: Database, _ productId: Int64) throws {
        guard try Bool.fetchOne(db, sql: "SELECT active FROM product WHERE id = ?", arguments: [productId]) == true else {
            throw StoreError("unknown or inactive product \(productId)")
        }
    }

    private static func cleanNote(_ note: String?) -> String? {
        let note = note?.trimmingCharacters(in: .whitespaces)
        return note?.isEmpty == true ? nil : note
    }
}
