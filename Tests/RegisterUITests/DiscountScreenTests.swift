import CaisseCore
@testable import RegisterUI
import ScreenKit
import Testing

/// Issue 16 at the till: discounts and overrides given with a reason, a
/// manager's PIN beyond the store's limit (offline: the till checks it), and
/// promotions applied by themselves as the cart changes.
@Suite struct DiscountScreenTests {
    func selling(_ language: Language = .fr, _ setup: (inout AppState) -> Void = { _ in }) -> Driver {
        var state = freshState(language)
        setup(&state)
        var d = Driver(state)
        d.login(cashier)
        d.keys("1")
        return d
    }

    @Test func aLineDiscountWithinTheLimitNeedsOnlyAReason() {
        var d = selling()
        d.keys("2000000000022<enter>2000000000022<enter>2000000000022<enter>")   // 3 coffees, 6,57 $
        d.keys("%")
        expectGolden(d.screen(), "discount-prompt-fr")
        d.keys("10<enter>")
        expectGolden(d.screen(), "discount-reason-fr")
        d.keys("3")   // loyalty
        guard case .sale(let s) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(s.prompt == nil)
        #expect(s.cart.lines.first?.discounts == [LineDiscount(kind: .line, amount: Money(cents: 66), reason: "loyalty")])
        expectGolden(d.screen(), "discount-given-fr")
        d.keys("%<f3>")
        guard case .sale(let back) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(back.cart.lines.first?.discounts == [], "taken back as easily as it was given")
    }

    @Test func beyondTheLimitAManagersPINApprovesOfflineAndIsJournaled() {
        var d = selling(.en)
        d.keys("2000000000015<enter>")   // Timbits 2,99 $
        d.keys("%<tab><tab>1,50<enter>2")   // a new price, price match: 49.8 % off
        expectGolden(d.screen(), "discount-approval-en")
        #expect(d.state.flash?.text == "Beyond 10%: a manager's PIN is needed.")
        d.keys("9999<enter>")
        guard case .sale(let wrong) = d.state.screen, case .discount = wrong.prompt else { Issue.record("the prompt closed"); return }
        #expect(wrong.cart.lines.first?.discounts == [], "a wrong PIN gives nothing")
        d.keys("1111<enter>")
        #expect(d.effects.last == .verifyPin(userId: manager.id, pin: "1111"))
        guard case .sale(let s) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(s.prompt == nil)
        #expect(s.cart.lines.first?.discounts == [LineDiscount(kind: .override, amount: Money(cents: 149), reason: "price_match", approvedBy: manager.id)])
        d.keys("<f5>")
        #expect(d.committedSales.last?.lines.first?.discounts.first?.approvedBy == manager.id, "the approver goes in the journal")
    }

    @Test func aManagerGivesAnyDiscountAlone() {
        var state = freshState()
        state.user = manager
        state.screen = .sale(SaleState())
        var d = Driver(state)
        d.keys("2000000000015<enter>%<tab><tab><tab>50<enter>5")   // half off the whole sale
        guard case .sale(let s) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(s.prompt == nil)
        #expect(s.cart.lines.first?.discounts.map(\.kind) == [.sale])
        #expect(s.cart.lines.first?.total == Money(cents: 149))
    }

    @Test func aRunningPromotionAppliesByItselfAndShowsItsName() {
        let today = Day(epochMillis: noon, utcOffsetSeconds: -5 * 3_600)
        let threeForFive = Promotion(id: 7, name: "Beignes 3 pour 4 $", kind: .multiBuy, priceCents: 400, quantity: 3, productIds: [3],
                                     startDay: today, endDay: today)
        var later = threeForFive
        later.id = 8
        later.name = "Happy hour"
        later.kind = .percentOff
        later.percentMicros = 500_000
        later.fromMinute = 16 * 60   // not yet at 14:03
        var d = selling { $0.promotions = [threeForFive, later] }
        for _ in 0..<3 { d.keys("2000000000039<enter>") }   // 3 donuts at 1,69 $
        guard case .sale(let s) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(s.cart.lines.first?.discounts.map(\.promotionId) == [7])
        #expect(s.cart.lines.first?.total == Money(cents: 400))
        expectGolden(d.screen(), "promotion-fr")
        d.send(.tick(noon + 2 * 3_600_000))   // 16:03: the happy hour starts; the best offer wins
        guard case .sale(let after) = d.state.screen else { Issue.record("left the sale"); return }
        #expect(after.cart.lines.first?.discounts.map(\.promotionId) == [8])
    }
}

/// Issue 16: head office defines and ends promotions from its till (approvals, Tab twice).
@Suite struct PromotionScreenTests {
    func atHeadOffice(_ language: Language) -> Driver {
        var state = freshState(language)
        state.context.store = headOffice
        state.users.append(headManager)
        var d = Driver(state)
        d.login(headManager)
        d.keys("9<tab><tab>")
        return d
    }

    @Test func headOfficeCreatesAPromotionFromTheTill() {
        var d = atHeadOffice(.fr)
        #expect(d.effects.last == .loadPromotions(userId: headManager.id))
        d.send(.promotionsLoaded([]))
        d.keys("n")
        d.keys("Muffins 3 pour 5 $<enter>   <enter>3/5<enter>MUF-0001, muf-0002<enter>")
        expectGolden(d.screen(), "promotion-form-fr")
        d.keys("<enter><enter>")   // the last day, then create
        guard case .createPromotion(let input, let skus, let userId) = d.effects.last else { Issue.record("nothing created"); return }
        #expect(userId == headManager.id)
        #expect(input.kind == .multiBuy && input.quantity == 3 && input.priceCents == 500)
        #expect(skus == ["MUF-0001", "MUF-0002"])
        #expect(input.startDay == Day(epochMillis: noon, utcOffsetSeconds: -5 * 3_600))
        #expect(input.endDay == input.startDay.adding(days: 6))
        d.send(.approvalDone(.promotionCreated(1)))
        #expect(d.effects.last == .loadPromotions(userId: headManager.id))
        guard case .approvals(let s) = d.state.screen else { Issue.record("left the screen"); return }
        #expect(s.form == nil)
    }

    @Test func aFormWithAnUnreadableValueSaysWhatItExpectsAndSendsNothing() {
        var d = atHeadOffice(.en)
        d.send(.promotionsLoaded([]))
        let before = d.effects.count
        d.keys("nCoffee<enter><enter>half<f5>")
        #expect(d.effects.count == before)
        #expect(d.state.flash?.text == "Unreadable value for this kind: 25 (for 25%)")
        d.keys("<bs><bs><bs><bs>25<enter>Boissons chaudes<f5>")
        guard case .createPromotion(let input, let skus, _) = d.effects.last else { Issue.record("nothing created"); return }
        #expect(input.percentMicros == 250_000 && input.category == "Boissons chaudes" && skus.isEmpty)
    }

    /// Issue 28: a promotion starting today, just created at central, showed "planned" until the next pull.
    @Test func aPromotionStartingTodayShowsRunningAtOnce() {
        var d = atHeadOffice(.fr)
        let today = Day(epochMillis: noon, utcOffsetSeconds: -5 * 3_600)
        let fresh = Promotion(id: 9, name: "Beignes -10 %", kind: .percentOff, percentMicros: 100_000, productIds: [1],
                              startDay: today, endDay: today.adding(days: 3))
        d.state.promotions = []   // not pulled yet
        d.send(.promotionsLoaded([fresh]))
        #expect(d.screen().contains("en cours"), "\(d.screen())")
        #expect(!d.screen().contains("prévue"))
    }

    @Test func headOfficeEndsARunningPromotion() {
        var d = atHeadOffice(.en)
        let today = Day(epochMillis: noon, utcOffsetSeconds: -5 * 3_600)
        let running = Promotion(id: 4, name: "Café -25 %", kind: .percentOff, percentMicros: 250_000, category: "Boissons chaudes",
                                startDay: today, endDay: today.adding(days: 3))
        var ended = running
        ended.id = 5
        ended.active = false
        d.state.promotions = [running]
        d.send(.promotionsLoaded([running, ended]))
        expectGolden(d.screen(), "promotions-en")
        d.keys("e")
        #expect(d.effects.last == .endPromotion(running, userId: headManager.id))
        d.keys("<down>e")
        #expect(d.state.flash?.text == "This promotion has already ended.")
    }
}
