import CaisseAPI
import CaisseCore

/// A customer's sign-in record (issue 27): their password's hash and the lock of failed tries.
public struct CustomerLogin: Sendable {
    public var customer: Customer
    public var passwordHash: String?
    public var lockedUntil: Int64?
    public init(customer: Customer, passwordHash: String?, lockedUntil: Int64?) {
        self.customer = customer
        self.passwordHash = passwordHash
        self.lockedUntil = lockedUntil
    }
}

/// A signed-in customer on the web, with the token their forms carry (CSRF).
public struct CustomerSession: Sendable {
    public var customer: Customer
    public var csrf: String
    public init(customer: Customer, csrf: String) {
        self.customer = customer
        self.csrf = csrf
    }
}

/// The web storefront's accounts, carts and orders for pickup (issue 27), per dialect.
/// Customer sessions are apart from staff sessions: another table, another cookie, no role.
public protocol StorefrontRepository: Sendable {
    func signUp(_ input: CustomerInput, passwordHash: String, at time: Int64) async throws -> Customer
    func customerLogin(email: String) async throws -> CustomerLogin?
    /// A wrong password counted in the database (every instance sees it); `maxFailures` locks until `lockUntil`.
    func recordCustomerLoginFailure(customerId: Int64, maxFailures: Int, lockUntil: Int64) async throws
    func recordCustomerLoginSuccess(customerId: Int64) async throws
    func openCustomerSession(customerId: Int64, tokenDigest: String, csrf: String, expiresAt: Int64, at time: Int64) async throws
    func customerSession(tokenDigest: String, at time: Int64) async throws -> CustomerSession?
    func closeCustomerSession(tokenDigest: String) async throws

    /// A store's active products with what it can still promise, by id after `after`, or matching `query`.
    func shopItems(storeId: Int64, query: String?, after: Int64, limit: Int, at time: Int64) async throws -> [ShopItem]
    func cart(customerId: Int64, storeId: Int64, at time: Int64) async throws -> [ShopCartLine]
    /// 0 removes the line; more than the store can promise is refused.
    func setCartLine(customerId: Int64, storeId: Int64, productId: Int64, quantity: Int, at time: Int64) async throws
    /// The cart becomes an order that reserves the store's stock, under the stock rows' lock:
    /// never more than the store has, whoever checks out at the same moment.
    func checkout(customerId: Int64, storeId: Int64, orderId: String, holdDays: Int, at time: Int64) async throws -> OnlineOrder
    func orders(customerId: Int64, at time: Int64) async throws -> [OnlineOrder]
    func orders(storeId: Int64, openOnly: Bool, at time: Int64) async throws -> [OnlineOrder]
    func order(id: String, at time: Int64) async throws -> OnlineOrder?
    /// - Parameter storeId: the store acting (its staff or register), or nil for the customer or head office.
    func transitionOrder(id: String, action: OnlineOrder.Action, storeId: Int64?, customerId: Int64?, saleId: String?,
                         at time: Int64) async throws -> OnlineOrder
    /// Online pickup sales of the days [from, to], open orders now, points earned and redeemed
    /// between `fromMillis` and `toMillis`, and the points outstanding.
    func channelSummary(from: Day, to: Day, fromMillis: Int64, toMillis: Int64, at time: Int64) async throws -> ChannelSummary
}

extension ChannelSummary {
    /// From each dialect's rows: one entry per store that has either.
    public init(pickups: [Int64: (count: Int, total: Money)], open: [Int64: (count: Int, oldest: Int64?)], earned: Int64, redeemed: Int64,
                outstanding: Int64) {
        let stores = Set(pickups.keys).union(open.keys).sorted()
        self.init(stores: stores.map { id in
            ChannelSummary.Store(storeId: id, onlinePickupSales: pickups[id]?.count ?? 0, onlinePickupTotal: pickups[id]?.total ?? .zero,
                                 openOrders: open[id]?.count ?? 0, oldestOpenOrderAt: open[id]?.oldest)
        }, pointsEarned: earned, pointsRedeemed: redeemed, pointsOutstanding: outstanding)
    }
}

/// The rules of carts and orders, the same in both dialects.
public enum OrderRules {
    public static let maxLines = 50
    public static let maxUnits = 99

    public static func cartQuantity(_ quantity: Int, item: ShopItem?, productId: Int64) throws {
        guard let item, item.product.active else { throw CentralError(.notFound, "product \(productId) is not sold online here") }
        guard (0...maxUnits).contains(quantity) else { throw CentralError(.invalid, "quantity: 0 to \(maxUnits)") }
        guard quantity <= item.available else {
            throw CentralError(.conflict, "the store has \(item.available) of \(item.product.name) to promise")
        }
    }

    public static func placed(_ cart: [ShopCartLine], id: String, customerId: Int64, storeId: Int64, holdDays: Int,
                              at time: Int64) throws -> OnlineOrder {
        let lines = cart.filter { $0.quantity > 0 }
        guard !lines.isEmpty else { throw CentralError(.invalid, "the cart is empty") }
        guard lines.count <= maxLines else { throw CentralError(.invalid, "at most \(maxLines) lines per order") }
        for line in lines where line.quantity > line.item.available || !line.item.product.active {
            throw CentralError(.conflict, "the store has \(line.item.available) of \(line.item.product.name) to promise")
        }
        let orderLines = lines.map {
            OnlineOrder.Line(productId: $0.item.product.id, sku: $0.item.product.sku, name: $0.item.product.name, quantity: $0.quantity,
                             unitPrice: $0.item.product.price)
        }
        let total = orderLines.reduce(Money.zero) { $0 + $1.unitPrice * $1.quantity }
        let days = Int64(max(1, min(holdDays, 30)))
        return OnlineOrder(id: id, number: number(of: id), customerId: customerId, storeId: storeId, state: .placed, lines: orderLines,
                           total: total, createdAt: time, updatedAt: time, pickupBy: time + days * 86_400_000)
    }

    /// What a person says at the counter: W- and six letters or digits of the id.
    public static func number(of id: String) -> String {
        "W-" + String(id.filter { $0.isLetter || $0.isNumber }.prefix(6)).uppercased()
    }

    /// An order as it stands now (the rule lives in CaisseAPI: the till applies it too).
    public static func current(_ order: OnlineOrder, at time: Int64) -> OnlineOrder { order.current(at: time) }

    public static func transition(_ stored: OnlineOrder?, id: String, action: OnlineOrder.Action, storeId: Int64?, customerId: Int64?,
                                  saleId: String?, at time: Int64) throws -> OnlineOrder {
        guard let stored else { throw CentralError(.notFound, "no order \(id)") }
        if let storeId, stored.storeId != storeId { throw CentralError(.forbidden, "order \(stored.number) is for another store") }
        if let customerId, stored.customerId != customerId { throw CentralError(.notFound, "no order \(id)") }
        do { return try stored.moved(action, saleId: saleId, at: time) } catch {
            switch error {
            case .notNow(let state): throw CentralError(.invalidTransition, "order \(stored.number) is \(state.rawValue): it cannot be \(action.rawValue)")
            case .noSale: throw CentralError(.invalid, "a pickup names the sale it became")
            }
        }
    }

    public static func password(_ text: String) throws {
        guard (10...200).contains(text.count) else { throw CentralError(.invalid, "a password of 10 to 200 characters") }
    }
}

extension IngestPlan {
    /// Orders for pickup moved on by the batch (issue 27): a store's prepare, ready or cancel,
    /// and the sale that hands one over. What central cannot do (the customer cancelled meanwhile,
    /// the order expired or was already picked up, another store's) is flagged; the event and
    /// the sale are kept, the order stays as it was.
    mutating func moveOrders(_ facts: IngestFacts, storeId: Int64) {
        let out = Set(quarantined.map(\.sequence))
        var orders = facts.orders
        for item in judged where !out.contains(item.sequence) {
            let step: (id: String, action: OnlineOrder.Action, saleId: String?, at: Int64, reference: String)
            if let sale = item.effects.sale, let id = sale.orderId {
                step = (id, .pickup, sale.id, sale.createdAt, sale.id)
            } else if let o = item.effects.orderState {
                step = (o.state.orderId, o.action, nil, o.at, o.state.orderId)
            } else {
                continue
            }
            do {
                let moved = try OrderRules.transition(orders[step.id], id: step.id, action: step.action, storeId: storeId, customerId: nil,
                                                      saleId: step.saleId, at: step.at)
                orders[step.id] = moved
                orderWrites.removeAll { $0.id == moved.id }
                orderWrites.append(moved)
            } catch let error as CentralError {
                exceptions.append(ExceptionDraft(kind: .orderConflict, storeId: storeId, registerId: registerId, sequence: item.sequence,
                                                 reference: step.reference, detail: "order \(step.id): \(error.message)"))
            } catch {
                continue
            }
        }
        exceptions.sort { $0.sequence < $1.sequence }
    }
}
