import CNcurses
import ScreenKit

extension TerminalScreen {
    /// Maps what `wget_wch` returned to a `Key`. `isFunctionKey` is true when it
    /// returned KEY_CODE_YES: then `code` is a KEY_* constant, otherwise a Unicode
    /// scalar (KEY_BACKSPACE is 263, which is also "ć", so the flag matters).
    /// Nil for codes screens have no use for (mouse, keypad centre, Alt…).
    static func decode(code: UInt32, isFunctionKey: Bool) -> Key? {
        isFunctionKey ? decodeFunctionKey(Int32(bitPattern: code)) : decodeCharacter(code)
    }

    private static func decodeCharacter(_ code: UInt32) -> Key? {
        switch code {
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 9: return .tab
        case 1...26:
            // Ctrl-A is 1 … Ctrl-Z is 26; H, I, J, M were handled above.
            return Unicode.Scalar(code + 96).map { .ctrl(Character($0)) }
        default:
            guard let scalar = Unicode.Scalar(code), !scalar.properties.generalCategory.isControl else { return nil }
            return .char(Character(scalar))
        }
    }

    private static func decodeFunctionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        // Some terminals (rxvt, the Linux console, keypads) send Find/Select or
        // the keypad's corners for Home/End/PageUp/PageDown.
        case KEY_HOME, KEY_FIND, KEY_A1: return .home
        case KEY_END, KEY_SELECT, KEY_C1, KEY_LL: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isControl: Bool {
        switch self {
        case .control, .format, .surrogate, .unassigned, .privateUse, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
