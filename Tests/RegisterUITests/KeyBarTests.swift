import CaisseAPI
import CaisseCore
@testable import RegisterUI
import ScreenKit
import Testing

/// Issue 28, item 10: the key bar left out keys that work (F2, F4, F7 on the sale screen; ↑↓
/// and Esc on stock; Esc on return lines; ↑↓ on the report). What fits at 80 columns is on the
/// bar, then F1, which lists every key of the screen; any key closes the list and does only that.
@Suite struct KeyBarTests {
    func keyBar(_ d: Driver) -> String {
        String(d.screen().split(separator: "\n", omittingEmptySubsequences: false)[22])
    }

    func selling(_ language: Language) -> Driver {
        var d = Driver(freshState(language))
        d.login(cashier)
        d.keys("1")
        d.keys("2000000000015<enter>")
        return d
    }

    /// A short key list (an empty sale: a few keys) still gets a box its title and footer fit in
    /// (the trial found "┌─ This screen's ke─┐" and a footer through the border).
    @Test(arguments: [Language.fr, .en])
    func theKeysBoxHoldsItsTitleAndFooterWhateverTheList(_ language: Language) {
        var d = Driver(freshState(language))
        d.login(cashier)
        d.keys("1<f1>")
        #expect(d.state.keysShown)
        let screen = d.screen()
        let title = language == .fr ? "Touches de cet écran" : "This screen's keys"
        let footer = language == .fr ? "Une touche pour fermer" : "Any key to close"
        let top = screen.split(separator: "\n").first { $0.contains("┌") && $0.contains(title) }
        #expect(top?.contains("┐") == true, "the title whole inside the box:\n\(screen)")
        let bottom = screen.split(separator: "\n").first { $0.contains(footer) }
        #expect(bottom.map { $0.contains("└") && $0.contains("┘") } == true, "the footer inside the box:\n\(screen)")
    }

    @Test(arguments: [Language.fr, .en])
    func everyKeyOfTheSaleScreenIsNamedOnTheBarOrUnderF1(_ language: Language) {
        var d = selling(language)
        let bar = keyBar(d)
        #expect(bar.hasSuffix((language == .fr ? "Échap Effacer la saisie  F1 Touches" : "Esc Clear typing  F1 Keys")), "\(bar)")
        #expect(bar.count <= 80)
        d.keys("<f1>")
        #expect(d.state.keysShown)
        let list = d.screen()
        for key in ["F2", "F3", "F4", "F5", "F6", "F7", "F8", "F11", "F12", "↑↓", "+/-", "%", "Tab", language == .fr ? "Échap" : "Esc"] {
            #expect(list.contains(key + " "), "\(key) is not in the list:\n\(list)")
        }
        expectGolden(list, "sale-keys-\(language.rawValue)")
        // Any key closes the list, and does only that: F4 here does not ask to void the sale.
        d.keys("<f4>")
        #expect(!d.state.keysShown)
        guard case .sale(let s) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(s.prompt == nil)
        #expect(s.cart.lines.count == 1)
    }

    @Test(arguments: [Language.fr, .en])
    func theStockScreensArrowsAndEscapeAreUnderF1(_ language: Language) {
        var d = Driver(freshState(language))
        d.login(employee)
        d.keys("5")
        d.send(.stockLoaded([position(timbits, onHand: 0), position(coffee, onHand: 4)], warehouse: [], liveAt: nil))
        #expect(keyBar(d).contains("F1 "))
        d.keys("<f1>")
        let list = d.screen()
        for key in ["↑↓ PgUp PgDn", language == .fr ? "Échap" : "Esc", "F5", "F6", "F7", "F8", "F9", "Tab"] {
            #expect(list.contains(key + " "), "\(key) is not in the list:\n\(list)")
        }
    }

    /// The manager's report scrolls with ↑↓ and, now, a page at a time.
    @Test func theReportPagesDown() {
        var d = Driver(freshState(.en))
        d.login(manager)
        guard let reports = d.state.menuEntries().firstIndex(of: .reports) else { Issue.record("no reports"); return }
        d.keys(String(AppState.menuKey(d.state.menuEntries()[reports]) ?? "?"))
        guard case .salesReport = d.state.screen else { Issue.record("no report screen"); return }
        d.keys("<pgdn><pgdn><up>")
        guard case .salesReport(let s) = d.state.screen else { Issue.record("left the report"); return }
        #expect(s.scroll == 19)
        d.keys("<f1>")
        #expect(d.screen().contains("↑↓ PgUp PgDn "))
    }

    /// Where every key fits (the payment screen, whose F1 is a 5 $ bill), there is no F1 entry.
    @Test func thePaymentScreensF1IsStillABill() {
        var d = selling(.fr)
        d.keys("<f6>")
        #expect(!keyBar(d).contains("F1 Touches"))
        d.keys("<f1>")
        #expect(!d.state.keysShown)
    }
}

/// Issue 28, item 16: what a person read cut or wrong.
@Suite struct CosmeticTests {
    /// "CAF-0001, " was read as a category named "CAF-0001, ": the empty SKU after the comma.
    @Test func aTrailingCommaInTheSKUsIsNoCategory() {
        var form = PromotionForm(today: Day(number: 20_000))
        form.name = "Cafés"
        form.value = "10"
        form.target = "CAF-0001, caf-0002, "
        guard case .success(let (input, skus)) = freshState(.fr).promotionInput(form) else { Issue.record("refused"); return }
        #expect(skus == ["CAF-0001", "CAF-0002"])
        #expect(input.category == nil)
    }

    /// The chain's name goes whole or not at all; the store and the register stay.
    @Test func theTitleBarDropsTheChainNameRatherThanCutIt() {
        var state = freshState(.fr)
        state.context.chainName = "Caisse démo — chaîne de cafés-boulangeries"
        var d = Driver(state)
        d.login(cashier)
        let title = String(d.screen().split(separator: "\n")[0])
        #expect(title.hasPrefix(" Magasin Centre-Ville · caisse CV-1 "))
        #expect(!title.contains("…") && !title.contains("Caisse démo"), "\(title)")
        var wide = Driver(state)
        wide.state.context.chainName = "Démo"
        wide.login(cashier)
        #expect(wide.screen().hasPrefix(" Magasin Centre-Ville · caisse CV-1 · Démo "))
    }
}

/// Central's figures reach the screens: a wild one is drawn, never a trap at the till.
@Suite struct WildFiguresTests {
    @Test func anOrderPlacedAtInt64MinIsAnAgeNotACrash() {
        var d = Driver(freshState(.en))
        d.login(manager)
        d.keys("8")
        let channels = ChannelSummary(stores: [.init(storeId: 1, onlinePickupSales: 0, onlinePickupTotal: .zero, openOrders: 1,
                                                     oldestOpenOrderAt: Int64.min)],
                                      pointsEarned: 0, pointsRedeemed: 0, pointsOutstanding: 0)
        d.send(.dashboardLoaded(DashboardResponse(today: Day(number: 20_000), revenue: [], alerts: [], storeNames: ["1": "CV"], channels: channels),
                                at: noon))
        #expect(d.screen().contains(" d"), "an age in days, drawn")
    }
}
