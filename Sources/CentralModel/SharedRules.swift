import CaisseAPI
import CaisseCore

/// One step of a restock request's life and its stock effect, decided once for
/// every store: each store reads the request (and, to ship, the warehouse's
/// on-hand) with its own SQL, then writes what this says.
public struct RestockStep: Hashable, Sendable {
    /// The request after the step.
    public var request: RestockRequest
    /// Goods leaving the warehouse (ship) or entering the store (receive).
    public var movement: StockMovement?

    /// - Parameters:
    ///   - expectedStore: the store a register acting on it belongs to (nil for head office).
    ///   - warehouse: the warehouse's id and its on-hand of the product, read when shipping.
    public static func plan(_ current: RestockRequest, action: RestockAction, expectedStore: Int64?,
                            warehouse: (id: Int64, onHand: Int)?, at time: Int64) throws -> RestockStep {
        if let expectedStore, current.storeId != expectedStore {
            throw CentralError(.forbidden, "restock request \(current.id) belongs to store \(current.storeId)")
        }
        var request = current
        do { request.state = try action.apply(to: current.state) } catch {
            throw CentralError(.invalidTransition, error.message)
        }
        request.updatedAt = time
        switch action {
        case .ship:
            guard let warehouse else { throw CentralError(.notFound, "the chain has no warehouse") }
            guard warehouse.onHand >= request.quantity else {
                throw CentralError(.insufficientStock, "the warehouse has \(warehouse.onHand) of product \(request.productId); \(request.quantity) requested")
            }
            return RestockStep(request: request, movement: StockMovement(locationId: warehouse.id, productId: request.productId,
                                                                           quantity: -request.quantity, reason: .restockShipment, reference: request.id))
        case .receive:
            return RestockStep(request: request, movement: StockMovement(locationId: request.storeId, productId: request.productId,
                                                                           quantity: request.quantity, reason: .restockReceipt, reference: request.id))
        case .approve, .reject, .cancel:
            return RestockStep(request: request, movement: nil)
        }
    }
}

/// What is wrong with a register's journal as central stored it, or nil:
/// the same verdict whichever store read the events.
public enum JournalAudit {
    public static func problem(register: RegisterRecord, storedEvents events: [SyncEvent]) -> String? {
        do { try HashChain.verify(events) } catch { return "\(error)" }
        if let last = events.last, last.sequence != register.appliedThrough || last.hash != register.lastHash {
            return "the stored journal ends at \(last.sequence), the register's mark is \(register.appliedThrough)"
        }
        if events.isEmpty, register.appliedThrough != 0 {
            return "no stored event, the register's mark is \(register.appliedThrough)"
        }
        if let flag = register.auditFlag { return "refused a batch: \(flag)" }
        return nil
    }
}

extension RestockRequest {
    /// Head office's new restock request for a store (written once, issue 25), from what the
    /// writing transaction read: the store, and whether the product is active (nil: unknown).
    public static func judgedNew(id: String, store: Location?, storeId: Int64, productId: Int64, productActive: Bool?, quantity: Int,
                                 note: String?, at time: Int64) throws -> RestockRequest {
        try Quantity.validate(quantity)
        guard let store else { throw CentralError(.notFound, "unknown store \(storeId)") }
        guard store.sells else { throw CentralError(.invalid, "\(store.name) does not sell: it cannot ask for restock") }
        guard productActive == true else { throw CentralError(.notFound, "unknown or inactive product \(productId)") }
        return RestockRequest(id: id, storeId: storeId, productId: productId, quantity: quantity, note: note, createdAt: time, updatedAt: time)
    }
}
