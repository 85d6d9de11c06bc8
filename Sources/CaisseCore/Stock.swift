/// Why stock moved. Every change of on-hand is one of these, never an overwrite.
public enum MovementReason: String, Hashable, Sendable, Codable, CaseIterable {
    case sale
    case `return`
    /// Goods leaving the central warehouse for a store.
    case restockShipment = "restock_shipment"
    /// Goods arriving at a store from the warehouse.
    case restockReceipt = "restock_receipt"
    /// Counted correction, breakage, theft, opening balance.
    case adjustment
    /// Goods leaving a store for another store, and arriving there (issue 17).
    case transferOut = "transfer_out"
    case transferIn = "transfer_in"
}

/// A signed change of on-hand for one product at one location (store or warehouse).
public struct StockMovement: Hashable, Sendable, Codable {
    public var locationId: Int64
    public var productId: Int64
    /// Negative leaves the location (sale, shipment), positive enters it.
    public var quantity: Int
    public var reason: MovementReason
    /// The document that caused it: sale id, return id, restock request id.
    public var reference: String

    public init(locationId: Int64, productId: Int64, quantity: Int, reason: MovementReason, reference: String) {
        self.locationId = locationId
        self.productId = productId
        self.quantity = quantity
        self.reason = reason
        self.reference = reference
    }

    /// The stock effect of a sale: one outgoing movement per line.
    public static func forSale(_ sale: Sale) -> [StockMovement] {
        sale.lines.map { StockMovement(locationId: sale.storeId, productId: $0.productId, quantity: -$0.quantity, reason: .sale, reference: sale.id) }
    }

    /// The stock effect of a return: returned goods go back on the shelf.
    public static func forReturn(_ ret: SaleReturn) -> [StockMovement] {
        ret.lines.map { StockMovement(locationId: ret.storeId, productId: $0.productId, quantity: $0.quantity, reason: .return, reference: ret.id) }
    }
}

/// How a product's on-hand compares with its thresholds.
public enum StockStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// On-hand ≤ 0: nothing to sell (offline sales may even drive it negative).
    case out
    /// 0 < on-hand ≤ reorder point: time to reorder.
    case low
    case ok
    /// On-hand > overstock threshold: capital sleeping on the shelf.
    case over

    public static func classify(onHand: Int, reorderPoint: Int, overstockThreshold: Int) -> StockStatus {
        if onHand <= 0 { return .out }
        if onHand <= reorderPoint { return .low }
        if onHand > overstockThreshold { return .over }
        return .ok
    }

    /// How many to order to bring a low product back to its overstock threshold
    /// (the most a store should hold), never less than one.
    public static func suggestedReorder(onHand: Int, reorderPoint: Int, overstockThreshold: Int) -> Int {
        guard onHand <= reorderPoint else { return 0 }
        return max(1, overstockThreshold - max(onHand, 0))
    }
}

/// Which positions a stock list shows. One rule for the till's own listing and
/// for central's figures read live: "low" includes what is out.
public enum StockFilter: String, Hashable, Sendable, CaseIterable {
    case all, low, out, over

    public func admits(_ status: StockStatus) -> Bool {
        switch self {
        case .all: true
        case .low: status == .low || status == .out
        case .out: status == .out
        case .over: status == .over
        }
    }
}
