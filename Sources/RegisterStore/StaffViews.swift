import CaisseAPI
import CaisseCore
import Foundation
import GRDB

/// A product at or under its reorder point, with what to ask the warehouse for.
public struct RestockCandidate: Hashable, Sendable {
    public var position: StockPosition
    /// Up to the overstock threshold (never less than 1).
    public var suggested: Int

    public init(position: StockPosition) {
        self.position = position
        suggested = max(1, position.overstockThreshold - max(0, position.onHand))
    }
}

extension RegisterStore {
    /// The fresh products still on this store's shelves (as this till counts them), by name:
    /// what the close declares as waste.
    public func unsoldFresh() throws -> [WasteLine] {
        let fresh = try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM product WHERE fresh = 1 AND active = 1").map(Self.product)
        }
        let byId = Dictionary(fresh.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try stock().compactMap { p in
            guard let product = byId[p.productId], p.onHand > 0 else { return nil }
            // Nothing thrown until the employee says so (issue 28: every line started at its whole on-hand,
            // 160 lines to zero by hand to throw out a few muffins).
            return WasteLine(productId: p.productId, sku: p.sku, name: p.name, unitPrice: product.price, onHand: p.onHand, units: 0)
        }
    }

    /// Low and out-of-stock products of this store, the emptiest first, less what is already on
    /// order (requested, approved or shipped): issue 28, the same lines could be ordered twice.
    public func restockCandidates() throws -> [RestockCandidate] {
        let onOrder = try writer.read { db in
            Dictionary(try Row.fetchAll(db, sql: """
                SELECT product_id, sum(quantity) AS units FROM restock_request
                WHERE state IN ('requested', 'approved', 'shipped') GROUP BY product_id
                """).map { (row: Row) -> (Int64, Int) in (row["product_id"], row["units"]) }, uniquingKeysWith: +)
        }
        return try stock(filter: .low).sorted { ($0.onHand, $0.sku) < ($1.onHand, $1.sku) }.compactMap { position in
            var candidate = RestockCandidate(position: position)
            let ordered = onOrder[position.productId, default: 0]
            guard ordered > 0 else { return candidate }
            let wanted = candidate.suggested - ordered
            guard wanted >= 1 else { return nil }
            candidate.suggested = wanted
            return candidate
        }
    }

    /// Takes delivery of a shipped request: the stock rises at once and a
    /// `restock_receipt` event tells central, in the same transaction.
    @discardableResult
    public func receiveRestock(requestId: String, by userId: Int64, at time: Int64? = nil) throws -> RestockRequest {
        try writer.write { db in
            let me = try identity(db)
            try requireActiveUser(db, id: userId, atLeast: .employee)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM restock_request WHERE id = ?", arguments: [requestId]) else {
                throw StoreError("no restock request \(requestId) at this store")
            }
            let state = RestockState(rawValue: row["state"]) ?? .requested
            let next = try RestockAction.receive.apply(to: state)
            let productId: Int64 = row["product_id"]
            let quantity: Int = row["quantity"]
            let createdAt = time ?? Self.now()
            let payload = RestockReceiptPayload(requestId: requestId, storeId: me.store.id, productId: productId,
                                                quantity: quantity, receivedBy: userId)
            let event = try appendEvent(db, registerId: me.registerId, id: UUID().uuidString.lowercased(), createdAt: createdAt, .restockReceipt(payload))
            try db.execute(sql: "UPDATE restock_request SET state = ?, updated_at = ? WHERE id = ?",
                           arguments: [next.rawValue, createdAt, requestId])
            try insert(db, movements: [StockMovement(locationId: me.store.id, productId: productId, quantity: quantity,
                                                      reason: .restockReceipt, reference: requestId)],
                       sequence: event.sequence, at: createdAt)
            return RestockRequest(id: requestId, storeId: me.store.id, productId: productId, quantity: quantity, state: next,
                                  note: row["note"], createdAt: row["created_at"], updatedAt: createdAt)
        }
    }

    /// This register's own sales and returns in [from, to] (store-local days),
    /// as report rows: the manager's report when central cannot be reached.
    public func localReportRows(from: Day, to: Day) throws -> (documents: [DocumentTotals], products: [ProductTotals]) {
        try writer.read { db in
            let me = try identity(db)
            let zone = TimeZone(identifier: me.store.timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current
            func day(_ millis: Int64) -> Day {
                Day(epochMillis: millis, utcOffsetSeconds: zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000)))
            }
            var documents: [DocumentTotals] = []
            var products: [ProductTotals] = []
            for (kind, table, lines, key) in [(DocumentKind.sale, "sale", "sale_line", "sale_id"), (.return, "sale_return", "return_line", "return_id")] {
                var inRange: Set<String> = []
                for row in try Row.fetchAll(db, sql: """
                    SELECT d.id, d.created_at, d.subtotal_cents, d.tax_cents, coalesce(sum(l.quantity), 0) AS items
                    FROM \(table) d JOIN \(lines) l ON l.\(key) = d.id GROUP BY d.id
                    """) {
                    let d = day(row["created_at"])
                    guard d >= from, d <= to else { continue }
                    inRange.insert(row["id"])
                    documents.append(DocumentTotals(storeId: me.store.id, day: d, kind: kind, count: 1, items: row["items"],
                                                    subtotal: Money(cents: row["subtotal_cents"]), tax: Money(cents: row["tax_cents"])))
                }
                // What each line came to after its promotions and discounts, as journaled (issue 28: the
                // offline top sellers counted the list price, 7,38 $ for a 15 %-off latte that central showed at 6,52 $).
                for row in try Row.fetchAll(db, sql: "SELECT d.id, o.payload FROM \(table) d JOIN outbox o ON o.sequence = d.event_sequence")
                where inRange.contains(row["id"]) {
                    let payload: String = row["payload"]
                    let documentLines = kind == .sale ? try JournalDocument.sale(payload: payload).lines
                        : try JournalDocument.saleReturn(payload: payload).lines
                    for l in documentLines {
                        products.append(ProductTotals(productId: l.productId, sku: l.sku, name: l.name, kind: kind, quantity: l.quantity, amount: l.total))
                    }
                }
            }
            return (documents, products)
        }
    }
}
