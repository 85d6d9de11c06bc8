import CaisseCore
import ScreenKit

public let minimumSize = Size(width: 80, height: 24)

/// What `render` produces: the picture and where the text cursor blinks (nil: hidden).
public struct Frame: Hashable, Sendable {
    public var grid: Grid
    public var cursor: Cursor?

    public struct Cursor: Hashable, Sendable {
        public var x: Int
        public var y: Int
    }
}

extension AppState {
    /// Draws the whole screen. Pure: the same state and size give the same cells.
    public func render(_ size: Size) -> Frame {
        var g = Grid(width: size.width, height: size.height)
        guard size.width >= minimumSize.width, size.height >= minimumSize.height else {
            g.put(tr("Terminal trop petit : 80×24 au minimum (ici \(size.width)×\(size.height)).",
                     "Terminal too small: 80×24 at least (here \(size.width)×\(size.height))."), x: 0, y: 0, .warning)
            return Frame(grid: g, cursor: nil)
        }
        var cursor: Frame.Cursor?
        titleBar(&g)
        switch screen {
        case .login(let s): cursor = drawLogin(&g, s)
        case .menu(let s): drawMenu(&g, s)
        case .sale(let s): cursor = drawSale(&g, s)
        case .payment(let s): cursor = drawPayment(&g, s)
        case .done(let s): drawDone(&g, s)
        case .returns(let s): cursor = drawReturn(&g, s)
        case .count(let s): cursor = drawCount(&g, s)
        case .report(let s): drawReport(&g, s)
        case .stock(let s): drawStock(&g, s)
        case .restock(let s): drawRestock(&g, s)
        case .salesReport(let s): cursor = drawSalesReport(&g, s)
        case .dashboard(let s): drawDashboard(&g, s)
        case .approvals(let s): drawApprovals(&g, s)
        }
        if let flash {
            g.fill(y: g.height - 3, .plain)
            g.put(flash.text, x: 1, y: g.height - 3, flash.kind == .error ? .error : .good)
        }
        helpLine(&g)
        statusBar(&g)
        return Frame(grid: g, cursor: cursor)
    }

    // MARK: - Chrome

    private func titleBar(_ g: inout Grid) {
        g.fill(y: 0, .bar)
        var right = Clock.time(now, context.store.timeZone) + " "
        if let user { right = "\(user.displayName) (\(tr.role(user.role))) · " + right }
        let left = " \(context.store.name) · \(tr("caisse", "register")) \(context.registerId) · \(context.chainName)"
        g.put(left.fitted(g.width - right.count - 1), x: 0, y: 0, .bar)
        g.putRight(right, right: g.width, y: 0, .bar)
    }

    private func statusBar(_ g: inout Grid) {
        let y = g.height - 1
        g.fill(y: y, .bar)
        var parts: [String] = []
        if !sync.enrolled {
            parts.append(tr("Caisse autonome (non inscrite)", "Stand-alone register (not enrolled)"))
        } else {
            switch sync.online {
            case .some(true): parts.append(tr("● En ligne", "● Online"))
            case .some(false): parts.append(tr("○ Hors ligne", "○ Offline"))
            case .none: parts.append(tr("… Connexion", "… Connecting"))
            }
            parts.append(tr("\(sync.pending) à envoyer", "\(sync.pending) to send"))
            parts.append(tr("synchro ", "synced ") + (sync.lastSuccess.map { Clock.time($0, context.store.timeZone) } ?? tr("jamais", "never")))
        }
        if let drawer { parts.append(tr("tiroir ouvert, fonds ", "drawer open, float ") + tr.money(drawer.float)) }
        else if user != nil { parts.append(tr("tiroir fermé", "drawer closed")) }
        g.put(" " + parts.joined(separator: " │ "), x: 0, y: y, .bar)
    }

    private func helpLine(_ g: inout Grid) {
        let y = g.height - 2
        var x = 1
        for (key, label) in help() {
            if x + key.count + label.count + 1 > g.width { break }
            x = g.put(key, x: x, y: y, .accent)
            x = g.put(" " + label + "  ", x: x, y: y, .plain)
        }
    }

    private func help() -> [(String, String)] {
        let esc = tr("Échap", "Esc")
        let enter = tr("Entrée", "Enter")
        switch screen {
        case .login(let s):
            if s.pinFor != nil { return [(enter, tr("Valider", "Confirm")), (esc, tr("Retour", "Back"))] }
            return [("↑↓", tr("Choisir", "Choose")), (enter, tr("NIP", "PIN")), (esc, tr("Effacer", "Clear")), ("F10", tr("Quitter", "Quit"))]
        case .menu:
            return [("↑↓ 1-9", tr("Choisir", "Choose")), (enter, tr("Ouvrir", "Open")), (esc, tr("Déconnexion", "Log out")), ("Ctrl-C", tr("Quitter", "Quit"))]
        case .sale(let s):
            if s.prompt != nil { return [(enter, tr("Valider", "Confirm")), (esc, tr("Annuler", "Cancel"))] }
            return [("+/-", tr("Qté", "Qty")), ("F2", tr("Qté", "Qty")), ("F3", tr("Retirer", "Remove")), ("F4", tr("Annuler", "Void")),
                    ("F5", tr("Comptant exact", "Exact cash")), ("F6", tr("Payer", "Pay")), ("F7", tr("Carte", "Card")), (esc, "Menu")]
        case .payment(let s):
            if s.cardAmount != nil { return [(enter, tr("Valider la carte", "Confirm card")), (esc, tr("Retour", "Back"))] }
            return [(enter, tr("Comptant reçu (vide : exact)", "Cash given (empty: exact)")), ("F5", tr("Comptant exact", "Exact cash")),
                    ("F7", tr("Carte", "Card")), (esc, s.payment.tenders.isEmpty ? tr("Retour", "Back") : tr("Annuler le dernier", "Undo last"))]
        case .done:
            return [(enter, tr("Suivant", "Next")), ("↑↓", tr("Défiler", "Scroll")), (esc, "Menu")]
        case .returns(let s):
            if s.sale == nil { return [(enter, tr("Chercher", "Find")), (esc, "Menu")] }
            if s.cardAmountEntry { return [(enter, tr("Valider la carte", "Confirm card")), (esc, tr("Retour", "Back"))] }
            return [("↑↓", tr("Ligne", "Line")), ("+/- 0-9", tr("Quantité", "Quantity")), ("F5", tr("Rembourser comptant", "Refund cash")),
                    ("F7", tr("Rembourser carte", "Refund card")), (esc, tr("Autre reçu", "Other receipt"))]
        case .count:
            return [(enter, tr("Valider", "Confirm")), (esc, "Menu")]
        case .report:
            return [("↑↓ PgUp PgDn", tr("Défiler", "Scroll")), (enter, "Menu")]
        case .stock:
            return [(tr("Tab", "Tab"), tr("Filtre", "Filter")), (tr("lettres", "letters"), tr("Chercher", "Search")),
                    ("F5", tr("Stock central en direct", "Live from central")), (esc, "Menu")]
        case .restock(let s):
            if s.pane == .suggestions {
                return [("Tab", tr("Demandes", "Requests")), (tr("Espace", "Space"), tr("Cocher", "Tick")), ("+/-", tr("Qté", "Qty")),
                        ("F5", tr("Demander", "Request")), (esc, "Menu")]
            }
            return [("Tab", tr("Suggestions", "Suggestions")), ("↑↓", tr("Demande", "Request")), ("F6", tr("Recevoir", "Receive")), (esc, "Menu")]
        case .salesReport(let s):
            if s.editingCustom { return [(enter, tr("Valider", "Confirm")), (esc, tr("Retour", "Back"))] }
            return [("1", tr("Aujourd'hui", "Today")), ("2", tr("7 jours", "7 days")), ("3", tr("30 jours", "30 days")),
                    ("4", tr("Dates", "Dates")), ("F5", tr("Export CSV", "CSV export")), (esc, "Menu")]
        case .dashboard:
            return [("Tab", tr("Période", "Period")), ("F5", tr("Actualiser", "Refresh")), (esc, "Menu")]
        case .approvals:
            return [("↑↓", tr("Demande", "Request")), ("A", tr("Approuver", "Approve")), ("R", tr("Refuser", "Reject")),
                    ("S", tr("Expédier", "Ship")), ("F5", tr("Actualiser", "Refresh")), (esc, "Menu")]
        }
    }

    private func heading(_ g: inout Grid, _ text: String) {
        g.put(text, x: 2, y: 2, .accent)
    }

    // MARK: - Login

    private func drawLogin(_ g: inout Grid, _ s: LoginState) -> Frame.Cursor? {
        heading(&g, tr("Connexion", "Log in") + " — " + context.store.name)
        let people = s.candidates(users, storeId: context.store.id)
        if let id = s.pinFor, let person = users.first(where: { $0.id == id }) {
            let boxWidth = 50, x = (g.width - boxWidth) / 2, y = 7
            g.box(x: x, y: y, width: boxWidth, height: 7, .accent, title: tr("NIP", "PIN"))
            g.put(person.displayName + " (" + tr.role(person.role) + ")", x: x + 3, y: y + 2, .bold)
            let label = tr("NIP : ", "PIN: ")
            g.put(label, x: x + 3, y: y + 4)
            let end = g.put(String(repeating: "•", count: s.pin.count), x: x + 3 + label.count, y: y + 4, .bold)
            if let until = s.lockedUntil, now < until {
                g.put(tr("Bloqué encore \((until - now + 999) / 1000) s", "Locked for \((until - now + 999) / 1000) more s"),
                      x: x + 3, y: y + 5, .error)
            }
            return s.checking ? nil : Frame.Cursor(x: end, y: y + 4)
        }
        let prompt = tr("Qui êtes-vous ? Tapez pour filtrer : ", "Who are you? Type to filter: ")
        g.put(prompt, x: 2, y: 4)
        let end = g.put(s.query, x: 2 + prompt.count, y: 4, .bold)
        let top = 6, rows = g.height - 4 - top
        let first = max(0, s.selected - rows + 1)
        for (i, person) in people.enumerated().dropFirst(first).prefix(rows) {
            let y = top + i - first
            let style: Style = i == s.selected ? .reverse : .plain
            if i == s.selected { g.fill(x: 2, y: y, width: g.width - 4, style) }
            g.put(" " + person.displayName.fitted(30) + " " + person.username.fitted(18) + " " + tr.role(person.role),
                  x: 2, y: y, style, limit: g.width - 4)
        }
        if people.isEmpty { g.put(tr("Personne ne correspond.", "Nobody matches."), x: 3, y: top, .muted) }
        return Frame.Cursor(x: end, y: 4)
    }

    // MARK: - Menu

    func menuLabel(_ entry: MenuEntry) -> (String, available: Bool) {
        switch entry {
        case .sale: (tr("Vente", "Sale"), true)
        case .returns: (tr("Retour", "Return"), true)
        case .openDrawer: (tr("Ouvrir la caisse (fonds de caisse)", "Open the drawer (float)"), true)
        case .xReport: (tr("Rapport X (chiffres du tiroir)", "X report (drawer figures so far)"), true)
        case .closeDrawer: (tr("Fermer la caisse (comptage, rapport Z)", "Close the drawer (count, Z report)"), true)
        case .stock: (tr("Stock (magasin et entrepôt)", "Stock (store and warehouse)"), true)
        case .restock: (tr("Réassort (demandes, réception)", "Restock (requests, receiving)"), true)
        case .reports: (tr("Rapport des ventes consolidé", "Consolidated sales report"), true)
        case .dashboard: (tr("Tableau de bord des magasins", "Stores dashboard"), true)
        case .approvals: (tr("Demandes de réassort à traiter", "Restock requests to handle"), true)
        case .syncNow: (tr("Synchroniser maintenant", "Sync now"), true)
        case .logout: (tr("Déconnexion", "Log out"), true)
        }
    }

    private func drawMenu(_ g: inout Grid, _ s: MenuState) {
        heading(&g, "Menu")
        for (i, entry) in menuEntries().enumerated() {
            let y = 4 + i
            let (label, available) = menuLabel(entry)
            let selected = i == s.selected
            let style: Style = selected ? .reverse : (available ? .plain : .muted)
            if selected { g.fill(x: 2, y: y, width: 50, style) }
            g.put(" \(i + 1)  " + label + (available ? "" : tr("  (bientôt)", "  (coming)")), x: 2, y: y, style, limit: 50)
        }
    }

    // MARK: - Sale

    /// Subtotal, each tax and the total, right-aligned in rows [y, y + taxes + 2). Always on screen while selling.
    private func totalsBand(_ g: inout Grid, y: Int, lines: [SaleLine]) {
        let totals = SaleTotals(lines: lines, rule: context.taxRule)
        let right = g.width - 2
        let x = right - 34
        var row = y
        func line(_ label: String, _ value: String, _ style: Style = .plain) {
            g.put(label, x: x, y: row, style)
            g.putRight(value, right: right, y: row, style)
            row += 1
        }
        g.put(tr("Articles : ", "Items: ") + String(lines.reduce(0) { $0 + $1.quantity }), x: 2, y: y, .bold)
        line(tr("Sous-total", "Subtotal"), tr.money(totals.subtotal))
        for tax in totals.taxes {
            let rate = context.taxRule.rate(code: tax.code) ?? tax.rate
            line(rate.label(context.language) + " " + rate.percentText(context.language), tr.money(tax.amount))
        }
        line("TOTAL", tr.money(totals.total), .accent)
    }

    func totalsHeight() -> Int { context.taxRule.rates.count + 2 }

    private func cartTable(_ g: inout Grid, lines: [SaleLine], selected: Int?, top: Int, bottom: Int, width: Int) {
        // Narrow (beside the payment panel): no unit price column.
        let showPrice = width >= 60
        let nameWidth = width - 3 - 5 - (showPrice ? 11 : 0) - 11 - 1
        g.put(" # " + tr("Article", "Item").fitted(nameWidth) + tr("  Qté", "  Qty") + (showPrice ? tr("       Prix", "      Price") : "")
              + "      Total", x: 1, y: top, .muted)
        let rows = bottom - top - 1
        guard rows > 0 else { return }
        let first = max(0, (selected ?? 0) - rows + 1)
        for (i, l) in lines.enumerated().dropFirst(first).prefix(rows) {
            let y = top + 1 + i - first
            let style: Style = i == selected ? .reverse : .plain
            let text = String(i + 1).leftPadded(2) + " " + l.name.fitted(nameWidth) + String(l.quantity).leftPadded(5)
                + (showPrice ? tr.money(l.unitPrice).leftPadded(11) : "") + tr.money(l.total).leftPadded(11)
            g.put(text, x: 1, y: y, style, limit: width)
        }
        if lines.count > first + rows { g.putRight("↓ " + String(lines.count - first - rows), right: width, y: bottom - 1, .muted) }
    }

    private func drawSale(_ g: inout Grid, _ s: SaleState) -> Frame.Cursor? {
        let leftWidth = g.width - 2
        let label = tr("Article (code, SKU ou nom) : ", "Item (code, SKU or name): ")
        g.put(label, x: 2, y: 2, .bold)
        let end = g.put(s.input, x: 2 + label.count, y: 2, .plain, limit: leftWidth - label.count - 2)
        let band = g.height - 3 - totalsHeight()
        cartTable(&g, lines: s.cart.lines, selected: s.cart.isEmpty ? nil : s.selectedLine, top: 4, bottom: band - 1, width: leftWidth)
        if s.cart.isEmpty {
            g.put(tr("Scannez un article ou tapez son nom.", "Scan an item or type its name."), x: 4, y: 6, .muted)
        }
        g.put(String(repeating: "─", count: g.width - 2), x: 1, y: band - 1, .muted)
        totalsBand(&g, y: band, lines: s.cart.lines)
        if !s.results.isEmpty {
            let width = leftWidth - 2
            let rows = min(s.results.count, g.height - 8 - totalsHeight())
            g.fill(x: 2, y: 3, width: width, height: rows + 2, .plain)
            g.box(x: 2, y: 3, width: width, height: rows + 2, .accent, title: tr("Résultats", "Results"))
            let first = max(0, s.resultIndex - rows + 1)
            for (i, p) in s.results.enumerated().dropFirst(first).prefix(rows) {
                let y = 4 + i - first
                let style: Style = i == s.resultIndex ? .reverse : .plain
                g.fill(x: 3, y: y, width: width - 2, style)
                let price = tr.money(p.price)
                g.put(p.sku.fitted(10) + " " + p.name, x: 4, y: y, style, limit: width - 5 - price.count - 2)
                g.putRight(price, right: 2 + width - 2, y: y, style)
            }
        }
        switch s.prompt {
        case .quantity(let text):
            let name = s.cart.lines.indices.contains(s.selectedLine) ? s.cart.lines[s.selectedLine].name : ""
            g.fill(y: g.height - 3, .plain)
            let q = tr("Quantité pour \(name) : ", "Quantity for \(name): ")
            g.put(q, x: 1, y: g.height - 3, .accent)
            let e = g.put(text, x: 1 + q.count, y: g.height - 3, .bold)
            return Frame.Cursor(x: e, y: g.height - 3)
        case .confirmVoid:
            g.fill(y: g.height - 3, .plain)
            g.put(tr("Annuler toute la vente ? (o/n)", "Void the whole sale? (y/n)"), x: 1, y: g.height - 3, .warning)
            return nil
        case nil:
            return Frame.Cursor(x: end, y: 2)
        }
    }

    // MARK: - Payment

    private func drawPayment(_ g: inout Grid, _ s: PaymentState) -> Frame.Cursor? {
        let panelWidth = 40
        let leftWidth = g.width - panelWidth - 2
        heading(&g, tr("Paiement", "Payment"))
        cartTable(&g, lines: s.cart.lines, selected: nil, top: 4, bottom: g.height - 3, width: leftWidth)
        let x = g.width - panelWidth - 1
        let p = s.payment
        g.box(x: x, y: 2, width: panelWidth, height: g.height - 5, .accent, title: tr("À payer", "Due"))
        var y = 3
        func line(_ label: String, _ value: String, _ style: Style = .plain) {
            g.put(label, x: x + 2, y: y, style, limit: panelWidth - 4 - value.count - 1)
            g.putRight(value, right: x + panelWidth - 2, y: y, style)
            y += 1
        }
        line("TOTAL", tr.money(p.total), .bold)
        for t in p.tenders {
            if t.kind == .cash {
                line(tr("Comptant reçu ", "Cash given ") + tr.money(t.given ?? t.amount), tr.money(t.amount))
            } else {
                line(tr("Carte ", "Card ") + (t.reference ?? ""), tr.money(t.amount))
            }
        }
        if p.rounding != .zero { line(tr("Arrondi (comptant)", "Cash rounding"), tr.money(p.rounding)) }
        y += 1
        if s.committing {
            line(tr("Enregistrement…", "Saving…"), "", .warning)
            return nil
        }
        line(tr("RESTE À PAYER", "BALANCE DUE"), tr.money(p.remaining), .accent)
        line(tr("En comptant (arrondi)", "In cash (rounded)"), tr.money(p.cashDue), .muted)
        y += 1
        if let cardAmount = s.cardAmount {
            line(tr("Carte pour", "Card for"), tr.money(cardAmount), .bold)
            let label = tr("Référence : ", "Reference: ")
            g.put(label, x: x + 2, y: y)
            let e = g.put(s.cardReference, x: x + 2 + label.count, y: y, .bold, limit: panelWidth - 4 - label.count)
            return Frame.Cursor(x: e, y: y)
        }
        let label = tr("Montant : ", "Amount: ")
        g.put(label, x: x + 2, y: y)
        let e = g.put(s.amount, x: x + 2 + label.count, y: y, .bold)
        g.put(tr("Tapez le comptant reçu, ou un montant", "Type the cash given, or an amount"), x: x + 2, y: y + 2, .muted)
        g.put(tr("puis F7 pour le payer par carte.", "then F7 to pay it by card."), x: x + 2, y: y + 3, .muted)
        return Frame.Cursor(x: e, y: y)
    }

    // MARK: - Receipt after a sale or a refund

    private func drawDone(_ g: inout Grid, _ s: DoneState) {
        let receiptWidth = 46
        let x = g.width - receiptWidth - 1
        let title = s.kind == .sale ? tr("MONNAIE À RENDRE", "CHANGE DUE") : tr("À REMBOURSER", "TO REFUND")
        g.put(title, x: 2, y: 2, .accent)
        for (i, row) in BigText.rows(tr.money(s.amount)).enumerated() {
            g.put(row, x: 2, y: 4 + i, .good, limit: x - 3)
        }
        g.put((s.kind == .sale ? tr("Vente ", "Sale ") : tr("Retour ", "Return ")) + s.receiptNumber + tr(" enregistrée.", " saved."),
              x: 2, y: 11, .bold, limit: x - 3)
        if let path = s.savedTo {
            g.put(tr("Reçu : ", "Receipt: ") + path, x: 2, y: 12, .muted, limit: x - 3)
        }
        if s.kind == .sale {
            g.put(tr("Scannez l'article suivant.", "Scan the next item."), x: 2, y: 14, .muted, limit: x - 3)
        }
        let height = g.height - 5
        g.box(x: x, y: 2, width: receiptWidth, height: height, title: tr("Reçu", "Receipt"))
        for (i, line) in s.receipt.dropFirst(s.scroll).prefix(height - 2).enumerated() {
            g.put(line, x: x + 2, y: 3 + i, .plain, limit: receiptWidth - 4)
        }
    }

    // MARK: - Return

    private func drawReturn(_ g: inout Grid, _ s: ReturnState) -> Frame.Cursor? {
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

    private func drawCount(_ g: inout Grid, _ s: CountState) -> Frame.Cursor? {
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

    private func drawReport(_ g: inout Grid, _ s: ReportState) {
        heading(&g, s.title)
        let rows = g.height - 8
        for (i, line) in s.lines.dropFirst(s.scroll).prefix(rows).enumerated() { g.put(line, x: 4, y: 4 + i) }
        if let path = s.savedTo { g.put(tr("Enregistré : ", "Saved: ") + path, x: 2, y: g.height - 4, .muted) }
    }
}
