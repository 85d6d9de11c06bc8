import CaisseCore
@testable import RegisterUI
import ScreenKit
import Testing

@Suite struct ReturnTests {
    func soldSale() throws -> Sale {
        var cart = Cart()
        try cart.add(timbits, quantity: 2)
        try cart.add(coffee)
        var payment = Payment(total: cart.totals(.quebec).total)
        try payment.payCard(reference: "A1")
        return try Sale(id: "s1", receiptNumber: "CV-1-000007", storeId: 1, registerId: "CV-1", cashierId: 1, createdAt: noon,
                        cart: cart, rule: .quebec, payment: payment)
    }

    @Test func cannotReturnMoreThanWasSoldLessEarlierReturns() throws {
        var d = Driver(freshState())
        d.login(cashier)
        d.keys("2cv-1-000007<enter>")
        #expect(d.effects.last == .findSale(receiptNumber: "CV-1-000007"))
        d.send(.saleFound(receiptNumber: "CV-1-000007", sale: try soldSale(), alreadyReturned: [1: 1]))
        d.keys("+++")
        #expect(d.state.flash?.text == "Timbits assortis (boîte de 10) : 1 au plus (vendu 2, déjà retourné 1).")
        expectGolden(d.screen(), "return-fr")
        d.keys("<down>9")
        guard case .returns(let r) = d.state.screen else { Issue.record("left returns"); return }
        #expect(r.quantities == [1: 1, 2: 1])
        // Cash back for a card sale: a manager must approve at the till (issue 14).
        let before = d.effects.count
        d.keys("<f5>")
        #expect(d.effects.count == before, "nothing is refunded before a manager approves")
        expectGolden(d.screen(), "return-approval-fr")
        d.keys("1111<enter>")
        #expect(d.effects.last == .commitReturn(receiptNumber: "CV-1-000007", lines: [.init(lineNo: 1, quantity: 1), .init(lineNo: 2, quantity: 1)],
                                                kind: .cash, cardReference: nil, cashierId: 1, approvedBy: manager.id))
        #expect(d.state.flash == .info("Approuvé par Chloé Roy."))
    }

    @Test func aWrongManagerPINRefundsNothingAndEscapeCancels() throws {
        var d = Driver(freshState(.en))
        d.login(cashier)
        d.keys("2CV-1-000007<enter>")
        d.send(.saleFound(receiptNumber: "CV-1-000007", sale: try soldSale(), alreadyReturned: [:]))
        d.keys("1<f5>")
        expectGolden(d.screen(), "return-approval-en")
        let before = d.effects.count
        d.keys("0000<enter>")
        #expect(d.state.flash == .error("Wrong manager PIN (2 tries left)."))
        #expect(!d.effects.dropFirst(before).contains { if case .commitReturn = $0 { true } else { false } })
        d.keys("<esc>")
        guard case .returns(let r) = d.state.screen else { Issue.record("left returns"); return }
        #expect(r.approval == nil && r.sale != nil)
    }

    @Test func aManagerRefundsCashForACardSaleWithoutAnotherPIN() throws {
        var d = Driver(freshState())
        d.login(manager)
        d.keys("2CV-1-000007<enter>")
        d.send(.saleFound(receiptNumber: "CV-1-000007", sale: try soldSale(), alreadyReturned: [:]))
        d.keys("1<f5>")
        #expect(d.effects.last == .commitReturn(receiptNumber: "CV-1-000007", lines: [.init(lineNo: 1, quantity: 1)],
                                                kind: .cash, cardReference: nil, cashierId: manager.id))
    }

    @Test func enterRefundsToTheOriginalCard() throws {
        var d = Driver(freshState(.en))
        d.login(cashier)
        d.keys("2CV-1-000007<enter>")
        d.send(.saleFound(receiptNumber: "CV-1-000007", sale: try soldSale(), alreadyReturned: [:]))
        d.keys("1<enter><enter>")
        #expect(d.effects.last == .commitReturn(receiptNumber: "CV-1-000007", lines: [.init(lineNo: 1, quantity: 1)],
                                                kind: .card, cardReference: "A1", cashierId: 1))
    }

    @Test func escapeLeavesTheSaleForAnotherReceiptThenTheMenu() throws {
        var d = Driver(freshState(.en))
        d.login(cashier)
        d.keys("2CV-1-000007<enter>")
        d.send(.saleFound(receiptNumber: "CV-1-000007", sale: try soldSale(), alreadyReturned: [:]))
        d.keys("<esc>")
        guard case .returns(let r) = d.state.screen else { Issue.record("left returns"); return }
        #expect(r.sale == nil && r.receiptInput.isEmpty)
        d.keys("<esc>")
        guard case .menu = d.state.screen else { Issue.record("not back to the menu"); return }
    }

    @Test func unknownReceiptSaysSo() {
        var d = Driver(freshState(.en))
        d.login(cashier)
        d.keys("2nope<enter>")
        d.send(.saleFound(receiptNumber: "NOPE", sale: nil, alreadyReturned: [:]))
        #expect(d.state.flash == .error("No sale NOPE at this register."))
    }

    @Test func refundToCardAsksTheReference() throws {
        var d = Driver(freshState(.en))
        d.login(cashier)
        d.keys("2CV-1-000007<enter>")
        d.send(.saleFound(receiptNumber: "CV-1-000007", sale: try soldSale(), alreadyReturned: [:]))
        d.keys("<f7>")
        #expect(d.state.flash?.text == "Choose the quantities to return.")
        d.keys("2<f7>R9<enter>")
        #expect(d.effects.last == .commitReturn(receiptNumber: "CV-1-000007", lines: [.init(lineNo: 1, quantity: 2)],
                                                kind: .card, cardReference: "R9", cashierId: 1))
    }
}

extension ReturnTests {
    /// Issue 15, shorter paths: the receipt's last digits find this register's sale.
    @Test func theLastDigitsOfTheReceiptAreEnough() {
        var d = Driver(freshState(.en))
        d.login(cashier)
        d.keys("27<enter>")
        #expect(d.effects.last == .findSale(receiptNumber: "CV-1-000007"))
        d.keys("<esc>")
        d.keys("2")
        d.keys("NORD-1-000007<enter>")
        #expect(d.effects.last == .findSale(receiptNumber: "NORD-1-000007"))
    }
}
