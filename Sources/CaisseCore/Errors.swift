/// A business rule said no. The message is for the person at the till: it says
/// what was wrong and, where it helps, what is allowed.
public struct DomainError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        case invalidQuantity = "invalid_quantity"
        case unknownProduct = "unknown_product"
        case inactiveProduct = "inactive_product"
        case unknownLine = "unknown_line"
        case emptyCart = "empty_cart"
        case invalidTender = "invalid_tender"
        case saleNotPaid = "sale_not_paid"
        case alreadyPaid = "already_paid"
        case returnExceedsSold = "return_exceeds_sold"
        case invalidTransition = "invalid_transition"
        case invalidInput = "invalid_input"
        case approvalNeeded = "approval_needed"
    }

    /// What a rule found, with its figures, where the code alone does not say enough to a
    /// person: the till's screens say it in their language (RegisterUI's catalogue).
    public enum Detail: Hashable, Sendable {
        case notEnoughOnShelf(sku: String, onHand: Int, leaving: Int)
        case cashGivenMustBePositive
        case cardAmountMustBePositive
        case cardMoreThanDue(card: Money, due: Money)
        case cardNeedsAReference
        case arrivalBeyondShipped(shipped: Int)
    }

    public var code: Code
    /// In English, for the command line, the logs and central's answers.
    public var message: String
    public var detail: Detail?

    public init(_ code: Code, _ message: String, detail: Detail? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var description: String { message }
}

/// What leaves a shelf was on it: the till's waste, theft, breakage and shipments, and head
/// office's at the warehouse. (A book that is wrong is mended by a count, never by going below zero.)
public enum Shelf {
    public static func check(leaving units: Int, onHand: Int, sku: String) throws(DomainError) {
        guard units <= onHand else {
            throw DomainError(.invalidQuantity, "\(sku): only \(max(0, onHand)) on hand, \(units) cannot leave",
                              detail: .notEnoughOnShelf(sku: sku, onHand: max(0, onHand), leaving: units))
        }
    }
}

/// Units of a product on one line. A till rejects absurd counts early: a
/// scanner that repeats, or a typo of 10000 for 10, should not become a sale.
public enum Quantity {
    public static let maximumPerLine = 9_999

    public static func validate(_ quantity: Int) throws(DomainError) {
        guard quantity > 0 else {
            throw DomainError(.invalidQuantity, "quantity must be at least 1 (got \(quantity))")
        }
        guard quantity <= maximumPerLine else {
            throw DomainError(.invalidQuantity, "quantity \(quantity) is more than \(maximumPerLine) on one line")
        }
    }
}

/// An error that can say why in the till's language (the store's refusals a person meets on screen).
public protocol BilingualError: Error {
    func message(_ language: Language) -> String
}

/// A register-side failure. What a person at the till can cause is a typed `Reason`,
/// which the till's screens say in their language (RegisterUI's catalogue of words);
/// `message` is the English the command line and the logs print.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        case countAlreadyUnderWay
        case nameTheShelf
        case whichCategory([String])
        case noSuchCategory(among: [String])
        case countUnitsAtATime(max: Int)
        case noCountUnderWay
        case notInCountedScope(sku: String, scope: CountScope)
        case noSaleNeedsAManager
        case receiptWidth
        case noTransferHere(String)
        case transferSentByAnotherStore
        case transferGoesToAnotherStore
        case onlyARequestShips(TransferState)
        case onlyAShipmentIsReceived(TransferState)
        case noSuchStore(Int64)
        /// An invariant or a setup step nobody at the screen causes: said in English, for support.
        case unexplained(String)
    }

    public var reason: Reason

    public init(_ reason: Reason) { self.reason = reason }
    public init(_ message: String) { reason = .unexplained(message) }

    public var message: String {
        switch reason {
        case .countAlreadyUnderWay: "a count is already under way: confirm or cancel it first"
        case .nameTheShelf: "name the shelf (at most 60 characters)"
        case .whichCategory(let names): "which one: " + names.joined(separator: ", ")
        case .noSuchCategory(let categories): "no such category; there are: " + categories.joined(separator: ", ")
        case .countUnitsAtATime(let max): "count 1 to \(max) units at a time"
        case .noCountUnderWay: "no count under way: start one first"
        case .notInCountedScope(let sku, let scope): "\(sku) is not in the category counted (\(scope))"
        case .noSaleNeedsAManager: "opening the drawer with no sale needs an active manager of this store"
        case .receiptWidth: "a receipt is 42 columns (80 mm paper) or 32 (58 mm)"
        case .noTransferHere(let id): "no transfer \(id) at this store"
        case .transferSentByAnotherStore: "this transfer is sent by another store"
        case .transferGoesToAnotherStore: "this transfer goes to another store"
        case .onlyARequestShips(let state): "this transfer is \(state.label(.en)): only a request can be shipped"
        case .onlyAShipmentIsReceived(let state): "this transfer is \(state.label(.en)): only a shipped transfer can be received"
        case .noSuchStore(let id): "no store \(id) in this chain"
        case .unexplained(let text): text
        }
    }

    public var description: String { message }

    /// Raised for a damaged database file: the till stops selling (docs/operations.md).
    public static let damagedPrefix = "the till's database is damaged"
    public static func damaged(path: String, detail: String) -> StoreError {
        StoreError("\(damagedPrefix) (\(path): \(detail)). Stop selling on this register and replace it: see docs/operations.md, \"A damaged till database\".")
    }
    public var isDamage: Bool { if case .unexplained(let text) = reason { text.hasPrefix(Self.damagedPrefix) } else { false } }
}
