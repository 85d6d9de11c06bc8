import CaisseAPI
import CaisseCore

/// Ingest, written once for both dialects (issue 25, ADR 0016): the steps, their order and
/// every rule between them live here; a dialect only answers what a step asks, with its SQL.
///
/// The use case is "sans-IO" (it never calls the database): SQLite answers inside GRDB's
/// synchronous transaction and PostgreSQL with awaits, and neither can host the other's calls,
/// so each store drives the same typed steps, in the order the types allow:
///
///     let started = try IngestSteps.start(batch, locked: <register row, locked>)
///     switch try started.checked(storedHashes: <hashes of started.duplicateSequences>) {
///     case .finished(let outcome): return outcome
///     case .judge(let judging):
///         let write = try judging.judged(facts: <facts of judging.factsNeeded>, at: now)
///         <write: events, effects, mark>
///         return write.outcome
///     }
public enum IngestSteps {
    /// The register's row as the applying transaction locked and read it.
    public static func start(_ batch: DecodedBatch, locked register: RegisterRecord?) throws -> Started {
        guard let register else { throw CentralError(.notFound, "unknown register \(batch.registerId)") }
        // Here, under the register's lock, not only where the token was read: a revoked till pushes nothing.
        try register.requireActive()
        return Started(register: register, plan: try IngestPlan(register: register, batch: batch))
    }

    /// A head office decision to apply a quarantined event (issue 23): the event is in the
    /// journal already, so there is no chain or mark to check.
    public static func replay(register: RegisterRecord?, store: Location?, stored event: SyncEvent?, sequence: Int64,
                              dating: Int64?) throws -> Replaying {
        guard let register, let store, let event else {
            throw CentralError(.notFound, "no event \(sequence) of register \(register?.id ?? "?")")
        }
        let plan = try IngestPlan(replaying: try DecodedBatch(register: register, store: store, events: [event], dating: dating))
        return Replaying(register: register, plan: plan)
    }

    public struct Started: Sendable {
        public let register: RegisterRecord
        let plan: IngestPlan
        /// Events at or below the register's mark: a retry, whose stored hashes the dialect reads.
        public var duplicateSequences: [Int64] { plan.duplicates.map(\.sequence) }

        /// A retried event must be the very one applied: a re-installed till that
        /// starts again at 1 must not be taken for a retry.
        public func checked(storedHashes: [Int64: String]) throws -> Checked {
            for dup in plan.duplicates where storedHashes[dup.sequence] != dup.hash {
                throw CentralError(.journalConflict, "event \(dup.sequence) of register \(register.id) differs from the one already applied")
            }
            if let expected = plan.gap { return .finished(.gap(expected: expected)) }
            guard !plan.newEvents.isEmpty else { return .finished(.applied(through: register.appliedThrough, newEvents: 0)) }
            return .judge(Judging(register: register, plan: plan))
        }
    }

    public enum Checked: Sendable {
        /// Nothing to write: every event was applied already, or the batch starts after a gap.
        case finished(IngestOutcome)
        case judge(Judging)
    }

    public struct Judging: Sendable {
        public let register: RegisterRecord
        let plan: IngestPlan
        public var storeId: Int64 { register.storeId }
        public var factsNeeded: FactsNeeded { plan.factsNeeded }
        /// The rows `facts` locks (restock requests, transfers) are also rows whose change
        /// numbers the write takes: a dialect that locks rows takes the change counter first,
        /// as every writer does, so that no two writers wait on each other.
        public var locksChangedRows: Bool { !plan.restockReceipts.isEmpty || !plan.restockRequests.isEmpty || plan.touchesTransfers }
        /// At most how many change numbers the write takes.
        public var changeNumbersNeeded: Int {
            2 * plan.movements.count + plan.restockRequests.count + 2 * plan.restockReceipts.count + 2 * plan.newEvents.count
        }

        /// - Parameters:
        ///   - facts: central's state about what the batch refers to, with the register's clock mark.
        ///   - now: central's clock, the events' time of receipt.
        public func judged(facts: IngestFacts, at now: Int64) throws -> IngestWrite {
            var facts = facts
            facts.receivedAt = now
            var plan = plan
            try plan.judge(facts, storeId: register.storeId)
            return IngestWrite(register: register, plan: plan, receivedAt: now)
        }
    }

    public struct Replaying: Sendable {
        public let register: RegisterRecord
        let plan: IngestPlan
        public var storeId: Int64 { register.storeId }
        public var factsNeeded: FactsNeeded { plan.factsNeeded }
        public var changeNumbersNeeded: Int {
            2 * plan.movements.count + plan.restockRequests.count + 2 * plan.restockReceipts.count + 2
        }
        /// Judged as central stands now, believing the till's figures (head office decided);
        /// throws when the event still breaks a rule.
        public func judged(facts: IngestFacts) throws -> IngestPlan {
            var plan = plan
            try plan.judgeDecided(facts, storeId: register.storeId)
            return plan
        }
    }
}

/// What one judged batch writes, in this order, in the transaction that locked the register:
/// the new events (with `receivedAt`), the plan's effects, then the register's new mark.
public struct IngestWrite: Sendable {
    public let register: RegisterRecord
    public let plan: IngestPlan
    public let receivedAt: Int64
    public var registerId: String { register.id }
    public var storeId: Int64 { register.storeId }
    public var events: [SyncEvent] { plan.newEvents }
    /// The register's mark after the batch: its last event, and the clock rule's mark.
    public var through: Int64 { plan.newEvents.last?.sequence ?? register.appliedThrough }
    public var lastHash: String { plan.newEvents.last?.hash ?? register.lastHash }
    public var clockMark: Int64 { plan.clockMark }
    public var outcome: IngestOutcome {
        .applied(through: through, newEvents: plan.newEvents.count, exceptions: plan.exceptions.map(\.kind))
    }
}
