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
            g.put(tr("Le numéro est imprimé sous le titre du reçu, ex. \(context.registerId)-000001.",
                     "The number is printed under the receipt's title, e.g. \(context.registerId)-000001."), x: 2, y: 6, .muted)
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
        if s.cardAmountEntry {
            let label = tr("Référence de la carte : ", "Card reference: ")
            g.put(label, x: 2, y: y + 1)
            let e = g.put(s.cardReference, x: 2 + label.count, y: y + 1, .bold)
            return Frame.Cursor(x: e, y: y + 1)
        }
        return nil
    }

    // MARK: - Drawer count

    func drawCount(_ g: inout Grid, _ s: CountState) -> Frame.Cursor? {
        let label: String
        switch s.purpose {
        case .openFloat:
            heading(&g, tr("Ouverture de la caisse", "Opening the drawer"))
            g.put(tr("Comptez le fonds de caisse avant la première vente.", "Count the float before the first sale."), x: 2, y: 4)
            label = tr("Fonds compté : ", "Counted float: ")
        case .closeCount:
            heading(&g, tr("Fermeture de la caisse", "Closing the drawer"))
            g.put(tr("Comptez l'argent du tiroir.", "Count the cash in the drawer."), x: 2, y: 4)
            label = tr("Montant compté : ", "Counted cash: ")
            if let expected = s.expected {
                g.put(tr("Attendu : ", "Expected: ") + tr.money(expected), x: 2, y: 8, .bold)
                if let counted = Money.typed(s.amount) {
                    let diff = counted - expected
                    let word = diff == .zero ? tr("juste", "exact") : (diff.isPositive ? tr("excédent", "over") : tr("manque", "short"))
                    g.put(tr("Écart : ", "Difference: ") + (diff.isPositive ? "+" : "") + tr.money(diff) + " (" + word + ")",
                          x: 2, y: 9, diff == .zero ? .good : .warning)
                }
            }
            let x = g.width - 47
            for (i, line) in s.xReport.prefix(g.height - 7).enumerated() { g.put(line, x: x, y: 2 + i, .muted, limit: 46) }
        }
        g.put(label, x: 2, y: 6)
        let end = g.put(s.amount, x: 2 + label.count, y: 6, .bold)
        return Frame.Cursor(x: end, y: 6)
    }

    func drawReport(_ g: inout Grid, _ s: ReportState) {
        heading(&g, s.title)
        let rows = g.height - 8
        for (i, line) in s.lines.dropFirst(s.scroll).prefix(rows).enumerated() { g.put(line, x: 4, y: 4 + i) }
        if let path = s.savedTo { g.put(tr("Enregistré : ", "Saved: ") + path, x: 2, y: g.height - 4, .muted) }
    }
}
