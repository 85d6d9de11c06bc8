import CaisseCore
import ScreenKit

/// How long the login locks after three wrong PINs.
public let pinLockMillis: Int64 = 30_000

extension AppState {
    /// The one way the TUI changes: a message in, the new state and the effects
    /// the runtime must carry out. Pure: no terminal, no database, no clock.
    public mutating func update(_ message: Message) -> [Effect] {
        switch message {
        case .tick(let now):
            self.now = now
            return []
        case .sync(let info):
            sync = info
            return refreshAfterSync()
        case .key(.ctrl("c")):
            quitting = true
            return [.quit]
        case .key(let key):
            // A key answers the last message; the next action gets a fresh line.
            flash = nil
            return handle(key)
        default:
            return handleResult(message)
        }
    }

    /// Functional form, for tests and readers who prefer it: (state, message) → (state, effects).
    public func updated(_ message: Message) -> (AppState, [Effect]) {
        var copy = self
        let effects = copy.update(message)
        return (copy, effects)
    }

    private mutating func handle(_ key: Key) -> [Effect] {
        if let effects = staffKey(key) { return effects }
        switch screen {
        case .stock, .restock, .salesReport, .dashboard, .approvals:
            return []   // handled by staffKey
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

    private mutating func handleResult(_ message: Message) -> [Effect] {
        if let effects = staffResult(message) { return effects }
        switch (message, screen) {
        case (.pinChecked(let userId, let ok), .login(var s)):
            defer { if case .login = screen { screen = .login(s) } }
            pinChecked(userId: userId, ok: ok, &s)
        case (.searchResults(let query, let products), .sale(var s)):
            if query == s.input {
                s.results = products
                s.resultQuery = query
                s.resultIndex = 0
                screen = .sale(s)
            }
        case (.lookedUp(let code, let product), .sale(var s)):
            defer { if case .sale = screen { screen = .sale(s) } }
            looked(up: code, product, &s)
        case (.saleCommitted(let sale, let receipt, let file), .payment):
            screen = .done(DoneState(kind: .sale, receiptNumber: sale.receiptNumber, amount: sale.change,
                                     receipt: receipt, savedTo: file))
        case (.saleFound(let number, let sale, let returned), .returns(var s)):
            if let sale {
                s.sale = sale
                s.alreadyReturned = returned
                s.quantities = [:]
                s.selected = 0
                if sale.lines.allSatisfy({ returned[$0.lineNo, default: 0] >= $0.quantity }) {
                    flash = .error(tr("Tout a déjà été retourné sur \(number).", "Everything on \(number) was already returned."))
                }
            } else {
                flash = .error(tr("Aucune vente \(number) à cette caisse.", "No sale \(number) at this register."))
            }
            screen = .returns(s)
        case (.returnCommitted(let ret, let receipt, let file), .returns):
            screen = .done(DoneState(kind: .refund, receiptNumber: ret.receiptNumber, amount: ret.amountRefunded,
                                     receipt: receipt, savedTo: file))
        case (.drawerOpened(let info), .count(let s)):
            drawer = info
            flash = .info(tr("Caisse ouverte avec un fonds de \(tr.money(info.float)).",
                             "Drawer opened with a float of \(tr.money(info.float))."))
            switch s.then {
            case .sale: screen = .sale(SaleState())
            case .returns: screen = .returns(ReturnState())
            case .menu: screen = .menu(MenuState())
            }
        case (.drawerReport(let lines, let expected), .count(var s)):
            s.expected = expected
            s.xReport = lines
            screen = .count(s)
        case (.drawerReport(let lines, _), _):
            screen = .report(ReportState(title: tr("Rapport X", "X report"), lines: lines))
        case (.drawerClosed(let lines, let file), _):
            drawer = nil
            screen = .report(ReportState(title: tr("Rapport Z", "Z report"), lines: lines, savedTo: file))
        case (.failed(let text), _):
            flash = .error(text)
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

    private mutating func loginKey(_ key: Key, _ s: inout LoginState) -> [Effect] {
        let candidates = s.candidates(users, storeId: context.store.id)
        if let pending = s.pinFor {
            switch key {
            case .char(let c) where c.isASCII && c.isNumber:
                if s.pin.count < 12 { s.pin.append(c) }
            case .backspace:
                if !s.pin.isEmpty { s.pin.removeLast() }
            case .escape:
                s.pinFor = nil
                s.pin = ""
            case .enter:
                if let until = s.lockedUntil, now < until {
                    flash = .error(tr("Trop d'essais : attendez \((until - now + 999) / 1000) s.",
                                      "Too many tries: wait \((until - now + 999) / 1000) s."))
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
                s.pin = ""
            } else {
                flash = .error(tr("Personne ne correspond à « \(s.query) ».", "Nobody matches “\(s.query)”."))
            }
        case .function(10):
            quitting = true
            return [.quit]
        default: break
        }
        return []
    }

    private mutating func pinChecked(userId: Int64, ok: Bool, _ s: inout LoginState) {
        s.checking = false
        guard s.pinFor == userId else { return }
        if ok, let user = users.first(where: { $0.id == userId }) {
            self.user = user
            screen = .menu(MenuState())
            flash = .info(tr("Bonjour \(user.displayName).", "Hello \(user.displayName)."))
            return
        }
        s.failures += 1
        if s.failures >= 3 {
            s.failures = 0
            s.lockedUntil = now + pinLockMillis
            flash = .error(tr("NIP erroné trois fois : connexion bloquée \(pinLockMillis / 1000) s.",
                              "Wrong PIN three times: login locked for \(pinLockMillis / 1000) s."))
        } else {
            flash = .error(tr("NIP erroné (essai \(s.failures) sur 3).", "Wrong PIN (try \(s.failures) of 3)."))
        }
    }

    // MARK: - Menu

    public func menuEntries() -> [MenuEntry] {
        guard let role = user?.role else { return [] }
        var entries: [MenuEntry] = [.sale, .returns]
        entries += drawer == nil ? [.openDrawer] : [.xReport, .closeDrawer]
        if role.allows(.employee) { entries += [.stock, .restock] }
        if role.allows(.manager) { entries += [.reports, .dashboard] }
        if isHeadOfficeManager { entries.append(.approvals) }
        if sync.enrolled { entries.append(.syncNow) }
        entries.append(.logout)
        return entries
    }

    private mutating func menuKey(_ key: Key, _ s: inout MenuState) -> [Effect] {
        let entries = menuEntries()
        switch key {
        case .up: s.selected = max(0, s.selected - 1)
        case .down: s.selected = min(entries.count - 1, s.selected + 1)
        case .enter:
            if entries.indices.contains(s.selected) { return choose(entries[s.selected]) }
        case .char(let c):
            if let n = c.wholeNumberValue, n >= 1, n <= entries.count { return choose(entries[n - 1]) }
        case .escape, .function(10):
            return choose(.logout)
        default: break
        }
        return []
    }

    private mutating func choose(_ entry: MenuEntry) -> [Effect] {
        guard let user else { return [] }
        switch entry {
        case .sale:
            screen = drawer == nil ? .count(CountState(purpose: .openFloat, then: .sale)) : .sale(SaleState())
        case .returns:
            screen = drawer == nil ? .count(CountState(purpose: .openFloat, then: .returns)) : .returns(ReturnState())
        case .openDrawer:
            screen = .count(CountState(purpose: .openFloat, then: .menu))
        case .xReport:
            return [.drawerReport(by: user.id)]
        case .closeDrawer:
            screen = .count(CountState(purpose: .closeCount, then: .menu))
            return [.drawerReport(by: user.id)]
        case .stock, .restock, .reports, .dashboard, .approvals:
            return openStaffScreen(entry)
        case .syncNow:
            flash = .info(tr("Synchronisation demandée.", "Sync requested."))
            return [.syncNow]
        case .logout:
            flash = .info(tr("Au revoir \(user.displayName).", "Goodbye \(user.displayName)."))
            self.user = nil
            screen = .login(LoginState())
        }
        return []
    }

    // MARK: - Sale

    private mutating func saleKey(_ key: Key, _ s: inout SaleState) -> [Effect] {
        guard let user else { return [] }
        if let prompt = s.prompt {
            return salePrompt(prompt, key, &s)
        }
        switch key {
        case .char(let c) where !c.isNewline:
            if s.input.isEmpty, s.cart.lines.indices.contains(s.selectedLine), c == "+" || c == "-" {
                let line = s.cart.lines[s.selectedLine]
                let quantity = line.quantity + (c == "+" ? 1 : -1)
                if quantity >= 1 { setQuantity(&s, line.lineNo, quantity) }
                return []
            }
            s.input.append(c)
            return searchAsYouType(&s)
        case .backspace:
            if !s.input.isEmpty { s.input.removeLast() }
            return searchAsYouType(&s)
        case .enter:
            let text = s.input.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return [] }
            if !s.results.isEmpty, s.resultQuery == s.input, !text.allSatisfy(\.isNumber) {
                add(s.results[min(s.resultIndex, s.results.count - 1)], &s)
                return []
            }
            return [.lookup(text)]
        case .up:
            if !s.results.isEmpty { s.resultIndex = max(0, s.resultIndex - 1) }
            else { s.selectedLine = max(0, s.selectedLine - 1) }
        case .down:
            if !s.results.isEmpty { s.resultIndex = min(s.results.count - 1, s.resultIndex + 1) }
            else { s.selectedLine = min(max(0, s.cart.lines.count - 1), s.selectedLine + 1) }
        case .function(2):
            if s.cart.lines.indices.contains(s.selectedLine) { s.prompt = .quantity("") }
        case .function(3), .delete:
            if s.cart.lines.indices.contains(s.selectedLine) {
                let line = s.cart.lines[s.selectedLine]
                try? s.cart.remove(lineNo: line.lineNo)
                s.selectedLine = min(s.selectedLine, max(0, s.cart.lines.count - 1))
                flash = .info(tr("Ligne retirée : \(line.name).", "Line removed: \(line.name)."))
            }
        case .function(4):
            if !s.cart.isEmpty { s.prompt = .confirmVoid }
        case .function(5):
            guard !s.cart.isEmpty else { return [] }
            var payment = Payment(total: SaleTotals(lines: s.cart.lines, rule: context.taxRule).total)
            do { try payment.payExactCash() } catch { flash = .error(tr.explain(error)); return [] }
            screen = .payment(PaymentState(cart: s.cart, payment: payment, committing: true))
            return [.commitSale(s.cart, payment, cashierId: user.id)]
        case .function(6), .function(7):
            guard !s.cart.isEmpty else { return [] }
            var p = PaymentState(cart: s.cart, payment: Payment(total: SaleTotals(lines: s.cart.lines, rule: context.taxRule).total))
            if key == .function(7) { p.cardAmount = p.payment.remaining }
            screen = .payment(p)
        case .escape:
            if !s.input.isEmpty {
                s.input = ""
                s.results = []
            } else if s.cart.isEmpty {
                screen = .menu(MenuState())
            } else {
                flash = .error(tr("Vente en cours : payez (F5/F6/F7) ou annulez-la (F4).", "Sale in progress: pay (F5/F6/F7) or void it (F4)."))
            }
        default: break
        }
        return []
    }

    private mutating func salePrompt(_ prompt: SaleState.Prompt, _ key: Key, _ s: inout SaleState) -> [Effect] {
        switch prompt {
        case .confirmVoid:
            if key == .char("o") || key == .char("O") || key == .char("y") || key == .char("Y") {
                s = SaleState()
                flash = .info(tr("Vente annulée.", "Sale voided."))
            } else {
                s.prompt = nil
            }
        case .quantity(var text):
            switch key {
            case .char(let c) where c.isASCII && c.isNumber:
                if text.count < 4 { text.append(c) }
                s.prompt = .quantity(text)
            case .backspace:
                if !text.isEmpty { text.removeLast() }
                s.prompt = .quantity(text)
            case .enter:
                s.prompt = nil
                if let q = Int(text), s.cart.lines.indices.contains(s.selectedLine) {
                    setQuantity(&s, s.cart.lines[s.selectedLine].lineNo, q)
                }
            case .escape:
                s.prompt = nil
            default: break
            }
        }
        return []
    }

    private mutating func setQuantity(_ s: inout SaleState, _ lineNo: Int, _ quantity: Int) {
        do { try s.cart.setQuantity(lineNo: lineNo, to: quantity) } catch { flash = .error(tr.explain(error)) }
    }

    /// Digits are a scan in progress (a barcode reader types fast): no search
    /// until Enter. Anything else is a name or SKU: search as the cashier types.
    private func searchAsYouType(_ s: inout SaleState) -> [Effect] {
        let text = s.input.trimmingCharacters(in: .whitespaces)
        if text.isEmpty || text.allSatisfy(\.isNumber) {
            s.results = []
            s.resultQuery = ""
            return []
        }
        return [.search(s.input)]
    }

    private mutating func looked(up code: String, _ product: Product?, _ s: inout SaleState) {
        guard s.input.trimmingCharacters(in: .whitespaces) == code else { return }
        if let product {
            add(product, &s)
        } else {
            flash = .error(tr("Aucun article pour « \(code) ».", "No item for “\(code)”."))
            s.input = ""
            s.results = []
        }
    }

    private mutating func add(_ product: Product, _ s: inout SaleState) {
        do {
            let line = try s.cart.add(product)
            s.selectedLine = s.cart.lines.firstIndex { $0.lineNo == line.lineNo } ?? 0
        } catch {
            flash = .error(tr.explain(error))
        }
        s.input = ""
        s.results = []
        s.resultQuery = ""
    }

    // MARK: - Payment

    private mutating func paymentKey(_ key: Key, _ s: inout PaymentState) -> [Effect] {
        guard let user, !s.committing else { return [] }
        if let cardAmount = s.cardAmount {
            switch key {
            case .char(let c) where !c.isNewline:
                if s.cardReference.count < 64 { s.cardReference.append(c) }
            case .backspace:
                if !s.cardReference.isEmpty { s.cardReference.removeLast() }
            case .escape:
                s.cardAmount = nil
                s.cardReference = ""
            case .enter:
                do {
                    try s.payment.payCard(amount: cardAmount, reference: s.cardReference)
                    s.cardAmount = nil
                    s.cardReference = ""
                    s.amount = ""
                } catch {
                    flash = .error(tr.explain(error))
                }
            default: break
            }
            return settle(&s, user)
        }
        switch key {
        case .char(let c) where c.isASCII && (c.isNumber || c == "," || c == "."):
            if s.amount.count < 10 { s.amount.append(c) }
        case .backspace:
            if !s.amount.isEmpty { s.amount.removeLast() }
        case .enter:
            if s.amount.isEmpty { return exactCash(&s, user) }
            guard let given = Money.typed(s.amount), given.isPositive else {
                flash = .error(tr("Montant illisible : « \(s.amount) ».", "Unreadable amount: “\(s.amount)”."))
                return []
            }
            do { try s.payment.payCash(given: given); s.amount = "" } catch { flash = .error(tr.explain(error)) }
        case .function(5):
            return exactCash(&s, user)
        case .function(7):
            let amount = s.amount.isEmpty ? s.payment.remaining : Money.typed(s.amount)
            guard let amount, amount.isPositive, amount <= s.payment.remaining else {
                flash = .error(tr("Montant carte entre 0,01 $ et \(tr.money(s.payment.remaining)).",
                                  "Card amount between $0.01 and \(tr.money(s.payment.remaining))."))
                return []
            }
            s.cardAmount = amount
        case .escape:
            if !s.amount.isEmpty {
                s.amount = ""
            } else if s.payment.tenders.isEmpty {
                screen = .sale(SaleState(cart: s.cart))
            } else {
                // Undo the last tender: rebuild the payment without it.
                var rebuilt = Payment(total: s.payment.total)
                for t in s.payment.tenders.dropLast() {
                    if t.kind == .cash { _ = try? rebuilt.payCash(given: t.given ?? t.amount) }
                    else { _ = try? rebuilt.payCard(amount: t.amount, reference: t.reference ?? "") }
                }
                s.payment = rebuilt
                flash = .info(tr("Dernier paiement annulé.", "Last tender removed."))
            }
        default: break
        }
        return settle(&s, user)
    }

    private mutating func exactCash(_ s: inout PaymentState, _ user: User) -> [Effect] {
        do { try s.payment.payExactCash() } catch { flash = .error(tr.explain(error)) }
        return settle(&s, user)
    }

    /// The sale is committed the moment the tenders cover it; the receipt only shows once it is on disk.
    private func settle(_ s: inout PaymentState, _ user: User) -> [Effect] {
        guard s.payment.isComplete, !s.committing else { return [] }
        s.committing = true
        return [.commitSale(s.cart, s.payment, cashierId: user.id)]
    }

    // MARK: - Receipt shown after a sale or a refund

    private mutating func doneKey(_ key: Key, _ s: inout DoneState) -> [Effect] {
        switch key {
        case .up: s.scroll = max(0, s.scroll - 1)
        case .down: s.scroll = min(max(0, s.receipt.count - 1), s.scroll + 1)
        case .pageUp: s.scroll = max(0, s.scroll - 10)
        case .pageDown: s.scroll = min(max(0, s.receipt.count - 1), s.scroll + 10)
        case .escape:
            screen = .menu(MenuState())
        case .enter:
            screen = s.kind == .sale ? .sale(SaleState()) : .menu(MenuState())
        case .char(let c) where s.kind == .sale && !c.isNewline:
            // The next customer's first scan starts the next sale directly.
            var next = SaleState()
            let effects = saleKey(.char(c), &next)
            screen = .sale(next)
            return effects
        default: break
        }
        return []
    }

    // MARK: - Return

    private mutating func returnKey(_ key: Key, _ s: inout ReturnState) -> [Effect] {
        guard let user, !s.committing else { return [] }
        guard let sale = s.sale else {
            switch key {
            case .char(let c) where !c.isNewline:
                if s.receiptInput.count < 32 { s.receiptInput.append(c) }
            case .backspace:
                if !s.receiptInput.isEmpty { s.receiptInput.removeLast() }
            case .enter:
                let number = s.receiptInput.trimmingCharacters(in: .whitespaces).uppercased()
                if !number.isEmpty { return [.findSale(receiptNumber: number)] }
            case .escape:
                screen = .menu(MenuState())
            default: break
            }
            return []
        }
        if s.cardAmountEntry {
            switch key {
            case .char(let c) where !c.isNewline:
                if s.cardReference.count < 64 { s.cardReference.append(c) }
            case .backspace:
                if !s.cardReference.isEmpty { s.cardReference.removeLast() }
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

    private mutating func refund(_ s: inout ReturnState, _ sale: Sale, _ kind: TenderKind, _ user: User) -> [Effect] {
        let lines = s.requested
        guard !lines.isEmpty else {
            flash = .error(tr("Choisissez les quantités à retourner.", "Choose the quantities to return."))
            return []
        }
        s.committing = true
        return [.commitReturn(receiptNumber: sale.receiptNumber, lines: lines, kind: kind,
                              cardReference: kind == .card ? s.cardReference : nil, cashierId: user.id)]
    }

    // MARK: - Drawer: opening float, closing count

    private mutating func countKey(_ key: Key, _ s: inout CountState) -> [Effect] {
        guard let user else { return [] }
        switch key {
        case .char(let c) where c.isASCII && (c.isNumber || c == "," || c == "."):
            if s.amount.count < 10 { s.amount.append(c) }
        case .backspace:
            if !s.amount.isEmpty { s.amount.removeLast() }
        case .escape:
            screen = .menu(MenuState())
        case .enter:
            guard let amount = s.amount.isEmpty ? nil : Money.typed(s.amount) else {
                flash = .error(tr("Entrez le montant compté (ex. 150,00).", "Enter the counted amount (e.g. 150.00)."))
                return []
            }
            switch s.purpose {
            case .openFloat: return [.openDrawer(float: amount, by: user.id)]
            case .closeCount: return [.closeDrawer(counted: amount, by: user.id)]
            }
        default: break
        }
        return []
    }

    private mutating func reportKey(_ key: Key, _ s: inout ReportState) -> [Effect] {
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
