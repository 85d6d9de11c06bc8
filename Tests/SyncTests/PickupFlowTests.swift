import CaisseAPI
import CaisseCore
import CentralServer
import CentralStore
import Foundation
import RegisterApp
import RegisterStore
import RegisterUI
import Testing

/// Issue 27: an order placed on the web reaches CV's till with its sync; an employee prepares
/// it and says it is ready (journal events, applied by central when they arrive); a cashier
/// hands it over by selling it, and central marks it picked up by that sale. A second hand-over
/// of the same order is refused at the till, and central would flag it, never take it twice.
@Suite(.serialized) struct PickupFlowTests {
    @Test func anOrderPlacedOnTheWebIsPreparedAndHandedOverAtTheTill() async throws {
        let central = try Central()
        try central.start()
        defer { central.stop() }
        let cv = try await EnrolledTill.enroll(central: central, registerId: "CV-1", storeCode: "CV")

        // The customer's side, as the storefront does it (its pages are tried in a real browser by scripts/storefront-browser).
        let shop = try SQLiteCentralStore(path: central.database)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let customer = try await shop.signUp(CustomerInput(name: "Ana", email: "ana@example.com", loyaltyConsent: true), passwordHash: "x", at: now)
        try await shop.setCartLine(customerId: customer.id, storeId: 1, productId: 1, quantity: 2, at: now)
        let order = try await shop.checkout(customerId: customer.id, storeId: 1, orderId: "web-1", holdDays: 3, at: now)
        // Head office's CLI lists what waits at CV, shows it, and cancels an order for a customer who called.
        let listed = try run("caisse-central", ["orders", "--database", central.database, "--store", "CV"])
        #expect(listed.0 == 0 && listed.1.contains(order.number + "\tweb-1\tCV\tplaced"), "\(listed.1)")
        #expect(try run("caisse-central", ["orders", "show", "web-1", "--database", central.database]).1.contains("TIM-0001"))
        _ = await cv.engine.syncOnce()
        #expect(try cv.store.onlineOrders().map(\.id) == ["web-1"])

        _ = try cv.store.openCashSession(float: Money(cents: 20_000), by: cv.cashier.id)
        let employee = try ScreenDriver(cv)
        await employee.keys("employe.cv<enter>2222<enter>w")
        guard case .orders(let listed) = employee.state.screen else { Issue.record("no orders screen"); return }
        #expect(listed.orders.map(\.number) == [order.number])
        await employee.keys("p")
        await employee.keys("r")
        #expect(employee.state.flash?.text == "Order \(order.number): ready.")
        _ = await cv.engine.syncOnce()
        #expect(try await shop.order(id: "web-1", at: now)?.state == .ready, "central applied the till's events")
        // Head office's dashboard: the order waits at CV, placed when the customer checked out.
        let waiting = try #require(try await CentralService(store: shop).dashboard().channels?.stores.first { $0.storeId == 1 })
        #expect(waiting.openOrders == 1 && waiting.oldestOpenOrderAt == order.createdAt && waiting.onlinePickupSales == 0)

        let cashier = try ScreenDriver(cv)
        await cashier.keys("caissier.cv<enter>1111<enter>w<enter>")
        guard case .sale(let selling) = cashier.state.screen else { Issue.record("no sale: \(String(describing: cashier.state.flash))"); return }
        #expect(selling.cart.orderId == "web-1" && selling.cart.lines.map(\.quantity) == [2])
        await cashier.keys("<f5>")
        guard case .done = cashier.state.screen else { Issue.record("not paid: \(String(describing: cashier.state.flash))"); return }
        #expect(try cv.store.onlineOrders().first?.state == .pickedUp)
        _ = await cv.engine.syncOnce()
        let picked = try #require(try await shop.order(id: "web-1", at: now))
        #expect(picked.state == .pickedUp && picked.saleId != nil)
        #expect(try await central.exceptions().isEmpty)
        // Central's report shows the sale as an online pickup at CV.
        let today = Day(epochMillis: now, utcOffsetSeconds: -5 * 3_600)
        let report = try await CentralService(store: shop).salesReport(from: today.adding(days: -1), to: today.adding(days: 1))
        let cvChannel = try #require(report.channels?.stores.first { $0.storeId == 1 })
        #expect(cvChannel.onlinePickupSales == 1 && cvChannel.onlinePickupTotal == order.total && cvChannel.openOrders == 0)
        let board = try #require(try await CentralService(store: shop).dashboard().channels?.stores.first { $0.storeId == 1 })
        #expect(board.onlinePickupSales == 1 && board.openOrders == 0, "picked up today, nothing waiting")

        // Handed over again: the till refuses, nothing is sold.
        let again = try ScreenDriver(cv)
        await again.keys("caissier.cv<enter>1111<enter>w<enter>")
        #expect(again.state.flash == .error("Order \(order.number) is picked up: nothing to hand over."))
        guard case .orders = again.state.screen else { Issue.record("left the orders screen"); return }
        try await shop.setCartLine(customerId: customer.id, storeId: 1, productId: 2, quantity: 1, at: now)
        _ = try await shop.checkout(customerId: customer.id, storeId: 1, orderId: "web-2", holdDays: 3, at: now)
        let cancelled = try run("caisse-central", ["orders", "cancel", "web-2", "--database", central.database])
        #expect(cancelled.0 == 0 && cancelled.1.contains("\tcancelled\t"), "\(cancelled.1)")
        #expect(try await shop.order(id: "web-2", at: now)?.state == .cancelled)
        #expect(try run("caisse-central", ["orders", "cancel", "web-2", "--database", central.database], expectSuccess: false).0 == 1, "cancelled once")
    }

    /// Issue 27: at the counter, F11, the customer's email: nobody has it, so Y opens their
    /// account with their consent; the sale carries the new card and central credits its points.
    /// The same email again finds the account.
    @Test func aCustomerIsFoundOrSignedUpAtTheCounterAndEarnsPoints() async throws {
        let central = try Central()
        try central.start()
        defer { central.stop() }
        let shop = try SQLiteCentralStore(path: central.database)
        try await shop.setLoyaltyProgram(LoyaltyProgram(pointsPerDollar: 10, rewards: []))
        let cv = try await EnrolledTill.enroll(central: central, registerId: "CV-1", storeCode: "CV")
        _ = try cv.store.openCashSession(float: Money(cents: 20_000), by: cv.cashier.id)

        let cashier = try ScreenDriver(cv)
        await cashier.keys("caissier.cv<enter>1111<enter>1")
        await cashier.keys("<f11>zoe@example.com<enter>")
        guard case .sale(let asking) = cashier.state.screen, asking.prompt == .customer(contact: "zoe@example.com", creating: true) else {
            Issue.record("not asked to open the account: \(String(describing: cashier.state.flash))"); return
        }
        await cashier.keys("y")
        guard case .sale(let selling) = cashier.state.screen, let card = selling.cart.customerCard else {
            Issue.record("no card on the sale: \(String(describing: cashier.state.flash))"); return
        }
        #expect(LoyaltyCard.isCard(card))
        await cashier.keys("2000000000015<enter><f5>")
        guard case .done(let done) = cashier.state.screen else { Issue.record("not paid: \(String(describing: cashier.state.flash))"); return }
        // The till pulled the program at enrolment: the receipt says what central will credit.
        #expect(try cv.store.loyaltyProgram()?.pointsPerDollar == 10)
        #expect(done.receipt.contains { $0.hasPrefix("Points earned") && $0.hasSuffix(" 20") }, "\(done.receipt)")
        _ = await cv.engine.syncOnce()
        let customer = try #require(try await shop.customers(matching: "zoe@example.com", byName: false, limit: 1).first)
        #expect(customer.cardNumber == card && customer.storeId == 1 && customer.loyaltyConsentAt != nil)
        #expect(try await shop.loyaltyAccount(customerId: customer.id).balance == 20, "2.99 $ before taxes: 2 whole dollars, 10 points each")
        // Head office changes the program: the till's next pull brings it, once.
        try await shop.setLoyaltyProgram(LoyaltyProgram(pointsPerDollar: 5, rewards: []))
        _ = await cv.engine.syncOnce()
        #expect(try cv.store.loyaltyProgram()?.pointsPerDollar == 5)

        let next = try ScreenDriver(cv)
        await next.keys("caissier.cv<enter>1111<enter>1<f11>zoe@example.com<enter>")
        guard case .sale(let again) = next.state.screen else { Issue.record("left the sale"); return }
        #expect(again.cart.customerCard == card && again.prompt == nil, "found, not created twice")
    }

    /// Issue 27: points spent at the till. F12 holds the best reward the balance buys at central;
    /// it is the sale's discount; central redeems the hold when the sale reaches it, once. A voided
    /// sale gives its points back; offline, the screen says a reward needs central.
    @Test func aRewardIsSpentAtTheTillAndRedeemedWithTheSale() async throws {
        let central = try Central()
        try central.start()
        defer { central.stop() }
        let shop = try SQLiteCentralStore(path: central.database)
        try await shop.setLoyaltyProgram(LoyaltyProgram(pointsPerDollar: 10, rewards: [LoyaltyReward(points: 50, value: Money(cents: 200)),
                                                                                   LoyaltyReward(points: 100, value: Money(cents: 500))]))
        let zoe = try await shop.createCustomer(CustomerInput(email: "zoe@example.com", loyaltyConsent: true), storeId: 1, at: 1)
        _ = try await shop.adjustPoints(customerId: zoe.id, PointsAdjustment(points: 120, reason: "bienvenue"), at: 2)
        let cv = try await EnrolledTill.enroll(central: central, registerId: "CV-1", storeCode: "CV")
        _ = try cv.store.openCashSession(float: Money(cents: 20_000), by: cv.cashier.id)

        // A sale voided after its reward was held: the points come back.
        let first = try ScreenDriver(cv)
        await first.keys("caissier.cv<enter>1111<enter>1" + zoe.cardNumber + "<enter>2000000000015<enter>2000000000015<enter><f12>")
        guard case .sale(let held) = first.state.screen, held.cart.loyaltyHoldId != nil else {
            Issue.record("no reward held: \(String(describing: first.state.flash))"); return
        }
        #expect(try await shop.loyaltyAccount(customerId: zoe.id).balance == 20, "the 5 $ reward (100 points) is the best 120 points buy")
        await first.keys("<f4><enter>")
        #expect(try await shop.loyaltyAccount(customerId: zoe.id).balance == 120, "voided: the hold is released")

        // The reward on a sale beyond the cashier's limit (no manager needed: the points pay it), paid, synced.
        let cashier = try ScreenDriver(cv)
        await cashier.keys("caissier.cv<enter>1111<enter>1" + zoe.cardNumber + "<enter>2000000000015<enter>2000000000015<enter><f12>")
        guard case .sale(let selling) = cashier.state.screen, let holdId = selling.cart.loyaltyHoldId else {
            Issue.record("no reward held: \(String(describing: cashier.state.flash))"); return
        }
        #expect(cashier.state.flash?.text.contains("5.00") == true, "\(String(describing: cashier.state.flash))")
        await cashier.keys("<f5>")
        guard case .done(let paid) = cashier.state.screen else { Issue.record("not paid: \(String(describing: cashier.state.flash))"); return }
        // The receipt: the points this sale earns (0,98 $ after the reward: none) and the balance central gave with the hold.
        #expect(paid.receipt.contains { $0.hasPrefix("Points earned") && $0.hasSuffix(" 0") }, "\(paid.receipt)")
        #expect(paid.receipt.contains { $0.hasPrefix("Balance known") && $0.hasSuffix(" 20") }, "\(paid.receipt)")
        _ = await cv.engine.syncOnce()
        let account = try await shop.loyaltyAccount(customerId: zoe.id)
        #expect(account.entries.first { $0.reference == holdId }?.kind == .redeemed)
        #expect(try await shop.exceptions(storeId: nil, includeResolved: true).isEmpty, "a held reward is no discount beyond the limit")
        // 120 − 100 spent + the net after the reward (2 × 2,99 − 5,00 = 0,98 $: nothing whole to earn).
        #expect(account.balance == 20)

        // Offline: the screen says a reward needs central.
        central.stop()
        let offline = try ScreenDriver(cv)
        await offline.keys("caissier.cv<enter>1111<enter>1" + zoe.cardNumber + "<enter>2000000000015<enter><f12>")
        #expect(offline.state.flash?.text.contains("Offline") == true, "\(String(describing: offline.state.flash))")
    }
}
