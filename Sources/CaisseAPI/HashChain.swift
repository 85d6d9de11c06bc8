import Foundation
import Crypto

/// The register's tamper-evident journal: each event carries the SHA-256 of the
/// previous event's canonical bytes, so a deleted, edited or reordered event
/// breaks every hash after it (the idea of fiscal rules such as France's NF525).
public enum HashChain {
    /// The "previous hash" of a register's first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// The exact bytes that are hashed: a version tag, the header fields one per
    /// line, then the payload bytes as stored. No JSON re-encoding is involved.
    public static func canonicalBytes(of event: SyncEvent) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(event.payload.utf8.count + 200)
        let header = "caisse-event/1\n\(event.registerId)\n\(event.sequence)\n\(event.id)\n\(event.type.rawValue)\n\(event.createdAt)\n\(event.previousHash)\n"
        bytes.append(contentsOf: header.utf8)
        bytes.append(contentsOf: event.payload.utf8)
        return bytes
    }

    public static func hash(of event: SyncEvent) -> String {
        hex(SHA256.hash(data: canonicalBytes(of: event)))
    }

    public enum Break: Error, Hashable, Sendable, CustomStringConvertible {
        /// The event's own hash does not match its content (edited).
        case contentAltered(sequence: Int64)
        /// The event does not point at the hash of the one before it (deleted, inserted, reordered).
        case linkBroken(sequence: Int64)
        /// Sequence numbers are not consecutive.
        case sequenceGap(expected: Int64, found: Int64)

        public var description: String {
            switch self {
            case .contentAltered(let s): return "event \(s) was altered: its hash does not match its content"
            case .linkBroken(let s): return "event \(s) does not chain to the event before it"
            case .sequenceGap(let e, let f): return "expected event \(e), found \(f)"
            }
        }
    }

    /// Verifies events in order, continuing a chain whose last event had
    /// `previousSequence` and hash `previousHash`.
    public static func verify(_ events: [SyncEvent], previousSequence: Int64 = 0,
                              previousHash: String = genesis) throws(Break) {
        try verify(events, computedHashes: events.map(hash(of:)), previousSequence: previousSequence, previousHash: previousHash)
    }

    /// `verify` with each event's hash already computed from its content
    /// (`computedHashes[i] == hash(of: events[i])`), e.g. outside a lock.
    public static func verify(_ events: [SyncEvent], computedHashes: [String], previousSequence: Int64 = 0,
                              previousHash: String = genesis) throws(Break) {
        precondition(events.count == computedHashes.count, "one computed hash per event")
        var expectedSequence = previousSequence + 1
        var expectedPrevious = previousHash
        for (event, actual) in zip(events, computedHashes) {
            guard event.sequence == expectedSequence else {
                throw .sequenceGap(expected: expectedSequence, found: event.sequence)
            }
            guard event.previousHash == expectedPrevious else { throw .linkBroken(sequence: event.sequence) }
            guard actual == event.hash else { throw .contentAltered(sequence: event.sequence) }
            expectedPrevious = actual
            expectedSequence += 1
        }
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A W3C Trace Context `traceparent` header (version 00): a 16-byte trace id and an 8-byte
/// span id in lower-case hex. Tills send one per request; central reads it back strictly
/// (anything else is ignored, never logged: it is a till's string).
public struct TraceParent: Sendable, Equatable {
    public let traceId: String
    public let spanId: String
    public let sampled: Bool

    public var header: String { "00-\(traceId)-\(spanId)-\(sampled ? "01" : "00")" }

    public static func random() -> TraceParent {
        func hex(_ count: Int) -> String {
            var out = ""
            while out.count < count { out += String(format: "%016llx", UInt64.random(in: 1...UInt64.max)) }
            return String(out.prefix(count))
        }
        return TraceParent(traceId: hex(32), spanId: hex(16), sampled: true)
    }

    init(traceId: String, spanId: String, sampled: Bool) {
        self.traceId = traceId
        self.spanId = spanId
        self.sampled = sampled
    }

    /// Parses `00-<32 hex>-<16 hex>-<2 hex>`; nil for anything else, or the all-zero ids the spec forbids.
    public init?(header: String) {
        let parts = header.split(separator: "-", omittingEmptySubsequences: false)
        func isHex(_ s: Substring, _ n: Int) -> Bool { s.utf8.count == n && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) } }
        guard header.utf8.count == 55, parts.count == 4, parts[0] == "00", isHex(parts[1], 32), isHex(parts[2], 16), isHex(parts[3], 2),
              parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" }), let flags = UInt8(parts[3], radix: 16) else { return nil }
        traceId = String(parts[1])
        spanId = String(parts[2])
        sampled = flags & 1 == 1
    }
}
