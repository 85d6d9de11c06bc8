import CaisseCore
import ScreenKit

extension AppState {
    // MARK: - Return

    mutating func returnKey(_ key: Key, _ s: inout ReturnState) -> [Effect] {
        guard let user, !s.committing else { return [] }
        guard let sale = s.sale else {
            switch key {
            case .char(let c) where !c.isNewline:
                if s.receiptInput.count < 32 { s.receiptInput.append(c) }
            case .backspace:
                if !s.receiptInput.isEmpty { s.receiptInput.removeLast() }
            case .enter:
                let number = s.receiptInput.trimmingCharacters(in: .whitespaces).uppercased()
                if !number.isEmpty { return [.findSale(receiptNumber: number)] }
            case .escape:
                screen = .menu(MenuState())
            default: break
            }
            return []
        }
        if s.cardAmountEntry {
            if s.cardReference.type(key, maxLength: PaymentState.cardReferenceLength) { return [] }
            switch key {
            case .escape:
                s.cardAmountEntry = false
            case .enter:
                return refund(&s, sale, .card, user)
            default: break
            }
            return []
        }
        let line = sale.lines.indices.contains(s.selected) ? sale.lines[s.selected] : nil
        switch key {
        case .up: s.selected = max(0, s.selected - 1)
        case .down: s.selected = min(sale.lines.count - 1, s.selected + 1)
        case .char(let c):
            guard let line else { break }
            let left = line.quantity - s.alreadyReturned[line.lineNo, default: 0]
            var q = s.quantities[line.lineNo, default: 0]
            if c == "+" { q += 1 } else if c == "-" { q -= 1 } else if let n = c.wholeNumberValue { q = n } else { break }
            if q > left {
                flash = .error(tr("\(line.name) : \(left) au plus (vendu \(line.quantity), déjà retourné \(line.quantity - left)).",
                                  "\(line.name): at most \(left) (sold \(line.quantity), already returned \(line.quantity - left))."))
                q = left
            }
            s.quantities[line.lineNo] = max(0, q)
        case .function(5):
            return refund(&s, sale, .cash, user)
        case .function(7):
            if s.requested.isEmpty { flash = .error(tr("Choisissez les quantités à retourner.", "Choose the quantities to return.")) }
            else { s.cardAmountEntry = true }
        case .escape:
            // Assign the screen's own state: `handle` writes `s` back to the screen.
            s = ReturnState()
        default: break
        }
        return []
    }

    mutating func refund(_ s: inout ReturnState, _ sale: Sale, _ kind: TenderKind, _ user: User) -> [Effect] {
        let lines = s.requested
        guard !lines.isEmpty else {
            flash = .error(tr("Choisissez les quantités à retourner.", "Choose the quantities to return."))
            return []
        }
        s.committing = true
        return [.commitReturn(receiptNumber: sale.receiptNumber, lines: lines, kind: kind,
                              cardReference: kind == .card ? s.cardReference : nil, cashierId: user.id)]
    }

    // MARK: - Drawer: opening float, closing count

    mutating func countKey(_ key: Key, _ s: inout CountState) -> [Effect] {
        guard let user else { return [] }
        switch key {
        case .char(let c) where c.isASCII && (c.isNumber || c == "," || c == "."):
            if s.amount.count < 10 { s.amount.append(c) }
        case .backspace:
            if !s.amount.isEmpty { s.amount.removeLast() }
        case .escape:
            screen = .menu(MenuState())
        case .enter:
            guard let amount = s.amount.isEmpty ? nil : Money.typed(s.amount) else {
                flash = .error(tr("Entrez le montant compté (ex. 150,00).", "Enter the counted amount (e.g. 150.00)."))
                return []
            }
            switch s.purpose {
            case .openFloat: return [.openDrawer(float: amount, by: user.id)]
            case .closeCount: return [.closeDrawer(counted: amount, by: user.id)]
            }
        default: break
        }
        return []
    }

    mutating func reportKey(_ key: Key, _ s: inout ReportState) -> [Effect] {
        switch key {
        case .up: s.scroll = max(0, s.scroll - 1)
        case .down: s.scroll = min(max(0, s.lines.count - 1), s.scroll + 1)
        case .pageUp: s.scroll = max(0, s.scroll - 10)
        case .pageDown: s.scroll = min(max(0, s.lines.count - 1), s.scroll + 10)
        case .enter, .escape: screen = .menu(MenuState())
        default: break
        }
        return []
    }
}
