import CaisseAPI
import CaisseCore
import ScreenKit

extension AppState {
    /// Head office's list of exceptions: ↑↓, R types what was done, Enter resolves. A quarantined
    /// event (issue 23) is decided instead: A applies it, C applies it dated the day central
    /// received it (a till's clock), V voids it; then what was done, Enter.
    mutating func exceptionsKey(_ key: Key, _ s: inout ApprovalsViewState, _ user: User) -> [Effect] {
        if var note = s.note {
            switch key {
            case .char(let c) where !c.isNewline:
                if note.count < 200 { note.append(c) }
                s.note = note
            case .backspace:
                if !note.isEmpty { note.removeLast() }
                s.note = note
            case .escape:
                s.note = nil
                s.decision = nil
            case .enter:
                let text = note.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty, s.exceptions.indices.contains(s.selected) else {
                    flash = .error(tr("Dites ce qui a été fait (ex. « livraison en double renvoyée »).",
                                      "Say what was done (e.g. “second delivery sent back”)."))
                    return []
                }
                s.note = nil
                defer { s.decision = nil }
                return [.resolveException(id: s.exceptions[s.selected].id, note: text, decision: s.decision, userId: user.id)]
            default: break
            }
            return []
        }
        switch key {
        case .up: s.selected = max(0, s.selected - 1)
        case .down: s.selected = min(max(0, s.exceptions.count - 1), s.selected + 1)
        case .char("r"), .char("R"):
            guard s.exceptions.indices.contains(s.selected) else { break }
            guard s.exceptions[s.selected].quarantined != true else {
                flash = .error(tr("Événement en quarantaine : A l'applique, C le date du jour reçu, V l'annule.",
                                  "A quarantined event: A applies it, C dates it the day received, V voids it."))
                break
            }
            s.note = ""
        case .char(let c) where "aAcCvV".contains(c):
            guard s.exceptions.indices.contains(s.selected), s.exceptions[s.selected].quarantined == true else { break }
            let decision: ExceptionDecision = "aA".contains(c) ? .apply : ("cC".contains(c) ? .correct : .void)
            guard decision != .correct || s.exceptions[s.selected].kind == "clock" else {
                flash = .error(tr("Seule une horloge se corrige : A applique, V annule.", "Only a clock is corrected: A applies, V voids."))
                break
            }
            s.decision = decision
            s.note = ""
        case .tab:
            s.pane = .promotions
            s.selected = 0
            s.loading = true
            return [.loadPromotions(userId: user.id)]
        case .function(5):
            s.loading = true
            return [.loadExceptions(userId: user.id)]
        case .escape:
            screen = .menu(MenuState())
        default: break
        }
        return []
    }

    /// An exception's kind in the till's language.
    func exceptionWord(_ kind: String) -> String {
        switch kind {
        case "restock_already_received": tr("réassort reçu deux fois", "restock received twice")
        case "restock_not_shipped": tr("réception non expédiée", "received, not shipped")
        case "restock_unknown": tr("réassort inconnu", "unknown restock")
        case "negative_stock": tr("stock négatif", "negative stock")
        case "inactive_product": tr("article retiré", "retired product")
        case "price_mismatch": tr("prix différent", "price differs")
        case "inactive_user", "unknown_user": tr("personne inactive", "inactive person")
        case "tax_rate_mismatch": tr("taux de taxe différent", "tax rate differs")
        case "refund_without_approval": tr("remboursement sans gérant", "refund, no manager")
        case "clock": tr("⚠ horloge de la caisse", "⚠ register's clock")
        case "invalid_document": tr("⚠ document incohérent", "⚠ document adds up wrong")
        case "unknown_reference": tr("⚠ référence inconnue", "⚠ unknown reference")
        case "foreign_reference": tr("⚠ autre magasin", "⚠ another store's")
        case "id_taken": tr("⚠ numéro déjà pris", "⚠ id already taken")
        case "storage_refused": tr("⚠ refusé par la base", "⚠ refused by the database")
        case "figures_differ": tr("⚠ montants différents", "⚠ figures differ")
        default: kind
        }
    }
}
