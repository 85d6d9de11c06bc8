import CaisseAPI
import CaisseCore
import Foundation
import Testing
@testable import RegisterStore

/// Issue 14: a cashier could refund a card sale in cash, and no manager was asked.
@Suite("Refund approval at the till")
struct RefundApprovalTests {
    func cardSale(_ r: TestRegister) throws -> Sale {
        var cart = Cart()
        try cart.add(try r.product("TIM-0001"), quantity: 2)
        var payment = Payment(total: cart.totals(try r.store.identity().taxRule).total)
        try payment.payCard(reference: "AUTH-9")
        return try r.store.recordSale(cart: cart, payment: payment, cashierId: r.cashier.id)
    }

    @Test func cashBackForACardSaleNeedsAManagerOfTheStore() throws {
        let r = try TestRegister()
        let sale = try cardSale(r)
        let manager = try #require(try r.store.users().first { $0.storeId == 1 && $0.role == .manager })
        #expect(throws: DomainError.self) {
            try r.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [.init(lineNo: 1, quantity: 1)], refundKind: .cash, cashierId: r.cashier.id)
        }
        #expect(throws: (any Error).self) {
            try r.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [.init(lineNo: 1, quantity: 1)], refundKind: .cash,
                                     cashierId: r.cashier.id, approvedBy: r.employee.id)
        }
        #expect(try r.store.journal().count == 1, "nothing was refunded")
        let approved = try r.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [.init(lineNo: 1, quantity: 1)], refundKind: .cash,
                                                cashierId: r.cashier.id, approvedBy: manager.id)
        #expect(approved.approvedBy == manager.id)
        #expect(try r.store.journal().last?.document().saleReturn?.approvedBy == manager.id, "the approver is journaled")
        // Back to the card it was paid with: no one else is asked.
        let toCard = try r.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [.init(lineNo: 1, quantity: 1)], refundKind: .card,
                                              cardReference: "AUTH-9", cashierId: r.cashier.id)
        #expect(toCard.approvedBy == nil)
    }

    @Test func aManagerApprovesTheirOwnRefund() throws {
        let r = try TestRegister()
        let sale = try cardSale(r)
        let manager = try #require(try r.store.users().first { $0.storeId == 1 && $0.role == .manager })
        let ret = try r.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [.init(lineNo: 1, quantity: 2)], refundKind: .cash,
                                           cashierId: manager.id)
        #expect(ret.approvedBy == manager.id)
    }

    @Test func theRuleOnItsOwn() throws {
        let r = try TestRegister()
        let sale = try cardSale(r)
        #expect(RefundApproval.needed(original: sale, kind: .cash, amount: Money(cents: 100)) == .cashForCardSale)
        #expect(RefundApproval.needed(original: sale, kind: .card, amount: Money(cents: 100)) == nil)
        #expect(RefundApproval.needed(original: sale, kind: .card, amount: Money(cents: 100_01)) == .overLimit(RefundApproval.defaultLimit))
        #expect(RefundApproval.defaultKind(for: sale) == .card)
    }
}
