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
                g.put((i == a.selected ? "▸ " : "  ") + m.displayName + " (" + tr.role(m.role) + ")", x: x + 2, y: top + 3 + i,
                      i == a.selected ? .reverse : .plain, limit: width - 4)
            }
            let label = tr("NIP du gérant : ", "Manager's PIN: ")
            let py = top + 4 + min(managers.count, 4)
            g.put(label, x: x + 2, y: py)
            let e = g.put(String(repeating: "•", count: a.pin.count), x: x + 2 + label.count, y: py, .bold)
            return a.checking == nil ? Frame.Cursor(x: e, y: py) : nil
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
        if s.confirming {
            // Two short lines: the X report takes the right half of the screen.
            g.put(tr("Entrée : fermer la caisse.", "Enter: close the drawer."), x: 2, y: 11, .warning, limit: g.width - 50)
            g.put(tr("Le rapport Z est définitif.", "The Z report is final."), x: 2, y: 12, .warning, limit: g.width - 50)
            return nil
        }
        return Frame.Cursor(x: end, y: 6)
    }

    func drawReport(_ g: inout Grid, _ s: ReportState) {
        heading(&g, s.title)
        let rows = g.height - 8
        for (i, line) in s.lines.dropFirst(s.scroll).prefix(rows).enumerated() { g.put(line, x: 4, y: 4 + i) }
        if let path = s.savedTo { g.put(tr("Enregistré : ", "Saved: ") + path, x: 2, y: g.height - 4, .muted) }
    }
}
