import CaisseCore
@testable import RegisterUI
import ScreenKit
import Testing

/// Issue 15's shorter paths: quick keys, parked sales, a cart kept across a
/// restart, search pages, and returns or reprints picked from today's sales.
@Suite struct ShortPathTests {
    @Test func quickKeysAddOneProductPerKey() {
        var state = freshState()
        state.quickKeys = [coffee, donut, timbits]
        var d = Driver(state)
        d.login(cashier)
        d.keys("1")
        expectGolden(d.screen(), "sale-empty-quick-hint-fr")
        d.keys("<tab>")
        expectGolden(d.screen(), "quick-keys-fr")
        d.keys("121")   // coffee, a donut, coffee again
        guard case .sale(let s) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(s.cart.lines.map(\.productId) == [coffee.id, donut.id])
        #expect(s.cart.lines.map(\.quantity) == [2, 1])
        #expect(s.quickPane, "the pane stays open: one key per item")
        d.keys("9")
        #expect(d.state.flash == .error("Pas de touche rapide 9."))
        d.keys("<tab>")
        guard case .sale(let closed) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(!closed.quickPane)
    }

    @Test func quickKeysInEnglishAndALetterGoesBackToTheSearch() {
        var state = freshState(.en)
        state.quickKeys = [coffee, donut]
        var d = Driver(state)
        d.login(cashier)
        d.keys("1<tab>2")
        expectGolden(d.screen(), "quick-keys-en")
        d.keys("caf")
        guard case .sale(let s) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(!s.quickPane)
        #expect(s.input == "caf")
    }

    @Test func noQuickKeysSaysWhoChoosesThem() {
        var d = Driver(freshState(.en))
        d.login(cashier)
        d.keys("1<tab>")
        #expect(d.state.flash?.text == "No quick keys: the manager or head office chooses them at central.")
    }

    @Test func aSaleIsParkedAndRecalled() throws {
        var d = Driver(freshState())
        d.login(cashier)
        d.keys("1")
        d.keys("2000000000015<enter>2000000000022<enter>")
        d.keys("<f8>")
        #expect(d.parked.count == 1)
        guard case .sale(let empty) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(empty.cart.isEmpty)
        #expect(d.state.flash == .info("Vente mise en attente (1 en attente) : F9 la reprend."))
        d.keys("2000000000039<enter>")
        d.keys("<f9>")
        #expect(d.state.flash?.text == "Vente en cours : mettez-la en attente (F8) avant d'en reprendre une autre.")
        d.keys("<f5>")   // the next customer pays
        #expect(d.committedSales.count == 1)
        d.keys("<enter><f9>")
        expectGolden(d.screen(), "parked-fr")
        d.keys("<enter>")
        guard case .sale(let back) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(back.cart.lines.map(\.productId) == [timbits.id, coffee.id])
        #expect(d.parked.isEmpty)
    }

    @Test func theCartOnScreenWhenTheTillStoppedComesBackAfterLogin() throws {
        var cart = Cart()
        try cart.add(coffee, quantity: 3)
        var state = freshState(.en)
        state.recoveredCart = cart
        #expect(state.cartToKeep == cart, "kept until it is given back")
        var d = Driver(state)
        d.login(cashier)
        guard case .sale(let s) = d.state.screen else { Issue.record("not back to the sale"); return }
        #expect(s.cart == cart)
        #expect(d.state.recoveredCart == nil)
        #expect(d.state.flash?.text == "Sale resumed: the till stopped during this sale (3 item(s)).")
        #expect(d.state.cartToKeep == cart)
        d.keys("<f4><enter>")   // voided: nothing left to keep
        #expect(d.state.cartToKeep == nil)
    }

    @Test func searchSaysHowManyMoreAndPages() {
        var d = Driver(freshState())
        d.searchTotal = 57
        d.login(cashier)
        d.keys("1be")
        expectGolden(d.screen(), "search-more-fr")
        d.keys("<pgdn>")
        #expect(d.effects.last == .searchPage("be", offset: 12))
        guard case .sale(let s) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(s.resultOffset == 12)
        d.keys("<pgup>")
        #expect(d.effects.last == .searchPage("be", offset: 0))
    }

    @Test func returnsAndReprintsPickFromTodaysSales() {
        var d = Driver(freshState())
        d.login(cashier)
        d.keys("1")
        for code in ["2000000000015", "2000000000022", "2000000000039"] { d.keys(code + "<enter><f5><esc>1") }
        d.keys("<esc>2")
        #expect(d.effects.last == .loadTodaysSales)
        expectGolden(d.screen(), "return-todays-fr")
        d.keys("<down><down><enter>")   // the oldest: the first sale
        #expect(d.effects.last == .findSale(receiptNumber: "CV-1-000001"))
        guard case .returns(let r) = d.state.screen, let sale = r.sale else { Issue.record("no sale"); return }
        #expect(sale.lines.map(\.productId) == [timbits.id])
        d.keys("<esc><up><up><f9>")
        #expect(d.effects.last == .reprint(receiptNumber: "CV-1-000003", by: cashier.id))
        guard case .report(let copy) = d.state.screen else { Issue.record("no copy shown"); return }
        #expect(copy.title == "Copie du reçu CV-1-000003")
    }
}

/// The new paths of issues 15 and 16 in the other language too (80×24).
@Suite struct ShortPathEnglishScreens {
    @Test func parkedSearchTodaysSalesDiscountAndPromotionInEnglish() {
        var state = freshState(.en)
        let today = Day(epochMillis: noon, utcOffsetSeconds: -5 * 3_600)
        state.promotions = [Promotion(id: 7, name: "Donuts 3 for $4", kind: .multiBuy, priceCents: 400, quantity: 3, productIds: [3],
                                      startDay: today, endDay: today)]
        var d = Driver(state)
        d.searchTotal = 57
        d.login(cashier)
        d.keys("1be")
        expectGolden(d.screen(), "search-more-en")
        d.keys("<esc>2000000000015<enter><f8><f9>")
        expectGolden(d.screen(), "parked-en")
        d.keys("<esc>")
        for _ in 0..<3 { d.keys("2000000000039<enter>") }
        d.keys("%10<enter>3")
        expectGolden(d.screen(), "discount-given-en")
        d.keys("<f5><esc>2")
        expectGolden(d.screen(), "return-todays-en")
    }

    @Test func frenchDiscountApprovalAndEnglishReasons() {
        var d = Driver(freshState(.fr))
        d.login(cashier)
        d.keys("12000000000015<enter>%<tab><tab>1,50<enter>2")
        expectGolden(d.screen(), "discount-approval-fr")
        var e = Driver(freshState(.en))
        e.login(cashier)
        e.keys("12000000000022<enter>%10<enter>")
        expectGolden(e.screen(), "discount-reason-en")
    }
}
