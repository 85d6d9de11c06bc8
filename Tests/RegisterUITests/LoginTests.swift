import CaisseCore
@testable import RegisterUI
import ScreenKit
import Testing

@Suite struct LoginTests {
    @Test func listsThisStoresPeopleAndMasksThePin() {
        var d = Driver(freshState())
        expectGolden(d.screen(), "login-fr")
        d.keys("léa<enter>12")
        expectGolden(d.screen(), "login-pin-fr")
        #expect(!d.screen().contains("12"))
        #expect(!d.screen().contains("Zoé Nord"))
    }

    @Test func correctPinOpensTheMenuForTheRole() {
        var d = Driver(freshState())
        d.login(cashier)
        #expect(d.state.user == cashier)
        #expect(d.state.menuEntries() == [.sale, .returns, .xReport, .closeDrawer, .noSale, .orders, .syncNow, .logout])
        expectGolden(d.screen(), "menu-cashier-fr")

        var m = Driver(freshState(.en, drawerOpen: false))
        m.login(manager)
        #expect(m.state.menuEntries() == [.sale, .returns, .openDrawer, .stock, .restock, .reports, .dashboard, .orders, .syncNow, .logout])
        expectGolden(m.screen(), "menu-manager-en")

        var e = Driver(freshState())
        e.login(employee)
        #expect(e.state.menuEntries().contains(.stock) && !e.state.menuEntries().contains(.reports))
    }

    @Test func threeWrongPinsLockTheLoginForAWhile() {
        var d = Driver(freshState())
        d.keys("caissier.cv<enter>")
        d.keys("0000<enter>9999<enter>")
        #expect(d.state.flash == .error("NIP erroné (essai 2 sur 3)."))
        d.keys("1234<enter>")
        #expect(d.state.flash?.text.contains("30 s avant un nouvel essai") == true)
        // Even the right PIN is refused while locked, without asking the store.
        let before = d.effects.count
        d.keys("1111<enter>")
        #expect(d.effects.count == before)
        #expect(d.state.user == nil)
        expectGolden(d.screen(), "login-locked-fr")
        d.send(.tick(noon + pinLockMillis))
        d.keys("1111<enter>")
        #expect(d.state.user == cashier)
    }

    /// Issue 14: one employee's mistakes locked the cashier out (the lock was the screen's).
    @Test func theLockIsPerPerson() {
        var d = Driver(freshState())
        d.keys("employe<enter>0000<enter>0000<enter>0000<enter>")
        #expect(d.state.flash?.text.contains("30 s") == true)
        d.keys("<esc><esc>caissier.cv<enter>1111<enter>")
        #expect(d.state.user == cashier)
    }

    @Test func logoutReturnsToLoginAndForgetsTheUser() {
        var d = Driver(freshState(.en))
        d.login(cashier)
        d.keys("<esc>")
        #expect(d.state.user == nil)
        guard case .login = d.state.screen else { Issue.record("not on login"); return }
        #expect(d.state.flash == .info("Goodbye Léa Tremblay."))
    }

    @Test func tooSmallATerminalSaysSo() {
        let d = Driver(freshState(.en))
        #expect(d.screen(60, 20).hasPrefix("Terminal too small: 80×24 at least (here 60×20).\n\n"))
    }
}

/// Issue 13: a till whose journal central refused looked "online"; one with a
/// damaged database kept selling.
@Suite struct SyncTroubleTests {
    @Test func aRefusalShowsOnTheStatusBarWithWhatToDo() {
        var d = Driver(freshState())
        d.login(cashier)
        d.send(.sync(SyncInfo(enrolled: true, online: true, pending: 3, lastSuccess: noon, refusal: "central answered 422: event 4: the subtotal …")))
        #expect(d.screen().contains("⚠ Refusé par le central : appelez le siège"))
        #expect(d.state.flash?.text.contains("central answered 422") == true)
        #expect(!d.screen().contains("● En ligne"))
    }

    @Test func aDamagedDatabaseStopsSelling() {
        var d = Driver(freshState(.en))
        d.login(cashier)
        d.send(.sync(SyncInfo(enrolled: true, online: nil, pending: 3, lastSuccess: noon, damaged: true)))
        #expect(d.screen().contains("✖ Database damaged: stop selling"))
        d.keys("1")
        guard case .menu = d.state.screen else { Issue.record("a sale screen opened on a damaged database"); return }
        #expect(d.state.flash?.text.contains("out of service") == true)
    }
}
