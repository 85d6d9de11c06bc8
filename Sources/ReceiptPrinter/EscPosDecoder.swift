/// Reads an ESC/POS stream back into a transcript a person can check: text decoded with the
/// code page the stream selected, each command in brackets. Tests compare receipts with it,
/// and it refuses what the till never sends (an unknown command is a bug, not noise).
public enum EscPosDecoder {
    public struct Unknown: Error, CustomStringConvertible {
        public let offset: Int
        public let byte: UInt8
        public var description: String { "unknown ESC/POS byte 0x\(String(byte, radix: 16)) at \(offset)" }
    }

    public static func transcript(_ bytes: [UInt8]) throws -> [String] {
        var out: [String] = []
        var text: [UInt8] = []
        var page = CodePage.cp863
        var i = 0
        func need(_ n: Int) throws -> [UInt8] {
            guard i + n <= bytes.count else { throw Unknown(offset: i, byte: bytes[i - 1]) }
            defer { i += n }
            return Array(bytes[i..<(i + n)])
        }
        func flushText(newline: Bool) {
            if newline || !text.isEmpty { out.append(String(text.map(page.decode))) }
            text = []
        }
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            switch b {
            case 0x0A: flushText(newline: true)
            case 0x1B:
                flushText(newline: false)
                let command = try need(1)[0]
                switch command {
                case 0x40: out.append("[init]")
                case 0x74:
                    let n = try need(1)[0]
                    guard let p = CodePage.allCases.first(where: { $0.escPosNumber == n }) else { throw Unknown(offset: i - 1, byte: n) }
                    page = p
                    out.append("[code page \(p.rawValue)]")
                case 0x61: out.append(["[align left]", "[align center]", "[align right]"][Int(min(try need(1)[0], 2))])
                case 0x45: out.append(try need(1)[0] == 0 ? "[bold off]" : "[bold on]")
                case 0x64: out.append("[feed \(try need(1)[0])]")
                case 0x70:
                    let p = try need(3)
                    out.append("[drawer pin \(p[0] == 0 ? 2 : 5) on \(Int(p[1]) * 2) ms off \(Int(p[2]) * 2) ms]")
                default: throw Unknown(offset: i - 1, byte: command)
                }
            case 0x1D:
                flushText(newline: false)
                let command = try need(1)[0]
                switch command {
                case 0x21: out.append(try need(1)[0] == 0 ? "[size normal]" : "[size large]")
                case 0x48: out.append("[barcode text \(["none", "above", "below", "both"][Int(min(try need(1)[0], 3))])]")
                case 0x77: out.append("[barcode module \(try need(1)[0])]")
                case 0x68: out.append("[barcode height \(try need(1)[0])]")
                case 0x6B:
                    let header = try need(2)
                    guard header[0] == 73 else { throw Unknown(offset: i - 2, byte: header[0]) }
                    let data = try need(Int(header[1]))
                    guard data.count >= 2, data[0] == 0x7B else { throw Unknown(offset: i - data.count, byte: data.first ?? 0) }
                    out.append("[barcode CODE128 \(String(decoding: data.dropFirst(2), as: UTF8.self))]")
                case 0x28:
                    let header = try need(3)
                    guard header[0] == 0x6B else { throw Unknown(offset: i - 3, byte: header[0]) }
                    let body = try need(Int(header[1]) + Int(header[2]) * 256)
                    if body.count >= 3, body[1] == 0x50 { out.append("[qr \(String(decoding: body.dropFirst(3), as: UTF8.self))]") }
                    else if body.count >= 2, body[1] == 0x51 { out.append("[qr print]") }
                case 0x56:
                    let m = try need(1)[0]
                    if m == 66 || m == 65 { _ = try need(1) }
                    out.append("[cut]")
                default: throw Unknown(offset: i - 1, byte: command)
                }
            case 0x10:
                flushText(newline: false)
                let p = try need(2)
                out.append("[status request \(p[1])]")
            default:
                guard b >= 0x20 else { throw Unknown(offset: i - 1, byte: b) }
                text.append(b)
            }
        }
        flushText(newline: false)
        return out
    }
}
