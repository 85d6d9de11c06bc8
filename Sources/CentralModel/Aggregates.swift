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
    public var taxDays: [(TaxDay, Int64)]
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
                p.quantity += l.quantity
                p.amount += l.amount.cents
                // The greatest name and SKU, as the ledger query's max() picks them.
                p.sku = max(p.sku, l.sku)
                p.name = max(p.name, l.name)
                products[ProductDay(day: d.day.number, productId: l.productId, kind: kind)] = p
            }
            for t in d.taxes { taxes[TaxDay(storeId: d.storeId, day: d.day.number, kind: kind, code: t.code), default: 0] += t.amount.cents }
            for x in d.discounts {
                let key = DiscountDay(storeId: d.storeId, day: d.day.number, documentKind: kind, kind: x.kind.rawValue, reason: x.reason ?? "",
                                      promotionId: x.promotionId ?? 0, cashierId: x.cashierId, approvedBy: x.approvedBy ?? 0)
                var v = discounts[key, default: .init()]
                v.count += 1
                v.amount += x.amount.cents
                v.label = max(v.label, x.label ?? "")
                discounts[key] = v
            }
        }
        storeDays = stores.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        productDays = products.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        taxDays = taxes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        discountDays = discounts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.storeDays.elementsEqual(b.storeDays) { $0 == $1 } && a.productDays.elementsEqual(b.productDays) { $0 == $1 }
            && a.taxDays.elementsEqual(b.taxDays) { $0 == $1 } && a.discountDays.elementsEqual(b.discountDays) { $0 == $1 }
    }
}

extension AggregateDelta.StoreDayTotals {
    mutating func add(_ d: LedgerDocument) {
        documents += 1
        items += d.items
        subtotal += d.subtotal.cents
        tax += d.tax.cents
    }
}

/// The aggregates' SQL shared by SQLite and PostgreSQL: the tables, and their rebuild
/// from the ledger (documents, their lines, taxes and discounts) in plain SQL that
/// both run as is.
public enum AggregateSQL {
    public static let tables = ["agg_store_day", "agg_product_day", "agg_tax_day", "agg_discount_day"]

    /// Deletes every aggregate and recomputes it from the ledger, in the caller's transaction.
    public static let rebuild: [String] = [
        "DELETE FROM agg_store_day",
        "DELETE FROM agg_product_day",
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
        """
        INSERT INTO agg_tax_day(store_id, day, kind, code, amount_cents)
        SELECT d.store_id, d.day, d.kind, t.code, sum(t.amount_cents)
        FROM document_tax AS t JOIN document AS d ON d.id = t.document_id GROUP BY d.store_id, d.day, d.kind, t.code
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
