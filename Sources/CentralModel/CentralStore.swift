import CaisseAPI
import CaisseCore
import Foundation

/// A register known to central: bound to one store, authenticated by a token
/// of which only the SHA-256 is kept.
public struct RegisterRecord: Hashable, Sendable, Codable {
    public var id: String
    public var storeId: Int64
    public var name: String
    public var appliedThrough: Int64
    public var lastHash: String
    public var revoked: Bool
    /// Set when a pushed batch did not chain to the stored journal.
    public var auditFlag: String?

    public init(id: String, storeId: Int64, name: String, appliedThrough: Int64, lastHash: String, revoked: Bool, auditFlag: String?) {
        self.id = id
        self.storeId = storeId
        self.name = name
        self.appliedThrough = appliedThrough
        self.lastHash = lastHash
        self.revoked = revoked
        self.auditFlag = auditFlag
    }
}

/// A logged-in person's session.
public struct Session: Hashable, Sendable {
    public var user: User
    /// Milliseconds since 1970 after which the token is refused.
    public var expiresAt: Int64
    public init(user: User, expiresAt: Int64) {
        self.user = user
        self.expiresAt = expiresAt
    }
}

/// Numbers that move when what a read cache holds may have changed. Each is
/// monotonic, so "unchanged" means "nothing a cache keyed on it holds moved".
public struct DataVersion: Hashable, Sendable {
    /// The last change number handed out: moves with every change a till can
    /// pull (stock, restock requests, catalog, users, locations).
    public var changes: Int64
    /// The newest product change: moves only when the catalog does, not with each sale.
    public var catalog: Int64
    /// The newest change of a user (role, store, active, PIN).
    public var users: Int64
    /// How many registers were ever revoked (revocation is final).
    public var revokedRegisters: Int64
    /// How many sessions were ended by a logout (issue 26: a person's session is cached like a
    /// register's, and a logout must end it at once on every instance).
    public var logouts: Int64

    public init(changes: Int64, catalog: Int64, users: Int64, revokedRegisters: Int64, logouts: Int64 = 0) {
        self.changes = changes
        self.catalog = catalog
        self.users = users
        self.revokedRegisters = revokedRegisters
        self.logouts = logouts
    }

    /// What a cached principal depends on: its user or register row, and the sessions ended.
    public var identity: [Int64] { [users, revokedRegisters, logouts] }
}

/// What a login attempt found, before the PIN is checked.
public struct LoginState: Hashable, Sendable {
    public var user: User
    public var failedAttempts: Int
    /// Milliseconds since 1970 until which logins are refused.
    public var lockedUntil: Int64?

    public init(user: User, failedAttempts: Int, lockedUntil: Int64?) {
        self.user = user
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
    }
}

/// The result of pushing a batch of events.
public enum IngestOutcome: Hashable, Sendable {
    /// `exceptions`: what central's state disagreed with, recorded for head office (ADR 0013).
    case applied(through: Int64, newEvents: Int, exceptions: [ExceptionKind] = [])
    /// The batch starts after a missing event: send from `expected`.
    case gap(expected: Int64)
}

/// Why central refused something: mapped to 4xx by the server.
public struct CentralError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case notFound = "not_found"
        case invalid = "invalid"
        case conflict = "conflict"
        case forbidden = "forbidden"
        case chainBroken = "chain_broken"
        case journalConflict = "journal_conflict"
        case insufficientStock = "insufficient_stock"
        case invalidTransition = "invalid_transition"
        /// The register's token was revoked: checked in the very transaction of a push or a pull.
        case revoked = "revoked"
    }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }

    /// A refusal that no honest till earns (a broken chain, a document that does
    /// not add up, another store's data): the register is flagged for audit.
    public var flagsRegister: Bool { kind == .chainBroken || kind == .invalid || kind == .forbidden }
}

/// Filters of the restock list.
public struct RestockQuery: Hashable, Sendable {
    public var storeId: Int64?
    public var state: RestockState?
    /// One request by id (a route checks its store before acting on it).
    public var id: String?
    public init(storeId: Int64? = nil, state: RestockState? = nil, id: String? = nil) {
        self.storeId = storeId
        self.state = state
        self.id = id
    }
}

/// A period's figures as the report reads them.
public struct PeriodTotals: Sendable {
    /// Per store and kind over the period (`day` is its first day).
    public var stores: [DocumentTotals]
    /// Per day and kind for the chain (`storeId` 0).
    public var days: [DocumentTotals]
    public var products: [ProductTotals]
    public init(stores: [DocumentTotals], days: [DocumentTotals], products: [ProductTotals]) {
        self.stores = stores
        self.days = days
        self.products = products
    }
}

public struct TransferQuery: Hashable, Sendable {
    /// Transfers from or to this store.
    public var storeId: Int64?
    public var state: TransferState?
    public init(storeId: Int64? = nil, state: TransferState? = nil) {
        self.storeId = storeId
        self.state = state
    }
}

/// Head office's adjustment of the warehouse: lines as product id and signed units.
public struct WarehouseAdjustmentRequest: Hashable, Sendable {
    public var reason: AdjustmentReason
    public var lines: [Line]
    public var note: String?
    /// The head-office user who makes it.
    public var by: Int64
    public struct Line: Hashable, Sendable {
        public var productId: Int64
        public var quantity: Int
        public init(productId: Int64, quantity: Int) {
            self.productId = productId
            self.quantity = quantity
        }
    }
    public init(reason: AdjustmentReason, lines: [Line], note: String?, by: Int64) {
        self.reason = reason
        self.lines = lines
        self.note = note
        self.by = by
    }

    /// The adjustment as the loss ledger keeps it, priced from the catalog; refused like a till's.
    /// - Parameter onHand: the warehouse's on-hand of the lines' products: nothing leaves beyond it.
    public func adjustment(id: String, warehouseId: Int64, products: [Int64: Product], onHand: [Int64: Int], at time: Int64) throws -> StockAdjustment {
        for line in lines where line.quantity < 0 {
            do {
                try Shelf.check(leaving: -line.quantity, onHand: onHand[line.productId] ?? 0, sku: products[line.productId]?.sku ?? String(line.productId))
            } catch { throw CentralError(.invalid, "the warehouse: \(error.message)") }
        }
        let lines = try lines.map { line -> AdjustmentLine in
            guard let p = products[line.productId] else { throw CentralError(.notFound, "unknown product \(line.productId)") }
            return AdjustmentLine(productId: p.id, sku: p.sku, name: p.name, quantity: line.quantity, unitPrice: p.price)
        }
        let adjustment = StockAdjustment(id: id, storeId: warehouseId, registerId: "central", createdAt: time, reason: reason, note: note,
                                         lines: lines, by: by)
        do { try adjustment.validate() } catch { throw CentralError(.invalid, error.message) }
        return adjustment
    }
}

/// Head office's request of a transfer: the same refusals as a till's, and both ends must be stores.
public enum TransferRules {
    /// The new transfer, from what the writing transaction read (written once, issue 25).
    /// - Parameter taken: whether a transfer with this id exists already.
    public static func requested(id: String, from: Location?, to: Location?, product: Product?, quantity: Int, note: String?, taken: Bool,
                                 at time: Int64) throws -> StockTransfer {
        try checkRequest(id: id, from: from, to: to, product: product, quantity: quantity, note: note)
        guard !taken else { throw CentralError(.conflict, "transfer \(id) already exists") }
        return StockTransfer(id: id, fromStoreId: from?.id ?? 0, toStoreId: to?.id ?? 0, productId: product?.id ?? 0, requested: quantity,
                             state: .requested, note: note, createdAt: time, updatedAt: time)
    }

    public static func checkRequest(id: String, from: Location?, to: Location?, product: Product?, quantity: Int, note: String?) throws {
        guard let from, from.sells, let to, to.sells else { throw CentralError(.invalid, "a transfer goes from a store to another store") }
        guard let product, product.active else { throw CentralError(.notFound, "unknown or inactive product") }
        do { try StockTransfer.validate(id: id, from: from.id, to: to.id, productId: product.id, quantity: quantity, note: note) } catch {
            throw CentralError(.invalid, error.message)
        }
    }

    /// A cancel is for a request that has not left the store yet.
    public static func cancelled(_ t: StockTransfer, at time: Int64) throws -> StockTransfer {
        guard t.state == .requested else {
            throw CentralError(.invalidTransition, "transfer \(t.id) is \(t.state.rawValue): only a requested transfer can be cancelled")
        }
        var t = t
        t.state = .cancelled
        t.updatedAt = time
        return t
    }
}

/// Everything a fresh chain starts with (from data/).
public struct ChainSeed: Sendable {
    public var name: String
    public var locations: [Location]
    public var taxRules: [TaxRule]
    public var products: [Product]
    public var users: [User]
    public var stock: [Int64: [Int64: Int]]
    public init(name: String, locations: [Location], taxRules: [TaxRule], products: [Product], users: [User], stock: [Int64: [Int64: Int]]) {
        self.name = name
        self.locations = locations
        self.taxRules = taxRules
        self.products = products
        self.users = users
        self.stock = stock
    }
}

extension RegisterRecord {
    /// A revoked register pushes and pulls nothing (issue 26: checked where a push or a pull reads
    /// the register's row, since sync takes which register a token is from a cache).
    public func requireActive() throws {
        guard !revoked else { throw CentralError(.revoked, "register \(id) was revoked") }
    }
}

/// Central's persistence, one repository per resource (issue 25, as Hummingbird's
/// todos-postgres has one per resource): a route or a use case takes the narrow one
/// it needs. SQLite (one machine) and PostgreSQL (several instances) implement all
/// of them and pass the same contract tests. Every method is one transaction; none
/// leaves partial effects behind.
public typealias CentralStore = ChainAdministration & IdentityRepository & CatalogRepository & OffersRepository
    & StockRepository & JournalRepository & RestockRepository & TransferRepository & ReportRepository
    & CustomerRepository & StorefrontRepository

/// The database itself: its schema, its first load, and the version caches are checked against.
public protocol ChainAdministration: Sendable {
    func migrate() async throws
    /// The tables as the live database has them (for the domain diagram).
    func schema() async throws -> [TableSchema]
    /// Loads a fresh chain; refuses a database that already has one.
    func seed(_ seed: ChainSeed) async throws
    func ping() async throws
    /// The numbers central's read caches are checked against, in one cheap query.
    func dataVersion() async throws -> DataVersion
    /// Recomputes the per-day aggregates from the ledger (`caisse-central rebuild-aggregates`).
    func rebuildAggregates() async throws
    /// Every aggregate row as text, table by table, sorted: to compare what ingest kept with a rebuild.
    func aggregateDump() async throws -> [String: [String]]
}

/// Places, registers, people and their sessions.
public protocol IdentityRepository: Sendable {
    func chainName() async throws -> String
    func locations() async throws -> [Location]
    func location(id: Int64) async throws -> Location?
    func taxRules() async throws -> [TaxRule]
    func addRegister(id: String, storeId: Int64, name: String, tokenDigest: String) async throws -> RegisterRecord
    func revokeRegister(id: String) async throws
    func registers() async throws -> [RegisterRecord]
    func register(tokenDigest: String) async throws -> RegisterRecord?
    func addUser(_ user: User) async throws -> User
    func users(storeId: Int64?) async throws -> [User]
    func loginState(username: String) async throws -> LoginState?
    /// Counts a failed login; after `maxFailures` in a row the user is locked until `lockUntil`.
    func recordLoginFailure(userId: Int64, maxFailures: Int, lockUntil: Int64) async throws
    /// `registerId`: the register the session was opened from (a store user's); nil for an admin at central.
    func createSession(userId: Int64, tokenDigest: String, expiresAt: Int64, registerId: String?) async throws
    /// Logout: the token stops working at once.
    func endSession(tokenDigest: String) async throws
    /// A live session (nil when unknown, expired at `now`, or its user inactive).
    func session(tokenDigest: String, now: Int64) async throws -> Session?
}

/// The catalog (`ProductRules`).
public protocol CatalogRepository: Sendable {
    func products(after: Int64, limit: Int, matching: String?) async throws -> [Product]
    func product(id: Int64) async throws -> Product?
    func product(sku: String) async throws -> Product?
    func product(barcode: String) async throws -> Product?
    func createProduct(_ input: ProductInput) async throws -> Product
    func updateProduct(id: Int64, _ input: ProductInput) async throws -> Product
}

/// What head office offers at the counter: quick keys, promotions, discount limits.
public protocol OffersRepository: Sendable {
    /// A store's quick keys: product ids, in order (`QuickKeyRules`).
    func quickKeys(storeId: Int64) async throws -> [Int64]
    /// Stores a set `QuickKeyRules` accepted (call `replaceQuickKeys`); the store's registers get it with their next pull.
    func saveQuickKeys(storeId: Int64, productIds: [Int64]) async throws
    func promotions() async throws -> [Promotion]
    func promotion(id: Int64) async throws -> Promotion?
    /// Stores a promotion `PromotionRules` accepted: a new one when its id is 0. Returns it with its id.
    func savePromotion(_ promotion: Promotion) async throws -> Promotion
    func discountPolicy(storeId: Int64) async throws -> DiscountPolicy
    func saveDiscountPolicy(_ policy: DiscountPolicy, storeId: Int64) async throws
}

/// Stock on hand, per location.
public protocol StockRepository: Sendable {
    func stock(locationId: Int64) async throws -> [StockLine]
    /// Every selling location's stock positions (the dashboard).
    func storeStockPositions() async throws -> [StockPosition]
}

/// The tills' journals: ingest, the change feed, and what ingest set aside (ADR 0013).
public protocol JournalRepository: Sendable {
    func ingest(registerId: String, events: [SyncEvent]) async throws -> IngestOutcome
    /// - Parameter includeStock: false when the till pulls its stock apart (`stockChanges`, issue 26).
    func changes(registerId: String, since: Int64, limit: Int, includeStock: Bool) async throws -> ChangeSet
    /// The stock feed: the store's and the warehouse's on-hand rows changed after `since`, with
    /// the register's applied mark, in one transaction.
    func stockChanges(registerId: String, since: Int64, limit: Int) async throws -> StockFeed
    /// A sale of any register of the chain by its receipt number, with what other registers
    /// than `askingRegister` returned of it (issue 24: a return at another register); nil when
    /// central holds no such sale.
    func saleForReturn(receiptNumber: String, askingRegister: String?) async throws -> SaleForReturn?
    /// Re-verifies each register's stored journal; the registers whose chain is broken, with why.
    func audit() async throws -> [String: String]
    /// Exceptions recorded at ingest (ADR 0013), newest first; open ones only unless `includeResolved`.
    func exceptions(storeId: Int64?, includeResolved: Bool) async throws -> [CentralException]
    /// Closes an open exception with what was done about it, recorded with who did it;
    /// a quarantined event's needs head office's `decision`, which applies the event
    /// (judged again now) or voids it in the same transaction.
    func resolveException(id: Int64, by: String, note: String, decision: ExceptionDecision?, at: Int64) async throws -> CentralException
}

/// Stores' requests for the warehouse's goods.
public protocol RestockRepository: Sendable {
    func restockRequests(_ query: RestockQuery) async throws -> [RestockRequest]
    func createRestock(id: String, storeId: Int64, productId: Int64, quantity: Int, note: String?, at: Int64) async throws -> RestockRequest
    /// approve/reject/ship/cancel/receive with their stock movements (ship: out of the warehouse, refused if short; receive: into the store).
    func transitionRestock(id: String, action: RestockAction, at: Int64) async throws -> RestockRequest
}

/// Goods between stores, and head office's own stock at the warehouse (issue 17).
public protocol TransferRepository: Sendable {
    func transfers(_ query: TransferQuery) async throws -> [StockTransfer]
    /// Head office asks `from` to send units to `to` (the stores' tills ship and receive).
    func createTransfer(id: String, from: Int64, to: Int64, productId: Int64, quantity: Int, note: String?, at: Int64) async throws -> StockTransfer
    /// Only a requested transfer: shipped units are on the road and can only be received.
    func cancelTransfer(id: String, at: Int64) async throws -> StockTransfer
    /// Waste, breakage… or a count's corrections at the warehouse, which central owns
    /// (a store's stock is its tills' journal). Journaled in the loss ledger like a till's.
    func adjustWarehouse(_ request: WarehouseAdjustmentRequest, at: Int64) async throws -> StockAdjustment
}

/// The figures head office reads, from the aggregates (ADR 0017).
public protocol ReportRepository: Sendable {
    /// Waste, breakage, theft, found and corrections by store, day, product and reason (issue 17).
    func adjustmentRows(from: Day, to: Day) async throws -> [AdjustmentTotals]
    /// Discounts by store, day, document kind, discount kind, reason, promotion, cashier and approver.
    func discountRows(from: Day, to: Day) async throws -> [DiscountTotals]
    func reportRows(from: Day, to: Day) async throws -> (documents: [DocumentTotals], products: [ProductTotals])
    /// The report's figures for a period, read from its whole weeks and a few days (ADR 0017).
    func periodTotals(from: Day, to: Day) async throws -> PeriodTotals
    /// Taxes by store, document kind and code (GST and QST apart) over the period (`day` is its first day).
    func taxRows(from: Day, to: Day) async throws -> [TaxTotals]
}

/// The data version in one statement, the same SQL on SQLite and PostgreSQL:
/// five index or single-row lookups, cheap enough to run several times a second.
public enum DataVersionSQL {
    public static let query = """
        SELECT (SELECT value FROM change_counter WHERE id = 1) AS changes,
               (SELECT coalesce(max(change_seq), 0) FROM product) AS catalog,
               (SELECT coalesce(max(change_seq), 0) FROM app_user) AS users,
               (SELECT count(*) FROM register WHERE revoked) AS revoked,
               (SELECT value FROM session_epoch WHERE id = 1) AS logouts
        """
}

extension JournalRepository {
    /// The change feed with the stock in it, as every till before the stock feed pulls it.
    public func changes(registerId: String, since: Int64, limit: Int) async throws -> ChangeSet {
        try await changes(registerId: registerId, since: since, limit: limit, includeStock: true)
    }

    public func resolveException(id: Int64, by: String, note: String, at time: Int64) async throws -> CentralException {
        try await resolveException(id: id, by: by, note: note, decision: nil, at: time)
    }
}

/// What a warehouse adjustment writes (issue 25: written once; each dialect reads the
/// warehouse, its products and on-hand, and writes these rows). Central's own movements
/// belong to no register's journal: no register, no event sequence, in both dialects.
public struct WarehouseAdjustmentWrite: Sendable {
    public let adjustment: StockAdjustment
    public let movements: [StockMovement]
    public let lossLines: [LossLine]
}

extension WarehouseAdjustmentRequest {
    /// - Parameters:
    ///   - warehouse: the chain's first warehouse, as the writing transaction read it.
    ///   - products, onHand: the lines' products and the warehouse's on-hand of each (locked where the dialect locks).
    public func judged(id: String, warehouse: Location?, products: [Int64: Product], onHand: [Int64: Int], at time: Int64) throws -> WarehouseAdjustmentWrite {
        guard let warehouse else { throw CentralError(.notFound, "the chain has no warehouse") }
        let adjustment = try adjustment(id: id, warehouseId: warehouse.id, products: products, onHand: onHand, at: time)
        let offset = TimeZone(identifier: warehouse.timeZone)?.secondsFromGMT(for: Date(timeIntervalSince1970: Double(time) / 1000)) ?? 0
        return WarehouseAdjustmentWrite(adjustment: adjustment, movements: StockMovement.forAdjustment(adjustment),
                                        lossLines: adjustment.lossLines(day: Day(epochMillis: time, utcOffsetSeconds: offset), sequence: 0,
                                                                        costs: products.compactMapValues(\.cost)))
    }
}
