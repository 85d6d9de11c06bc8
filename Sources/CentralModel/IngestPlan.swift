import CaisseAPI
import CaisseCore
import Foundation

/// One product's loss line in central's loss ledger (`stock_adjustment_line`): from a
/// till's adjustment, or a transfer's damaged or missing units.
public struct LossLine: Hashable, Sendable {
    public var adjustmentId: String
    public var productId: Int64
    public var storeId: Int64
    public var registerId: String
    public var sequence: Int64
    public var day: Day
    public var createdAt: Int64
    public var reason: AdjustmentReason
    public var sku: String
    public var name: String
    /// Signed like a movement: negative left the shelf.
    public var quantity: Int
    /// At retail, signed like the quantity.
    public var value: Money
    /// At the catalog's cost when it has one, signed like the quantity.
    public var cost: Money?
    public var by: Int64
    public var approvedBy: Int64?
}

extension StockAdjustment {
    /// Its lines as the loss ledger keeps them, at cost where `costs` knows the product.
    public func lossLines(day: Day, sequence: Int64, costs: [Int64: Money]) -> [LossLine] {
        lines.map { l in
            LossLine(adjustmentId: id, productId: l.productId, storeId: storeId, registerId: registerId, sequence: sequence, day: day,
                     createdAt: createdAt, reason: reason, sku: l.sku, name: l.name, quantity: l.quantity, value: l.value,
                     cost: costs[l.productId].map { $0 * l.quantity }, by: by, approvedBy: approvedBy)
        }
    }
}

/// A sale or a return as the ledger and the reports keep it.
public struct LedgerDocument: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var lineNo: Int
        public var productId: Int64
        public var sku: String
        public var name: String
        public var quantity: Int
        public var amount: Money
    }
    public var id: String
    public var kind: DocumentKind
    public var receiptNumber: String
    public var storeId: Int64
    public var registerId: String
    public var eventSequence: Int64
    public var createdAt: Int64
    /// The store's local day.
    public var day: Day
    public var items: Int
    public var subtotal: Money
    public var tax: Money
    public var total: Money
    public var lines: [Line]
    /// Every discount of every line (reports by store, promotion, reason, cashier and approver).
    public var discounts: [Discount] = []
    public struct Discount: Hashable, Sendable {
        public var lineNo: Int
        public var position: Int
        public var kind: LineDiscount.Kind
        public var reason: String?
        public var promotionId: Int64?
        public var label: String?
        public var cashierId: Int64
        public var approvedBy: Int64?
        public var amount: Money
    }
    /// A return's original sale.
    public var originalId: String? = nil
    /// Taxes by code (GST and QST apart), as the till computed them.
    public var taxes: [TaxAmount] = []
    public struct TaxAmount: Hashable, Sendable {
        public var code: String
        public var amount: Money
        public init(code: String, amount: Money) {
            self.code = code
            self.amount = amount
        }
    }
}

/// A batch decoded and hashed once, before the transaction that applies it:
/// JSON decoding and SHA-256 are most of an ingest's CPU, and doing them while
/// holding the database's write lock (SQLite) or the register's row lock
/// (PostgreSQL) would serialise them across registers. What depends on the
/// register's current mark is left to `IngestPlan`.
public struct DecodedBatch: Sendable {
    /// What central does with one event: apply its effects, keep it quarantined
    /// (stored in the journal, not applied: ADR 0013 revised), or refuse the batch
    /// (only what breaks the chain or cannot be read).
    enum Verdict: Sendable {
        case effects(Effects)
        case quarantine(Quarantine)
        case refuse(CentralError)
    }
    /// What one event does to central.
    struct Effects: Sendable {
        var document: LedgerDocument?
        var movements: [StockMovement] = []
        var restockRequest: RestockRequestPayload?
        var restockReceipt: RestockReceiptPayload?
        var sale: Sale?
        var saleReturn: SaleReturn?
        var adjustment: (StockAdjustment, Day)?
        var transferRequest: TransferRequestPayload?
        var transferShipment: TransferShipmentPayload?
        /// With the store's local day and the event's time (transit losses are dated by the receipt).
        var transferReceipt: (receipt: TransferReceiptPayload, day: Day, at: Int64)?
        /// An order for pickup moved on by the store (issue 27), at the till's time.
        var orderState: (state: OrderStatePayload, action: OnlineOrder.Action, at: Int64)?
        /// The drawer opened with no sale: nothing in the books, its people checked.
        var noSale: NoSalePayload?
    }
    public let registerId: String
    public let events: [SyncEvent]
    /// Each event's hash recomputed from its content (not the one it claims).
    let computedHashes: [String]
    let effects: [Verdict]

    /// - Parameter dating: head office's date for the events (a quarantined event applied
    ///   with central's correction: the day central received it), replacing the till's.
    /// - Throws: `CentralError` for a batch refused whatever the register's mark.
    public init(register: RegisterRecord, store: Location, events: [SyncEvent], dating: Int64? = nil) throws {
        guard !events.isEmpty else { throw CentralError(.invalid, "the batch has no event") }
        guard events.count <= IngestPlan.maxBatch else { throw CentralError(.invalid, "a batch holds at most \(IngestPlan.maxBatch) events") }
        for (i, event) in events.enumerated() {
            // Ranges before any arithmetic: `sequence + 1` must not trap.
            guard IngestPlan.sequenceRange.contains(event.sequence) else {
                throw CentralError(.invalid, "event sequence \(event.sequence) is outside 1…\(IngestPlan.sequenceRange.upperBound)")
            }
            // The size first: the NUL scan below reads the whole payload.
            guard event.payload.utf8.count <= IngestPlan.maxPayloadBytes else {
                throw CentralError(.invalid, "event \(event.sequence): the payload is over \(IngestPlan.maxPayloadBytes) bytes")
            }
            guard !event.id.isEmpty, DocumentCheck.isCleanText(event.id, maxLength: 100), !event.payload.utf8.contains(0) else {
                throw CentralError(.invalid, "event \(event.sequence): the id is empty, too long or not printable, or the payload holds a NUL")
            }
            guard event.registerId == register.id else {
                throw CentralError(.forbidden, "event \(event.sequence) belongs to register \(event.registerId), not \(register.id)")
            }
            if i > 0, event.sequence != events[i - 1].sequence + 1 {
                throw CentralError(.invalid, "events must be in sequence order without gaps (\(events[i - 1].sequence) then \(event.sequence))")
            }
        }
        registerId = register.id
        self.events = events
        computedHashes = events.map(HashChain.hash(of:))
        let zone = TimeZone(identifier: store.timeZone) ?? TimeZone(identifier: "America/Toronto") ?? .current
        effects = events.map { event in
            // A till's clock fell back (a dead battery, a bad NTP answer): its event is kept, dated by head office.
            guard DocumentLimits.createdAt.contains(dating ?? event.createdAt) else {
                return .quarantine(Quarantine(.clock, reference: event.id,
                                              "the till dated event \(event.sequence) \(Self.isoTime(event.createdAt)), outside 2000–2100"))
            }
            do { return .effects(try Self.effects(of: event, register: register, zone: zone, dating: dating)) } catch let q as Quarantine {
                return .quarantine(q)
            } catch let error as CentralError {
                return .refuse(error)
            } catch {
                return .refuse(CentralError(.invalid, "event \(event.sequence): \(error)"))
            }
        }
    }

    private init(registerId: String, events: [SyncEvent], computedHashes: [String], effects: [Verdict]) {
        self.registerId = registerId
        self.events = events
        self.computedHashes = computedHashes
        self.effects = effects
    }

    /// Each event as a batch of its own, in order: a batch that made the database
    /// fail is applied event by event, so that only the event at fault is quarantined.
    public var singles: [DecodedBatch] {
        events.indices.map { i in
            DecodedBatch(registerId: registerId, events: [events[i]], computedHashes: [computedHashes[i]], effects: [effects[i]])
        }
    }

    /// The same events, each kept in the journal and quarantined for `reason`.
    public func quarantined(_ reason: Quarantine) -> DecodedBatch {
        DecodedBatch(registerId: registerId, events: events, computedHashes: computedHashes,
                     effects: events.map { _ in .quarantine(reason) })
    }

    /// A till's time as a person reads it in an exception ("1970-01-01 00:02 UTC").
    static func isoTime(_ millis: Int64) -> String {
        let seconds = Double(min(max(millis, -62_135_596_800_000), 253_402_300_799_000)) / 1000
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: Date(timeIntervalSince1970: seconds))
    }

    private static func effects(of event: SyncEvent, register: RegisterRecord, zone: TimeZone, dating: Int64?) throws -> Effects {
        // A payload central cannot read (a version newer than this central, a hostile till) is
        // kept in the journal and quarantined: refusing it would stop the till for ever (ADR 0022).
        let document: JournalDocument
        do { document = try event.document() } catch {
            throw Quarantine(.invalidDocument, reference: event.id,
                             "event \(event.sequence): the payload is not a \(event.type.rawValue) this central reads: \(String(describing: error).prefix(300))")
        }
        func requireStore(_ storeId: Int64) throws {
            guard storeId == register.storeId else {
                throw Quarantine(.foreignReference, reference: event.id,
                                 "event \(event.sequence) is for store \(storeId); register \(register.id) belongs to store \(register.storeId)")
            }
        }
        func requireRegister(_ named: String, _ what: String) throws {
            guard named == register.id else {
                throw Quarantine(.foreignReference, reference: event.id, "event \(event.sequence): the \(what) names register \(named), not \(register.id)")
            }
        }
        func day(_ millis: Int64) -> Day {
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000))
            return Day(epochMillis: millis, utcOffsetSeconds: offset)
        }
        /// Refuses a document no honest till can produce, before any sum of its figures.
        func check(_ body: () throws(DomainError) -> Void) throws {
            do { try body() } catch {
                throw Quarantine(.invalidDocument, reference: event.id, "event \(event.sequence): \(error.message)")
            }
        }
        /// A sale or a return: checked, then kept as a ledger document with its movements.
        func record(_ kind: DocumentKind, id: String, receipt: String, storeId: Int64, createdAt: Int64, lines: [SaleLine],
                    subtotal: Money, tax: Money, taxes: [TaxLine], total: Money, movements: [StockMovement], originalId: String? = nil,
                    cashierId: Int64) throws -> Effects {
            try requireStore(storeId)
            var document = LedgerDocument(
                id: id, kind: kind, receiptNumber: receipt, storeId: storeId, registerId: register.id,
                eventSequence: event.sequence, createdAt: createdAt, day: day(createdAt),
                items: lines.reduce(0) { $0 + $1.quantity }, subtotal: subtotal, tax: tax, total: total,
                lines: lines.map { .init(lineNo: $0.lineNo, productId: $0.productId, sku: $0.sku, name: $0.name, quantity: $0.quantity, amount: $0.total) })
            document.originalId = originalId
            // One amount per code: a hostile document could repeat a code.
            var byCode: [String: Money] = [:]
            for t in taxes { byCode[t.code, default: .zero] += t.amount }
            document.taxes = byCode.sorted { $0.key < $1.key }.map { LedgerDocument.TaxAmount(code: $0.key, amount: $0.value) }
            document.discounts = lines.flatMap { line in
                line.discounts.enumerated().map { position, d in
                    LedgerDocument.Discount(lineNo: line.lineNo, position: position + 1, kind: d.kind, reason: d.reason, promotionId: d.promotionId,
                                            label: d.label, cashierId: cashierId, approvedBy: d.approvedBy, amount: d.amount)
                }
            }
            return Effects(document: document, movements: movements)
        }
        switch document {
        case .sale(var sale):
            if let dating { sale.createdAt = dating }
            try check { () throws(DomainError) in try DocumentCheck.sale(sale) }
            try requireRegister(sale.registerId, "sale")
            var effects = try record(.sale, id: sale.id, receipt: sale.receiptNumber, storeId: sale.storeId, createdAt: sale.createdAt,
                                     lines: sale.lines, subtotal: sale.subtotal, tax: sale.taxTotal, taxes: sale.taxes, total: sale.total,
                                     movements: StockMovement.forSale(sale), cashierId: sale.cashierId)
            effects.sale = sale
            return effects
        case .saleReturn(var ret):
            if let dating { ret.createdAt = dating }
            try check { () throws(DomainError) in try DocumentCheck.returnDocument(ret) }
            try requireRegister(ret.registerId, "return")
            var effects = try record(.return, id: ret.id, receipt: ret.receiptNumber, storeId: ret.storeId, createdAt: ret.createdAt,
                                     lines: ret.lines, subtotal: ret.subtotal, tax: ret.taxTotal, taxes: ret.taxes, total: ret.total,
                                     movements: StockMovement.forReturn(ret), originalId: ret.originalSaleId, cashierId: ret.cashierId)
            effects.saleReturn = ret
            return effects
        case .restockRequest(let request):
            try requireStore(request.storeId)
            guard request.quantity > 0, request.quantity <= Quantity.maximumPerLine,
                  !request.requestId.isEmpty, DocumentCheck.isCleanText(request.requestId, maxLength: 100),
                  DocumentCheck.isCleanText(request.note ?? "", maxLength: 500) else {
                throw Quarantine(.invalidDocument, reference: event.id, "event \(event.sequence): restock quantity out of range")
            }
            return Effects(restockRequest: request)
        case .restockReceipt(let receipt):
            try requireStore(receipt.storeId)
            guard (1...Quantity.maximumPerLine).contains(receipt.quantity), DocumentCheck.isCleanText(receipt.requestId, maxLength: 100) else {
                throw Quarantine(.invalidDocument, reference: event.id, "event \(event.sequence): restock receipt out of range")
            }
            return Effects(restockReceipt: receipt)
        case .stockAdjustment(var adjustment):
            if let dating { adjustment.createdAt = dating }
            try requireStore(adjustment.storeId)
            try requireRegister(adjustment.registerId, "adjustment")
            try check { () throws(DomainError) in try adjustment.validate() }
            var effects = Effects(movements: StockMovement.forAdjustment(adjustment))
            effects.adjustment = (adjustment, day(adjustment.createdAt))
            return effects
        case .transferRequest(let r):
            try requireStore(r.toStoreId)
            try check { () throws(DomainError) in
                try StockTransfer.validate(id: r.transferId, from: r.fromStoreId, to: r.toStoreId, productId: r.productId, quantity: r.quantity, note: r.note)
            }
            return Effects(transferRequest: r)
        case .transferShipment(let s):
            try requireStore(s.fromStoreId)
            try check { () throws(DomainError) in
                try StockTransfer.validate(id: s.transferId, from: s.fromStoreId, to: s.toStoreId, productId: s.productId, quantity: s.quantity, note: s.note)
            }
            return Effects(movements: [.transferOut(storeId: s.fromStoreId, productId: s.productId, quantity: s.quantity, transferId: s.transferId)],
                           transferShipment: s)
        case .transferReceipt(let r):
            try requireStore(r.toStoreId)
            try check { () throws(DomainError) in
                guard !r.transferId.isEmpty, DocumentCheck.isCleanText(r.transferId, maxLength: 100), r.productId > 0, r.receivedBy > 0 else {
                    throw DomainError(.invalidInput, "a transfer's receipt names the transfer, its product and who received it")
                }
                try StockTransfer.validateReceipt(received: r.received, damaged: r.damaged)
            }
            let at = dating ?? event.createdAt
            return Effects(transferReceipt: (r, day(at), at))
        case .orderState(let o):
            try requireStore(o.storeId)
            guard let action = OnlineOrder.Action(rawValue: o.action), action != .pickup, (1...64).contains(o.orderId.count),
                  DocumentCheck.isCleanText(o.orderId, maxLength: 64), o.by > 0 else {
                throw Quarantine(.invalidDocument, reference: event.id,
                                 "event \(event.sequence): an order's state names the order, prepare, ready or cancel, and who")
            }
            return Effects(orderState: (o, action, dating ?? event.createdAt))
        case .noSale(let n):
            // Kept in the journal only (the till's X and Z reports count it), checked like every event.
            try requireStore(n.storeId)
            try requireRegister(n.registerId, "no-sale opening")
            guard n.cashierId > 0, n.approvedBy > 0, DocumentCheck.isCleanText(n.sessionId, maxLength: 64), !n.sessionId.isEmpty else {
                throw Quarantine(.invalidDocument, reference: event.id, "event \(event.sequence): a no-sale opening names its session, cashier and manager")
            }
            return Effects(noSale: n)
        case .cashSessionClose(let close):
            // Kept in the journal only (the cash reports read it), but checked like
            // every other event so that central never stores a close it cannot read.
            try requireStore(close.session.storeId)
            try requireRegister(close.session.registerId, "cash session")
            guard close.isConsistent else {
                throw Quarantine(.invalidDocument, reference: event.id, "event \(event.sequence): the cash session close does not add up")
            }
            return Effects()
        }
    }
}

/// What a batch of new events does to central given the register's current
/// mark, worked out before any write so that every store implementation
/// applies exactly the same effects.
public struct IngestPlan: Sendable {
    public var newEvents: [SyncEvent] = []
    /// Events at or below the mark: already applied (a retry); their hashes must match.
    public var duplicates: [SyncEvent] = []
    public var documents: [LedgerDocument] = []
    public var movements: [(sequence: Int64, movement: StockMovement)] = []
    public var restockRequests: [(sequence: Int64, request: RestockRequestPayload)] = []
    public var restockReceipts: [(sequence: Int64, receipt: RestockReceiptPayload)] = []
    /// Every loss line to keep (adjustments, and a transfer's damaged and short units), valued by `judge`.
    public var lossLines: [LossLine] = []
    /// Each transfer the batch touched, as it stands after the batch (set by `judge`).
    public var transferWrites: [StockTransfer] = []
    /// Whether the batch carries transfer events (PostgreSQL locks the change counter before their rows).
    public var touchesTransfers: Bool {
        judged.contains { $0.effects.transferRequest != nil || $0.effects.transferShipment != nil || $0.effects.transferReceipt != nil }
    }
    public var gap: Int64?
    public var registerId = ""
    /// What central's state disagrees with, found by `judge`; each becomes an exception row
    /// (the quarantined events' among them).
    public var exceptions: [ExceptionDraft] = []
    /// New events kept in the journal but not applied, with why (ADR 0013 revised).
    public var quarantined: [(sequence: Int64, reason: Quarantine)] = []
    /// Each new event with its effects, in journal order, for `judge`.
    var judged: [(sequence: Int64, createdAt: Int64, eventId: String, effects: DecodedBatch.Effects)] = []
    /// The latest till time of the register's applied events after the batch (the clock rule's mark).
    public var clockMark: Int64 = 0
    /// Points earned and taken back by the batch (issue 27), set by `judge`.
    public var loyalty: [LoyaltyDraft] = []
    /// Rewards' holds the batch's sales redeemed (issue 27): each written as its settled entry.
    public var redeemedHolds: [LoyaltyEntry] = []
    /// Orders for pickup as they stand after the batch (issue 27), set by `judge`.
    public var orderWrites: [OnlineOrder] = []

    public static let maxBatch = 1_000
    /// A register's journal numbers: far beyond a century of sales, far below Int64.
    public static let sequenceRange: ClosedRange<Int64> = 1...1_000_000_000_000
    public static let maxPayloadBytes = 1_000_000

    /// - Parameter register: the register as the applying transaction reads it (its mark and last hash).
    /// - Throws: `CentralError` for a batch central must refuse whole.
    public init(register: RegisterRecord, batch: DecodedBatch) throws {
        guard register.id == batch.registerId else { throw CentralError(.forbidden, "the batch was decoded for register \(batch.registerId)") }
        registerId = batch.registerId
        let events = batch.events
        let firstNew = events.firstIndex { $0.sequence > register.appliedThrough } ?? events.count
        duplicates = Array(events[..<firstNew])
        newEvents = Array(events[firstNew...])
        guard let first = newEvents.first else { return }
        guard first.sequence == register.appliedThrough + 1 else {
            gap = register.appliedThrough + 1
            return
        }
        do {
            try HashChain.verify(newEvents, computedHashes: Array(batch.computedHashes[firstNew...]),
                                 previousSequence: register.appliedThrough, previousHash: register.lastHash)
        } catch {
            throw CentralError(.chainBroken, "register \(register.id): \(error)")
        }
        var documentIds: Set<String> = []
        for (event, verdict) in zip(newEvents, batch.effects[firstNew...]) {
            let effects: DecodedBatch.Effects
            switch verdict {
            case .refuse(let error): throw error
            case .quarantine(let reason):
                quarantined.append((event.sequence, reason))
                continue
            case .effects(let e): effects = e
            }
            if let d = effects.document, !documentIds.insert(d.id).inserted {
                quarantined.append((event.sequence, Quarantine(.idTaken, reference: d.id, "document \(d.id) appears twice in the batch (event \(event.sequence))")))
                continue
            }
            judged.append((event.sequence, event.createdAt, event.id, effects))
            if let d = effects.document { documents.append(d) }
            movements += effects.movements.map { (event.sequence, $0) }
            if let r = effects.restockRequest { restockRequests.append((event.sequence, r)) }
            if let r = effects.restockReceipt { restockReceipts.append((event.sequence, r)) }
        }
    }

    /// A quarantined event that head office decided to apply, judged again as it stands
    /// now: no chain or mark to check (it is in the journal already), and the clock rule
    /// waived (head office chose its date).
    public init(replaying batch: DecodedBatch) throws {
        registerId = batch.registerId
        newEvents = batch.events
        for (event, verdict) in zip(batch.events, batch.effects) {
            switch verdict {
            case .refuse(let error): throw error
            case .quarantine(let reason): quarantined.append((event.sequence, reason))
            case .effects(let effects):
                judged.append((event.sequence, event.createdAt, event.id, effects))
                if let d = effects.document { documents.append(d) }
                movements += effects.movements.map { (event.sequence, $0) }
                if let r = effects.restockRequest { restockRequests.append((event.sequence, r)) }
                if let r = effects.restockReceipt { restockReceipts.append((event.sequence, r)) }
            }
        }
    }

    /// Decodes and plans in one step (when nothing else runs between the two).
    public init(register: RegisterRecord, store: Location, events: [SyncEvent]) throws {
        try self.init(register: register, batch: try DecodedBatch(register: register, store: store, events: events))
    }
}
