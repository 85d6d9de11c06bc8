import CaisseAPI
import CaisseCore
@testable import RegisterUI
import ScreenKit
import Testing

/// Issue 27: the store's orders for pickup at the till, at 80×24 in both languages.
@Suite struct OrdersScreenTests {
    static let noon: Int64 = 1_796_220_000_000
    static func order(_ number: String, _ state: OnlineOrder.State) -> OnlineOrder {
        OnlineOrder(id: "id-" + number, number: number, customerId: 1, storeId: 1, state: state,
                    lines: [.init(productId: 1, sku: "TIM-0001", name: "Timbits", quantity: 2, unitPrice: Money(cents: 299))],
                    total: Money(cents: 598), createdAt: noon, updatedAt: noon, pickupBy: noon + 3 * 86_400_000)
    }

    @Test func anEmployeePreparesAndACashierHandsOver() {
        for language in [Language.fr, .en] {
            var d = Driver(freshState(language))
            d.login(manager)
            d.keys("w")
            #expect(d.effects.last == .loadOrders)
            d.send(.ordersLoaded([Self.order("W-3F9A1C", .ready), Self.order("W-77B2E0", .placed), Self.order("W-0C1D2E", .pickedUp)]))
            expectGolden(d.screen(), "orders-\(language.rawValue)")
            d.keys("<down>p")
            #expect(d.effects.last == .moveOrder(id: "id-W-77B2E0", .prepare, by: manager.id))
            d.keys("<down><enter>")
            #expect(d.state.flash?.kind == .error, "a picked-up order has nothing to hand over")
            d.keys("<up><up><enter>")
            #expect(d.effects.last == .handOverOrder(id: "id-W-3F9A1C"))
        }
    }

    @Test func aCashierCannotPrepareAndNeedsAnOpenDrawerToHandOver() {
        var d = Driver(freshState(.en, drawerOpen: false))
        d.login(cashier)
        d.keys("w")
        d.send(.ordersLoaded([Self.order("W-3F9A1C", .ready)]))
        let before = d.effects.count
        d.keys("p")
        #expect(d.effects.count == before, "preparing is an employee's")
        d.keys("<enter>")
        #expect(d.state.flash == .error("Open the drawer (menu 3) before handing an order over."))
    }
}
