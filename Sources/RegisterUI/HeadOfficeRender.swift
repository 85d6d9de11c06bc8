import CaisseCore
import ScreenKit

extension AppState {
    /// What tills recorded that central disagreed with, for head office to resolve.
    func drawExceptions(_ g: inout Grid, _ s: ApprovalsViewState) {
        g.put(tr(.exceptionsToHandleQuarantinedToDecide), x: 2, y: 2, .accent)
        let kindWidth = 26, whereWidth = 12
        let detailWidth = g.width - 4 - kindWidth - whereWidth
        g.put(tr(.kind).fitted(kindWidth) + tr(.register).fitted(whereWidth) + tr(.detail), x: 2, y: 4, .muted)
        for (i, x) in s.exceptions.enumerated().prefix(g.height - 11) {
            // Central writes the detail in English; a French screen shows what it is about instead.
            let detail = context.language == .en ? x.detail : "réf. " + x.reference
            let text = exceptionWord(x.kind).fitted(kindWidth) + "\(x.registerId)#\(x.sequence)".fitted(whereWidth) + detail.fitted(detailWidth)
            g.put(text, x: 2, y: 5 + i, i == s.selected ? .reverse : .plain)
        }
        if s.exceptions.isEmpty {
            g.put(s.loading ? tr(.loading) : tr(.noOpenException), x: 4, y: 5, .muted)
        }
        if let note = s.note {
            let decided: String
            switch s.decision {
            case .apply?: decided = tr(.apply)
            case .correct?: decided = tr(.dateItTheDayReceived)
            case .void?: decided = tr(.void)
            case nil: decided = ""
            }
            let label = decided + tr(.whatWasDone)
            g.put(label, x: 2, y: g.height - 5)
            g.put(note, x: 2 + label.count, y: g.height - 5, .bold, limit: g.width - 4 - label.count)
        }
    }
}

extension AppState {
    /// Head office's promotions, and the form of a new one.
    func drawPromotions(_ g: inout Grid, _ s: ApprovalsViewState) {
        g.put(tr(.theChainPromotions), x: 2, y: 2, .accent)
        let nameWidth = g.width - 4 - 5 - 18 - 24 - 8
        g.put("#".fitted(5) + tr(.name).fitted(nameWidth) + tr(.offer).fitted(18) + tr(.fromTo).fitted(24)
              + tr(.state), x: 2, y: 4, .muted)
        for (i, p) in s.promotions.enumerated().prefix(g.height - 11) {
            // From the promotion's own days and hours, not this till's synced list (issue 28: one starting
            // today showed "planned" until the next pull).
            let moment = Clock.moment(now, context.store.timeZone)
            let runs = p.storeIds.isEmpty ? p.runs(storeId: context.store.id, at: moment) : p.storeIds.contains { p.runs(storeId: $0, at: moment) }
            let state = !p.active || p.endDay < moment.day ? tr(.ended) : (runs ? tr(.running) : tr(.planned))
            let text = String(p.id).fitted(5) + p.name.fitted(nameWidth) + promotionFigures(p).fitted(18)
                + (p.startDay.iso + " … " + p.endDay.iso).fitted(24) + state
            g.put(text, x: 2, y: 5 + i, i == s.selected && s.form == nil ? .reverse : .plain, limit: g.width - 4)
        }
        if s.promotions.isEmpty {
            g.put(s.loading ? tr(.loading) : tr(.noPromotionNCreatesOne), x: 4, y: 5, .muted)
        }
        guard let form = s.form else { return }
        let width = min(g.width - 4, 70), x = (g.width - width) / 2, top = 6
        g.fill(x: x, y: top, width: width, height: 10, .plain)
        g.box(x: x, y: top, width: width, height: 10, .accent, title: tr(.newPromotionEveryStore))
        let rows: [(PromotionForm.Field, String, String)] = [
            (.name, tr(.name), form.name),
            (.kind, tr(.kindSpace), kindName(form.kind)),
            (.value, tr(.value), form.value),
            (.target, tr(.itemsCategory), form.target),
            (.from, tr(.from), form.from),
            (.to, tr(.to), form.to),
        ]
        for (i, row) in rows.enumerated() {
            let y = top + 1 + i
            g.put(row.1.fitted(20), x: x + 2, y: y, row.0 == form.field ? .bold : .muted)
            g.put(row.2, x: x + 23, y: y, row.0 == form.field ? .reverse : .plain, limit: width - 25)
        }
        let hint: String = switch form.field {
        case .value: valueHint(form.kind)
        case .target: tr(.skusSeparatedByCommasCaf0001)
        case .from, .to: tr(.yyyyMmDd)
        default: ""
        }
        g.put(hint, x: x + 2, y: top + 8, .muted, limit: width - 4)
    }
}
