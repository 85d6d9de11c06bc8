import CaisseAPI
import CaisseCore
import CentralStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Changes made on central's side, straight through its store (the same code
/// the admin API and `caisse-central restock` call).
struct CentralAdmin {
    let store: SQLiteCentralStore

    init(central: Central) throws { store = try SQLiteCentralStore(path: central.database) }

    func setPrice(productId: Int64, cents: Int64, active: Bool) async throws {
        guard let p = try await store.product(id: productId) else { throw TestFailure("no product \(productId)") }
        _ = try await store.updateProduct(id: productId, ProductInput(
            sku: p.sku, barcode: p.barcode, name: p.name, category: p.category, priceCents: cents, taxClass: p.taxClass,
            reorderPoint: p.reorderPoint, overstockThreshold: p.overstockThreshold, active: active))
    }

    func restock(_ id: String, _ action: RestockAction) async throws {
        _ = try await store.transitionRestock(id: id, action: action, at: 1)
    }
}

/// A loopback HTTP proxy that forwards each request to central and, for the
/// first `dropResponses` requests that carry a body, throws the answer away and
/// closes the connection: the push is committed, the till never hears so.
final class DroppingProxy: @unchecked Sendable {
    let listener: Int32
    let port: Int
    let upstreamPort: Int
    private let lock = NSLock()
    private var toDrop: Int
    private var running = true

    var url: String { "http://127.0.0.1:\(port)" }

    init(upstreamPort: Int, dropResponses: Int) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw TestFailure("proxy cannot listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.upstreamPort = upstreamPort
        toDrop = dropResponses
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    func stop() {
        lock.lock()
        running = false
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            Thread.detachNewThread { [self] in handle(client) }
        }
    }

    /// One request per connection (we answer with Connection: close).
    private func handle(_ client: Int32) {
        defer { close(client) }
        guard let request = readRequest(client) else { return }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(upstream) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(upstreamPort).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return }
        // Ask central to close after answering, so the answer ends at EOF.
        var text = String(decoding: request, as: UTF8.self)
        text = text.replacingOccurrences(of: "\r\n\r\n", with: "\r\nConnection: close\r\n\r\n", options: [], range: text.range(of: "\r\n\r\n"))
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(upstream, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(upstream, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        lock.lock()
        let drop = text.hasPrefix("POST") && toDrop > 0
        if drop { toDrop -= 1 }
        lock.unlock()
        if drop { return }   // central committed; the till hears nothing
        _ = response.withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
    }

    private func readRequest(_ fd: Int32) -> [UInt8]? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return data.isEmpty ? nil : data }
            data += buffer[0..<n]
            let text = String(decoding: data, as: UTF8.self)
            guard let headerEnd = text.range(of: "\r\n\r\n") else { continue }
            let header = text[..<headerEnd.lowerBound].lowercased()
            let length = header.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let headerBytes = text[..<headerEnd.upperBound].utf8.count
            if data.count >= headerBytes + length { return data }
        }
    }
}
