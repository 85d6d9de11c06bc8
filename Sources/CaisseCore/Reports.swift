/// Whether a journal document sold goods or took them back.
public enum DocumentKind: String, Hashable, Sendable, Codable {
    case sale, `return`
}

/// Totals of some documents of one store, one day and one kind. A register feeds
/// one row per document; central feeds rows already grouped by SQL. Both get the
/// same report from `SalesReport`.
public struct DocumentTotals: Hashable, Sendable, Codable {
    public var storeId: Int64
    public var day: Day
    public var kind: DocumentKind
    public var count: Int
    public var items: Int
    /// Pre-tax amount (positive for returns too).
    public var subtotal: Money
    public var tax: Money

    public init(storeId: Int64, day: Day, kind: DocumentKind, count: Int, items: Int, subtotal: Money, tax: Money) {
        self.storeId = storeId
        self.day = day
        self.kind = kind
        self.count = count
        self.items = items
        self.subtotal = subtotal
        self.tax = tax
    }
}

/// Units and pre-tax amount of one product, sold or returned, over a period.
public struct ProductTotals: Hashable, Sendable, Codable {
    public var productId: Int64
    public var sku: String
    public var name: String
    public var kind: DocumentKind
    public var quantity: Int
    public var amount: Money

    public init(productId: Int64, sku: String, name: String, kind: DocumentKind, quantity: Int, amount: Money) {
        self.productId = productId
        self.sku = sku
        self.name = name
        self.kind = kind
        self.quantity = quantity
        self.amount = amount
    }
}

/// Taxes of some documents of one store, one day, one kind and one tax code (GST, QST, HST…).
public struct TaxTotals: Hashable, Sendable, Codable {
    public var storeId: Int64
    public var day: Day
    public var kind: DocumentKind
    public var code: String
    public var amount: Money

    public init(storeId: Int64, day: Day, kind: DocumentKind, code: String, amount: Money) {
        self.storeId = storeId
        self.day = day
        self.kind = kind
        self.code = code
        self.amount = amount
    }
}

/// One tax code over the period, as an accountant files it: collected on sales, refunded on
/// returns, and what is owed. `storeId` nil: the chain.
public struct TaxFigures: Hashable, Sendable, Codable {
    public var storeId: Int64?
    public var code: String
    public var collected: Money
    public var refunded: Money
    public var net: Money { collected - refunded }

    public init(storeId: Int64?, code: String, collected: Money = .zero, refunded: Money = .zero) {
        self.storeId = storeId
        self.code = code
        self.collected = collected
        self.refunded = refunded
    }

    enum CodingKeys: String, CodingKey {
        case storeId, code
        case collected = "collectedCents"
        case refunded = "refundedCents"
        case net = "netCents"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        storeId = try c.decodeIfPresent(Int64.self, forKey: .storeId)
        code = try c.decode(String.self, forKey: .code)
        collected = try c.decode(Money.self, forKey: .collected)
        refunded = try c.decode(Money.self, forKey: .refunded)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(storeId, forKey: .storeId)
        try c.encode(code, forKey: .code)
        try c.encode(collected, forKey: .collected)
        try c.encode(refunded, forKey: .refunded)
        try c.encode(net, forKey: .net)
    }

    /// Per store and code, then the chain's per code.
    public static func summarize(_ rows: [TaxTotals]) -> [TaxFigures] {
        var byStore: [String: TaxFigures] = [:]
        var chain: [String: TaxFigures] = [:]
        for r in rows {
            let storeKey = "\(r.storeId)|\(r.code)"
            var s = byStore[storeKey] ?? TaxFigures(storeId: r.storeId, code: r.code)
            var t = chain[r.code] ?? TaxFigures(storeId: nil, code: r.code)
            if r.kind == .sale { s.collected += r.amount; t.collected += r.amount } else { s.refunded += r.amount; t.refunded += r.amount }
            byStore[storeKey] = s
            chain[r.code] = t
        }
        return byStore.values.sorted { ($0.storeId ?? 0, $0.code) < ($1.storeId ?? 0, $1.code) } + chain.values.sorted { $0.code < $1.code }
    }
}

/// One row of the consolidated report: a store, a day or the whole chain.
public struct SalesFigures: Hashable, Sendable, Codable {
    /// Number of sales (returns are not counted here).
    public var count: Int = 0
    /// Number of returns, beside their amount.
    public var returnCount: Int = 0
    /// Units sold, less units returned.
    public var items: Int = 0
    /// Pre-tax sales.
    public var gross: Money = .zero
    /// Pre-tax refunds.
    public var returns: Money = .zero
    /// Taxes collected less taxes refunded.
    public var taxes: Money = .zero
    /// gross − returns: the revenue the store keeps, before tax.
    public var net: Money { gross - returns }

    public init() {}

    mutating func add(_ doc: DocumentTotals) {
        switch doc.kind {
        case .sale:
            count.add(saturating: doc.count)
            items.add(saturating: doc.items)
            gross += doc.subtotal
            taxes += doc.tax
        case .return:
            returnCount.add(saturating: doc.count)
            items.subtract(saturating: doc.items)
            returns += doc.subtotal
            taxes -= doc.tax
        }
    }

    enum CodingKeys: String, CodingKey {
        case count, items, returnCount
        case gross = "grossCents"
        case returns = "returnsCents"
        case taxes = "taxesCents"
        case net = "netCents"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        count = try c.decode(Int.self, forKey: .count)
        items = try c.decode(Int.self, forKey: .items)
        returnCount = try c.decodeIfPresent(Int.self, forKey: .returnCount) ?? 0
        gross = try c.decode(Money.self, forKey: .gross)
        returns = try c.decode(Money.self, forKey: .returns)
        taxes = try c.decode(Money.self, forKey: .taxes)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(items, forKey: .items)
        try c.encode(returnCount, forKey: .returnCount)
        try c.encode(gross, forKey: .gross)
        try c.encode(returns, forKey: .returns)
        try c.encode(taxes, forKey: .taxes)
        try c.encode(net, forKey: .net)
    }
}

public struct StoreSales: Hashable, Sendable, Codable {
    public var storeId: Int64
    public var figures: SalesFigures
    public init(storeId: Int64, figures: SalesFigures) {
        self.storeId = storeId
        self.figures = figures
    }
}

public struct DaySales: Hashable, Sendable, Codable {
    public var day: Day
    public var figures: SalesFigures
    public init(day: Day, figures: SalesFigures) {
        self.day = day
        self.figures = figures
    }
}

public struct ProductSales: Hashable, Sendable, Codable {
    public var productId: Int64
    public var sku: String
    public var name: String
    /// Units sold less units returned.
    public var quantity: Int
    /// Pre-tax sales less refunds.
    public var revenue: Money

    public init(productId: Int64, sku: String, name: String, quantity: Int, revenue: Money) {
        self.productId = productId
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.revenue = revenue
    }

    enum CodingKeys: String, CodingKey {
        case productId, sku, name, quantity
        case revenue = "revenueCents"
    }
}

/// The consolidated sales report: per store, per day, the chain, top products.
public struct SalesReport: Hashable, Sendable, Codable {
    public var stores: [StoreSales]
    public var days: [DaySales]
    public var total: SalesFigures
    public var topProducts: [ProductSales]
    /// What came off the prices (issue 16); empty from a central that predates discounts.
    public var discounts: DiscountSummary
    /// Waste and shrinkage (issue 17).
    public var losses: StockLossSummary
    /// Taxes by code, per store then for the chain (issue 18).
    public var taxes: [TaxFigures]

    /// A report as central computed it (the till reads it from central's answer).
    public init(stores: [StoreSales], days: [DaySales], total: SalesFigures, topProducts: [ProductSales], discounts: DiscountSummary,
                losses: StockLossSummary, taxes: [TaxFigures]) {
        self.stores = stores
        self.days = days
        self.total = total
        self.topProducts = topProducts
        self.discounts = discounts
        self.losses = losses
        self.taxes = taxes
    }

    public init(documents: [DocumentTotals], products: [ProductTotals], topCount: Int = 10, discounts: DiscountSummary = DiscountSummary(),
                losses: StockLossSummary = StockLossSummary(), taxes: [TaxTotals] = []) {
        self.init(storeRows: documents, dayRows: documents, products: products, topCount: topCount, discounts: discounts, losses: losses, taxes: taxes)
    }

    /// From rows already grouped apart: per store over the period (`storeRows`, their day unused)
    /// and per day for the chain (`dayRows`, their store unused), as central's aggregates give them.
    public init(storeRows: [DocumentTotals], dayRows: [DocumentTotals], products: [ProductTotals], topCount: Int = 10,
                discounts: DiscountSummary = DiscountSummary(), losses: StockLossSummary = StockLossSummary(), taxes: [TaxTotals] = []) {
        self.taxes = TaxFigures.summarize(taxes)
        self.discounts = discounts
        self.losses = losses
        var byStore: [Int64: SalesFigures] = [:]
        var byDay: [Day: SalesFigures] = [:]
        var total = SalesFigures()
        for doc in storeRows {
            byStore[doc.storeId, default: SalesFigures()].add(doc)
            total.add(doc)
        }
        for doc in dayRows { byDay[doc.day, default: SalesFigures()].add(doc) }
        stores = byStore.keys.sorted().map { StoreSales(storeId: $0, figures: byStore[$0] ?? SalesFigures()) }
        days = byDay.keys.sorted().map { DaySales(day: $0, figures: byDay[$0] ?? SalesFigures()) }
        self.total = total

        var byProduct: [Int64: ProductSales] = [:]
        for p in products {
            var entry = byProduct[p.productId] ?? ProductSales(productId: p.productId, sku: p.sku, name: p.name, quantity: 0, revenue: .zero)
            if p.kind == .sale { entry.quantity.add(saturating: p.quantity) } else { entry.quantity.subtract(saturating: p.quantity) }
            entry.revenue += p.kind == .sale ? p.amount : -p.amount
            byProduct[p.productId] = entry
        }
        // Best sellers by revenue; ties by units then SKU so the order is stable.
        topProducts = Array(byProduct.values.sorted {
            ($0.revenue, $0.quantity, $1.sku) > ($1.revenue, $1.quantity, $0.sku)
        }.prefix(max(0, topCount)))
    }
}

/// Net revenue of one store over the dashboard's windows.
public struct StoreRevenue: Hashable, Sendable, Codable {
    public var storeId: Int64
    public var today: Money = .zero
    public var last7Days: Money = .zero
    public var last30Days: Money = .zero
    /// Discounts over the 30 days (issue 16), and their share of the sales before them, in ‰.
    public var discounts30Days: Money = .zero
    public var discountRatePermille: Int = 0
    /// Waste and shrinkage over the 30 days, at retail (issue 17).
    public var waste30Days: Money = .zero
    public var shrinkage30Days: Money = .zero

    public init(storeId: Int64) { self.storeId = storeId }

    /// Revenue windows ending on `today` (inclusive): 1, 7 and 30 days.
    public static func windows(documents: [DocumentTotals], today: Day, storeIds: [Int64] = [],
                               discounts: [DiscountTotals] = [], adjustments: [AdjustmentTotals] = []) -> [StoreRevenue] {
        var result: [Int64: StoreRevenue] = [:]
        for id in storeIds { result[id] = StoreRevenue(storeId: id) }
        for doc in documents where doc.day <= today && doc.day > today.adding(days: -30) {
            let signed = doc.kind == .sale ? doc.subtotal : -doc.subtotal
            var entry = result[doc.storeId] ?? StoreRevenue(storeId: doc.storeId)
            entry.last30Days += signed
            if doc.day > today.adding(days: -7) { entry.last7Days += signed }
            if doc.day == today { entry.today += signed }
            result[doc.storeId] = entry
        }
        for d in discounts where d.day <= today && d.day > today.adding(days: -30) {
            result[d.storeId, default: StoreRevenue(storeId: d.storeId)].discounts30Days += d.signed
        }
        for a in adjustments where a.day <= today && a.day > today.adding(days: -30) {
            var entry = result[a.storeId] ?? StoreRevenue(storeId: a.storeId)
            if a.reason == .waste { entry.waste30Days -= a.value } else { entry.shrinkage30Days -= a.value }
            result[a.storeId] = entry
        }
        for (id, entry) in result {
            result[id]?.discountRatePermille = DiscountSummary.ratePermille(discounts: entry.discounts30Days, netSales: entry.last30Days)
        }
        return result.keys.sorted().compactMap { result[$0] }
    }

    enum CodingKeys: String, CodingKey {
        case storeId
        case today = "todayCents"
        case last7Days = "last7DaysCents"
        case last30Days = "last30DaysCents"
        case discounts30Days = "discounts30DaysCents"
        case discountRatePermille
        case waste30Days = "waste30DaysCents"
        case shrinkage30Days = "shrinkage30DaysCents"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        storeId = try c.decode(Int64.self, forKey: .storeId)
        today = try c.decode(Money.self, forKey: .today)
        last7Days = try c.decode(Money.self, forKey: .last7Days)
        last30Days = try c.decode(Money.self, forKey: .last30Days)
        discounts30Days = try c.decodeIfPresent(Money.self, forKey: .discounts30Days) ?? .zero
        discountRatePermille = try c.decodeIfPresent(Int.self, forKey: .discountRatePermille) ?? 0
        waste30Days = try c.decodeIfPresent(Money.self, forKey: .waste30Days) ?? .zero
        shrinkage30Days = try c.decodeIfPresent(Money.self, forKey: .shrinkage30Days) ?? .zero
    }
}

/// One product's stock at one location, with its thresholds.
public struct StockPosition: Hashable, Sendable, Codable {
    public var locationId: Int64
    public var productId: Int64
    public var sku: String
    public var name: String
    public var onHand: Int
    public var reorderPoint: Int
    public var overstockThreshold: Int
    /// The catalog's category, where the till knows it: words typed match it as they match the name.
    public var category: String?

    public init(locationId: Int64, productId: Int64, sku: String, name: String, onHand: Int, reorderPoint: Int, overstockThreshold: Int,
                category: String? = nil) {
        self.category = category
        self.locationId = locationId
        self.productId = productId
        self.sku = sku
        self.name = name
        self.onHand = onHand
        self.reorderPoint = reorderPoint
        self.overstockThreshold = overstockThreshold
    }

    public var status: StockStatus {
        StockStatus.classify(onHand: onHand, reorderPoint: reorderPoint, overstockThreshold: overstockThreshold)
    }

    public var suggestedReorder: Int {
        StockStatus.suggestedReorder(onHand: onHand, reorderPoint: reorderPoint, overstockThreshold: overstockThreshold)
    }
}

/// The dashboard's stock alerts of one location.
public struct StockAlerts: Hashable, Sendable, Codable {
    public var locationId: Int64
    public var out: [StockPosition] = []
    public var low: [StockPosition] = []
    public var over: [StockPosition] = []

    public init(locationId: Int64) { self.locationId = locationId }

    public static func classify(_ positions: [StockPosition]) -> [StockAlerts] {
        var result: [Int64: StockAlerts] = [:]
        for p in positions {
            // Appended in place: a copy of the entry taken out and put back copied its lists at every
            // position (6,400 of them for 20 stores, most of the dashboard's time: issue 26).
            switch p.status {
            case .out: result[p.locationId, default: StockAlerts(locationId: p.locationId)].out.append(p)
            case .low: result[p.locationId, default: StockAlerts(locationId: p.locationId)].low.append(p)
            case .over: result[p.locationId, default: StockAlerts(locationId: p.locationId)].over.append(p)
            case .ok: if result[p.locationId] == nil { result[p.locationId] = StockAlerts(locationId: p.locationId) }
            }
        }
        return result.keys.sorted().compactMap { result[$0] }
    }
}
