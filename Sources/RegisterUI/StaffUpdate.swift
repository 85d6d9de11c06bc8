import CaisseAPI
import CaisseCore
import ScreenKit

extension AppState {
    var isHeadOfficeManager: Bool {
        context.store.kind == .headOffice && (user?.role.allows(.manager) ?? false)
    }

    /// Opens a staff screen from the menu (the role was checked when the menu was built).
    mutating func openStaffScreen(_ entry: MenuEntry) -> [Effect] {
        guard let user else { return [] }
        switch entry {
        case .stock:
            screen = .stock(StockViewState())
            return [.loadStock(.all, query: "")]
        case .restock:
            screen = .restock(RestockViewState())
            return [.loadRestock]
        case .reports:
            var s = ReportViewState()
            s.loading = true
            screen = .salesReport(s)
            let today = Clock.day(now, context.store.timeZone)
            return [.loadReport(from: today, to: today, userId: user.id)]
        case .dashboard:
            var s = DashboardViewState()
            s.loading = true
            screen = .dashboard(s)
            return [.loadDashboard(userId: user.id)]
        case .approvals:
            var s = ApprovalsViewState()
            s.loading = true
            screen = .approvals(s)
            return [.loadApprovals(userId: user.id)]
        default:
            return []
        }
    }

    /// Keys of the staff screens; nil when the screen is not one of them.
    mutating func staffKey(_ key: Key) -> [Effect]? {
        guard let user else { return nil }
        switch screen {
        case .stock(var s) where s.transfers != nil:
            let effects = transferKey(key, &s, user)
            if case .stock = screen { screen = .stock(s) }
            return effects
        case .stock(var s) where s.counting != nil:
            let effects = countKey(key, &s, user)
            if case .stock = screen { screen = .stock(s) }
            return effects
        case .stock(var s) where s.waste != nil:
            let effects = wasteKey(key, &s, user)
            if case .stock = screen { screen = .stock(s) }
            return effects
        case .stock(var s) where s.adjust != nil:
            let effects = adjustKey(key, &s, user)
            if case .stock = screen { screen = .stock(s) }
            return effects
        case .stock(var s):
            var effects: [Effect] = []
            switch key {
            case .function(7):
                effects = [.loadUnsoldFresh]
            case .function(8):
                s.counting = CountSheet()
                effects = [.loadCount]
            case .function(9):
                s.transfers = TransferSheet(product: s.rows.indices.contains(s.selected) ? s.rows[s.selected] : nil)
                effects = [.loadTransfers]
            case .function(6):
                guard s.rows.indices.contains(s.selected) else { break }
                effects = [.lookup(s.rows[s.selected].sku)]   // the price, for the value at retail
                s.adjust = AdjustPrompt(position: s.rows[s.selected], unitPrice: .zero)
            case .tab:
                let all = StockFilterKind.allCases
                s.filter = all[((all.firstIndex(of: s.filter) ?? 0) + 1) % all.count]
                s.selected = 0
                effects = s.refilter()
            case .char(let c) where !c.isNewline:
                s.query.append(c)
                s.selected = 0
                effects = s.refilter()
            case .backspace:
                if !s.query.isEmpty { s.query.removeLast() }
                effects = s.refilter()
            case .up: s.selected = max(0, s.selected - 1)
            case .down: s.selected = min(max(0, s.rows.count - 1), s.selected + 1)
            case .pageDown: s.selected = min(max(0, s.rows.count - 1), s.selected + 10)
            case .pageUp: s.selected = max(0, s.selected - 10)
            case .function(5):
                if sync.enrolled {
                    flash = .info(tr(.readingCentralStock))
                    effects = [.refreshStock]
                } else {
                    flash = .error(tr(.registerNotEnrolledNoCentralTo))
                }
            case .escape:
                screen = .menu(MenuState())
                return []
            default: break
            }
            screen = .stock(s)
            return effects
        case .restock(var s):
            var effects: [Effect] = []
            switch key {
            case .tab:
                s.pane = s.pane == .suggestions ? .requests : .suggestions
                s.selected = 0
            case .up: s.selected = max(0, s.selected - 1)
            case .down:
                let count = s.pane == .suggestions ? s.suggestions.count : s.requests.count
                s.selected = min(max(0, count - 1), s.selected + 1)
            case .char(" ") where s.pane == .suggestions && s.suggestions.indices.contains(s.selected):
                let item = s.suggestions[s.selected]
                s.chosen[item.position.productId] = s.chosen[item.position.productId] == nil ? item.suggested : nil
            case .char(let c) where (c == "+" || c == "-") && s.pane == .suggestions && s.suggestions.indices.contains(s.selected):
                let id = s.suggestions[s.selected].position.productId
                let q = (s.chosen[id] ?? s.suggestions[s.selected].suggested) + (c == "+" ? 1 : -1)
                s.chosen[id] = min(Quantity.maximumPerLine, max(1, q))
            case .function(5) where s.pane == .suggestions:
                if s.chosen.isEmpty {
                    flash = .error(tr(.tickSomeItemsSpace))
                } else {
                    effects = [.requestRestock(s.chosen, by: user.id)]
                    s.chosen = [:]
                }
            case .function(6) where s.pane == .requests && s.requests.indices.contains(s.selected):
                let line = s.requests[s.selected]
                if line.request.state == .shipped {
                    effects = [.receiveRestock(requestId: line.request.id, by: user.id)]
                } else {
                    flash = .error(tr(.onlyAShippedRequestCanBe))
                }
            case .escape:
                screen = .menu(MenuState())
                return []
            default: break
            }
            screen = .restock(s)
            return effects
        case .salesReport(var s):
            var effects: [Effect] = []
            if s.editingCustom {
                switch key {
                case .char(let c) where c.isNumber || c == "-" || c == " ":
                    if s.customInput.count < 21 { s.customInput.append(c) }
                case .backspace:
                    if !s.customInput.isEmpty { s.customInput.removeLast() }
                case .escape: s.editingCustom = false
                case .enter:
                    let parts = s.customInput.split(separator: " ").compactMap { Day(iso: String($0)) }
                    if parts.count == 2, parts[0] <= parts[1] {
                        s.editingCustom = false
                        s.period = .custom
                        s.loading = true
                        effects = [.loadReport(from: parts[0], to: parts[1], userId: user.id)]
                    } else {
                        flash = .error(tr(.periodTwoDatesYyyyMmDd))
                    }
                default: break
                }
                screen = .salesReport(s)
                return effects
            }
            let today = Clock.day(now, context.store.timeZone)
            switch key {
            case .char("1"), .char("2"), .char("3"):
                let days = key == .char("1") ? 1 : (key == .char("2") ? 7 : 30)
                s.period = days == 1 ? .today : (days == 7 ? .days7 : .days30)
                s.loading = true
                s.scroll = 0
                effects = [.loadReport(from: today.adding(days: 1 - days), to: today, userId: user.id)]
            case .char("4"):
                s.editingCustom = true
                s.customInput = ""
            case .up: s.scroll = max(0, s.scroll - 1)
            case .down: s.scroll += 1
            case .pageUp: s.scroll = max(0, s.scroll - 10)
            case .pageDown: s.scroll += 10
            case .function(5):
                if let report = s.report { effects = [.exportReport(report)] }
            case .escape:
                screen = .menu(MenuState())
                return []
            default: break
            }
            screen = .salesReport(s)
            return effects
        case .dashboard(var s):
            var effects: [Effect] = []
            switch key {
            case .tab:
                s.window = s.window == .today ? .days7 : (s.window == .days7 ? .days30 : .today)
            case .function(5):
                s.loading = true
                effects = [.loadDashboard(userId: user.id)]
            case .escape:
                screen = .menu(MenuState())
                return []
            default: break
            }
            screen = .dashboard(s)
            return effects
        case .approvals(var s) where s.pane == .exceptions:
            let effects = exceptionsKey(key, &s, user)
            if case .approvals = screen { screen = .approvals(s) }
            return effects
        case .approvals(var s) where s.pane == .promotions:
            let effects = promotionsKey(key, &s, user)
            if case .approvals = screen { screen = .approvals(s) }
            return effects
        case .approvals(var s):
            var effects: [Effect] = []
            switch key {
            case .tab:
                s.pane = .exceptions
                s.selected = 0
                s.loading = true
                screen = .approvals(s)
                return [.loadExceptions(userId: user.id)]
            case .up:
                s.selected = max(0, s.selected - 1)
                s.selectedId = s.requests.indices.contains(s.selected) ? s.requests[s.selected].request.id : nil
            case .down:
                s.selected = min(max(0, s.requests.count - 1), s.selected + 1)
                s.selectedId = s.requests.indices.contains(s.selected) ? s.requests[s.selected].request.id : nil
            case .char(let c) where s.requests.indices.contains(s.selected):
                let action: RestockAction? = switch c.lowercased() {
                case "a": .approve
                case "r": .reject
                case "s", "e": .ship
                default: nil
                }
                let request = s.requests[s.selected].request
                if action == .ship, request.state == .requested {
                    // Issue 28: central answered "already changed state"; the reason is the approval it still needs.
                    flash = .error(tr(.approveThisRequestFirstAThen))
                } else if let action {
                    effects = [.decideRestock(requestId: request.id, action, userId: user.id)]
                }
            case .function(5):
                s.loading = true
                effects = [.loadApprovals(userId: user.id)]
            case .escape:
                screen = .menu(MenuState())
                return []
            default: break
            }
            screen = .approvals(s)
            return effects
        default:
            return nil
        }
    }

    /// Answers to the staff screens' effects; nil when the message is not one of them.
    mutating func staffResult(_ message: Message) -> [Effect]? {
        if case .stock(var s) = screen, let effects = transferResult(message, &s) {
            screen = .stock(s)
            return effects
        }
        switch (message, screen) {
        case (.lookedUp(_, let product?), .stock(var s)) where s.adjust?.position.productId == product.id:
            s.adjust?.unitPrice = product.price
            screen = .stock(s)
            return []
        case (.countLoaded(let count, let categories), .stock(var s)) where s.counting != nil:
            s.counting?.count = count
            s.counting?.loaded = true
            if !categories.isEmpty { s.counting?.categories = categories }
            screen = .stock(s)
            return []
        case (.pinChecked(let userId, let result), .stock(var s)) where s.counting?.manager?.checking == userId:
            guard var c = s.counting, let user else { return [] }
            c.manager?.checking = nil
            s.counting = c
            screen = .stock(s)
            guard managerAccepted(userId, result) else { return [] }
            s.counting?.manager = nil
            screen = .stock(s)
            return [.confirmCount(by: user.id, approvedBy: userId)]
        case (.unsoldFreshLoaded(let lines), .stock(var s)):
            if lines.isEmpty {
                flash = .info(tr(.noFreshProductOnHandNothing))
            } else {
                s.waste = WasteSheet(lines: lines)
            }
            screen = .stock(s)
            return []
        case (.pinChecked(let userId, let result), .stock(var s)) where s.waste?.manager?.checking == userId:
            guard var w = s.waste, let user else { return [] }
            w.manager?.checking = nil
            s.waste = w
            screen = .stock(s)
            guard managerAccepted(userId, result) else { return [] }
            return [.recordWaste(w.lines.filter { $0.units > 0 }, by: user.id, approvedBy: userId)]
        case (.adjusted(let word), .stock(var s)):
            flash = .info(tr(word))
            s.adjust = nil
            s.waste = nil
            s.counting = nil
            guard s.liveRows != nil else {
                screen = .stock(s)
                return s.refilter()
            }
            // Central's figures read before it do not hold it: back to the till's own, which do
            // (F5 reads central again, with what this till has not sent yet; issue 28, item 8).
            s.liveRows = nil
            s.liveAt = nil
            screen = .stock(s)
            return [.loadStock(s.filter, query: s.query)]
        case (.pinChecked(let userId, let result), .stock(var s)):
            guard var a = s.adjust, a.manager?.checking == userId, let user else { return [] }
            a.manager?.checking = nil
            s.adjust = a
            screen = .stock(s)
            guard managerAccepted(userId, result), let quantity = a.quantity else { return [] }
            return [.recordAdjustment(a.reason, productId: a.position.productId, quantity: quantity, note: a.note.isEmpty ? nil : a.note,
                                      by: user.id, approvedBy: userId)]
        case (.stockLoaded(let rows, let warehouse, let liveAt), .stock(var s)):
            s.warehouse = Dictionary(warehouse.map { ($0.productId, $0.onHand) }, uniquingKeysWith: { a, _ in a })
            s.liveAt = liveAt
            if liveAt != nil {
                // Central answers every row of the store: the screen's filter and search still hold.
                s.liveRows = rows
                s.rows = StockViewState.shown(rows, s.filter, s.query)
                flash = .info(tr(.centralStockReadItemSShown(s.rows.count)))
            } else {
                s.liveRows = nil
                s.rows = rows
            }
            s.selected = min(s.selected, max(0, s.rows.count - 1))
            screen = .stock(s)
            return []
        case (.restockLoaded(let suggestions, let requests), .restock(var s)):
            s.suggestions = suggestions
            s.requests = requests
            let count = s.pane == .suggestions ? suggestions.count : requests.count
            s.selected = min(s.selected, max(0, count - 1))
            screen = .restock(s)
            return []
        case (.restockChanged(let word), .restock):
            flash = .info(tr(word))
            return [.loadRestock]
        case (.reportLoaded(let report, let live), .salesReport(var s)):
            s.report = report
            s.live = live
            s.loading = false
            s.savedTo = nil
            screen = .salesReport(s)
            if !live {
                flash = .error(tr(.centralUnreachableThisRegisterFiguresOnly))
            }
            return []
        case (.reportExported(let path), .salesReport(var s)):
            s.savedTo = path
            screen = .salesReport(s)
            flash = .info(tr(.exported) + path)
            return []
        case (.dashboardLoaded(let dashboard, let at), .dashboard(var s)):
            s.dashboard = dashboard
            s.loadedAt = at
            s.loading = false
            screen = .dashboard(s)
            return []
        case (.approvalsLoaded(let requests), .approvals(var s)):
            let current = s.selectedId ?? (s.requests.indices.contains(s.selected) ? s.requests[s.selected].request.id : nil)
            s.requests = requests
            s.loading = false
            s.selected = requests.firstIndex { $0.request.id == current } ?? min(s.selected, max(0, requests.count - 1))
            s.selectedId = requests.indices.contains(s.selected) ? requests[s.selected].request.id : nil
            screen = .approvals(s)
            return []
        case (.exceptionsLoaded(let list), .approvals(var s)):
            s.exceptions = list
            s.loading = false
            s.selected = min(s.selected, max(0, list.count - 1))
            screen = .approvals(s)
            return []
        case (.promotionsLoaded(let list), .approvals(var s)):
            s.promotions = list
            s.loading = false
            s.selected = min(s.selected, max(0, list.count - 1))
            screen = .approvals(s)
            return []
        case (.approvalDone(let word), .approvals(var s)) where s.pane == .promotions:
            if let word { flash = .info(tr(word)) }
            s.form = nil
            screen = .approvals(s)
            guard let user else { return [] }
            return [.loadPromotions(userId: user.id)]
        case (.approvalDone(let word), .approvals(let s)) where s.pane == .exceptions:
            if let word { flash = .info(tr(word)) }
            guard let user else { return [] }
            return [.loadExceptions(userId: user.id)]
        case (.approvalDone(let word), .approvals):
            if let word { flash = .info(tr(word)) }
            guard let user else { return [] }
            return [.loadApprovals(userId: user.id)]
        default:
            return nil
        }
    }

    /// After a sync cycle that reached central, screens that show synced or
    /// central figures read them again.
    func refreshAfterSync() -> [Effect] {
        guard sync.online == true else { return [] }
        // The pull may have brought the store's new quick keys.
        let keys: [Effect] = sync.enrolled ? [.loadQuickKeys] : []
        guard let user else { return keys }
        switch screen {
        // An open transfer sheet shows what the other store and head office did meanwhile.
        case .stock(let s) where s.transfers != nil && s.transfers?.prompt == nil: return keys + [.loadTransfers]
        case .stock(let s) where s.liveAt == nil: return keys + [.loadStock(s.filter, query: s.query)]
        case .restock: return keys + [.loadRestock]
        case .dashboard(let s) where !s.loading: return keys + [.loadDashboard(userId: user.id)]
        default: return keys
        }
    }
}
