/// A key the person pressed, decoded from the terminal. Screens only ever see
/// these, never terminal codes, so they run (and are tested) without a terminal.
public enum Key: Hashable, Sendable {
    case char(Character)
    case enter, escape, backspace, delete, tab, backTab
    case up, down, left, right, home, end, pageUp, pageDown
    /// F1 … F12.
    case function(Int)
    /// Ctrl + a letter (lowercase), for the keys that are not enter/tab/backspace.
    case ctrl(Character)

    /// Parses a compact key script used by tests: "abc" types characters,
    /// "<enter>", "<esc>", "<f5>", "<up>", "<c-c>" name other keys.
    public static func script(_ text: String) -> [Key] {
        var keys: [Key] = []
        var rest = Substring(text)
        while let c = rest.first {
            if c == "<", let close = rest.firstIndex(of: ">"), let key = named(String(rest[rest.index(after: rest.startIndex)..<close])) {
                keys.append(key)
                rest = rest[rest.index(after: close)...]
            } else {
                keys.append(.char(c))
                rest = rest.dropFirst()
            }
        }
        return keys
    }

    static func named(_ name: String) -> Key? {
        switch name.lowercased() {
        case "enter", "cr": .enter
        case "esc": .escape
        case "bs": .backspace
        case "del": .delete
        case "tab": .tab
        case "s-tab": .backTab
        case "up": .up
        case "down": .down
        case "left": .left
        case "right": .right
        case "home": .home
        case "end": .end
        case "pgup": .pageUp
        case "pgdn": .pageDown
        case "lt": .char("<")
        default:
            if name.lowercased().hasPrefix("f"), let n = Int(name.dropFirst()), (1...12).contains(n) { .function(n) }
            else if name.lowercased().hasPrefix("c-"), name.count == 3, let ch = name.lowercased().last { .ctrl(ch) }
            else { nil }
        }
    }
}

/// What the terminal reports besides keys.
public enum TerminalEvent: Hashable, Sendable {
    case key(Key)
    case resize(Size)
    /// The terminal is gone (connection dropped, window closed): nobody can type any more.
    case hangup
}

public struct Size: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}
