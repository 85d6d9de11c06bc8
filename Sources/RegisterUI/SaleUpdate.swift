import CaisseCore
import ScreenKit

extension AppState {
    // MARK: - Sale

    mutating func saleKey(_ key: Key, _ s: inout SaleState) -> [Effect] {
        guard let user else { return [] }
        if let prompt = s.prompt {
            return salePrompt(prompt, key, &s)
        }
        if let parked = s.parked { return parkedKey(key, parked, &s, user) }
        if s.quickPane {
            switch key {
            case .char(let c) where c.isASCII && c.isNumber:
                // 1…9, then 0 for the tenth: the keys' order on the keyboard.
                let index = c == "0" ? 9 : (c.wholeNumberValue ?? 1) - 1
                if quickKeys.indices.contains(index) { add(quickKeys[index], &s) }
                else { flash = .error(tr(.noQuickKey(c))) }
                return []
            case .tab, .escape:
                s.quickPane = false
                return []
            case .char(let c) where c != "+" && c != "-":
                s.quickPane = false   // a name typed: back to the search box
            default: break
            }
        }
        switch key {
        case .char(let c) where !c.isNewline:
            if s.input.isEmpty, c == "%", !s.cart.isEmpty {
                openDiscount(&s)
                return []
            }
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
            // A loyalty card (issue 27), scanned at any time: kept on the sale, its points credited by central.
            if LoyaltyCard.isCard(text) {
                s.cart.customerCard = text
                s.input = ""
                s.results = []
                flash = .info(tr(.loyaltyCardPointsAreCreditedWhen(Self.cardTail(text))))
                return []
            }
            return [.lookup(text)]
        case .tab:
            if quickKeys.isEmpty {
                flash = .error(tr(.noQuickKeysTheManagerOr))
            } else {
                s.quickPane = true
                s.input = ""
                s.results = []
            }
        case .pageDown, .pageUp:
            guard !s.results.isEmpty, s.resultQuery == s.input else { break }
            let page = SaleState.resultPage
            let offset = key == .pageDown ? s.resultOffset + page : max(0, s.resultOffset - page)
            if offset != s.resultOffset, offset < min(s.resultTotal, 300) { return [.searchPage(s.input, offset: offset)] }
        case .function(11):
            s.prompt = .customer(contact: "", creating: false)
            return []
        case .function(12):
            // A reward (issue 27): the card's points pay part of the sale, held at central so they are spent once.
            guard let card = s.cart.customerCard, !s.cart.isEmpty else {
                flash = .error(tr(.aRewardScanTheCustomerCard))
                return []
            }
            guard s.cart.loyaltyHoldId == nil else {
                flash = .error(tr(.thisSaleAlreadyHasItsReward))
                return []
            }
            guard s.cart.saleDiscount == nil else {
                flash = .error(tr(.theSaleAlreadyHasADiscount))
                return []
            }
            flash = .info(tr(.rewardAskedOfCentral))
            return [.holdReward(card: card)]
        case .function(8):
            guard !s.cart.isEmpty else {
                flash = .error(tr(.nothingToPark))
                return []
            }
            return [.parkCart(s.cart, cashierId: user.id)]
        case .function(9):
            guard s.cart.isEmpty else {
                flash = .error(tr(.saleInProgressParkItF8))
                return []
            }
            return [.loadParked]
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
                flash = .info(tr(.lineRemoved(line.name)))
            }
        case .function(4):
            if !s.cart.isEmpty { s.prompt = .confirmVoid }
        case .function(5):
            guard !s.cart.isEmpty else { flash = .error(tr.explain(DomainError(.emptyCart, "the cart is empty"))); return [] }
            var payment = Payment(total: SaleTotals(lines: s.cart.lines, rule: context.taxRule).total)
            do { try payment.payExactCash() } catch { flash = .error(tr.explain(error)); return [] }
            screen = .payment(PaymentState(cart: s.cart, payment: payment, committing: true))
            return [.commitSale(s.cart, payment, cashierId: user.id)]
        case .function(6), .function(7):
            guard !s.cart.isEmpty else { flash = .error(tr.explain(DomainError(.emptyCart, "the cart is empty"))); return [] }
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
                flash = .error(tr(.saleInProgressPayF5F6))
            }
        default: break
        }
        return []
    }

    mutating func salePrompt(_ prompt: SaleState.Prompt, _ key: Key, _ s: inout SaleState) -> [Effect] {
        switch prompt {
        case .discount(let d):
            guard let user else { return [] }
            return discountKey(key, d, &s, user)
        case .confirmVoid:
            // Enter confirms what the prompt asks (void), as its help line says; Esc keeps the sale.
            if key == .enter || key == .char("o") || key == .char("O") || key == .char("y") || key == .char("Y") {
                let hold = s.cart.loyaltyHoldId
                s = SaleState()
                flash = .info(tr(.saleVoided))
                // The reward's points go back to the customer.
                if let hold { return [.releaseReward(holdId: hold)] }
            } else if key == .escape || key == .char("n") || key == .char("N") {
                s.prompt = nil
                flash = .info(tr(.saleKept))
            }
        case .customer(var contact, let creating):
            if creating {
                if key == .enter || key == .char("o") || key == .char("O") || key == .char("y") || key == .char("Y") {
                    return [.createCustomer(contact)]
                }
                if key == .escape || key == .char("n") || key == .char("N") {
                    s.prompt = nil
                    flash = .info(tr(.noAccountOpened))
                }
                return []
            }
            switch key {
            case .char(let c) where !c.isNewline && contact.count < 60:
                contact.append(c)
                s.prompt = .customer(contact: contact, creating: false)
            case .backspace:
                if !contact.isEmpty { contact.removeLast() }
                s.prompt = .customer(contact: contact, creating: false)
            case .enter where !contact.trimmingCharacters(in: .whitespaces).isEmpty:
                return [.findCustomer(contact.trimmingCharacters(in: .whitespaces))]
            case .escape:
                s.prompt = nil
            default: break
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

    /// The list of parked sales: ↑↓, Enter takes one back, Esc closes the list.
    mutating func parkedKey(_ key: Key, _ parked: [HeldCart], _ s: inout SaleState, _ user: User) -> [Effect] {
        switch key {
        case .up: s.parkedIndex = max(0, s.parkedIndex - 1)
        case .down: s.parkedIndex = min(parked.count - 1, s.parkedIndex + 1)
        case .escape: s.parked = nil
        case .enter:
            guard parked.indices.contains(s.parkedIndex) else { break }
            return [.recallCart(id: parked[s.parkedIndex].id, cashierId: user.id)]
        default: break
        }
        return []
    }

    /// A new sale: with the cart the till had on screen when it stopped, if any.
    mutating func newSale() -> SaleState {
        guard let cart = recoveredCart else { return SaleState() }
        recoveredCart = nil
        flash = .info(tr(.saleResumedTheTillStoppedDuring(cart.itemCount)))
        return SaleState(cart: cart)
    }

    mutating func setQuantity(_ s: inout SaleState, _ lineNo: Int, _ quantity: Int) {
        do { try s.cart.setQuantity(lineNo: lineNo, to: quantity) } catch { flash = .error(tr.explain(error)) }
    }

    /// Digits are a scan in progress (a barcode reader types fast): no search
    /// until Enter. Anything else is a name or SKU: search as the cashier types.
    func searchAsYouType(_ s: inout SaleState) -> [Effect] {
        let text = s.input.trimmingCharacters(in: .whitespaces)
        if text.isEmpty || text.allSatisfy(\.isNumber) {
            s.results = []
            s.resultQuery = ""
            return []
        }
        return [.search(s.input)]
    }

    mutating func looked(up code: String, _ product: Product?, _ s: inout SaleState) {
        guard s.input.trimmingCharacters(in: .whitespaces) == code else { return }
        if let product {
            add(product, &s)
        } else {
            flash = .error(tr(.noItemFor(code)))
            s.input = ""
            s.results = []
        }
    }

    mutating func add(_ product: Product, _ s: inout SaleState) {
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

    mutating func paymentKey(_ key: Key, _ s: inout PaymentState) -> [Effect] {
        guard let user, !s.committing else { return [] }
        if let cardAmount = s.cardAmount {
            if s.cardReference.type(key, maxLength: PaymentState.cardReferenceLength) { return settle(&s, user) }
            switch key {
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
        if key != .escape { s.confirmingUndo = false }
        switch key {
        case .char(let c) where c.isASCII && (c.isNumber || c == "," || c == "."):
            if s.amount.count < 10 { s.amount.append(c) }
        case .backspace:
            if !s.amount.isEmpty { s.amount.removeLast() }
        case .enter:
            if s.amount.isEmpty { return exactCash(&s, user) }
            guard let given = Money.typed(s.amount), given.isPositive else {
                flash = .error(tr(.unreadableAmount(s.amount)))
                return []
            }
            do { try s.payment.payCash(given: given); s.amount = "" } catch { flash = .error(tr.explain(error)) }
        case .function(5):
            return exactCash(&s, user)
        case .function(let n) where (1...QuickCash.count).contains(n):
            // Quick cash: the bill the customer hands over, one key.
            let bills = QuickCash.suggestions(due: s.payment.cashDue)
            guard bills.indices.contains(n - 1) else { break }
            do { try s.payment.payCash(given: bills[n - 1]); s.amount = "" } catch { flash = .error(tr.explain(error)) }
        case .function(7):
            let amount = s.amount.isEmpty ? s.payment.remaining : Money.typed(s.amount)
            guard let amount, amount.isPositive, amount <= s.payment.remaining else {
                flash = .error(tr(.cardAmountBetween001And(tr.money(s.payment.remaining))))
                return []
            }
            s.cardAmount = amount
        case .escape:
            if !s.amount.isEmpty {
                s.amount = ""
            } else if s.payment.tenders.isEmpty {
                screen = .sale(SaleState(cart: s.cart))
            } else if let last = s.payment.tenders.last, last.kind == .card, !s.confirmingUndo {
                // An approved card payment is not dropped on one key (issue 28): the money was taken at the terminal.
                s.confirmingUndo = true
                flash = .error(tr(.cardPaymentOfApprovedEscAgain(tr.money(last.amount))))
                return []
            } else {
                s.confirmingUndo = false
                // Undo the last tender: rebuild the payment without it.
                var rebuilt = Payment(total: s.payment.total)
                for t in s.payment.tenders.dropLast() {
                    if t.kind == .cash { _ = try? rebuilt.payCash(given: t.given ?? t.amount) }
                    else { _ = try? rebuilt.payCard(amount: t.amount, reference: t.reference ?? "") }
                }
                s.payment = rebuilt
                flash = .info(tr(.lastTenderRemoved))
            }
        default: break
        }
        return settle(&s, user)
    }

    mutating func exactCash(_ s: inout PaymentState, _ user: User) -> [Effect] {
        do { try s.payment.payExactCash() } catch { flash = .error(tr.explain(error)) }
        return settle(&s, user)
    }

    /// The sale is committed the moment the tenders cover it; the receipt only shows once it is on disk.
    func settle(_ s: inout PaymentState, _ user: User) -> [Effect] {
        guard s.payment.isComplete, !s.committing else { return [] }
        s.committing = true
        return [.commitSale(s.cart, s.payment, cashierId: user.id)]
    }

    // MARK: - Receipt shown after a sale or a refund

    mutating func doneKey(_ key: Key, _ s: inout DoneState) -> [Effect] {
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
}
