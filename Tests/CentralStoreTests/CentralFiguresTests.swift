import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import Testing
@testable import CentralStore

/// Issue 24: central computes every figure from its own data and keeps the till's beside
/// it; a push can no longer skew the books without an exception. Each case below went in
/// silently before.
@Suite("Central's figures are central's", .postgresDatabases)
struct CentralFiguresTests {
    static var today: Day { PromotionContractTests.today }

    /// A well-chained event after `journal` with `payload` (an honest till never writes it).
    static func push(_ central: any CentralStore, _ journal: inout [SyncEvent], _ type: EventType, _ payload: some Encodable) async throws
        -> [ExceptionKind] {
        let event = TrustBoundaryTests.forge(after: journal, registerId: "CV-1", type: type, payload: try WireJSON.string(payload),
                                             createdAt: Int64(Date().timeIntervalSince1970 * 1000))
        journal.append(event)
        guard case .applied(_, 1, let found) = try await central.ingest(registerId: "CV-1", events: [event]) else {
            Issue.record("refused")
            return []
        }
        return found
    }

    @Test(arguments: StoreKind.allCases)
    func salesArePricedAgainFromCentralsPromotions(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await central.enrol(till, storeId: 1)
        let muffins = try await central.createPromotion(PromotionContractTests.muffins(from: Self.today.adding(days: -1), to: Self.today.adding(days: 30)))
        let nickel = try await central.createPromotion(PromotionInput(name: "5 ¢ de rabais", kind: .amountOff, amountCents: 5, productIds: [5],
                                                                      startDay: Self.today.adding(days: -1), endDay: Self.today.adding(days: 30)))
        var cart = Cart()
        cart.offers = [muffins]
        try cart.add(try till.product(5), quantity: 3)
        let honest = try till.sell(cart)
        var journal = try till.events()
        guard case .applied(1, 1, []) = try await central.ingest(registerId: "CV-1", events: journal) else {
            Issue.record("the honest sale under a promotion was not applied cleanly")
            return
        }
        let onHand = try await central.onHand(1, 5)

        // Ten 10 % discounts on one line: all of it off, no manager.
        var tenTimes = honest
        tenTimes.id = "ten-times"
        tenTimes.lines[0].discounts = Array(repeating: LineDiscount(kind: .line, amount: Money(cents: tenTimes.lines[0].gross.cents / 10),
                                                                    reason: "goodwill"), count: 10)
        // The 5 ¢ promotion claimed as the whole line.
        var claimed = honest
        claimed.id = "claimed"
        claimed.lines[0].discounts = [LineDiscount(kind: .promotion, amount: claimed.lines[0].gross, promotionId: nickel.id, label: "x")]
        // Two exclusive promotions stacked on the same units.
        var stacked = honest
        stacked.id = "stacked"
        stacked.lines[0].discounts.append(LineDiscount(kind: .promotion, amount: Money(cents: 15), promotionId: nickel.id, label: "x"))
        for bent in [tenTimes, claimed, stacked] {
            var bent = bent
            let off = bent.lines[0].discounts.reduce(Money.zero) { $0 + $1.amount }
            bent = Self.retotalled(bent, off: off)
            #expect(try await Self.push(central, &journal, .sale, bent) == [.figuresDiffer], "\(bent.id)")
        }
        #expect(try await central.onHand(1, 5) == onHand, "none of them is applied")
        let open = try await central.exceptions(storeId: 1, includeResolved: false).filter { $0.kind == "figures_differ" }
        #expect(open.count == 3 && open.allSatisfy { $0.detail.contains("central's pricing") || $0.detail.contains("discounts given by a person") })

        // Head office believes the till for one of them: applied as the till priced it.
        let stackedException = try #require(open.first { $0.reference == "stacked" })
        _ = try await central.resolveException(id: stackedException.id, by: "gerant.mm", note: "both offers were on the shelf", decision: .apply,
                                               at: Int64(Date().timeIntervalSince1970 * 1000))
        #expect(try await central.onHand(1, 5) == onHand.map { $0 - 3 })
    }

    /// A sale's figures with `off` taken off its only line (subtotal, taxes, total and cash).
    static func retotalled(_ sale: Sale, off: Money) -> Sale {
        var s = sale
        let lineTotal = s.lines[0].gross - off
        s.subtotal = lineTotal
        s.taxes = s.taxes.map { t in
            var t = t
            t.base = lineTotal
            t.amount = Money(cents: (lineTotal.cents * t.rateMicros + 500_000) / 1_000_000)
            return t
        }
        s.taxTotal = s.taxes.reduce(.zero) { $0 + $1.amount }
        s.total = s.subtotal + s.taxTotal
        let cash = s.total.roundedToNickel
        s.rounding = cash - s.total
        s.tenders = [Tender(kind: .cash, amount: cash)]
        s.change = .zero
        return s
    }

    @Test(arguments: StoreKind.allCases)
    func adjustmentsAreValuedAtCentralsPrices(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await central.enrol(till, storeId: 1)
        var journal: [SyncEvent] = []
        let price = try #require(demoChain.products.first { $0.id == 3 }?.price)
        func adjustment(_ id: String, _ reason: AdjustmentReason, _ quantity: Int, at unitPrice: Money) -> StockAdjustment {
            StockAdjustment(id: id, storeId: 1, registerId: "CV-1", createdAt: Int64(Date().timeIntervalSince1970 * 1000), reason: reason,
                            note: nil, lines: [AdjustmentLine(productId: 3, sku: "x", name: "x", quantity: quantity, unitPrice: unitPrice)],
                            by: till.employee.id, approvedBy: nil)
        }
        // 9 999 units "found" at 1 M$ each, and a correction of 9 999 units at 0 $: neither had a manager.
        #expect(try await Self.push(central, &journal, .stockAdjustment, adjustment("found", .found, 9_999, at: Money(cents: 100_000_000)))
                == [.adjustmentWithoutApproval])
        #expect(try await Self.push(central, &journal, .stockAdjustment, adjustment("free", .correction, 9_999, at: .zero))
                == [.adjustmentWithoutApproval])
        let losses = try await central.adjustmentRows(from: Day(number: 0), to: Day(number: 100_000))
        #expect(losses.allSatisfy { $0.value == price * $0.quantity }, "the loss ledger holds central's value, never the till's")
    }

    /// Issue 29: the drawer opened with no sale is kept in the journal; central checks who approved it.
    @Test(arguments: StoreKind.allCases)
    func aNoSaleOpeningIsKeptAndItsApproverChecked(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await central.enrol(till, storeId: 1)
        _ = try till.store.openCashSession(float: Money(cents: 10_000), by: till.cashier.id)
        let honest = try till.store.recordNoSale(by: till.cashier.id, approvedBy: till.manager.id)
        var journal = try till.events()
        guard case .applied(_, _, let none) = try await central.ingest(registerId: "CV-1", events: journal) else { Issue.record("not applied"); return }
        #expect(none.isEmpty, "a manager of the store approved it")
        // The same opening "approved" by the cashier, by an administrator, by a user central never issued.
        var byCashier = honest
        byCashier.id = "no-sale-cashier"
        byCashier.approvedBy = till.cashier.id
        #expect(try await Self.push(central, &journal, .noSale, byCashier) == [.noSaleWithoutApproval])
        var byAdmin = honest
        byAdmin.id = "no-sale-admin"
        byAdmin.approvedBy = try #require(demoChain.users.first { $0.role == .admin }?.id)
        #expect(try await Self.push(central, &journal, .noSale, byAdmin) == [.foreignReference])
        var byNobody = honest
        byNobody.id = "no-sale-nobody"
        byNobody.approvedBy = 987_654
        #expect(try await Self.push(central, &journal, .noSale, byNobody) == [.unknownReference])
        #expect(try await central.audit().isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func aCashRefundIsRoundedByTwoCentsAtMost(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await central.enrol(till, storeId: 1)
        let sale = try till.sell([(2, 15)])
        let ret = try till.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                              refundKind: .cash, cashierId: till.cashier.id)
        var journal = Array(try till.events().dropLast())
        _ = try await central.ingest(registerId: "CV-1", events: journal)
        var bent = ret
        bent.id = "rounded-up"
        bent.rounding = Money(cents: 3_665) - bent.total
        bent.tenders = [Tender(kind: .cash, amount: Money(cents: 3_665))]
        #expect(try await Self.push(central, &journal, .return, bent) == [.invalidDocument])
    }

    @Test(arguments: StoreKind.allCases)
    func unitsAStoreNeverHadAreNotShipped(kind: StoreKind) async throws {
        let central = try await kind.seeded()
        let till = try Till(registerId: "CV-1", storeId: 1)
        try await central.enrol(till, storeId: 1)
        var journal: [SyncEvent] = []
        let have = try #require(try await central.onHand(1, 3))
        let ghost = TransferShipmentPayload(transferId: "ghost", fromStoreId: 1, toStoreId: 2, productId: 3, quantity: have + 9_000, note: nil,
                                            shippedBy: till.employee.id)
        #expect(try await Self.push(central, &journal, .transferShipment, ghost) == [.figuresDiffer])
        #expect(try await central.transfers(TransferQuery()).isEmpty, "nothing in transit to charge the other store as short")
        let real = TransferShipmentPayload(transferId: "real", fromStoreId: 1, toStoreId: 2, productId: 3, quantity: 1, note: nil,
                                           shippedBy: till.employee.id)
        #expect(try await Self.push(central, &journal, .transferShipment, real) == [])
    }
}
