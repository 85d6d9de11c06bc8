/// A store's request for goods from the central warehouse.
/// requested → approved → shipped → received; rejected or cancelled on the way.
public enum RestockState: String, Hashable, Sendable, Codable, CaseIterable {
    case requested, approved, rejected, shipped, received, cancelled

    public var isFinal: Bool { self == .rejected || self == .received || self == .cancelled }
}

public enum RestockAction: String, Hashable, Sendable, Codable, CaseIterable {
    case approve, reject, ship, receive, cancel

    /// The state an action leads to from `state`, or why it cannot.
    public func apply(to state: RestockState) throws(DomainError) -> RestockState {
        switch (self, state) {
        case (.approve, .requested): return .approved
        case (.reject, .requested), (.reject, .approved): return .rejected
        case (.ship, .approved): return .shipped
        case (.receive, .shipped): return .received
        case (.cancel, .requested), (.cancel, .approved): return .cancelled
        default:
            throw DomainError(.invalidTransition, "cannot \(rawValue) a restock request that is \(state.rawValue)")
        }
    }
}

public struct RestockRequest: Hashable, Sendable, Codable {
    public var id: String
    public var storeId: Int64
    public var productId: Int64
    public var quantity: Int
    public var state: RestockState
    public var note: String?
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: String, storeId: Int64, productId: Int64, quantity: Int, state: RestockState = .requested,
                note: String? = nil, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.storeId = storeId
        self.productId = productId
        self.quantity = quantity
        self.state = state
        self.note = note
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
