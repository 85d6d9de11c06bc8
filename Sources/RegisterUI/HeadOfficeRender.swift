import CaisseCore
import ScreenKit

extension AppState {
    /// What tills recorded that central disagreed with, for head office to resolve.
    func drawExceptions(_ g: inout Grid, _ s: ApprovalsViewState) {
        g.put(tr("Exceptions à traiter (⚠ : en quarantaine, à décider)", "Exceptions to handle (⚠: quarantined, to decide)"), x: 2, y: 2, .accent)
        let kindWidth = 26, whereWidth = 12
        let detailWidth = g.width - 4 - kindWidth - whereWidth
        g.put(tr("Genre", "Kind").fitted(kindWidth) + tr("Caisse", "Register").fitted(whereWidth) + tr("Objet", "Detail"), x: 2, y: 4, .muted)
        for (i, x) in s.exceptions.enumerated().prefix(g.height - 11) {
            // Central writes the detail in English; a French screen shows what it is about instead.
            let detail = context.language == .en ? x.detail : "réf. " + x.reference
            let text = exceptionWord(x.kind).fitted(kindWidth) + "\(x.registerId)#\(x.sequence)".fitted(whereWidth) + detail.fitted(detailWidth)
            g.put(text, x: 2, y: 5 + i, i == s.selected ? .reverse : .plain)
        }
        if s.exceptions.isEmpty {
            g.put(s.loading ? tr("Chargement…", "Loading…") : tr("Aucune exception ouverte.", "No open exception."), x: 4, y: 5, .muted)
        }
        if let note = s.note {
            let decided: String
            switch s.decision {
            case .apply?: decided = tr("Appliquer · ", "Apply · ")
            case .correct?: decided = tr("Dater du jour reçu · ", "Date it the day received · ")
            case .void?: decided = tr("Annuler · ", "Void · ")
            case nil: decided = ""
            }
            let label = decided + tr("ce qui a été fait : ", "what was done: ")
            g.put(label, x: 2, y: g.height - 5)
            g.put(note, x: 2 + label.count, y: g.height - 5, .bold, limit: g.width - 4 - label.count)
        }
    }
}

extension AppState {
    /// Head office's promotions, and the form of a new one.
    func drawPromotions(_ g: inout Grid, _ s: ApprovalsViewState) {
        g.put(tr("Promotions de la chaîne", "The chain's promotions"), x: 2, y: 2, .accent)
        let nameWidth = g.width - 4 - 5 - 18 - 24 - 8
        g.put("#".fitted(5) + tr("Nom", "Name").fitted(nameWidth) + tr("Offre", "Offer").fitted(18) + tr("Du … au", "From … to").fitted(24)
              + tr("État", "State"), x: 2, y: 4, .muted)
        for (i, p) in s.promotions.enumerated().prefix(g.height - 11) {
            // From the promotion's own days and hours, not this till's synced list (issue 28: one starting
            // today showed "planned" until the next pull).
            let moment = Clock.moment(now, context.store.timeZone)
            let runs = p.storeIds.isEmpty ? p.runs(storeId: context.store.id, at: moment) : p.storeIds.contains { p.runs(storeId: $0, at: moment) }
            let state = !p.active || p.endDay < moment.day ? tr("terminée", "ended") : (runs ? tr("en cours", "running") : tr("prévue", "planned"))
            let text = String(p.id).fitted(5) + p.name.fitted(nameWidth) + promotionFigures(p).fitted(18)
                + (p.startDay.iso + " … " + p.endDay.iso).fitted(24) + state
            g.put(text, x: 2, y: 5 + i, i == s.selected && s.form == nil ? .reverse : .plain, limit: g.width - 4)
        }
        if s.promotions.isEmpty {
            g.put(s.loading ? tr("Chargement…", "Loading…") : tr("Aucune promotion : N en crée une.", "No promotion: N creates one."), x: 4, y: 5, .muted)
        }
        guard let form = s.form else { return }
        let width = min(g.width - 4, 70), x = (g.width - width) / 2, top = 6
        g.fill(x: x, y: top, width: width, height: 10, .plain)
        g.box(x: x, y: top, width: width, height: 10, .accent, title: tr("Nouvelle promotion (toutes les succursales)", "New promotion (every store)"))
        let rows: [(PromotionForm.Field, String, String)] = [
            (.name, tr("Nom", "Name"), form.name),
            (.kind, tr("Type (Espace)", "Kind (Space)"), kindName(form.kind)),
            (.value, tr("Valeur", "Value"), form.value),
            (.target, tr("Articles/catégorie", "Items/category"), form.target),
            (.from, tr("Du", "From"), form.from),
            (.to, tr("Au", "To"), form.to),
        ]
        for (i, row) in rows.enumerated() {
            let y = top + 1 + i
            g.put(row.1.fitted(20), x: x + 2, y: y, row.0 == form.field ? .bold : .muted)
            g.put(row.2, x: x + 23, y: y, row.0 == form.field ? .reverse : .plain, limit: width - 25)
        }
        let hint: String = switch form.field {
        case .value: valueHint(form.kind)
        case .target: tr("SKU séparés par des virgules (CAF-0001, BEI-0001) ou une catégorie", "SKUs separated by commas (CAF-0001, BEI-0001) or a category")
        case .from, .to: tr("AAAA-MM-JJ", "YYYY-MM-DD")
        default: ""
        }
        g.put(hint, x: x + 2, y: top + 8, .muted, limit: width - 4)
    }
}
