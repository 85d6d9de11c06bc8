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

    public var code: Code
    public var message: String
    /// The same in French, where the rule says it for a person at a French till.
    public var french: String?

    public init(_ code: Code, _ message: String, fr french: String? = nil) {
        self.code = code
        self.message = message
        self.french = french
    }

    public var description: String { message }
}

/// What leaves a shelf was on it: the till's waste, theft, breakage and shipments, and head
/// office's at the warehouse. (A book that is wrong is mended by a count, never by going below zero.)
public enum Shelf {
    public static func check(leaving units: Int, onHand: Int, sku: String) throws(DomainError) {
        guard units <= onHand else {
            throw DomainError(.invalidQuantity, "\(sku): only \(max(0, onHand)) on hand, \(units) cannot leave",
                              fr: "\(sku) : seulement \(max(0, onHand)) en stock, impossible d'en sortir \(units).")
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
