import CaisseCore

/// An order placed online for pickup in a store (issue 27; the seed's cart and checkout).
/// Paid at pickup: online payment is out of scope.
public struct OnlineOrder: Hashable, Sendable, Codable {
    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        case placed, preparing, ready
        /// It became a sale at the till.
        case pickedUp = "picked_up"
        case cancelled
        /// Not picked up in time: the reservation is released.
        case expired

        /// The order still holds the store's stock.
        public var reserves: Bool { self == .placed || self == .preparing || self == .ready }
    }
    public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
        case prepare, ready, cancel, pickup
    }
    public struct Line: Hashable, Sendable, Codable {
        public var productId: Int64
        public var sku: String
        public var name: String
        public var quantity: Int
        public var unitPrice: Money
        public init(productId: Int64, sku: String, name: String, quantity: Int, unitPrice: Money) {
            self.productId = productId
            self.sku = sku
            self.name = name
            self.quantity = quantity
            self.unitPrice = unitPrice
        }
    }
    public var id: String
    /// Short, for a person to say at the counter.
    public var number: String
    public var customerId: Int64
    public var storeId: Int64
    public var state: State
    public var lines: [Line]
    /// At the catalog's prices when placed, before taxes; the till prices the sale at pickup.
    public var total: Money
    public var createdAt: Int64
    public var updatedAt: Int64
    /// Not picked up by then: expired, its stock released.
    public var pickupBy: Int64
    /// The sale it became.
    public var saleId: String?

    public init(id: String, number: String, customerId: Int64, storeId: Int64, state: State, lines: [Line], total: Money, createdAt: Int64,
                updatedAt: Int64, pickupBy: Int64, saleId: String? = nil) {
        self.id = id
        self.number = number
        self.customerId = customerId
        self.storeId = storeId
        self.state = state
        self.lines = lines
        self.total = total
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.pickupBy = pickupBy
        self.saleId = saleId
    }
}

/// A product of a store's online catalog with what the store can still promise.
public struct ShopItem: Hashable, Sendable, Codable {
    public var product: Product
    /// On hand less what open orders reserve (never below zero).
    public var available: Int
    public init(product: Product, available: Int) {
        self.product = product
        self.available = available
    }
}

/// A line of a customer's cart for one store.
public struct ShopCartLine: Hashable, Sendable, Codable {
    public var item: ShopItem
    public var quantity: Int
    public init(item: ShopItem, quantity: Int) {
        self.item = item
        self.quantity = quantity
    }
}

public struct OrderList: Hashable, Sendable, Codable {
    public var orders: [OnlineOrder]
    public init(orders: [OnlineOrder]) { self.orders = orders }
}

/// POST /v1/orders/{id}/pickup: the sale the order became at the till.
public struct OrderPickup: Hashable, Sendable, Codable {
    public var saleId: String
    public init(saleId: String) { self.saleId = saleId }
}

extension OnlineOrder {
    public enum Refusal: Error, Hashable, Sendable {
        /// The order's state does not allow the action.
        case notNow(State)
        /// A pickup must name its sale.
        case noSale
    }

    /// As it stands at `time`: one past its pickup day no longer reserves anything.
    public func current(at time: Int64) -> OnlineOrder {
        guard state.reserves, time > pickupBy else { return self }
        var expired = self
        expired.state = .expired
        return expired
    }

    /// The order moved on by `action` at `time`: the same rule at central and at the till.
    public func moved(_ action: Action, saleId: String?, at time: Int64) throws(Refusal) -> OnlineOrder {
        var order = current(at: time)
        let allowed: Set<State> = switch action {
        case .prepare: [.placed]
        case .ready: [.placed, .preparing]
        case .cancel, .pickup: [.placed, .preparing, .ready]
        }
        guard allowed.contains(order.state) else { throw .notNow(order.state) }
        switch action {
        case .prepare: order.state = .preparing
        case .ready: order.state = .ready
        case .cancel: order.state = .cancelled
        case .pickup:
            guard let saleId, !saleId.isEmpty, saleId.count <= 64 else { throw .noSale }
            order.state = .pickedUp
            order.saleId = saleId
        }
        order.updatedAt = time
        return order
    }
}

/// Sales by channel and the customers' side of the books (issue 27), for the report.
public struct ChannelSummary: Hashable, Sendable, Codable {
    public struct Store: Hashable, Sendable, Codable {
        public var storeId: Int64
        /// Sales that handed over an order placed online, in the period (the rest were sold in store), before taxes.
        public var onlinePickupSales: Int
        public var onlinePickupTotal: Money
        /// Orders still waiting now, and when the oldest was placed.
        public var openOrders: Int
        public var oldestOpenOrderAt: Int64?
        public init(storeId: Int64, onlinePickupSales: Int, onlinePickupTotal: Money, openOrders: Int, oldestOpenOrderAt: Int64?) {
            self.storeId = storeId
            self.onlinePickupSales = onlinePickupSales
            self.onlinePickupTotal = onlinePickupTotal
            self.openOrders = openOrders
            self.oldestOpenOrderAt = oldestOpenOrderAt
        }
    }
    public var stores: [Store]
    /// Points earned and redeemed in the period, and every customer's balance added up now
    /// (what the chain owes in rewards).
    public var pointsEarned: Int64
    public var pointsRedeemed: Int64
    public var pointsOutstanding: Int64
    public init(stores: [Store], pointsEarned: Int64, pointsRedeemed: Int64, pointsOutstanding: Int64) {
        self.stores = stores
        self.pointsEarned = pointsEarned
        self.pointsRedeemed = pointsRedeemed
        self.pointsOutstanding = pointsOutstanding
    }
}
