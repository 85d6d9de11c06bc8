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
                    flash = .error(tr(.sayWhatWasDoneEG))
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
                flash = .error(tr(.aQuarantinedEventAAppliesIt))
                break
            }
            s.note = ""
        case .char(let c) where "aAcCvV".contains(c):
            guard s.exceptions.indices.contains(s.selected), s.exceptions[s.selected].quarantined == true else { break }
            let decision: ExceptionDecision = "aA".contains(c) ? .apply : ("cC".contains(c) ? .correct : .void)
            guard decision != .correct || s.exceptions[s.selected].kind == "clock" else {
                flash = .error(tr(.onlyAClockIsCorrectedA))
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
        case "restock_already_received": tr(.restockReceivedTwice)
        case "restock_not_shipped": tr(.receivedNotShipped)
        case "restock_unknown": tr(.unknownRestock)
        case "negative_stock": tr(.negativeStock)
        case "inactive_product": tr(.retiredProduct)
        case "price_mismatch": tr(.priceDiffers)
        case "inactive_user", "unknown_user": tr(.inactivePerson)
        case "tax_rate_mismatch": tr(.taxRateDiffers)
        case "refund_without_approval": tr(.refundNoManager)
        case "clock": tr(.registerClock)
        case "invalid_document": tr(.documentAddsUpWrong)
        case "unknown_reference": tr(.unknownReference)
        case "foreign_reference": tr(.anotherStore)
        case "id_taken": tr(.idAlreadyTaken)
        case "storage_refused": tr(.refusedByTheDatabase)
        case "figures_differ": tr(.figuresDiffer)
        default: kind
        }
    }
}
