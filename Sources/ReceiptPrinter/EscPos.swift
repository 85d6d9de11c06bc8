/// An ESC/POS byte stream, built one command at a time, as Epson's TM-T20 and TM-T88 read it
/// (the command set most receipt printers copy). Pure bytes: tests decode what was built.
public struct EscPos: Sendable, Equatable {
    public private(set) var bytes: [UInt8] = []
    public let codePage: CodePage

    static let esc: UInt8 = 0x1B
    static let gs: UInt8 = 0x1D
    static let dle: UInt8 = 0x10
    static let eot: UInt8 = 0x04
    static let lf: UInt8 = 0x0A

    /// Starts a document: resets the printer (ESC @) and selects the code page (ESC t n).
    public init(codePage: CodePage) {
        self.codePage = codePage
        bytes = [Self.esc, 0x40, Self.esc, 0x74, codePage.escPosNumber]
    }

    public enum Alignment: UInt8, Sendable { case left = 0, center = 1, right = 2 }

    /// ESC a n.
    public mutating func align(_ a: Alignment) { bytes += [Self.esc, 0x61, a.rawValue] }

    /// ESC E n: emphasised (bold) on or off.
    public mutating func bold(_ on: Bool) { bytes += [Self.esc, 0x45, on ? 1 : 0] }

    /// GS ! n: double height and width for a title or a total.
    public mutating func large(_ on: Bool) { bytes += [Self.gs, 0x21, on ? 0x11 : 0x00] }

    /// One line of text in the code page, then a line feed. Control characters are dropped:
    /// a product name cannot carry a command to the printer.
    public mutating func line(_ text: String) {
        bytes += codePage.encode(text).filter { $0 >= 0x20 && $0 != 0x7F }
        bytes.append(Self.lf)
    }

    /// ESC d n: feeds n lines.
    public mutating func feed(_ lines: UInt8) { bytes += [Self.esc, 0x64, lines] }

    /// A Code 128 barcode of `text` (code set B: printable ASCII), its text printed below
    /// (GS H 2), 2 dots a module and 80 dots high: a receipt number fits on 58 mm paper.
    /// Text outside code set B (or too long to scan) prints as text instead.
    public mutating func barcode128(_ text: String) {
        let data = Array(text.utf8)
        guard (1...40).contains(data.count), data.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x7B }) else { line(text); return }
        bytes += [Self.gs, 0x48, 2, Self.gs, 0x77, 2, Self.gs, 0x68, 80]
        let payload: [UInt8] = [0x7B, 0x42] + data   // "{B": code set B
        bytes += [Self.gs, 0x6B, 73, UInt8(payload.count)] + payload
    }

    /// A QR code of `text` (GS ( k: model 2, module size 6, error correction M, store then print).
    public mutating func qr(_ text: String) {
        let data = Array(text.utf8.prefix(300))
        bytes += [Self.gs, 0x28, 0x6B, 4, 0, 0x31, 0x41, 0x32, 0x00]
        bytes += [Self.gs, 0x28, 0x6B, 3, 0, 0x31, 0x43, 6]
        bytes += [Self.gs, 0x28, 0x6B, 3, 0, 0x31, 0x45, 0x31]
        let length = data.count + 3
        bytes += [Self.gs, 0x28, 0x6B, UInt8(length & 0xFF), UInt8(length >> 8), 0x31, 0x50, 0x30] + data
        bytes += [Self.gs, 0x28, 0x6B, 3, 0, 0x31, 0x51, 0x30]
    }

    /// GS V 66 n: feeds to the cutter and cuts, leaving one point uncut (a partial cut).
    public mutating func cut() { bytes += [Self.gs, 0x56, 66, 3] }

    /// ESC p m t1 t2: the drawer-kick pulse on connector pin 2, 50 ms on and 500 ms off.
    public mutating func openDrawer() { bytes += [Self.esc, 0x70, 0, 25, 250] }

    /// DLE EOT n: real-time status requests; the printer answers one byte.
    public enum StatusRequest: UInt8, Sendable {
        /// Printer status: bit 3 set when it is offline.
        case printer = 1
        /// Paper roll sensor: bits 5 and 6 set when the paper has run out.
        case paper = 4
        public var bytes: [UInt8] { [EscPos.dle, EscPos.eot, rawValue] }
    }
}

/// What the printer said of itself (DLE EOT 1 and 4).
public struct PrinterStatus: Sendable, Equatable {
    public var offline: Bool
    public var paperOut: Bool

    public init(offline: Bool = false, paperOut: Bool = false) {
        self.offline = offline
        self.paperOut = paperOut
    }

    public static let ready = PrinterStatus()

    /// Both answers are one byte with bits 1 and 4 set and bit 0 and 7 clear (a status byte, not data).
    public init?(printer: UInt8, paper: UInt8) {
        guard printer & 0x93 == 0x12, paper & 0x93 == 0x12 else { return nil }
        self.init(offline: printer & 0x08 != 0, paperOut: paper & 0x60 == 0x60)
    }
}
