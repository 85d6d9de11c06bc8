import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import Testing
@testable import CentralStore

/// Issue 18, on SQLite and PostgreSQL: the per-day aggregates that ingest keeps equal
/// their rebuild from the ledger, after a random day of sales (some discounted),
/// returns, batches sent twice and answers lost after commit; and the report read from
/// them says what the tills sold.
@Suite("Per-day aggregates", .postgresDatabases)
struct AggregateContractTests {
    /// A small deterministic generator: the same "random" day on every run.
    struct Dice {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func whatIngestKeepsEqualsTheRebuild(kind: StoreKind) async throws {
        let store = try await kind.seeded()
        let tills = [try Till(registerId: "CV-1", storeId: 1), try Till(registerId: "NORD-1", storeId: 2)]
        for (i, till) in tills.enumerated() { try await store.enrol(till, storeId: Int64(i + 1)) }
        var dice = Dice(state: 18)
        var sold: [[Sale]] = [[], []]
        var pushed = [0, 0]
        var grossAtTills = Money.zero, refundedAtTills = Money.zero, returnsAtTills = 0
        for _ in 0..<120 {
            let t = dice.next(2)
            let till = tills[t]
            switch dice.next(10) {
            case 0 where !sold[t].isEmpty:
                // A return of one unit of a line of an earlier sale of this till.
                let sale = sold[t][dice.next(sold[t].count)]
                let line = sale.lines[dice.next(sale.lines.count)]
                if let ret = try? till.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: line.lineNo, quantity: 1)],
                                                          refundKind: .card, cardReference: "4242", cashierId: till.cashier.id) {
                    refundedAtTills += ret.subtotal
                    returnsAtTills += 1
                }
            default:
                var cart = Cart()
                for _ in 0...dice.next(3) {
                    try cart.add(try till.product(Int64(1 + dice.next(12))), quantity: 1 + dice.next(3))
                }
                if dice.next(4) == 0 { try cart.setSaleDiscount(ManualDiscount(rule: .percent(micros: 50_000), reason: "loyalty")) }
                let sale = try till.sell(cart)
                sold[t].append(sale)
                grossAtTills += sale.subtotal
            }
            // Now and then a push of what is pending, sometimes sent twice (an answer lost after commit).
            if dice.next(5) == 0 {
                let events = try till.events()
                let batch = Array(events[max(0, pushed[t] - dice.next(3))...])
                _ = try await store.ingest(registerId: till.registerId, events: batch)
                if dice.next(3) == 0 { _ = try await store.ingest(registerId: till.registerId, events: batch) }
                pushed[t] = events.count
            }
        }
        for till in tills {
            _ = try await store.ingest(registerId: till.registerId, events: try till.events())
            _ = try await store.ingest(registerId: till.registerId, events: try till.events())   // all of it again: nothing counts twice
        }
        let kept = try await store.aggregateDump()
        #expect(kept["agg_store_day"]?.isEmpty == false && kept["agg_tax_day"]?.isEmpty == false && kept["agg_discount_day"]?.isEmpty == false)
        try await store.rebuildAggregates()
        let rebuilt = try await store.aggregateDump()
        for table in AggregateSQL.tables { #expect(kept[table] == rebuilt[table], "\(table)") }

        let today = Day(epochMillis: Int64(Date().timeIntervalSince1970 * 1000), utcOffsetSeconds: -5 * 3_600)
        let rows = try await store.reportRows(from: today.adding(days: -2), to: today.adding(days: 2))
        let report = SalesReport(documents: rows.documents, products: rows.products,
                                 taxes: try await store.taxRows(from: today.adding(days: -2), to: today.adding(days: 2)))
        #expect(report.total.gross == grossAtTills && report.total.returns == refundedAtTills && report.total.returnCount == returnsAtTills)
        #expect(report.total.count == sold[0].count + sold[1].count)
        #expect(returnsAtTills > 0 && report.total.returnCount > 0, "the random day has returns")
        // The period as the report reads it (whole weeks and the days around them) says the same, however it is cut.
        for (from, to) in [(today.adding(days: -20), today.adding(days: 20)), (today, today), (today.adding(days: -2), today.adding(days: 2))] {
            let period = try await store.periodTotals(from: from, to: to)
            let read = SalesReport(storeRows: period.stores, dayRows: period.days, products: period.products)
            #expect(read.total == report.total && read.stores == report.stores && read.days == report.days, "\(from)…\(to)")
            #expect(read.topProducts == report.topProducts)
        }
        let chainTaxes = report.taxes.filter { $0.storeId == nil }
        #expect(Set(chainTaxes.map(\.code)) == ["GST", "QST"])
        #expect(chainTaxes.reduce(Money.zero) { $0 + $1.net } == report.total.taxes, "the codes add up to the taxes")
    }
}
