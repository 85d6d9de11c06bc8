import CaisseAPI
import CaisseCore
import Foundation
import GRDB
import Testing
@testable import RegisterStore

@Suite("Cash sessions at the till")
struct CashSessionStoreTests {
    let hundred = Money(cents: 10_000)

    @Test func openingTwiceIsRefused() throws {
        let r = try TestRegister()
        let session = try r.store.openCashSession(float: hundred, by: r.cashier.id, at: 1_000)
        #expect(session.float == hundred)
        #expect(session.registerId == "CV-1")
        #expect(session.storeId == 1)
        #expect(session.isOpen)
        #expect(try r.store.currentCashSession() == session)
        #expect(throws: DomainError.self) { try r.store.openCashSession(float: hundred, by: r.employee.id) }
        #expect(try r.int("SELECT count(*) FROM cash_session") == 1)
        // The database refuses a second open session even if code forgot to check.
        #expect(throws: DatabaseError.self) {
            try r.store.writer.write { db in
                try db.execute(sql: "INSERT INTO cash_session(id, opened_at, opened_by, float_cents, opening_sequence) VALUES ('x', 0, 1, 0, 0)")
            }
        }
    }

    @Test func closingWithoutAnOpenSessionIsRefused() throws {
        let r = try TestRegister()
        #expect(throws: DomainError.self) { try r.store.closeCashSession(counted: hundred, by: r.cashier.id) }
        #expect(try r.store.currentCashSession() == nil)
        #expect(try r.store.cashReport() == nil)
        #expect(try r.store.journal().isEmpty)
    }

    @Test func negativeAmountsAndUnknownUsersWriteNothing() throws {
        let r = try TestRegister()
        #expect(throws: DomainError.self) { try r.store.openCashSession(float: Money(cents: -1), by: r.cashier.id) }
        #expect(throws: StoreError.self) { try r.store.openCashSession(float: hundred, by: 9_999) }
        #expect(try r.int("SELECT count(*) FROM cash_session") == 0)
        try r.store.openCashSession(float: .zero, by: r.cashier.id)
        try r.sell([("TIM-0001", 1)])
        #expect(throws: DomainError.self) { try r.store.closeCashSession(counted: Money(cents: -5), by: r.cashier.id) }
        #expect(throws: StoreError.self) { try r.store.closeCashSession(counted: .zero, by: 9_999) }
        #expect(try r.store.currentCashSession() != nil)
        #expect(try r.store.journal().map(\.type) == [.sale])
    }

    @Test func onlyDocumentsAfterTheOpeningCount() throws {
        let r = try TestRegister()
        let before = try r.sell([("TIM-0001", 2)])
        try r.store.openCashSession(float: hundred, by: r.cashier.id)
        #expect(try r.store.cashReport()?.saleCount == 0)
        #expect(try r.store.cashReport()?.expectedCash == hundred)

        let cash = try r.sell([("CAF-0001", 1)])
        var cart = Cart()
        try cart.add(try r.product("TIM-0001"), quantity: 3)
        var payment = Payment(total: cart.totals(try r.store.identity().taxRule).total)
        try payment.payCard(reference: "AUTH-42")
        let card = try r.store.recordSale(cart: cart, payment: payment, cashierId: r.cashier.id)
        // A return of a sale made before the opening still comes out of this drawer.
        let ret = try r.store.recordReturn(receiptNumber: before.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                           refundKind: .cash, cashierId: r.cashier.id)

        let report = try #require(try r.store.cashReport())
        #expect(report.saleCount == 2)
        #expect(report.returnCount == 1)
        #expect(report.itemsSold == 4)
        #expect(report.sales == cash.amountPaid + card.amountPaid)
        #expect(report.refunds == ret.amountRefunded)
        #expect(report.expectedCash == hundred + cash.amountPaid - ret.amountRefunded)
        #expect(report.tenders.first { $0.kind == .card }?.collected == card.total)
        let session = try #require(try r.store.currentCashSession())
        #expect(report == CashReport(session: session, sales: [cash, card], returns: [ret]))
    }

    @Test func closingJournalsOneEventAndANewSessionStartsEmpty() throws {
        let r = try TestRegister()
        try r.sell([("TIM-0001", 1)])
        let opened = try r.store.openCashSession(float: hundred, by: r.cashier.id, at: 1_000)
        let sale = try r.sell([("CAF-0001", 2)])
        let xReport = try #require(try r.store.cashReport())
        let counted = xReport.expectedCash - Money(cents: 5)

        let (closed, report) = try r.store.closeCashSession(counted: counted, by: r.employee.id, at: 9_000)
        #expect(report == xReport)
        #expect(closed.id == opened.id)
        #expect(closed.closedAt == 9_000)
        #expect(closed.closedBy == r.employee.id)
        #expect(closed.counted == counted)
        #expect(report.expectedCash == hundred + sale.amountPaid)

        let closes = try r.store.journal().filter { $0.type == .cashSessionClose }
        #expect(closes.count == 1)
        let event = try #require(closes.first)
        #expect(event.id == opened.id)
        #expect(event.createdAt == 9_000)
        let payload = try #require(try event.document().cashSessionClose)
        #expect(payload.session == closed)
        #expect(payload.report == report)
        #expect(payload.counted == counted)
        #expect(payload.difference == Money(cents: -5))
        #expect(payload.isConsistent)
        try r.store.verifyJournal()
        #expect(try r.int("SELECT close_sequence FROM cash_session WHERE id = ?", [opened.id]) == Int(event.sequence))

        #expect(try r.store.currentCashSession() == nil)
        #expect(try r.store.cashReport() == nil)
        #expect(throws: DomainError.self) { try r.store.closeCashSession(counted: counted, by: r.cashier.id) }

        let next = try r.store.openCashSession(float: Money(cents: 20_000), by: r.cashier.id)
        #expect(next.id != opened.id)
        #expect(try r.store.cashReport()?.saleCount == 0)
        #expect(try r.store.cashReport()?.expectedCash == Money(cents: 20_000))
        try r.sell([("TIM-0001", 1)])
        #expect(try r.store.cashReport()?.saleCount == 1)
        try r.store.verifyJournal()
    }

    @Test func anOpenSessionSurvivesARestart() throws {
        let r = try TestRegister()
        let opened = try r.store.openCashSession(float: hundred, by: r.cashier.id, at: 1_000)
        try r.sell([("TIM-0001", 1)])
        let reopened = try RegisterStore(path: r.path)
        #expect(try reopened.currentCashSession() == opened)
        #expect(try reopened.cashReport()?.saleCount == 1)
    }
}
