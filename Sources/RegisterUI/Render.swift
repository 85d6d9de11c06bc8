import CaisseCore
import ScreenKit

public let minimumSize = Size(width: 80, height: 24)

/// What `render` produces: the picture and where the text cursor blinks (nil: hidden).
public struct Frame: Hashable, Sendable {
    public var grid: Grid
    public var cursor: Cursor?

    public struct Cursor: Hashable, Sendable {
        public var x: Int
        public var y: Int
    }
}

extension AppState {
    /// Draws the whole screen. Pure: the same state and size give the same cells.
    public func render(_ size: Size) -> Frame {
        var g = Grid(width: size.width, height: size.height)
        guard size.width >= minimumSize.width, size.height >= minimumSize.height else {
            g.put(tr(.terminalTooSmall8024At(size.width, size.height)), x: 0, y: 0, .warning)
            return Frame(grid: g, cursor: nil)
        }
        var cursor: Frame.Cursor?
        titleBar(&g)
        switch screen {
        case .login(let s): cursor = drawLogin(&g, s)
        case .menu(let s): drawMenu(&g, s)
        case .sale(let s): cursor = drawSale(&g, s)
        case .payment(let s): cursor = drawPayment(&g, s)
        case .done(let s): drawDone(&g, s)
        case .returns(let s): cursor = drawReturn(&g, s)
        case .count(let s): cursor = drawCount(&g, s)
        case .report(let s): drawReport(&g, s)
        case .stock(let s): drawStock(&g, s)
        case .restock(let s): drawRestock(&g, s)
        case .salesReport(let s): cursor = drawSalesReport(&g, s)
        case .dashboard(let s): drawDashboard(&g, s)
        case .approvals(let s): drawApprovals(&g, s)
        case .orders(let s): drawOrders(&g, s)
        }
        if let flash {
            g.fill(y: g.height - 3, .plain)
            g.put(flash.text, x: 1, y: g.height - 3, flash.kind == .error ? .error : .good)
        }
        if keysShown {
            drawAllKeys(&g)
            cursor = nil
        }
        helpLine(&g)
        statusBar(&g)
        return Frame(grid: g, cursor: cursor)
    }

    // MARK: - Chrome

    func titleBar(_ g: inout Grid) {
        g.fill(y: 0, .bar)
        var right = Clock.time(now, context.store.timeZone) + " "
        if let user { right = "\(user.displayName) (\(tr.role(user.role))) · " + right }
        // The chain's name goes first when the bar is short: a name cut mid-word ("cafés-boul…")
        // says less than none (issue 28, item 16); the store and register always stay.
        let room = g.width - right.count - 1
        var left = " \(context.store.name) · \(tr(.registerInLine)) \(context.registerId)"
        if left.count + 3 + context.chainName.count < room { left += " · " + context.chainName }
        g.put(left.fitted(room), x: 0, y: 0, .bar)
        g.putRight(right, right: g.width, y: 0, .bar)
    }

    func statusBar(_ g: inout Grid) {
        let y = g.height - 1
        g.fill(y: y, .bar)
        var parts: [String] = []
        if sync.damaged {
            parts.append(tr(.databaseDamagedStopSelling))
        } else if !sync.enrolled {
            parts.append(tr(.standAloneRegisterNotEnrolled))
        } else if sync.refusal != nil {
            parts.append(tr(.refusedByCentralCallHeadOffice))
            parts.append(tr(.toSend(sync.pending)))
        } else {
            switch sync.online {
            case .some(true): parts.append(tr(.online))
            case .some(false): parts.append(tr(.offline))
            case .none: parts.append(tr(.connecting))
            }
            parts.append(tr(.toSend(sync.pending)))
            if let skew = sync.clockSkewSeconds, abs(skew) > ClockSkew.tolerance {
                // In place of the last sync's time, which this clock cannot tell right.
                parts.append(tr(.clock) + ClockSkew.describe(skew, tr.language))
            } else {
                parts.append(tr(.synced) + (sync.lastSuccess.map { Clock.time($0, context.store.timeZone) } ?? tr(.never)))
            }
        }
        if let printer {
            // A receipt waits: the cashier hands the customer nothing until it prints (F9 reprints).
            let count = " (\(printer.waiting))"
            switch printer.problem {
            case .paperOut?: parts.append(tr(.outOfPaper) + count)
            case .offline?: parts.append(tr(.printerOffline) + count)
            case nil: parts.append(tr(.toPrint) + count)
            }
        }
        // The float gives way to the printer's state: both do not fit in 80 columns.
        if let drawer, printer == nil { parts.append(tr(.drawerOpenFloat) + tr.money(drawer.float)) }
        else if drawer != nil { parts.append(tr(.drawerOpen)) }
        else if user != nil { parts.append(tr(.drawerClosed)) }
        g.put(" " + parts.joined(separator: " │ "), x: 0, y: y, .bar)
    }

    /// The keys of the screen, in order; when they do not all fit, those that do and "F1" for
    /// the list of every one (issue 28, item 10: the bar left out keys that worked).
    func helpLine(_ g: inout Grid) {
        let y = g.height - 2
        let keys = help()
        func width(_ entries: ArraySlice<(String, String)>) -> Int {
            entries.reduce(1) { $0 + $1.0.count + $1.1.count + 3 }
        }
        var shown = keys[...]
        if width(shown) > g.width, !screenTakesF1 {
            // The way out (Esc) stays; the others in their order, as many as fit before F1.
            let esc = tr(.esc)
            let out = keys.last { $0.0 == esc }
            var tail: [(String, String)] = (out.map { [$0] } ?? []) + [(Self.allKeysKey, tr(.keys))]
            shown = keys.filter { $0.0 != esc }[...]
            while !shown.isEmpty, width(shown) + width(tail[...]) - 1 > g.width { shown = shown.dropLast() }
            tail.insert(contentsOf: shown, at: 0)
            shown = tail[...]
        }
        var x = 1
        for (key, label) in shown {
            if x + key.count + label.count + 1 > g.width { break }
            x = g.put(key, x: x, y: y, .accent)
            x = g.put(" " + label + "  ", x: x, y: y, .plain)
        }
    }

    static let allKeysKey = "F1"

    /// F1's box: every key of the screen, two columns when they need them.
    func drawAllKeys(_ g: inout Grid) {
        let keys = help()
        let keyWidth = keys.map(\.0.count).max() ?? 0
        let cell = min(37, keyWidth + 2 + (keys.map(\.1.count).max() ?? 0))
        let columns = keys.count > 8 ? 2 : 1
        let rows = (keys.count + columns - 1) / columns
        // Wide enough for its title and its footer too (a short key list cut both).
        let title = tr(.thisScreenKeys), footer = tr(.anyKeyToClose)
        let width = min(g.width - 4, max(columns * (cell + 2) + 2, title.count + 6, footer.count + 4)), height = rows + 4
        let x = (g.width - width) / 2, y = max(2, (g.height - height) / 2 - 1)
        g.fill(x: x, y: y, width: width, height: height, .plain)   // nothing of the screen shows through
        g.box(x: x, y: y, width: width, height: height, .accent, title: title)
        for (i, (key, label)) in keys.enumerated() {
            let cx = x + 2 + (i / rows) * (cell + 2), cy = y + 2 + i % rows
            let after = g.put(key, x: cx, y: cy, .accent)
            g.put(String(label.prefix(max(0, cell - keyWidth - 2))), x: max(after + 1, cx + keyWidth + 2), y: cy, .plain)
        }
        g.put(footer, x: x + 2, y: y + height - 1, .muted)
    }

    func help() -> [(String, String)] {
        let esc = tr(.esc)
        let enter = tr(.enter)
        switch screen {
        case .login(let s):
            if s.pinFor != nil { return [(enter, tr(.confirm)), (esc, tr(.back))] }
            return [("↑↓", tr(.choose)), (enter, tr(.pin)), (esc, tr(.clear))]
        case .menu(let s):
            if s.noSale != nil { return [("↑↓", tr(.manager)), (enter, tr(.approve)), (esc, tr(.cancel))] }
            return [("↑↓ 0-9", tr(.choose)), (enter, tr(.openWord)), (esc, tr(.logOut)), ("Ctrl-C", tr(.quit))]
        case .sale(let s):
            if s.prompt == .confirmVoid { return [(enter, tr(.voidTheSale)), (esc, tr(.keepTheSale))] }
            if case .discount(let d) = s.prompt {
                if d.reason != nil { return [("↑↓", tr(.manager)), (enter, tr(.approve)), (esc, tr(.cancel))] }
                if d.rule != nil { return [("1-6", tr(.reason)), (esc, tr(.back))] }
                return [("Tab", tr(.choice)), (enter, tr(.reason)), ("F3", tr(.remove)), (esc, tr(.cancel))]
            }
            if s.prompt != nil { return [(enter, tr(.confirm)), (esc, tr(.back))] }
            if s.parked != nil { return [("↑↓", tr(.choose)), (enter, tr(.recall)), (esc, tr(.back))] }
            if s.quickPane {
                return [("1-9 0", tr(.add)), ("+/-", tr(.qty)), ("F6", tr(.pay)), ("Tab", tr(.scan))]
            }
            if !s.results.isEmpty {
                return [("↑↓", tr(.choose)), (enter, tr(.add)), ("PgDn PgUp", tr(.page)), (esc, tr(.clear))]
            }
            if s.cart.isEmpty {
                return [("Tab", tr(.quickKeys)), ("F9", tr(.parkedSales)),
                        ("F11", tr(.customer)), (esc, "Menu")]
            }
            // The most used first: what does not fit is under F1.
            return [("F6", tr(.pay)), ("F5", tr(.exact)), ("+/-", tr(.qty)), ("%", tr(.discount)),
                    ("F3", tr(.remove2)), ("F4", tr(.voidTheSale)), ("F7", tr(.payByCard)),
                    ("F2", tr(.lineQuantity)), ("↑↓", tr(.line)), ("F8", tr(.park)),
                    ("Tab", tr(.quickKeys)), ("F11", tr(.customer)),
                    ("F12", tr(.loyaltyReward)), (esc, tr(.clearTyping))]
        case .payment(let s):
            if s.cardAmount != nil { return [(enter, tr(.confirmCard)), (esc, tr(.back))] }
            // Short enough that Esc still shows at 80 columns in French (issue 28).
            return [(enter, tr(.cashGiven)), ("F1-F4", tr(.bill)), ("F5", tr(.exactCash)),
                    ("F7", tr(.card)), (esc, s.payment.tenders.isEmpty ? tr(.back) : tr(.undoLast))]
        case .done:
            return [(enter, tr(.next)), ("↑↓", tr(.scroll)), (esc, "Menu")]
        case .returns(let s):
            if s.sale == nil { return [("↑↓", tr(.sale)), (enter, tr(.returnWord)), ("F9", tr(.reprint)), (esc, "Menu")] }
            if s.approval != nil { return [("↑↓", tr(.manager)), (enter, tr(.approve)), (esc, tr(.cancel))] }
            if s.cardAmountEntry { return [(enter, tr(.confirmCard)), (esc, tr(.back))] }
            return [("↑↓", tr(.line)), ("+/- 0-9", tr(.qty)), (enter, tr(.refund)),
                    ("F5", tr(.cash)), ("F7", tr(.card)), (esc, tr(.otherReceipt)),
                    ("F9", tr(.reprint))]
        case .count(let s):
            if s.confirming { return [(enter, tr(.closeTheDrawerWithThisCount))] }
            if s.purpose == .closeCount {
                return [("0-9", tr(.pieces)), (enter + " ↓↑", tr(.row)), ("F5", tr(.counted)), (esc, "Menu")]
            }
            return [(enter, tr(.confirm)), (esc, "Menu")]
        case .report:
            return [("↑↓ PgUp PgDn", tr(.scroll)), (enter, "Menu")]
        case .stock(let s):
            if let c = s.counting {
                if c.manager != nil { return [("↑↓", tr(.manager)), (enter, tr(.approve)), (esc, tr(.cancel))] }
                if c.count == nil { return [(enter, tr(.start)), (esc, tr(.close))] }
                return [(enter, tr(.count)), ("F5", tr(.confirm2)), ("F3", tr(.drop)), (esc, tr(.later))]
            }
            if let t = s.transfers {
                switch t.prompt {
                case .ship?: return [(enter, tr(.ship)), (esc, tr(.cancel))]
                case .receive?: return [("Tab", tr(.goodDamaged)), (enter, tr(.receive)), (esc, tr(.cancel))]
                case .new?: return [("Tab", tr(.store)), (enter, tr(.confirm)), (esc, tr(.cancel))]
                case nil: break
                }
                return [("↑↓", tr(.transfer)), (enter, tr(.shipReceive)), ("F6", tr(.send)),
                        ("F7", tr(.ask)), (esc, tr(.close))]
            }
            if let w = s.waste {
                if w.manager != nil { return [("↑↓", tr(.manager)), (enter, tr(.approve)), (esc, tr(.cancel))] }
                return [("↑↓ PgDn", tr(.line)), ("0-9", tr(.thrown)), ("F5", tr(.declare)), ("*", tr(.all)),
                        ("F4", tr(.allLines)), (esc, tr(.close)), (tr(.letters), tr(.find))]
            }
            if s.adjust?.manager != nil { return [("↑↓", tr(.manager)), (enter, tr(.approve)), (esc, tr(.cancel))] }
            if s.adjust?.typingNote == true { return [(enter, tr(.record)), (esc, tr(.backToTheUnits))] }
            if s.adjust != nil { return [("Tab", tr(.reason)), (enter, tr(.next)), (esc, tr(.cancel))] }
            // Letters search (the screen says "Recherche"): the keys are what the help line has room for.
            return [(tr(.tab), tr(.filter)), ("F5", tr(.central)), ("F6", tr(.adjust)),
                    ("F7", tr(.unsold)), ("F8", tr(.count2)), ("F9", tr(.transfers)), (esc, "Menu"),
                    ("↑↓ PgUp PgDn", tr(.item)), (tr(.letters), tr(.search))]
        case .restock(let s):
            if s.pane == .suggestions {
                return [("Tab", tr(.requests)), (tr(.space), tr(.tick)), ("+/-", tr(.qty)),
                        ("F5", tr(.request)), (esc, "Menu")]
            }
            return [("Tab", tr(.toOrder)), ("↑↓", tr(.request2)), ("F6", tr(.receive)), (esc, "Menu")]
        case .salesReport(let s):
            if s.editingCustom { return [(enter, tr(.confirm)), (esc, tr(.back))] }
            return [("1", tr(.today)), ("2", tr(.n7Days)), ("3", tr(.n30Days)),
                    ("4", tr(.dates)), ("F5", tr(.csvExport)), (esc, "Menu"),
                    ("↑↓ PgUp PgDn", tr(.scroll))]
        case .dashboard:
            return [("Tab", tr(.period)), ("F5", tr(.refresh)), (esc, "Menu")]
        case .approvals(let s) where s.pane == .exceptions:
            if s.note != nil { return [(enter, tr(.confirm)), (esc, tr(.back))] }
            if s.exceptions.indices.contains(s.selected), s.exceptions[s.selected].quarantined == true {
                return [("↑↓", ""), ("A", tr(.apply2)), ("C", tr(.date)), ("V", tr(.void2)),
                        ("Tab", tr(.promos)), ("F5", tr(.refresh)), (esc, "Menu")]
            }
            return [("↑↓", tr(.exception)), ("R", tr(.resolve)), ("Tab", tr(.promotions)),
                    ("F5", tr(.refresh)), (esc, "Menu")]
        case .approvals(let s) where s.pane == .promotions:
            if s.form != nil {
                return [("↑↓", tr(.field)), (enter, tr(.next)), ("F5", tr(.create)), (esc, tr(.cancel))]
            }
            return [("N", tr(.new)), ("E", tr(.end)), ("Tab", tr(.requests)),
                    ("F5", tr(.refresh)), (esc, "Menu")]
        case .approvals:
            return [("A", tr(.approve)), ("R", tr(.reject)), ("S", tr(.ship)),
                    ("Tab", tr(.exceptions)), ("F5", tr(.refresh)), (esc, "Menu")]
        case .orders:
            return ordersKeyBar()
        }
    }

    func heading(_ g: inout Grid, _ text: String) {
        g.put(text, x: 2, y: 2, .accent)
    }

    // MARK: - Login

    func drawLogin(_ g: inout Grid, _ s: LoginState) -> Frame.Cursor? {
        heading(&g, tr(.logIn) + " — " + context.store.name)
        let people = s.candidates(users, storeId: context.store.id)
        if let id = s.pinFor, let person = users.first(where: { $0.id == id }) {
            let boxWidth = 50, x = (g.width - boxWidth) / 2, y = 7
            g.box(x: x, y: y, width: boxWidth, height: 7, .accent, title: tr(.pin))
            g.put(person.displayName + " (" + tr.role(person.role) + ")", x: x + 3, y: y + 2, .bold)
            let label = tr(.pinLabel)
            g.put(label, x: x + 3, y: y + 4)
            let end = g.put(String(repeating: "•", count: s.pin.count), x: x + 3 + label.count, y: y + 4, .bold)
            if let until = s.lockedUntil, now < until {
                g.put(tr(.lockedForMoreS((until - now + 999) / 1000)),
                      x: x + 3, y: y + 5, .error)
            }
            return s.checking ? nil : Frame.Cursor(x: end, y: y + 4)
        }
        let prompt = tr(.whoAreYouTypeToFilter)
        g.put(prompt, x: 2, y: 4)
        let end = g.put(s.query, x: 2 + prompt.count, y: 4, .bold)
        let top = 6, rows = g.height - 4 - top
        let first = max(0, s.selected - rows + 1)
        for (i, person) in people.enumerated().dropFirst(first).prefix(rows) {
            let y = top + i - first
            let style: Style = i == s.selected ? .reverse : .plain
            if i == s.selected { g.fill(x: 2, y: y, width: g.width - 4, style) }
            g.put(" " + person.displayName.fitted(30) + " " + person.username.fitted(18) + " " + tr.role(person.role),
                  x: 2, y: y, style, limit: g.width - 4)
        }
        if people.isEmpty { g.put(tr(.nobodyMatches), x: 3, y: top, .muted) }
        return Frame.Cursor(x: end, y: 4)
    }

    // MARK: - Menu

    func menuLabel(_ entry: MenuEntry) -> (String, available: Bool) {
        switch entry {
        case .sale: (tr(.sale), true)
        case .returns: (tr(.returnWord2), true)
        case .openDrawer: (tr(.openTheDrawerFloat), true)
        case .xReport: (tr(.xReportDrawerFiguresSoFar), true)
        case .closeDrawer: (tr(.closeTheDrawerCountZReport), true)
        case .noSale: (tr(.openTheDrawerNoSaleManager), true)
        case .stock: (tr(.stockStoreAndWarehouse), true)
        case .restock: (tr(.restockRequestsReceiving), true)
        case .reports: (tr(.consolidatedSalesReport), true)
        case .dashboard: (tr(.storesDashboard), true)
        case .approvals: (tr(.restockAndExceptionsHeadOffice), true)
        case .orders: (tr(.webOrdersForPickup), true)
        case .syncNow: (tr(.syncNow), true)
        case .logout: (tr(.logOut), true)
        }
    }

    func drawMenu(_ g: inout Grid, _ s: MenuState) {
        heading(&g, "Menu")
        for (i, entry) in menuEntries().enumerated() {
            let y = 4 + i
            let (label, available) = menuLabel(entry)
            let selected = i == s.selected
            let style: Style = selected ? .reverse : (available ? .plain : .muted)
            if selected { g.fill(x: 2, y: y, width: 50, style) }
            let key = Self.menuKey(entry).map(String.init) ?? tr(.esc)
            g.put(" " + key.fitted(5) + " " + label + (available ? "" : tr(.coming)), x: 2, y: y, style, limit: 50)
        }
        if let prompt = s.noSale { drawNoSalePrompt(&g, prompt) }
    }

    /// A manager's PIN before the drawer opens with no sale.
    func drawNoSalePrompt(_ g: inout Grid, _ prompt: ManagerPIN) {
        let managers = storeManagers
        let width = min(g.width - 4, 60), x = (g.width - width) / 2, top = 6
        let height = 7 + min(managers.count, 4)
        g.fill(x: x, y: top, width: width, height: height, .plain)
        g.box(x: x, y: top, width: width, height: height, .accent, title: tr(.openTheDrawerNoSale))
        g.put(tr(.aManagerApprovesItTheZ),
              x: x + 2, y: top + 1, .warning, limit: width - 4)
        for (i, m) in managers.prefix(4).enumerated() {
            g.put((i == prompt.selected ? "▸ " : "  ") + m.displayName + " (" + tr.role(m.role) + ")", x: x + 2, y: top + 3 + i,
                  i == prompt.selected ? .reverse : .plain, limit: width - 4)
        }
        let label = tr(.managerPin)
        let py = top + 4 + min(managers.count, 4)
        g.put(label, x: x + 2, y: py)
        g.put(String(repeating: "•", count: prompt.pin.count), x: x + 2 + label.count, y: py, .bold)
    }

}
