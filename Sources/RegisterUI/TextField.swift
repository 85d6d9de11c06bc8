import ScreenKit

extension String {
    /// Typing into a one-line field: a printable character is appended (up to
    /// `maxLength`), Backspace removes the last one. True when `key` was either,
    /// so the caller handles only the keys that act (Enter, Esc…).
    mutating func type(_ key: Key, maxLength: Int) -> Bool {
        switch key {
        case .char(let c) where !c.isNewline:
            if count < maxLength { append(c) }
            return true
        case .backspace:
            if !isEmpty { removeLast() }
            return true
        default:
            return false
        }
    }
}
