/// Goods sent from one store to another: requested (by the store that needs them or
/// by head office), shipped by the sending store, received by the other. Units
/// shipped and not yet received are in transit; what arrives short or damaged
/// is recorded on the transfer and reported as a loss of the receiving store.
public enum TransferState: String, Hashable, Sendable, Codable, CaseIterable {
    case requested, shipped, received, cancelled

    public var isFinal: Bool { self == .received || self == .cancelled }

    public func label(_ language: Language) -> String {
        let fr = language == .fr
        switch self {
        case .requested: return fr ? "demandé" : "requested"
        case .shipped: return fr ? "en route" : "in transit"
        case .received: return fr ? "reçu" : "received"
        case .cancelled: return fr ? "annulé" : "cancelled"
        }
    }
}

public struct StockTransfer: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var fromStoreId: Int64
    public var toStoreId: Int64
    public var productId: Int64
    /// Units asked for (for a transfer sent without a request, the units shipped).
    public var requested: Int
    /// Units that left the sending store, once shipped.
    public var shipped: Int?
    /// Good units put on the receiving store's shelf, and units that arrived unsellable.
    public var received: Int?
    public var damaged: Int?
    public var state: TransferState
    public var note: String?
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: String, fromStoreId: Int64, toStoreId: Int64, productId: Int64, requested: Int, shipped: Int? = nil,
                received: Int? = nil, damaged: Int? = nil, state: TransferState, note: String? = nil, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.fromStoreId = fromStoreId
        self.toStoreId = toStoreId
        self.productId = productId
        self.requested = requested
        self.shipped = shipped
        self.received = received
        self.damaged = damaged
        self.state = state
        self.note = note
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Units on the road: shipped and not yet received.
    public var inTransit: Int { state == .shipped ? shipped ?? 0 : 0 }

    /// Units that never arrived (negative when more arrived than was shipped), once received.
    public var short: Int {
        guard state == .received, let shipped else { return 0 }
        return shipped - (received ?? 0) - (damaged ?? 0)
    }

    /// What the receiver counted fits what was shipped: good and damaged units, never more.
    public func checkArrival(received: Int, damaged: Int) throws(DomainError) {
        let shipped = shipped ?? 0
        guard received + damaged <= shipped else {
            throw DomainError(.invalidQuantity, "\(shipped) shipped: good + damaged cannot exceed \(shipped)",
                              detail: .arrivalBeyondShipped(shipped: shipped))
        }
    }

    /// The store at the other end, seen from `storeId`.
    public func otherStore(than storeId: Int64) -> Int64 { storeId == fromStoreId ? toStoreId : fromStoreId }

    /// What no honest till or head office writes: checked at the till, at central's API and at ingest.
    public static func validate(id: String, from: Int64, to: Int64, productId: Int64, quantity: Int, note: String?) throws(DomainError) {
        guard !id.isEmpty, DocumentCheck.isCleanText(id, maxLength: 100) else { throw DomainError(.invalidInput, "a transfer needs an id") }
        guard from > 0, to > 0, productId > 0 else { throw DomainError(.invalidInput, "a transfer names two stores and a product") }
        guard from != to else { throw DomainError(.invalidInput, "a transfer goes to another store, not to the one sending it") }
        guard (1...Quantity.maximumPerLine).contains(quantity) else {
            throw DomainError(.invalidInput, "a transfer moves 1 to \(Quantity.maximumPerLine) units")
        }
        if let note { guard DocumentCheck.isCleanText(note, maxLength: 200) else { throw DomainError(.invalidInput, "the note is at most 200 printable characters") } }
    }

    /// What was counted on arrival: good units and damaged units, each 0 or more, not both 0
    /// unless nothing arrived at all (all short).
    public static func validateReceipt(received: Int, damaged: Int) throws(DomainError) {
        guard (0...Quantity.maximumPerLine).contains(received), (0...Quantity.maximumPerLine).contains(damaged) else {
            throw DomainError(.invalidInput, "received and damaged units are 0 to \(Quantity.maximumPerLine)")
        }
    }
}

/// A transfer as the till shows it: which way it goes, the product and the other store.
public struct TransferView: Hashable, Sendable {
    public var transfer: StockTransfer
    /// True when this store sends the goods.
    public var outgoing: Bool
    public var sku: String
    public var productName: String
    public var otherStore: String

    public init(transfer: StockTransfer, outgoing: Bool, sku: String, productName: String, otherStore: String) {
        self.transfer = transfer
        self.outgoing = outgoing
        self.sku = sku
        self.productName = productName
        self.otherStore = otherStore
    }

    /// What this store can do with it now: ship a request addressed to it, receive what is on the road to it.
    public var canShip: Bool { outgoing && transfer.state == .requested }
    public var canReceive: Bool { !outgoing && transfer.state == .shipped }
}

extension StockMovement {
    /// Units leaving the sending store.
    public static func transferOut(storeId: Int64, productId: Int64, quantity: Int, transferId: String) -> StockMovement {
        StockMovement(locationId: storeId, productId: productId, quantity: -quantity, reason: .transferOut, reference: transferId)
    }

    /// Good units entering the receiving store.
    public static func transferIn(storeId: Int64, productId: Int64, quantity: Int, transferId: String) -> StockMovement {
        StockMovement(locationId: storeId, productId: productId, quantity: quantity, reason: .transferIn, reference: transferId)
    }
}
