import CaisseCore
import ScreenKit

extension AppState {
    // MARK: - Stock adjustments (issue 17)

    /// While a manager's PIN is asked in a sheet, the keys go to it: nil when none is asked.
    mutating func managerPrompt(_ key: Key, _ manager: inout ManagerPIN?) -> [Effect]? {
        guard var m = manager else { return nil }
        switch m.handle(key, managers: storeManagers) {
        case .typing: manager = m
        case .cancelled: manager = nil
        case .check(let effect):
            manager = m
            return [effect]
        }
        return []
    }

    /// Beyond the store's adjustment limit at retail, opens the manager's PIN prompt and says why.
    mutating func needsManager(_ value: Money, _ user: User, _ manager: inout ManagerPIN?) -> Bool {
        guard discountPolicy.adjustmentNeedsApproval(role: user.role, value: value) else { return false }
        flash = .error(tr(.moreThanAtRetailAManager(tr.money(discountPolicy.adjustmentLimit))))
        manager = ManagerPIN()
        return true
    }

    /// Tab the reason, digits the units (a correction takes + or −), Enter the note, Enter again records it;
    /// beyond the store's limit a manager's PIN first.
    mutating func adjustKey(_ key: Key, _ s: inout StockViewState, _ user: User) -> [Effect] {
        guard var a = s.adjust else { return [] }
        defer { if s.adjust != nil { s.adjust = a } }
        if let effects = managerPrompt(key, &a.manager) { return effects }
        switch key {
        case .escape:
            if a.typingNote { a.typingNote = false } else { s.adjust = nil }
        case .tab where !a.typingNote:
            let all = AdjustmentReason.declarable
            a.reason = all[((all.firstIndex(of: a.reason) ?? 0) + 1) % all.count]
        case .char(let c) where a.typingNote && !c.isNewline:
            if a.note.count < 200 { a.note.append(c) }
        case .backspace where a.typingNote:
            if !a.note.isEmpty { a.note.removeLast() }
        case .char(let c) where c.isASCII && (c.isNumber || c == "+" || c == "-"):
            if a.units.count < 5 { a.units.append(c) }
        case .backspace:
            if !a.units.isEmpty { a.units.removeLast() }
        case .enter where !a.typingNote:
            guard let quantity = a.quantity, (1...Quantity.maximumPerLine).contains(abs(quantity)) else {
                flash = .error(a.reason == .correction ? tr(.aCorrectionIsSigned3Or)
                                                       : tr(.theNumberOfUnitsUnsigned))
                return []
            }
            a.typingNote = true
        case .enter:
            guard let quantity = a.quantity else { return [] }
            let value = Money(cents: abs(a.unitPrice.cents * Int64(quantity)))
            if needsManager(value, user, &a.manager) { return [] }
            return [.recordAdjustment(a.reason, productId: a.position.productId, quantity: quantity, note: a.note.isEmpty ? nil : a.note,
                                      by: user.id, approvedBy: nil)]
        default: break
        }
        return []
    }
}

extension AppState {
    /// The waste sheet at close: letters find a line, ↑↓ move, digits its units (0 keeps it), * the
    /// whole line, F4 every line, F5 declares them all, Esc closes.
    mutating func wasteKey(_ key: Key, _ s: inout StockViewState, _ user: User) -> [Effect] {
        guard var w = s.waste else { return [] }
        defer { if s.waste != nil { s.waste = w } }
        if let effects = managerPrompt(key, &w.manager) { return effects }
        func find(_ letters: String) {
            w.find = letters
            guard !letters.isEmpty else { return }
            if let i = w.lines.firstIndex(where: { SearchKey.matches(letters, $0.name, $0.sku) }) {
                w.selected = i
            } else {
                flash = .error(tr(.noLineFor(letters)))
            }
        }
        switch key {
        case .char(let c) where c.isLetter || (c == " " && !w.find.isEmpty):
            w.typed = ""
            find(w.find + String(c))
            return []
        case .backspace where !w.find.isEmpty:
            find(String(w.find.dropLast()))
            return []
        default:
            w.find = ""
        }
        switch key {
        case .up:
            w.selected = max(0, w.selected - 1)
            w.typed = ""
        case .down, .enter:
            w.selected = min(max(0, w.lines.count - 1), w.selected + 1)
            w.typed = ""
        case .pageDown:
            w.selected = min(max(0, w.lines.count - 1), w.selected + WasteSheet.page)
            w.typed = ""
        case .pageUp:
            w.selected = max(0, w.selected - WasteSheet.page)
            w.typed = ""
        case .char("*") where w.lines.indices.contains(w.selected):
            // The whole line: everything of it left on the shelf goes.
            w.lines[w.selected].units = w.lines[w.selected].onHand
            w.typed = ""
            w.selected = min(max(0, w.lines.count - 1), w.selected + 1)
        case .function(4):
            // Every line whole, or back to nothing when they all were (a bakery that throws all).
            let all = w.lines.allSatisfy { $0.units == $0.onHand }
            for i in w.lines.indices { w.lines[i].units = all ? 0 : w.lines[i].onHand }
            w.typed = ""
        case .char(let c) where c.isASCII && c.isNumber && w.lines.indices.contains(w.selected):
            if w.typed.count < 4 { w.typed.append(c) }
            // Never more than is on the shelf.
            w.lines[w.selected].units = min(Int(w.typed) ?? 0, w.lines[w.selected].onHand)
        case .backspace where w.lines.indices.contains(w.selected):
            if !w.typed.isEmpty { w.typed.removeLast() }
            w.lines[w.selected].units = min(Int(w.typed) ?? 0, w.lines[w.selected].onHand)
        case .function(5):
            let thrown = w.lines.filter { $0.units > 0 }
            guard !thrown.isEmpty else {
                flash = .error(tr(.nothingToDeclareEveryQuantityIs))
                break
            }
            if needsManager(w.value, user, &w.manager) { break }
            return [.recordWaste(thrown, by: user.id, approvedBy: nil)]
        case .escape:
            s.waste = nil
        default: break
        }
        return []
    }
}

extension AppState {
    /// F8, the count: Enter starts it (the whole store, or the category typed); then each scan or
    /// CODE*UNITS Enter counts; F5 confirms; F3 drops it; Esc leaves it for later.
    mutating func countKey(_ key: Key, _ s: inout StockViewState, _ user: User) -> [Effect] {
        guard var c = s.counting else { return [] }
        defer { if s.counting != nil { s.counting = c } }
        if let effects = managerPrompt(key, &c.manager) { return effects }
        let armed = c.dropArmed
        c.dropArmed = false
        switch key {
        case .char(let c2) where !c2.isNewline:
            if c.input.count < 60 { c.input.append(c2) }
        case .backspace:
            if !c.input.isEmpty { c.input.removeLast() }
        case .escape:
            s.counting = nil
        case .enter where c.loaded && c.count == nil:
            // Nothing: the store; "étagère:A3" (or shelf:A3): what is scanned there; else a category.
            let scope = CountScope(typed: c.input)
            c.input = ""
            return [.startCount(scope: scope, by: user.id)]
        case .enter where c.count != nil:
            let text = c.input.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { break }
            let parts = text.split(separator: "*").map { $0.trimmingCharacters(in: .whitespaces) }
            guard (1...2).contains(parts.count), let units = parts.count == 2 ? Int(parts[1]) : 1, units > 0 else {
                flash = .error(tr(.aCodeOrCodeUnitsE(text)))
                c.input = ""   // the next scan starts clean
                break
            }
            c.input = ""
            return [.countItem(code: parts[0], units: units)]
        case .function(5):
            guard let count = c.count else { break }
            if needsManager(count.differenceValue, user, &c.manager) { break }
            return [.confirmCount(by: user.id, approvedBy: nil)]
        case .function(3) where c.count != nil:
            guard armed else {
                c.dropArmed = true
                flash = .info(tr(.f3AgainToDropTheCount))
                break
            }
            return [.cancelCount]
        default: break
        }
        return []
    }
}
