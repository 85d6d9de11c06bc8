import Testing
@testable import CaisseCore

@Suite("Receipt")
struct ReceiptTests {
    let store = Location(id: 1, code: "CV", name: "Magasin Centre-Ville", kind: .store,
                         address: "1250, rue Sainte-Catherine Ouest, Montréal (QC) H3G 1P1", taxRule: "QC",
                         taxNumbers: ["GST": "812345678 RT0001", "QST": "1234567890 TQ0001"], timeZone: "America/Toronto")

    func sale() throws -> Sale {
        var cart = Cart()
        try cart.add(Product(id: 1, sku: "TIM-0001", barcode: "", name: "Timbits assortis (boîte de 10)", category: "",
                             price: Money(cents: 299), taxClass: .standard, reorderPoint: 1, overstockThreshold: 9))
        try cart.add(Product(id: 2, sku: "CAF-0001", barcode: "", name: "Café filtre moyen", category: "",
                             price: Money(cents: 219), taxClass: .standard, reorderPoint: 1, overstockThreshold: 9), quantity: 2)
        var payment = Payment(total: cart.totals(.quebec).total)
        try payment.payCash(given: Money(cents: 2000))
        return try Sale(id: "s", receiptNumber: "CV-1-000042", storeId: 1, registerId: "CV-1", cashierId: 1,
                        createdAt: 0, cart: cart, rule: .quebec, payment: payment)
    }

    /// 58 mm paper (issue 29): every line within 32 columns in both languages, a long chain name and
    /// a receipt number beside its time included; the title and the total are the lines set in bold.
    @Test(arguments: [Language.fr, .en])
    func aNarrowReceiptKeepsEveryLineOnThePaper(_ language: Language) throws {
        let header = Receipt.Header(chainName: "Caisse démo — chaîne de cafés-boulangeries", store: store, cashierName: "Léa Tremblay",
                                    localTime: "2026-11-25 14:03", taxRule: .quebec)
        let paper = Receipt(width: 32, language: language).paper(try sale(), header: header)
        #expect(paper.lines.allSatisfy { $0.count <= 32 }, "\(paper.lines.filter { $0.count > 32 })")
        let bold = paper.emphasized.sorted().map { paper.lines[$0].trimmingCharacters(in: .whitespaces) }
        #expect(bold.count == 2 && bold[0] == (language == .fr ? "VENTE" : "SALE") && bold[1].hasPrefix("TOTAL") && bold[1].hasSuffix(language == .fr ? "$" : "8.48"))
    }

    @Test func frenchReceipt() throws {
        let header = Receipt.Header(chainName: "Caisse démo", store: store, cashierName: "Léa Tremblay",
                                    localTime: "2026-11-25 14:03", taxRule: .quebec)
        let text = Receipt(width: 42, language: .fr).render(try sale(), header: header)
        let expected = """
                           Caisse démo
                       Magasin Centre-Ville
                 1250, rue Sainte-Catherine Ouest
                      Montréal (QC) H3G 1P1
            ==========================================
                              VENTE
            Reçu CV-1-000042          2026-11-25 14:03
            Caisse CV-1          Caissier Léa Tremblay
            ------------------------------------------
            Timbits assortis (boîte de 10)      2,99 $
            Café filtre moyen                   4,38 $
               2 × 2,19 $
            ------------------------------------------
            Sous-total                          7,37 $
            TPS 5 %                             0,37 $
            TVQ 9,975 %                         0,74 $
            TOTAL                               8,48 $
            Arrondi (comptant)                  0,02 $
            Total payé                          8,50 $

            Comptant                           20,00 $
            Monnaie rendue                     11,50 $
            Articles                                 3
            ------------------------------------------
            TPS 812345678 RT0001
            TVQ 1234567890 TQ0001
                       Merci et à bientôt !

            """
        #expect(text.replacingOccurrences(of: "\u{00A0}", with: " ") == expected)
    }

    @Test func englishReceiptUsesEnglishLabelsAndAmounts() throws {
        let header = Receipt.Header(chainName: "Caisse", store: store, cashierName: "Léa", localTime: "2026-11-25 14:03", taxRule: .quebec)
        let text = Receipt(language: .en).render(try sale(), header: header)
        #expect(text.contains("GST 5%"))
        #expect(text.contains("QST 9.975%"))
        #expect(text.contains("TOTAL                                $8.48"))
        #expect(text.contains("Change                              $11.50"))
    }
}

import Foundation
