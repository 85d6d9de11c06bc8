import CaisseCore

/// A customer of the chain (issue 27), as central keeps them. Personal fields are nil once
/// the customer is erased (their sales and points stay in the books, their person is gone).
public struct Customer: Hashable, Sendable, Codable {
    public var id: Int64
    /// The loyalty card number (an EAN-13 starting with 29) the till scans.
    public var cardNumber: String
    public var name: String?
    public var email: String?
    public var phone: String?
    /// "fr" or "en".
    public var language: String
    /// When the customer agreed to earn points, and to receive offers (nil: not agreed).
    public var loyaltyConsentAt: Int64?
    public var marketingConsentAt: Int64?
    public var createdAt: Int64
    /// Where the account was opened (nil: on the web).
    public var storeId: Int64?
    public var erasedAt: Int64?

    public init(id: Int64, cardNumber: String, name: String?, email: String?, phone: String?, language: String, loyaltyConsentAt: Int64?,
                marketingConsentAt: Int64?, createdAt: Int64, storeId: Int64?, erasedAt: Int64? = nil) {
        self.id = id
        self.cardNumber = cardNumber
        self.name = name
        self.email = email
        self.phone = phone
        self.language = language
        self.loyaltyConsentAt = loyaltyConsentAt
        self.marketingConsentAt = marketingConsentAt
        self.createdAt = createdAt
        self.storeId = storeId
        self.erasedAt = erasedAt
    }
}

/// POST /v1/customers: a phone or an email, and the consents, is enough (a few keys at the counter).
public struct CustomerInput: Hashable, Sendable, Codable {
    public var name: String?
    public var email: String?
    public var phone: String?
    public var language: String
    public var loyaltyConsent: Bool
    public var marketingConsent: Bool

    public init(name: String? = nil, email: String? = nil, phone: String? = nil, language: String = "fr", loyaltyConsent: Bool,
                marketingConsent: Bool = false) {
        self.name = name
        self.email = email
        self.phone = phone
        self.language = language
        self.loyaltyConsent = loyaltyConsent
        self.marketingConsent = marketingConsent
    }

    /// What is wrong with the details, as a value a screen puts in its own words.
    public enum Problem: Hashable, Sendable {
        case noContact, name, email, phone, language
        public var message: String {
            switch self {
            case .noContact: "a customer needs a phone or an email"
            case .name: "name: 1 to 100 printable characters"
            case .email: "email: name@domain"
            case .phone: "phone: 10 to 15 digits"
            case .language: "language: fr or en"
            }
        }
    }

    /// The same person's details, cleaned: trimmed, an email in lower case, a phone as its digits.
    public var cleaned: CustomerInput {
        var clean = self
        clean.name = name.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        clean.email = email.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        clean.phone = phone.map { $0.filter { $0.isASCII && $0.isNumber } }.flatMap { $0.isEmpty ? nil : $0 }
        return clean
    }

    /// The first thing wrong with the cleaned details, if any.
    public var problem: Problem? {
        let clean = cleaned
        guard clean.email != nil || clean.phone != nil else { return .noContact }
        if let n = clean.name, !DocumentCheck.isCleanText(n, maxLength: 100) { return .name }
        if let e = clean.email {
            let parts = e.split(separator: "@", omittingEmptySubsequences: false)
            guard e.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), DocumentCheck.isCleanText(e, maxLength: 254),
                  !e.contains(" ") else { return .email }
        }
        if let p = clean.phone, !(10...15).contains(p.count) { return .phone }
        guard language == "fr" || language == "en" else { return .language }
        return nil
    }

    public func validated() throws(DomainError) -> CustomerInput {
        if let problem { throw DomainError(.invalidInput, problem.message) }
        return cleaned
    }
}

/// One line of a customer's points ledger; the balance is the sum of `points`.
public struct LoyaltyEntry: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Credited when a sale with the card reached central.
        case earned
        /// Taken back when a return of such a sale reached central.
        case reversed
        /// Spent on a reward: held at the till, settled with the sale.
        case held, redeemed
        /// A hold released (the sale was voided or never came): worth 0.
        case released
        case expired
        /// Head office, with a reason.
        case adjusted
    }
    public var id: Int64
    public var customerId: Int64
    public var kind: Kind
    public var points: Int64
    /// The sale or return, the hold, or nothing.
    public var reference: String?
    public var reason: String?
    public var createdAt: Int64

    public init(id: Int64, customerId: Int64, kind: Kind, points: Int64, reference: String?, reason: String?, createdAt: Int64) {
        self.id = id
        self.customerId = customerId
        self.kind = kind
        self.points = points
        self.reference = reference
        self.reason = reason
        self.createdAt = createdAt
    }
}

/// GET /v1/customers/{id}/loyalty: the balance and the ledger it is the sum of.
public struct LoyaltyAccount: Hashable, Sendable, Codable {
    public var customerId: Int64
    public var balance: Int64
    public var entries: [LoyaltyEntry]
    public init(customerId: Int64, entries: [LoyaltyEntry]) {
        self.customerId = customerId
        self.entries = entries
        balance = entries.reduce(0) { $0.adding(saturating: $1.points) }   // a sum of stored rows: never a trap, never a wrap
    }
}

/// POST /v1/loyalty/holds: points set aside at the till for a reward, before the sale.
public struct LoyaltyHoldRequest: Hashable, Sendable, Codable {
    public var cardNumber: String
    /// Which of the program's rewards (its index).
    public var reward: Int
    public init(cardNumber: String, reward: Int) {
        self.cardNumber = cardNumber
        self.reward = reward
    }
}

public struct LoyaltyHold: Hashable, Sendable, Codable {
    public var id: String
    public var customerId: Int64
    public var points: Int64
    public var value: Money
    public var balanceAfter: Int64
    public init(id: String, customerId: Int64, points: Int64, value: Money, balanceAfter: Int64) {
        self.id = id
        self.customerId = customerId
        self.points = points
        self.value = value
        self.balanceAfter = balanceAfter
    }
}

/// POST /v1/customers/{id}/points: head office adjusts a balance, with a reason.
public struct PointsAdjustment: Hashable, Sendable, Codable {
    public var points: Int64
    public var reason: String
    public init(points: Int64, reason: String) {
        self.points = points
        self.reason = reason
    }
}

/// GET /v1/customers/{id}/export: everything central holds about the person (Law 25, PIPEDA).
public struct CustomerExport: Hashable, Sendable, Codable {
    public var customer: Customer
    public var loyalty: LoyaltyAccount
    /// The receipts of the sales made with the card.
    public var receipts: [String]
    public var exportedAt: Int64
    public init(customer: Customer, loyalty: LoyaltyAccount, receipts: [String], exportedAt: Int64) {
        self.customer = customer
        self.loyalty = loyalty
        self.receipts = receipts
        self.exportedAt = exportedAt
    }
}

public struct CustomerList: Hashable, Sendable, Codable {
    public var customers: [Customer]
    public init(customers: [Customer]) { self.customers = customers }
}
