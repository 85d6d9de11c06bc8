import CaisseCore
import Testing
@testable import ReceiptPrinter

@Suite struct EscPosTests {
    @Test func frenchAccentsPrintInTheCanadianFrenchPage() {
        let bytes = CodePage.cp863.encode("Café crème à emporter, Noël")
        #expect(bytes.map { CodePage.cp863.decode($0) }.map(String.init).joined() == "Café crème à emporter, Noël")
        #expect(bytes.contains(0x82))   // é in CP863
        #expect(!bytes.contains(where: { $0 == UInt8(ascii: "?") }))
    }
}
