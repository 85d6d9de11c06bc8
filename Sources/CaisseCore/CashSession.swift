/// A till's cash drawer between its opening with a float and its count at the
/// close. Opening and closing are the only changes; both refuse what makes no
/// sense (a negative float or count, closing twice).
public struct CashSession: Hashable, Sendable, Codable {
    public var id: String
    public var registerId: String
    public var storeId: Int64
    /// Milliseconds since 1970 (UTC).
    public var openedAt: Int64
    public var openedBy: Int64
    /// Cash put in the drawer at the opening, to give change.
    public var float: Money
    public var closedAt: Int64?
    public var closedBy: Int64?
    /// Cash counted in the drawer at the close (float included).
    public var counted: Money?

    public var isOpen: Bool { closedAt == nil }

    public init(id: String, registerId: String, storeId: Int64, openedAt: Int64, openedBy: Int64, float: Money,
                closedAt: Int64? = nil, closedBy: Int64? = nil, counted: Money? = nil) {
        self.id = id
        self.registerId = registerId
        self.storeId = storeId
        self.openedAt = openedAt
        self.openedBy = openedBy
        self.float = float
        self.closedAt = closedAt
        self.closedBy = closedBy
        self.counted = counted
    }

    /// A new open session; the float may be zero but not negative.
    public static func open(id: String, registerId: String, storeId: Int64, at time: Int64, by userId: Int64,
                            float: Money) throws(DomainError) -> CashSession {
        guard !float.isNegative else { throw DomainError(.invalidInput, "the float cannot be negative (got \(float))") }
        return CashSession(id: id, registerId: registerId, storeId: storeId, openedAt: time, openedBy: userId, float: float)
    }

    /// This session closed with the cash counted in the drawer.
    public func closed(at time: Int64, by userId: Int64, counted: Money) throws(DomainError) -> CashSession {
        guard isOpen else { throw DomainError(.invalidTransition, "cash session \(id) is already closed") }
        guard !counted.isNegative else { throw DomainError(.invalidInput, "the counted cash cannot be negative (got \(counted))") }
        var session = self
        session.closedAt = time
        session.closedBy = userId
        session.counted = counted
        return session
    }

    enum CodingKeys: String, CodingKey {
        case id, registerId, storeId, openedAt, openedBy
        case float = "floatCents"
        case closedAt, closedBy
        case counted = "countedCents"
    }
}

/// One tax over a session: charged on sales less refunded on returns.
public struct TaxTotal: Hashable, Sendable, Codable {
    public var code: String
    public var amount: Money

    public init(code: String, amount: Money) {
        self.code = code
        self.amount = amount
    }

    enum CodingKeys: String, CodingKey {
        case code
        case amount = "amountCents"
    }
}

/// One way of paying over a session: taken on sales, given back on returns.
public struct TenderTotal: Hashable, Sendable, Codable {
    public var kind: TenderKind
    public var collected: Money
    public var refunded: Money
    public var net: Money { collected - refunded }

    public init(kind: TenderKind, collected: Money = .zero, refunded: Money = .zero) {
        self.kind = kind
        self.collected = collected
        self.refunded = refunded
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case collected = "collectedCents"
        case refunded = "refundedCents"
        case net = "netCents"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(TenderKind.self, forKey: .kind)
        collected = try c.decode(Money.self, forKey: .collected)
        refunded = try c.decode(Money.self, forKey: .refunded)
    }

    // `net` is written too, for readers of the journal that do not recompute it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(collected, forKey: .collected)
        try c.encode(refunded, forKey: .refunded)
        try c.encode(net, forKey: .net)
    }
}

/// What went through a till during a cash session, and the cash that should be
/// in the drawer: the X report while open, the Z report at the close.
public struct CashReport: Hashable, Sendable, Codable {
    public var sessionId: String
    public var float: Money
    public var saleCount: Int
    public var returnCount: Int
    public var itemsSold: Int
    public var itemsReturned: Int
    /// What customers paid for sales: totals with tax, after cash rounding.
    public var sales: Money
    /// What was given back on returns, after cash rounding.
    public var refunds: Money
    /// Per tax code, in the order first met: charged on sales less refunded.
    public var taxes: [TaxTotal]
    /// Every tender kind, in `TenderKind.allCases` order, even when unused.
    public var tenders: [TenderTotal]
    /// float + cash kept on sales − cash given back on returns.
    public var expectedCash: Money
    /// Times the drawer was opened with no sale, on a manager's PIN (issue 29): an audit's first question.
    public var noSaleCount: Int
    /// The cash rounding of the sales (issue 28): `sales` less it is what the receipts' totals add up to.
    public var rounding: Money
    /// What the sales' lines gave off (promotions, discounts, price overrides).
    public var discounts: Money

    /// A report as it was recorded (a journal's payload read back): no check, the reader judges it.
    public init(sessionId: String, float: Money, saleCount: Int, returnCount: Int, itemsSold: Int, itemsReturned: Int, sales: Money,
                refunds: Money, taxes: [TaxTotal], tenders: [TenderTotal], expectedCash: Money, noSaleCount: Int, rounding: Money,
                discounts: Money) {
        self.sessionId = sessionId
        self.float = float
        self.saleCount = saleCount
        self.returnCount = returnCount
        self.itemsSold = itemsSold
        self.itemsReturned = itemsReturned
        self.sales = sales
        self.refunds = refunds
        self.taxes = taxes
        self.tenders = tenders
        self.expectedCash = expectedCash
        self.noSaleCount = noSaleCount
        self.rounding = rounding
        self.discounts = discounts
    }

    /// Sums the session's documents. The caller picks them (those journaled
    /// after the opening); this only adds, so it is exact to the cent.
    public init(session: CashSession, sales: [Sale], returns: [SaleReturn], noSaleCount: Int = 0) {
        self.noSaleCount = noSaleCount
        rounding = sales.reduce(.zero) { $0 + $1.rounding }
        discounts = sales.reduce(.zero) { total, sale in sale.lines.reduce(total) { $0 + $1.discountTotal } }
        sessionId = session.id
        float = session.float
        saleCount = sales.count
        returnCount = returns.count
        itemsSold = sales.reduce(0) { $0 + $1.itemCount }
        itemsReturned = returns.reduce(0) { $0 + $1.itemCount }
        self.sales = sales.reduce(.zero) { $0 + $1.amountPaid }
        refunds = returns.reduce(.zero) { $0 + $1.amountRefunded }

        var codes: [String] = []
        var byCode: [String: Money] = [:]
        func add(_ tax: TaxLine, _ sign: Int64) {
            if byCode[tax.code] == nil { codes.append(tax.code) }
            byCode[tax.code, default: .zero] += Money(cents: sign * tax.amount.cents)
        }
        for sale in sales { for tax in sale.taxes { add(tax, 1) } }
        for ret in returns { for tax in ret.taxes { add(tax, -1) } }
        taxes = codes.map { TaxTotal(code: $0, amount: byCode[$0] ?? .zero) }

        // A tender's amount is what it settled: for cash, what was handed over
        // less the change, so the drawer keeps exactly that.
        var byKind: [TenderKind: TenderTotal] = [:]
        for kind in TenderKind.allCases { byKind[kind] = TenderTotal(kind: kind) }
        for sale in sales { for t in sale.tenders { byKind[t.kind, default: TenderTotal(kind: t.kind)].collected += t.amount } }
        for ret in returns { for t in ret.tenders { byKind[t.kind, default: TenderTotal(kind: t.kind)].refunded += t.amount } }
        tenders = TenderKind.allCases.map { byKind[$0] ?? TenderTotal(kind: $0) }

        let cash = byKind[.cash] ?? TenderTotal(kind: .cash)
        expectedCash = session.float + cash.net
    }

    /// Sales less refunds.
    public var net: Money { sales - refunds }

    /// counted − expected: positive when the drawer is over, negative when short.
    public func difference(counted: Money) -> Money { counted - expectedCash }

    enum CodingKeys: String, CodingKey {
        case sessionId
        case float = "floatCents"
        case saleCount, returnCount, itemsSold, itemsReturned
        case sales = "salesCents"
        case refunds = "refundsCents"
        case taxes, tenders
        case expectedCash = "expectedCashCents"
        case noSaleCount
        case rounding = "roundingCents"
        case discounts = "discountsCents"
    }

    // The later fields are written only when not zero: a Z report journaled before
    // issues 28 and 29 keeps its bytes when it is decoded and encoded again (ADR 0018).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sessionId = try c.decode(String.self, forKey: .sessionId)
        float = try c.decode(Money.self, forKey: .float)
        saleCount = try c.decode(Int.self, forKey: .saleCount)
        returnCount = try c.decode(Int.self, forKey: .returnCount)
        itemsSold = try c.decode(Int.self, forKey: .itemsSold)
        itemsReturned = try c.decode(Int.self, forKey: .itemsReturned)
        sales = try c.decode(Money.self, forKey: .sales)
        refunds = try c.decode(Money.self, forKey: .refunds)
        taxes = try c.decode([TaxTotal].self, forKey: .taxes)
        tenders = try c.decode([TenderTotal].self, forKey: .tenders)
        expectedCash = try c.decode(Money.self, forKey: .expectedCash)
        noSaleCount = try c.decodeIfPresent(Int.self, forKey: .noSaleCount) ?? 0
        rounding = try c.decodeIfPresent(Money.self, forKey: .rounding) ?? .zero
        discounts = try c.decodeIfPresent(Money.self, forKey: .discounts) ?? .zero
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sessionId, forKey: .sessionId)
        try c.encode(float, forKey: .float)
        try c.encode(saleCount, forKey: .saleCount)
        try c.encode(returnCount, forKey: .returnCount)
        try c.encode(itemsSold, forKey: .itemsSold)
        try c.encode(itemsReturned, forKey: .itemsReturned)
        try c.encode(sales, forKey: .sales)
        try c.encode(refunds, forKey: .refunds)
        try c.encode(taxes, forKey: .taxes)
        try c.encode(tenders, forKey: .tenders)
        try c.encode(expectedCash, forKey: .expectedCash)
        if noSaleCount > 0 { try c.encode(noSaleCount, forKey: .noSaleCount) }
        if rounding != .zero { try c.encode(rounding, forKey: .rounding) }
        if discounts != .zero { try c.encode(discounts, forKey: .discounts) }
    }
}
