import CaisseAPI

extension IngestPlan {
    /// Judges a quarantined event head office decided to apply (a plan made with
    /// `init(replaying:)`): believing the till's figures, with no clock mark (head office
    /// chose its date); throws when it still breaks a rule. The same for both dialects.
    public mutating func judgeDecided(_ facts: IngestFacts, storeId: Int64) throws {
        var facts = facts
        facts.waived = [.figuresDiffer]
        facts.clockMark = 0
        facts.receivedAt = 0
        try judge(facts, storeId: storeId)
        if let q = quarantined.first { throw CentralError(.conflict, "the event still cannot be applied: \(q.reason.detail)") }
    }
}

/// What resolving an exception does (issue 23), decided once for both dialects:
/// an exception about an applied event is closed with a note; a quarantined event
/// needs head office's decision, which is itself recorded.
public enum QuarantineDecision: Hashable, Sendable {
    /// Not a quarantined event: the note closes it.
    case close
    /// The books never see the event; the register's journal still holds it.
    case void
    /// The event is judged again as central stands now and applied, dated `dating`
    /// when head office corrected a till's clock (else as the till dated it).
    case apply(dating: Int64?)

    public init(_ exception: CentralException, _ decision: ExceptionDecision?) throws {
        guard exception.resolvedAt == nil else { throw CentralError(.conflict, "exception \(exception.id) is already resolved") }
        let kind = ExceptionKind(rawValue: exception.kind)
        switch (kind?.quarantines ?? false, decision) {
        case (false, nil): self = .close
        case (false, _?):
            throw CentralError(.invalid, "exception \(exception.id) is about an applied event: close it with a note, without a decision")
        case (true, nil):
            throw CentralError(.invalid, "exception \(exception.id) holds a quarantined event: decide apply, correct or void")
        case (true, .void?): self = .void
        case (true, .apply?): self = .apply(dating: nil)
        case (true, .correct?):
            guard kind == .clock else { throw CentralError(.invalid, "only a till's clock is corrected: apply or void exception \(exception.id)") }
            // The day central received it: the exception was recorded in the same transaction.
            self = .apply(dating: exception.createdAt)
        }
    }
}
