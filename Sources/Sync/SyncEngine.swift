import CaisseCore
import CaisseAPI
import Foundation
import RegisterStore

/// What the TUI's status bar shows.
public struct SyncStatus: Hashable, Sendable {
    /// nil until the first attempt.
    public var online: Bool?
    public var pending: Int
    public var lastSuccess: Int64?
    public var lastError: String?
    /// The local database is damaged: the till stops selling.
    public var damaged = false
    /// Central was found restored from a backup, and this till sent it its journal again.
    public var centralRestored = false
    /// How far the till's clock is from central's (the `Date` of its last answer), in seconds;
    /// nil until an answer carried one.
    public var clockSkewSeconds: Int64?
    /// More than five minutes apart: the status bar says so (issue 23).
    public var clockIsOff: Bool { (clockSkewSeconds.map { abs($0) } ?? 0) > 300 }
}

/// The outcome of one cycle (push everything pending, then pull).
public struct SyncReport: Hashable, Sendable {
    public var reached: Bool
    public var pushed: Int
    public var pending: Int
    public var productsPulled: Int
    public var error: String?
    /// The till's own database is damaged (not a network problem).
    public var damaged = false
    /// Seconds this till's clock is ahead of central's (negative: behind), when central answered.
    public var clockSkewSeconds: Int64?
    /// How far the true skew may be from `clockSkewSeconds` (half the round trip plus half a second).
    public var clockUncertaintySeconds: Double?
    /// Central had been restored from a backup: this till sent it its journal again.
    public var centralRestored = false
}

/// Exponential backoff with full jitter, capped: many tills coming back at once
/// after an outage do not hammer central in step.
public struct Backoff: Sendable {
    public var base: Double = 0.5
    public var cap: Double = 30
    var attempt = 0

    public init(base: Double = 0.5, cap: Double = 30) {
        self.base = base
        self.cap = cap
    }

    public mutating func next() -> Double {
        let ceiling = min(cap, base * pow(2, Double(attempt)))
        attempt += 1
        return Double.random(in: 0...ceiling)
    }

    public mutating func reset() { attempt = 0 }
}

/// Pushes the outbox and pulls changes for one register; runs once (`caisse
/// sync`) or in the background of the TUI. Never drops or reorders an event:
/// an event leaves the outbox only when central's mark covers it.
public actor SyncEngine {
    let store: RegisterStore
    let client: SyncClient
    public private(set) var status: SyncStatus
    let batchSize: Int
    /// How often the stock feed is pulled (issue 26): the change feed every cycle, the store's
    /// stock about once a minute; 0 pulls it every cycle.
    let stockInterval: TimeInterval
    var lastStockPull: Date?

    public init(store: RegisterStore, client: SyncClient, batchSize: Int = 500, stockInterval: TimeInterval = 60) throws {
        self.store = store
        var client = client
        // The till's log beside its database: each request's id, as central logs it (issue 29).
        if client.log == nil, let path = store.path { client.log = TillLog(path: path + ".log") }
        self.client = client
        self.batchSize = batchSize
        self.stockInterval = stockInterval
        let settings = try store.syncSettings()
        status = SyncStatus(online: nil, pending: try store.pendingCount(), lastSuccess: settings?.lastSuccess, lastError: settings?.lastError)
    }

    /// One cycle. Errors are reported, not thrown: being offline is a normal state.
    public func syncOnce() async -> SyncReport {
        var pushed = 0
        var pulled = 0
        do {
            pushed = try await pushAll()
            guard let settings = try store.syncSettings() else { throw SyncError("this register is not enrolled", transient: false) }
            var pages = try await client.allChanges(since: settings.cursor, stockApart: true)
            // Central holds less of this till's journal than it acknowledged: it was restored
            // from a backup (issue 23). Send again from its mark, and take its state anew.
            if let mark = pages.last?.appliedThrough, mark < (try store.deliveredThrough()) {
                try store.centralRestored(appliedThrough: mark)
                status.centralRestored = true
                lastStockPull = nil
                pushed += try await pushAll()
                pages = try await client.allChanges(since: 0, stockApart: true)
                if try store.applyChanges(pages, pulledFrom: 0) { pulled = pages.reduce(0) { $0 + $1.products.count } }
            } else if try store.applyChanges(pages, pulledFrom: settings.cursor) {
                // False when another sync of this database applied a newer pull meanwhile.
                pulled = pages.reduce(0) { $0 + $1.products.count }
            }
            // A central that predates the stock feed sent the stock in its pages (stockApart nil).
            if pages.last?.stockApart == true, lastStockPull.map({ Date().timeIntervalSince($0) >= stockInterval }) ?? true {
                let from = try store.syncSettings()?.stockCursor ?? 0
                _ = try store.applyStock(try await client.allStock(since: from), pulledFrom: from)
                lastStockPull = Date()
            }
            status.online = true
            status.clockSkewSeconds = client.centralClock.skewSeconds
            status.lastSuccess = try store.syncSettings()?.lastSuccess
            status.lastError = nil
        } catch {
            // A damaged local database is not "offline": the till must stop and say so.
            if RegisterStore.isCorruption(error) || (error as? StoreError)?.isDamage == true {
                status.damaged = true
                status.online = nil
                status.lastError = (error as? StoreError)?.message ?? StoreError.damaged(path: "", detail: "\(error)").message
                return SyncReport(reached: false, pushed: pushed, pending: status.pending, productsPulled: pulled, error: status.lastError,
                                  damaged: true)
            }
            status.online = (error as? SyncError)?.transient == false
            status.lastError = "\(error)"
            try? store.recordSyncFailure("\(error)")
        }
        status.pending = (try? store.pendingCount()) ?? status.pending
        var report = SyncReport(reached: status.online == true, pushed: pushed, pending: status.pending, productsPulled: pulled, error: status.lastError)
        report.clockSkewSeconds = client.centralClock.skewSeconds
        report.clockUncertaintySeconds = client.centralClock.uncertaintySeconds
        report.centralRestored = status.centralRestored
        status.centralRestored = false
        return report
    }

    func pushAll() async throws -> Int {
        var pushed = 0
        while true {
            let events = try store.pendingEvents(limit: batchSize)
            guard let first = events.first, let last = events.last else { return pushed }
            switch try await client.push(events) {
            case .acknowledged(let through):
                guard through >= first.sequence else { throw SyncError("central acknowledged \(through), before \(first.sequence)", transient: true) }
                try store.markDelivered(upTo: min(through, last.sequence))
                pushed += Int(min(through, last.sequence) - first.sequence + 1)
            case .gap(let expected):
                // Central has everything before `expected`: trust its mark and resend from there.
                guard expected <= last.sequence + 1 else {
                    throw SyncError("central expects event \(expected) but this register has only \(last.sequence)", transient: false)
                }
                if expected > first.sequence {
                    try store.markDelivered(upTo: expected - 1)
                } else {
                    try store.markUndelivered(from: expected)
                }
            }
            status.pending = try store.pendingCount()
        }
    }

    /// Syncs until cancelled: every `interval` seconds when all is well, sooner
    /// with backoff and jitter after a failure.
    public func run(interval: Double = 5, onCycle: (@Sendable (SyncReport) -> Void)? = nil) async {
        var backoff = Backoff()
        while !Task.isCancelled {
            let report = await syncOnce()
            onCycle?(report)
            let wait: Double
            if report.reached {
                backoff.reset()
                wait = interval
            } else {
                wait = backoff.next()
            }
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
        }
    }
}
