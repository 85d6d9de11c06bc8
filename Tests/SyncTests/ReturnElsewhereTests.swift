import CaisseAPI
import CaisseCore
import CentralStore
import Foundation
import RegisterApp
import RegisterStore
import RegisterUI
import Testing

/// Issue 24: a customer brings back what they bought at another register of the store, or at
/// another store of the chain. Online, the till finds the receipt at central and refunds it;
/// the over-return check counts every register's returns, at the till and again at central.
@Suite(.serialized) struct ReturnElsewhereTests {
    @Test func aSaleOfAnotherRegisterOrStoreIsReturnedAndNeverTwiceAcrossTheChain() async throws {
        let central = try Central()
        try central.start()
        defer { central.stop() }
        let cv1 = try await EnrolledTill.enroll(central: central, registerId: "CV-1", storeCode: "CV")
        let cv2 = try await EnrolledTill.enroll(central: central, registerId: "CV-2", storeCode: "CV")
        let nord = try await EnrolledTill.enroll(central: central, registerId: "NORD-1", storeCode: "NORD")
        let sale = try cv1.sell([(1, 2)])
        _ = await cv1.engine.syncOnce()

        // At CV-2, the same store: one of the two units comes back.
        _ = try cv2.store.openCashSession(float: Money(cents: 20_000), by: cv2.cashier.id)
        _ = try nord.store.openCashSession(float: Money(cents: 20_000), by: nord.cashier.id)
        let cashier = try ScreenDriver(cv2)
        await cashier.keys("caissier.cv<enter>1111<enter>")
        await cashier.keys("2\(sale.receiptNumber)<enter>")
        guard case .returns(let found) = cashier.state.screen, found.sale?.id == sale.id else {
            Issue.record("the sale was not found at central: \(String(describing: cashier.state.flash))"); return
        }
        #expect(found.atCentral?.sale.registerId == "CV-1")
        await cashier.keys("1<f5>")
        guard case .done = cashier.state.screen else { Issue.record("no refund: \(String(describing: cashier.state.flash))"); return }
        _ = await cv2.engine.syncOnce()

        // At NORD, another store: the other unit comes back, and only that one can.
        let other = try ScreenDriver(nord)
        await other.keys("caissier.nord<enter>1111<enter>")
        await other.keys("2\(sale.receiptNumber)<enter>")
        guard case .returns(let there) = other.state.screen else { Issue.record("no return screen at NORD"); return }
        #expect(there.alreadyReturned == [1: 1], "CV-2's return is counted")
        let beforeNord = try nord.store.onHand(productId: 1)
        await other.keys("2")
        guard case .returns(let asked) = other.state.screen else { Issue.record("left the return screen"); return }
        #expect(asked.quantities == [1: 1], "only what is left can be asked for")
        await other.keys("<f5>")
        guard case .done = other.state.screen else { Issue.record("no refund at NORD: \(String(describing: other.state.flash))"); return }
        #expect(try nord.store.onHand(productId: 1) == beforeNord + 1, "the unit is back on NORD's shelf")
        _ = await nord.engine.syncOnce()

        // A third return of the same sale, forged offline at CV-2 from what it knew before NORD's: central quarantines it.
        let stale = try #require(found.atCentral)
        _ = try cv2.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)], refundKind: .cash,
                                       cashierId: cv2.cashier.id, atCentral: SaleForReturn(sale: stale.sale, returnedElsewhere: [],
                                                                                           refundedElsewhere: .zero, cashRefundedElsewhere: .zero))
        let report = await cv2.engine.syncOnce()
        #expect(try cv2.store.pendingCount() == 0, "the till never stops: \(report)")
        #expect(try await central.exceptions().filter { $0.registerId == "NORD-1" }.isEmpty, "NORD's return is applied")
        let set = try await central.exceptions().filter { $0.registerId == "CV-2" }
        #expect(set.count == 1 && ExceptionKind(rawValue: set[0].kind)?.quarantines == true,
                "the over-return is set aside for head office: \(set.map(\.detail))")
    }
}
