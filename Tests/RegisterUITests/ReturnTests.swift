import CaisseAPI
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

    /// Issue 24: a receipt this register does not know is looked for at central (another
    /// register's or store's); the screen says whether central has none or could not be asked.
    @Test func unknownReceiptIsLookedForAtCentralAndTheScreenSaysWhatCameBack() {
        var d = Driver(freshState(.en))
        d.login(cashier)
        d.keys("2nope<enter>")
        d.send(.saleFound(receiptNumber: "NOPE", sale: nil, alreadyReturned: [:]))
        #expect(d.effects.last == .findSaleAtCentral(receiptNumber: "NOPE"))
        #expect(d.state.flash == .info("Looking for sale NOPE at central…"))
        d.send(.saleMissing(receiptNumber: "NOPE", offline: false))
        #expect(d.state.flash == .error("No sale NOPE, here or at central."))
        d.send(.saleMissing(receiptNumber: "NOPE", offline: true))
        #expect(d.state.flash == .error("Offline: only this register's sales can be returned."))

        var f = Driver(freshState(.fr))
        f.login(cashier)
        f.keys("2nope<enter>")
        f.send(.saleFound(receiptNumber: "NOPE", sale: nil, alreadyReturned: [:]))
        f.send(.saleMissing(receiptNumber: "NOPE", offline: true))
        #expect(f.state.flash == .error("Hors ligne : seules les ventes de cette caisse se retournent."))
    }

    /// A sale of another register, as central gave it: its lines are returnable less what other
    /// registers took back, and the return carries central's copy to the till's store.
    @Test func aSaleOfAnotherRegisterIsReturnedWithWhatOthersReturnedCounted() throws {
        var d = Driver(freshState(.en))
        d.login(cashier)
        d.keys("2CV-2-000004<enter>")
        var sale = try soldSale()
        sale.receiptNumber = "CV-2-000004"
        sale.registerId = "CV-2"
        let found = SaleForReturn(sale: sale, returnedElsewhere: [ReturnRequestLine(lineNo: 1, quantity: 1)], refundedElsewhere: .zero,
                                  cashRefundedElsewhere: .zero)
        d.send(.saleFound(receiptNumber: "CV-2-000004", sale: sale, alreadyReturned: [1: 1], atCentral: found))
        guard case .returns(let s) = d.state.screen else { Issue.record("not on the return screen"); return }
        #expect(s.sale?.receiptNumber == "CV-2-000004" && s.alreadyReturned == [1: 1] && s.atCentral == found)
    }

    /// Issue 28: F9 on the return lines printed the copy and dropped the return being keyed in.
    @Test func aReprintDuringAReturnComesBackToIt() throws {
        var d = Driver(freshState(.en))
        d.login(cashier)
        d.keys("2CV-1-000007<enter>")
        d.send(.saleFound(receiptNumber: "CV-1-000007", sale: try soldSale(), alreadyReturned: [:]))
        d.keys("1<f9>")
        guard case .report(let copy) = d.state.screen else { Issue.record("no copy on screen"); return }
        #expect(copy.backToReturn != nil)
        d.keys("<esc>")
        guard case .returns(let back) = d.state.screen else { Issue.record("the return was dropped"); return }
        #expect(back.sale?.receiptNumber == "CV-1-000007" && back.quantities == [1: 1])
        #expect(d.state.flash == .info("Return in progress resumed."))
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
