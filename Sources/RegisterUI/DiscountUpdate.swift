import CaisseCore
import Foundation
import ScreenKit

extension AppState {
    // MARK: - Discounts and price overrides (issue 16)

    /// `%`: the discount prompt for the selected line (Tab moves to a new price, or to the whole sale).
    mutating func openDiscount(_ s: inout SaleState) {
        guard s.cart.lines.indices.contains(s.selectedLine) else { return }
        s.prompt = .discount(DiscountPrompt(lineNo: s.cart.lines[s.selectedLine].lineNo))
    }

    mutating func discountKey(_ key: Key, _ d: DiscountPrompt, _ s: inout SaleState, _ user: User) -> [Effect] {
        var d = d
        defer { if case .discount = s.prompt { s.prompt = .discount(d) } }
        if d.reason != nil {
            switch d.manager.handle(key, managers: storeManagers) {
            case .typing: break
            case .cancelled: s.prompt = nil
            case .check(let effect): return [effect]
            }
            return []
        }
        if d.rule != nil {
            // The reason: 1 … 6.
            switch key {
            case .char(let c):
                guard let n = c.wholeNumberValue, DiscountReason.allCases.indices.contains(n - 1) else { break }
                d.reason = DiscountReason.allCases[n - 1].rawValue
                give(d, approvedBy: nil, &s, user)
            case .escape: d.rule = nil
            default: break
            }
            return []
        }
        switch key {
        case .char(let c) where c.isASCII && (c.isNumber || c == "," || c == "."):
            if d.text.count < 9 { d.text.append(c) }
        case .backspace:
            if !d.text.isEmpty { d.text.removeLast() }
        case .tab, .backTab:
            let all = DiscountPrompt.Target.allCases
            let i = all.firstIndex(of: d.target) ?? 0
            d.target = all[(i + (key == .tab ? 1 : all.count - 1)) % all.count]
            d.text = ""
        case .function(3), .delete:
            // Taken back as easily as it was given.
            do {
                if d.target.isSale { try s.cart.setSaleDiscount(nil) } else { try s.cart.setDiscount(nil, lineNo: d.lineNo) }
                flash = .info(d.target.isSale ? tr(.saleDiscountRemoved)
                                              : tr(.lineDiscountRemoved))
            } catch { flash = .error(tr.explain(error)) }
            s.prompt = nil
        case .escape:
            s.prompt = nil
        case .enter:
            guard let rule = rule(d) else {
                flash = .error(d.target == .linePercent || d.target == .salePercent
                               ? tr(.aPercentBetween0And100)
                               : tr(.unreadableAmount(d.text)))
                return []
            }
            var trial = s.cart
            do {
                let discount = ManualDiscount(rule: rule, reason: DiscountReason.other.rawValue)
                if d.target.isSale { try trial.setSaleDiscount(discount) } else { try trial.setDiscount(discount, lineNo: d.lineNo) }
                d.rule = rule
            } catch {
                flash = .error(tr.explain(error))
            }
        default: break
        }
        return []
    }

    func rule(_ d: DiscountPrompt) -> ManualDiscount.Rule? {
        switch d.target {
        case .linePercent, .salePercent:
            return PercentText.micros(d.text).map { .percent(micros: $0) }
        case .lineAmount, .saleAmount:
            return Money.typed(d.text).flatMap { $0.isPositive ? .amount($0) : nil }
        case .linePrice:
            return Money.typed(d.text).map { .price($0) }
        }
    }

    /// Applies the discount, or asks for a manager when it goes beyond what this person may give.
    mutating func give(_ d: DiscountPrompt, approvedBy: Int64?, _ s: inout SaleState, _ user: User) {
        guard let rule = d.rule, let reason = d.reason else { return }
        var cart = s.cart
        let discount = ManualDiscount(rule: rule, reason: reason, approvedBy: approvedBy)
        do {
            if d.target.isSale { try cart.setSaleDiscount(discount) } else { try cart.setDiscount(discount, lineNo: d.lineNo) }
        } catch {
            flash = .error(tr.explain(error))
            return
        }
        if approvedBy == nil, !discountPolicy.unapproved(cart.lines, role: user.role).isEmpty {
            flash = .error(tr(.beyondAManagerPinIsNeeded(discountPolicy.staffLimitPercent)))
            s.prompt = .discount(d)
            return
        }
        s.cart = cart
        s.prompt = nil
        if approvedBy == nil { flash = .info(tr(.discountGiven)) }
    }

    /// The till answered the manager's PIN for a discount.
    mutating func discountApprovalChecked(userId: Int64, result: PinCheck, _ s: inout SaleState) {
        guard case .discount(var d) = s.prompt, d.manager.checking == userId, let user else { return }
        d.manager.checking = nil
        s.prompt = .discount(d)
        if managerAccepted(userId, result) { give(d, approvedBy: userId, &s, user) }
    }
}
