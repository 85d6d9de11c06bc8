import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import GRDB

extension SQLiteCentralStore {
    /// Each document's taxes by code, then the batch's per-day totals, in the ingest transaction.
    static func write(_ db: Database, aggregatesOf documents: [LedgerDocument]) throws {
        guard !documents.isEmpty else { return }
        try insertRows(db, into: "document_tax(document_id, code, amount_cents)", width: 3,
                       documents.flatMap { d in d.taxes.map { (d.id, $0) } }) { row, item in
            row.text(item.0); row.text(item.1.code); row.int(item.1.amount.cents)
        }
        let delta = AggregateDelta(documents: documents)
        try upsertStores(db, "agg_store_day", period: "day", delta.storeDays)
        try upsertStores(db, "agg_store_week", period: "week", delta.storeWeeks)
        try upsertProducts(db, "agg_product_day", period: "day", delta.productDays)
        try upsertProducts(db, "agg_product_week", period: "week", delta.productWeeks)
        try upsertTaxes(db, "agg_tax_day", period: "day", delta.taxDays)
        try upsertTaxes(db, "agg_tax_week", period: "week", delta.taxWeeks)
        try insertRows(db, into: "agg_chain_day(day, kind, documents, items, subtotal_cents, tax_cents)", width: 6, delta.chainDays, suffix: """
                       ON CONFLICT(day, kind) DO UPDATE SET documents = documents + excluded.documents, items = items + excluded.items,
                           subtotal_cents = subtotal_cents + excluded.subtotal_cents, tax_cents = tax_cents + excluded.tax_cents
                       """) { row, item in
            let (k, v) = item
            row.int(k.day); row.text(k.kind); row.int(v.documents); row.int(v.items); row.int(v.subtotal); row.int(v.tax)
        }
        try insertRows(db, into: "agg_discount_day(store_id, day, document_kind, kind, reason, promotion_id, cashier_id, approved_by, count, amount_cents, label)",
                       width: 11, delta.discountDays, suffix: """
                       ON CONFLICT(day, store_id, document_kind, kind, reason, promotion_id, cashier_id, approved_by) DO UPDATE SET
                           count = count + excluded.count, amount_cents = amount_cents + excluded.amount_cents, label = max(label, excluded.label)
                       """) { row, item in
            let (k, v) = item
            row.int(k.storeId); row.int(k.day); row.text(k.documentKind); row.text(k.kind); row.text(k.reason); row.int(k.promotionId)
            row.int(k.cashierId); row.int(k.approvedBy); row.int(v.count); row.int(v.amount); row.text(v.label)
        }
    }

    public func periodTotals(from: Day, to: Day) async throws -> PeriodTotals {
        try await readOffPool { db in
            let bounds = StatementArguments(AggregateSQL.bounds(AggregateRange(from: from, to: to)))
            let placeholders = ["?1", "?2", "?3", "?4", "?5", "?6"]
            func totals(_ row: Row, store: Int64, day: Day) -> DocumentTotals {
                DocumentTotals(storeId: store, day: day, kind: DocumentKind(rawValue: row["kind"]) ?? .sale, count: row["documents"],
                               items: row["items"], subtotal: Money(cents: row["subtotal_cents"]), tax: Money(cents: row["tax_cents"]))
            }
            let stores = try Row.fetchAll(db, sql: AggregateSQL.storesOfPeriod(placeholders: placeholders), arguments: bounds).map {
                totals($0, store: $0["store_id"], day: from)
            }
            let days = try Row.fetchAll(db, sql: "SELECT * FROM agg_chain_day WHERE day BETWEEN ? AND ?", arguments: [from.number, to.number]).map {
                totals($0, store: 0, day: Day(number: $0["day"]))
            }
            let products = try Row.fetchAll(db, sql: AggregateSQL.productsOfPeriod(placeholders: placeholders), arguments: bounds).map { row in
                ProductTotals(productId: row["product_id"], sku: row["sku"], name: row["name"], kind: DocumentKind(rawValue: row["kind"]) ?? .sale,
                              quantity: row["quantity"], amount: Money(cents: row["amount_cents"]))
            }
            return PeriodTotals(stores: stores, days: days, products: products)
        }
    }

    /// A store's totals per `period` (day or week; the key's `day` holds it).
    private static func upsertStores(_ db: Database, _ table: String, period: String,
                                     _ rows: [(AggregateDelta.StoreDay, AggregateDelta.StoreDayTotals)]) throws {
        try insertRows(db, into: "\(table)(store_id, \(period), kind, documents, items, subtotal_cents, tax_cents)", width: 7, rows, suffix: """
                       ON CONFLICT(\(period), store_id, kind) DO UPDATE SET documents = documents + excluded.documents, items = items + excluded.items,
                           subtotal_cents = subtotal_cents + excluded.subtotal_cents, tax_cents = tax_cents + excluded.tax_cents
                       """) { row, item in
            let (k, v) = item
            row.int(k.storeId); row.int(k.day); row.text(k.kind); row.int(v.documents); row.int(v.items); row.int(v.subtotal); row.int(v.tax)
        }
    }

    /// The chain's products per `period` (day or week; the key's `day` holds it).
    private static func upsertProducts(_ db: Database, _ table: String, period: String,
                                       _ rows: [(AggregateDelta.ProductDay, AggregateDelta.ProductDayTotals)]) throws {
        try insertRows(db, into: "\(table)(\(period), product_id, kind, quantity, amount_cents, sku, name)", width: 7, rows, suffix: """
                       ON CONFLICT(\(period), product_id, kind) DO UPDATE SET quantity = quantity + excluded.quantity,
                           amount_cents = amount_cents + excluded.amount_cents, sku = max(sku, excluded.sku), name = max(name, excluded.name)
                       """) { row, item in
            let (k, v) = item
            row.int(k.day); row.int(k.productId); row.text(k.kind); row.int(v.quantity); row.int(v.amount); row.text(v.sku); row.text(v.name)
        }
    }

    /// A store's taxes by code per `period` (day or week; the key's `day` holds it).
    private static func upsertTaxes(_ db: Database, _ table: String, period: String, _ rows: [(AggregateDelta.TaxDay, Int64)]) throws {
        try insertRows(db, into: "\(table)(store_id, \(period), kind, code, amount_cents)", width: 5, rows,
                       suffix: "ON CONFLICT(\(period), store_id, kind, code) DO UPDATE SET amount_cents = amount_cents + excluded.amount_cents") { row, item in
            let (k, v) = item
            row.int(k.storeId); row.int(k.day); row.text(k.kind); row.text(k.code); row.int(v)
        }
    }

    public func rebuildAggregates() async throws {
        try await writer.write { db in
            for statement in AggregateSQL.rebuild { try db.execute(sql: statement) }
        }
    }

    public func aggregateDump() async throws -> [String: [String]] {
        try await readOffPool { db in
            var dump: [String: [String]] = [:]
            for table in AggregateSQL.tables {
                dump[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { row in
                    row.columnNames.sorted().map { "\($0)=\(row[$0].map { "\($0)" } ?? "NULL")" }.joined(separator: " ")
                }.sorted()
            }
            return dump
        }
    }

    public func taxRows(from: Day, to: Day) async throws -> [TaxTotals] {
        try await readOffPool { db in
            // Per store and code over the period: the report files them so, not per day.
            try Row.fetchAll(db, sql: AggregateSQL.taxesOfPeriod(placeholders: ["?1", "?2", "?3", "?4", "?5", "?6"]),
                             arguments: StatementArguments(AggregateSQL.bounds(AggregateRange(from: from, to: to)))).map { row in
                TaxTotals(storeId: row["store_id"], day: from, kind: DocumentKind(rawValue: row["kind"]) ?? .sale,
                          code: row["code"], amount: Money(cents: row["amount_cents"]))
            }
        }
    }
}
