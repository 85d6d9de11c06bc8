import Testing
@testable import CaisseCore

@Suite("Search key")
struct SearchKeyTests {
    @Test("names fold to lowercase words without accents or ligatures", arguments: [
        ("Café  Filtre (moyen)", "cafe filtre moyen"),
        ("Œuf et fromage", "oeuf et fromage"),
        ("Timbits (boîte de 10)", "timbits boite de 10"),
        ("Latte à l'érable", "latte a l erable"),
        ("Cafe\u{301} de\u{301}caf", "cafe decaf"),          // decomposed accents
        ("  --Brioche--  ", "brioche"),
        ("Lait 2\u{00A0}%", "lait 2"),
        ("ÉPICERIE", "epicerie"),
        ("", ""),
    ])
    func folds(text: String, key: String) {
        #expect(SearchKey.fold(text) == key)
    }
}
