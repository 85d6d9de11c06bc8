import ScreenKit
import Testing
@testable import Terminal

@Suite struct GridDiffTests {
    @Test func firstDrawWritesEveryCellInStyleRuns() {
        var grid = Grid(width: 6, height: 2)
        grid.put("Total", x: 0, y: 0, .bold)
        grid.put("é", x: 0, y: 1, .error)
        let runs = CellRun.changes(from: nil, to: grid, visible: grid.size)
        #expect(runs == [
            CellRun(x: 0, y: 0, style: .bold, text: "Total"),
            CellRun(x: 5, y: 0, style: .plain, text: " "),
            CellRun(x: 0, y: 1, style: .error, text: "é"),
            CellRun(x: 1, y: 1, style: .plain, text: "     "),
        ])
    }

    @Test func onlyChangedCellsAreWritten() {
        var old = Grid(width: 10, height: 3)
        old.box(x: 0, y: 0, width: 10, height: 3)
        old.put("12,50", x: 2, y: 1)
        var new = old
        new.put("13,75", x: 2, y: 1)
        new.put("▌", x: 9, y: 2, .accent)
        #expect(CellRun.changes(from: old, to: new, visible: new.size) == [
            CellRun(x: 3, y: 1, style: .plain, text: "3"),
            CellRun(x: 5, y: 1, style: .plain, text: "75"),
            CellRun(x: 9, y: 2, style: .accent, text: "▌"),
        ])
        #expect(CellRun.changes(from: new, to: new, visible: new.size).isEmpty)
    }

    @Test func aStyleChangeAloneIsAChange() {
        var old = Grid(width: 4, height: 1)
        old.put("abcd", x: 0, y: 0)
        var new = old
        new.put("bc", x: 1, y: 0, .reverse)
        #expect(CellRun.changes(from: old, to: new, visible: new.size) == [CellRun(x: 1, y: 0, style: .reverse, text: "bc")])
    }

    @Test func aGridOfAnotherSizeIsRedrawnWhole() {
        let old = Grid(width: 3, height: 1)
        var new = Grid(width: 4, height: 1)
        new.put("┌──┐", x: 0, y: 0)
        #expect(CellRun.changes(from: old, to: new, visible: new.size) == [CellRun(x: 0, y: 0, style: .plain, text: "┌──┐")])
    }

    @Test func clippedToTheVisibleScreen() {
        var grid = Grid(width: 5, height: 3)
        grid.put("█████", x: 0, y: 0)
        grid.put("▏▎▍▌▋", x: 0, y: 2)
        #expect(CellRun.changes(from: nil, to: grid, visible: Size(width: 3, height: 2)) == [
            CellRun(x: 0, y: 0, style: .plain, text: "███"),
            CellRun(x: 0, y: 1, style: .plain, text: "   "),
        ])
        #expect(CellRun.changes(from: nil, to: grid, visible: Size(width: 0, height: 0)).isEmpty)
    }
}
