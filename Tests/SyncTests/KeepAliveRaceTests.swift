import CaisseAPI
import Foundation
import Sync
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The CI failure of PromotionFlowTests ("central unreachable: I/O on closed channel"): the
/// shared client's pool held a keep-alive connection that central closed just as the next
/// request went out on it. A request that can be sent again is sent again on a new connection;
/// one that cannot (a customer's creation) is not sent twice.
@Suite(.serialized) struct KeepAliveRaceTests {
    @Test func aGetIsSentAgainWhenItsKeepAliveConnectionIsClosedUnderIt() async throws {
        let server = try ClosingServer()
        defer { server.stop() }
        let client = SyncClient(baseURL: "http://127.0.0.1:\(server.port)", token: "t")
        #expect(try await client.saleForReturn(receiptNumber: "CV-1-000001") == nil)
        // The pool reuses the connection; the server closes it on reading this request.
        #expect(try await client.saleForReturn(receiptNumber: "CV-1-000002") == nil)
        #expect(server.requestsAnswered == 2)
    }

    @Test func aCreationIsNotSentTwice() async throws {
        let server = try ClosingServer()
        defer { server.stop() }
        let client = SyncClient(baseURL: "http://127.0.0.1:\(server.port)", token: "t")
        #expect(try await client.saleForReturn(receiptNumber: "CV-1-000001") == nil)
        await #expect(throws: SyncError.self) {
            _ = try await client.createCustomer(CustomerInput(name: "Ada", phone: "5145550100", loyaltyConsent: true, marketingConsent: false))
        }
        #expect(server.requestsRead == 2)
    }
}

/// An HTTP/1.1 server on a loopback socket that answers each connection's first request with
/// a 404 and keep-alive, and closes the connection, unanswered, when a second one arrives.
private final class ClosingServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var answered = 0
    private var read = 0
    var requestsAnswered: Int { lock.withLock { answered } }
    var requestsRead: Int { lock.withLock { read } }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { close(fd); throw TestFailure("no loopback socket") }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in serve() }
    }

    func stop() { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            Thread.detachNewThread { [self] in handle(connection) }
        }
    }

    private func handle(_ connection: Int32) {
        defer { close(connection) }
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var requests = 0
        while true {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            pending += buffer[0..<count]
            // Requests are counted by their heads; a body (a creation's JSON) is read with them.
            while let end = headEnd(pending) {
                let head = String(decoding: pending[0..<end], as: UTF8.self)
                let bodyLength = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                guard pending.count >= end + 4 + bodyLength else { break }
                pending.removeFirst(end + 4 + bodyLength)
                requests += 1
                lock.withLock { read += 1 }
                guard requests == 1 else { return }
                let body = #"{"error":{"code":"not_found","message":"no such sale"}}"#
                let answer = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
                _ = Array(answer.utf8).withUnsafeBytes { send(connection, $0.baseAddress, $0.count, 0) }
                lock.withLock { answered += 1 }
            }
        }
    }

    private func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { return i }
        return nil
    }
}
