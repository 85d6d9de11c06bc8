import Foundation
import GRDB

/// Group commit for sync pushes on SQLite. Batches that arrive while a
/// transaction is being written wait, then go together in the next one, each
/// in its own savepoint: a refused batch rolls back alone, and the others share
/// one commit — one WAL sync instead of one per batch, and the pages they both
/// touch (stock rows, index pages) written once. One push alone is one
/// transaction, as before. ADR 0012 has the measurements.
final class GroupCommit: @unchecked Sendable {
    private typealias Waiter = (batch: DecodedBatch, done: CheckedContinuation<Result<IngestOutcome, any Error>, Never>)
    private let writer: any DatabaseWriter
    private let lock = NSLock()
    private var waiting: [Waiter] = []
    private var writing = false
    /// A transaction holds at most this many events (bounded memory and lock time).
    private let maxEvents: Int
    /// Transactions written and batches they held (tests, and a figure for tuning).
    private(set) var stats: (transactions: Int, batches: Int) {
        get { lock.withLock { _stats } }
        set { lock.withLock { _stats = newValue } }
    }
    private var _stats = (transactions: 0, batches: 0)

    init(writer: any DatabaseWriter, maxEvents: Int = 5_000) {
        self.writer = writer
        self.maxEvents = maxEvents
    }

    func apply(_ batch: DecodedBatch) async throws -> IngestOutcome {
        let result = await withCheckedContinuation { (done: CheckedContinuation<Result<IngestOutcome, any Error>, Never>) in
            let startWriting: Bool = lock.withLock {
                waiting.append((batch, done))
                if writing { return false }
                writing = true
                return true
            }
            if startWriting { Task { await self.drain() } }
        }
        return try result.get()
    }

    /// Writes groups until nobody waits. Only one drain runs at a time.
    private func drain() async {
        while let group = nextGroup() {
            let batches = group.map(\.batch)
            let results: [Result<IngestOutcome, any Error>]
            do {
                results = try await writer.write { db in
                    try batches.map { batch in
                        var outcome: Result<IngestOutcome, any Error> = .failure(CancellationError())
                        do {
                            try db.inSavepoint {
                                outcome = .success(try SQLiteCentralStore.ingest(db, batch: batch))
                                return .commit
                            }
                        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL || error.resultCode == .SQLITE_IOERR {
                            throw error   // the transaction itself failed: nothing of the group is kept
                        } catch {
                            outcome = .failure(error)
                        }
                        return outcome
                    }
                }
            } catch {
                results = Array(repeating: .failure(error), count: group.count)
            }
            lock.withLock { _stats = (_stats.transactions + 1, _stats.batches + group.count) }
            for (waiter, result) in zip(group, results) { waiter.done.resume(returning: result) }
        }
    }

    private func nextGroup() -> [Waiter]? {
        lock.withLock {
            guard !waiting.isEmpty else {
                writing = false
                return nil
            }
            var events = 0
            var count = 0
            for w in waiting {
                if count > 0 && events + w.batch.events.count > maxEvents { break }
                events += w.batch.events.count
                count += 1
            }
            let group = Array(waiting.prefix(count))
            waiting.removeFirst(count)
            return group
        }
    }
}
