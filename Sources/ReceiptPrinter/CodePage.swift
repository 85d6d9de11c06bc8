/// The printer's character tables (ESC t n). A receipt in French needs its accents: CP863 is
/// Canadian French (Epson page 4), CP858 is Latin-1 with the euro sign (page 19). Both are the
/// same as ASCII below 0x80; above it, the table lists what each byte prints.
public enum CodePage: String, Sendable, CaseIterable, Codable {
    case cp863
    case cp858

    /// The page's number in the Epson ESC/POS command set (TM-T20, TM-T88).
    public var escPosNumber: UInt8 {
        switch self {
        case .cp863: 4
        case .cp858: 19
        }
    }

    /// What bytes 0x80 to 0xFF print, in order (from the code pages' published tables).
    var upperHalf: [Character] {
        switch self {
        case .cp863: Self.cp863Table
        case .cp858: Self.cp858Table
        }
    }

    private static let cp863Table = Array("\u{C7}\u{FC}\u{E9}\u{E2}\u{C2}\u{E0}\u{B6}\u{E7}\u{EA}\u{EB}\u{E8}\u{EF}\u{EE}\u{2017}\u{C0}\u{A7}\u{C9}\u{C8}\u{CA}\u{F4}\u{CB}\u{CF}\u{FB}\u{F9}\u{A4}\u{D4}\u{DC}\u{A2}\u{A3}\u{D9}\u{DB}\u{192}\u{A6}\u{B4}\u{F3}\u{FA}\u{A8}\u{B8}\u{B3}\u{AF}\u{CE}\u{2310}\u{AC}\u{BD}\u{BC}\u{BE}\u{AB}\u{BB}\u{2591}\u{2592}\u{2593}\u{2502}\u{2524}\u{2561}\u{2562}\u{2556}\u{2555}\u{2563}\u{2551}\u{2557}\u{255D}\u{255C}\u{255B}\u{2510}\u{2514}\u{2534}\u{252C}\u{251C}\u{2500}\u{253C}\u{255E}\u{255F}\u{255A}\u{2554}\u{2569}\u{2566}\u{2560}\u{2550}\u{256C}\u{2567}\u{2568}\u{2564}\u{2565}\u{2559}\u{2558}\u{2552}\u{2553}\u{256B}\u{256A}\u{2518}\u{250C}\u{2588}\u{2584}\u{258C}\u{2590}\u{2580}\u{3B1}\u{DF}\u{393}\u{3C0}\u{3A3}\u{3C3}\u{B5}\u{3C4}\u{3A6}\u{398}\u{3A9}\u{3B4}\u{221E}\u{3C6}\u{3B5}\u{2229}\u{2261}\u{B1}\u{2265}\u{2264}\u{2320}\u{2321}\u{F7}\u{2248}\u{B0}\u{2219}\u{B7}\u{221A}\u{207F}\u{B2}\u{25A0}\u{A0}")
    private static let cp858Table = Array("\u{C7}\u{FC}\u{E9}\u{E2}\u{E4}\u{E0}\u{E5}\u{E7}\u{EA}\u{EB}\u{E8}\u{EF}\u{EE}\u{EC}\u{C4}\u{C5}\u{C9}\u{E6}\u{C6}\u{F4}\u{F6}\u{F2}\u{FB}\u{F9}\u{FF}\u{D6}\u{DC}\u{F8}\u{A3}\u{D8}\u{D7}\u{192}\u{E1}\u{ED}\u{F3}\u{FA}\u{F1}\u{D1}\u{AA}\u{BA}\u{BF}\u{AE}\u{AC}\u{BD}\u{BC}\u{A1}\u{AB}\u{BB}\u{2591}\u{2592}\u{2593}\u{2502}\u{2524}\u{C1}\u{C2}\u{C0}\u{A9}\u{2563}\u{2551}\u{2557}\u{255D}\u{A2}\u{A5}\u{2510}\u{2514}\u{2534}\u{252C}\u{251C}\u{2500}\u{253C}\u{E3}\u{C3}\u{255A}\u{2554}\u{2569}\u{2566}\u{2560}\u{2550}\u{256C}\u{A4}\u{F0}\u{D0}\u{CA}\u{CB}\u{C8}\u{20AC}\u{CD}\u{CE}\u{CF}\u{2518}\u{250C}\u{2588}\u{2584}\u{A6}\u{CC}\u{2580}\u{D3}\u{DF}\u{D4}\u{D2}\u{F5}\u{D5}\u{B5}\u{FE}\u{DE}\u{DA}\u{DB}\u{D9}\u{FD}\u{DD}\u{AF}\u{B4}\u{AD}\u{B1}\u{2017}\u{BE}\u{B6}\u{A7}\u{F7}\u{B8}\u{B0}\u{A8}\u{B7}\u{B9}\u{B3}\u{B2}\u{25A0}\u{A0}")

    private static let cp863Bytes = byteMap(cp863Table)
    private static let cp858Bytes = byteMap(cp858Table)

    private static func byteMap(_ table: [Character]) -> [Character: UInt8] {
        var map: [Character: UInt8] = [:]
        for (i, c) in table.enumerated() where map[c] == nil { map[c] = UInt8(0x80 + i) }
        return map
    }

    /// A character the page lacks is written as the nearest that it has, then as `?`:
    /// a receipt never carries a byte the printer would draw as something else.
    static let substitutes: [Character: String] = [
        "\u{2014}": "-", "\u{2013}": "-", "\u{2026}": ".", "\u{2019}": "'", "\u{2018}": "'", "\u{201C}": "\"", "\u{201D}": "\"",
        "\u{00D7}": "x", "\u{202F}": " ", "\u{2009}": " ", "\u{00A0}": " ", "\u{20AC}": "EUR", "\u{0152}": "OE", "\u{0153}": "oe",
    ]

    /// The bytes of `text` in this page.
    public func encode(_ text: String) -> [UInt8] {
        let map = self == .cp863 ? Self.cp863Bytes : Self.cp858Bytes
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for c in text {
            if let a = c.asciiValue, a >= 0x20, a < 0x7F { out.append(a); continue }
            if let b = map[c], c != "\u{00A0}" { out.append(b); continue }
            if let s = Self.substitutes[c], s.allSatisfy({ $0.isASCII || map[$0] != nil }) {
                out += encode(s)
                continue
            }
            // A letter with an accent the page lacks prints as the letter alone (Ñ → N on CP863).
            let bare = String(c).folding(options: .diacriticInsensitive, locale: nil)
            if bare.count == 1, let a = bare.first?.asciiValue, a >= 0x20, a < 0x7F { out.append(a); continue }
            out.append(UInt8(ascii: "?"))
        }
        return out
    }

    /// The text bytes 0x80–0xFF stand for (for the decoder in tests and `caisse printer test`).
    public func decode(_ byte: UInt8) -> Character {
        byte < 0x80 ? Character(Unicode.Scalar(byte)) : upperHalf[Int(byte) - 0x80]
    }
}
