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
        case .orders(let s): drawOrders(&g, s)
        }
        if let flash {
            g.fill(y: g.height - 3, .plain)
            g.put(flash.text, x: 1, y: g.height - 3, flash.kind == .error ? .error : .good)
        }
        if keysShown {
            drawAllKeys(&g)
            cursor = nil
        }
        helpLine(&g)
        statusBar(&g)
        return Frame(grid: g, cursor: cursor)
    }

    // MARK: - Chrome

    func titleBar(_ g: inout Grid) {
        g.fill(y: 0, .bar)
        var right = Clock.time(now, context.store.timeZone) + " "
        if let user { right = "\(user.displayName) (\(tr.role(user.role))) · " + right }
        // The chain's name goes first when the bar is short: a name cut mid-word ("cafés-boul…")
        // says less than none (issue 28, item 16); the store and register always stay.
        let room = g.width - right.count - 1
        var left = " \(context.store.name) · \(tr("caisse", "register")) \(context.registerId)"
        if left.count + 3 + context.chainName.count < room { left += " · " + context.chainName }
        g.put(left.fitted(room), x: 0, y: 0, .bar)
        g.putRight(right, right: g.width, y: 0, .bar)
    }

    func statusBar(_ g: inout Grid) {
        let y = g.height - 1
        g.fill(y: y, .bar)
        var parts: [String] = []
        if sync.damaged {
            parts.append(tr("✖ Base endommagée : cessez de vendre", "✖ Database damaged: stop selling"))
        } else if !sync.enrolled {
            parts.append(tr("Caisse autonome (non inscrite)", "Stand-alone register (not enrolled)"))
        } else if sync.refusal != nil {
            parts.append(tr("⚠ Refusé par le central : appelez le siège", "⚠ Refused by central: call head office"))
            parts.append(tr("\(sync.pending) à envoyer", "\(sync.pending) to send"))
        } else {
            switch sync.online {
            case .some(true): parts.append(tr("● En ligne", "● Online"))
            case .some(false): parts.append(tr("○ Hors ligne", "○ Offline"))
            case .none: parts.append(tr("… Connexion", "… Connecting"))
            }
            parts.append(tr("\(sync.pending) à envoyer", "\(sync.pending) to send"))
            if let skew = sync.clockSkewSeconds, abs(skew) > ClockSkew.tolerance {
                // In place of the last sync's time, which this clock cannot tell right.
                parts.append(tr("⚠ horloge ", "⚠ clock ") + ClockSkew.describe(skew, tr.language))
            } else {
                parts.append(tr("synchro ", "synced ") + (sync.lastSuccess.map { Clock.time($0, context.store.timeZone) } ?? tr("jamais", "never")))
            }
        }
        if let printer {
            // A receipt waits: the cashier hands the customer nothing until it prints (F9 reprints).
            let count = " (\(printer.waiting))"
            switch printer.problem {
            case .paperOut?: parts.append(tr("⚠ plus de papier", "⚠ out of paper") + count)
            case .offline?: parts.append(tr("⚠ imprimante hors ligne", "⚠ printer offline") + count)
            case nil: parts.append(tr("à imprimer", "to print") + count)
            }
        }
        // The float gives way to the printer's state: both do not fit in 80 columns.
        if let drawer, printer == nil { parts.append(tr("tiroir ouvert, fonds ", "drawer open, float ") + tr.money(drawer.float)) }
        else if drawer != nil { parts.append(tr("tiroir ouvert", "drawer open")) }
        else if user != nil { parts.append(tr("tiroir fermé", "drawer closed")) }
        g.put(" " + parts.joined(separator: " │ "), x: 0, y: y, .bar)
    }

    /// The keys of the screen, in order; when they do not all fit, those that do and "F1" for
    /// the list of every one (issue 28, item 10: the bar left out keys that worked).
    func helpLine(_ g: inout Grid) {
        let y = g.height - 2
        let keys = help()
        func width(_ entries: ArraySlice<(String, String)>) -> Int {
            entries.reduce(1) { $0 + $1.0.count + $1.1.count + 3 }
        }
        var shown = keys[...]
        if width(shown) > g.width, !screenTakesF1 {
            // The way out (Esc) stays; the others in their order, as many as fit before F1.
            let esc = tr("Échap", "Esc")
            let out = keys.last { $0.0 == esc }
            var tail: [(String, String)] = (out.map { [$0] } ?? []) + [(Self.allKeysKey, tr("Touches", "Keys"))]
            shown = keys.filter { $0.0 != esc }[...]
            while !shown.isEmpty, width(shown) + width(tail[...]) - 1 > g.width { shown = shown.dropLast() }
            tail.insert(contentsOf: shown, at: 0)
            shown = tail[...]
        }
        var x = 1
        for (key, label) in shown {
            if x + key.count + label.count + 1 > g.width { break }
            x = g.put(key, x: x, y: y, .accent)
            x = g.put(" " + label + "  ", x: x, y: y, .plain)
        }
    }

    static let allKeysKey = "F1"

    /// F1's box: every key of the screen, two columns when they need them.
    func drawAllKeys(_ g: inout Grid) {
        let keys = help()
        let keyWidth = keys.map(\.0.count).max() ?? 0
        let cell = min(37, keyWidth + 2 + (keys.map(\.1.count).max() ?? 0))
        let columns = keys.count > 8 ? 2 : 1
        let rows = (keys.count + columns - 1) / columns
        let width = min(g.width - 4, columns * (cell + 2) + 2), height = rows + 4
        let x = (g.width - width) / 2, y = max(2, (g.height - height) / 2 - 1)
        g.fill(x: x, y: y, width: width, height: height, .plain)   // nothing of the screen shows through
        g.box(x: x, y: y, width: width, height: height, .accent, title: tr("Touches de cet écran", "This screen's keys"))
        for (i, (key, label)) in keys.enumerated() {
            let cx = x + 2 + (i / rows) * (cell + 2), cy = y + 2 + i % rows
            let after = g.put(key, x: cx, y: cy, .accent)
            g.put(String(label.prefix(max(0, cell - keyWidth - 2))), x: max(after + 1, cx + keyWidth + 2), y: cy, .plain)
        }
        g.put(tr("Une touche pour fermer", "Any key to close"), x: x + 2, y: y + height - 1, .muted)
    }

    func help() -> [(String, String)] {
        let esc = tr("Échap", "Esc")
        let enter = tr("Entrée", "Enter")
        switch screen {
        case .login(let s):
            if s.pinFor != nil { return [(enter, tr("Valider", "Confirm")), (esc, tr("Retour", "Back"))] }
            return [("↑↓", tr("Choisir", "Choose")), (enter, tr("NIP", "PIN")), (esc, tr("Effacer", "Clear"))]
        case .menu(let s):
            if s.noSale != nil { return [("↑↓", tr("Gérant", "Manager")), (enter, tr("Approuver", "Approve")), (esc, tr("Annuler", "Cancel"))] }
            return [("↑↓ 0-9", tr("Choisir", "Choose")), (enter, tr("Ouvrir", "Open")), (esc, tr("Déconnexion", "Log out")), ("Ctrl-C", tr("Quitter", "Quit"))]
        case .sale(let s):
            if s.prompt == .confirmVoid { return [(enter, tr("Annuler la vente", "Void the sale")), (esc, tr("Garder la vente", "Keep the sale"))] }
            if case .discount(let d) = s.prompt {
                if d.reason != nil { return [("↑↓", tr("Gérant", "Manager")), (enter, tr("Approuver", "Approve")), (esc, tr("Annuler", "Cancel"))] }
                if d.rule != nil { return [("1-6", tr("Raison", "Reason")), (esc, tr("Retour", "Back"))] }
                return [("Tab", tr("Choix", "Choice")), (enter, tr("Raison", "Reason")), ("F3", tr("Retirer", "Remove")), (esc, tr("Annuler", "Cancel"))]
            }
            if s.prompt != nil { return [(enter, tr("Valider", "Confirm")), (esc, tr("Retour", "Back"))] }
            if s.parked != nil { return [("↑↓", tr("Choisir", "Choose")), (enter, tr("Reprendre", "Recall")), (esc, tr("Retour", "Back"))] }
            if s.quickPane {
                return [("1-9 0", tr("Ajouter", "Add")), ("+/-", tr("Qté", "Qty")), ("F6", tr("Payer", "Pay")), ("Tab", tr("Scanner", "Scan"))]
            }
            if !s.results.isEmpty {
                return [("↑↓", tr("Choisir", "Choose")), (enter, tr("Ajouter", "Add")), ("PgDn PgUp", tr("Page", "Page")), (esc, tr("Effacer", "Clear"))]
            }
            if s.cart.isEmpty {
                return [("Tab", tr("Touches rapides", "Quick keys")), ("F9", tr("Ventes en attente", "Parked sales")),
                        ("F11", tr("Client", "Customer")), (esc, "Menu")]
            }
            // The most used first: what does not fit is under F1.
            return [("F6", tr("Payer", "Pay")), ("F5", tr("Exact", "Exact")), ("+/-", tr("Qté", "Qty")), ("%", tr("Remise", "Discount")),
                    ("F3", tr("Ôter", "Remove")), ("F4", tr("Annuler la vente", "Void the sale")), ("F7", tr("Payer par carte", "Pay by card")),
                    ("F2", tr("Quantité de la ligne", "Line quantity")), ("↑↓", tr("Ligne", "Line")), ("F8", tr("Mettre en attente", "Park")),
                    ("Tab", tr("Touches rapides", "Quick keys")), ("F11", tr("Client", "Customer")),
                    ("F12", tr("Récompense fidélité", "Loyalty reward")), (esc, tr("Effacer la saisie", "Clear typing"))]
        case .payment(let s):
            if s.cardAmount != nil { return [(enter, tr("Valider la carte", "Confirm card")), (esc, tr("Retour", "Back"))] }
            // Short enough that Esc still shows at 80 columns in French (issue 28).
            return [(enter, tr("Comptant", "Cash given")), ("F1-F4", tr("Billet", "Bill")), ("F5", tr("Exact", "Exact cash")),
                    ("F7", tr("Carte", "Card")), (esc, s.payment.tenders.isEmpty ? tr("Retour", "Back") : tr("Retirer le dernier", "Undo last"))]
        case .done:
            return [(enter, tr("Suivant", "Next")), ("↑↓", tr("Défiler", "Scroll")), (esc, "Menu")]
        case .returns(let s):
            if s.sale == nil { return [("↑↓", tr("Vente", "Sale")), (enter, tr("Retourner", "Return")), ("F9", tr("Réimprimer", "Reprint")), (esc, "Menu")] }
            if s.approval != nil { return [("↑↓", tr("Gérant", "Manager")), (enter, tr("Approuver", "Approve")), (esc, tr("Annuler", "Cancel"))] }
            if s.cardAmountEntry { return [(enter, tr("Valider la carte", "Confirm card")), (esc, tr("Retour", "Back"))] }
            return [("↑↓", tr("Ligne", "Line")), ("+/- 0-9", tr("Qté", "Qty")), (enter, tr("Rembourser", "Refund")),
                    ("F5", tr("Comptant", "Cash")), ("F7", tr("Carte", "Card")), (esc, tr("Autre reçu", "Other receipt")),
                    ("F9", tr("Réimprimer", "Reprint"))]
        case .count(let s):
            if s.confirming { return [(enter, tr("Fermer la caisse avec ce compte", "Close the drawer with this count"))] }
            if s.purpose == .closeCount {
                return [("0-9", tr("Nombre", "Pieces")), (enter + " ↓↑", tr("Ligne", "Row")), ("F5", tr("Compté", "Counted")), (esc, "Menu")]
            }
            return [(enter, tr("Valider", "Confirm")), (esc, "Menu")]
        case .report:
            return [("↑↓ PgUp PgDn", tr("Défiler", "Scroll")), (enter, "Menu")]
        case .stock(let s):
            if let c = s.counting {
                if c.manager != nil { return [("↑↓", tr("Gérant", "Manager")), (enter, tr("Approuver", "Approve")), (esc, tr("Annuler", "Cancel"))] }
                if c.count == nil { return [(enter, tr("Commencer", "Start")), (esc, tr("Fermer", "Close"))] }
                return [(enter, tr("Compter", "Count")), ("F5", tr("Confirmer", "Confirm")), ("F3", tr("Abandonner", "Drop")), (esc, tr("Plus tard", "Later"))]
            }
            if let t = s.transfers {
                switch t.prompt {
                case .ship?: return [(enter, tr("Expédier", "Ship")), (esc, tr("Annuler", "Cancel"))]
                case .receive?: return [("Tab", tr("Bon état/abîmées", "Good/damaged")), (enter, tr("Recevoir", "Receive")), (esc, tr("Annuler", "Cancel"))]
                case .new?: return [("Tab", tr("Magasin", "Store")), (enter, tr("Valider", "Confirm")), (esc, tr("Annuler", "Cancel"))]
                case nil: break
                }
                return [("↑↓", tr("Transfert", "Transfer")), (enter, tr("Expédier/recevoir", "Ship/receive")), ("F6", tr("Envoyer", "Send")),
                        ("F7", tr("Demander", "Ask")), (esc, tr("Fermer", "Close"))]
            }
            if let w = s.waste {
                if w.manager != nil { return [("↑↓", tr("Gérant", "Manager")), (enter, tr("Approuver", "Approve")), (esc, tr("Annuler", "Cancel"))] }
                return [("↑↓ PgDn", tr("Ligne", "Line")), ("0-9", tr("Jetés", "Thrown")), ("F5", tr("Déclarer", "Declare")), ("*", tr("Tout", "All")),
                        ("F4", tr("Tout jeter", "All lines")), (esc, tr("Fermer", "Close")), (tr("Lettres", "Letters"), tr("Trouver", "Find"))]
            }
            if s.adjust?.manager != nil { return [("↑↓", tr("Gérant", "Manager")), (enter, tr("Approuver", "Approve")), (esc, tr("Annuler", "Cancel"))] }
            if s.adjust?.typingNote == true { return [(enter, tr("Enregistrer", "Record")), (esc, tr("Retour aux unités", "Back to the units"))] }
            if s.adjust != nil { return [("Tab", tr("Raison", "Reason")), (enter, tr("Suivant", "Next")), (esc, tr("Annuler", "Cancel"))] }
            // Letters search (the screen says "Recherche"): the keys are what the help line has room for.
            return [(tr("Tab", "Tab"), tr("Filtre", "Filter")), ("F5", tr("Central", "Central")), ("F6", tr("Ajuster", "Adjust")),
                    ("F7", tr("Invendus", "Unsold")), ("F8", tr("Inventaire", "Count")), ("F9", tr("Transferts", "Transfers")), (esc, "Menu"),
                    ("↑↓ PgUp PgDn", tr("Article", "Item")), (tr("Lettres", "Letters"), tr("Rechercher", "Search"))]
        case .restock(let s):
            if s.pane == .suggestions {
                return [("Tab", tr("Demandes", "Requests")), (tr("Espace", "Space"), tr("Cocher", "Tick")), ("+/-", tr("Qté", "Qty")),
                        ("F5", tr("Demander", "Request")), (esc, "Menu")]
            }
            return [("Tab", tr("Suggestions", "Suggestions")), ("↑↓", tr("Demande", "Request")), ("F6", tr("Recevoir", "Receive")), (esc, "Menu")]
        case .salesReport(let s):
            if s.editingCustom { return [(enter, tr("Valider", "Confirm")), (esc, tr("Retour", "Back"))] }
            return [("1", tr("Aujourd'hui", "Today")), ("2", tr("7 jours", "7 days")), ("3", tr("30 jours", "30 days")),
                    ("4", tr("Dates", "Dates")), ("F5", tr("Export CSV", "CSV export")), (esc, "Menu"),
                    ("↑↓ PgUp PgDn", tr("Défiler", "Scroll"))]
        case .dashboard:
            return [("Tab", tr("Période", "Period")), ("F5", tr("Actualiser", "Refresh")), (esc, "Menu")]
        case .approvals(let s) where s.pane == .exceptions:
            if s.note != nil { return [(enter, tr("Valider", "Confirm")), (esc, tr("Retour", "Back"))] }
            if s.exceptions.indices.contains(s.selected), s.exceptions[s.selected].quarantined == true {
                return [("↑↓", ""), ("A", tr("Appliquer", "Apply")), ("C", tr("Dater", "Date")), ("V", tr("Annuler", "Void")),
                        ("Tab", tr("Promos", "Promos")), ("F5", tr("Actualiser", "Refresh")), (esc, "Menu")]
            }
            return [("↑↓", tr("Exception", "Exception")), ("R", tr("Résoudre", "Resolve")), ("Tab", tr("Promotions", "Promotions")),
                    ("F5", tr("Actualiser", "Refresh")), (esc, "Menu")]
        case .approvals(let s) where s.pane == .promotions:
            if s.form != nil {
                return [("↑↓", tr("Champ", "Field")), (enter, tr("Suivant", "Next")), ("F5", tr("Créer", "Create")), (esc, tr("Annuler", "Cancel"))]
            }
            return [("N", tr("Nouvelle", "New")), ("E", tr("Terminer", "End")), ("Tab", tr("Demandes", "Requests")),
                    ("F5", tr("Actualiser", "Refresh")), (esc, "Menu")]
        case .approvals:
            return [("A", tr("Approuver", "Approve")), ("R", tr("Refuser", "Reject")), ("S", tr("Expédier", "Ship")),
                    ("Tab", tr("Exceptions", "Exceptions")), ("F5", tr("Actualiser", "Refresh")), (esc, "Menu")]
        case .orders:
            return ordersKeyBar()
        }
    }

    func heading(_ g: inout Grid, _ text: String) {
        g.put(text, x: 2, y: 2, .accent)
    }

    // MARK: - Login

    func drawLogin(_ g: inout Grid, _ s: LoginState) -> Frame.Cursor? {
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
        case .noSale: (tr("Ouvrir le tiroir sans vente (gérant)", "Open the drawer, no sale (manager)"), true)
        case .stock: (tr("Stock (magasin et entrepôt)", "Stock (store and warehouse)"), true)
        case .restock: (tr("Réassort (demandes, réception)", "Restock (requests, receiving)"), true)
        case .reports: (tr("Rapport des ventes consolidé", "Consolidated sales report"), true)
        case .dashboard: (tr("Tableau de bord des magasins", "Stores dashboard"), true)
        case .approvals: (tr("Réassort et exceptions (siège)", "Restock and exceptions (head office)"), true)
        case .orders: (tr("Commandes web à emporter", "Web orders for pickup"), true)
        case .syncNow: (tr("Synchroniser maintenant", "Sync now"), true)
        case .logout: (tr("Déconnexion", "Log out"), true)
        }
    }

    func drawMenu(_ g: inout Grid, _ s: MenuState) {
        heading(&g, "Menu")
        for (i, entry) in menuEntries().enumerated() {
            let y = 4 + i
            let (label, available) = menuLabel(entry)
            let selected = i == s.selected
            let style: Style = selected ? .reverse : (available ? .plain : .muted)
            if selected { g.fill(x: 2, y: y, width: 50, style) }
            let key = Self.menuKey(entry).map(String.init) ?? tr("Échap", "Esc")
            g.put(" " + key.fitted(5) + " " + label + (available ? "" : tr("  (bientôt)", "  (coming)")), x: 2, y: y, style, limit: 50)
        }
        if let prompt = s.noSale { drawNoSalePrompt(&g, prompt) }
    }

    /// A manager's PIN before the drawer opens with no sale.
    func drawNoSalePrompt(_ g: inout Grid, _ prompt: ManagerPIN) {
        let managers = storeManagers
        let width = min(g.width - 4, 60), x = (g.width - width) / 2, top = 6
        let height = 7 + min(managers.count, 4)
        g.fill(x: x, y: top, width: width, height: height, .plain)
        g.box(x: x, y: top, width: width, height: height, .accent, title: tr("Ouvrir le tiroir sans vente", "Open the drawer, no sale"))
        g.put(tr("Un gérant l'approuve ; le rapport Z le compte.", "A manager approves it; the Z report counts it."),
              x: x + 2, y: top + 1, .warning, limit: width - 4)
        for (i, m) in managers.prefix(4).enumerated() {
            g.put((i == prompt.selected ? "▸ " : "  ") + m.displayName + " (" + tr.role(m.role) + ")", x: x + 2, y: top + 3 + i,
                  i == prompt.selected ? .reverse : .plain, limit: width - 4)
        }
        let label = tr("NIP du gérant : ", "Manager's PIN: ")
        let py = top + 4 + min(managers.count, 4)
        g.put(label, x: x + 2, y: py)
        g.put(String(repeating: "•", count: prompt.pin.count), x: x + 2 + label.count, y: py, .bold)
    }

}
