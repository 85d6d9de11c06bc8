import CaisseAPI
import CaisseCore
import Foundation
import ScreenKit

extension AppState {
    // MARK: - Head office's promotions (issue 16)

    /// The list: ↑↓, N a new promotion, E ends the selected one, F5 reloads, Tab back to the requests.
    mutating func promotionsKey(_ key: Key, _ s: inout ApprovalsViewState, _ user: User) -> [Effect] {
        if var form = s.form {
            defer { if s.form != nil { s.form = form } }
            return promotionFormKey(key, &form, &s, user)
        }
        switch key {
        case .up: s.selected = max(0, s.selected - 1)
        case .down: s.selected = min(max(0, s.promotions.count - 1), s.selected + 1)
        case .char("n"), .char("N"):
            s.form = PromotionForm(today: Clock.day(now, context.store.timeZone))
        case .char("e"), .char("E"):
            guard s.promotions.indices.contains(s.selected) else { break }
            let promotion = s.promotions[s.selected]
            guard promotion.active else {
                flash = .error(tr(.thisPromotionHasAlreadyEnded))
                break
            }
            return [.endPromotion(promotion, userId: user.id)]
        case .function(5):
            s.loading = true
            return [.loadPromotions(userId: user.id)]
        case .tab:
            s.pane = .requests
            s.selected = 0
            return [.loadApprovals(userId: user.id)]
        case .escape:
            screen = .menu(MenuState())
        default: break
        }
        return []
    }

    mutating func promotionFormKey(_ key: Key, _ form: inout PromotionForm, _ s: inout ApprovalsViewState, _ user: User) -> [Effect] {
        let fields = PromotionForm.Field.allCases
        func move(_ by: Int) {
            let i = fields.firstIndex(of: form.field) ?? 0
            form.field = fields[min(fields.count - 1, max(0, i + by))]
        }
        switch key {
        case .escape:
            s.form = nil
        case .up, .backTab: move(-1)
        case .down, .tab: move(1)
        case .enter where form.field != .to: move(1)
        case .enter, .function(5):
            switch promotionInput(form) {
            case .success(let (input, skus)): return [.createPromotion(input, skus: skus, userId: user.id)]
            case .failure(let problem): flash = .error(problem.text)
            }
        case .char(" ") where form.field == .kind, .right where form.field == .kind, .left where form.field == .kind:
            let kinds = Promotion.Kind.allCases
            let i = kinds.firstIndex(of: form.kind) ?? 0
            form.kind = kinds[(i + (key == .left ? kinds.count - 1 : 1)) % kinds.count]
            form.value = ""
        case .char(let c) where !c.isNewline && form.field != .kind:
            switch form.field {
            case .name: if form.name.count < 120 { form.name.append(c) }
            case .value: if form.value.count < 12 { form.value.append(c) }
            case .target: if form.target.count < 200 { form.target.append(c) }
            case .from: if form.from.count < 10 { form.from.append(c) }
            case .to: if form.to.count < 10 { form.to.append(c) }
            case .kind: break
            }
        case .backspace:
            switch form.field {
            case .name: if !form.name.isEmpty { form.name.removeLast() }
            case .value: if !form.value.isEmpty { form.value.removeLast() }
            case .target: if !form.target.isEmpty { form.target.removeLast() }
            case .from: if !form.from.isEmpty { form.from.removeLast() }
            case .to: if !form.to.isEmpty { form.to.removeLast() }
            case .kind: break
            }
        default: break
        }
        return []
    }

    struct FormProblem: Error { var text: String }

    /// The form read as central's input; products are SKUs (the runtime finds their ids), otherwise a category.
    func promotionInput(_ form: PromotionForm) -> Result<(PromotionInput, [String]), FormProblem> {
        let name = form.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return .failure(FormProblem(text: tr(.giveThePromotionAName))) }
        guard let from = Day(iso: form.from), let to = Day(iso: form.to), from <= to else {
            return .failure(FormProblem(text: tr(.datesYyyyMmDdTheFirst)))
        }
        let value = form.value.replacingOccurrences(of: " ", with: "")
        func money(_ text: String) -> Int64? { Money.typed(text).map(\.cents) }
        var input = PromotionInput(name: name, kind: form.kind, startDay: from, endDay: to)
        let bad = FormProblem(text: tr(.unreadableValueForThisKind) + valueHint(form.kind))
        switch form.kind {
        case .percentOff:
            guard let micros = PercentText.micros(value) else { return .failure(bad) }
            input.percentMicros = micros
        case .amountOff:
            guard let a = money(value), a > 0 else { return .failure(bad) }
            input.amountCents = a
        case .fixedPrice:
            guard let p = money(value) else { return .failure(bad) }
            input.priceCents = p
        case .multiBuy:
            let parts = value.split(separator: "/").map(String.init)
            guard parts.count == 2, let q = Int(parts[0]), let p = money(parts[1]) else { return .failure(bad) }
            input.quantity = q
            input.priceCents = p
        case .buyGet:
            let parts = value.split(separator: "+").map(String.init)
            guard parts.count == 2, let q = Int(parts[0]), let f = Int(parts[1]) else { return .failure(bad) }
            input.quantity = q
            input.freeQuantity = f
        }
        let target = form.target.trimmingCharacters(in: .whitespaces)
        guard !target.isEmpty else { return .failure(FormProblem(text: tr(.itemsSkuSkuOrACategory))) }
        // A trailing comma ("CAF-0001, ") leaves no empty SKU that would make the list read as a category (issue 28, item 16).
        let skus = target.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
        // SKUs look like CAF-0001; anything else is a category.
        if skus.allSatisfy({ $0.contains("-") && !$0.contains(" ") }) { return .success((input, skus)) }
        input.category = target
        return .success((input, []))
    }

    func valueHint(_ kind: Promotion.Kind) -> String {
        switch kind {
        case .percentOff: tr(.n25For25)
        case .amountOff: tr(.n050OffEachItem)
        case .fixedPrice: tr(.n199EachItemPrice)
        case .multiBuy: tr(.n353For5)
        case .buyGet: tr(.n21Buy2Get1)
        }
    }

    func kindName(_ kind: Promotion.Kind) -> String {
        switch kind {
        case .percentOff: tr(.off)
        case .amountOff: tr(.offInLine)
        case .fixedPrice: tr(.fixedPrice)
        case .multiBuy: tr(.multiBuy3For5)
        case .buyGet: tr(.buyGet)
        }
    }

    func promotionFigures(_ p: Promotion) -> String {
        switch p.kind {
        case .percentOff: return String(format: "%g %%", Double(p.percentMicros ?? 0) / 10_000)
        case .amountOff: return "−" + tr.money(Money(cents: p.amountCents ?? 0))
        case .fixedPrice: return tr(.at) + tr.money(Money(cents: p.priceCents ?? 0))
        case .multiBuy: return tr(.forWord(p.quantity ?? 0)) + tr.money(Money(cents: p.priceCents ?? 0))
        case .buyGet: return tr(.buyGetInLine(p.quantity ?? 0, p.freeQuantity ?? 0))
        }
    }
}
