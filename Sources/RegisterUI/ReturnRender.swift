import CaisseCore
import ScreenKit

extension AppState {
    // MARK: - Return

    func drawReturn(_ g: inout Grid, _ s: ReturnState) -> Frame.Cursor? {
        heading(&g, tr("Retour", "Return"))
        let label = tr("Numéro du reçu : ", "Receipt number: ")
        g.put(label, x: 2, y: 4)
        let end = g.put(s.sale?.receiptNumber ?? s.receiptInput, x: 2 + label.count, y: 4, .bold)
        guard let sale = s.sale else {
            g.put(tr("Le numéro est imprimé sous le titre du reçu, ex. \(context.registerId)-000001 ;",
                     "The number is printed under the receipt's title, e.g. \(context.registerId)-000001;"), x: 2, y: 6, .muted)
            g.put(tr("ses derniers chiffres suffisent pour cette caisse (1 pour \(context.registerId)-000001).",
                     "its last digits are enough at this register (1 for \(context.registerId)-000001)."), x: 2, y: 7, .muted)
            drawTodaysSales(&g, s)
            return Frame.Cursor(x: end, y: 4)
        }
        let nameWidth = g.width - 2 - 4 - 8 - 10 - 12 - 12 - 2
        g.put(" # " + tr("Article", "Item").fitted(nameWidth) + tr("   Vendu", "    Sold") + tr("  Retourné", "  Returned")
              + tr("  À retourner", "   To return") + tr("        Prix", "       Price"), x: 1, y: 6, .muted)
        for (i, l) in sale.lines.enumerated().prefix(g.height - 14) {
            let style: Style = i == s.selected ? .reverse : .plain
            let text = String(l.lineNo).leftPadded(2) + " " + l.name.fitted(nameWidth) + String(l.quantity).leftPadded(8)
                + String(s.alreadyReturned[l.lineNo, default: 0]).leftPadded(10) + String(s.quantities[l.lineNo, default: 0]).leftPadded(12)
                + tr.money(l.unitPrice).leftPadded(12)
            g.put(text, x: 1, y: 7 + i, style)
        }
        let y = g.height - 6
        if let refund = try? Refund(original: sale, alreadyReturned: s.alreadyReturned, requested: s.requested) {
            g.put(tr("Remboursement : ", "Refund: ") + tr.money(refund.total) + tr(" (taxes incluses, arrondi au 5 ¢ en comptant)",
                  " (taxes included; cash rounds to 5¢)"), x: 2, y: y, .accent)
        }
        if let a = s.approval {
            let managers = storeManagers
            let width = min(g.width - 4, 60), x = (g.width - width) / 2, top = 6
            let height = 7 + min(managers.count, 4)
            g.fill(x: x, y: top, width: width, height: height, .plain)
            g.box(x: x, y: top, width: width, height: height, .accent, title: tr("Approbation d'un gérant", "Manager's approval"))
            let why: String
            switch a.reason {
            case .cashForCardSale: why = tr("Remboursement comptant d'une vente payée par carte.", "Cash refund of a sale paid by card.")
            case .overLimit(let limit): why = tr("Remboursement de plus de \(tr.money(limit)).", "Refund of more than \(tr.money(limit)).")
            }
            g.put(why, x: x + 2, y: top + 1, .warning, limit: width - 4)
            for (i, m) in managers.prefix(4).enumerated() {
                g.put((i == a.manager.selected ? "▸ " : "  ") + m.displayName + " (" + tr.role(m.role) + ")", x: x + 2, y: top + 3 + i,
                      i == a.manager.selected ? .reverse : .plain, limit: width - 4)
            }
            let label = tr("NIP du gérant : ", "Manager's PIN: ")
            let py = top + 4 + min(managers.count, 4)
            g.put(label, x: x + 2, y: py)
            let e = g.put(String(repeating: "•", count: a.manager.pin.count), x: x + 2 + label.count, y: py, .bold)
            return a.manager.checking == nil ? Frame.Cursor(x: e, y: py) : nil
        }
        if s.cardAmountEntry {
            let label = tr("Référence de la carte : ", "Card reference: ")
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
            g.put(tr("Aucune vente aujourd'hui à cette caisse.", "No sale today at this register."), x: 2, y: top, .muted)
            return
        }
        g.put(tr("Ventes d'aujourd'hui (↑↓ puis Entrée ; F9 réimprime le reçu)", "Today's sales (↑↓ then Enter; F9 reprints the receipt)"),
              x: 2, y: top, .bold, limit: g.width - 4)
        let rows = g.height - top - 5
        let first = max(0, s.todaysIndex - rows + 1)
        for (i, sale) in s.todays.enumerated().dropFirst(first).prefix(rows) {
            let y = top + 1 + i - first
            let style: Style = i == s.todaysIndex && s.receiptInput.isEmpty ? .reverse : .plain
            let returned = sale.returnedCount > 0 ? tr("  retourné : \(sale.returnedCount)", "  returned: \(sale.returnedCount)") : ""
            let text = sale.receiptNumber.fitted(14) + " " + Clock.time(sale.createdAt, context.store.timeZone) + "  "
                + tr("\(sale.itemCount) art.", sale.itemCount == 1 ? "1 item" : "\(sale.itemCount) items").fitted(10) + tr.money(sale.total).leftPadded(14) + returned
            g.fill(x: 2, y: y, width: g.width - 4, style)
            g.put(text, x: 3, y: y, style, limit: g.width - 6)
        }
    }

    // MARK: - Drawer count

    func drawCount(_ g: inout Grid, _ s: CountState) -> Frame.Cursor? {
        guard s.purpose == .openFloat else { return drawClosingCount(&g, s) }
        heading(&g, tr("Ouverture de la caisse", "Opening the drawer"))
        g.put(tr("Comptez le fonds de caisse avant la première vente.", "Count the float before the first sale."), x: 2, y: 4)
        let label = tr("Fonds compté : ", "Counted float: ")
        g.put(label, x: 2, y: 6)
        let end = g.put(s.amount, x: 2 + label.count, y: 6, .bold)
        return Frame.Cursor(x: end, y: 6)
    }

    /// Blind: what the drawer should hold shows only once the count is entered.
    func drawClosingCount(_ g: inout Grid, _ s: CountState) -> Frame.Cursor? {
        heading(&g, tr("Fermeture de la caisse", "Closing the drawer"))
        g.put(tr("Comptez le tiroir, coupure par coupure.", "Count the drawer, bill by bill, coin by coin."), x: 2, y: 3)
        g.put(tr("Coupure        Nombre         Montant", "Denomination   Pieces          Amount"), x: 2, y: 5, .muted)
        var cursor: Frame.Cursor?
        for (i, d) in DrawerCount.denominations.enumerated() {
            let y = 6 + i
            let selected = i == s.row && !s.confirming
            let kind = DrawerCount.isBill(d) ? tr("billet", "bill") : tr("pièce", "coin")
            let face = tr.money(d).replacingOccurrences(of: ",00", with: "").replacingOccurrences(of: ".00", with: "")
            let pieces = selected && !s.typed.isEmpty ? s.typed : String(s.pieces.pieces[i])
            let text = (face.leftPadded(6) + " " + kind).fitted(14) + pieces.leftPadded(7) + tr.money(s.pieces.amount(i)).leftPadded(16)
            g.put(text, x: 2, y: y, selected ? .reverse : .plain)
            if selected { cursor = Frame.Cursor(x: 2 + 14 + 7, y: y) }
        }
        let y = 6 + DrawerCount.denominations.count
        g.put(tr("Total compté", "Counted").fitted(21) + tr.money(s.pieces.total).leftPadded(16), x: 2, y: y, .bold)
        guard s.confirming, let expected = s.expected else { return cursor }
        let diff = s.pieces.total - expected
        let word = diff == .zero ? tr("juste", "exact") : (diff.isPositive ? tr("excédent", "over") : tr("manque", "short"))
        g.put(tr("Attendu", "Expected").fitted(21) + tr.money(expected).leftPadded(16), x: 2, y: y + 1, .bold)
        g.put(tr("Écart", "Difference").fitted(21) + ((diff.isPositive ? "+" : "") + tr.money(diff)).leftPadded(16) + " " + word,
              x: 2, y: y + 2, diff == .zero ? .good : .warning)
        g.put(tr("Entrée : fermer (le rapport Z est définitif) · Échap : recompter", "Enter: close (the Z report is final) · Esc: recount"),
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
        if let path = s.savedTo { g.put(tr("Enregistré : ", "Saved: ") + path, x: 2, y: g.height - 4, .muted) }
    }
}
