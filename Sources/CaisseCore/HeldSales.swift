/// A sale not yet paid, kept by the till: the cart that was on screen when the
/// till stopped, or one put aside (parked) while another customer is served.
public struct HeldCart: Hashable, Sendable {
    public var id: Int64
    public var cashierId: Int64
    public var createdAt: Int64
    public var cart: Cart

    public init(id: Int64, cashierId: Int64, createdAt: Int64, cart: Cart) {
        self.id = id
        self.cashierId = cashierId
        self.createdAt = createdAt
        self.cart = cart
    }
}

/// One line of the list of today's sales (returns and reprints pick from it).
public struct SaleSummary: Hashable, Sendable {
    public var receiptNumber: String
    public var createdAt: Int64
    public var total: Money
    public var itemCount: Int
    /// Units already returned from it.
    public var returnedCount: Int

    public init(receiptNumber: String, createdAt: Int64, total: Money, itemCount: Int, returnedCount: Int) {
        self.receiptNumber = receiptNumber
        self.createdAt = createdAt
        self.total = total
        self.itemCount = itemCount
        self.returnedCount = returnedCount
    }
}

/// The drawer counted bill by bill and coin by coin (Canadian money, no 1 ¢):
/// the total is what the cashier counted, never a figure typed from a report.
public struct DrawerCount: Hashable, Sendable {
    /// Largest first, as a drawer is laid out.
    public static let denominations: [Money] = [10_000, 5_000, 2_000, 1_000, 500, 200, 100, 25, 10, 5].map { Money(cents: $0) }
    /// Bills are 5 $ and up; the rest are coins.
    public static func isBill(_ denomination: Money) -> Bool { denomination.cents >= 500 }
    /// More pieces of one kind than any drawer holds: a typo.
    public static let maximumPieces = 9_999

    /// Pieces of each denomination, in `denominations` order.
    public private(set) var pieces: [Int]

    public init() { pieces = Array(repeating: 0, count: Self.denominations.count) }

    /// The fewest pieces that make `amount` (largest first); what is below 5 ¢ is left out.
    public init(fewestPiecesFor amount: Money) {
        self.init()
        var rest = max(0, amount.cents)
        for (i, d) in Self.denominations.enumerated() {
            pieces[i] = Int(rest / d.cents)
            rest -= Int64(pieces[i]) * d.cents
        }
    }

    /// The keys that type this count on the closing screen: each row's pieces then Enter
    /// (the last row's Enter shows the count against what was expected).
    public var keyScript: String {
        pieces.map { ($0 > 0 ? String($0) : "") + "<enter>" }.joined()
    }

    public mutating func set(_ index: Int, pieces count: Int) {
        guard pieces.indices.contains(index) else { return }
        pieces[index] = min(max(0, count), Self.maximumPieces)
    }

    public func amount(_ index: Int) -> Money { Self.denominations[index] * pieces[index] }
    public var total: Money { pieces.indices.reduce(.zero) { $0 + amount($1) } }
}
