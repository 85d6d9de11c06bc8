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
            case .up where s.receiptInput.isEmpty:
                s.todaysIndex = max(0, s.todaysIndex - 1)
            case .down where s.receiptInput.isEmpty:
                s.todaysIndex = min(max(0, s.todays.count - 1), s.todaysIndex + 1)
            case .enter:
                if let number = chosenReceipt(s) { return [.findSale(receiptNumber: number)] }
            case .function(9):
                if let number = chosenReceipt(s) { return [.reprint(receiptNumber: number, by: user.id)] }
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
                flash = .error(tr(.atMostSoldAlreadyReturned(line.name, left, line.quantity, line.quantity - left)))
                q = left
            }
            s.quantities[line.lineNo] = max(0, q)
        case .enter:
            // Back to the original tender by default: the card it was paid with, else cash.
            if RefundApproval.defaultKind(for: sale) == .card {
                if s.requested.isEmpty { flash = .error(tr(.chooseTheQuantitiesToReturn)) }
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
            if s.requested.isEmpty { flash = .error(tr(.chooseTheQuantitiesToReturn)) }
            else { s.cardAmountEntry = true }
        case .function(9):
            return [.reprint(receiptNumber: sale.receiptNumber, by: user.id)]
        case .escape:
            // Assign the screen's own state: `handle` writes `s` back to the screen.
            let todays = s.todays, index = s.todaysIndex
            s = ReturnState()
            s.todays = todays
            s.todaysIndex = index
        default: break
        }
        return []
    }

    /// The receipt typed (its last digits are enough here: 3 is CV-1-000003), or the one chosen in today's list.
    func chosenReceipt(_ s: ReturnState) -> String? {
        var number = s.receiptInput.trimmingCharacters(in: .whitespaces).uppercased()
        if number.isEmpty { return s.todays.indices.contains(s.todaysIndex) ? s.todays[s.todaysIndex].receiptNumber : nil }
        if (1...6).contains(number.count), number.allSatisfy(\.isNumber) {
            number = context.registerId + "-" + String(repeating: "0", count: 6 - number.count) + number
        }
        return number
    }

    mutating func refund(_ s: inout ReturnState, _ sale: Sale, _ kind: TenderKind, _ user: User) -> [Effect] {
        let lines = s.requested
        guard !lines.isEmpty else {
            flash = .error(tr(.chooseTheQuantitiesToReturn))
            return []
        }
        let amount = (try? Refund(original: sale, alreadyReturned: s.alreadyReturned, requested: lines).total) ?? .zero
        if !user.role.allows(.manager),
           let reason = RefundApproval.needed(original: sale, kind: kind, amount: amount, cashRefunded: s.cashRefunded) {
            guard !storeManagers.isEmpty else {
                flash = .error(tr(.thisRefundNeedsAManagerAnd))
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
                              cardReference: kind == .card ? s.cardReference : nil, cashierId: user.id, approvedBy: approvedBy,
                              atCentral: s.atCentral)]
    }

    /// The store's active managers, who may approve at this till.
    var storeManagers: [User] {
        users.filter { $0.active && $0.storeId == context.store.id && $0.role.allows(.manager) && $0.role != .admin }
    }

    mutating func approvalKey(_ key: Key, _ s: inout ReturnState, _ sale: Sale, _ user: User) -> [Effect] {
        guard var a = s.approval else { return [] }
        switch a.manager.handle(key, managers: storeManagers) {
        case .typing: s.approval = a
        case .cancelled: s.approval = nil
        case .check(let effect):
            s.approval = a
            return [effect]
        }
        return []
    }

    /// The till answered the approving manager's PIN.
    mutating func approvalChecked(userId: Int64, result: PinCheck, _ s: inout ReturnState) -> [Effect] {
        guard var a = s.approval, a.manager.checking == userId, let sale = s.sale, let user else { return [] }
        a.manager.checking = nil
        guard managerAccepted(userId, result) else {
            s.approval = a
            return []
        }
        s.approval = nil
        return commitRefund(&s, sale, a.kind, user, approvedBy: userId)
    }

    /// Says what the till answered to a manager's PIN; true when it was right.
    mutating func managerAccepted(_ userId: Int64, _ result: PinCheck) -> Bool {
        switch result {
        case .accepted:
            let manager = users.first { $0.id == userId }?.displayName ?? ""
            flash = .info(tr(.approvedBy(manager)))
            return true
        case .wrong(let left):
            flash = .error(tr(.wrongManagerPinTriesLeft(left)))
        case .locked(let until):
            flash = .error(tr(.managerLockedForSAfterThree((until - now + 999) / 1000)))
        }
        return false
    }

    // MARK: - Drawer: opening float, closing count

    mutating func countKey(_ key: Key, _ s: inout CountState) -> [Effect] {
        guard let user else { return [] }
        if s.purpose == .closeCount { return closingCountKey(key, &s, user) }
        switch key {
        case .char(let c) where c.isASCII && (c.isNumber || c == "," || c == "."):
            if s.amount.count < 10 { s.amount.append(c) }
        case .backspace:
            if !s.amount.isEmpty { s.amount.removeLast() }
        case .escape:
            screen = .menu(MenuState())
        case .enter:
            guard let amount = s.amount.isEmpty ? nil : Money.typed(s.amount) else {
                flash = .error(tr(.enterTheCountedAmountEG))
                return []
            }
            guard amount <= CountState.maximum else {
                flash = .error(tr(.inADrawerAtMostCheck(tr.money(amount), tr.money(CountState.maximum))))
                return []
            }
            return [.openDrawer(float: amount, by: user.id)]
        default: break
        }
        return []
    }

    /// Closing: each denomination's pieces, typed row by row (Enter or ↓ goes on,
    /// ↑ back); the last row's Enter, or F5 from any row, shows what was expected,
    /// and only then; Enter again closes for good. Once the expected cash is shown the count
    /// stands (issue 28: Esc "recounted" knowing the answer, which undid the blind count).
    mutating func closingCountKey(_ key: Key, _ s: inout CountState, _ user: User) -> [Effect] {
        let last = DrawerCount.denominations.count - 1
        if s.confirming {
            switch key {
            case .enter: return [.closeDrawer(counted: s.pieces.total, by: user.id)]
            case .escape:
                flash = .error(tr(.countedBlindThisCountStandsEnter))
            default: break
            }
            return []
        }
        switch key {
        case .char(let c) where c.isASCII && c.isNumber:
            if s.typed.count < 4 { s.typed.append(c) }
            s.pieces.set(s.row, pieces: Int(s.typed) ?? 0)
        case .backspace:
            if !s.typed.isEmpty { s.typed.removeLast() }
            else { s.typed = "" }
            s.pieces.set(s.row, pieces: Int(s.typed) ?? 0)
        case .up:
            s.row = max(0, s.row - 1)
            s.typed = ""
        case .down, .tab:
            s.row = min(last, s.row + 1)
            s.typed = ""
        case .enter where s.row < last:
            s.row += 1
            s.typed = ""
        case .enter, .function(5):
            guard s.pieces.total <= CountState.maximum else {
                flash = .error(tr(.inADrawerAtMostCheck(tr.money(s.pieces.total), tr.money(CountState.maximum))))
                return []
            }
            guard s.expected != nil else {
                flash = .error(tr(.readingTheXReport))
                return [.drawerReport(by: user.id)]
            }
            s.confirming = true
        case .escape:
            screen = .menu(MenuState())
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
        case .enter, .escape:
            if let back = s.backToReturn {
                screen = .returns(back)
                flash = .info(tr(.returnInProgressResumed))
            } else {
                screen = .menu(MenuState())
            }
        default: break
        }
        return []
    }
}
