/// The few colours a screen asks for; the terminal maps them to its palette,
/// or to attributes (bold, reverse) when it has no colours.
public enum Tint: UInt8, Hashable, Sendable, CaseIterable {
    case plain, accent, good, warning, error, muted, bar
}

public struct Style: Hashable, Sendable {
    public var tint: Tint
    public var bold: Bool
    public var reverse: Bool

    public init(_ tint: Tint = .plain, bold: Bool = false, reverse: Bool = false) {
        self.tint = tint
        self.bold = bold
        self.reverse = reverse
    }

    public static let plain = Style()
    public static let bold = Style(bold: true)
    public static let reverse = Style(reverse: true)
    public static let accent = Style(.accent, bold: true)
    public static let good = Style(.good, bold: true)
    public static let warning = Style(.warning, bold: true)
    public static let error = Style(.error, bold: true)
    public static let muted = Style(.muted)
    /// Title and status bars.
    public static let bar = Style(.bar, reverse: true)
}

public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style

    public init(_ character: Character = " ", _ style: Style = .plain) {
        self.character = character
        self.style = style
    }
}

/// A screen's picture: width × height cells. Screens draw into a grid; the
/// terminal layer copies it to the screen; tests compare its text to golden files.
///
/// One character is one column: the TUI's text is Latin (French, English) plus
/// box-drawing and block characters, which are all one column wide.
public struct Grid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public var size: Size { Size(width: width, height: height) }

    public subscript(x x: Int, y y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes text from (x, y), clipped to `limit` columns and to the grid.
    /// Returns the column after the last character written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, _ style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(width, limit.map { x + max(0, $0) } ?? width)
        var column = x
        for ch in text {
            if column >= end { break }
            if column >= 0 { cells[y * width + column] = Cell(ch == "\t" || ch == "\n" ? " " : ch, style) }
            column += 1
        }
        return column
    }

    /// Writes text so that it ends at column `right` (exclusive).
    public mutating func putRight(_ text: String, right: Int, y: Int, _ style: Style = .plain) {
        put(text, x: right - text.count, y: y, style)
    }

    /// Writes text centred in [x, x + span).
    public mutating func putCentered(_ text: String, x: Int = 0, span: Int? = nil, y: Int, _ style: Style = .plain) {
        let span = span ?? width - x
        put(text, x: x + max(0, (span - text.count) / 2), y: y, style, limit: span)
    }

    /// Paints a rectangle with a style (and blanks it).
    public mutating func fill(x: Int = 0, y: Int, width w: Int? = nil, height h: Int = 1, _ style: Style) {
        let w = w ?? width - x
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) { cells[row * width + column] = Cell(" ", style) }
        }
    }

    /// A single-line box.
    public mutating func box(x: Int, y: Int, width w: Int, height h: Int, _ style: Style = .plain, title: String? = nil) {
        guard w >= 2, h >= 2 else { return }
        put("┌" + String(repeating: "─", count: w - 2) + "┐", x: x, y: y, style)
        for row in (y + 1)..<(y + h - 1) {
            put("│", x: x, y: row, style)
            put("│", x: x + w - 1, y: row, style)
        }
        put("└" + String(repeating: "─", count: w - 2) + "┘", x: x, y: y + h - 1, style)
        if let title, !title.isEmpty { put(" \(title) ", x: x + 2, y: y, style.with(bold: true), limit: w - 4) }
    }

    /// The picture as text, one line per row, trailing spaces removed: what golden tests compare.
    public var text: String {
        (0..<height).map { row in
            var line = String(cells[(row * width)..<((row + 1) * width)].map(\.character))
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// One row's text (trailing spaces kept).
    public func row(_ y: Int) -> String { String(cells[(y * width)..<((y + 1) * width)].map(\.character)) }
}

extension Style {
    public func with(bold: Bool) -> Style {
        var s = self
        s.bold = bold
        return s
    }
}

extension String {
    /// Clipped to n columns with an ellipsis, or padded with spaces to n.
    public func fitted(_ n: Int) -> String {
        if count > n { return n <= 0 ? "" : String(prefix(n - 1)) + "…" }
        return self + String(repeating: " ", count: n - count)
    }

    public func leftPadded(_ n: Int) -> String {
        count >= n ? self : String(repeating: " ", count: n - count) + self
    }
}
