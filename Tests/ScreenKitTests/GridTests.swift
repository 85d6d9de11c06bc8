import ScreenKit
import Testing

@Suite struct GridTests {
    @Test func textIsClippedToTheGridAndTrailingSpacesDropped() {
        var grid = Grid(width: 10, height: 2)
        grid.put("Café crème glacé", x: 2, y: 0)
        grid.putRight("12,50 $", right: 10, y: 1, .bold)
        #expect(grid.text == "  Café crè\n   12,50 $")
        #expect(grid[x: 9, y: 1].style == .bold)
    }

    @Test func boxAndCentering() {
        var grid = Grid(width: 8, height: 3)
        grid.box(x: 0, y: 0, width: 8, height: 3, title: "Ok")
        grid.putCentered("é", y: 1)
        #expect(grid.text == "┌─ Ok ─┐\n│  é   │\n└──────┘")
    }

    @Test func fittedClipsWithAnEllipsisOrPads() {
        #expect("Muffin aux bleuets".fitted(8) == "Muffin …")
        #expect("Thé".fitted(5) == "Thé  ")
        #expect("5".leftPadded(3) == "  5")
    }

    @Test func keyScripts() {
        #expect(Key.script("ab<enter><f5><c-c><lt>") == [.char("a"), .char("b"), .enter, .function(5), .ctrl("c"), .char("<")])
    }
}
