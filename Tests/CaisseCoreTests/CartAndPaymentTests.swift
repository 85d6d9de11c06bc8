import Testing
@testable import CaisseCore

func testProduct(_ id: Int64, cents: Int64, active: Bool = true, taxClass: TaxClass = .standard) -> Product {
    Product(id: id, sku: "SKU-\(id)", barcode: "", name: "Produit \(id)", category: "Test", price: Money(cents: cents),
            taxClass: taxClass, reorderPoint: 2, overstockThreshold: 20, active: active)
}

@Suite("Cart")
struct CartTests {
    @Test func scanningTheSameProductMergesTheLine() throws {
        var cart = Cart()
        try cart.add(testProduct(1, cents: 299))
        try cart.add(testProduct(2, cents: 100))
        try cart.add(testProduct(1, cents: 299), quantity: 2)
        #expect(cart.lines.count == 2)
        #expect(cart.lines[0].quantity == 3)
        #expect(cart.itemCount == 4)
        #expect(cart.totals(.quebec).subtotal == Money(cents: 997))
    }

    @Test func keepsThePriceSeenWhenAdded() throws {
        var cart = Cart()
        try cart.add(testProduct(1, cents: 299))
        try cart.add(testProduct(1, cents: 999))   // a new price pulled mid-sale
        #expect(cart.lines[0].unitPrice == Money(cents: 299))
    }

    @Test func setQuantityRemoveAndVoid() throws {
        var cart = Cart()
        try cart.add(testProduct(1, cents: 100))
        try cart.add(testProduct(2, cents: 200))
        try cart.setQuantity(lineNo: 2, to: 5)
        #expect(cart.totals(.quebec).subtotal == Money(cents: 1100))
        try cart.remove(lineNo: 1)
        #expect(cart.numberedLines.map(\.lineNo) == [1])
        #expect(cart.numberedLines[0].productId == 2)
        #expect(throws: DomainError.self) { try cart.remove(lineNo: 9) }
        cart.void()
        #expect(cart.isEmpty)
    }

    @Test("quantities must be 1…9999", arguments: [0, -1, 10_000])
    func refusesBadQuantities(quantity: Int) {
        var cart = Cart()
        #expect(throws: DomainError.self) { try cart.add(testProduct(1, cents: 100), quantity: quantity) }
        #expect(cart.isEmpty)
    }

    @Test func refusesAnInactiveProduct() {
        var cart = Cart()
        #expect(throws: DomainError.self) { try cart.add(testProduct(1, cents: 100, active: false)) }
    }

    @Test func mergingBeyondTheLimitIsRefusedAndKeepsTheLine() throws {
        var cart = Cart()
        try cart.add(testProduct(1, cents: 100), quantity: 9_000)
        #expect(throws: DomainError.self) { try cart.add(testProduct(1, cents: 100), quantity: 1_000) }
        #expect(cart.lines[0].quantity == 9_000)
    }
}

@Suite("Payment")
struct PaymentTests {
    @Test func cashRoundsTheTotalAndGivesChange() throws {
        var payment = Payment(total: Money(cents: 1248))
        #expect(payment.cashDue == Money(cents: 1250))
        let tender = try payment.payCash(given: Money(cents: 2000))
        #expect(tender.change == Money(cents: 750))
        #expect(payment.rounding == Money(cents: 2))
        #expect(payment.isComplete)
    }

    @Test func cashCanRoundDown() throws {
        var payment = Payment(total: Money(cents: 1247))
        try payment.payExactCash()
        #expect(payment.tenders[0].amount == Money(cents: 1245))
        #expect(payment.rounding == Money(cents: -2))
        #expect(payment.change == .zero)
        #expect(payment.isComplete)
    }

    @Test func cardIsNotRounded() throws {
        var payment = Payment(total: Money(cents: 1248))
        try payment.payCard(reference: "AUTH-1")
        #expect(payment.paid == Money(cents: 1248))
        #expect(payment.rounding == .zero)
        #expect(payment.isComplete)
    }

    @Test func splitTenderCardThenCash() throws {
        var payment = Payment(total: Money(cents: 1003))
        try payment.payCard(amount: Money(cents: 500), reference: "AUTH-2")
        #expect(!payment.isComplete)
        #expect(payment.cashDue == Money(cents: 505))   // 5.03 $ → 5.05 $ in cash
        try payment.payCash(given: Money(cents: 1000))
        #expect(payment.change == Money(cents: 495))
        #expect(payment.rounding == Money(cents: 2))
        #expect(payment.isComplete)
    }

    @Test func partialCashThenCard() throws {
        var payment = Payment(total: Money(cents: 2599))
        try payment.payCash(given: Money(cents: 1000))
        #expect(payment.remaining == Money(cents: 1599))
        try payment.payCard(reference: "AUTH-3")
        #expect(payment.isComplete)
        #expect(payment.tenders.map(\.amount) == [Money(cents: 1000), Money(cents: 1599)])
        #expect(payment.change == .zero)
    }

    @Test func aRemainderOfTwoCentsIsSettledByRoundingAlone() throws {
        var payment = Payment(total: Money(cents: 1002))
        try payment.payCard(amount: Money(cents: 1000), reference: "AUTH-4")
        #expect(payment.cashDue == .zero)
        try payment.payExactCash()
        #expect(payment.isComplete)
        #expect(payment.rounding == Money(cents: -2))
    }

    @Test func refusesWhatIsNotAPayment() throws {
        var payment = Payment(total: Money(cents: 1000))
        #expect(throws: DomainError.self) { try payment.payCash(given: .zero) }
        #expect(throws: DomainError.self) { try payment.payCard(amount: Money(cents: 1001), reference: "X") }
        #expect(throws: DomainError.self) { try payment.payCard(reference: "   ") }
        #expect(throws: DomainError.self) { try payment.payCard(amount: Money(cents: -5), reference: "X") }
        #expect(payment.tenders.isEmpty)
        try payment.payCard(reference: "OK")
        #expect(throws: DomainError.self) { try payment.payCash(given: Money(cents: 100)) }
    }

    @Test func aSaleCompletesOnlyWhenFullyPaid() throws {
        var cart = Cart()
        try cart.add(testProduct(1, cents: 1000))
        var payment = Payment(total: cart.totals(.quebec).total)
        try payment.payCash(given: Money(cents: 500))
        #expect(throws: DomainError.self) {
            try Sale(id: "s", receiptNumber: "R-1", storeId: 1, registerId: "R", cashierId: 1, createdAt: 0,
                     cart: cart, rule: .quebec, payment: payment)
        }
        try payment.payCard(reference: "AUTH")
        let sale = try Sale(id: "s", receiptNumber: "R-1", storeId: 1, registerId: "R", cashierId: 1, createdAt: 0,
                            cart: cart, rule: .quebec, payment: payment)
        #expect(sale.total == Money(cents: 1150))
        #expect(sale.amountPaid == Money(cents: 1150))
    }

    @Test func aPaymentForAnotherTotalIsRefused() throws {
        var cart = Cart()
        try cart.add(testProduct(1, cents: 1000))
        var payment = Payment(total: Money(cents: 100))
        try payment.payCard(reference: "AUTH")
        #expect(throws: DomainError.self) {
            try Sale(id: "s", receiptNumber: "R-1", storeId: 1, registerId: "R", cashierId: 1, createdAt: 0,
                     cart: cart, rule: .quebec, payment: payment)
        }
    }

    @Test func anEmptyCartIsNotASale() {
        #expect(throws: DomainError.self) {
            try Sale(id: "s", receiptNumber: "R-1", storeId: 1, registerId: "R", cashierId: 1, createdAt: 0,
                     cart: Cart(), rule: .quebec, payment: Payment(total: .zero))
        }
    }
}

@Suite("Quick cash")
struct QuickCashTests {
    @Test func nextDollarThenTheNextBillsEachOnce() {
        #expect(QuickCash.suggestions(due: Money(cents: 595)) == [600, 1_000, 2_000, 5_000].map { Money(cents: $0) })
        #expect(QuickCash.suggestions(due: Money(cents: 1_000)) == [1_100, 1_500, 2_000, 5_000].map { Money(cents: $0) })
        #expect(QuickCash.suggestions(due: Money(cents: 4_999)) == [5_000, 6_000, 10_000].map { Money(cents: $0) })
        #expect(QuickCash.suggestions(due: .zero).isEmpty)
    }
}
