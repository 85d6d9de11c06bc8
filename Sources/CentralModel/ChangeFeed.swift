import CaisseAPI
import CaisseCore

/// The change feed's paging, written once for both dialects (issue 25): each dialect only
/// counts the relevant changes with its SQL (a UNION over the tables a register pulls) and
/// reads the rows in the window.
///
///     let window = try ChangeFeedWindow(since: since, limit: limit, counter: <change counter>)
///     let nth = <the window.offset-th change after window.since, if any>
///     let page = window.closed(nth: nth, anyAfterNth: <a change after nth exists>)
///     ... rows with window.since < change_seq <= page.upper ...
///     return page.changeSet(register: register, ...)
public struct ChangeFeedWindow: Sendable {
    /// Where the page starts: the register's cursor, or 0 when central is behind it.
    public let since: Int64
    /// The cursor the till sent was ahead of central: central was restored from a backup
    /// (issue 23). The register pulls everything anew, and is told so, rather than be refused for ever.
    public let reset: Bool
    /// How many changes to skip to find the page's last one.
    public let offset: Int
    let counter: Int64

    public static let maxLimit = 10_000

    /// - Parameter register: the register pulling, as the page's own transaction read it: a revoked
    ///   till pulls nothing, whatever its token's cached principal says.
    public init(register: RegisterRecord, since: Int64, limit: Int, counter: Int64) throws {
        try register.requireActive()
        guard since >= 0 else { throw CentralError(.invalid, "since must be 0 or a cursor returned by central") }
        reset = since > counter
        self.since = reset ? 0 : since
        offset = max(1, min(limit, Self.maxLimit)) - 1
        self.counter = counter
    }

    /// The page ends at the limit-th change (every row has its own number), or at the
    /// counter when fewer remain: the next pull starts exactly after it.
    public func closed(nth: Int64?, anyAfterNth: Bool) -> Page {
        if let nth, anyAfterNth { return Page(window: self, upper: nth, hasMore: true) }
        return Page(window: self, upper: counter, hasMore: false)
    }

    public struct Page: Sendable {
        public let window: ChangeFeedWindow
        /// The last change number in the page: rows with `window.since < change_seq <= upper`.
        public let upper: Int64
        public let hasMore: Bool

        public func changeSet(register: RegisterRecord, locations: [Location], taxRules: [TaxRule], products: [Product], users: [User],
                              restockRequests: [RestockRequest], stock: [StockRow], chainName: String, quickKeys: [Int64]?,
                              promotions: [Promotion], discountPolicy: DiscountPolicy?, transfers: [StockTransfer],
                              orders: [OnlineOrder], loyaltyProgram: LoyaltyProgram? = nil, stockApart: Bool = false) -> ChangeSet {
            // Empty optional parts are left out: a till that predates them reads the page as before.
            ChangeSet(registerId: register.id, storeId: register.storeId, cursor: upper, hasMore: hasMore, appliedThrough: register.appliedThrough,
                      locations: locations, taxRules: taxRules, products: products, users: users, restockRequests: restockRequests, stock: stock,
                      chainName: chainName, quickKeys: quickKeys, promotions: promotions.isEmpty ? nil : promotions, discountPolicy: discountPolicy,
                      transfers: transfers.isEmpty ? nil : transfers, reset: window.reset ? true : nil,
                      orders: orders.isEmpty ? nil : orders, loyaltyProgram: loyaltyProgram, stockApart: stockApart ? true : nil)
        }

        /// The stock feed's page: the same window over the stock rows alone.
        public func stockFeed(register: RegisterRecord, stock: [StockRow]) -> StockFeed {
            StockFeed(cursor: upper, hasMore: hasMore, appliedThrough: register.appliedThrough, stock: stock, reset: window.reset ? true : nil)
        }
    }
}
