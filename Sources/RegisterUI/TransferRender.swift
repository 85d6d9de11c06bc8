import CaisseCore
import ScreenKit

extension AppState {
    /// F9: the store's transfers, which way, what is on the road, and the prompt of the step under way.
    func drawTransfers(_ g: inout Grid, _ t: TransferSheet) {
        let width = g.width - 4, x = 2, top = 3, height = g.height - 6
        g.fill(x: x, y: top, width: width, height: height, .plain)
        g.box(x: x, y: top, width: width, height: height, .accent, title: tr(.transfersBetweenStores))
        guard t.loaded else { return }
        g.put(tr(.inTransitToThisStoreFrom(t.incoming, t.outgoing)), x: x + 2, y: top + 1, .bold, limit: width - 4)
        let nameWidth = max(8, width - 4 - 9 - 9 - 12 - 21)
        g.put(tr(.way).fitted(9) + "SKU".fitted(9) + tr(.item).fitted(nameWidth) + tr(.state).fitted(12)
              + tr(.units).leftPadded(21), x: x + 2, y: top + 2, .muted)
        let rows = height - 6
        if t.rows.isEmpty {
            g.put(tr(.noTransfer), x: x + 2, y: top + 3, .muted)
        }
        let first = max(0, min(t.selected - rows + 1, t.rows.count - rows))
        for (i, v) in t.rows.dropFirst(first).prefix(rows).enumerated() {
            let tr0 = v.transfer
            var units = tr0.shipped.map(String.init) ?? String(tr0.requested)
            if tr0.state == .received {
                units = "\(tr0.received ?? 0)"
                // Words, not "4/1ab/0m" (issue 28, item 16): what arrived, what was damaged, what is missing.
                let damaged = tr0.damaged ?? 0
                if damaged > 0 { units += tr(.dmg(damaged)) }
                if tr0.short != 0 { units += tr(.shortInLine(tr0.short)) }
            }
            let way = (v.outgoing ? "→ " : "← ") + v.otherStore
            let selected = first + i == t.selected
            g.put(way.fitted(9) + v.sku.fitted(9) + v.productName.fitted(nameWidth - 1) + " " + tr0.state.label(context.language).fitted(12) + units.leftPadded(21),
                  x: x + 2, y: top + 3 + i, selected ? .reverse : (v.canShip || v.canReceive ? .bold : .plain), limit: width - 4)
        }
        let y = top + height - 2
        switch t.prompt {
        case nil:
            let item = t.product.map { $0.sku } ?? tr(.theItem)
            g.put(tr(.f6SendToAStoreF7(item)),
                  x: x + 2, y: y, .muted, limit: width - 4)
        case .ship(let units):
            g.put(tr(.unitsShipped) + units + "▏  " + tr(.enterShip), x: x + 2, y: y, .warning,
                  limit: width - 4)
        case .receive(let good, let damaged, let onDamaged):
            let goodText = tr(.receivedInGoodOrder) + good + (onDamaged ? "" : "▏")
            let damagedText = tr(.damaged) + damaged + (onDamaged ? "▏" : "")
            g.put(goodText + damagedText + tr(.tabAside), x: x + 2, y: y, .warning, limit: width - 4)
        case .new(let send, let product, let store, let units):
            let code = t.stores.indices.contains(store) ? t.stores[store].code : "?"
            let text = send ? tr(.sendTo(product.sku)) : tr(.askForFrom(product.sku))
            g.put(text + code + tr(.tabUnits) + units + "▏", x: x + 2, y: y, .warning, limit: width - 4)
        }
    }
}
