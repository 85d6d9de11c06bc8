import Foundation
import Glibc
import ReceiptPrinter

/// A receipt printer on 127.0.0.1 (a free port, as port 9100 on a real one): it records what it
/// is sent and answers ESC/POS status requests (DLE EOT 1 and 4) from the state the test sets,
/// as an Epson TM-T20 does. Status requests are answered, not recorded: a printer consumes them.
final class SimulatedPrinter: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var received: [UInt8] = []
    private var paperOut = false
    private var offline = false
    private var stopped = false
    private var serving = false

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else { throw PrinterError("the simulated printer cannot listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var target: PrinterTarget { .network(host: "127.0.0.1", port: port) }

    /// What it printed, once the till has hung up (its last bytes may still be on the way).
    var bytes: [UInt8] {
        for _ in 0..<200 where lock.withLock({ serving }) { usleep(10_000) }
        return lock.withLock { received }
    }
    func clear() {
        _ = bytes
        lock.withLock { received = [] }
    }
    func set(paperOut: Bool = false, offline: Bool = false) {
        lock.withLock {
            self.paperOut = paperOut
            self.offline = offline
        }
    }

    func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            lock.withLock { serving = true }
            serve(client)
            close(client)
            lock.withLock { serving = false }
            if lock.withLock({ stopped }) { return }
        }
    }

    /// One connection at a time, as a printer's raw port serves them.
    private func serve(_ client: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var pending: [UInt8] = []
        while true {
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { return }
            pending += buffer[0..<n]
            var i = 0
            var data: [UInt8] = []
            while i < pending.count {
                if pending[i] == 0x10 {
                    guard i + 2 < pending.count else { break }
                    if pending[i + 1] == 0x04 {
                        let (printer, paper) = lock.withLock { (offline ? UInt8(0x1A) : 0x12, paperOut ? UInt8(0x72) : 0x12) }
                        var answer = pending[i + 2] == 4 ? paper : printer
                        _ = send(client, &answer, 1, Int32(MSG_NOSIGNAL))
                        i += 3
                        continue
                    }
                }
                data.append(pending[i])
                i += 1
            }
            pending = Array(pending[i...])
            lock.withLock { received += data }
        }
    }
}
