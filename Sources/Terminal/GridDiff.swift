import ScreenKit

/// A stretch of one row whose cells share a style: one attribute change and
/// one string write for curses.
struct CellRun: Hashable, Sendable {
    var x: Int
    var y: Int
    var style: Style
    var text: String
}

extension CellRun {
    /// The runs to write to go from `old` to `new`, clipped to `visible` (the
    /// screen may be smaller than the grid just after a resize). With no `old`,
    /// or one of another size, every visible cell is written.
    static func changes(from old: Grid?, to new: Grid, visible: Size) -> [CellRun] {
        let width = min(new.width, visible.width)
        let height = min(new.height, visible.height)
        let old = old.flatMap { $0.size == new.size ? $0 : nil }
        var runs: [CellRun] = []
        for y in 0..<max(0, height) {
            var current: CellRun?
            for x in 0..<max(0, width) {
                let cell = new[x: x, y: y]
                if let old, old[x: x, y: y] == cell {
                    if let run = current { runs.append(run) }
                    current = nil
                } else if current?.style == cell.style {
                    current?.text.append(cell.character)
                } else {
                    if let run = current { runs.append(run) }
                    current = CellRun(x: x, y: y, style: cell.style, text: String(cell.character))
                }
            }
            if let run = current { runs.append(run) }
        }
        return runs
    }
}
