import CaisseCore
import ScreenKit

extension AppState {
    // MARK: - Return

    func drawReturn(_ g: inout Grid, _ s: ReturnState) -> Frame.Cursor? {
        heading(&g, tr(.returnWord2))
        let label = tr(.receiptNumber)
        g.put(label, x: 2, y: 4)
        let end = g.put(s.sale?.receiptNumber ?? s.receiptInput, x: 2 + label.count, y: 4, .bold)
        guard let sale = s.sale else {
            g.put(tr(.theNumberIsPrintedUnderThe(context.registerId)), x: 2, y: 6, .muted)
            g.put(tr(.itsLastDigitsAreEnoughAt(context.registerId)), x: 2, y: 7, .muted)
            drawTodaysSales(&g, s)
            return Frame.Cursor(x: end, y: 4)
        }
        let nameWidth = g.width - 2 - 4 - 8 - 10 - 12 - 12 - 2
        g.put(" # " + tr(.item).fitted(nameWidth) + tr(.sold) + tr(.returned)
              + tr(.toReturn) + tr(.price), x: 1, y: 6, .muted)
        for (i, l) in sale.lines.enumerated().prefix(g.height - 14) {
            let style: Style = i == s.selected ? .reverse : .plain
            let text = String(l.lineNo).leftPadded(2) + " " + l.name.fitted(nameWidth) + String(l.quantity).leftPadded(8)
                + String(s.alreadyReturned[l.lineNo, default: 0]).leftPadded(10) + String(s.quantities[l.lineNo, default: 0]).leftPadded(12)
                + tr.money(l.unitPrice).leftPadded(12)
            g.put(text, x: 1, y: 7 + i, style)
        }
        let y = g.height - 6
        if let refund = try? Refund(original: sale, alreadyReturned: s.alreadyReturned, requested: s.requested) {
            g.put(tr(.refundLabel) + tr.money(refund.total) + tr(.taxesIncludedCashRoundsTo5), x: 2, y: y, .accent)
        }
        if let a = s.approval {
            let managers = storeManagers
            let width = min(g.width - 4, 60), x = (g.width - width) / 2, top = 6
            let height = 7 + min(managers.count, 4)
            g.fill(x: x, y: top, width: width, height: height, .plain)
            g.box(x: x, y: top, width: width, height: height, .accent, title: tr(.managerApproval))
            let why: String
            switch a.reason {
            case .cashForCardSale: why = tr(.cashRefundOfASalePaid)
            case .overLimit(let limit): why = tr(.refundOfMoreThan(tr.money(limit)))
            }
            g.put(why, x: x + 2, y: top + 1, .warning, limit: width - 4)
            for (i, m) in managers.prefix(4).enumerated() {
                g.put((i == a.manager.selected ? "▸ " : "  ") + m.displayName + " (" + tr.role(m.role) + ")", x: x + 2, y: top + 3 + i,
                      i == a.manager.selected ? .reverse : .plain, limit: width - 4)
            }
            let label = tr(.managerPin)
            let py = top + 4 + min(managers.count, 4)
            g.put(label, x: x + 2, y: py)
            let e = g.put(String(repeating: "•", count: a.manager.pin.count), x: x + 2 + label.count, y: py, .bold)
            return a.manager.checking == nil ? Frame.Cursor(x: e, y: py) : nil
        }
        if s.cardAmountEntry {
            let label = tr(.cardReference)
            g.put(label, x: 2, y: y + 1)
            let e = g.put(s.cardReference, x: 2 + label.count, y: y + 1, .bold)
            return Frame.Cursor(x: e, y: y + 1)
        }
        return nil
    }

    /// Today's sales at this register, newest first: ↑↓ then Enter (return) or F9 (reprint).
    func drawTodaysSales(_ g: inout Grid, _ s: ReturnState) {
        let top = 9
        guard !s.todays.isEmpty else {
            g.put(tr(.noSaleTodayAtThisRegister), x: 2, y: top, .muted)
            return
        }
        g.put(tr(.todaySalesThenEnterF9Reprints),
              x: 2, y: top, .bold, limit: g.width - 4)
        let rows = g.height - top - 5
        let first = max(0, s.todaysIndex - rows + 1)
        for (i, sale) in s.todays.enumerated().dropFirst(first).prefix(rows) {
            let y = top + 1 + i - first
            let style: Style = i == s.todaysIndex && s.receiptInput.isEmpty ? .reverse : .plain
            let returned = sale.returnedCount > 0 ? tr(.returnedLabel(sale.returnedCount)) : ""
            let text = sale.receiptNumber.fitted(14) + " " + Clock.time(sale.createdAt, context.store.timeZone) + "  "
                + tr(.itemCountShort(sale.itemCount)).fitted(10) + tr.money(sale.total).leftPadded(14) + returned
            g.fill(x: 2, y: y, width: g.width - 4, style)
            g.put(text, x: 3, y: y, style, limit: g.width - 6)
        }
    }

    // MARK: - Drawer count

    func drawCount(_ g: inout Grid, _ s: CountState) -> Frame.Cursor? {
        guard s.purpose == .openFloat else { return drawClosingCount(&g, s) }
        heading(&g, tr(.openingTheDrawer))
        g.put(tr(.countTheFloatBeforeTheFirst), x: 2, y: 4)
        let label = tr(.countedFloat)
        g.put(label, x: 2, y: 6)
        let end = g.put(s.amount, x: 2 + label.count, y: 6, .bold)
        return Frame.Cursor(x: end, y: 6)
    }

    /// Blind: what the drawer should hold shows only once the count is entered.
    func drawClosingCount(_ g: inout Grid, _ s: CountState) -> Frame.Cursor? {
        heading(&g, tr(.closingTheDrawer))
        g.put(tr(.countTheDrawerBillByBill), x: 2, y: 3)
        g.put(tr(.denominationPiecesAmount), x: 2, y: 5, .muted)
        var cursor: Frame.Cursor?
        for (i, d) in DrawerCount.denominations.enumerated() {
            let y = 6 + i
            let selected = i == s.row && !s.confirming
            let kind = DrawerCount.isBill(d) ? tr(.billInLine) : tr(.coin)
            let face = tr.money(d).replacingOccurrences(of: ",00", with: "").replacingOccurrences(of: ".00", with: "")
            let pieces = selected && !s.typed.isEmpty ? s.typed : String(s.pieces.pieces[i])
            let text = (face.leftPadded(6) + " " + kind).fitted(14) + pieces.leftPadded(7) + tr.money(s.pieces.amount(i)).leftPadded(16)
            g.put(text, x: 2, y: y, selected ? .reverse : .plain)
            if selected { cursor = Frame.Cursor(x: 2 + 14 + 7, y: y) }
        }
        let y = 6 + DrawerCount.denominations.count
        g.put(tr(.counted2).fitted(21) + tr.money(s.pieces.total).leftPadded(16), x: 2, y: y, .bold)
        guard s.confirming, let expected = s.expected else { return cursor }
        let diff = s.pieces.total - expected
        let word = diff == .zero ? tr(.exactInLine) : (diff.isPositive ? tr(.over) : tr(.short))
        g.put(tr(.expected).fitted(21) + tr.money(expected).leftPadded(16), x: 2, y: y + 1, .bold)
        g.put(tr(.difference).fitted(21) + ((diff.isPositive ? "+" : "") + tr.money(diff)).leftPadded(16) + " " + word,
              x: 2, y: y + 2, diff == .zero ? .good : .warning)
        g.put(tr(.enterCloseTheZReportIs),
              x: 2, y: y + 3, .warning, limit: g.width - 4)
        // The X report beside the count when the terminal is wide enough for both.
        if g.width >= 100 {
            let x = g.width - 47
            for (i, line) in s.xReport.prefix(g.height - 7).enumerated() { g.put(line, x: x, y: 2 + i, .muted, limit: 46) }
        }
        return nil
    }

    func drawReport(_ g: inout Grid, _ s: ReportState) {
        heading(&g, s.title)
        let rows = g.height - 8
        for (i, line) in s.lines.dropFirst(s.scroll).prefix(rows).enumerated() { g.put(line, x: 4, y: 4 + i) }
        if let path = s.savedTo { g.put(tr(.saved) + path, x: 2, y: g.height - 4, .muted) }
    }
}
