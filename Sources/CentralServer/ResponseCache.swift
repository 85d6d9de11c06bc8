import Foundation
import Hummingbird

/// Encoded JSON of list responses (catalog pages, stock of a location), kept
/// until central's change counter moves. Every write that changes what a list
/// shows takes a new change number, so a hit is never stale; checking costs
/// one single-row read instead of re-reading and re-encoding hundreds of rows.
final class ResponseCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (counter: Int64, body: ByteBuffer)] = [:]
    private let maxEntries: Int

    init(maxEntries: Int = 2_000) { self.maxEntries = maxEntries }

    func get(_ key: String, counter: Int64) -> ByteBuffer? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[key], entry.counter == counter else { return nil }
        return entry.body
    }

    func put(_ key: String, counter: Int64, body: ByteBuffer) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= maxEntries { entries.removeAll(keepingCapacity: true) }
        entries[key] = (counter, body)
    }

    /// The cached JSON for `key`, or `make()` encoded and cached under the current counter.
    func json<T: Encodable>(_ key: String, counter: Int64, encoder: JSONEncoder, _ make: () async throws -> T) async throws -> Response {
        if let body = get(key, counter: counter) { return Self.response(body) }
        let body = ByteBuffer(bytes: try encoder.encode(try await make()))
        put(key, counter: counter, body: body)
        return Self.response(body)
    }

    static func response(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
