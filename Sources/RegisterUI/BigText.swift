/// Digits five rows tall, so the change due reads from across the counter.
enum BigText {
    static let height = 5
    private static let glyphs: [Character: [String]] = [
        "0": ["███", "█ █", "█ █", "█ █", "███"],
        "1": [" █ ", "██ ", " █ ", " █ ", "███"],
        "2": ["███", "  █", "███", "█  ", "███"],
        "3": ["███", "  █", "███", "  █", "███"],
        "4": ["█ █", "█ █", "███", "  █", "  █"],
        "5": ["███", "█  ", "███", "  █", "███"],
        "6": ["███", "█  ", "███", "█ █", "███"],
        "7": ["███", "  █", "  █", "  █", "  █"],
        "8": ["███", "█ █", "███", "█ █", "███"],
        "9": ["███", "█ █", "███", "  █", "███"],
        ",": ["  ", "  ", "  ", " █", "█ "],
        ".": [" ", " ", " ", " ", "█"],
        "-": ["   ", "   ", "███", "   ", "   "],
        "$": ["▗█▖", "█▄ ", " ▀█", "▀█▘", "   "],
        " ": [" ", " ", " ", " ", " "],
    ]

    /// Five rows; characters without a glyph (the narrow no-break space of fr amounts) become one blank column.
    static func rows(_ text: String) -> [String] {
        var rows = Array(repeating: "", count: height)
        for ch in text {
            let glyph = glyphs[ch] ?? Array(repeating: " ", count: height)
            for i in 0..<height { rows[i] += glyph[i] + " " }
        }
        return rows.map { String($0.dropLast()) }
    }
}
