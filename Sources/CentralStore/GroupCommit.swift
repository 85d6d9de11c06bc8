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
    var stats: (transactions: Int, batches: Int) { lock.withLock { _stats } }
    /// Pushes waiting for their transaction (tests).
    var waitingCount: Int { lock.withLock { waiting.count } }
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
            if startWriting { scheduleGroup() }
        }
        return try result.get()
    }

    /// Queues one group's transaction on the writer's own queue. Running there,
    /// not in a task, the next group starts as soon as this one commits, even
    /// when the task pool's threads are busy decoding other pushes. One group
    /// per job: writes queued meanwhile (a login, a restock) take their turn.
    private func scheduleGroup() {
        writer.asyncWriteWithoutTransaction { db in
            guard let group = self.nextGroup() else { return }
            let results = Self.write(group.map(\.batch), db)
            let more: Bool = self.lock.withLock {
                self._stats = (self._stats.transactions + 1, self._stats.batches + group.count)
                if self.waiting.isEmpty {
                    self.writing = false
                    return false
                }
                return true
            }
            for (waiter, result) in zip(group, results) { waiter.done.resume(returning: result) }
            if more { self.scheduleGroup() }
        }
    }

    /// One transaction, a savepoint per batch.
    private static func write(_ batches: [DecodedBatch], _ db: Database) -> [Result<IngestOutcome, any Error>] {
        var results: [Result<IngestOutcome, any Error>] = []
        do {
            try db.inTransaction(.immediate) {
                results = try batches.map { batch in
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
                return .commit
            }
        } catch {
            return Array(repeating: .failure(error), count: batches.count)
        }
        return results
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
