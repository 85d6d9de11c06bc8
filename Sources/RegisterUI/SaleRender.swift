import CaisseCore
import ScreenKit

extension AppState {
    // MARK: - Sale

    /// Subtotal, each tax and the total, right-aligned in rows [y, y + taxes + 2). Always on screen while selling.
    func totalsBand(_ g: inout Grid, y: Int, lines: [SaleLine]) {
        let totals = SaleTotals(lines: lines, rule: context.taxRule)
        let right = g.width - 2
        let x = right - 34
        var row = y
        func line(_ label: String, _ value: String, _ style: Style = .plain) {
            g.put(label, x: x, y: row, style)
            g.putRight(value, right: right, y: row, style)
            row += 1
        }
        g.put(tr(.items) + String(lines.reduce(0) { $0 + $1.quantity }), x: 2, y: y, .bold)
        let saved = lines.reduce(Money.zero) { $0 + $1.discountTotal }
        if saved.isPositive { g.put(tr(.youSave) + tr.money(saved), x: 2, y: y + 1, .good) }
        line(tr(.subtotal), tr.money(totals.subtotal))
        for tax in totals.taxes {
            let rate = context.taxRule.rate(code: tax.code) ?? tax.rate
            line(rate.label(context.language) + " " + rate.percentText(context.language), tr.money(tax.amount))
        }
        line("TOTAL", tr.money(totals.total), .accent)
    }

    func totalsHeight() -> Int { context.taxRule.rates.count + 2 }

    /// A loyalty card as a person reads it back: its last four digits.
    static func cardTail(_ card: String) -> String { "••••" + String(card.suffix(4)) }

    func cartTable(_ g: inout Grid, lines: [SaleLine], selected: Int?, top: Int, bottom: Int, width: Int) {
        // Narrow (beside the payment panel): no unit price column.
        // Every number column starts with a space: the largest amounts (9 999 ×
        // 1 000 000 $) stay apart from their neighbours instead of running together.
        let showPrice = width >= 60
        let qtyWidth = showPrice ? 6 : 5, priceWidth = 14, totalWidth = showPrice ? 17 : 11
        let nameWidth = width - 3 - qtyWidth - (showPrice ? priceWidth : 0) - totalWidth - 1
        func column(_ text: String, _ w: Int) -> String { " " + text.leftPadded(w - 1) }
        g.put(" # " + tr(.item).fitted(nameWidth) + column(tr(.qty), qtyWidth)
              + (showPrice ? column(tr(.price2), priceWidth) : "") + column("Total", totalWidth), x: 1, y: top, .muted)
        let rows = bottom - top - 1
        guard rows > 0 else { return }
        // A line, then one row per discount on it: the list price, what came off and why, and the line's new total.
        var display: [(line: Int, text: String, style: Style)] = []
        for (i, l) in lines.enumerated() {
            let style: Style = i == selected ? .reverse : .plain
            display.append((i, String(i + 1).leftPadded(2) + " " + l.name.fitted(nameWidth) + column(String(l.quantity), qtyWidth)
                            + (showPrice ? column(tr.money(l.unitPrice), priceWidth) : "") + column(tr.money(l.total), totalWidth), style))
            for d in l.discounts {
                let why = discountLabel(d)
                display.append((i, "   ↳ " + why.fitted(nameWidth + qtyWidth + (showPrice ? priceWidth : 0) - 3)
                                + column("−" + tr.money(d.amount), totalWidth), .good))
            }
        }
        let selectedRow = display.lastIndex { $0.line == (selected ?? 0) } ?? 0
        let first = max(0, selectedRow - rows + 1)
        for (k, row) in display.enumerated().dropFirst(first).prefix(rows) {
            g.put(row.text, x: 1, y: top + 1 + k - first, row.style, limit: width)
        }
        if display.count > first + rows { g.putRight("↓ " + String(display.count - first - rows), right: width, y: bottom - 1, .muted) }
    }

    /// "Promo Muffins 3 pour 5 $", "Remise 10 % · fidélité (gérant Chloé Roy)"…
    func discountLabel(_ d: LineDiscount) -> String {
        var text: String
        switch d.kind {
        case .promotion: text = d.label ?? tr(.promotion)
        case .line: text = tr(.discount)
        case .override: text = tr(.priceOverride)
        case .sale where d.reason == DiscountReason.loyalty.rawValue: return tr(.loyaltyReward)
        case .sale: text = tr(.saleDiscount)
        }
        if let reason = d.reason.flatMap(DiscountReason.init(rawValue:)) { text += " · " + tr.reason(reason) }
        if let approver = d.approvedBy, let name = users.first(where: { $0.id == approver })?.displayName { text += " (" + name + ")" }
        return text
    }

    func drawSale(_ g: inout Grid, _ s: SaleState) -> Frame.Cursor? {
        let leftWidth = g.width - 2
        let label = tr(.itemCodeSkuOrName)
        g.put(label, x: 2, y: 2, .bold)
        let end = g.put(s.input, x: 2 + label.count, y: 2, .plain, limit: leftWidth - label.count - 2)
        let band = g.height - 3 - totalsHeight()
        // The quick keys sit under the cart, which stays in sight as they add to it.
        let paneHeight = s.quickPane ? (quickKeys.count + 1) / 2 + 2 : 0
        let cartBottom = band - 1 - paneHeight
        cartTable(&g, lines: s.cart.lines, selected: s.cart.isEmpty ? nil : s.selectedLine, top: 4, bottom: cartBottom, width: leftWidth)
        if s.quickPane { drawQuickKeys(&g, top: cartBottom, width: leftWidth - 2) }
        if s.cart.isEmpty && !s.quickPane {
            g.put(tr(.scanAnItemOrTypeIts), x: 4, y: 6, .muted)
            if !quickKeys.isEmpty {
                g.put(tr(.tabQuickKeysItemsWithoutA), x: 4, y: 7, .muted)
            }
        }
        g.put(String(repeating: "─", count: g.width - 2), x: 1, y: band - 1, .muted)
        totalsBand(&g, y: band, lines: s.cart.lines)
        if let card = s.cart.customerCard {
            g.put(tr(.loyalty) + Self.cardTail(card), x: 2, y: band + 2, .muted)
        }
        if !s.results.isEmpty {
            let width = leftWidth - 2
            let rows = min(s.results.count, g.height - 8 - totalsHeight())
            g.fill(x: 2, y: 3, width: width, height: rows + 2, .plain)
            let total = s.resultTotal > 300 ? "300+" : String(s.resultTotal)
            let range = "\(s.resultOffset + 1)–\(s.resultOffset + s.results.count)"
            g.box(x: 2, y: 3, width: width, height: rows + 2, .accent,
                  title: tr(.resultsOf(range, total)))
            if s.resultOffset + s.results.count < s.resultTotal {
                let more = s.resultTotal - s.resultOffset - s.results.count
                g.putRight(" " + tr(.morePgdn(more > 300 ? "300+" : String(more))) + " ",
                           right: 2 + width - 2, y: 4 + rows, .accent)
            }
            let first = max(0, s.resultIndex - rows + 1)
            for (i, p) in s.results.enumerated().dropFirst(first).prefix(rows) {
                let y = 4 + i - first
                let style: Style = i == s.resultIndex ? .reverse : .plain
                g.fill(x: 3, y: y, width: width - 2, style)
                let price = tr.money(p.price)
                g.put(p.sku.fitted(10) + " " + p.name, x: 4, y: y, style, limit: width - 5 - price.count - 2)
                g.putRight(price, right: 2 + width - 2, y: y, style)
            }
        }
        if let parked = s.parked { drawParked(&g, parked, selected: s.parkedIndex, width: leftWidth - 2) }
        switch s.prompt {
        case .discount(let d):
            return drawDiscount(&g, d, s)
        case .quantity(let text):
            let name = s.cart.lines.indices.contains(s.selectedLine) ? s.cart.lines[s.selectedLine].name : ""
            g.fill(y: g.height - 3, .plain)
            let q = tr(.quantityFor(name))
            g.put(q, x: 1, y: g.height - 3, .accent)
            let e = g.put(text, x: 1 + q.count, y: g.height - 3, .bold)
            return Frame.Cursor(x: e, y: g.height - 3)
        case .customer(let contact, let creating):
            g.fill(y: g.height - 3, .plain)
            if creating {
                g.put(tr(.newCustomerDoTheyAgreeTo).fitted(g.width - 2),
                      x: 1, y: g.height - 3, .warning)
                return nil
            }
            let q = tr(.customerPhoneOrEmail)
            g.put(q, x: 1, y: g.height - 3, .accent)
            let e = g.put(contact, x: 1 + q.count, y: g.height - 3, .bold, limit: g.width - 3 - q.count)
            return Frame.Cursor(x: e, y: g.height - 3)
        case .confirmVoid:
            g.fill(y: g.height - 3, .plain)
            g.put(tr(.voidTheWholeSaleEnterYes), x: 1, y: g.height - 3, .warning)
            return nil
        case nil:
            return Frame.Cursor(x: end, y: 2)
        }
    }

    /// The discount box over the cart: what it applies to (Tab), the value, then the reason, then a manager's PIN.
    func drawDiscount(_ g: inout Grid, _ d: DiscountPrompt, _ s: SaleState) -> Frame.Cursor? {
        let width = min(g.width - 4, 72), x = (g.width - width) / 2, top = 4
        let managers = storeManagers
        let height = d.reason != nil ? 7 + min(managers.count, 4) : 8
        g.fill(x: x, y: top, width: width, height: height, .plain)
        g.box(x: x, y: top, width: width, height: height, .accent, title: tr(.discountOrPrice))
        let line = s.cart.lines.first { $0.lineNo == d.lineNo }
        var cx = x + 2
        for target in DiscountPrompt.Target.allCases {
            let label: String = switch target {
            case .linePercent: tr(.lineInLine)
            case .lineAmount: tr(.lineInLine2)
            case .linePrice: tr(.newPrice)
            case .salePercent: tr(.saleInLine)
            case .saleAmount: tr(.saleInLine2)
            }
            cx = g.put(" " + label + " ", x: cx, y: top + 1, target == d.target ? .reverse : .muted) + 1
        }
        let what = d.target.isSale ? tr(.theWholeSale)
                                   : (line.map { $0.name + " · " + tr.money($0.unitPrice) + " × " + String($0.quantity) } ?? "")
        g.put(what, x: x + 2, y: top + 3, .bold, limit: width - 4)
        // English Canada writes $0.50, French 0,50 $ (issue 28, item 16: "Value: 0.50 $").
        let percent = d.target == .linePercent || d.target == .salePercent
        let typed = d.text.isEmpty ? "" : percent ? d.text + (tr.language == .en ? "%" : " %") : (tr.language == .en ? "$" + d.text : d.text + " $")
        let label = tr(.valueLabel)
        g.put(label, x: x + 2, y: top + 4)
        let end = g.put(typed, x: x + 2 + label.count, y: top + 4, .bold)
        if d.rule == nil {
            g.put(tr(.enterReasonTabOtherChoiceF3),
                  x: x + 2, y: top + 6, .muted, limit: width - 4)
            // The cursor after the digits typed, before a unit written after them.
            let after = percent || tr.language == .fr ? (d.text.isEmpty ? 0 : 2) : 0
            return Frame.Cursor(x: end - after, y: top + 4)
        }
        guard d.reason != nil else {
            // Two rows of three reasons: each with its digit.
            for (i, reason) in DiscountReason.allCases.enumerated() {
                g.put("\(i + 1) " + tr.reason(reason), x: x + 2 + (i % 3) * ((width - 4) / 3), y: top + 5 + i / 3, .accent,
                      limit: (width - 4) / 3 - 1)
            }
            return nil
        }
        g.put(tr(.beyondAManagerApproves(discountPolicy.staffLimitPercent)),
              x: x + 2, y: top + 5, .warning, limit: width - 4)
        for (i, m) in managers.prefix(4).enumerated() {
            g.put((i == d.manager.selected ? "▸ " : "  ") + m.displayName, x: x + 2, y: top + 6 + i, i == d.manager.selected ? .reverse : .plain,
                  limit: width / 2)
        }
        let pinLabel = tr(.managerPin)
        g.put(pinLabel, x: x + width / 2, y: top + 6)
        let e = g.put(String(repeating: "•", count: d.manager.pin.count), x: x + width / 2 + pinLabel.count, y: top + 6, .bold)
        return d.manager.checking == nil ? Frame.Cursor(x: e, y: top + 6) : nil
    }

    /// The store's quick keys in two columns: 1…5 on the left, 6…9 and 0 on the right.
    func drawQuickKeys(_ g: inout Grid, top: Int, width: Int) {
        let rows = (quickKeys.count + 1) / 2
        g.fill(x: 2, y: top, width: width, height: rows + 2, .plain)
        g.box(x: 2, y: top, width: width, height: rows + 2, .accent,
              title: tr(.quickKeys190Tab))
        let column = (width - 4) / 2
        for (i, p) in quickKeys.enumerated() {
            let x = 4 + (i / rows) * column, y = top + 1 + i % rows
            let price = tr.money(p.price)
            g.put(String((i + 1) % 10), x: x, y: y, .accent)
            g.put(p.name, x: x + 2, y: y, .plain, limit: column - price.count - 5)
            g.putRight(price, right: x + column - 2, y: y)
        }
    }

    /// The sales put aside (F8), oldest first: Enter takes one back.
    func drawParked(_ g: inout Grid, _ parked: [HeldCart], selected: Int, width: Int) {
        let rows = min(parked.count, g.height - 10)
        g.fill(x: 2, y: 3, width: width, height: rows + 2, .plain)
        g.box(x: 2, y: 3, width: width, height: rows + 2, .accent, title: tr(.parkedSales))
        let first = max(0, selected - rows + 1)
        for (i, held) in parked.enumerated().dropFirst(first).prefix(rows) {
            let y = 4 + i - first
            let style: Style = i == selected ? .reverse : .plain
            g.fill(x: 3, y: y, width: width - 2, style)
            let total = SaleTotals(lines: held.cart.lines, rule: context.taxRule).total
            let first = held.cart.lines.first?.name ?? ""
            g.put(Clock.time(held.createdAt, context.store.timeZone) + "  " + tr(.itemCountShort(held.cart.itemCount)).fitted(9)
                  + " " + first, x: 4, y: y, style, limit: width - 18)
            g.putRight(tr.money(total), right: 2 + width - 2, y: y, style)
        }
    }

    // MARK: - Payment

    func drawPayment(_ g: inout Grid, _ s: PaymentState) -> Frame.Cursor? {
        let panelWidth = 40
        let leftWidth = g.width - panelWidth - 2
        heading(&g, tr(.payment))
        cartTable(&g, lines: s.cart.lines, selected: nil, top: 4, bottom: g.height - 3, width: leftWidth)
        let x = g.width - panelWidth - 1
        let p = s.payment
        g.box(x: x, y: 2, width: panelWidth, height: g.height - 5, .accent, title: tr(.due))
        var y = 3
        func line(_ label: String, _ value: String, _ style: Style = .plain) {
            g.put(label, x: x + 2, y: y, style, limit: panelWidth - 4 - value.count - 1)
            g.putRight(value, right: x + panelWidth - 2, y: y, style)
            y += 1
        }
        line("TOTAL", tr.money(p.total), .bold)
        for t in p.tenders {
            if t.kind == .cash {
                line(tr(.cashGiven2) + tr.money(t.given ?? t.amount), tr.money(t.amount))
            } else {
                line(tr(.card2) + (t.reference ?? ""), tr.money(t.amount))
            }
        }
        if p.rounding != .zero { line(tr(.cashRounding), tr.money(p.rounding)) }
        y += 1
        if s.committing {
            line(tr(.saving), "", .warning)
            return nil
        }
        line(tr(.balanceDue), tr.money(p.remaining), .accent)
        line(tr(.inCashRounded), tr.money(p.cashDue), .muted)
        y += 1
        if let cardAmount = s.cardAmount {
            line(tr(.cardFor), tr.money(cardAmount), .bold)
            let label = tr(.reference)
            g.put(label, x: x + 2, y: y)
            let e = g.put(s.cardReference, x: x + 2 + label.count, y: y, .bold, limit: panelWidth - 4 - label.count)
            return Frame.Cursor(x: e, y: y)
        }
        let label = tr(.amount)
        g.put(label, x: x + 2, y: y)
        let e = g.put(s.amount, x: x + 2 + label.count, y: y, .bold)
        g.put(tr(.typeTheCashGivenOrAn), x: x + 2, y: y + 2, .muted)
        g.put(tr(.thenF7ToPayItBy), x: x + 2, y: y + 3, .muted)
        // Quick cash: one key for the bill handed over.
        let bills = QuickCash.suggestions(due: p.cashDue)
        if !bills.isEmpty {
            g.put(tr(.billGiven), x: x + 2, y: y + 5, .muted)
            var bx = x + 2
            for (i, bill) in bills.enumerated() {
                let label = "F\(i + 1) " + tr.money(bill).replacingOccurrences(of: ",00", with: "").replacingOccurrences(of: ".00", with: "")
                if bx + label.count > x + panelWidth - 2 { break }
                bx = g.put(label, x: bx, y: y + 6, .accent) + 2
            }
        }
        return Frame.Cursor(x: e, y: y)
    }

    // MARK: - Receipt after a sale or a refund

    func drawDone(_ g: inout Grid, _ s: DoneState) {
        let receiptWidth = 46
        let x = g.width - receiptWidth - 1
        // No change to give (a card, exact cash): no giant 0,00 $ for the cashier to read.
        if s.kind == .refund || s.amount.isPositive {
            let title = s.kind == .sale ? tr(.changeDue) : tr(.toRefund)
            g.put(title, x: 2, y: 2, .accent)
            for (i, row) in BigText.rows(tr.money(s.amount)).enumerated() {
                g.put(row, x: 2, y: 4 + i, .good, limit: x - 3)
            }
        } else {
            g.put(tr(.paidNoChange), x: 2, y: 2, .accent)
        }
        g.put(s.kind == .sale ? tr(.saleSaved(s.receiptNumber))
                              : tr(.returnSaved(s.receiptNumber)),
              x: 2, y: 11, .bold, limit: x - 3)
        if let path = s.savedTo {
            // The folder is the till's, always the same: the file's name is what tells receipts apart,
            // and a long path cut at the column lost it (issue 28, item 16).
            let file = path.split(separator: "/").last.map(String.init) ?? path
            g.put(tr(.receipt) + file, x: 2, y: 12, .muted, limit: x - 3)
        }
        if s.kind == .sale {
            g.put(tr(.scanTheNextItem), x: 2, y: 14, .muted, limit: x - 3)
        }
        let height = g.height - 5
        g.box(x: x, y: 2, width: receiptWidth, height: height, title: tr(.receipt2))
        for (i, line) in s.receipt.dropFirst(s.scroll).prefix(height - 2).enumerated() {
            g.put(line, x: x + 2, y: 3 + i, .plain, limit: receiptWidth - 4)
        }
    }
}
