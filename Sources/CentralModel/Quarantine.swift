import CaisseAPI
import CaisseCore
import Foundation

/// Why a chain-valid event is kept but not applied (ADR 0013 revised): thrown by the
/// rules, caught per event, so that the till's later events go on being applied.
public struct Quarantine: Error, Hashable, Sendable, CustomStringConvertible {
    public var kind: ExceptionKind
    /// The document, request or event it is about.
    public var reference: String
    public var detail: String
    public init(_ kind: ExceptionKind, reference: String, _ detail: String) {
        self.kind = kind
        self.reference = reference
        self.detail = detail
    }
    public var description: String { detail }
}

extension Quarantine {
    /// A rule's refusal, as the reason the event is set aside.
    init(_ error: any Error, eventId: String) {
        if let q = error as? Quarantine {
            self = q
            return
        }
        let kind: ExceptionKind
        switch (error as? CentralError)?.kind {
        case .forbidden?: kind = .foreignReference
        case .conflict?: kind = .idTaken
        case .notFound?: kind = .unknownReference
        default: kind = .invalidDocument
        }
        self.init(kind, reference: eventId, (error as? CentralError)?.message ?? "\(error)")
    }
}

/// The rules that set an event aside, beside `judge`, and what the books keep of an applied one.
extension IngestPlan {
    /// A till's clock, as far as central can tell: an event dated more than a day
    /// ahead of central, or more than five minutes before the register's latest
    /// applied event, is quarantined (a few minutes' NTP step back is normal).
    static func checkClock(_ createdAt: Int64, sequence: Int64, eventId: String, mark: Int64, receivedAt: Int64) throws {
        if receivedAt > 0, createdAt > receivedAt + 86_400_000 {
            throw Quarantine(.clock, reference: eventId,
                             "event \(sequence) is dated \(DecodedBatch.isoTime(createdAt)), more than a day ahead of central's clock (\(DecodedBatch.isoTime(receivedAt)))")
        }
        if createdAt < mark - 300_000 {
            throw Quarantine(.clock, reference: eventId,
                             "event \(sequence) is dated \(DecodedBatch.isoTime(createdAt)), before the register's previous event (\(DecodedBatch.isoTime(mark)))")
        }
    }

    /// A document as the ledger and its aggregates keep it: labels are central's (product
    /// SKU and name, promotion name), and every key is of a closed set central owns (issue 24:
    /// till strings as keys made one day's discount aggregate a million rows). What the till
    /// wrote stays in the journal.
    static func inCentralsWords(_ document: LedgerDocument, _ facts: IngestFacts) -> LedgerDocument {
        var d = document
        for i in d.lines.indices {
            if let p = facts.products[d.lines[i].productId], !p.sku.isEmpty {
                d.lines[i].sku = p.sku
                d.lines[i].name = p.name
            }
        }
        for i in d.discounts.indices {
            d.discounts[i].label = d.discounts[i].promotionId.flatMap { facts.promotions[$0]?.name }
            if let reason = d.discounts[i].reason, DiscountReason(rawValue: reason) == nil { d.discounts[i].reason = DiscountReason.other.rawValue }
        }
        let codes = Set(facts.taxRates.map(\.code))
        var taxes: [String: Money] = [:]
        for t in d.taxes { taxes[codes.contains(t.code) ? t.code : "other", default: .zero] += t.amount }
        d.taxes = taxes.sorted { $0.key < $1.key }.map { LedgerDocument.TaxAmount(code: $0.key, amount: $0.value) }
        return d
    }

    /// Every product an event names, so that one central does not know sets the event aside.
    static func products(of effects: DecodedBatch.Effects, transfers: [String: StockTransfer]) -> [Int64] {
        var ids = effects.document?.lines.map(\.productId) ?? []
        if let (a, _) = effects.adjustment { ids += a.lines.map(\.productId) }
        if let r = effects.restockRequest { ids.append(r.productId) }
        if let r = effects.transferRequest { ids.append(r.productId) }
        if let s = effects.transferShipment { ids.append(s.productId) }
        if let r = effects.transferReceipt { ids.append(r.receipt.productId) }
        return ids
    }
}
