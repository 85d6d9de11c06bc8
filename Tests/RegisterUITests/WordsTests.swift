import CaisseAPI
import CaisseCore
import Testing
@testable import RegisterUI

/// Issue 25: what the runtime reports reaches the screens as typed words, said in the
/// till's language where they are drawn, not as sentences made below the screens.
@Suite struct WordsTests {
    @Test func oneOutcomeIsSaidInEitherLanguageWithItsFiguresFormattedThere() {
        let waste = Word.wasteDeclared(10, value: Money(cents: 1690))
        #expect(Tr(.fr)(waste) == "Pertes déclarées : 10 unité(s), 16,90\u{00A0}$ au détail.")
        #expect(Tr(.en)(waste) == "Waste declared: 10 unit(s), $16.90 at retail.")
        let moved = Word.restockRequestMoved("r-7", to: .shipped)
        #expect(Tr(.fr)(moved) == "Demande r-7 : \(restockStateWord(.shipped, .fr)).")
        #expect(Tr(.en)(moved) == "Request r-7: shipped.")
        let adjusted = Word.adjustmentDeclared(.waste, quantity: -3, name: "Muffin", value: Money(cents: 747))
        #expect(Tr(.fr)(adjusted).hasPrefix("Perte (invendus) : -3 Muffin"), "the first letter only in capital")
    }

    @Test func aTillInEnglishSaysTheSameOutcomeInEnglish() {
        for language in [Language.fr, .en] {
            var d = Driver(freshState(language))
            d.send(.failed(.noDrawerIsOpen))
            #expect(d.state.flash?.kind == .error)
            #expect(d.state.flash?.text == (language == .fr ? "Aucun tiroir ouvert." : "No drawer is open."))
        }
    }

    @Test func anErrorKeepsBothLanguagesOfWhatItsLayerSaid() {
        let word = Word.explaining(DomainError(.emptyCart, "the cart is empty"))
        #expect(Tr(.fr)(word) == describe(DomainError(.emptyCart, "the cart is empty"), .fr))
        #expect(Tr(.en)(word) == describe(DomainError(.emptyCart, "the cart is empty"), .en))
        #expect(Tr(.fr)(word) != Tr(.en)(word))
    }
}
