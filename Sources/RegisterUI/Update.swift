import CaisseCore
import ScreenKit

/// How long the login locks after three wrong PINs.
public let pinLockMillis: Int64 = PinAttempts.lockMillis

extension AppState {
    /// The one way the TUI changes: a message in, the new state and the effects
    /// the runtime must carry out. Pure: no terminal, no database, no clock.
    public mutating func update(_ message: Message) -> [Effect] {
        switch message {
        case .tick(let now):
            self.now = now
            refreshOffers()
            return []
        case .printer(let info):
            printer = info.waiting == 0 && info.problem == nil ? nil : info
            return []
        case .sync(let info):
            let newRefusal = info.refusal != nil && info.refusal != sync.refusal
            sync = info
            if info.damaged {
                flash = .error(tr(.thisTillDatabaseIsDamagedStop))
            } else if newRefusal, let refusal = info.refusal {
                flash = .error(tr(.centralRefusesThisTillJournalCall)
                               + refusal)
            } else if syncAsked {
                // What the sync asked for did: it said only "requested" before, online or not.
                flash = info.online == true
                    ? .info(tr(.syncedWithCentralEventSWaiting(info.pending)))
                    : .error(tr(.centralUnreachableSalesStayHereTo(info.pending)))
            }
            syncAsked = false
            return refreshAfterSync()
        case .resized(let size):
            terminalSize = size
            return []
        case .key(.ctrl("c")):
            if hasSaleInProgress && !quitArmed {
                quitArmed = true
                // The cart is kept in the till's database: it comes back at the next login (issue 28:
                // the message said it would be lost, and was cut off at 80 columns in French).
                flash = .error(tr(.saleKeptCtrlCAgainQuits))
                return []
            }
            quitting = true
            return [.quit]
        case .key(let key):
            if let size = terminalSize, size.width < minimumSize.width || size.height < minimumSize.height {
                return []   // the "terminal too small" screen hides what a key would act on
            }
            quitArmed = false
            // A key answers the last message; the next action gets a fresh line.
            flash = nil
            if keysShown {
                keysShown = false   // any key closes the list of keys, and only that
                return []
            }
            if key == .function(1), !screenTakesF1 {
                keysShown = true
                return []
            }
            if sync.damaged, user != nil, case .menu = screen, Self.opensAScreen(key) {
                // A damaged database may lose what it writes: no new sale or return here.
                flash = .error(tr(.registerOutOfServiceItsDatabase))
                return []
            }
            let effects = handle(key)
            refreshOffers()
            return effects
        default:
            let effects = handleResult(message)
            refreshOffers()
            return effects
        }
    }

    /// The payment screen's F1 is a bill (F1–F4): there every key fits on the bar.
    var screenTakesF1: Bool {
        if case .payment = screen { return true }
        return false
    }

    /// The promotions running in this store now.
    public var runningOffers: [Promotion] {
        let moment = Clock.moment(now, context.store.timeZone)
        return promotions.filter { $0.runs(storeId: context.store.id, at: moment) }
    }

    /// The cart being sold is priced with the offers running now (a promotion
    /// that starts or ends mid-sale applies from the next key); a payment keeps
    /// the prices it started with.
    mutating func refreshOffers() {
        guard case .sale(var s) = screen else { return }
        let offers = runningOffers
        guard s.cart.offers != offers else { return }
        s.cart.offers = offers
        screen = .sale(s)
    }

    /// A cart with lines, or a payment under way: what Ctrl-C would lose.
    var hasSaleInProgress: Bool {
        switch screen {
        case .sale(let s): !s.cart.isEmpty
        case .payment: true
        default: false
        }
    }

    /// The cart to keep across a restart: the one on screen (selling or paying),
    /// else the one recovered and not yet given back to a sale.
    public var cartToKeep: Cart? {
        switch screen {
        case .sale(let s) where !s.cart.isEmpty: s.cart
        case .payment(let s): s.cart
        case .sale: nil
        default: recoveredCart
        }
    }

    /// Enter or a digit on the menu.
    static func opensAScreen(_ key: Key) -> Bool {
        if case .char(let c) = key { return c.isNumber }
        return key == .enter
    }

    /// Functional form, for tests and readers who prefer it: (state, message) → (state, effects).
    public func updated(_ message: Message) -> (AppState, [Effect]) {
        var copy = self
        let effects = copy.update(message)
        return (copy, effects)
    }

    mutating func handle(_ key: Key) -> [Effect] {
        if let effects = staffKey(key) { return effects }
        switch screen {
        case .stock, .restock, .salesReport, .dashboard, .approvals:
            return []   // handled by staffKey
        case .orders(var s):
            guard let user else { return [] }
            if key == .escape { screen = .menu(MenuState()); return [] }
            defer { if case .orders = screen { screen = .orders(s) } }
            return ordersKey(key, &s, user)
        case .login(var s):
            defer { if case .login = screen { screen = .login(s) } }
            return loginKey(key, &s)
        case .menu(var s):
            defer { if case .menu = screen { screen = .menu(s) } }
            return menuKey(key, &s)
        case .sale(var s):
            defer { if case .sale = screen { screen = .sale(s) } }
            return saleKey(key, &s)
        case .payment(var s):
            defer { if case .payment = screen { screen = .payment(s) } }
            return paymentKey(key, &s)
        case .done(var s):
            defer { if case .done = screen { screen = .done(s) } }
            return doneKey(key, &s)
        case .returns(var s):
            defer { if case .returns = screen { screen = .returns(s) } }
            return returnKey(key, &s)
        case .count(var s):
            defer { if case .count = screen { screen = .count(s) } }
            return countKey(key, &s)
        case .report(var s):
            defer { if case .report = screen { screen = .report(s) } }
            return reportKey(key, &s)
        }
    }

    mutating func handleResult(_ message: Message) -> [Effect] {
        if let effects = staffResult(message) { return effects }
        switch (message, screen) {
        case (.pinChecked(let userId, let result), .login(var s)):
            defer { if case .login = screen { screen = .login(s) } }
            pinChecked(userId: userId, result: result, &s)
        case (.pinChecked(let userId, let result), .sale(var s)):
            discountApprovalChecked(userId: userId, result: result, &s)
            screen = .sale(s)
        case (.pinChecked(let userId, let result), .menu(var s)):
            guard var prompt = s.noSale, prompt.checking == userId, let user else { return [] }
            prompt.checking = nil
            s.noSale = managerAccepted(userId, result) ? nil : prompt
            screen = .menu(s)
            return s.noSale == nil ? [.openDrawerNoSale(by: user.id, approvedBy: userId)] : []
        case (.noSaleRecorded(let managerId), _):
            let manager = users.first { $0.id == managerId }?.displayName ?? ""
            flash = .info(tr(.drawerOpenedWithNoSaleApproved(manager)))
        case (.pinChecked(let userId, let result), .returns(var s)):
            let effects = approvalChecked(userId: userId, result: result, &s)
            screen = .returns(s)
            return effects
        case (.searchResults(let query, let products, let total, let offset), .sale(var s)):
            if query == s.input {
                s.results = products
                s.resultQuery = query
                s.resultIndex = 0
                s.resultTotal = max(total, offset + products.count)
                s.resultOffset = offset
                screen = .sale(s)
            }
        case (.cartParked(let waiting), .sale(var s)):
            s = SaleState()
            flash = .info(tr(.saleParkedWaitingF9RecallsIt(waiting)))
            screen = .sale(s)
        case (.parkedLoaded(let list), .sale(var s)):
            if list.isEmpty {
                flash = .info(tr(.noParkedSale))
            } else {
                s.parked = list
                s.parkedIndex = 0
                screen = .sale(s)
            }
        case (.ordersLoaded(let list), .orders(var s)):
            s.orders = list
            s.selected = min(s.selected, max(0, list.count - 1))
            screen = .orders(s)
        case (.customerFound(let contact, let card, let offline), .sale(var s)):
            if let card {
                s.cart.customerCard = card
                s.prompt = nil
                flash = .info(tr(.customerFoundCardOnTheSale(Self.cardTail(card))))
            } else if offline {
                s.prompt = nil
                flash = .error(tr(.offlineScanTheCustomerCardThe))
            } else {
                s.prompt = .customer(contact: contact, creating: true)
            }
            screen = .sale(s)
        case (.rewardHeld(let hold, let offline), .sale(var s)):
            guard let hold else {
                flash = .error(offline ? tr(.offlineARewardNeedsCentralPoints)
                                       : tr(.notEnoughPointsForAReward))
                return []
            }
            do {
                try s.cart.setSaleDiscount(ManualDiscount(rule: .amount(hold.value), reason: DiscountReason.loyalty.rawValue, approvedBy: nil))
                s.cart.loyaltyHoldId = hold.id
                s.cart.pointsBalanceKnown = hold.balanceAfter
                flash = .info(tr(.rewardOffForPointsLeft(tr.money(hold.value), hold.points, hold.balanceAfter)))
                screen = .sale(s)
            } catch {
                // Worth more than the sale: the points go back.
                flash = .error(tr(.theRewardIsMoreThanThe(tr.money(hold.value))))
                return [.releaseReward(holdId: hold.id)]
            }
        case (.rewardHeld(let hold?, _), _):
            // The sale was left before central answered: the points go back.
            return [.releaseReward(holdId: hold.id)]
        case (.customerCreated(let card), .sale(var s)):
            s.cart.customerCard = card
            s.prompt = nil
            flash = .info(tr(.accountOpenedCardPrintedOnThe(Self.cardTail(card))))
            screen = .sale(s)
        case (.orderMoved(let number, let state), _):
            flash = .info(tr(.order2(number, orderStateWord(state))))
        case (.cartRecalled(let cart), .orders):
            // An order handed over: its lines are the sale, paid as any sale.
            screen = .sale(SaleState(cart: cart))
            flash = .info(tr(.webOrderTakePaymentForItem(cart.itemCount)))
        case (.cartRecalled(let cart), .sale):
            screen = .sale(SaleState(cart: cart))
            flash = .info(tr(.saleRecalledItemS(cart.itemCount)))
        case (.quickKeysLoaded(let keys), _):
            quickKeys = keys
        case (.offersLoaded(let list, let policy), _):
            promotions = list
            discountPolicy = policy
        case (.todaysSales(let list), .returns(var s)):
            s.todays = list
            s.todaysIndex = min(s.todaysIndex, max(0, list.count - 1))
            screen = .returns(s)
        case (.reprinted(let number, let receipt, let file), let current):
            var back: ReturnState?
            if case .returns(let r) = current, r.sale != nil { back = r }
            screen = .report(ReportState(title: tr(.copyOfReceipt(number)), lines: receipt, savedTo: file,
                                         backToReturn: back))
        case (.lookedUp(let code, let product), .sale(var s)):
            defer { if case .sale = screen { screen = .sale(s) } }
            looked(up: code, product, &s)
        case (.saleCommitted(let sale, let receipt, let file), .payment):
            screen = .done(DoneState(kind: .sale, receiptNumber: sale.receiptNumber, amount: sale.change,
                                     receipt: receipt, savedTo: file))
        case (.saleFound(let number, let sale, let returned, let cashRefunded, let atCentral), .returns(var s)):
            s.cashRefunded = cashRefunded
            s.atCentral = atCentral
            if let sale {
                s.sale = sale
                s.alreadyReturned = returned
                s.quantities = [:]
                s.selected = 0
                if sale.lines.allSatisfy({ returned[$0.lineNo, default: 0] >= $0.quantity }) {
                    flash = .error(tr(.everythingOnWasAlreadyReturned(number)))
                }
            } else {
                // Another register's or store's, perhaps: central knows every sale it received.
                flash = .info(tr(.lookingForSaleAtCentral(number)))
                screen = .returns(s)
                return [.findSaleAtCentral(receiptNumber: number)]
            }
            screen = .returns(s)
        case (.saleMissing(let number, let offline), .returns):
            flash = .error(offline
                ? tr(.offlineOnlyThisRegisterSalesCan)
                : tr(.noSaleHereOrAtCentral(number)))
        case (.returnCommitted(let ret, let receipt, let file), .returns):
            screen = .done(DoneState(kind: .refund, receiptNumber: ret.receiptNumber, amount: ret.amountRefunded,
                                     receipt: receipt, savedTo: file))
        case (.drawerOpened(let info), .count(let s)):
            drawer = info
            flash = .info(tr(.drawerOpenedWithAFloatOf(tr.money(info.float))))
            switch s.then {
            case .sale: screen = .sale(newSale())
            case .returns:
                screen = .returns(ReturnState())
                return [.loadTodaysSales]
            case .menu: screen = .menu(MenuState())
            }
        case (.drawerReport(let lines, let expected), .count(var s)):
            s.expected = expected
            s.xReport = lines
            screen = .count(s)
        case (.drawerReport(let lines, _), _):
            screen = .report(ReportState(title: tr(.xReport), lines: lines))
        case (.drawerClosed(let lines, let file), _):
            drawer = nil
            screen = .report(ReportState(title: tr(.zReport), lines: lines, savedTo: file))
        case (.failed(let word), _):
            flash = .error(tr(word))
            // A refused commit leaves the screen as it was, ready to try again.
            if case .payment(var s) = screen { s.committing = false; screen = .payment(s) }
            if case .returns(var s) = screen { s.committing = false; screen = .returns(s) }
            if case .salesReport(var s) = screen { s.loading = false; screen = .salesReport(s) }
            if case .dashboard(var s) = screen { s.loading = false; screen = .dashboard(s) }
            if case .approvals(var s) = screen { s.loading = false; screen = .approvals(s) }
        default:
            break   // an answer for a screen the cashier already left
        }
        return []
    }

    // MARK: - Login

    mutating func loginKey(_ key: Key, _ s: inout LoginState) -> [Effect] {
        let candidates = s.candidates(users, storeId: context.store.id)
        if let pending = s.pinFor {
            switch key {
            case .char(let c) where c.isASCII && c.isNumber:
                if s.pin.count < 12 { s.pin.append(c) }
            case .backspace:
                if !s.pin.isEmpty { s.pin.removeLast() }
            case .escape:
                s.pinFor = nil
                s.lockedUntil = nil
                s.pin = ""
            case .enter:
                if let until = s.lockedUntil, now < until {
                    flash = .error(tr(.tooManyTriesWaitS((until - now + 999) / 1000)))
                    s.pin = ""
                } else if !s.pin.isEmpty {
                    s.lockedUntil = nil
                    let pin = s.pin
                    s.pin = ""
                    s.checking = true
                    return [.verifyPin(userId: pending, pin: pin)]
                }
            default: break
            }
            return []
        }
        switch key {
        case .up: s.selected = max(0, s.selected - 1)
        case .down: s.selected = min(max(0, candidates.count - 1), s.selected + 1)
        case .char(let c) where !c.isNewline:
            s.query.append(c)
            s.selected = 0
        case .backspace:
            if !s.query.isEmpty { s.query.removeLast(); s.selected = 0 }
        case .escape:
            s.query = ""
            s.selected = 0
        case .enter:
            if candidates.indices.contains(s.selected) {
                s.pinFor = candidates[s.selected].id
                s.lockedUntil = nil
                s.pin = ""
            } else {
                flash = .error(tr(.nobodyMatches2(s.query)))
            }
        default: break
        }
        return []
    }

    /// The store decides (per person, kept in the till's database): the screen only says it.
    mutating func pinChecked(userId: Int64, result: PinCheck, _ s: inout LoginState) {
        s.checking = false
        guard s.pinFor == userId else { return }
        switch result {
        case .accepted:
            guard let user = users.first(where: { $0.id == userId }) else { return }
            self.user = user
            screen = .menu(MenuState())
            flash = .info(tr(.hello(user.displayName)))
            // The till stopped mid-sale: back to that sale, not to the menu.
            if recoveredCart != nil, drawer != nil { screen = .sale(newSale()) }
        case .wrong(let left):
            let tried = PinAttempts.maxFailures - left
            flash = .error(tr(.wrongPinTryOf(tried, PinAttempts.maxFailures)))
        case .locked(let until):
            s.lockedUntil = until
            let seconds = (until - now + 999) / 1000
            flash = .error(tr(.wrongPinThreeTimesSBefore(seconds)))
        }
    }

    // MARK: - Menu

    /// Each entry's digit, the same whatever the drawer's state or the role:
    /// a cashier's hands learn them once. Logout is Esc.
    public static func menuKey(_ entry: MenuEntry) -> Character? {
        switch entry {
        case .sale: "1"
        case .returns: "2"
        case .openDrawer, .xReport: "3"
        case .closeDrawer: "4"
        case .noSale: "t"
        case .stock: "5"
        case .restock: "6"
        case .reports: "7"
        case .dashboard: "8"
        case .approvals: "9"
        case .orders: "w"
        case .syncNow: "0"
        case .logout: nil
        }
    }

    public func menuEntries() -> [MenuEntry] {
        guard let role = user?.role else { return [] }
        var entries: [MenuEntry] = [.sale, .returns]
        entries += drawer == nil ? [.openDrawer] : [.xReport, .closeDrawer, .noSale]
        if role.allows(.employee) { entries += [.stock, .restock] }
        if role.allows(.manager) { entries += [.reports, .dashboard] }
        if isHeadOfficeManager { entries.append(.approvals) }
        entries.append(.orders)
        if sync.enrolled { entries.append(.syncNow) }
        entries.append(.logout)
        return entries
    }

    mutating func menuKey(_ key: Key, _ s: inout MenuState) -> [Effect] {
        if var prompt = s.noSale {
            switch prompt.handle(key, managers: storeManagers) {
            case .typing: s.noSale = prompt
            case .cancelled: s.noSale = nil
            case .check(let effect):
                s.noSale = prompt
                return [effect]
            }
            return []
        }
        let entries = menuEntries()
        switch key {
        case .up: s.selected = max(0, s.selected - 1)
        case .down: s.selected = min(entries.count - 1, s.selected + 1)
        case .enter:
            if entries.indices.contains(s.selected) { return chooseFromMenu(entries[s.selected], &s) }
        case .char(let c):
            if let entry = entries.first(where: { Self.menuKey($0) == c }) { return chooseFromMenu(entry, &s) }
        case .escape, .function(10):
            return choose(.logout)
        default: break
        }
        return []
    }

    /// The menu's own state is written back after the key: an entry that stays on the menu (a prompt) changes it here.
    mutating func chooseFromMenu(_ entry: MenuEntry, _ s: inout MenuState) -> [Effect] {
        screen = .menu(s)
        let effects = choose(entry)
        if case .menu(let now) = screen { s = now }
        return effects
    }

    mutating func choose(_ entry: MenuEntry) -> [Effect] {
        guard let user else { return [] }
        switch entry {
        case .sale:
            screen = drawer == nil ? .count(CountState(purpose: .openFloat, then: .sale)) : .sale(newSale())
        case .returns:
            screen = drawer == nil ? .count(CountState(purpose: .openFloat, then: .returns)) : .returns(ReturnState())
            if drawer != nil { return [.loadTodaysSales] }
        case .openDrawer:
            screen = .count(CountState(purpose: .openFloat, then: .menu))
        case .xReport:
            return [.drawerReport(by: user.id)]
        case .closeDrawer:
            screen = .count(CountState(purpose: .closeCount, then: .menu))
            return [.drawerReport(by: user.id)]
        case .noSale:
            guard !storeManagers.isEmpty else {
                flash = .error(tr(.openingTheDrawerWithNoSale))
                return []
            }
            if case .menu(var menu) = screen {
                menu.selected = menuEntries().firstIndex(of: .noSale) ?? 0
                menu.noSale = ManagerPIN()
                screen = .menu(menu)
            }
        case .stock, .restock, .reports, .dashboard, .approvals:
            return openStaffScreen(entry)
        case .orders:
            screen = .orders(OrdersViewState())
            return [.loadOrders]
        case .syncNow:
            flash = .info(tr(.syncRequested))
            syncAsked = true
            return [.syncNow]
        case .logout:
            flash = .info(tr(.goodbye(user.displayName)))
            self.user = nil
            screen = .login(LoginState())
        }
        return []
    }

}
