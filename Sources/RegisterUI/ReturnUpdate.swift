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
                var number = s.receiptInput.trimmingCharacters(in: .whitespaces).uppercased()
                // The last digits are enough for this register's own receipts: 3 is CV-1-000003.
                if (1...6).contains(number.count), number.allSatisfy(\.isNumber) {
                    number = context.registerId + "-" + String(repeating: "0", count: 6 - number.count) + number
                }
                if !number.isEmpty { return [.findSale(receiptNumber: number)] }
            case .escape:
                screen = .menu(MenuState())
            default: break
            }
            return []
        }
        if s.approval != nil { return approvalKey(key, &s, sale, user) }
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
        case .enter:
            // Back to the original tender by default: the card it was paid with, else cash.
            if RefundApproval.defaultKind(for: sale) == .card {
                if s.requested.isEmpty { flash = .error(tr("Choisissez les quantités à retourner.", "Choose the quantities to return.")) }
                else {
                    s.cardReference = sale.tenders.first { $0.kind == .card }?.reference ?? ""
                    s.cardAmountEntry = true
                }
                return []
            }
            return refund(&s, sale, .cash, user)
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
        let amount = (try? Refund(original: sale, alreadyReturned: s.alreadyReturned, requested: lines).total) ?? .zero
        if !user.role.allows(.manager),
           let reason = RefundApproval.needed(original: sale, kind: kind, amount: amount, cashRefunded: s.cashRefunded) {
            guard !storeManagers.isEmpty else {
                flash = .error(tr("Il faut un gérant pour ce remboursement, et aucun n'est inscrit à ce magasin.",
                                  "This refund needs a manager, and none is registered at this store."))
                return []
            }
            s.approval = ApprovalPrompt(kind: kind, reason: reason)
            return []
        }
        return commitRefund(&s, sale, kind, user, approvedBy: nil)
    }

    func commitRefund(_ s: inout ReturnState, _ sale: Sale, _ kind: TenderKind, _ user: User, approvedBy: Int64?) -> [Effect] {
        s.committing = true
        return [.commitReturn(receiptNumber: sale.receiptNumber, lines: s.requested, kind: kind,
                              cardReference: kind == .card ? s.cardReference : nil, cashierId: user.id, approvedBy: approvedBy)]
    }

    /// The store's active managers, who may approve at this till.
    var storeManagers: [User] {
        users.filter { $0.active && $0.storeId == context.store.id && $0.role.allows(.manager) && $0.role != .admin }
    }

    mutating func approvalKey(_ key: Key, _ s: inout ReturnState, _ sale: Sale, _ user: User) -> [Effect] {
        guard var a = s.approval, a.checking == nil else { return [] }
        defer { s.approval = s.approval == nil ? nil : a }
        let managers = storeManagers
        switch key {
        case .up: a.selected = max(0, a.selected - 1)
        case .down: a.selected = min(max(0, managers.count - 1), a.selected + 1)
        case .char(let c) where c.isASCII && c.isNumber:
            if a.pin.count < 12 { a.pin.append(c) }
        case .backspace:
            if !a.pin.isEmpty { a.pin.removeLast() }
        case .escape:
            s.approval = nil
        case .enter:
            guard managers.indices.contains(a.selected), !a.pin.isEmpty else { break }
            let pin = a.pin
            a.pin = ""
            a.checking = managers[a.selected].id
            return [.verifyPin(userId: managers[a.selected].id, pin: pin)]
        default: break
        }
        return []
    }

    /// The till answered the approving manager's PIN.
    mutating func approvalChecked(userId: Int64, result: PinCheck, _ s: inout ReturnState) -> [Effect] {
        guard var a = s.approval, a.checking == userId, let sale = s.sale, let user else { return [] }
        a.checking = nil
        switch result {
        case .accepted:
            s.approval = nil
            let manager = users.first { $0.id == userId }?.displayName ?? ""
            flash = .info(tr("Approuvé par \(manager).", "Approved by \(manager)."))
            return commitRefund(&s, sale, a.kind, user, approvedBy: userId)
        case .wrong(let left):
            flash = .error(tr("NIP du gérant erroné (\(left) essai(s) restant(s)).", "Wrong manager PIN (\(left) tries left)."))
        case .locked(let until):
            flash = .error(tr("Gérant bloqué \((until - now + 999) / 1000) s après trois NIP erronés.",
                              "Manager locked for \((until - now + 999) / 1000) s after three wrong PINs."))
        }
        s.approval = a
        return []
    }

    // MARK: - Drawer: opening float, closing count

    mutating func countKey(_ key: Key, _ s: inout CountState) -> [Effect] {
        guard let user else { return [] }
        switch key {
        case .char(let c) where c.isASCII && (c.isNumber || c == "," || c == "."):
            if s.amount.count < 10 { s.amount.append(c) }
            s.confirming = false
        case .backspace:
            if !s.amount.isEmpty { s.amount.removeLast() }
            s.confirming = false
        case .escape:
            if s.confirming { s.confirming = false } else { screen = .menu(MenuState()) }
        case .enter:
            guard let amount = s.amount.isEmpty ? nil : Money.typed(s.amount) else {
                flash = .error(tr("Entrez le montant compté (ex. 150,00).", "Enter the counted amount (e.g. 150.00)."))
                return []
            }
            guard amount <= CountState.maximum else {
                flash = .error(tr("\(tr.money(amount)) dans un tiroir ? Au plus \(tr.money(CountState.maximum)) : vérifiez le compte.",
                                  "\(tr.money(amount)) in a drawer? At most \(tr.money(CountState.maximum)): check the count."))
                return []
            }
            switch s.purpose {
            case .openFloat: return [.openDrawer(float: amount, by: user.id)]
            case .closeCount:
                // The close is final (a Z report): the count is shown against what was expected first.
                guard s.confirming else {
                    s.confirming = true
                    return []
                }
                return [.closeDrawer(counted: amount, by: user.id)]
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
