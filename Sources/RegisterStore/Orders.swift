import CaisseAPI
import CaisseCore
import Foundation
import GRDB

/// The store's orders for pickup at this till (issue 27): pulled from central, moved on here
/// (prepared, ready, cancelled: each a journal event that works offline), handed over as a sale.
extension RegisterStore {
    /// Central's copy, unless this till moved the order on later (its event is still on the way).
    func upsert(_ db: Database, orders: [OnlineOrder]) throws {
        for o in orders {
            try db.execute(sql: """
                INSERT INTO online_order(id, number, state, pickup_by, updated_at, payload) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET state = excluded.state, pickup_by = excluded.pickup_by, updated_at = excluded.updated_at,
                    payload = excluded.payload
                WHERE excluded.updated_at >= online_order.updated_at
                """, arguments: [o.id, o.number, o.state.rawValue, o.pickupBy, o.updatedAt, try WireJSON.string(o)])
        }
    }

    /// Open orders first (by their pickup day), then the day's others, as this till knows them.
    public func onlineOrders(at time: Int64? = nil) throws -> [OnlineOrder] {
        let now = time ?? Self.now()
        return try writer.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM online_order WHERE updated_at > ? OR state IN ('placed', 'preparing', 'ready')",
                                arguments: [now - 86_400_000]).map { try WireJSON.decoder.decode(OnlineOrder.self, from: Data($0.utf8)).current(at: now) }
        }
        .sorted { ($0.state.reserves ? 0 : 1, $0.pickupBy) < ($1.state.reserves ? 0 : 1, $1.pickupBy) }
    }

    func onlineOrder(_ db: Database, id: String) throws -> OnlineOrder? {
        try String.fetchOne(db, sql: "SELECT payload FROM online_order WHERE id = ?", arguments: [id])
            .map { try WireJSON.decoder.decode(OnlineOrder.self, from: Data($0.utf8)) }
    }

    func save(_ db: Database, order o: OnlineOrder) throws {
        try db.execute(sql: "UPDATE online_order SET state = ?, updated_at = ?, payload = ? WHERE id = ?",
                       arguments: [o.state.rawValue, o.updatedAt, try WireJSON.string(o), o.id])
    }

    /// Prepare, ready or cancel: the same rule as central's, journaled for central.
    @discardableResult
    public func moveOrder(_ id: String, _ action: OnlineOrder.Action, by userId: Int64, at time: Int64? = nil) throws -> OnlineOrder {
        guard action != .pickup else { throw StoreError("an order is picked up by selling it") }
        return try writer.write { db in
            let me = try identity(db)
            try requireActiveUser(db, id: userId, atLeast: action == .cancel ? .manager : .employee)
            guard let order = try onlineOrder(db, id: id) else { throw StoreError("no order \(id) at this store") }
            let at = time ?? Self.now()
            let moved: OnlineOrder
            do { moved = try order.moved(action, saleId: nil, at: at) } catch {
                throw StoreError("order \(order.number) is \(order.current(at: at).state.rawValue)")
            }
            _ = try appendEvent(db, registerId: me.registerId, id: UUID().uuidString.lowercased(), createdAt: at,
                                .orderState(OrderStatePayload(orderId: id, storeId: me.store.id, action: action.rawValue, by: userId)))
            try save(db, order: moved)
            return moved
        }
    }

    /// The sale that hands an order over marks it picked up here at once (central does on receipt).
    func pickedUp(_ db: Database, sale: Sale) throws {
        guard let id = sale.orderId, let order = try onlineOrder(db, id: id) else { return }
        guard let moved = try? order.moved(.pickup, saleId: sale.id, at: sale.createdAt) else {
            throw StoreError("order \(order.number) is \(order.current(at: sale.createdAt).state.rawValue): it cannot be handed over")
        }
        try save(db, order: moved)
    }
}
