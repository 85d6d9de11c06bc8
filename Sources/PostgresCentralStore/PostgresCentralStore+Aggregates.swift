import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import PostgresNIO

extension PostgresCentralStore {
    /// Each document's taxes by code: rows of the document, written before the change counter is taken.
    static func write(_ sql: SQL, taxesOf documents: [LedgerDocument]) async throws {
        let taxes = documents.flatMap { d in d.taxes.map { (d.id, $0) } }
        guard !taxes.isEmpty else { return }
        try await sql.execute("INSERT INTO document_tax(document_id, code, amount_cents) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])",
                              arguments: [taxes.map(\.0), taxes.map(\.1.code), taxes.map(\.1.amount.cents)])
    }

    /// The batch's per-day and per-week totals, added to `batch` (sent as one statement).
    /// Sent after the change counter is locked: every writer takes it first, so no two
    /// writers ever wait on each other's aggregate rows.
    static func add(_ batch: inout StatementBatch, aggregatesOf documents: [LedgerDocument]) {
        guard !documents.isEmpty else { return }
        let delta = AggregateDelta(documents: documents)
        upsertStores(&batch, "agg_store_day", period: "day", delta.storeDays)
        upsertStores(&batch, "agg_store_week", period: "week", delta.storeWeeks)
        upsertProducts(&batch, "agg_product_day", period: "day", delta.productDays)
        upsertProducts(&batch, "agg_product_week", period: "week", delta.productWeeks)
        upsertTaxes(&batch, "agg_tax_day", period: "day", delta.taxDays)
        upsertTaxes(&batch, "agg_tax_week", period: "week", delta.taxWeeks)
        let cd = delta.chainDays
        batch.add("""
            INSERT INTO agg_chain_day(day, kind, documents, items, subtotal_cents, tax_cents)
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[])
            ON CONFLICT (day, kind) DO UPDATE SET documents = agg_chain_day.documents + excluded.documents,
                items = agg_chain_day.items + excluded.items, subtotal_cents = agg_chain_day.subtotal_cents + excluded.subtotal_cents,
                tax_cents = agg_chain_day.tax_cents + excluded.tax_cents
            """, arguments: [cd.map { Int64($0.0.day) }, cd.map(\.0.kind), cd.map { Int64($0.1.documents) }, cd.map { Int64($0.1.items) },
                             cd.map(\.1.subtotal), cd.map(\.1.tax)])
        let x = delta.discountDays
        if !x.isEmpty {
            batch.add("""
                INSERT INTO agg_discount_day(store_id, day, document_kind, kind, reason, promotion_id, cashier_id, approved_by, count, amount_cents, label)
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[],
                                     $9::bigint[], $10::bigint[], $11::text[])
                ON CONFLICT (day, store_id, document_kind, kind, reason, promotion_id, cashier_id, approved_by) DO UPDATE SET
                    count = agg_discount_day.count + excluded.count, amount_cents = agg_discount_day.amount_cents + excluded.amount_cents,
                    label = GREATEST(agg_discount_day.label, excluded.label)
                """, arguments: [x.map(\.0.storeId), x.map { Int64($0.0.day) }, x.map(\.0.documentKind), x.map(\.0.kind), x.map(\.0.reason),
                                 x.map(\.0.promotionId), x.map(\.0.cashierId), x.map(\.0.approvedBy), x.map { Int64($0.1.count) },
                                 x.map(\.1.amount), x.map(\.1.label)])
        }
    }

    public func periodTotals(from: Day, to: Day) async throws -> PeriodTotals {
        try await snapshot { sql in
            let bounds = AggregateSQL.bounds(AggregateRange(from: from, to: to)).map { $0 as any SQLArgument }
            let placeholders = ["$1", "$2", "$3", "$4", "$5", "$6"]
            func totals(_ row: SQLRow, store: Int64, day: Day) throws -> DocumentTotals {
                DocumentTotals(storeId: store, day: day, kind: DocumentKind(rawValue: try row.get("kind")) ?? .sale, count: try row.get("documents"),
                               items: try row.get("items"), subtotal: Money(cents: try row.get("subtotal_cents")),
                               tax: Money(cents: try row.get("tax_cents")))
            }
            let stores = try await sql.rows(AggregateSQL.storesOfPeriod(placeholders: placeholders), arguments: bounds).map {
                try totals($0, store: try $0.get("store_id"), day: from)
            }
            let days = try await sql.rows("SELECT * FROM agg_chain_day WHERE day BETWEEN $1 AND $2", Int64(from.number), Int64(to.number)).map {
                try totals($0, store: 0, day: Day(number: try $0.get("day")))
            }
            let products = try await sql.rows(AggregateSQL.productsOfPeriod(placeholders: placeholders), arguments: bounds).map { row in
                ProductTotals(productId: try row.get("product_id"), sku: try row.get("sku"), name: try row.get("name"),
                              kind: DocumentKind(rawValue: try row.get("kind")) ?? .sale, quantity: try row.get("quantity"),
                              amount: Money(cents: try row.get("amount_cents")))
            }
            return PeriodTotals(stores: stores, days: days, products: products)
        }
    }

    /// A store's totals per `period` (day or week; the key's `day` holds it).
    private static func upsertStores(_ batch: inout StatementBatch, _ table: String, period: String,
                                     _ s: [(AggregateDelta.StoreDay, AggregateDelta.StoreDayTotals)]) {
        guard !s.isEmpty else { return }
        batch.add("""
            INSERT INTO \(table)(store_id, \(period), kind, documents, items, subtotal_cents, tax_cents)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
            ON CONFLICT (\(period), store_id, kind) DO UPDATE SET documents = \(table).documents + excluded.documents,
                items = \(table).items + excluded.items, subtotal_cents = \(table).subtotal_cents + excluded.subtotal_cents,
                tax_cents = \(table).tax_cents + excluded.tax_cents
            """, arguments: [s.map(\.0.storeId), s.map { Int64($0.0.day) }, s.map(\.0.kind), s.map { Int64($0.1.documents) },
                             s.map { Int64($0.1.items) }, s.map(\.1.subtotal), s.map(\.1.tax)])
    }

    /// The chain's products per `period` (day or week; the key's `day` holds it).
    private static func upsertProducts(_ batch: inout StatementBatch, _ table: String, period: String,
                                       _ p: [(AggregateDelta.ProductDay, AggregateDelta.ProductDayTotals)]) {
        guard !p.isEmpty else { return }
        batch.add("""
            INSERT INTO \(table)(\(period), product_id, kind, quantity, amount_cents, sku, name)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[])
            ON CONFLICT (\(period), product_id, kind) DO UPDATE SET quantity = \(table).quantity + excluded.quantity,
                amount_cents = \(table).amount_cents + excluded.amount_cents,
                sku = GREATEST(\(table).sku, excluded.sku), name = GREATEST(\(table).name, excluded.name)
            """, arguments: [p.map { Int64($0.0.day) }, p.map(\.0.productId), p.map(\.0.kind), p.map { Int64($0.1.quantity) }, p.map(\.1.amount),
                             p.map(\.1.sku), p.map(\.1.name)])
    }

    /// A store's taxes by code per `period` (day or week; the key's `day` holds it).
    private static func upsertTaxes(_ batch: inout StatementBatch, _ table: String, period: String, _ t: [(AggregateDelta.TaxDay, Int64)]) {
        guard !t.isEmpty else { return }
        batch.add("""
            INSERT INTO \(table)(store_id, \(period), kind, code, amount_cents)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[])
            ON CONFLICT (\(period), store_id, kind, code) DO UPDATE SET amount_cents = \(table).amount_cents + excluded.amount_cents
            """, arguments: [t.map(\.0.storeId), t.map { Int64($0.0.day) }, t.map(\.0.kind), t.map(\.0.code), t.map(\.1)])
    }

    public func rebuildAggregates() async throws {
        try await write { sql in
            // One rebuild at a time, and no ingest between the delete and the insert: the tables are locked for the transaction.
            try await sql.execute("LOCK TABLE \(AggregateSQL.tables.joined(separator: ", ")) IN EXCLUSIVE MODE")
            for statement in AggregateSQL.rebuild { try await sql.execute(statement) }
        }
    }

    public func aggregateDump() async throws -> [String: [String]] {
        try await snapshot { sql in
            var dump: [String: [String]] = [:]
            for table in AggregateSQL.tables {
                // Every column as text, in column-name order, as SQLite's dump writes them.
                let columns = try await sql.rows("""
                    SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name COLLATE "C"
                    """, table).map { try $0.get("column_name", as: String.self) }
                let labels = columns.map { "\($0)=" }
                dump[table] = try await sql.rows("SELECT \(columns.map { "\($0)::text AS \($0)" }.joined(separator: ", ")) FROM \(table)").map { row in
                    try zip(labels, columns).map { label, column in label + (try row.get(column, as: String?.self) ?? "NULL") }.joined(separator: " ")
                }.sorted()
            }
            return dump
        }
    }

    public func taxRows(from: Day, to: Day) async throws -> [TaxTotals] {
        try await snapshot { sql in
            // Per store and code over the period: the report files them so, not per day.
            try await sql.rows(AggregateSQL.taxesOfPeriod(placeholders: ["$1", "$2", "$3", "$4", "$5", "$6"]),
                               arguments: AggregateSQL.bounds(AggregateRange(from: from, to: to)).map { $0 as any SQLArgument }).map { row in
                TaxTotals(storeId: try row.get("store_id"), day: from,
                          kind: DocumentKind(rawValue: try row.get("kind")) ?? .sale, code: try row.get("code"),
                          amount: Money(cents: try row.get("amount_cents")))
            }
        }
    }
}
