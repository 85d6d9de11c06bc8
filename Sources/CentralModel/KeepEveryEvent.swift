import CaisseAPI

extension DecodedBatch {
    /// Applies the batch so that nothing a till wrote can fail its push (issue 23,
    /// rule 4): when the database refuses the batch for what it holds (a constraint,
    /// a value out of a column's range), the batch is applied again event by event,
    /// and the event the database refuses on its own is kept in the journal,
    /// quarantined. A fault of central itself (disk full, database gone) is not the
    /// content's and still fails the push, which the till retries as offline.
    ///
    /// Written once for both dialects: each store passes its transaction and its
    /// own reading of which errors are the content's.
    public func applyKeepingEveryEvent(_ apply: (DecodedBatch) async throws -> IngestOutcome,
                                       isContentFault: (any Error) -> Bool) async throws -> IngestOutcome {
        do {
            return try await apply(self)
        } catch where isContentFault(error) {
            var through: Int64 = 0
            var newEvents = 0
            var exceptions: [ExceptionKind] = []
            for single in singles {
                let outcome: IngestOutcome
                do {
                    outcome = try await apply(single)
                } catch where isContentFault(error) {
                    let event = single.events[0]
                    outcome = try await apply(single.quarantined(Quarantine(
                        .storageRefused, reference: event.id, "the database refused event \(event.sequence) (\(event.type.rawValue)): \(error)")))
                }
                switch outcome {
                case .gap:
                    // Only the first can start after a gap; a later one means another push moved the mark.
                    if newEvents == 0 { return outcome }
                    return .applied(through: through, newEvents: newEvents, exceptions: exceptions)
                case .applied(let t, let n, let x):
                    through = t
                    newEvents += n
                    exceptions += x
                }
            }
            return .applied(through: through, newEvents: newEvents, exceptions: exceptions)
        }
    }
}
