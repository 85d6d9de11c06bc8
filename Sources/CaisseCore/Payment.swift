public enum TenderKind: String, Hashable, Sendable, Codable, CaseIterable {
    case cash, card
}

/// One way the customer paid part of a sale (or was refunded).
public struct Tender: Hashable, Sendable, Codable {
    public var kind: TenderKind
    /// What this tender settles of the sale.
    public var amount: Money
    /// Cash handed over (≥ amount); nil for card.
    public var given: Money?
    /// Cash handed back.
    public var change: Money
    /// Card authorisation or terminal reference; nil for cash.
    public var reference: String?

    public init(kind: TenderKind, amount: Money, given: Money? = nil, change: Money = .zero, reference: String? = nil) {
        self.kind = kind
        self.amount = amount
        self.given = given
        self.change = change
        self.reference = reference
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case amount = "amountCents"
        case given = "givenCents"
        case change = "changeCents"
        case reference
    }
}

/// Paying a total with one or several tenders. Cash settles the remainder
/// rounded to the nickel (no pennies in Canada); card settles to the cent.
public struct Payment: Hashable, Sendable {
    /// Total of the sale before any cash rounding.
    public let total: Money
    public private(set) var tenders: [Tender] = []
    /// Cents added (+) or removed (−) by nickel rounding when cash settled the sale.
    public private(set) var rounding: Money = .zero

    public init(total: Money) { self.total = total }

    public var paid: Money { tenders.reduce(.zero) { $0 + $1.amount } }
    public var remaining: Money { total + rounding - paid }
    public var isComplete: Bool { !tenders.isEmpty && remaining == .zero || (total == .zero && tenders.isEmpty) }
    public var change: Money { tenders.reduce(.zero) { $0 + $1.change } }
    /// What cash has to cover to settle the sale now.
    public var cashDue: Money { remaining.roundedToNickel }

    /// Cash handed over. Enough to cover `cashDue` settles the sale and gives change;
    /// less is a partial cash tender and the rest stays due.
    @discardableResult
    public mutating func payCash(given: Money) throws(DomainError) -> Tender {
        guard remaining > .zero else { throw DomainError(.alreadyPaid, "the sale is already paid") }
        guard given > .zero else { throw DomainError(.invalidTender, "cash given must be more than 0", detail: .cashGivenMustBePositive) }
        let due = cashDue
        let tender: Tender
        if given >= due {
            rounding += due - remaining
            tender = Tender(kind: .cash, amount: due, given: given, change: given - due)
        } else {
            tender = Tender(kind: .cash, amount: given, given: given)
        }
        tenders.append(tender)
        return tender
    }

    /// Exact cash: the customer hands over what is due.
    @discardableResult
    public mutating func payExactCash() throws(DomainError) -> Tender {
        guard remaining > .zero else { throw DomainError(.alreadyPaid, "the sale is already paid") }
        let due = cashDue
        if due == .zero {
            // A remainder of 1 or 2 ¢ rounds to nothing in cash.
            rounding -= remaining
            let tender = Tender(kind: .cash, amount: .zero, given: .zero)
            tenders.append(tender)
            return tender
        }
        return try payCash(given: due)
    }

    /// A card payment of `amount` (default: all that remains). No cash-back.
    @discardableResult
    public mutating func payCard(amount: Money? = nil, reference: String) throws(DomainError) -> Tender {
        guard remaining > .zero else { throw DomainError(.alreadyPaid, "the sale is already paid") }
        let value = amount ?? remaining
        guard value > .zero else { throw DomainError(.invalidTender, "card amount must be more than 0", detail: .cardAmountMustBePositive) }
        guard value <= remaining else {
            throw DomainError(.invalidTender, "card amount \(value) is more than the \(remaining) due",
                              detail: .cardMoreThanDue(card: value, due: remaining))
        }
        let ref = reference.trimmingCharacters(in: " \t")
        guard !ref.isEmpty, ref.count <= 64 else {
            // Said whole within 80 columns (issue 28: the French text was cut before its cause).
            throw DomainError(.invalidTender, "a card payment needs a reference of 1 to 64 characters",
                              detail: .cardNeedsAReference)
        }
        let tender = Tender(kind: .card, amount: value, reference: ref)
        tenders.append(tender)
        return tender
    }
}

/// The bills a customer most likely hands over for what is due in cash: the
/// next dollar, then the next 5, 10, 20, 50 and 100 $ above it, each once.
public enum QuickCash {
    public static let count = 4

    public static func suggestions(due: Money) -> [Money] {
        guard due.isPositive else { return [] }
        var amounts: [Money] = []
        for step: Int64 in [100, 500, 1_000, 2_000, 5_000, 10_000] {
            let next = Money(cents: (due.cents / step + 1) * step)
            if !amounts.contains(next) { amounts.append(next) }
        }
        return Array(amounts.sorted().prefix(count))
    }
}
