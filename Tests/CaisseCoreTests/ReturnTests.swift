import Testing
@testable import CaisseCore

@Suite("Returns")
struct ReturnTests {
    /// Three lines: 3 × 1.99 $, 1 × 4.99 $, 2 × 3.49 $ zero-rated.
    func sale() throws -> Sale {
        var cart = Cart()
        try cart.add(testProduct(1, cents: 199), quantity: 3)
        try cart.add(testProduct(2, cents: 499))
        try cart.add(testProduct(3, cents: 349, taxClass: .zeroRated), quantity: 2)
        var payment = Payment(total: cart.totals(.quebec).total)
        try payment.payCard(reference: "AUTH")
        return try Sale(id: "sale-1", receiptNumber: "R-1", storeId: 1, registerId: "R", cashierId: 1, createdAt: 0,
                        cart: cart, rule: .quebec, payment: payment)
    }

    /// Issue 15 H: the cash refund that completed a card sale paid exact cents
    /// (28,27 $), so the drawer's expected cash could never be counted.
    @Test func aCashRefundIsNickelRoundedEvenWhenItCompletesTheSale() throws {
        let original = try sale()
        #expect(original.amountPaid.cents % 5 != 0, "the fixture must be a card total with pennies")
        let all = original.lines.map { ReturnRequestLine(lineNo: $0.lineNo, quantity: $0.quantity) }
        let refund = try Refund(original: original, alreadyReturned: [:], requested: all)
        let cash = RefundSettlement(refund: refund, kind: .cash, original: original, previouslyRefunded: .zero, completesSale: true)
        #expect(cash.amount.cents % 5 == 0)
        #expect(cash.amount <= original.amountPaid && original.amountPaid - cash.amount < Money(cents: 5))
        let card = RefundSettlement(refund: refund, kind: .card, original: original, previouslyRefunded: .zero, completesSale: true)
        #expect(card.amount == original.amountPaid, "a card refund still gives back exactly what was paid")
    }

    @Test func refundsOriginalPricesAndTaxes() throws {
        let original = try sale()
        let refund = try Refund(original: original, alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: 2, quantity: 1)])
        #expect(refund.subtotal == Money(cents: 499))
        #expect(refund.taxes.map(\.amount) == [Money(cents: 25), Money(cents: 50)])   // 24.95 ¢, 49.775 ¢
        #expect(refund.total == Money(cents: 574))
    }

    @Test func zeroRatedLinesRefundNoTax() throws {
        let refund = try Refund(original: try sale(), alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: 3, quantity: 2)])
        #expect(refund.taxTotal == .zero)
        #expect(refund.total == Money(cents: 698))
    }

    @Test func cannotReturnMoreThanSoldMinusReturned() throws {
        let original = try sale()
        #expect(throws: DomainError.self) {
            try Refund(original: original, alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: 1, quantity: 4)])
        }
        #expect(throws: DomainError.self) {
            try Refund(original: original, alreadyReturned: [1: 2], requested: [ReturnRequestLine(lineNo: 1, quantity: 2)])
        }
        // Two request lines for the same sale line add up.
        #expect(throws: DomainError.self) {
            try Refund(original: original, alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: 1, quantity: 2), ReturnRequestLine(lineNo: 1, quantity: 2)])
        }
        let ok = try Refund(original: original, alreadyReturned: [1: 2], requested: [ReturnRequestLine(lineNo: 1, quantity: 1)])
        #expect(ok.lines.map(\.quantity) == [1])
    }

    @Test func refusesUnknownLinesAndBadQuantities() throws {
        let original = try sale()
        #expect(throws: DomainError.self) { try Refund(original: original, alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: 9, quantity: 1)]) }
        #expect(throws: DomainError.self) { try Refund(original: original, alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: 1, quantity: 0)]) }
        #expect(throws: DomainError.self) { try Refund(original: original, alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: 1, quantity: -1)]) }
        #expect(throws: DomainError.self) { try Refund(original: original, alreadyReturned: [:], requested: []) }
    }

    @Test func returnsOneByOneRefundExactlyWhatWasCharged() throws {
        let original = try sale()
        var returned: [Int: Int] = [:]
        var refunded = Money.zero
        var taxRefunded = Money.zero
        for line in original.lines {
            for _ in 0..<line.quantity {
                let refund = try Refund(original: original, alreadyReturned: returned, requested: [ReturnRequestLine(lineNo: line.lineNo, quantity: 1)])
                refunded += refund.total
                taxRefunded += refund.taxTotal
                returned[line.lineNo, default: 0] += 1
            }
        }
        #expect(taxRefunded == original.taxTotal)
        #expect(refunded == original.total)
        #expect(throws: DomainError.self) {
            try Refund(original: original, alreadyReturned: returned, requested: [ReturnRequestLine(lineNo: 1, quantity: 1)])
        }
    }
}

@Suite("Restock and stock")
struct RestockTests {
    @Test func theHappyPath() throws {
        var state = RestockState.requested
        for action in [RestockAction.approve, .ship, .receive] { state = try action.apply(to: state) }
        #expect(state == .received)
        #expect(state.isFinal)
    }

    @Test("every transition is either allowed or refused", arguments: RestockAction.allCases)
    func transitions(action: RestockAction) {
        let allowed: [RestockAction: [RestockState: RestockState]] = [
            .approve: [.requested: .approved],
            .reject: [.requested: .rejected, .approved: .rejected],
            .ship: [.approved: .shipped],
            .receive: [.shipped: .received],
            .cancel: [.requested: .cancelled, .approved: .cancelled],
        ]
        for state in RestockState.allCases {
            if let next = allowed[action]?[state] {
                #expect((try? action.apply(to: state)) == next)
            } else {
                #expect(throws: DomainError.self) { try action.apply(to: state) }
            }
        }
    }

    @Test("stock status", arguments: [(-3, StockStatus.out), (0, .out), (1, .low), (10, .low), (11, .ok), (50, .ok), (51, .over)])
    func classifies(onHand: Int, status: StockStatus) {
        #expect(StockStatus.classify(onHand: onHand, reorderPoint: 10, overstockThreshold: 50) == status)
    }

    @Test func suggestsFillingUpToTheOverstockThreshold() {
        #expect(StockStatus.suggestedReorder(onHand: 4, reorderPoint: 10, overstockThreshold: 50) == 46)
        #expect(StockStatus.suggestedReorder(onHand: -2, reorderPoint: 10, overstockThreshold: 50) == 50)
        #expect(StockStatus.suggestedReorder(onHand: 11, reorderPoint: 10, overstockThreshold: 50) == 0)
    }

    @Test func movementsOfASaleAndItsReturn() throws {
        var cart = Cart()
        try cart.add(testProduct(7, cents: 100), quantity: 2)
        var payment = Payment(total: cart.totals(.quebec).total)
        try payment.payExactCash()
        let sale = try Sale(id: "s1", receiptNumber: "R-1", storeId: 3, registerId: "R", cashierId: 1, createdAt: 0, cart: cart, rule: .quebec, payment: payment)
        #expect(StockMovement.forSale(sale) == [StockMovement(locationId: 3, productId: 7, quantity: -2, reason: .sale, reference: "s1")])
        let refund = try Refund(original: sale, alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: 1, quantity: 1)])
        let ret = SaleReturn(id: "r1", receiptNumber: "R-2", original: sale, storeId: 3, registerId: "R", cashierId: 1, createdAt: 0,
                             refund: refund, tenders: [], rounding: .zero)
        #expect(StockMovement.forReturn(ret) == [StockMovement(locationId: 3, productId: 7, quantity: 1, reason: .return, reference: "r1")])
    }
}
