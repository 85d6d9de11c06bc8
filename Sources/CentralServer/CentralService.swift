import CaisseAPI
import CaisseCore
import CentralModel
import Foundation

/// Central's use cases above the store and below HTTP: the server's routes
/// and the `caisse-central` commands both call these, so the rules are one.
public struct CentralService: Sendable {
    /// The whole store, for the commands that administer it; routes and use cases take
    /// the narrow repository of their resource below.
    public let store: any CentralStore
    public var clock: @Sendable () -> Int64
    /// Failed PINs in a row before a user is locked, and for how long.
    public var maxLoginFailures = 5
    public var lockMillis: Int64 = 5 * 60 * 1000
    public var sessionMillis: Int64 = 12 * 3600 * 1000
    public var pinHasher = PinHasher()
    /// Customers' passwords on the web (issue 27): PBKDF2-SHA256 at OWASP's 600,000 rounds.
    public var passwordHasher = PinHasher(rounds: 600_000)
    /// Days an order for pickup holds the store's stock (issue 27).
    public var pickupDays = 3
    public var customerSessionMillis: Int64 = 30 * 24 * 3600 * 1000
    /// The data version cached reads are checked against (ADR 0012).
    let versions: VersionTracker
    /// Encoded read responses and the principals of bearer tokens, valid while their version stands still.
    let responses = ResponseCache()
    let principals = PrincipalCache()
    /// Which register a token is, for sync: never changes; revocation is checked in the sync's own transaction.
    let syncTokens = PrincipalCache()
    let loginGate = LoginGate()
    let shopItems = ShopItemCache()
    /// Reports and the dashboard read months of rows: a few at a time per instance (issue 18).
    public let heavyWork = HeavyWorkGate(limit: HeavyWorkGate.defaultLimit)
    /// Heavy reads asked again within a sync interval are served from one computation.
    let heavyReads: ReadCoalescer

    /// - Parameters:
    ///   - readCacheMaxAgeMillis: how old the data version behind a cached read
    ///     may be. Writes served by this instance show at once; writes by other
    ///     instances or by the admin commands within this bound. 0 re-reads the
    ///     version on every request.
    ///   - monotonicNanos: the clock that ages the version (tests move it by hand).
    public init(store: any CentralStore, clock: @escaping @Sendable () -> Int64 = CentralService.now,
                readCacheMaxAgeMillis: Int = CentralService.defaultReadCacheMaxAgeMillis,
                monotonicNanos: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.store = store
        self.clock = clock
        versions = VersionTracker(maxAgeMillis: readCacheMaxAgeMillis, now: monotonicNanos)
        heavyReads = ReadCoalescer(freshForNanos: 5_000_000_000, now: monotonicNanos)
    }

    public static let defaultReadCacheMaxAgeMillis = 100

    // The store, one resource at a time: a route names what it touches.
    var administration: any ChainAdministration { store }
    var identity: any IdentityRepository { store }
    var catalog: any CatalogRepository { store }
    /// Offers are checked against the catalog and the stores (`QuickKeyRules`, `PromotionRules`).
    var offers: any OffersRepository & CatalogRepository & IdentityRepository { store }
    var stockLevels: any StockRepository { store }
    var journal: any JournalRepository { store }
    var restock: any RestockRepository { store }
    var transfers: any TransferRepository { store }
    var reports: any ReportRepository { store }
    var customers: any CustomerRepository { store }
    var storefront: any StorefrontRepository { store }

    /// The data version for this request: the one the auth middleware read, or the tracker's.
    func dataVersion(_ context: CentralContext) async throws -> DataVersion {
        if let v = context.dataVersion { return v }
        return try await versions.current(administration)
    }

    public static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    // MARK: Login

    public enum LoginError: Error, Hashable, Sendable {
        case invalid
        case locked(retryAfterSeconds: Int64)
    }

    /// An admin, or a manager whose location is the head office.
    func isHeadOffice(_ user: User) async throws -> Bool {
        if user.role == .admin { return true }
        guard user.role.allows(.manager) else { return false }
        return try await identity.location(id: user.storeId)?.kind == .headOffice
    }

    /// Username + PIN → a session token. Wrong PINs count toward a lock kept in
    /// the database, so every central instance sees the same count. Attempts on
    /// one username run one at a time on this instance (concurrent wrong PINs
    /// cannot pass the count), and PBKDF2 runs off the cooperative pool, at
    /// most `LoginGate.maxHashing` at once: beyond that the answer is 429.
    ///
    /// A PIN is never enough alone: a store's people (head office's too) sign
    /// in from an enrolled, unrevoked register of their own store, whose token
    /// the request carries; the session belongs to that register. Only an
    /// admin, whose credentials never leave central, signs in without one.
    /// Attempts without a register count nothing against a store user, so an
    /// anonymous flood cannot lock them out.
    public func login(username: String, pin: String, from register: RegisterRecord? = nil) async throws -> LoginResponse {
        try await loginGate.serialising(username) { try await attemptLogin(username: username, pin: pin, from: register) }
    }

    private func attemptLogin(username: String, pin: String, from register: RegisterRecord?) async throws -> LoginResponse {
        let now = clock()
        let found = try await identity.loginState(username: username)
        let allowedHere = found.map { state in
            state.user.role == .admin || (register.map { !$0.revoked && $0.storeId == state.user.storeId } ?? false)
        } ?? false
        guard let state = found, state.user.active, allowedHere else {
            // One PBKDF2 run, as for a real user: the answer time does not reveal which usernames exist.
            let dummy = try loginGate.dummyHash(pinHasher)
            _ = try await loginGate.verify(pin: pin, against: dummy)
            throw LoginError.invalid
        }
        if let until = state.lockedUntil, until > now {
            throw LoginError.locked(retryAfterSeconds: (until - now + 999) / 1000)
        }
        guard try await loginGate.verify(pin: pin, against: state.user.pinHash) else {
            try await identity.recordLoginFailure(userId: state.user.id, maxFailures: maxLoginFailures, lockUntil: now + lockMillis)
            throw LoginError.invalid
        }
        let token = BearerToken.generate()
        let expiresAt = now + sessionMillis
        try await identity.createSession(userId: state.user.id, tokenDigest: BearerToken.digest(token), expiresAt: expiresAt,
                                      registerId: state.user.role == .admin ? nil : register?.id)
        let u = state.user
        return LoginResponse(token: token, expiresAt: expiresAt,
                             user: UserInfo(id: u.id, username: u.username, displayName: u.displayName, role: u.role, storeId: u.storeId))
    }

    // MARK: Reports

    /// The consolidated sales report for [from, to] (store-local days).
    public func salesReport(from: Day, to: Day, top: Int = 10) async throws -> SalesReportResponse {
        guard from <= to else { throw CentralError(.invalid, "from (\(from)) is after to (\(to))") }
        guard to.number - from.number <= 3_660 else { throw CentralError(.invalid, "a report covers at most ten years") }
        let period = try await reports.periodTotals(from: from, to: to)
        let locations = try await identity.locations()
        let names = Dictionary(uniqueKeysWithValues: locations.map { (String($0.id), $0.name) })
        var labels = Dictionary(uniqueKeysWithValues: locations.map { ("store:\($0.id)", $0.name) })
        for user in try await identity.users(storeId: nil) { labels["user:\(user.id)"] = user.displayName }
        let discounts = DiscountSummary(rows: try await reports.discountRows(from: from, to: to), names: labels)
        let losses = StockLossSummary(rows: try await reports.adjustmentRows(from: from, to: to), storeNames: names, topProducts: top)
        let channels = try await channels(from: from, to: to, locations: locations)
        return SalesReportResponse(from: from, to: to, storeNames: names,
                                   report: SalesReport(storeRows: period.stores, dayRows: period.days, products: period.products, topCount: top,
                                                       discounts: discounts, losses: losses, taxes: try await reports.taxRows(from: from, to: to)),
                                   channels: channels)
    }

    /// The period's days as instants in the chain's time zone (that of its first store): the points of the period.
    func channels(from: Day, to: Day, locations: [Location]) async throws -> ChannelSummary {
        let zone = TimeZone(identifier: locations.first { $0.sells }?.timeZone ?? "America/Toronto") ?? .current
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(from.number) * 86_400))) * 1000
        return try await storefront.channelSummary(from: from, to: to, fromMillis: Int64(from.number) * 86_400_000 - offset,
                                              toMillis: Int64(to.number + 1) * 86_400_000 - offset - 1, at: clock())
    }

    /// Today in the chain's time zone (that of its first store).
    public func today() async throws -> Day {
        let locations = try await identity.locations()
        let zone = TimeZone(identifier: locations.first { $0.sells }?.timeZone ?? "America/Toronto") ?? .current
        let now = clock()
        return Day(epochMillis: now, utcOffsetSeconds: zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(now) / 1000)))
    }

    /// Revenue per store over 1/7/30 days and the stock alerts of every store.
    public func dashboard(today: Day? = nil) async throws -> DashboardResponse {
        let locations = try await identity.locations()
        let day: Day
        if let today { day = today } else { day = try await self.today() }
        let rows = try await reports.reportRows(from: day.adding(days: -29), to: day)
        let stores = locations.filter(\.sells).map(\.id)
        let alerts = StockAlerts.classify(try await stockLevels.storeStockPositions())
        func lines(_ positions: [StockPosition]) -> [StockLine] {
            positions.map { StockLine(productId: $0.productId, sku: $0.sku, name: $0.name, onHand: $0.onHand,
                                      reorderPoint: $0.reorderPoint, overstockThreshold: $0.overstockThreshold) }
        }
        return DashboardResponse(
            today: day,
            revenue: StoreRevenue.windows(documents: rows.documents, today: day, storeIds: stores,
                                          discounts: try await reports.discountRows(from: day.adding(days: -29), to: day),
                                          adjustments: try await reports.adjustmentRows(from: day.adding(days: -29), to: day)),
            alerts: stores.map { id in
                let a = alerts.first { $0.locationId == id } ?? StockAlerts(locationId: id)
                return StoreAlertCounts(storeId: id, stockOuts: lines(a.out), lowStock: lines(a.low), overstock: lines(a.over))
            },
            storeNames: Dictionary(uniqueKeysWithValues: locations.map { (String($0.id), $0.name) }),
            channels: try await channels(from: day, to: day, locations: locations))
    }

    /// The report as CSV: one row per store, then the chain total.
    public static func csv(_ response: SalesReportResponse) -> String { ReportCSV.text(response) }
}

/// Keeps PIN hashing from starving the server: PBKDF2 (210,000 rounds, tens of
/// milliseconds) runs on its own threads, a bounded number at once, and one
/// username's attempts run one after another.
final class LoginGate: @unchecked Sendable {
    static let maxHashing = 4
    private let lock = NSLock()
    private var hashing = 0
    private var busyUsers: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var dummies: [Int: String] = [:]
    private let queue = DispatchQueue(label: "caisse.pin-hashing", attributes: .concurrent)

    struct Busy: Error {}

    /// A hash of the hasher's cost to verify against for unknown users, made once.
    func dummyHash(_ hasher: PinHasher) throws -> String {
        lock.lock()
        if let hash = dummies[hasher.rounds] { lock.unlock(); return hash }
        lock.unlock()
        let hash = try hasher.hash(pin: "0000")
        lock.lock()
        dummies[hasher.rounds] = hash
        lock.unlock()
        return hash
    }

    /// - Throws: `Busy` when `maxHashing` verifications already run.
    func verify(pin: String, against stored: String) async throws -> Bool {
        let admitted = lock.withLock {
            guard hashing < Self.maxHashing else { return false }
            hashing += 1
            return true
        }
        guard admitted else { throw Busy() }
        defer { lock.withLock { hashing -= 1 } }
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: PinHasher.verify(pin: pin, against: stored)) }
        }
    }

    func serialising<T: Sendable>(_ username: String, _ body: () async throws -> T) async throws -> T {
        await acquire(username)
        defer { release(username) }
        return try await body()
    }

    private func acquire(_ username: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if busyUsers.insert(username).inserted {
                lock.unlock()
                continuation.resume()
            } else {
                waiters[username, default: []].append(continuation)
                lock.unlock()
            }
        }
    }

    private func release(_ username: String) {
        lock.lock()
        if var queued = waiters[username], !queued.isEmpty {
            let next = queued.removeFirst()
            waiters[username] = queued.isEmpty ? nil : queued
            lock.unlock()
            next.resume()   // the slot passes to the next attempt on this username
        } else {
            busyUsers.remove(username)
            lock.unlock()
        }
    }
}

/// Bounds how many heavy reads (the consolidated report, the dashboard) one
/// instance runs at once: beyond the limit the answer is 503 with Retry-After,
/// and the tills' pushes and pulls never queue behind a crowd of reports.
///
/// Fair by caller (issue 24): a store runs one heavy read at a time, and one
/// place beyond the limit is kept for head office, so that a store manager
/// running reports in a loop holds neither other stores nor head office out.
public final class HeavyWorkGate: @unchecked Sendable {
    public static let defaultLimit = 2
    /// Places only head office may take, beyond `limit`.
    public static let headOfficeReserve = 1
    public enum Lane: Hashable, Sendable {
        case headOffice
        case store(Int64)
    }
    private let lock = NSLock()
    private var running = 0
    private var perStore: [Int64: Int] = [:]
    public let limit: Int

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Takes a place, or says there is none.
    public func tryEnter(_ lane: Lane = .headOffice) -> Bool {
        lock.withLock {
            switch lane {
            case .headOffice:
                guard running < limit + Self.headOfficeReserve else { return false }
            case .store(let id):
                guard running < limit, perStore[id, default: 0] == 0 else { return false }
                perStore[id] = 1
            }
            running += 1
            return true
        }
    }

    public func leave(_ lane: Lane = .headOffice) {
        lock.withLock {
            running = max(0, running - 1)
            if case .store(let id) = lane { perStore[id] = nil }
        }
    }

    /// Runs `body` in a place, or throws 503 with Retry-After when none is free for this caller.
    func run<T: Sendable>(_ lane: Lane, _ body: () async throws -> T) async throws -> T {
        guard tryEnter(lane) else {
            throw APIError(.serviceUnavailable, code: "busy", message: "too many reports at once on this instance: try again in 2 s",
                           headers: [.retryAfter: "2"])
        }
        defer { leave(lane) }
        return try await body()
    }
}

/// Identical heavy reads within a few seconds are one computation (issue 24): the
/// callers that ask while it runs, or just after, share its answer. Reports are the
/// chain's for every manager, so the key is the read and its parameters only.
final class ReadCoalescer: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (at: UInt64, task: Task<any Sendable, any Error>)] = [:]
    let freshFor: UInt64
    let now: @Sendable () -> UInt64

    init(freshForNanos: UInt64, now: @escaping @Sendable () -> UInt64) {
        freshFor = freshForNanos
        self.now = now
    }

    private func fresh(_ at: UInt64, _ time: UInt64) -> Bool { time &- at < freshFor }

    /// The answer being computed or computed less than `freshFor` ago, if any.
    func running(_ key: String) -> Task<any Sendable, any Error>? {
        lock.withLock {
            guard let e = entries[key], fresh(e.at, now()) else { return nil }
            return e.task
        }
    }

    /// Computes `key` once for everyone asking meanwhile; a failure is not kept.
    func value<T: Sendable>(_ key: String, compute: @escaping @Sendable () async throws -> T) async throws -> T {
        let task: Task<any Sendable, any Error> = lock.withLock {
            let time = now()
            if let e = entries[key], fresh(e.at, time) { return e.task }
            entries = entries.filter { fresh($0.value.at, time) }
            // On the long-work threads (nice +10): assembling and encoding a year's report is
            // Swift work that would otherwise take the cores from the tills at the server's priority.
            let t = Task<any Sendable, any Error>(executorPreference: LongWork.shared) { try await compute() }
            entries[key] = (time, t)
            return t
        }
        do {
            guard let value = try await task.value as? T else { throw CancellationError() }
            return value
        } catch {
            lock.withLock { if entries[key]?.task == task { entries[key] = nil } }
            throw error
        }
    }
}
