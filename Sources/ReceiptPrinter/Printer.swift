import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a till's receipt printer is: a device file (`/dev/usb/lp0`) or a network printer
/// (`tcp://HOST:9100`, the port raw ESC/POS printers listen on).
public enum PrinterTarget: Sendable, Equatable, Codable, CustomStringConvertible {
    case device(path: String)
    case network(host: String, port: Int)

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads `tcp://HOST[:PORT]` or an absolute device path.
    public init(_ text: String) throws {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("tcp://") {
            let rest = text.dropFirst(6)
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard let host = parts.first, !host.isEmpty, host.count <= 253, parts.count <= 2,
                  host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
                throw Invalid(description: "a network printer is tcp://HOST:PORT (for example tcp://192.168.1.50:9100)")
            }
            let port = parts.count == 2 ? Int(parts[1]) : 9100
            guard let port, (1...65535).contains(port) else { throw Invalid(description: "the printer's port must be 1 to 65535") }
            self = .network(host: String(host), port: port)
        } else if text.hasPrefix("/"), text.count <= 512, !text.contains("\0") {
            self = .device(path: text)
        } else {
            throw Invalid(description: "a printer is a device file (/dev/usb/lp0) or tcp://HOST:PORT")
        }
    }

    public var description: String {
        switch self {
        case .device(let path): path
        case .network(let host, let port): "tcp://\(host):\(port)"
        }
    }
}

/// A till's printer as set with `caisse printer set`, kept in the till's database.
public struct PrinterSettings: Sendable, Equatable, Codable {
    public var target: PrinterTarget
    /// Characters a line: 42 on 80 mm paper, 32 on 58 mm.
    public var columns: Int
    public var codePage: CodePage
    /// How the receipt number is printed for the return screen's scanner.
    public var receiptCode: ReceiptCode

    public enum ReceiptCode: String, Sendable, Codable, CaseIterable { case barcode, qr }

    public static let paperWidths = [80: 42, 58: 32]

    public init(target: PrinterTarget, columns: Int = 42, codePage: CodePage = .cp863, receiptCode: ReceiptCode = .barcode) {
        self.target = target
        self.columns = columns
        self.codePage = codePage
        self.receiptCode = receiptCode
    }
}

/// A printer the till talks to: what it says of itself, and bytes to print.
public protocol PrinterLink: Sendable {
    /// nil when the printer does not answer status requests (a device file may not).
    func status() throws -> PrinterStatus?
    func send(_ bytes: [UInt8]) throws
    func close()
}

public struct PrinterError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Opens the link to a target, with short timeouts: a printer that does not answer must
/// never hold a sale (the spooler runs beside the screen and tries again later).
public func connectPrinter(_ target: PrinterTarget, timeoutMilliseconds: Int32 = 1_500) throws -> any PrinterLink {
    switch target {
    case .network(let host, let port): try NetworkPrinter(host: host, port: port, timeout: timeoutMilliseconds)
    case .device(let path): try DevicePrinter(path: path)
    }
}

/// A raw TCP printer (port 9100): ESC/POS in, status bytes out.
final class NetworkPrinter: PrinterLink, @unchecked Sendable {
    private let fd: Int32
    private let timeout: Int32

    init(host: String, port: Int, timeout: Int32) throws {
        self.timeout = timeout
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw PrinterError("cannot find printer \(host)")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { throw PrinterError("no socket for the printer") }
        // Connect without blocking, then wait at most `timeout` for it.
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { Glibc.close(fd); throw PrinterError("printer \(host):\(port) refused the connection") }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard poll(&p, 1, timeout) == 1, getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 else {
                Glibc.close(fd)
                throw PrinterError("printer \(host):\(port) does not answer")
            }
        }
        _ = fcntl(fd, F_SETFL, flags)
        var noSignal: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &noSignal, socklen_t(MemoryLayout<Int32>.size))
        self.fd = fd
    }

    func status() throws -> PrinterStatus? {
        let printer = try ask(.printer)
        let paper = try ask(.paper)
        guard let printer, let paper else { return nil }
        return PrinterStatus(printer: printer, paper: paper)
    }

    private func ask(_ request: EscPos.StatusRequest) throws -> UInt8? {
        try send(request.bytes)
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, timeout) == 1 else { return nil }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 1 ? byte : nil
    }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&p, 1, timeout) == 1 else { throw PrinterError("the printer stopped taking data") }
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw PrinterError("the printer closed the connection") }
            sent += n
        }
    }

    func close() { Glibc.close(fd) }
}

/// A printer on a device file (USB or parallel). Writes only: most such files do not return
/// status, so an empty roll shows as a receipt not printed, reprinted with F9.
final class DevicePrinter: PrinterLink, @unchecked Sendable {
    private let handle: FileHandle

    init(path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else { throw PrinterError("cannot open printer \(path)") }
        self.handle = handle
    }

    func status() throws -> PrinterStatus? { nil }

    func send(_ bytes: [UInt8]) throws {
        do { try handle.write(contentsOf: Data(bytes)) } catch { throw PrinterError("the printer refused the data: \(error.localizedDescription)") }
    }

    func close() { try? handle.close() }
}
