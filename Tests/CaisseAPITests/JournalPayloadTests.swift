import CaisseAPI
import CaisseCore
import Foundation
import Testing

/// ADR 0022: each journal document maps to its version-1 payload and back without losing a
/// field, including the optional ones a recorded day may not hold; the recorded fixtures
/// (CentralStoreTests) hold the bytes.
@Suite("Versioned journal payloads")
struct JournalPayloadTests {
    static let line = SaleLine(lineNo: 1, productId: 7, sku: "TIM-0007", name: "Latte « moyen »", unitPrice: Money(cents: 435),
                               taxClass: .standard, quantity: 2, category: "Café",
                               discounts: [LineDiscount(kind: .promotion, amount: Money(cents: 65), promotionId: 3, label: "Matin"),
                                           LineDiscount(kind: .line, amount: Money(cents: 20), reason: "goodwill", approvedBy: 9)])
    static let tax = TaxLine(code: "GST", rateMicros: 50_000, taxableClasses: [.standard, TaxClass("prepared")], base: Money(cents: 785),
                             amount: Money(cents: 39))
    static let sale = Sale(id: "s-1", receiptNumber: "CV-1-000042", storeId: 1, registerId: "CV-1", cashierId: 4, createdAt: 1_790_000_000_000,
                           lines: [line, SaleLine(lineNo: 2, productId: 8, sku: "TIM-0008", name: "Beigne", unitPrice: Money(cents: 129),
                                                  taxClass: .zeroRated, quantity: 1)],
                           taxes: [tax], subtotal: Money(cents: 914), taxTotal: Money(cents: 39), total: Money(cents: 953),
                           rounding: Money(cents: 2),
                           tenders: [Tender(kind: .cash, amount: Money(cents: 500), given: Money(cents: 500)),
                                     Tender(kind: .card, amount: Money(cents: 455), reference: "AUTH-1")],
                           change: .zero, customerCard: "6001234", orderId: "o-9", loyaltyHoldId: "h-3")

    static func documents() -> [JournalDocument] {
        let ret = SaleReturn(id: "r-1", receiptNumber: "CV-1-000043", originalSaleId: "s-1", originalReceiptNumber: "CV-1-000042",
                             storeId: 1, registerId: "CV-1", cashierId: 4, createdAt: 1_790_000_100_000, lines: [line], taxes: [tax],
                             subtotal: Money(cents: 785), taxTotal: Money(cents: 39), total: Money(cents: 824), rounding: Money(cents: 1),
                             tenders: [Tender(kind: .cash, amount: Money(cents: 825))], approvedBy: 9)
        let adjustment = StockAdjustment(id: "a-1", storeId: 1, registerId: "CV-1", createdAt: 1_790_000_200_000, reason: .waste,
                                         note: "date passée", lines: [AdjustmentLine(productId: 8, sku: "TIM-0008", name: "Beigne",
                                                                                     quantity: -6, unitPrice: Money(cents: 129))],
                                         by: 4, approvedBy: 9)
        let session = CashSession(id: "cs-1", registerId: "CV-1", storeId: 1, openedAt: 1_789_990_000_000, openedBy: 4,
                                  float: Money(cents: 10_000), closedAt: 1_790_000_300_000, closedBy: 9, counted: Money(cents: 10_450))
        let report = CashReport(session: session, sales: [sale], returns: [ret], noSaleCount: 2)
        return [
            .sale(sale),
            .saleReturn(ret),
            .stockAdjustment(adjustment),
            .cashSessionClose(CashSessionClosing(session: session, report: report, counted: Money(cents: 10_450))),
            .restockRequest(RestockRequestPayload(requestId: "rq-1", storeId: 1, productId: 7, quantity: 12, note: "vite", requestedBy: 4)),
            .restockReceipt(RestockReceiptPayload(requestId: "rq-1", storeId: 1, productId: 7, quantity: 12, receivedBy: 4)),
            .transferRequest(TransferRequestPayload(transferId: "t-1", fromStoreId: 2, toStoreId: 1, productId: 7, quantity: 3,
                                                    note: nil, requestedBy: 4)),
            .transferShipment(TransferShipmentPayload(transferId: "t-1", fromStoreId: 2, toStoreId: 1, productId: 7, quantity: 3,
                                                      note: "carton 2", shippedBy: 5)),
            .transferReceipt(TransferReceiptPayload(transferId: "t-1", toStoreId: 1, productId: 7, received: 2, damaged: 1, receivedBy: 4)),
            .orderState(OrderStatePayload(orderId: "o-9", storeId: 1, action: "ready", by: 4)),
            .noSale(NoSalePayload(id: "n-1", storeId: 1, registerId: "CV-1", sessionId: "cs-1", cashierId: 4, approvedBy: 9,
                                  createdAt: 1_790_000_050_000)),
        ]
    }

    @Test func everyDocumentReadsBackAsItWasWithEveryOptionalField() throws {
        let documents = Self.documents()
        #expect(Set(documents.map(\.eventType)) == Set(EventType.allCases), "one document of each type")
        for document in documents {
            let payload = try document.payload()
            #expect(try JournalDocument.decode(document.eventType, payload: payload) == document, "\(document.eventType.rawValue)")
            #expect(!payload.contains(#""v":"#), "version 1 writes no version key: journals in the field keep their bytes")
        }
    }

    @Test func aVersionThisProgramDoesNotKnowIsNamedNotMisread() throws {
        var payload = try JournalDocument.sale(Self.sale).payload()
        payload.insert(contentsOf: #""v":2,"#, at: payload.index(after: payload.startIndex))
        #expect(throws: JournalPayloadError.self) { try JournalDocument.decode(.sale, payload: payload) }
        do { _ = try JournalDocument.decode(.sale, payload: payload) } catch {
            #expect("\(error)".contains("version 2 of sale"))
        }
        // Version 1 named explicitly is version 1.
        let explicit = payload.replacingOccurrences(of: #""v":2"#, with: #""v":1"#)
        #expect(try JournalDocument.decode(.sale, payload: explicit) == .sale(Self.sale))
    }

    @Test func valuesOutsideTheClosedSetsAndRangesAreRefusedWhenRead() throws {
        let payload = try JournalDocument.sale(Self.sale).payload()
        for (from, to) in [(#""kind":"card""#, #""kind":"bitcoin""#),
                           (#""totalCents":953"#, #""totalCents":10000000000001"#),
                           (#""kind":"promotion""#, #""kind":"free""#)] {
            let bent = payload.replacingOccurrences(of: from, with: to)
            #expect(bent != payload)
            #expect(throws: JournalPayloadError.self, "\(to)") { try JournalDocument.decode(.sale, payload: bent) }
        }
    }
}
