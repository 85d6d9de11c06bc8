import CaisseCore
import ScreenKit

/// The stock screen's sheets (issue 17): a count, the close's waste, one product's adjustment.
extension AppState {
    /// F8: the count, book against counted, each difference's value.
    func drawCountSheet(_ g: inout Grid, _ c: CountSheet) {
        let width = g.width - 4, x = 2, top = 3, height = g.height - 6
        g.fill(x: x, y: top, width: width, height: height, .plain)
        guard let count = c.count else {
            g.box(x: x, y: top, width: width, height: height, .accent, title: tr(.count2))
            guard c.loaded else { return }
            g.put(tr(.noCountUnderWayEnterThe),
                  x: x + 2, y: top + 2, .plain, limit: width - 4)
            g.put(tr(.orTypeACategoryOrShelf),
                  x: x + 2, y: top + 3, .plain, limit: width - 4)
            g.put(tr(.category) + c.input, x: x + 2, y: top + 5, .bold, limit: width - 4)
            // The categories to pick from (issue 28): the start of a word of one is enough; those it matches are marked.
            let typed = c.input.trimmingCharacters(in: .whitespaces)
            let matching: Set<String> = switch StockCount.category(typed, in: c.categories) {
            case .one(let name): [name]
            case .several(let names): Set(names)
            case .none: []
            }
            var cx = x + 2, cy = top + 7
            for name in c.categories {
                let cell = String(name.prefix(24))
                if cx + cell.count > x + width - 2 { cx = x + 2; cy += 1 }
                guard cy < top + height - 1 else { break }
                g.put(cell, x: cx, y: cy, matching.contains(name) ? .reverse : .muted)
                cx += cell.count + 3
            }
            return
        }
        let scope = count.scope.label(tr.language)
        g.box(x: x, y: top, width: width, height: height, .accent, title: tr(.countLabel) + scope)
        g.put(tr(.itemCodeOrCodeUnits) + c.input, x: x + 2, y: top + 1, .bold, limit: width - 4)
        let nameWidth = width - 4 - 10 - 8 - 8 - 7 - 12
        g.put("SKU".fitted(10) + tr(.item).fitted(nameWidth) + tr(.book).leftPadded(8) + tr(.counted).leftPadded(8)
              + tr(.diff).leftPadded(7) + tr(.value).leftPadded(12), x: x + 2, y: top + 3, .muted)
        let rows = height - 7
        for (i, l) in count.lines.suffix(rows).enumerated() {
            g.put(l.sku.fitted(10) + l.name.fitted(nameWidth) + String(l.book).leftPadded(8) + String(l.counted).leftPadded(8)
                  + ((l.difference > 0 ? "+" : "") + String(l.difference)).leftPadded(7) + tr.money(l.value).leftPadded(12),
                  x: x + 2, y: top + 4 + i, l.difference == 0 ? .plain : .warning, limit: width - 4)
        }
        g.put(tr(.countedNetDifference(count.lines.count))
              + tr.money(count.netValue) + tr(.inAll) + tr.money(count.differenceValue) + tr(.atRetail),
              x: x + 2, y: top + height - 2, .bold, limit: width - 4)
        if let manager = c.manager { drawManagerLine(&g, manager, right: x + width - 2, y: top + height - 3) }
    }

    /// The manager chosen and the PIN typed, on its own line above the totals it is asked for.
    func drawManagerLine(_ g: inout Grid, _ manager: ManagerPIN, right: Int, y: Int) {
        let name = storeManagers.indices.contains(manager.selected) ? storeManagers[manager.selected].displayName : ""
        g.putRight("▸ " + name + "  " + tr(.managerPin) + String(repeating: "•", count: manager.pin.count),
                   right: right, y: y, .warning)
    }

    /// F7 at close: the fresh products left, the units thrown away (all unless typed), their value.
    func drawWaste(_ g: inout Grid, _ w: WasteSheet) {
        let width = g.width - 4, x = 2, top = 3
        let height = g.height - 6
        g.fill(x: x, y: top, width: width, height: height, .plain)
        g.box(x: x, y: top, width: width, height: height, .accent, title: tr(.unsoldTodayWaste))
        let nameWidth = width - 4 - 10 - 8 - 8 - 12
        g.put("SKU".fitted(10) + tr(.item).fitted(nameWidth) + tr(.onHand).leftPadded(8) + tr(.thrown).leftPadded(8)
              + tr(.value).leftPadded(12), x: x + 2, y: top + 1, .muted)
        let rows = height - 5
        let first = max(0, w.selected - rows + 1)
        for (i, l) in w.lines.enumerated().dropFirst(first).prefix(rows) {
            let y = top + 2 + i - first
            let style: Style = w.selected == i && w.manager == nil ? .reverse : .plain
            g.put(l.sku.fitted(10) + l.name.fitted(nameWidth) + String(l.onHand).leftPadded(8) + String(l.units).leftPadded(8)
                  + tr.money(l.value).leftPadded(12), x: x + 2, y: y, style, limit: width - 4)
        }
        let units = w.lines.reduce(0) { $0 + $1.units }
        g.put(tr(.totalUnitS(units)) + tr.money(w.value) + tr(.atRetailInLine),
              x: x + 2, y: top + height - 2, .bold)
        g.putRight(w.find.isEmpty ? tr(.lettersFindAnItem) : tr(.findLabel) + w.find,
                   right: x + width - 2, y: top + height - 2, w.find.isEmpty ? .muted : .accent)
        if let manager = w.manager { drawManagerLine(&g, manager, right: x + width - 2, y: top + height - 3) }
    }

    /// F6: the adjustment of one product, over the list.
    func drawAdjust(_ g: inout Grid, _ a: AdjustPrompt) {
        let width = min(g.width - 4, 70), x = (g.width - width) / 2, top = 6
        let height = a.manager == nil ? 8 : 9 + min(storeManagers.count, 3)
        g.fill(x: x, y: top, width: width, height: height, .plain)
        g.box(x: x, y: top, width: width, height: height, .accent, title: tr(.stockAdjustment))
        g.put(a.position.sku + " · " + a.position.name + " · " + tr(.onHandInLine) + String(a.position.onHand), x: x + 2, y: top + 1, .bold,
              limit: width - 4)
        var rx = x + 2
        for reason in AdjustmentReason.declarable {
            rx = g.put(" " + reason.label(context.language) + " ", x: rx, y: top + 2, reason == a.reason ? .reverse : .muted) + 1
        }
        let unitsLabel = a.reason == .correction ? tr(.differenceLabel) : tr(.unitsLabel)
        g.put(unitsLabel, x: x + 2, y: top + 4)
        g.put(a.units, x: x + 2 + unitsLabel.count, y: top + 4, a.typingNote ? .plain : .reverse)
        if let q = a.quantity {
            g.putRight(tr(.valueAtRetail) + tr.money(Money(cents: abs(a.unitPrice.cents * Int64(q)))),
                       right: x + width - 2, y: top + 4, .muted)
        }
        let noteLabel = tr(.note)
        g.put(noteLabel, x: x + 2, y: top + 5)
        g.put(a.note, x: x + 2 + noteLabel.count, y: top + 5, a.typingNote ? .reverse : .plain, limit: width - 4 - noteLabel.count)
        guard let manager = a.manager else {
            g.put(a.typingNote ? tr(.enterRecordEscBackToThe)
                               : tr(.tabReasonEnterNote), x: x + 2, y: top + 6, .muted, limit: width - 4)
            return
        }
        for (i, m) in storeManagers.prefix(3).enumerated() {
            g.put((i == manager.selected ? "▸ " : "  ") + m.displayName, x: x + 2, y: top + 7 + i, i == manager.selected ? .reverse : .plain,
                  limit: width / 2)
        }
        let pinLabel = tr(.managerPin)
        g.put(pinLabel + String(repeating: "•", count: manager.pin.count), x: x + width / 2, y: top + 7)
    }
}
