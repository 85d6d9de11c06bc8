import CaisseAPI
import CentralModel
import Foundation
import Hummingbird

// Central's read caches (ADR 0012). A cached read costs no database round
// trip: entries are checked against the data version this instance last read,
// which `VersionTracker` keeps at most `maxAge` old and re-reads at once after
// a write this instance served.

/// Central's data version as this instance knows it.
final class VersionTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var known: DataVersion?
    private var readAt: UInt64 = 0
    /// Writes this instance has served, and how many of them the known version is sure to include.
    private var localWrites: UInt64 = 0
    private var localWritesIncluded: UInt64 = 0
    /// The read under way, shared by every request that needs one meanwhile:
    /// without it, each of hundreds of concurrent requests would query the
    /// database at once whenever the version expires or a write is served.
    private var inFlight: PendingRead?
    private var readsStarted: UInt64 = 0
    let maxAgeNanos: UInt64
    /// A monotonic clock in nanoseconds (injected by tests).
    let now: @Sendable () -> UInt64

    init(maxAgeMillis: Int, now: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        maxAgeNanos = UInt64(max(0, maxAgeMillis)) * 1_000_000
        self.now = now
    }

    /// The version, read from `store` when the known one is too old or predates a local write.
    func current(_ store: any ChainAdministration) async throws -> DataVersion {
        try await current { try await store.dataVersion() }
    }

    /// The version, read by `readVersion` when needed (tests count the reads).
    func current(reading readVersion: @escaping @Sendable () async throws -> DataVersion) async throws -> DataVersion {
        let next: Next = lock.withLock {
            if let known, localWritesIncluded == localWrites, now() &- readAt < maxAgeNanos { return .known(known) }
            // A read that started after every write served so far answers for this request too.
            if let pending = inFlight, pending.writesBefore == localWrites { return .wait(pending) }
            readsStarted += 1
            let pending = PendingRead(read: Task { try await readVersion() }, id: readsStarted, writesBefore: localWrites, startedAt: now())
            inFlight = pending
            return .wait(pending)
        }
        let pending: PendingRead
        switch next {
        case .known(let version): return version
        case .wait(let read): pending = read
        }
        let result = await pending.read.result
        lock.withLock {
            if inFlight?.id == pending.id { inFlight = nil }
            // The read that started last wins.
            if case .success(let fresh) = result, known == nil || pending.startedAt >= readAt {
                known = fresh
                readAt = pending.startedAt
                localWritesIncluded = max(localWritesIncluded, pending.writesBefore)
            }
        }
        return try result.get()
    }

    private struct PendingRead {
        let read: Task<DataVersion, any Error>
        let id: UInt64
        let writesBefore: UInt64
        let startedAt: UInt64
    }

    private enum Next {
        case known(DataVersion)
        case wait(PendingRead)
    }

    /// A write this instance served has committed: the next read re-reads the version.
    func noteLocalWrite() {
        lock.withLock { localWrites += 1 }
    }
}

/// A map bounded to about `2 × capacity` in cost (entries, or bytes): when
/// the young half is full, it becomes the old half and the previous old half
/// is dropped. A hit in the old half moves back to the young one, so what is
/// read often stays (an LRU approximation with O(1) work and no per-entry
/// bookkeeping).
struct TwoGenerationMap<Key: Hashable, Value> {
    private var young: [Key: (value: Value, cost: Int)] = [:]
    private var old: [Key: (value: Value, cost: Int)] = [:]
    private var youngCost = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    mutating func get(_ key: Key) -> Value? {
        if let e = young[key] { return e.value }
        guard let e = old.removeValue(forKey: key) else { return nil }
        set(key, e.value, cost: e.cost)
        return e.value
    }

    /// Stores `value`; one costing more than the whole capacity is not kept.
    mutating func set(_ key: Key, _ value: Value, cost: Int = 1) {
        guard cost <= capacity else { return }
        if let previous = young.removeValue(forKey: key) { youngCost -= previous.cost }
        if youngCost + cost > capacity {
            old = young
            young = [:]
            youngCost = 0
        }
        young[key] = (value, cost)
        youngCost += cost
    }

    var count: Int { young.count + old.count }
}

/// Encoded JSON bodies of reads (catalog pages and products, stock of a
/// location, users), each stored with the version number it depends on.
/// Bounded in bytes: callers choose the keys (pages, search words), so the
/// number of entries is theirs too.
final class ResponseCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: TwoGenerationMap<String, (version: Int64, body: ByteBuffer)>
    /// Bodies being made: the requests that miss meanwhile wait for the same
    /// one. Each push moves the stock version, and without this every request
    /// in flight for a store's stock re-read it from the database at once.
    private var making: [String: (version: Int64, body: Task<ByteBuffer, any Error>)] = [:]

    /// - Parameter maxBytes: the bodies kept, at most twice this in all.
    init(maxBytes: Int = 32 << 20) { entries = TwoGenerationMap(capacity: maxBytes) }

    func get(_ key: String, version: Int64) -> ByteBuffer? {
        lock.withLock {
            guard let entry = entries.get(key), entry.version == version else { return nil }
            return entry.body
        }
    }

    func put(_ key: String, version: Int64, body: ByteBuffer) {
        lock.withLock { entries.set(key, (version, body), cost: body.readableBytes + key.utf8.count) }
    }

    private enum Lookup {
        case hit(ByteBuffer)
        case wait(Task<ByteBuffer, any Error>)
    }

    /// The cached JSON for `key`, or `make()` encoded and cached under `version`
    /// (made once however many requests ask meanwhile). Errors are not cached.
    func json<T: Encodable & Sendable>(_ key: String, version: Int64, encoder: JSONEncoder,
                                       _ make: @escaping @Sendable () async throws -> T) async throws -> Response {
        let lookup: Lookup = lock.withLock {
            if let entry = entries.get(key), entry.version == version { return .hit(entry.body) }
            if let pending = making[key], pending.version == version { return .wait(pending.body) }
            let body = Task { ByteBuffer(bytes: try encoder.encode(try await make())) }
            making[key] = (version, body)
            return .wait(body)
        }
        switch lookup {
        case .hit(let body):
            return Self.response(body)
        case .wait(let pending):
            let result = await pending.result
            lock.withLock { if making[key]?.version == version { making[key] = nil } }
            if case .success(let body) = result { put(key, version: version, body: body) }
            return Self.response(try result.get())
        }
    }

    static func response(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}

/// Who a bearer token is, by the token's digest, while the rows that say so
/// (the register's, the user's) are unchanged and a session has not expired.
final class PrincipalCache: @unchecked Sendable {
    struct Entry {
        var principal: Principal
        /// Sessions end; register tokens last until revoked.
        var expiresAt: Int64?
        var identity: [Int64]
        /// A head-office manager or an admin (a person's session only).
        var headOffice: Bool
    }
    private let lock = NSLock()
    private var entries: TwoGenerationMap<String, Entry>

    init(capacity: Int = 10_000) { entries = TwoGenerationMap(capacity: capacity) }

    func get(_ digest: String, identity: [Int64], now: Int64) -> Entry? {
        lock.withLock {
            guard let e = entries.get(digest), e.identity == identity, e.expiresAt.map({ now < $0 }) ?? true else { return nil }
            return e
        }
    }

    func put(_ digest: String, _ entry: Entry) {
        lock.withLock { entries.set(digest, entry) }
    }
}

/// A store's online catalog pages (issue 27), each with the change number it was read at:
/// what a store can promise moves only with a change (stock, an order), and with the clock
/// (an order past its day), hence the minute in the key. Only pages without a search are
/// kept, so the keys are store × page × minute, never a visitor's words.
final class ShopItemCache: @unchecked Sendable {
    struct Key: Hashable {
        var storeId: Int64
        var after: Int64
        var minute: Int64
    }
    private let lock = NSLock()
    private var map = TwoGenerationMap<Key, (version: Int64, items: [ShopItem])>(capacity: 2_000)

    func get(_ key: Key, version: Int64) -> [ShopItem]? {
        lock.withLock {
            guard let entry = map.get(key), entry.version == version else { return nil }
            return entry.items
        }
    }

    func put(_ key: Key, version: Int64, items: [ShopItem]) {
        lock.withLock { map.set(key, (version, items)) }
    }
}
