import CaisseCore

// The JSON bodies of caisse-central's v1 API, shared by the server and the
// register's sync client. openapi.yaml describes the same shapes.

/// Every client mistake: `{"error": {"code": "...", "message": "..."}}` with a 4xx.
public struct ErrorBody: Hashable, Sendable, Codable {
    public struct Detail: Hashable, Sendable, Codable {
        public var code: String
        public var message: String
        /// For a sequence gap: the sequence central expects next.
        public var expectedSequence: Int64?
        public init(code: String, message: String, expectedSequence: Int64? = nil) {
            self.code = code
            self.message = message
            self.expectedSequence = expectedSequence
        }
    }
    public var error: Detail
    public init(code: String, message: String, expectedSequence: Int64? = nil) {
        error = Detail(code: code, message: message, expectedSequence: expectedSequence)
    }
}

public struct LoginRequest: Hashable, Sendable, Codable {
    public var username: String
    public var pin: String
    public init(username: String, pin: String) {
        self.username = username
        self.pin = pin
    }
}

/// A user as the API shows it (never the PIN hash, except in sync changes).
public struct UserInfo: Hashable, Sendable, Codable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    public var storeId: Int64
    public init(id: Int64, username: String, displayName: String, role: Role, storeId: Int64) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.storeId = storeId
    }
}

public struct LoginResponse: Hashable, Sendable, Codable {
    public var token: String
    /// Milliseconds since 1970.
    public var expiresAt: Int64
    public var user: UserInfo
    public init(token: String, expiresAt: Int64, user: UserInfo) {
        self.token = token
        self.expiresAt = expiresAt
        self.user = user
    }
}

/// A page of a list; `next` is the cursor of the following page, absent on the last.
public struct Page<Item: Hashable & Sendable & Codable>: Hashable, Sendable, Codable {
    public var items: [Item]
    public var next: String?
    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }
}

public struct ProductInput: Hashable, Sendable, Codable {
    public var sku: String
    public var barcode: String
    public var name: String
    public var category: String
    public var priceCents: Int64
    public var taxClass: TaxClass
    public var reorderPoint: Int
    public var overstockThreshold: Int
    public var active: Bool?
    /// Made for the day: unsold at close, it is declared as waste (issue 17).
    public var fresh: Bool?
    /// What a unit costs the chain, when known (losses at cost).
    public var costCents: Int64?
    public init(sku: String, barcode: String, name: String, category: String, priceCents: Int64, taxClass: TaxClass,
                reorderPoint: Int, overstockThreshold: Int, active: Bool? = nil, fresh: Bool? = nil, costCents: Int64? = nil) {
        self.fresh = fresh
        self.costCents = costCents
        self.sku = sku
        self.barcode = barcode
        self.name = name
        self.category = category
        self.priceCents = priceCents
        self.taxClass = taxClass
        self.reorderPoint = reorderPoint
        self.overstockThreshold = overstockThreshold
        self.active = active
    }
}

/// One product's on-hand at a location, with the names a screen needs.
public struct StockLine: Hashable, Sendable, Codable {
    public var productId: Int64
    public var sku: String
    public var name: String
    public var onHand: Int
    public var reorderPoint: Int
    public var overstockThreshold: Int
    public var status: StockStatus
    public init(productId: Int64, sku: String, name: String, onHand: Int, reorderPoint: Int, overstockThreshold: Int) {
        self.productId = productId
        self.sku = sku
        self.name = name
        self.onHand = onHand
        self.reorderPoint = reorderPoint
        self.overstockThreshold = overstockThreshold
        self.status = StockStatus.classify(onHand: onHand, reorderPoint: reorderPoint, overstockThreshold: overstockThreshold)
    }
}

public struct StockResponse: Hashable, Sendable, Codable {
    public var location: Location
    public var lines: [StockLine]
    public init(location: Location, lines: [StockLine]) {
        self.location = location
        self.lines = lines
    }
}

public struct RestockCreate: Hashable, Sendable, Codable {
    public var productId: Int64
    public var quantity: Int
    public var note: String?
    /// Only for a user token: the store asking (a register's token implies it).
    public var storeId: Int64?
    public init(productId: Int64, quantity: Int, note: String? = nil, storeId: Int64? = nil) {
        self.productId = productId
        self.quantity = quantity
        self.note = note
        self.storeId = storeId
    }
}

/// POST /v1/transfers: head office asks a store to send units to another.
public struct TransferCreate: Hashable, Sendable, Codable {
    public var fromStoreId: Int64
    public var toStoreId: Int64
    public var productId: Int64
    public var quantity: Int
    public var note: String?
    public init(fromStoreId: Int64, toStoreId: Int64, productId: Int64, quantity: Int, note: String? = nil) {
        self.fromStoreId = fromStoreId
        self.toStoreId = toStoreId
        self.productId = productId
        self.quantity = quantity
        self.note = note
    }
}

/// POST /v1/promotions and PUT /v1/promotions/{id}: a promotion without its id.
public struct PromotionInput: Hashable, Sendable, Codable {
    public var name: String
    public var kind: Promotion.Kind
    public var percentMicros: Int64?
    public var amountCents: Int64?
    public var priceCents: Int64?
    public var quantity: Int?
    public var freeQuantity: Int?
    public var productIds: [Int64]?
    public var category: String?
    public var startDay: Day
    public var endDay: Day
    public var weekdays: [Int]?
    public var fromMinute: Int?
    public var toMinute: Int?
    public var storeIds: [Int64]?
    public var combinable: Bool?
    public var active: Bool?

    public init(name: String, kind: Promotion.Kind, percentMicros: Int64? = nil, amountCents: Int64? = nil, priceCents: Int64? = nil,
                quantity: Int? = nil, freeQuantity: Int? = nil, productIds: [Int64]? = nil, category: String? = nil, startDay: Day,
                endDay: Day, weekdays: [Int]? = nil, fromMinute: Int? = nil, toMinute: Int? = nil, storeIds: [Int64]? = nil,
                combinable: Bool? = nil, active: Bool? = nil) {
        self.name = name
        self.kind = kind
        self.percentMicros = percentMicros
        self.amountCents = amountCents
        self.priceCents = priceCents
        self.quantity = quantity
        self.freeQuantity = freeQuantity
        self.productIds = productIds
        self.category = category
        self.startDay = startDay
        self.endDay = endDay
        self.weekdays = weekdays
        self.fromMinute = fromMinute
        self.toMinute = toMinute
        self.storeIds = storeIds
        self.combinable = combinable
        self.active = active
    }

    /// A promotion's definition as an input, to send it back changed (ended, moved).
    public init(_ p: Promotion) {
        self.init(name: p.name, kind: p.kind, percentMicros: p.percentMicros, amountCents: p.amountCents, priceCents: p.priceCents,
                  quantity: p.quantity, freeQuantity: p.freeQuantity, productIds: p.productIds, category: p.category, startDay: p.startDay,
                  endDay: p.endDay, weekdays: p.weekdays, fromMinute: p.fromMinute, toMinute: p.toMinute, storeIds: p.storeIds,
                  combinable: p.combinable, active: p.active)
    }

    public func promotion(id: Int64) -> Promotion {
        Promotion(id: id, name: name, kind: kind, percentMicros: percentMicros, amountCents: amountCents, priceCents: priceCents,
                  quantity: quantity, freeQuantity: freeQuantity, productIds: productIds ?? [], category: category, startDay: startDay,
                  endDay: endDay, weekdays: weekdays ?? [], fromMinute: fromMinute, toMinute: toMinute, storeIds: storeIds ?? [],
                  combinable: combinable ?? false, active: active ?? true)
    }
}

/// PUT /v1/stores/{storeId}/quick-keys: the store's quick keys, in order (at most 10).
public struct QuickKeysUpdate: Hashable, Sendable, Codable {
    public var productIds: [Int64]
    public init(productIds: [Int64]) { self.productIds = productIds }
}

/// POST /v1/sync/events
public struct PushRequest: Hashable, Sendable, Codable {
    public var events: [SyncEvent]
    public init(events: [SyncEvent]) { self.events = events }
}

public struct PushResponse: Hashable, Sendable, Codable {
    /// The highest sequence of this register central has applied.
    public var appliedThrough: Int64
    /// How many events of the batch were new (the rest were duplicates).
    public var applied: Int
    public init(appliedThrough: Int64, applied: Int) {
        self.appliedThrough = appliedThrough
        self.applied = applied
    }
}

/// GET /v1/sync/changes?since=CURSOR: what changed for this register's store.
/// A page of a feed a till pulls from a cursor (the change feed, the stock feed).
public protocol FeedPage {
    var cursor: Int64 { get }
    var hasMore: Bool { get }
    /// The cursor sent was ahead of central (a restore): the page starts again from 0.
    var reset: Bool? { get }
}

public struct ChangeSet: Hashable, Sendable, Codable, FeedPage {
    /// The register this token belongs to, and its store (what enrolment binds to).
    public var registerId: String
    public var storeId: Int64
    public var cursor: Int64
    public var hasMore: Bool
    public var appliedThrough: Int64
    public var locations: [Location]
    public var taxRules: [TaxRule]
    public var products: [Product]
    /// With PIN hashes, for offline login at the till.
    public var users: [User]
    public var restockRequests: [RestockRequest]
    /// On-hand rows of this store and of the warehouse that changed.
    public var stock: [StockRow]
    public var chainName: String
    /// The store's quick keys (product ids, in order) when they changed in this
    /// page; nil when they did not (and from a central that predates them).
    public var quickKeys: [Int64]?
    /// Promotions that changed (every store's: the till keeps those that run in its own).
    public var promotions: [Promotion]?
    /// The store's discount limit when it changed.
    public var discountPolicy: DiscountPolicy?
    /// Transfers from or to the store that changed (nil from a central that predates them).
    public var transfers: [StockTransfer]?
    /// The cursor the till sent was ahead of central (central was restored from a backup):
    /// this page starts again from 0, and `appliedThrough` says where to push from (issue 23).
    public var reset: Bool?
    /// The store's orders for pickup that changed (issue 27; nil from a central that predates them).
    public var orders: [OnlineOrder]?
    /// Head office's loyalty program when it changed: the till prints the points a sale earns.
    public var loyaltyProgram: LoyaltyProgram?
    /// True when the till asked for its stock apart (`stock=apart`, issue 26) and this page
    /// holds none: its stock and the applied mark that goes with it come from `/v1/sync/stock`.
    /// Nil from a central that predates the stock feed (the page then holds the stock as before).
    public var stockApart: Bool?

    public init(registerId: String, storeId: Int64, cursor: Int64, hasMore: Bool, appliedThrough: Int64, locations: [Location],
                taxRules: [TaxRule], products: [Product], users: [User], restockRequests: [RestockRequest], stock: [StockRow],
                chainName: String, quickKeys: [Int64]? = nil, promotions: [Promotion]? = nil, discountPolicy: DiscountPolicy? = nil,
                transfers: [StockTransfer]? = nil, reset: Bool? = nil, orders: [OnlineOrder]? = nil, loyaltyProgram: LoyaltyProgram? = nil,
                stockApart: Bool? = nil) {
        self.stockApart = stockApart
        self.loyaltyProgram = loyaltyProgram
        self.reset = reset
        self.orders = orders
        self.transfers = transfers
        self.quickKeys = quickKeys
        self.promotions = promotions
        self.discountPolicy = discountPolicy
        self.registerId = registerId
        self.storeId = storeId
        self.cursor = cursor
        self.hasMore = hasMore
        self.appliedThrough = appliedThrough
        self.locations = locations
        self.taxRules = taxRules
        self.products = products
        self.users = users
        self.restockRequests = restockRequests
        self.stock = stock
        self.chainName = chainName
    }
}

extension ChangeSet {
    /// Several pages of one pull as one change set: later pages win for the same row.
    public static func merging(_ pages: [ChangeSet]) -> ChangeSet? {
        guard var merged = pages.first else { return nil }
        for page in pages.dropFirst() {
            merged.cursor = page.cursor
            merged.hasMore = page.hasMore
            merged.appliedThrough = page.appliedThrough
            if let apart = page.stockApart { merged.stockApart = apart }
            if !page.locations.isEmpty { merged.locations = page.locations }
            if !page.taxRules.isEmpty { merged.taxRules = page.taxRules }
            if let keys = page.quickKeys { merged.quickKeys = keys }
            if let promotions = page.promotions { merged.promotions = (merged.promotions ?? []) + promotions }
            if let policy = page.discountPolicy { merged.discountPolicy = policy }
            if let program = page.loyaltyProgram { merged.loyaltyProgram = program }
            if let transfers = page.transfers { merged.transfers = (merged.transfers ?? []) + transfers }
            if let orders = page.orders { merged.orders = (merged.orders ?? []) + orders }
            merged.products += page.products
            merged.users += page.users
            merged.restockRequests += page.restockRequests
            merged.stock += page.stock
        }
        func lastById<T, K: Hashable>(_ items: [T], _ key: (T) -> K) -> [T] {
            var index: [K: Int] = [:]
            var out: [T] = []
            for item in items {
                if let i = index[key(item)] { out[i] = item } else { index[key(item)] = out.count; out.append(item) }
            }
            return out
        }
        merged.products = lastById(merged.products, \.id)
        merged.users = lastById(merged.users, \.id)
        merged.restockRequests = lastById(merged.restockRequests, \.id)
        merged.transfers = merged.transfers.map { lastById($0, \.id) }
        merged.orders = merged.orders.map { lastById($0, \.id) }
        merged.stock = lastById(merged.stock) { "\($0.locationId)/\($0.productId)" }
        return merged
    }
}

/// A page of the stock feed (`GET /v1/sync/stock`, issue 26): the on-hand rows of the
/// register's store and of the warehouse that changed after `since`, with the register's
/// applied mark read in the same transaction, so that the till's snapshot plus its own
/// movements above the mark is its on-hand. A till pulls it about once a minute on its own
/// cursor, apart from the change feed it pulls every few seconds: the stock rows a store's
/// other tills cause were most of what a pull carried.
public struct StockFeed: Hashable, Sendable, Codable, FeedPage {
    public var cursor: Int64
    public var hasMore: Bool
    public var appliedThrough: Int64
    public var stock: [StockRow]
    /// The cursor sent was ahead of central (a restore): this feed starts again from 0.
    public var reset: Bool?

    public init(cursor: Int64, hasMore: Bool, appliedThrough: Int64, stock: [StockRow], reset: Bool? = nil) {
        self.cursor = cursor
        self.hasMore = hasMore
        self.appliedThrough = appliedThrough
        self.stock = stock
        self.reset = reset
    }
}

public struct StockRow: Hashable, Sendable, Codable {
    public var locationId: Int64
    public var productId: Int64
    public var onHand: Int
    public init(locationId: Int64, productId: Int64, onHand: Int) {
        self.locationId = locationId
        self.productId = productId
        self.onHand = onHand
    }
}

/// GET /v1/reports/sales
public struct SalesReportResponse: Hashable, Sendable, Codable {
    public var from: Day
    public var to: Day
    public var storeNames: [String: String]
    public var report: SalesReport
    /// Online pickup beside the store's own sales, open orders, points (issue 27); nil from an older central.
    public var channels: ChannelSummary?
    public init(from: Day, to: Day, storeNames: [String: String], report: SalesReport, channels: ChannelSummary? = nil) {
        self.from = from
        self.to = to
        self.storeNames = storeNames
        self.report = report
        self.channels = channels
    }
}

/// GET /v1/dashboard
public struct DashboardResponse: Hashable, Sendable, Codable {
    public var today: Day
    public var revenue: [StoreRevenue]
    public var alerts: [StoreAlertCounts]
    public var storeNames: [String: String]
    /// Today's online pickups, the orders waiting now and the oldest one's age, today's points and
    /// what the chain owes in points (issue 27); nil from a central that predates them.
    public var channels: ChannelSummary?
    public init(today: Day, revenue: [StoreRevenue], alerts: [StoreAlertCounts], storeNames: [String: String], channels: ChannelSummary? = nil) {
        self.today = today
        self.revenue = revenue
        self.alerts = alerts
        self.storeNames = storeNames
        self.channels = channels
    }
}

public struct StoreAlertCounts: Hashable, Sendable, Codable {
    public var storeId: Int64
    public var stockOuts: [StockLine]
    public var lowStock: [StockLine]
    public var overstock: [StockLine]
    public init(storeId: Int64, stockOuts: [StockLine], lowStock: [StockLine], overstock: [StockLine]) {
        self.storeId = storeId
        self.stockOuts = stockOuts
        self.lowStock = lowStock
        self.overstock = overstock
    }
}

/// Something a till recorded that central's state disagreed with (a delivery
/// received twice, stock below zero, a product deactivated while the till was
/// offline…): applied, never refused, and listed for head office until resolved.
public struct CentralException: Hashable, Sendable, Codable {
    public var id: Int64
    public var kind: String
    public var storeId: Int64
    public var registerId: String
    public var sequence: Int64
    public var reference: String
    public var detail: String
    public var createdAt: Int64
    public var resolvedAt: Int64?
    public var resolvedBy: String?
    public var resolution: String?
    /// The event is kept in the register's journal and not applied until head office decides (issue 23).
    public var quarantined: Bool?
    /// What head office decided for a quarantined event: apply, correct or void.
    public var decision: ExceptionDecision?

    public init(id: Int64, kind: String, storeId: Int64, registerId: String, sequence: Int64, reference: String, detail: String,
                createdAt: Int64, resolvedAt: Int64? = nil, resolvedBy: String? = nil, resolution: String? = nil,
                quarantined: Bool? = nil, decision: ExceptionDecision? = nil) {
        self.quarantined = quarantined
        self.decision = decision
        self.id = id
        self.kind = kind
        self.storeId = storeId
        self.registerId = registerId
        self.sequence = sequence
        self.reference = reference
        self.detail = detail
        self.createdAt = createdAt
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.resolution = resolution
    }
}

public struct ExceptionList: Hashable, Sendable, Codable {
    public var exceptions: [CentralException]
    public init(exceptions: [CentralException]) { self.exceptions = exceptions }
}

public struct ResolveExceptionRequest: Hashable, Sendable, Codable {
    /// What was done: 1 to 500 characters.
    public var note: String
    /// Required for a quarantined event, refused for any other exception.
    public var decision: ExceptionDecision?
    public init(note: String, decision: ExceptionDecision? = nil) {
        self.note = note
        self.decision = decision
    }
}

/// Head office's decision on a quarantined event (issue 23), itself recorded.
public enum ExceptionDecision: String, Hashable, Sendable, Codable, CaseIterable {
    /// Applied as the till wrote it, judged again against central's state now.
    case apply
    /// Applied dated the day central received it (a till's clock was wrong).
    case correct
    /// Never applied: the books never see it; the till's journal still holds it.
    case void
}

/// GET /v1/sales/{receipt}: a sale of another register, for a return at this one (issue 24).
/// What was returned and refunded counts every register but the asking one: the asking
/// till adds its own returns (pushed or not) from its journal, so none is counted twice.
public struct SaleForReturn: Hashable, Sendable, Codable {
    public var sale: Sale
    /// Units returned per line of the sale, at other registers.
    public var returnedElsewhere: [ReturnRequestLine]
    public var refundedElsewhere: Money
    public var cashRefundedElsewhere: Money

    public init(sale: Sale, returnedElsewhere: [ReturnRequestLine], refundedElsewhere: Money, cashRefundedElsewhere: Money) {
        self.sale = sale
        self.returnedElsewhere = returnedElsewhere
        self.refundedElsewhere = refundedElsewhere
        self.cashRefundedElsewhere = cashRefundedElsewhere
    }

    /// - Parameters:
    ///   - returns: every return of the sale central holds.
    ///   - askingRegister: the register that asks (its own returns are left out).
    public init(sale: Sale, returns: [SaleReturn], askingRegister: String?) {
        let elsewhere = returns.filter { $0.registerId != askingRegister }
        var returned: [Int: Int] = [:]
        for line in elsewhere.flatMap(\.lines) { returned[line.lineNo, default: 0] += line.quantity }
        let tenders = elsewhere.flatMap(\.tenders)
        self.init(sale: sale, returnedElsewhere: returned.keys.sorted().map { ReturnRequestLine(lineNo: $0, quantity: returned[$0] ?? 0) },
                  refundedElsewhere: tenders.reduce(.zero) { $0 + $1.amount },
                  cashRefundedElsewhere: tenders.filter { $0.kind == .cash }.reduce(.zero) { $0 + $1.amount })
    }

    public var returnedByLine: [Int: Int] {
        Dictionary(returnedElsewhere.map { ($0.lineNo, $0.quantity) }, uniquingKeysWith: +)
    }
}
