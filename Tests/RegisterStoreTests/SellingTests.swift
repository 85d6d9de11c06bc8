import CaisseAPI
import CaisseCore
import Foundation
import GRDB
import Testing
@testable import RegisterStore

@Suite("Selling and the journal")
struct SellingTests {
    @Test func aSaleIsRecordedWholeAndJournaled() throws {
        let r = try TestRegister()
        let sale = try r.sell([("TIM-0001", 2), ("CAF-0001", 1)])
        #expect(sale.receiptNumber == "CV-1-000001")
        #expect(try r.store.sale(receiptNumber: "CV-1-000001") == sale)
        #expect(try r.store.onHand(productId: 1) == 21)
        let journal = try r.store.journal()
        #expect(journal.count == 1)
        #expect(journal[0].type == .sale)
        #expect(try journal[0].document() == .sale(sale))
        #expect(try r.int("SELECT count(*) FROM sale_line WHERE sale_id = ?", [sale.id]) == 2)
        #expect(try r.int("SELECT count(*) FROM tender WHERE document_id = ?", [sale.id]) == 1)
        #expect(try r.int("SELECT count(*) FROM document_tax WHERE document_id = ?", [sale.id]) == 2)
        #expect(try r.int("SELECT sum(quantity) FROM stock_movement WHERE reference = ?", [sale.id]) == -3)
    }

    @Test func aFailureMidTransactionLeavesNothing() throws {
        let r = try TestRegister()
        try r.sell([("TIM-0001", 1)])
        // The journal write fails after the sale rows were inserted (as a full disk would).
        try r.store.writer.write { db in
            try db.execute(sql: "CREATE TEMP TRIGGER fail_journal BEFORE INSERT ON stock_movement BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        }
        #expect(throws: (any Error).self) { try r.sell([("CAF-0001", 2)]) }
        try r.store.writer.write { db in try db.execute(sql: "DROP TRIGGER temp.fail_journal") }
        #expect(try r.store.saleCount() == 1)
        #expect(try r.store.journal().count == 1)
        #expect(try r.store.onHand(productId: 2) == 2)
        #expect(try r.int("SELECT count(*) FROM sale_line") == 1)
        #expect(try r.int("SELECT count(*) FROM tender") == 1)
        #expect(try r.int("SELECT count(*) FROM document_tax") == 2)
        // The next sale takes the next number: no gap in receipts or journal.
        let next = try r.sell([("CAF-0001", 1)])
        #expect(next.receiptNumber == "CV-1-000002")
        #expect(try r.store.journal().map(\.sequence) == [1, 2])
    }

    @Test func anUnpaidSaleIsRefusedAndWritesNothing() throws {
        let r = try TestRegister()
        var cart = Cart()
        try cart.add(try r.product("TIM-0001"))
        var payment = Payment(total: cart.totals(.quebec).total)
        try payment.payCash(given: Money(cents: 100))
        #expect(throws: DomainError.self) { try r.store.recordSale(cart: cart, payment: payment, cashierId: r.cashier.id) }
        #expect(throws: StoreError.self) {
            var paid = Payment(total: cart.totals(.quebec).total)
            try paid.payExactCash()
            return try r.store.recordSale(cart: cart, payment: paid, cashierId: 9_999)
        }
        #expect(try r.store.saleCount() == 0)
        #expect(try r.store.journal().isEmpty)
    }

    @Test func sequencesAreGapFreeAcrossEventTypesAndTheChainVerifies() throws {
        let r = try TestRegister()
        let sale = try r.sell([("TIM-0001", 3)])
        _ = try r.store.requestRestock(productId: 4, quantity: 20, requestedBy: r.employee.id)
        _ = try r.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                     refundKind: .cash, cashierId: r.cashier.id)
        try r.sell([("CAF-0001", 1)])
        let journal = try r.store.journal()
        #expect(journal.map(\.sequence) == [1, 2, 3, 4])
        #expect(journal.map(\.type) == [.sale, .restockRequest, .return, .sale])
        try r.store.verifyJournal()
    }

    /// Issue 28: after a request, the same lines stayed under "to order" with the same quantities.
    @Test func whatIsOnOrderLeavesTheRestockSuggestions() throws {
        let r = try TestRegister()
        let candidates = try r.store.restockCandidates()
        let first = try #require(candidates.first)
        _ = try r.store.requestRestock(productId: first.position.productId, quantity: first.suggested, requestedBy: r.employee.id)
        let after = try r.store.restockCandidates()
        #expect(!after.contains { $0.position.productId == first.position.productId }, "ordered in full: no longer to order")
        #expect(after.count == candidates.count - 1)
        if let second = after.first {
            _ = try r.store.requestRestock(productId: second.position.productId, quantity: 1, requestedBy: r.employee.id)
            let partly = try r.store.restockCandidates().first { $0.position.productId == second.position.productId }
            #expect(partly?.suggested == second.suggested - 1 || second.suggested == 1)
        }
    }

    @Test func anEditedJournalRowBreaksTheChain() throws {
        let r = try TestRegister()
        for _ in 0..<3 { try r.sell([("TIM-0001", 1)]) }
        try r.store.writer.write { db in
            try db.execute(sql: "UPDATE outbox SET payload = replace(payload, '\"quantity\":1', '\"quantity\":0') WHERE sequence = 2")
        }
        #expect(throws: StoreError.self) { try r.store.verifyJournal() }
    }

    @Test func aDeletedJournalRowBreaksTheChain() throws {
        let r = try TestRegister()
        for _ in 0..<3 { try r.sell([("TIM-0001", 1)]) }
        // Foreign keys already refuse it; a tamperer would turn them off first.
        #expect(throws: (any Error).self) {
            try r.store.writer.write { db in try db.execute(sql: "DELETE FROM outbox WHERE sequence = 2") }
        }
        try r.store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DELETE FROM outbox WHERE sequence = 2")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        #expect(throws: StoreError.self) { try r.store.verifyJournal() }
    }

    @Test func pendingEventsAndDelivery() throws {
        let r = try TestRegister()
        for _ in 0..<5 { try r.sell([("TIM-0001", 1)]) }
        #expect(try r.store.pendingEvents(limit: 3).map(\.sequence) == [1, 2, 3])
        try r.store.markDelivered(upTo: 3)
        #expect(try r.store.pendingCount() == 2)
        #expect(try r.store.pendingEvents().map(\.sequence) == [4, 5])
        #expect(try r.store.journal().count == 5)
    }

    @Test func onHandIsTheSnapshotPlusMovementsAboveTheAppliedMark() throws {
        let r = try TestRegister()
        try r.sell([("TIM-0001", 2)])                  // event 1
        try r.sell([("TIM-0001", 5)])                  // event 2
        #expect(try r.store.onHand(productId: 1) == 23 - 7)
        // Central applied event 1 and reports 21 in its snapshot: only event 2 is added on top.
        try r.store.writer.write { db in
            try r.store.replaceSnapshot(db, stock: [1: [1: 21]])
            try r.store.set(db, RegisterStore.Settings.appliedMark, 1)
        }
        #expect(try r.store.onHand(productId: 1) == 16)
        #expect(try r.store.stock(matching: "TIM-0001").first { $0.productId == 1 }?.onHand == 16)
    }

    @Test func stockFilters() throws {
        let r = try TestRegister()
        let all = try r.store.stock()
        #expect(all.count == r.chain.products.count)
        let low = try r.store.stock(filter: .low)
        #expect(!low.isEmpty)
        #expect(low.allSatisfy { $0.onHand <= $0.reorderPoint })
        #expect(try r.store.stock(filter: .out).allSatisfy { $0.onHand <= 0 })
        #expect(try r.store.stock(filter: .over).allSatisfy { $0.onHand > $0.overstockThreshold })
        // Selling the last two Cafés filtre moyen (store 1 has 2) makes a stock-out.
        try r.sell([("CAF-0001", 2)])
        #expect(try r.store.stock(filter: .out).contains { $0.sku == "CAF-0001" })
        // Offline sales may drive stock negative: accepted, shown as out.
        try r.sell([("CAF-0001", 1)])
        #expect(try r.store.onHand(productId: 2) == -1)
    }
}

@Suite("Returns at the register")
struct RegisterReturnTests {
    @Test func returnsAreLimitedToWhatWasSoldAndRefundExactly() throws {
        let r = try TestRegister()
        let sale = try r.sell([("TIM-0001", 2), ("EPI-0001", 1)])
        let first = try r.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                             refundKind: .card, cardReference: "REF-1", cashierId: r.cashier.id)
        #expect(first.tenders == [Tender(kind: .card, amount: first.total, reference: "REF-1")])
        #expect(try r.store.onHand(productId: 1) == 23 - 2 + 1)
        #expect(throws: DomainError.self) {
            try r.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 2)],
                                     refundKind: .cash, cashierId: r.cashier.id)
        }
        let second = try r.store.recordReturn(receiptNumber: sale.receiptNumber,
                                              lines: [ReturnRequestLine(lineNo: 1, quantity: 1), ReturnRequestLine(lineNo: 2, quantity: 1)],
                                              refundKind: .card, cardReference: "REF-2", cashierId: r.cashier.id)
        #expect(first.total + second.total == sale.total)
        #expect(try r.store.returnedQuantities(saleId: sale.id) == [1: 2, 2: 1])
        #expect(throws: DomainError.self) {
            try r.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: 2, quantity: 1)],
                                     refundKind: .cash, cashierId: r.cashier.id)
        }
        #expect(try r.store.journal().map(\.type) == [.sale, .return, .return])
    }

    @Test func cashRefundsOfASaleNeverAddUpToMoreThanWasPaid() throws {
        let r = try TestRegister()
        // 3 × 3.49 $ zero-rated = 10.47 $, paid 10.45 $ in cash.
        let sale = try r.sell([("EPI-0001", 3)])
        #expect(sale.amountPaid == Money(cents: sale.total.roundedToNickel.cents))
        var refunded = Money.zero
        for _ in 0..<3 {
            let ret = try r.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                               refundKind: .cash, cashierId: r.cashier.id)
            refunded += ret.amountRefunded
            #expect(ret.tenders[0].amount == ret.amountRefunded)
        }
        #expect(refunded == sale.amountPaid)
    }

    @Test func restockRequestsNeedAnEmployee() throws {
        let r = try TestRegister()
        #expect(throws: StoreError.self) { try r.store.requestRestock(productId: 1, quantity: 10, requestedBy: r.cashier.id) }
        #expect(throws: DomainError.self) { try r.store.requestRestock(productId: 1, quantity: 0, requestedBy: r.employee.id) }
        #expect(throws: StoreError.self) { try r.store.requestRestock(productId: 99_999, quantity: 5, requestedBy: r.employee.id) }
        let request = try r.store.requestRestock(productId: 1, quantity: 50, note: "fin de semaine", requestedBy: r.employee.id)
        #expect(try r.store.restockRequests() == [request])
        #expect(try r.store.journal().map(\.type) == [.restockRequest])
        let payload = try #require(try r.store.journal()[0].document().restockRequest)
        #expect(payload.quantity == 50)
        #expect(payload.storeId == 1)
    }

    @Test func cashRefundsRoundToTheNickel() throws {
        let r = try TestRegister()
        let sale = try r.sell([("CAF-0001", 1)])   // 2.19 $ + taxes = 2.52 $
        let ret = try r.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                           refundKind: .cash, cashierId: r.cashier.id)
        #expect(ret.total == Money(cents: 252))
        #expect(ret.tenders[0].amount == Money(cents: 250))
        #expect(ret.rounding == Money(cents: -2))
    }

    @Test func unknownReceiptsAndMissingCardReferencesAreRefused() throws {
        let r = try TestRegister()
        let sale = try r.sell([("CAF-0001", 1)])
        #expect(throws: StoreError.self) {
            try r.store.recordReturn(receiptNumber: "CV-1-999999", lines: [ReturnRequestLine(lineNo: 1, quantity: 1)], refundKind: .cash, cashierId: r.cashier.id)
        }
        #expect(throws: StoreError.self) {
            try r.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)], refundKind: .card, cashierId: r.cashier.id)
        }
        #expect(try r.store.journal().count == 1)
    }
}
