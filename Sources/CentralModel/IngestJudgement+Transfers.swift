import CaisseAPI
import CaisseCore

/// The transfers a batch names, moved on event by event (ADR 0017): `judge` runs each
/// transfer event through it, in journal order, and writes what it says.
struct TransferBook {
    private var transfers: [String: StockTransfer]
    private var touched: [String] = []
    private let stores: Set<Int64>
    private let storeId: Int64

    init(facts: IngestFacts, storeId: Int64) {
        transfers = facts.transfers
        stores = facts.stores
        self.storeId = storeId
    }

    /// Each transfer touched, as it stands after the batch.
    var writes: [StockTransfer] { touched.compactMap { transfers[$0] } }

    private mutating func write(_ t: StockTransfer) {
        if !touched.contains(t.id) { touched.append(t.id) }
        transfers[t.id] = t
    }

    /// A store asks another: once, whether journaled again or also made by head office.
    mutating func request(_ r: TransferRequestPayload, sequence: Int64) throws {
        if let known = transfers[r.transferId] {
            guard known.fromStoreId == r.fromStoreId, known.toStoreId == r.toStoreId, known.productId == r.productId else {
                throw CentralError(.conflict, "event \(sequence): transfer \(r.transferId) already exists for other stores or another product")
            }
            return
        }
        guard stores.contains(r.fromStoreId) else {
            throw CentralError(.invalid, "event \(sequence): transfer \(r.transferId) asks store \(r.fromStoreId), which is not a store of the chain")
        }
        write(StockTransfer(id: r.transferId, fromStoreId: r.fromStoreId, toStoreId: r.toStoreId, productId: r.productId,
                            requested: r.quantity, state: .requested, note: r.note, createdAt: 0, updatedAt: 0))
    }

    /// Units left the sending store (its movement is the event's own): they are in transit,
    /// whatever central had decided, which is flagged when it disagrees.
    mutating func ship(_ s: TransferShipmentPayload, sequence: Int64, flag: (ExceptionKind, String, String) -> Void) throws {
        guard stores.contains(s.toStoreId) else {
            throw CentralError(.invalid, "event \(sequence): transfer \(s.transferId) goes to store \(s.toStoreId), which is not a store of the chain")
        }
        guard var t = transfers[s.transferId] else {
            write(StockTransfer(id: s.transferId, fromStoreId: s.fromStoreId, toStoreId: s.toStoreId, productId: s.productId,
                                requested: s.quantity, shipped: s.quantity, state: .shipped, note: s.note, createdAt: 0, updatedAt: 0))
            return
        }
        guard t.fromStoreId == s.fromStoreId, t.toStoreId == s.toStoreId, t.productId == s.productId else {
            throw CentralError(.conflict, "event \(sequence): transfer \(s.transferId) is between other stores or of another product")
        }
        switch t.state {
        case .requested:
            t.state = .shipped
            t.shipped = s.quantity
        case .cancelled:
            flag(.transferConflict, t.id, "transfer \(t.id) was cancelled at central; \(s.quantity) units were shipped anyway and are in transit")
            t.state = .shipped
            t.shipped = s.quantity
        case .shipped:
            flag(.transferConflict, t.id, "transfer \(t.id) was shipped twice; \(s.quantity) more units are in transit")
            t.shipped = (t.shipped ?? 0).adding(saturating: s.quantity)
        case .received:
            flag(.transferConflict, t.id, "transfer \(t.id) was already received; \(s.quantity) units shipped again left the store")
        }
        write(t)
    }

    /// The transfer as received, or nil when central cannot count this receipt (flagged).
    mutating func receive(_ r: TransferReceiptPayload, sequence: Int64, flag: (ExceptionKind, String, String) -> Void) throws -> StockTransfer? {
        guard var t = transfers[r.transferId] else {
            flag(.transferUnknown, r.transferId, "a receipt of transfer \(r.transferId), unknown to central; not counted")
            return nil
        }
        guard t.toStoreId == storeId, t.productId == r.productId else {
            throw CentralError(.forbidden, "event \(sequence): transfer \(r.transferId) goes to store \(t.toStoreId), product \(t.productId)")
        }
        switch t.state {
        case .shipped:
            // The till checks the same against what it knew was shipped, never more than central knows.
            do { try t.checkArrival(received: r.received, damaged: r.damaged) } catch {
                throw CentralError(.invalid, "event \(sequence): transfer \(t.id): \(error.message)")
            }
            t.state = .received
            t.received = r.received
            t.damaged = r.damaged
            write(t)
            return t
        case .received:
            flag(.transferAlreadyReceived, t.id, "transfer \(t.id) was already received; this receipt is not counted again")
        case .requested, .cancelled:
            flag(.transferNotShipped, t.id, "transfer \(t.id) is \(t.state.rawValue), not shipped; the receipt is not counted")
        }
        return nil
    }
}
