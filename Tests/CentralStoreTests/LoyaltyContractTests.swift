import CaisseAPI
import CaisseCore
import Foundation
import Testing
@testable import CentralStore

/// Issue 27: customers and their points, in both dialects. Points are earned offline (credited
/// when the sale reaches central, from central's program and the sale's own subtotal), taken
/// back by a return, spent through a hold that only one till can win, and the balance is always
/// the ledger's sum. Erasing a customer leaves their points and sales in the books.
@Suite("Customers and loyalty", .postgresDatabases)
struct LoyaltyContractTests {
    static let program = LoyaltyProgram(pointsPerDollar: 10, rewards: [LoyaltyReward(points: 50, value: Money(cents: 500))])

    func sell(_ till: Till, _ items: [(Int64, Int)], card: String?) throws -> Sale {
        var cart = Cart()
        for (id, qty) in items { try cart.add(try till.product(id), quantity: qty) }
        cart.customerCard = card
        return try till.sell(cart)
    }

    @Test(arguments: StoreKind.allCases)
    func pointsEarnedOfflineAreTakenBackByAReturnAndTheBalanceIsTheLedger(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        try await central.setLoyaltyProgram(Self.program)
        let customer = try await central.createCustomer(CustomerInput(phone: "514 555-0101", loyaltyConsent: true), storeId: 1, at: 1)
        #expect(LoyaltyCard.isCard(customer.cardNumber) && customer.phone == "5145550101" && customer.loyaltyConsentAt == 1)
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await central.enrol(till, storeId: 1)

        // Offline: two sales with the card, one with a card nobody has.
        let first = try sell(till, [(1, 2)], card: customer.cardNumber)
        let second = try sell(till, [(5, 3)], card: customer.cardNumber)
        let stranger = try sell(till, [(3, 1)], card: LoyaltyCard.number(forCustomer: 999_999))
        let ret = try till.store.recordReturn(receiptNumber: first.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                              refundKind: .cash, cashierId: till.cashier.id)
        guard case .applied(_, _, let exceptions) = try await central.ingest(registerId: "CV-1", events: try till.events()) else {
            Issue.record("not applied"); return
        }
        #expect(exceptions == [.unknownLoyaltyCard], "the stranger's sale is kept, and flagged")
        #expect(stranger.customerCard != nil)

        let account = try await central.loyaltyAccount(customerId: customer.id)
        let earned = Self.program.points(forNet: first.subtotal) + Self.program.points(forNet: second.subtotal)
        let reversed = Self.program.points(forNet: ret.subtotal)
        #expect(account.entries.map(\.kind) == [.earned, .earned, .reversed])
        #expect(account.balance == earned - reversed && account.balance == account.entries.reduce(0) { $0 + $1.points })
        #expect(earned > 0 && reversed > 0)

        // Pushed again (a retry): nothing is credited twice.
        _ = try await central.ingest(registerId: "CV-1", events: try till.events())
        #expect(try await central.loyaltyAccount(customerId: customer.id).balance == account.balance)
    }

    @Test(arguments: StoreKind.allCases)
    func twoTillsRedeemingTheSamePointsAtOnceOneWins(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        try await central.setLoyaltyProgram(Self.program)
        let customer = try await central.createCustomer(CustomerInput(email: "Ana@Example.com", loyaltyConsent: true), storeId: nil, at: 1)
        #expect(customer.email == "ana@example.com")
        _ = try await central.adjustPoints(customerId: customer.id, PointsAdjustment(points: 60, reason: "bienvenue"), at: 2)

        // 60 points, a 50-point reward asked for by two tills at the same moment.
        @Sendable func hold(_ id: String) async -> Result<LoyaltyHold, CentralError> {
            do { return .success(try await central.holdPoints(LoyaltyHoldRequest(cardNumber: customer.cardNumber, reward: 0), id: id, at: 3)) }
            catch let error as CentralError { return .failure(error) } catch { return .failure(CentralError(.invalid, "\(error)")) }
        }
        async let a = hold("hold-a")
        async let b = hold("hold-b")
        let results = await [a, b]
        let won = results.compactMap { try? $0.get() }
        #expect(won.count == 1, "one wins")
        let lost: [CentralError] = results.compactMap { if case .failure(let e) = $0 { e } else { nil } }
        #expect(lost.map { $0.kind } == [CentralError.Kind.conflict], "the other is told the balance: \(lost)")
        #expect(try await central.loyaltyAccount(customerId: customer.id).balance == 10)

        let winner = try #require(won.first)
        #expect(try await central.settleHold(id: winner.id, redeemed: true, at: 4).kind == .redeemed)
        await #expect(throws: CentralError.self, "a hold settles once") { try await central.settleHold(id: winner.id, redeemed: false, at: 5) }
        #expect(try await central.loyaltyAccount(customerId: customer.id).balance == 10)

        // Released: the points come back.
        _ = try await central.adjustPoints(customerId: customer.id, PointsAdjustment(points: 40, reason: "geste commercial"), at: 6)
        let again = try await central.holdPoints(LoyaltyHoldRequest(cardNumber: customer.cardNumber, reward: 0), id: "hold-c", at: 7)
        #expect(again.balanceAfter == 0)
        _ = try await central.settleHold(id: "hold-c", redeemed: false, at: 8)
        #expect(try await central.loyaltyAccount(customerId: customer.id).balance == 50)
    }

    /// Issue 27: a reward spent at the till is the sale's `loyalty` discount naming central's hold;
    /// the sale redeems the hold when it reaches central, once; the store's discount limit does not
    /// apply to it. A sale naming a hold that is spent, unknown, another card's or worth another
    /// amount is kept and flagged, and no points move.
    @Test(arguments: StoreKind.allCases)
    func aRewardSpentAtTheTillRedeemsItsHoldWithTheSaleOnce(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        try await central.setLoyaltyProgram(Self.program)
        let ana = try await central.createCustomer(CustomerInput(phone: "514 555-0199", loyaltyConsent: true), storeId: 1, at: 1)
        let bob = try await central.createCustomer(CustomerInput(phone: "514 555-0198", loyaltyConsent: true), storeId: 1, at: 1)
        _ = try await central.adjustPoints(customerId: ana.id, PointsAdjustment(points: 120, reason: "bienvenue"), at: 2)
        let hold = try await central.holdPoints(LoyaltyHoldRequest(cardNumber: ana.cardNumber, reward: 0), id: "hold-r1", at: 3)
        #expect(try await central.loyaltyAccount(customerId: ana.id).balance == 70)
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await central.enrol(till, storeId: 1)

        func rewardSale(card: String, holdId: String, value: Money) throws -> Sale {
            var cart = Cart()
            try cart.add(try till.product(1), quantity: 3)   // 8,97 $: 5 $ off is 56 %, far beyond a cashier's 10 %
            cart.customerCard = card
            try cart.setSaleDiscount(ManualDiscount(rule: .amount(value), reason: DiscountReason.loyalty.rawValue, approvedBy: nil))
            cart.loyaltyHoldId = holdId
            return try till.sell(cart)
        }
        let first = try rewardSale(card: ana.cardNumber, holdId: hold.id, value: hold.value)
        guard case .applied(_, _, let clean) = try await central.ingest(registerId: "CV-1", events: try till.events()) else { Issue.record("refused"); return }
        #expect(clean.isEmpty, "a held reward is no discount beyond the limit: \(clean)")
        let account = try await central.loyaltyAccount(customerId: ana.id)
        #expect(account.entries.first { $0.reference == hold.id }?.kind == .redeemed)
        // 70 left after the hold; the sale's net (3,97 $ after the reward) earns 39 points.
        #expect(account.balance == 70 + Self.program.points(forNet: first.subtotal))

        // The same hold again, an unknown hold, Ana's hold on Bob's card, a hold worth less than the discount.
        let second = try await central.holdPoints(LoyaltyHoldRequest(cardNumber: ana.cardNumber, reward: 0), id: "hold-r2", at: 4)
        _ = try rewardSale(card: ana.cardNumber, holdId: hold.id, value: hold.value)
        _ = try rewardSale(card: ana.cardNumber, holdId: "no-such-hold", value: hold.value)
        _ = try rewardSale(card: bob.cardNumber, holdId: second.id, value: second.value)
        _ = try rewardSale(card: ana.cardNumber, holdId: second.id, value: second.value + Money(cents: 100))
        let before = try await central.loyaltyAccount(customerId: ana.id).balance
        guard case .applied(_, _, let found) = try await central.ingest(registerId: "CV-1", events: try till.events()) else { Issue.record("refused"); return }
        #expect(found.filter { $0 == .rewardWithoutHold }.count == 4, "\(found)")
        let after = try await central.loyaltyAccount(customerId: ana.id)
        #expect(after.entries.first { $0.reference == second.id }?.kind == .held, "no sale redeemed the second hold")
        #expect(after.balance > before, "the four sales still earn their points; no reward was taken twice")
        #expect(try await central.audit().isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func badInputGetsAClearRefusalAndChangesNothing(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        try await central.setLoyaltyProgram(Self.program)
        await #expect(throws: CentralError.self, "neither phone nor email") {
            try await central.createCustomer(CustomerInput(name: "Sans contact", loyaltyConsent: true), storeId: 1, at: 1)
        }
        await #expect(throws: CentralError.self) { try await central.createCustomer(CustomerInput(email: "pas-un-courriel", loyaltyConsent: true), storeId: 1, at: 1) }
        let c = try await central.createCustomer(CustomerInput(email: "b@example.com", loyaltyConsent: true), storeId: 1, at: 1)
        await #expect(throws: CentralError.self, "one account per email") {
            try await central.createCustomer(CustomerInput(email: "B@example.com", loyaltyConsent: true), storeId: 1, at: 1)
        }
        await #expect(throws: CentralError.self, "an unknown card") {
            try await central.holdPoints(LoyaltyHoldRequest(cardNumber: "2900000999999", reward: 0), id: "h1", at: 2)
        }
        await #expect(throws: CentralError.self, "a reward beyond the balance") {
            try await central.holdPoints(LoyaltyHoldRequest(cardNumber: c.cardNumber, reward: 0), id: "h2", at: 2)
        }
        await #expect(throws: CentralError.self, "a reward the program does not have") {
            try await central.holdPoints(LoyaltyHoldRequest(cardNumber: c.cardNumber, reward: 7), id: "h3", at: 2)
        }
        await #expect(throws: CentralError.self, "below zero") {
            try await central.adjustPoints(customerId: c.id, PointsAdjustment(points: -1, reason: "erreur"), at: 2)
        }
        await #expect(throws: CentralError.self, "a reason is needed") {
            try await central.adjustPoints(customerId: c.id, PointsAdjustment(points: 5, reason: " "), at: 2)
        }
        await #expect(throws: CentralError.self) {
            try await central.setLoyaltyProgram(LoyaltyProgram(pointsPerDollar: 1_000, rewards: []))
        }
        #expect(try await central.loyaltyAccount(customerId: c.id).entries.isEmpty)
        #expect(try await central.loyaltyProgram() == Self.program)
    }

    @Test(arguments: StoreKind.allCases)
    func anErasedCustomerLeavesNoPersonalFieldAndTheBooksUnchanged(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        try await central.setLoyaltyProgram(Self.program)
        let c = try await central.createCustomer(CustomerInput(name: "Marie Tremblay", email: "marie@example.com", phone: "4185550199",
                                                                loyaltyConsent: true, marketingConsent: true), storeId: 1, at: 1)
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await central.enrol(till, storeId: 1)
        let sale = try sell(till, [(1, 2)], card: c.cardNumber)
        _ = try await central.ingest(registerId: "CV-1", events: try till.events())
        let today = Day(epochMillis: sale.createdAt, utcOffsetSeconds: -5 * 3_600)
        let before = try await central.reportRows(from: today.adding(days: -1), to: today.adding(days: 1)).documents

        let export = try await central.exportCustomer(id: c.id, by: "gerant.mm", at: 2)
        #expect(export.customer.email == "marie@example.com" && export.receipts == [sale.receiptNumber] && export.loyalty.balance > 0)

        let gone = try await central.eraseCustomer(id: c.id, by: "gerant.mm", at: 3)
        #expect(gone.name == nil && gone.email == nil && gone.phone == nil && gone.erasedAt == 3)
        let stored = try #require(try await central.customer(id: c.id))
        #expect(stored.name == nil && stored.email == nil && stored.phone == nil && stored.marketingConsentAt == nil)
        #expect(try await central.customers(matching: "marie@example.com", byName: true, limit: 10).isEmpty)
        #expect(try await central.customers(matching: "Marie", byName: true, limit: 10).isEmpty)
        #expect(try await central.reportRows(from: today.adding(days: -1), to: today.adding(days: 1)).documents == before, "the books are unchanged")
        #expect(try await central.loyaltyAccount(customerId: c.id).balance == export.loyalty.balance, "the points stay in the ledger")
        await #expect(throws: CentralError.self, "once") { try await central.eraseCustomer(id: c.id, by: "gerant.mm", at: 4) }

        // After erasure the card earns nothing more.
        _ = try sell(till, [(3, 1)], card: c.cardNumber)
        guard case .applied(_, _, let exceptions) = try await central.ingest(registerId: "CV-1", events: try till.events()) else {
            Issue.record("not applied"); return
        }
        #expect(exceptions == [.unknownLoyaltyCard])
    }

    /// Issue 27: points expire the program's days after they were earned, spent oldest first;
    /// the expiry is a ledger entry, the balance its sum, and running it again expires nothing.
    @Test(arguments: StoreKind.allCases)
    func pointsExpireOldestFirstOnceAndOnlyWhenTheProgramSaysSo(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let day: Int64 = 86_400_000, now: Int64 = 1_796_191_200_000
        let customer = try await central.createCustomer(CustomerInput(phone: "514 555-0102", loyaltyConsent: true), storeId: 1, at: now - 90 * day)
        _ = try await central.adjustPoints(customerId: customer.id, PointsAdjustment(points: 100, reason: "bienvenue"), at: now - 60 * day)
        _ = try await central.adjustPoints(customerId: customer.id, PointsAdjustment(points: -30, reason: "erreur"), at: now - 20 * day)
        _ = try await central.adjustPoints(customerId: customer.id, PointsAdjustment(points: 50, reason: "sondage"), at: now - 10 * day)

        // No expiry in the program: nothing expires, however old.
        try await central.setLoyaltyProgram(Self.program)
        #expect(try await central.expirePoints(at: now) == 0)
        #expect(try await central.loyaltyAccount(customerId: customer.id).balance == 120)

        // 30 days: of the 100 earned 60 days ago, 30 were spent; the other 70 expire, the 50 of 10 days ago stay.
        var expiring = Self.program
        expiring.expiryDays = 30
        try await central.setLoyaltyProgram(expiring)
        #expect(try await central.expirePoints(at: now) == 1)
        let account = try await central.loyaltyAccount(customerId: customer.id)
        #expect(account.balance == 50)
        let expired = try #require(account.entries.last)
        #expect(expired.kind == .expired && expired.points == -70 && expired.createdAt == now)
        #expect(try await central.expirePoints(at: now + day) == 0, "once expired, the same points never expire again")
        #expect(try await central.loyaltyAccount(customerId: customer.id).balance == 50)
        // 20 days later the 50 are past 30 days too.
        #expect(try await central.expirePoints(at: now + 21 * day) == 1)
        #expect(try await central.loyaltyAccount(customerId: customer.id).balance == 0)
        // Nothing left: the hourly run no longer reads this customer's ledger.
        #expect(try await central.customersWithPointsCredited(before: now + 60 * day).isEmpty)
    }

    /// Issue 27: the program reaches every till with the change feed when head office changes it,
    /// and only then; a receipt says the points by central's own rule.
    @Test(arguments: StoreKind.allCases)
    func theProgramReachesTheTillsWithTheChangeFeed(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await central.enrol(till, storeId: 1)
        func drain(from cursor: Int64) async throws -> (cursor: Int64, program: LoyaltyProgram?) {
            var cursor = cursor, program: LoyaltyProgram?
            while true {
                let page = try await central.changes(registerId: "CV-1", since: cursor, limit: 1_000)
                if let p = page.loyaltyProgram { program = p }
                cursor = page.cursor
                if !page.hasMore { return (cursor, program) }
            }
        }
        let start = try await drain(from: 0)
        #expect(start.program == nil, "no program yet")
        try await central.setLoyaltyProgram(Self.program)
        let pulled = try await drain(from: start.cursor)
        #expect(pulled.program == Self.program)
        #expect(try await drain(from: pulled.cursor).program == nil, "not again until it changes")
        #expect(try await drain(from: 0).program == Self.program, "a new till gets it from the start")

        try till.store.applyChanges([try await central.changes(registerId: "CV-1", since: 0, limit: 100_000)], pulledFrom: 0)
        #expect(try till.store.loyaltyProgram() == Self.program)
        let sale = try sell(till, [(1, 2)], card: LoyaltyCard.number(forCustomer: 7))
        let receipt = Receipt(language: .fr).render(sale, header: try till.store.receiptHeader(cashierId: till.cashier.id, at: sale.createdAt))
        #expect(receipt.contains("Points gagnés") && receipt.contains(String(Self.program.points(forNet: sale.subtotal))))
    }
}
