import CaisseAPI
import CaisseCore
import ScreenKit

public struct LoginState: Hashable, Sendable {
    /// Typed to narrow the list of people.
    public var query = ""
    public var selected = 0
    /// The person whose PIN is being typed.
    public var pinFor: Int64?
    public var pin = ""
    public var checking = false
    /// The lock the till answered for `pinFor`, shown until it ends.
    public var lockedUntil: Int64?

    public init() {}

    /// Active people of this store (never an admin: admins sign in at central only), filtered by what was typed.
    func candidates(_ users: [User], storeId: Int64) -> [User] {
        let key = SearchKey.fold(query)
        return users.filter { u in
            u.active && u.storeId == storeId && u.role != .admin
                && (key.isEmpty || SearchKey.fold(u.username).contains(key) || SearchKey.fold(u.displayName).contains(key))
        }
    }
}

public enum MenuEntry: Hashable, Sendable {
    case sale, returns, openDrawer, xReport, closeDrawer, noSale, stock, restock, reports, dashboard, approvals, orders, syncNow, logout
}

public struct MenuState: Hashable, Sendable {
    public var selected = 0
    /// The drawer opened with no sale (issue 29): a manager's PIN first.
    public var noSale: ManagerPIN?
    public init() {}
}

public struct SaleState: Hashable, Sendable {
    public enum Prompt: Hashable, Sendable {
        case quantity(String)
        case confirmVoid
        /// F11 (issue 27): the customer's phone or email, looked up at central; `creating` when
        /// nobody has it and the till asks whether to open their loyalty account.
        case customer(contact: String, creating: Bool)
        case discount(DiscountPrompt)
    }

    public var cart: Cart
    /// The one input line: a scan, a SKU or words of a name.
    public var input = ""
    public var results: [Product] = []
    /// The input the results answer (results for an older input are dropped).
    public var resultQuery = ""
    public var resultIndex = 0
    /// Index in cart.lines of the line that +, -, F2 and F3 act on.
    public var selectedLine = 0
    public var prompt: Prompt?
    /// Matches in all for `resultQuery`, and where the page shown starts.
    public var resultTotal = 0
    public var resultOffset = 0
    /// Tab: the quick-keys pane is open; 1…9, 0 add its products.
    public var quickPane = false
    /// F9: the sales put aside, to take one back.
    public var parked: [HeldCart]?
    public var parkedIndex = 0

    /// Results shown at once; PgDn and PgUp turn the pages.
    public static let resultPage = 12

    public init(cart: Cart = Cart()) {
        self.cart = cart
        selectedLine = max(0, cart.lines.count - 1)
    }
}

/// `%` on the sale screen: a discount or a new price for the selected line, or a
/// discount on the whole sale; then a reason; then, beyond the store's limit, a manager's PIN.
public struct DiscountPrompt: Hashable, Sendable {
    public enum Target: Int, Hashable, Sendable, CaseIterable {
        case linePercent, lineAmount, linePrice, salePercent, saleAmount
        var isSale: Bool { self == .salePercent || self == .saleAmount }
    }
    public var target: Target = .linePercent
    /// The line it is for (cart's lineNo).
    public var lineNo: Int
    public var text = ""
    /// Set once the value is read: the reason is asked next.
    public var rule: ManualDiscount.Rule?
    /// Set once the reason is chosen, when a manager must approve.
    public var reason: String?
    public var manager = ManagerPIN()

    public init(lineNo: Int) { self.lineNo = lineNo }
}

public struct PaymentState: Hashable, Sendable {
    /// The longest card reference (an authorisation code) the screens accept.
    static let cardReferenceLength = 64
    public var cart: Cart
    public var payment: Payment
    /// Cash handed over, as typed.
    public var amount = ""
    /// Set while the card's reference is being typed, to the amount it will settle.
    public var cardAmount: Money?
    public var cardReference = ""
    /// The sale is being written: keys wait.
    public var committing = false
    /// Esc was pressed once on an approved card payment: a second Esc removes it (issue 28).
    public var confirmingUndo = false

    public init(cart: Cart, payment: Payment, committing: Bool = false) {
        self.cart = cart
        self.payment = payment
        self.committing = committing
    }
}

public struct DoneState: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case sale, refund }
    public var kind: Kind
    public var receiptNumber: String
    /// Change due (sale) or amount refunded (return), shown large.
    public var amount: Money
    public var receipt: [String]
    public var savedTo: String?
    public var scroll = 0
}

public struct ReturnState: Hashable, Sendable {
    public var receiptInput = ""
    /// Today's sales at this register, newest first: ↑↓ and Enter pick one, F9 reprints it.
    public var todays: [SaleSummary] = []
    public var todaysIndex = 0
    public var sale: Sale?
    public var alreadyReturned: [Int: Int] = [:]
    /// lineNo → quantity to return now.
    public var quantities: [Int: Int] = [:]
    public var selected = 0
    public var cardAmountEntry = false
    public var cardReference = ""
    public var committing = false
    /// A manager's PIN asked for this refund (`RefundApproval`).
    public var approval: ApprovalPrompt?
    /// Cash already given back for this sale (a manager approves cash beyond what it took in).
    public var cashRefunded = Money.zero
    /// The sale is another register's (or store's), as central gave it (issue 24).
    public var atCentral: SaleForReturn?

    public init() {}

    var requested: [ReturnRequestLine] {
        quantities.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { ReturnRequestLine(lineNo: $0.key, quantity: $0.value) }
    }
}

/// A manager's PIN typed at the till (a refund or a discount beyond a limit):
/// chosen among the store's managers, checked by the till, offline too.
public struct ManagerPIN: Hashable, Sendable {
    public var selected = 0
    public var pin = ""
    /// The manager whose PIN is being checked.
    public var checking: Int64?

    public init() {}

    public enum Outcome: Hashable, Sendable { case typing, cancelled, check(Effect) }

    /// ↑↓ a manager, digits the PIN, Enter checks it, Esc gives up.
    mutating func handle(_ key: Key, managers: [User]) -> Outcome {
        guard checking == nil else { return .typing }
        switch key {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, managers.count - 1), selected + 1)
        case .char(let c) where c.isASCII && c.isNumber:
            if pin.count < 12 { pin.append(c) }
        case .backspace:
            if !pin.isEmpty { pin.removeLast() }
        case .escape:
            return .cancelled
        case .enter:
            guard managers.indices.contains(selected), !pin.isEmpty else { break }
            let typed = pin
            pin = ""
            checking = managers[selected].id
            return .check(.verifyPin(userId: managers[selected].id, pin: typed))
        default: break
        }
        return .typing
    }
}

/// A manager approves a refund at the till.
public struct ApprovalPrompt: Hashable, Sendable {
    public var kind: TenderKind
    public var reason: RefundApproval
    public var manager = ManagerPIN()

    public init(kind: TenderKind, reason: RefundApproval) {
        self.kind = kind
        self.reason = reason
    }
}

public struct CountState: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable { case openFloat, closeCount }
    public enum Then: Hashable, Sendable { case menu, sale, returns }
    public var purpose: Purpose
    public var then: Then
    public var amount = ""
    /// Closing: the count was entered once and is shown against what was expected; Enter again closes.
    public var confirming = false
    /// Closing: the cash the drawer should hold, and the X report it comes from.
    public var expected: Money?
    public var xReport: [String] = []
    /// Closing: the drawer counted by denomination (blind: nothing expected is shown before Enter).
    public var pieces = DrawerCount()
    public var row = 0
    /// The count of the selected row as typed.
    public var typed = ""

    /// More than any drawer holds: a typo (a scanner's digits, a repeated key), not a count.
    public static let maximum = Money(cents: 10_000_000)

    public init(purpose: Purpose, then: Then) {
        self.purpose = purpose
        self.then = then
    }
}

public struct ReportState: Hashable, Sendable {
    public var title: String
    public var lines: [String]
    public var savedTo: String?
    public var scroll = 0
    /// A return in progress the copy was printed from (issue 28: F9 dropped it): Enter or Esc goes back to it.
    public var backToReturn: ReturnState?

    public init(title: String, lines: [String], savedTo: String? = nil, backToReturn: ReturnState? = nil) {
        self.title = title
        self.lines = lines
        self.savedTo = savedTo
        self.backToReturn = backToReturn
    }
}
