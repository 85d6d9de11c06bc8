import Testing
@testable import CaisseCore

/// A day at a Quebec till: float 100 $, a cash sale with change and nickel
/// rounding, a card sale, a split card + cash sale, and a cash return.
struct CashDay {
    let muffin = Product(id: 1, sku: "TIM-0001", barcode: "", name: "Timbits assortis (boîte de 10)", category: "",
                         price: Money(cents: 299), taxClass: .standard, reorderPoint: 1, overstockThreshold: 9)
    let coffee = Product(id: 2, sku: "CAF-0001", barcode: "", name: "Café filtre moyen", category: "",
                         price: Money(cents: 219), taxClass: .standard, reorderPoint: 1, overstockThreshold: 9)
    let milk = Product(id: 3, sku: "LAI-0001", barcode: "", name: "Lait 2 % 1 L", category: "",
                       price: Money(cents: 500), taxClass: .zeroRated, reorderPoint: 1, overstockThreshold: 9)

    let session = CashSession(id: "session-1", registerId: "CV-1", storeId: 1, openedAt: 1_000, openedBy: 7,
                              float: Money(cents: 10_000))
    var sales: [Sale] = []
    var returns: [SaleReturn] = []

    init() throws {
        func sale(_ n: Int, _ items: [(Product, Int)], pay: (inout Payment) throws -> Void) throws -> Sale {
            var cart = Cart()
            for (p, q) in items { try cart.add(p, quantity: q) }
            var payment = Payment(total: cart.totals(.quebec).total)
            try pay(&payment)
            return try Sale(id: "s\(n)", receiptNumber: "CV-1-00000\(n)", storeId: 1, registerId: "CV-1", cashierId: 7,
                            createdAt: 2_000, cart: cart, rule: .quebec, payment: payment)
        }
        // 7,37 + 0,37 + 0,74 = 8,48 $ → 8,50 $ in cash; 20 $ given, 11,50 $ back.
        let cash = try sale(1, [(muffin, 1), (coffee, 2)]) { try $0.payCash(given: Money(cents: 2_000)) }
        // 7,99 $ of which 5 $ zero-rated: GST 0,15, QST 0,30; 8,44 $ on a card, to the cent.
        let card = try sale(2, [(milk, 1), (muffin, 1)]) { try $0.payCard(reference: "AUTH-1") }
        // 6,57 + 0,33 + 0,66 = 7,56 $: 5 $ card, then 2,56 → 2,55 $ cash from 3 $ (0,45 $ back).
        let split = try sale(3, [(coffee, 3)]) {
            try $0.payCard(amount: Money(cents: 500), reference: "AUTH-2")
            try $0.payCash(given: Money(cents: 300))
        }
        sales = [cash, card, split]
        // One coffee of the first sale back: 2,19 + 0,11 + 0,22 = 2,52 $ → 2,50 $ in cash.
        let refund = try Refund(original: cash, alreadyReturned: [:], requested: [ReturnRequestLine(lineNo: 2, quantity: 1)])
        let settlement = RefundSettlement(refund: refund, kind: .cash, original: cash, previouslyRefunded: .zero, completesSale: false)
        returns = [SaleReturn(id: "r1", receiptNumber: "CV-1-000004", original: cash, storeId: 1, registerId: "CV-1", cashierId: 7,
                              createdAt: 3_000, refund: refund, tenders: [Tender(kind: .cash, amount: settlement.amount)],
                              rounding: settlement.rounding)]
    }

    var report: CashReport { CashReport(session: session, sales: sales, returns: returns) }
}

@Suite("Cash sessions")
struct CashSessionTests {
    @Test func theDaysDocumentsAreWhatWeThinkTheyAre() throws {
        let day = try CashDay()
        #expect(day.sales.map(\.amountPaid) == [Money(cents: 850), Money(cents: 844), Money(cents: 755)])
        #expect(day.sales[0].change == Money(cents: 1_150))
        #expect(day.sales[2].change == Money(cents: 45))
        #expect(day.returns[0].amountRefunded == Money(cents: 250))
    }

    @Test func reportAddsUpToTheCent() throws {
        let report = try CashDay().report
        #expect(report.sessionId == "session-1")
        #expect(report.saleCount == 3)
        #expect(report.returnCount == 1)
        #expect(report.itemsSold == 8)
        #expect(report.itemsReturned == 1)
        #expect(report.sales == Money(cents: 2_449))
        #expect(report.refunds == Money(cents: 250))
        #expect(report.net == Money(cents: 2_199))
        // GST 0,37 + 0,15 + 0,33 − 0,11; QST 0,74 + 0,30 + 0,66 − 0,22.
        #expect(report.taxes == [TaxTotal(code: "GST", amount: Money(cents: 74)), TaxTotal(code: "QST", amount: Money(cents: 148))])
        #expect(report.tenders == [
            TenderTotal(kind: .cash, collected: Money(cents: 1_105), refunded: Money(cents: 250)),
            TenderTotal(kind: .card, collected: Money(cents: 1_344)),
        ])
        #expect(report.tenders[0].net == Money(cents: 855))
        // 100 $ + 8,50 + 2,55 (cash kept, change already given back) − 2,50 refunded.
        #expect(report.expectedCash == Money(cents: 10_855))
        #expect(report.difference(counted: Money(cents: 10_850)) == Money(cents: -5))
        #expect(report.difference(counted: Money(cents: 10_900)) == Money(cents: 45))
        // What customers paid is what the tenders took.
        #expect(report.tenders.reduce(Money.zero) { $0 + $1.collected } == report.sales)
    }

    @Test func anEmptySessionExpectsItsFloat() {
        let session = CashSession(id: "s", registerId: "CV-1", storeId: 1, openedAt: 0, openedBy: 7, float: Money(cents: 5_000))
        let report = CashReport(session: session, sales: [], returns: [])
        #expect(report.expectedCash == Money(cents: 5_000))
        #expect(report.taxes.isEmpty)
        #expect(report.tenders.map(\.kind) == [.cash, .card])
        #expect(report.tenders.allSatisfy { $0.net == .zero })
    }

    @Test func openingAndClosingRefuseWhatMakesNoSense() throws {
        #expect(throws: DomainError.self) {
            try CashSession.open(id: "s", registerId: "CV-1", storeId: 1, at: 0, by: 7, float: Money(cents: -1))
        }
        let open = try CashSession.open(id: "s", registerId: "CV-1", storeId: 1, at: 0, by: 7, float: .zero)
        #expect(open.isOpen)
        #expect(throws: DomainError.self) { try open.closed(at: 1, by: 7, counted: Money(cents: -5)) }
        let closed = try open.closed(at: 1, by: 8, counted: Money(cents: 500))
        #expect(!closed.isOpen)
        #expect(closed.closedBy == 8)
        #expect(closed.counted == Money(cents: 500))
        #expect(throws: DomainError.self) { try closed.closed(at: 2, by: 7, counted: .zero) }
    }

    @Test func amountsAreCentsOnTheWire() throws {
        let day = try CashDay()
        let json = String(decoding: try JSONEncoder.sorted.encode(day.report), as: UTF8.self)
        #expect(json.contains("\"expectedCashCents\":10855"))
        #expect(json.contains("\"floatCents\":10000"))
        #expect(json.contains("{\"collectedCents\":1105,\"kind\":\"cash\",\"netCents\":855,\"refundedCents\":250}"))
        #expect(try JSONDecoder().decode(CashReport.self, from: Data(json.utf8)) == day.report)
        let session = try day.session.closed(at: 5, by: 7, counted: Money(cents: 10_850))
        let sessionJSON = String(decoding: try JSONEncoder.sorted.encode(session), as: UTF8.self)
        #expect(sessionJSON.contains("\"countedCents\":10850"))
        #expect(try JSONDecoder().decode(CashSession.self, from: Data(sessionJSON.utf8)) == session)
    }
}

@Suite("Cash report text")
struct CashReportTextTests {
    let store = Location(id: 1, code: "CV", name: "Magasin Centre-Ville", kind: .store,
                         address: "1250, rue Sainte-Catherine Ouest, Montréal (QC) H3G 1P1", taxRule: "QC",
                         taxNumbers: ["GST": "812345678 RT0001", "QST": "1234567890 TQ0001"], timeZone: "America/Toronto")

    func header(_ language: Language) -> CashReportText.Header {
        CashReportText.Header(chainName: "Caisse démo", store: store, registerId: "CV-1", cashierName: "Léa Tremblay",
                              localTime: "2026-11-25 18:02", openedAt: "2026-11-25 08:55", openedBy: "Marc Gagnon",
                              taxRule: .quebec)
    }

    func text(_ lines: [String]) -> String {
        lines.joined(separator: "\n").replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
    }

    @Test func frenchXReport() throws {
        let lines = CashReportText(language: .fr).render(try CashDay().report, kind: .x, header: header(.fr))
        #expect(lines.allSatisfy { $0.count <= 42 })
        #expect(text(lines) == """
                       Caisse démo
                   Magasin Centre-Ville
             1250, rue Sainte-Catherine Ouest
                  Montréal (QC) H3G 1P1
        ==========================================
                        RAPPORT X
        Caisse CV-1               2026-11-25 18:02
        Caissier                      Léa Tremblay
        Ouverture                 2026-11-25 08:55
        Ouvert par                     Marc Gagnon
        ------------------------------------------
        Ventes                                   3
        Articles vendus                          8
        Remises accordées                   0,00 $
        Total des reçus                    24,48 $
        Arrondi (comptant)                  0,01 $
        Total des ventes                   24,49 $
        Retours                                  1
        Articles retournés                       1
        Total remboursé                     2,50 $
        Net                                21,99 $
        Ouvertures sans vente                    0
        ------------------------------------------
        Taxes nettes
          TPS                               0,74 $
          TVQ                               1,48 $
        ------------------------------------------
        Comptant
          Encaissé                         11,05 $
          Remboursé                         2,50 $
          Net                               8,55 $
        Carte
          Encaissé                         13,44 $
          Remboursé                         0,00 $
          Net                              13,44 $
        ------------------------------------------
        Fonds de caisse                   100,00 $
        Comptant attendu                  108,55 $
        ==========================================
        """)
    }

    @Test func frenchZReportShowsAShortfall() throws {
        let lines = CashReportText(language: .fr).render(try CashDay().report, kind: .z, header: header(.fr),
                                                          counted: Money(cents: 10_850))
        let all = text(lines)
        #expect(all.contains("""
                        RAPPORT Z
        """))
        #expect(all.hasSuffix("""
        ------------------------------------------
        Fonds de caisse                   100,00 $
        Comptant attendu                  108,55 $
        Comptant compté                   108,50 $
        Manque                              0,05 $
        ==========================================
        """))
    }

    @Test func englishXAndZReports() throws {
        let report = try CashDay().report
        let x = text(CashReportText(language: .en).render(report, kind: .x, header: header(.en), counted: Money(cents: 1)))
        #expect(x == """
                       Caisse démo
                   Magasin Centre-Ville
             1250, rue Sainte-Catherine Ouest
                  Montréal (QC) H3G 1P1
        ==========================================
                         X REPORT
        Register CV-1             2026-11-25 18:02
        Cashier                       Léa Tremblay
        Opened                    2026-11-25 08:55
        Opened by                      Marc Gagnon
        ------------------------------------------
        Sales                                    3
        Items sold                               8
        Discounts given                      $0.00
        Receipts total                      $24.48
        Cash rounding                        $0.01
        Sales total                         $24.49
        Returns                                  1
        Items returned                           1
        Refunds total                        $2.50
        Net                                 $21.99
        No-sale openings                         0
        ------------------------------------------
        Net taxes
          GST                                $0.74
          QST                                $1.48
        ------------------------------------------
        Cash
          Collected                         $11.05
          Refunded                           $2.50
          Net                                $8.55
        Card
          Collected                         $13.44
          Refunded                           $0.00
          Net                               $13.44
        ------------------------------------------
        Float                              $100.00
        Expected cash                      $108.55
        ==========================================
        """)
        let z = text(CashReportText(language: .en).render(report, kind: .z, header: header(.en), counted: Money(cents: 10_900)))
        #expect(z.contains("\n                 Z REPORT\n"))
        #expect(z.hasSuffix("""
        Float                              $100.00
        Expected cash                      $108.55
        Counted cash                       $109.00
        Over                                 $0.45
        ==========================================
        """))
        let even = text(CashReportText(language: .en).render(report, kind: .z, header: header(.en), counted: report.expectedCash))
        #expect(even.contains("\nDifference                           $0.00\n"))
    }
}

import Foundation

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
