import ScreenKit

/// How a `Style` is shown: a colour pair plus attributes. Kept free of curses
/// types so the mapping is tested without a terminal.
struct CursesStyle: Hashable, Sendable {
    var pair: Int16
    var bold = false
    var dim = false
    var reverse = false

    /// The curses colour numbers (COLOR_RED … are these ANSI values); -1 is the
    /// terminal's own foreground or background (use_default_colors).
    enum Color: Int16, Sendable {
        case terminalDefault = -1
        case black, red, green, yellow, blue, magenta, cyan, white
    }

    /// The colour pairs `start()` defines: pair n for the tint whose raw value is n.
    /// Plain and muted use pair 0, the terminal's own colours.
    static let pairs: [(tint: Tint, foreground: Color, background: Color)] = [
        (.accent, .cyan, .terminalDefault),
        (.good, .green, .terminalDefault),
        (.warning, .yellow, .terminalDefault),
        (.error, .red, .terminalDefault),
        (.bar, .white, .blue),
    ]

    static func pair(for tint: Tint) -> Int16 {
        pairs.contains { $0.tint == tint } ? Int16(tint.rawValue) : 0
    }

    init(pair: Int16, bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
        self.pair = pair
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
    }

    init(_ style: Style, colors: Bool) {
        pair = colors ? Self.pair(for: style.tint) : 0
        bold = style.bold
        reverse = style.reverse
        switch style.tint {
        case .plain, .accent, .good: break
        case .muted: dim = true
        // Without colours, the emphasis alone keeps warnings and errors visible.
        case .warning, .error: bold = bold || !colors
        // A coloured bar already stands out; reversing it would swap to blue on white.
        case .bar: reverse = !colors
        }
    }
}
