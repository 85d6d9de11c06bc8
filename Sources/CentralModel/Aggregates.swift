import CaisseAPI
import CaisseCore

/// Per-day totals that the report and the dashboard read instead of every document
/// (ADR 0017). Ingest adds a batch's `AggregateDelta` in the transaction that records
/// its documents; `AggregateSQL.rebuild` recomputes them from the ledger, and a test
/// proves the two agree. The store dimension is kept where a report needs it
/// (documents, taxes, discounts); products are per chain and day, which is what the
/// top-products list reads, so a year is 365 × catalog rows, not × stores.
public struct AggregateDelta: Sendable, Equatable {
    public struct StoreDay: Hashable, Sendable, Comparable {
        public var storeId: Int64
        public var day: Int
        public var kind: String
        public static func < (a: Self, b: Self) -> Bool { (a.storeId, a.day, a.kind) < (b.storeId, b.day, b.kind) }
    }
    public struct StoreDayTotals: Hashable, Sendable {
        public var documents = 0
        public var items = 0
        public var subtotal: Int64 = 0
        public var tax: Int64 = 0
    }
    public struct ProductDay: Hashable, Sendable, Comparable {
        public var day: Int
        public var productId: Int64
        public var kind: String
        public static func < (a: Self, b: Self) -> Bool { (a.day, a.productId, a.kind) < (b.day, b.productId, b.kind) }
    }
    public struct ProductDayTotals: Hashable, Sendable {
        public var quantity = 0
        public var amount: Int64 = 0
        public var sku = ""
        public var name = ""
    }
    public struct TaxDay: Hashable, Sendable, Comparable {
        public var storeId: Int64
        public var day: Int
        public var kind: String
        public var code: String
        public static func < (a: Self, b: Self) -> Bool { (a.storeId, a.day, a.kind, a.code) < (b.storeId, b.day, b.kind, b.code) }
    }
    /// A discount's grouping; absent values are "" and 0 so that they can be part of a key.
    public struct DiscountDay: Hashable, Sendable, Comparable {
        public var storeId: Int64
        public var day: Int
        public var documentKind: String
        public var kind: String
        public var reason: String
        public var promotionId: Int64
        public var cashierId: Int64
        public var approvedBy: Int64
        public static func < (a: Self, b: Self) -> Bool {
            // Tuples compare up to six elements: the first five, then the rest.
            if (a.storeId, a.day, a.documentKind, a.kind, a.reason) != (b.storeId, b.day, b.documentKind, b.kind, b.reason) {
                return (a.storeId, a.day, a.documentKind, a.kind, a.reason) < (b.storeId, b.day, b.documentKind, b.kind, b.reason)
            }
            return (a.promotionId, a.cashierId, a.approvedBy) < (b.promotionId, b.cashierId, b.approvedBy)
        }
    }
    public struct DiscountDayTotals: Hashable, Sendable {
        public var count = 0
        public var amount: Int64 = 0
        public var label = ""
    }

    /// Each table's rows in key order: concurrent PostgreSQL writers lock them in the same order.
    public var storeDays: [(StoreDay, StoreDayTotals)]
    public var productDays: [(ProductDay, ProductDayTotals)]
    /// Products per week (`day` holds day / 7): a year's report reads 52 weeks and a few days, not 365 days.
    public var productWeeks: [(ProductDay, ProductDayTotals)]
    public var taxDays: [(TaxDay, Int64)]
    /// Per week, and the chain per day: a period reads whole weeks and a few days (`AggregateRange`).
    public var storeWeeks: [(StoreDay, StoreDayTotals)]
    public var taxWeeks: [(TaxDay, Int64)]
    public var chainDays: [(StoreDay, StoreDayTotals)]
    public var discountDays: [(DiscountDay, DiscountDayTotals)]

    public var isEmpty: Bool { storeDays.isEmpty }

    public init(documents: [LedgerDocument]) {
        var stores: [StoreDay: StoreDayTotals] = [:]
        var products: [ProductDay: ProductDayTotals] = [:]
        var taxes: [TaxDay: Int64] = [:]
        var discounts: [DiscountDay: DiscountDayTotals] = [:]
        for d in documents {
            let kind = d.kind.rawValue
            stores[StoreDay(storeId: d.storeId, day: d.day.number, kind: kind), default: .init()].add(d)
            for l in d.lines {
                var p = products[ProductDay(day: d.day.number, productId: l.productId, kind: kind), default: .init()]
                p.quantity.add(saturating: l.quantity)
                p.amount.add(saturating: l.amount.cents)
                // The greatest name and SKU, as the ledger query's max() picks them.
                p.sku = max(p.sku, l.sku)
                p.name = max(p.name, l.name)
                products[ProductDay(day: d.day.number, productId: l.productId, kind: kind)] = p
            }
            for t in d.taxes { taxes[TaxDay(storeId: d.storeId, day: d.day.number, kind: kind, code: t.code), default: 0].add(saturating: t.amount.cents) }
            for x in d.discounts {
                let key = DiscountDay(storeId: d.storeId, day: d.day.number, documentKind: kind, kind: x.kind.rawValue, reason: x.reason ?? "",
                                      promotionId: x.promotionId ?? 0, cashierId: x.cashierId, approvedBy: x.approvedBy ?? 0)
                var v = discounts[key, default: .init()]
                v.count.add(saturating: 1)
                v.amount.add(saturating: x.amount.cents)
                v.label = max(v.label, x.label ?? "")
                discounts[key] = v
            }
        }
        var weeks: [ProductDay: ProductDayTotals] = [:]
        for (k, v) in products {
            let key = ProductDay(day: AggregateRange.week(of: k.day), productId: k.productId, kind: k.kind)
            var w = weeks[key, default: .init()]
            w.quantity.add(saturating: v.quantity)
            w.amount.add(saturating: v.amount)
            w.sku = max(w.sku, v.sku)
            w.name = max(w.name, v.name)
            weeks[key] = w
        }
        productWeeks = weeks.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        storeDays = stores.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        // The same keys with `day` holding the week (storeWeeks, taxWeeks) or the store 0 (chainDays).
        var storeWeek: [StoreDay: StoreDayTotals] = [:], chain: [StoreDay: StoreDayTotals] = [:]
        for (k, v) in stores {
            storeWeek[StoreDay(storeId: k.storeId, day: AggregateRange.week(of: k.day), kind: k.kind), default: .init()].merge(v)
            chain[StoreDay(storeId: 0, day: k.day, kind: k.kind), default: .init()].merge(v)
        }
        storeWeeks = storeWeek.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        chainDays = chain.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var taxWeek: [TaxDay: Int64] = [:]
        for (k, v) in taxes { taxWeek[TaxDay(storeId: k.storeId, day: AggregateRange.week(of: k.day), kind: k.kind, code: k.code), default: 0].add(saturating: v) }
        taxWeeks = taxWeek.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        productDays = products.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        taxDays = taxes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        discountDays = discounts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.storeDays.elementsEqual(b.storeDays) { $0 == $1 } && a.productDays.elementsEqual(b.productDays) { $0 == $1 }
            && a.productWeeks.elementsEqual(b.productWeeks) { $0 == $1 } && a.storeWeeks.elementsEqual(b.storeWeeks) { $0 == $1 }
            && a.taxWeeks.elementsEqual(b.taxWeeks) { $0 == $1 } && a.chainDays.elementsEqual(b.chainDays) { $0 == $1 }
            && a.taxDays.elementsEqual(b.taxDays) { $0 == $1 } && a.discountDays.elementsEqual(b.discountDays) { $0 == $1 }
    }
}

extension AggregateDelta.StoreDayTotals {
    mutating func merge(_ o: Self) {
        documents.add(saturating: o.documents)
        items.add(saturating: o.items)
        subtotal.add(saturating: o.subtotal)
        tax.add(saturating: o.tax)
    }

    mutating func add(_ d: LedgerDocument) {
        documents.add(saturating: 1)
        items.add(saturating: d.items)
        subtotal.add(saturating: d.subtotal.cents)
        tax.add(saturating: d.tax.cents)
    }
}

/// The aggregates' SQL shared by SQLite and PostgreSQL: the tables, and their rebuild
/// from the ledger (documents, their lines, taxes and discounts) in plain SQL that
/// both run as is.
/// How a period is read from the product aggregates: its whole weeks from `agg_product_week`,
/// the days before the first and after the last whole week from `agg_product_day`.
public struct AggregateRange: Hashable, Sendable {
    public var weeks: ClosedRange<Int>?
    public var days: [ClosedRange<Int>]

    /// Days since 1970 / 7 (day numbers of the reports are never negative).
    public static func week(of day: Int) -> Int { day >= 0 ? day / 7 : (day - 6) / 7 }

    public init(from: Day, to: Day) {
        let first = Self.week(of: from.number + 6), last = Self.week(of: to.number + 1) - 1
        guard from <= to, first <= last else {
            weeks = nil
            days = from <= to ? [from.number...to.number] : []
            return
        }
        weeks = first...last
        // Checked before they are made: a ClosedRange with its bounds crossed traps.
        days = []
        if from.number <= first * 7 - 1 { days.append(from.number...(first * 7 - 1)) }
        if (last + 1) * 7 <= to.number { days.append(((last + 1) * 7)...to.number) }
    }
}

public enum AggregateSQL {
    public static let tables = ["agg_store_day", "agg_store_week", "agg_chain_day", "agg_product_day", "agg_product_week", "agg_tax_day",
                                "agg_tax_week", "agg_discount_day"]

    /// A period's totals (`AggregateRange`) from a `<name>_week` and a `<name>_day` table, grouped by `keys`:
    /// placeholders 0…1 are the weeks, 2…3 and 4…5 the days around them (an empty range is given as 1…0).
    /// Plain SQL for both databases, with their placeholders.
    public static func ofPeriod(_ name: String, keys: [String], sums: [String], greatest: [String] = [], placeholders p: [String]) -> String {
        let columns = (keys + greatest + sums).joined(separator: ", ")
        let select = keys + greatest.map { "max(\($0)) AS \($0)" } + sums.map { "CAST(sum(\($0)) AS BIGINT) AS \($0)" }
        return """
        SELECT \(select.joined(separator: ", ")) FROM (
            SELECT \(columns) FROM \(name)_week WHERE week BETWEEN \(p[0]) AND \(p[1])
            UNION ALL SELECT \(columns) FROM \(name)_day WHERE day BETWEEN \(p[2]) AND \(p[3])
            UNION ALL SELECT \(columns) FROM \(name)_day WHERE day BETWEEN \(p[4]) AND \(p[5])
        ) AS period GROUP BY \(keys.joined(separator: ", "))
        """
    }

    public static func productsOfPeriod(placeholders p: [String]) -> String {
        ofPeriod("agg_product", keys: ["product_id", "kind"], sums: ["quantity", "amount_cents"], greatest: ["sku", "name"], placeholders: p)
    }

    public static func storesOfPeriod(placeholders p: [String]) -> String {
        ofPeriod("agg_store", keys: ["store_id", "kind"], sums: ["documents", "items", "subtotal_cents", "tax_cents"], placeholders: p)
    }

    public static func taxesOfPeriod(placeholders p: [String]) -> String {
        ofPeriod("agg_tax", keys: ["store_id", "kind", "code"], sums: ["amount_cents"], placeholders: p)
    }

    /// The six bounds `productsOfPeriod` takes.
    public static func bounds(_ range: AggregateRange) -> [Int64] {
        func pair(_ r: ClosedRange<Int>?) -> [Int64] { r.map { [Int64($0.lowerBound), Int64($0.upperBound)] } ?? [1, 0] }
        return pair(range.weeks) + pair(range.days.first) + pair(range.days.count > 1 ? range.days[1] : nil)
    }

    /// The rebuild's statements for these tables only (a migration that adds them fills them).
    public static func rebuild(only tables: Set<String>) -> [String] {
        rebuild.filter { statement in tables.contains { statement.hasPrefix("DELETE FROM \($0)") || statement.hasPrefix("INSERT INTO \($0)(") } }
    }

    /// Deletes every aggregate and recomputes it from the ledger, in the caller's transaction.
    public static let rebuild: [String] = [
        "DELETE FROM agg_store_day",
        "DELETE FROM agg_product_day",
        "DELETE FROM agg_product_week",
        "DELETE FROM agg_store_week",
        "DELETE FROM agg_chain_day",
        "DELETE FROM agg_tax_week",
        "DELETE FROM agg_tax_day",
        "DELETE FROM agg_discount_day",
        """
        INSERT INTO agg_store_day(store_id, day, kind, documents, items, subtotal_cents, tax_cents)
        SELECT store_id, day, kind, count(*), sum(items), sum(subtotal_cents), sum(tax_cents) FROM document GROUP BY store_id, day, kind
        """,
        """
        INSERT INTO agg_product_day(day, product_id, kind, quantity, amount_cents, sku, name)
        SELECT d.day, l.product_id, d.kind, sum(l.quantity), sum(l.amount_cents), max(l.sku), max(l.name)
        FROM document_line AS l JOIN document AS d ON d.id = l.document_id GROUP BY d.day, l.product_id, d.kind
        """,
        // Integer division on both databases; day numbers are never negative.
        """
        INSERT INTO agg_product_week(week, product_id, kind, quantity, amount_cents, sku, name)
        SELECT day / 7, product_id, kind, sum(quantity), sum(amount_cents), max(sku), max(name)
        FROM agg_product_day GROUP BY day / 7, product_id, kind
        """,
        """
        INSERT INTO agg_tax_day(store_id, day, kind, code, amount_cents)
        SELECT d.store_id, d.day, d.kind, t.code, sum(t.amount_cents)
        FROM document_tax AS t JOIN document AS d ON d.id = t.document_id GROUP BY d.store_id, d.day, d.kind, t.code
        """,
        """
        INSERT INTO agg_store_week(week, store_id, kind, documents, items, subtotal_cents, tax_cents)
        SELECT day / 7, store_id, kind, sum(documents), sum(items), sum(subtotal_cents), sum(tax_cents) FROM agg_store_day GROUP BY day / 7, store_id, kind
        """,
        """
        INSERT INTO agg_chain_day(day, kind, documents, items, subtotal_cents, tax_cents)
        SELECT day, kind, sum(documents), sum(items), sum(subtotal_cents), sum(tax_cents) FROM agg_store_day GROUP BY day, kind
        """,
        """
        INSERT INTO agg_tax_week(week, store_id, kind, code, amount_cents)
        SELECT day / 7, store_id, kind, code, sum(amount_cents) FROM agg_tax_day GROUP BY day / 7, store_id, kind, code
        """,
        """
        INSERT INTO agg_discount_day(store_id, day, document_kind, kind, reason, promotion_id, cashier_id, approved_by, count, amount_cents, label)
        SELECT d.store_id, d.day, d.kind, x.kind, coalesce(x.reason, ''), coalesce(x.promotion_id, 0), x.cashier_id, coalesce(x.approved_by, 0),
               count(*), sum(x.amount_cents), coalesce(max(x.label), '')
        FROM document_discount AS x JOIN document AS d ON d.id = x.document_id
        GROUP BY d.store_id, d.day, d.kind, x.kind, coalesce(x.reason, ''), coalesce(x.promotion_id, 0), x.cashier_id, coalesce(x.approved_by, 0)
        """,
    ]
}
