import CaisseAPI
import CaisseCore
import ScreenKit

extension AppState {
    func statusWord(_ status: StockStatus) -> (String, Style) {
        switch status {
        case .out: (tr(.out), .error)
        case .low: (tr(.low), .warning)
        case .ok: ("", .plain)
        case .over: (tr(.overInLine), .accent)
        }
    }

    func filterLabel(_ f: StockFilterKind) -> String {
        switch f {
        case .all: tr(.allInLine)
        case .low: tr(.low)
        case .out: tr(.outInLine)
        case .over: tr(.overInLine)
        }
    }

    // MARK: - Stock

    func drawStock(_ g: inout Grid, _ s: StockViewState) {
        g.put(tr(.stock) + context.store.name, x: 2, y: 2, .accent)
        var x = 2
        for f in StockFilterKind.allCases {
            x = g.put(" " + filterLabel(f) + " ", x: x, y: 3, f == s.filter ? .reverse : .muted) + 1
        }
        g.put(tr(.searchLabel) + s.query, x: x + 2, y: 3)
        let source = s.liveAt.map { tr(.liveFromCentralAt) + Clock.time($0, context.store.timeZone) }
            ?? (sync.lastSuccess.map { tr(.asOfTheLastSync) + Clock.time($0, context.store.timeZone) }
                ?? tr(.localFiguresNeverSynced))
        g.putRight(source, right: g.width - 2, y: 2, s.liveAt == nil ? .muted : .good)
        let nameWidth = g.width - 2 - 10 - 8 - 8 - 11 - 10 - 2
        g.put("SKU".fitted(10) + tr(.item).fitted(nameWidth) + tr(.store2).leftPadded(8)
              + tr(.reorder).leftPadded(8) + tr(.warehouse).leftPadded(11) + "", x: 2, y: 5, .muted)
        let rows = g.height - 10
        let first = max(0, s.selected - rows + 1)
        for (i, p) in s.rows.enumerated().dropFirst(first).prefix(rows) {
            let y = 6 + i - first
            let style: Style = i == s.selected ? .reverse : .plain
            let (word, wordStyle) = statusWord(p.status)
            let text = p.sku.fitted(10) + p.name.fitted(nameWidth) + String(p.onHand).leftPadded(8) + String(p.reorderPoint).leftPadded(8)
                + (s.warehouse[p.productId].map(String.init) ?? "—").leftPadded(11)
            let end = g.put(text, x: 2, y: y, style)
            g.put("  " + word, x: end, y: y, i == s.selected ? style : wordStyle)
        }
        if s.rows.isEmpty { g.put(tr(.noItem), x: 4, y: 6, .muted) }
        g.put(tr(.itemS(s.rows.count)), x: 2, y: g.height - 4, .muted)
        if let a = s.adjust { drawAdjust(&g, a) }
        if let w = s.waste { drawWaste(&g, w) }
        if let c = s.counting { drawCountSheet(&g, c) }
        if let t = s.transfers { drawTransfers(&g, t) }
    }

    // MARK: - Restock

    func drawRestock(_ g: inout Grid, _ s: RestockViewState) {
        let onSuggestions = s.pane == .suggestions
        g.put(tr(.restock) + context.store.name, x: 2, y: 2, .accent)
        g.put(" " + tr(.toOrder) + " ", x: 2, y: 3, onSuggestions ? .reverse : .muted)
        g.put(" " + tr(.storeRequests) + " ", x: 18, y: 3, onSuggestions ? .muted : .reverse)
        let rows = g.height - 10
        let first = max(0, s.selected - rows + 1)
        if onSuggestions {
            let nameWidth = g.width - 4 - 4 - 10 - 8 - 8 - 10
            g.put("    " + "SKU".fitted(10) + tr(.item).fitted(nameWidth) + tr(.stock2).leftPadded(8)
                  + tr(.reorder).leftPadded(8) + tr(.askFor).leftPadded(10), x: 2, y: 5, .muted)
            for (i, item) in s.suggestions.enumerated().dropFirst(first).prefix(rows) {
                let p = item.position
                let chosen = s.chosen[p.productId]
                let text = (chosen == nil ? "[ ] " : "[x] ") + p.sku.fitted(10) + p.name.fitted(nameWidth) + String(p.onHand).leftPadded(8)
                    + String(p.reorderPoint).leftPadded(8) + String(chosen ?? item.suggested).leftPadded(10)
                g.put(text, x: 2, y: 6 + i - first, i == s.selected ? .reverse : (chosen == nil ? .plain : .bold))
            }
            if s.suggestions.isEmpty {
                g.put(tr(.noItemAtOrUnderIts), x: 4, y: 6, .muted)
            }
        } else {
            let nameWidth = g.width - 4 - 10 - 8 - 12 - 12
            g.put("SKU".fitted(10) + tr(.item).fitted(nameWidth) + tr(.qty).leftPadded(8) + tr(.state).leftPadded(12)
                  + tr(.updated).leftPadded(12), x: 2, y: 5, .muted)
            for (i, line) in s.requests.enumerated().dropFirst(first).prefix(rows) {
                let r = line.request
                let text = line.sku.fitted(10) + line.name.fitted(nameWidth) + String(r.quantity).leftPadded(8)
                    + stateWord(r.state).leftPadded(12) + Clock.time(r.updatedAt, context.store.timeZone).leftPadded(12)
                g.put(text, x: 2, y: 6 + i - first, i == s.selected ? .reverse : (r.state == .shipped ? .good : .plain))
            }
            if s.requests.isEmpty { g.put(tr(.noRequest), x: 4, y: 6, .muted) }
        }
    }

    func stateWord(_ state: RestockState) -> String { restockStateWord(state, context.language) }

    // MARK: - Sales report

    func drawSalesReport(_ g: inout Grid, _ s: ReportViewState) -> Frame.Cursor? {
        g.put(tr(.consolidatedSales), x: 2, y: 2, .accent)
        let period: String = switch s.period {
        case .today: tr(.todayInLine)
        case .days7: tr(.last7Days)
        case .days30: tr(.last30Days)
        case .custom: tr(.chosenPeriod)
        }
        var header = period
        if let r = s.report { header += " (\(r.from.iso) → \(r.to.iso))" }
        g.put(header, x: 24, y: 2, .bold)
        if s.report != nil {
            g.put(s.live ? tr(.centralWholeChain) : tr(.offlineThisRegisterOnly),
                  x: 2, y: 3, s.live ? .good : .warning)
        }
        if s.editingCustom {
            let label = tr(.fromToYyyyMmDdYyyy)
            g.fill(y: 5, .plain)
            g.put(label, x: 2, y: 5)
            let end = g.put(s.customInput, x: 2 + label.count, y: 5, .bold)
            return Frame.Cursor(x: end, y: 5)
        }
        guard let response = s.report else {
            g.put(s.loading ? tr(.loading) : tr(.noReport), x: 2, y: 5, .muted)
            return nil
        }
        var lines: [(String, Style)] = []
        let nameWidth = 20
        // Before returns, the returns, then what is net of them, in that order (issue 28, item 13:
        // units net of returns sat beside gross sales before them).
        func figuresRow(_ name: String, _ f: SalesFigures, _ style: Style = .plain) -> (String, Style) {
            (name.fitted(nameWidth) + String(f.count).leftPadded(6) + tr.money(f.gross).leftPadded(12) + tr.money(f.returns).leftPadded(11)
             + tr.money(f.net).leftPadded(12) + String(f.items).leftPadded(7) + tr.money(f.taxes).leftPadded(10), style)
        }
        lines.append((tr(.store).fitted(nameWidth) + tr(.sales).leftPadded(6) + tr(.gross).leftPadded(12)
                      + tr(.returns).leftPadded(11) + "Net".leftPadded(12) + tr(.units).leftPadded(7)
                      + tr(.taxes).leftPadded(10), .muted))
        for store in response.report.stores {
            lines.append(figuresRow(response.storeNames[String(store.storeId)] ?? "#\(store.storeId)", store.figures))
        }
        lines.append(figuresRow("TOTAL", response.report.total, .bold))
        lines.append((tr(.grossSalesBeforeReturnsNetUnits), .muted))
        lines.append(("", .plain))
        lines.append((tr(.topProducts), .accent))
        for p in response.report.topProducts {
            lines.append(("  " + p.sku.fitted(10) + p.name.fitted(36) + String(p.quantity).leftPadded(7) + tr.money(p.revenue).leftPadded(13), .plain))
        }
        lines.append(("", .plain))
        lines.append((tr(.perDay), .accent))
        for d in response.report.days { lines.append(figuresRow("  " + d.day.iso, d.figures)) }
        // By channel (issue 27): the sales that handed over an online order, the orders waiting now, points.
        if let c = response.channels, c.stores.contains(where: { $0.onlinePickupSales > 0 || $0.openOrders > 0 }) || c.pointsOutstanding != 0 {
            lines.append(("", .plain))
            lines.append((tr(.webOrdersPickupInStore), .accent))
            for o in c.stores where o.onlinePickupSales > 0 || o.openOrders > 0 {
                let waiting = o.openOrders == 0 ? "" : tr(.waiting(o.openOrders))
                    + (o.oldestOpenOrderAt.map { tr(.oldest) + age($0) } ?? "")
                lines.append(("  " + (response.storeNames[String(o.storeId)] ?? "#\(o.storeId)").fitted(nameWidth - 2) + String(o.onlinePickupSales).leftPadded(6)
                              + tr.money(o.onlinePickupTotal).leftPadded(12) + waiting, .plain))
            }
            lines.append((tr(.pointsEarnedRedeemedOutstanding(c.pointsEarned, c.pointsRedeemed, c.pointsOutstanding)), .plain))
        }
        let losses = response.report.losses
        if losses.waste.units != 0 || losses.shrinkage.units != 0 {
            lines.append(("", .plain))
            lines.append((tr(.waste) + tr.money(losses.waste.value) + " (" + tr(.unitCount(losses.waste.units)) + ") · "
                          + tr(.shrinkage) + tr.money(losses.shrinkage.value) + " (" + tr(.unitCount(losses.shrinkage.units)) + ")",
                          .accent))
            for (title, entries) in [(tr(.byStore), losses.byStore), (tr(.byReason), losses.byReason),
                                     (tr(.byCategory), losses.byCategory), (tr(.byProduct), losses.byProduct)]
                where !entries.isEmpty {
                lines.append(("  " + title, .muted))
                for e in entries {
                    let label = AdjustmentReason(rawValue: e.key).map { $0.label(context.language) } ?? e.label
                    lines.append(("    " + label.fitted(40) + String(e.units).leftPadded(6) + tr.money(e.value).leftPadded(13), .plain))
                }
            }
        }
        let discounts = response.report.discounts
        if discounts.total != .zero {
            lines.append(("", .plain))
            // The rate's base is shown: net sales as they would have been without the discounts.
            let rate = DiscountSummary.ratePermille(discounts: discounts.total, netSales: response.report.total.net)
            let base = tr.money(response.report.total.net + discounts.total)
            lines.append((tr(.discounts) + tr.money(discounts.total)
                          + tr(.ofNetSalesBeforeDiscounts(rate / 10, rate % 10, base)), .accent))
            for (title, entries) in [(tr(.byStore), discounts.byStore), (tr(.byPromotion), discounts.byPromotion),
                                     (tr(.byReason), discounts.byReason), (tr(.byCashier), discounts.byCashier),
                                     (tr(.byApprover), discounts.byApprover)] where !entries.isEmpty {
                lines.append(("  " + title, .muted))
                for e in entries {
                    let label = DiscountReason(rawValue: e.key).map(tr.reason) ?? e.label
                    lines.append(("    " + label.fitted(40) + String(e.count).leftPadded(6) + tr.money(e.amount).leftPadded(13), .plain))
                }
            }
        }
        let rows = g.height - 9
        let scroll = min(s.scroll, max(0, lines.count - rows))
        for (i, line) in lines.dropFirst(scroll).prefix(rows).enumerated() { g.put(line.0, x: 2, y: 5 + i, line.1) }
        return nil
    }

    // MARK: - Dashboard

    func drawDashboard(_ g: inout Grid, _ s: DashboardViewState) {
        g.put(tr(.dashboard), x: 2, y: 2, .accent)
        let window: String = switch s.window {
        case .today: tr(.todayInLine)
        case .days7: tr(.n7Days)
        case .days30: tr(.n30Days)
        }
        g.put(tr(.netRevenue) + window, x: 22, y: 2, .bold)
        if let at = s.loadedAt { g.putRight(tr(.asOf) + Clock.time(at, context.store.timeZone), right: g.width - 2, y: 2, .muted) }
        guard let d = s.dashboard else {
            g.put(s.loading ? tr(.loading) : tr(.centralUnreachableTheDashboardNeedsIt), x: 2, y: 4, .muted)
            return
        }
        func value(_ r: StoreRevenue) -> Money {
            switch s.window {
            case .today: r.today
            case .days7: r.last7Days
            case .days30: r.last30Days
            }
        }
        let top = d.revenue.map(value).max() ?? .zero
        let nameWidth = 24, amountWidth = 14
        let barWidth = max(10, g.width - 4 - nameWidth - amountWidth - 2)
        for (i, r) in d.revenue.enumerated().prefix(8) {
            let y = 4 + i
            g.put((d.storeNames[String(r.storeId)] ?? "#\(r.storeId)").fitted(nameWidth), x: 2, y: y)
            g.put(Bar.text(value(r), of: top, width: barWidth - 9), x: 2 + nameWidth, y: y, .good)
            // Each store's discount rate over 30 days, beside its revenue.
            let rate = r.discountRatePermille
            g.putRight(rate > 0 ? "−" + tr(.percentTenths(rate)) : "", right: g.width - 2 - amountWidth, y: y, .warning)
            g.putRight(tr.money(value(r)), right: g.width - 2, y: y, .bold)
        }
        if d.revenue.contains(where: { $0.discountRatePermille > 0 }) {
            g.putRight(tr(.discounts30D), right: g.width - 2 - amountWidth, y: 3, .muted)
        }
        var y = 5 + min(8, d.revenue.count)
        // Waste and shrinkage beside revenue (issue 17), over 30 days at retail.
        let lossRows = d.revenue.filter { $0.waste30Days != .zero || $0.shrinkage30Days != .zero }
        if !lossRows.isEmpty {
            g.put(tr(.wasteShrinkage30D).fitted(nameWidth) + tr(.wasteInLine).leftPadded(14)
                  + tr(.shrinkageInLine).leftPadded(14), x: 2, y: y, .muted)
            y += 1
            for r in lossRows.prefix(4) {
                g.put((d.storeNames[String(r.storeId)] ?? "#\(r.storeId)").fitted(nameWidth) + tr.money(r.waste30Days).leftPadded(14)
                      + tr.money(r.shrinkage30Days).leftPadded(14), x: 2, y: y, .warning)
                y += 1
            }
            y += 1
        }
        // Orders for pickup waiting now and how long the oldest has (issue 27), today's pickups and points.
        if let c = d.channels {
            let busy = c.stores.filter { $0.openOrders > 0 || $0.onlinePickupSales > 0 }
            if !busy.isEmpty {
                g.put(tr(.webOrders).fitted(nameWidth) + tr(.waitingInLine).leftPadded(11)
                      + tr(.oldestInLine).leftPadded(18) + tr(.pickedUpToday).leftPadded(17), x: 2, y: y, .muted)
                y += 1
                for o in busy.prefix(3) {
                    g.put((d.storeNames[String(o.storeId)] ?? "#\(o.storeId)").fitted(nameWidth) + String(o.openOrders).leftPadded(11)
                          + (o.oldestOpenOrderAt.map(age) ?? "").leftPadded(18) + String(o.onlinePickupSales).leftPadded(17), x: 2, y: y,
                          o.openOrders > 0 ? .warning : .plain)
                    y += 1
                }
            }
            if c.pointsEarned != 0 || c.pointsRedeemed != 0 || c.pointsOutstanding != 0 {
                g.put(tr(.pointsTodayOutstanding(c.pointsEarned, c.pointsRedeemed, c.pointsOutstanding)), x: 2, y: y, .muted)
                y += 1
            }
            if !busy.isEmpty || c.pointsOutstanding != 0 { y += 1 }
        }
        g.put(tr(.stockAlerts).fitted(nameWidth) + tr(.outInLine).leftPadded(10) + tr(.low).leftPadded(8)
              + tr(.overInLine).leftPadded(10) + "   " + tr(.firstStockOuts), x: 2, y: y, .muted)
        y += 1
        for a in d.alerts where y < g.height - 4 {
            g.put((d.storeNames[String(a.storeId)] ?? "#\(a.storeId)").fitted(nameWidth), x: 2, y: y)
            g.put(String(a.stockOuts.count).leftPadded(10), x: 2 + nameWidth, y: y, a.stockOuts.isEmpty ? .plain : .error)
            g.put(String(a.lowStock.count).leftPadded(8), x: 12 + nameWidth, y: y, a.lowStock.isEmpty ? .plain : .warning)
            g.put(String(a.overstock.count).leftPadded(10), x: 20 + nameWidth, y: y, a.overstock.isEmpty ? .plain : .accent)
            // As many whole SKUs as fit, never one cut or a comma left hanging (issue 28, item 16).
            let room = g.width - 36 - nameWidth
            var skus = ""
            for sku in a.stockOuts.prefix(3).map(\.sku) {
                let next = skus.isEmpty ? sku : skus + ", " + sku
                if next.count > room { break }
                skus = next
            }
            g.put("   " + skus, x: 30 + nameWidth, y: y, .muted)
            y += 1
        }
    }

    /// How long ago `since` was, as a person says it: 12 min, 3 h 05, 2 j.
    func age(_ since: Int64) -> String {
        // `since` comes from central: a wild value is no trap at the till.
        let minutes = max(0, now.subtracting(saturating: since) / 60_000)
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h " + (minutes % 60 < 10 ? "0" : "") + "\(minutes % 60)" }
        return "\(minutes / 1_440) " + tr(.d)
    }

    // MARK: - Head office approvals

    func drawApprovals(_ g: inout Grid, _ s: ApprovalsViewState) {
        if s.pane == .exceptions { return drawExceptions(&g, s) }
        if s.pane == .promotions { return drawPromotions(&g, s) }
        g.put(tr(.storesRestockRequests), x: 2, y: 2, .accent)
        let nameWidth = g.width - 4 - 8 - 10 - 8 - 12
        g.put(tr(.store3).fitted(8) + "SKU".fitted(10) + tr(.item).fitted(nameWidth) + tr(.qty).leftPadded(8)
              + tr(.state).leftPadded(12), x: 2, y: 4, .muted)
        for (i, line) in s.requests.enumerated().prefix(g.height - 9) {
            let r = line.request
            let text = (line.storeCode ?? "#" + String(r.storeId)).fitted(8) + line.sku.fitted(10) + line.name.fitted(nameWidth) + String(r.quantity).leftPadded(8)
                + stateWord(r.state).leftPadded(12)
            g.put(text, x: 2, y: 5 + i, i == s.selected ? .reverse : .plain)
        }
        if s.requests.isEmpty {
            g.put(s.loading ? tr(.loading) : tr(.noRequestToHandle), x: 4, y: 5, .muted)
        }
    }
}

/// Horizontal bars drawn with the block characters (eighths of a cell).
enum Bar {
    static let eighths: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    static func text(_ value: Money, of top: Money, width: Int) -> String {
        guard top.cents > 0, value.cents > 0, width > 0 else { return "" }
        let units = Int((Double(value.cents) / Double(top.cents) * Double(width * 8)).rounded())
        var bar = String(repeating: "█", count: units / 8)
        if units % 8 > 0 { bar.append(eighths[units % 8]) }
        return bar
    }
}
