import ScreenKit
import Testing
@testable import Terminal

@Suite struct CursesStyleTests {
    @Test func withColoursEachTintHasItsPair() {
        #expect(CursesStyle(.plain, colors: true) == CursesStyle(pair: 0))
        #expect(CursesStyle(.accent, colors: true) == CursesStyle(pair: 1, bold: true))
        #expect(CursesStyle(.good, colors: true) == CursesStyle(pair: 2, bold: true))
        #expect(CursesStyle(.warning, colors: true) == CursesStyle(pair: 3, bold: true))
        #expect(CursesStyle(.error, colors: true) == CursesStyle(pair: 4, bold: true))
        #expect(CursesStyle(Style(.error), colors: true) == CursesStyle(pair: 4))
        #expect(CursesStyle(.muted, colors: true) == CursesStyle(pair: 0, dim: true))
        // The bar's white on blue replaces reverse video.
        #expect(CursesStyle(.bar, colors: true) == CursesStyle(pair: 6))
        #expect(CursesStyle(.reverse, colors: true) == CursesStyle(pair: 0, reverse: true))
        #expect(CursesStyle(.bold, colors: true) == CursesStyle(pair: 0, bold: true))
    }

    @Test func withoutColoursTintsBecomeAttributes() {
        #expect(CursesStyle(.plain, colors: false) == CursesStyle(pair: 0))
        #expect(CursesStyle(Style(.accent), colors: false) == CursesStyle(pair: 0))
        #expect(CursesStyle(Style(.warning), colors: false) == CursesStyle(pair: 0, bold: true))
        #expect(CursesStyle(Style(.error), colors: false) == CursesStyle(pair: 0, bold: true))
        #expect(CursesStyle(.muted, colors: false) == CursesStyle(pair: 0, dim: true))
        #expect(CursesStyle(Style(.bar), colors: false) == CursesStyle(pair: 0, reverse: true))
        #expect(CursesStyle(.bar, colors: false) == CursesStyle(pair: 0, reverse: true))
        #expect(CursesStyle(.reverse, colors: false) == CursesStyle(pair: 0, reverse: true))
    }

    @Test func pairsAreDistinctAndBelowTheCount() {
        let numbers = CursesStyle.pairs.map { CursesStyle.pair(for: $0.tint) }
        #expect(Set(numbers).count == numbers.count)
        #expect(numbers.allSatisfy { $0 > 0 && Int($0) <= Tint.allCases.count })
    }
}
