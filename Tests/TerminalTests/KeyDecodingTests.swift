import Glibc
import ScreenKit
import Testing
@testable import Terminal

/// Codes as ncurses defines them (curses.h, octal), written out so the table is
/// checked against the real values and not against itself.
private enum Code {
    static let down: UInt32 = 0o402, up: UInt32 = 0o403, left: UInt32 = 0o404, right: UInt32 = 0o405
    static let home: UInt32 = 0o406, backspace: UInt32 = 0o407, f0: UInt32 = 0o410
    static let dc: UInt32 = 0o512, npage: UInt32 = 0o522, ppage: UInt32 = 0o523
    static let enter: UInt32 = 0o527, btab: UInt32 = 0o541, end: UInt32 = 0o550
    static let find: UInt32 = 0o552, select: UInt32 = 0o601, resize: UInt32 = 0o632, mouse: UInt32 = 0o631
}

@Suite struct KeyDecodingTests {
    private func char(_ code: UInt32) -> Key? { TerminalScreen.decode(code: code, isFunctionKey: false) }
    private func fn(_ code: UInt32) -> Key? { TerminalScreen.decode(code: code, isFunctionKey: true) }

    @Test func printableCharactersIncludingAccentedOnes() {
        #expect(char(0x61) == .char("a"))
        #expect(char(0x20) == .char(" "))
        #expect(char(0x7E) == .char("~"))
        #expect(char(0xE9) == .char("é"))
        #expect(char(0xE0) == .char("à"))
        #expect(char(0xE7) == .char("ç"))
        #expect(char(0xC9) == .char("É"))
        #expect(char(0x20AC) == .char("€"))
    }

    @Test func aCharacterWithTheValueOfAKeyCodeIsStillACharacter() {
        // 263 is KEY_BACKSPACE and also "ć": only the KEY_CODE_YES flag tells them apart.
        #expect(char(263) == .char("ć"))
        #expect(fn(263) == .backspace)
    }

    @Test func enterEscapeBackspaceTab() {
        #expect(char(13) == .enter)
        #expect(char(10) == .enter)
        #expect(fn(Code.enter) == .enter)
        #expect(char(27) == .escape)
        #expect(char(127) == .backspace)
        #expect(char(8) == .backspace)
        #expect(fn(Code.backspace) == .backspace)
        #expect(char(9) == .tab)
        #expect(fn(Code.btab) == .backTab)
        #expect(fn(Code.dc) == .delete)
    }

    @Test func controlLetters() {
        #expect(char(3) == .ctrl("c"))
        #expect(char(1) == .ctrl("a"))
        #expect(char(26) == .ctrl("z"))
        #expect(char(12) == .ctrl("l"))
        let ctrl = (1...26).compactMap { code -> Character? in
            if case .ctrl(let c)? = char(UInt32(code)) { c } else { nil }
        }
        // H, I, J, M are backspace, tab and enter.
        #expect(String(ctrl) == "abcdefgklnopqrstuvwxyz")
    }

    @Test func otherControlCodesAreIgnored() {
        for code: UInt32 in [0, 28, 29, 30, 31, 0x85, 0x9B] { #expect(char(code) == nil) }
        #expect(char(0xD800) == nil)  // a surrogate is no scalar
        #expect(fn(Code.mouse) == nil)
    }

    @Test func navigation() {
        #expect(fn(Code.up) == .up)
        #expect(fn(Code.down) == .down)
        #expect(fn(Code.left) == .left)
        #expect(fn(Code.right) == .right)
        #expect(fn(Code.home) == .home)
        #expect(fn(Code.find) == .home)
        #expect(fn(Code.end) == .end)
        #expect(fn(Code.select) == .end)
        #expect(fn(Code.ppage) == .pageUp)
        #expect(fn(Code.npage) == .pageDown)
    }

    @Test func functionKeysOneToTwelve() {
        for n in 1...12 { #expect(fn(Code.f0 + UInt32(n)) == .function(n)) }
        #expect(fn(Code.f0) == nil)
        #expect(fn(Code.f0 + 13) == nil)  // Shift-F1 on xterm
    }

    @Test func resizeIsNotAKey() {
        // next() turns KEY_RESIZE into .resize before decoding.
        #expect(fn(Code.resize) == nil)
    }
}

@Suite struct HangupTests {
    @Test func aClosedTerminalIsToldApartFromAQuietOne() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        // The writer is still there: nothing to read yet, not a hangup.
        #expect(!TerminalScreen.inputHungUp(fd: fds[0]))
        close(fds[1])
        #expect(TerminalScreen.inputHungUp(fd: fds[0]))
        close(fds[0])
    }
}
