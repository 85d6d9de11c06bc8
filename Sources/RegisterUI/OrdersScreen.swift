import CaisseAPI
import CaisseCore
import ScreenKit

/// The store's orders for pickup (issue 27): an employee prepares them and says when they are
/// ready; a cashier hands one over by selling it (its lines fill the cart, the sale carries it).
public struct OrdersViewState: Hashable, Sendable {
    public var orders: [OnlineOrder] = []
    public var selected = 0
    public init() {}
}

extension AppState {
    mutating func ordersKey(_ key: Key, _ s: inout OrdersViewState, _ user: User) -> [Effect] {
        let order = s.orders.indices.contains(s.selected) ? s.orders[s.selected] : nil
        switch key {
        case .up: s.selected = max(0, s.selected - 1)
        case .down: s.selected = min(max(0, s.orders.count - 1), s.selected + 1)
        case .char("p"), .char("P"):
            if let order, user.role.allows(.employee) { return [.moveOrder(id: order.id, .prepare, by: user.id)] }
        case .char("r"), .char("R"):
            if let order, user.role.allows(.employee) { return [.moveOrder(id: order.id, .ready, by: user.id)] }
        case .enter:
            guard let order else { break }
            guard drawer != nil else {
                flash = .error(tr(.openTheDrawerMenu3Before))
                break
            }
            guard order.state.reserves else {
                flash = .error(tr(.orderIsNothingToHandOver(order.number, orderStateWord(order.state))))
                break
            }
            return [.handOverOrder(id: order.id)]
        case .function(5): return [.loadOrders]
        default: break
        }
        return []
    }

    func ordersKeyBar() -> [(String, String)] {
        var keys: [(String, String)] = [("↑↓", tr(.order))]
        if user?.role.allows(.employee) == true { keys += [("P", tr(.prepare)), ("R", tr(.ready))] }
        return keys + [(tr(.enter), tr(.handOver)), ("F5", tr(.refresh)), (tr(.esc), "Menu")]
    }

    func orderStateWord(_ state: OnlineOrder.State) -> String {
        switch state {
        case .placed: tr(.received)
        case .preparing: tr(.preparing)
        case .ready: tr(.readyInLine)
        case .pickedUp: tr(.pickedUp)
        case .cancelled: tr(.cancelled)
        case .expired: tr(.expired)
        }
    }

    func drawOrders(_ g: inout Grid, _ s: OrdersViewState) {
        heading(&g, tr(.webOrdersForPickup))
        guard !s.orders.isEmpty else {
            g.put(tr(.noOrdersTheyArriveWithEach), x: 2, y: 4, .muted)
            return
        }
        g.put(tr(.noStateItemsTotalBefore),
              x: 2, y: 4, .muted)
        let rows = max(1, g.height - 10)
        let first = max(0, min(s.selected - rows + 1, s.orders.count - rows))
        for (i, order) in s.orders.enumerated().dropFirst(first).prefix(rows) {
            let items = order.lines.reduce(0) { $0 + $1.quantity }
            let line = order.number.padding(toLength: 10, withPad: " ", startingAt: 0)
                + orderStateWord(order.state).padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(items).padding(toLength: 10, withPad: " ", startingAt: 0)
                + tr.money(order.total).padding(toLength: 12, withPad: " ", startingAt: 0)
                + Clock.dateTime(order.pickupBy, context.store.timeZone)
            g.put(line.fitted(g.width - 4), x: 2, y: 5 + i - first, i == s.selected ? .reverse : (order.state.reserves ? .plain : .muted))
        }
    }
}
