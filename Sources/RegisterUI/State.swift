import CaisseAPI
import CaisseCore
import ScreenKit

/// Who this register is: fixed for the life of the TUI.
public struct RegisterContext: Hashable, Sendable {
    public var chainName: String
    public var store: Location
    public var registerId: String
    public var taxRule: TaxRule
    public var language: Language

    public init(chainName: String, store: Location, registerId: String, taxRule: TaxRule, language: Language) {
        self.chainName = chainName
        self.store = store
        self.registerId = registerId
        self.taxRule = taxRule
        self.language = language
    }
}

/// What the status bar says about sync.
public struct SyncInfo: Hashable, Sendable {
    /// false when the register was never enrolled with a central (a stand-alone till).
    public var enrolled: Bool
    /// nil until the first attempt.
    public var online: Bool?
    public var pending: Int
    /// Milliseconds since 1970 of the last successful cycle.
    public var lastSuccess: Int64?

    /// Central was reached and refused the journal: a person must look (not "offline").
    public var refusal: String?
    /// The till's own database is damaged: it stops selling.
    public var damaged: Bool
    /// Seconds this till's clock is ahead of central's (negative: behind), from central's last answer.
    public var clockSkewSeconds: Int64?

    public init(enrolled: Bool, online: Bool? = nil, pending: Int = 0, lastSuccess: Int64? = nil, refusal: String? = nil,
                damaged: Bool = false) {
        self.enrolled = enrolled
        self.online = online
        self.pending = pending
        self.lastSuccess = lastSuccess
        self.refusal = refusal
        self.damaged = damaged
    }
}

/// The receipt printer as the spooler last found it (issue 29): what waits, and why.
public struct PrinterInfo: Hashable, Sendable {
    public enum Problem: Hashable, Sendable { case paperOut, offline }
    public var waiting: Int
    public var problem: Problem?

    public init(waiting: Int, problem: Problem? = nil) {
        self.waiting = waiting
        self.problem = problem
    }
}

/// The open cash drawer (a cash session).
public struct DrawerInfo: Hashable, Sendable {
    public var openedAt: Int64
    public var float: Money

    public init(openedAt: Int64, float: Money) {
        self.openedAt = openedAt
        self.float = float
    }
}

/// A one-line message under the screen: the result of the last action.
public struct Flash: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case info, error }
    public var kind: Kind
    public var text: String

    public static func info(_ text: String) -> Flash { Flash(kind: .info, text: text) }
    public static func error(_ text: String) -> Flash { Flash(kind: .error, text: text) }
}

/// The whole TUI: which screen, who is logged in, the drawer, sync status.
/// Changed only by `update`, drawn only by `render`.
public struct AppState: Hashable, Sendable {
    public var context: RegisterContext
    /// Milliseconds since 1970; advanced by `.tick` so screens stay pure.
    public var now: Int64
    /// People who may log in at this till (synced from central, for offline login).
    public var users: [User]
    public var user: User?
    public var drawer: DrawerInfo?
    public var sync: SyncInfo
    /// nil when the till has no printer, or it has printed everything so far.
    public var printer: PrinterInfo?
    public var screen: Screen
    public var flash: Flash?
    public var quitting = false
    /// The terminal's size, as the loop last saw it: below `minimumSize` the
    /// screen says so and no key acts on what the person cannot see.
    public var terminalSize: Size?
    /// Ctrl-C was pressed once with a sale in progress: a second one quits.
    public var quitArmed = false
    /// F1: every key of the screen in a box, the ones the key bar has no room for too (issue 28, item 10).
    public var keysShown = false
    /// Menu 0 asked for a sync: the next sync's outcome is said on the flash line (issue 28, item 5).
    public var syncAsked = false
    /// The store's quick keys, chosen at central and synced: Tab on the sale screen, then 1…9, 0.
    public var quickKeys: [Product] = []
    /// The cart that was on screen when the till stopped: the next sale starts with it.
    public var recoveredCart: Cart?
    /// Every promotion central sent (those running here now apply by themselves), and the store's discount limit.
    public var promotions: [Promotion] = []
    public var discountPolicy = DiscountPolicy.standard

    public init(context: RegisterContext, now: Int64, users: [User], drawer: DrawerInfo?, sync: SyncInfo) {
        self.context = context
        self.now = now
        self.users = users
        self.drawer = drawer
        self.sync = sync
        self.screen = .login(LoginState())
    }

    var tr: Tr { Tr(context.language) }
}

public enum Screen: Hashable, Sendable {
    case login(LoginState)
    case menu(MenuState)
    case sale(SaleState)
    case payment(PaymentState)
    case done(DoneState)
    case returns(ReturnState)
    case count(CountState)
    case report(ReportState)
    case stock(StockViewState)
    case restock(RestockViewState)
    case salesReport(ReportViewState)
    case dashboard(DashboardViewState)
    case approvals(ApprovalsViewState)
    case orders(OrdersViewState)
}

/// What the screens ask of the world; the runtime does it and answers with a `Message`.
public enum Effect: Hashable, Sendable {
    case verifyPin(userId: Int64, pin: String)
    case search(String)
    /// Another page of the results for the same text.
    case searchPage(String, offset: Int)
    case lookup(String)
    /// Put the cart aside (it is kept in the till's database), or list those put aside, or take one back.
    case parkCart(Cart, cashierId: Int64)
    case loadParked
    case recallCart(id: Int64, cashierId: Int64)
    case loadQuickKeys
    /// This register's sales of today, for a return or a reprint.
    case loadTodaysSales
    case reprint(receiptNumber: String, by: Int64)
    case commitSale(Cart, Payment, cashierId: Int64)
    case findSale(receiptNumber: String)
    /// Not a sale of this register: central is asked (issue 24: a return at another register or store).
    case findSaleAtCentral(receiptNumber: String)
    case commitReturn(receiptNumber: String, lines: [ReturnRequestLine], kind: TenderKind, cardReference: String?, cashierId: Int64,
                      approvedBy: Int64? = nil, atCentral: SaleForReturn? = nil)
    case openDrawer(float: Money, by: Int64)
    case drawerReport(by: Int64)
    case closeDrawer(counted: Money, by: Int64)
    /// The drawer opened with no sale, on a manager's PIN (issue 29): a journal event and the drawer's pulse.
    case openDrawerNoSale(by: Int64, approvedBy: Int64)
    case syncNow
    case quit
    // Staff screens (employee and up).
    case loadStock(StockFilterKind, query: String)
    /// Waste, breakage, theft, found or a correction (issue 17), journaled by the till.
    case recordAdjustment(AdjustmentReason, productId: Int64, quantity: Int, note: String?, by: Int64, approvedBy: Int64?)
    /// The close's waste: what is left of the fresh products, then one adjustment of all the lines thrown away.
    case loadUnsoldFresh
    case recordWaste([WasteLine], by: Int64, approvedBy: Int64?)
    /// A count (issue 17): the one under way, start one, count a product, confirm (the differences as one correction), cancel.
    case loadCount
    case startCount(scope: CountScope, by: Int64)
    case countItem(code: String, units: Int)
    case confirmCount(by: Int64, approvedBy: Int64?)
    case cancelCount
    /// Transfers between stores (issue 17): list, ship a request, receive, send, ask.
    case loadTransfers
    case shipTransfer(id: String, units: Int, by: Int64)
    case receiveTransfer(id: String, good: Int, damaged: Int, by: Int64)
    case newTransfer(send: Bool, storeId: Int64, productId: Int64, units: Int, by: Int64)
    /// Live figures from central (the store's and the warehouse's).
    case refreshStock
    case loadRestock
    case requestRestock([Int64: Int], by: Int64)
    case receiveRestock(requestId: String, by: Int64)
    // Manager screens: central with the manager's session.
    case loadReport(from: Day, to: Day, userId: Int64)
    case exportReport(SalesReportResponse)
    case loadDashboard(userId: Int64)
    case loadApprovals(userId: Int64)
    case decideRestock(requestId: String, RestockAction, userId: Int64)
    case loadExceptions(userId: Int64)
    /// Head office's promotions at central: list, create (products by SKU, or a category), end.
    case loadPromotions(userId: Int64)
    case createPromotion(PromotionInput, skus: [String], userId: Int64)
    case endPromotion(Promotion, userId: Int64)
    case resolveException(id: Int64, note: String, decision: ExceptionDecision? = nil, userId: Int64)
    /// Orders for pickup (issue 27): this till's copy, moved on here (a journal event), or handed over as a sale.
    case loadOrders
    case moveOrder(id: String, OnlineOrder.Action, by: Int64)
    case handOverOrder(id: String)
    /// The counter finds a customer by exact phone or email at central, or opens their account (with their consent).
    case findCustomer(String)
    case createCustomer(String)
    /// F12 (issue 27): the most valuable reward the card's points buy, held at central for this sale.
    case holdReward(card: String)
    /// The sale that held a reward was voided: the points go back.
    case releaseReward(holdId: String)

    /// Effects that talk to central run in the background; the rest run between two keys.
    public var isRemote: Bool {
        switch self {
        case .refreshStock, .loadReport, .loadDashboard, .loadApprovals, .decideRestock, .loadExceptions, .resolveException,
             .loadPromotions, .createPromotion, .endPromotion, .findSaleAtCentral, .findCustomer, .createCustomer, .holdReward,
             .releaseReward: true
        default: false
        }
    }
}

/// Everything that can change the state: keys, the clock, and the answers to effects.
public enum Message: Hashable, Sendable {
    case key(Key)
    case tick(Int64)
    /// The terminal changed size.
    case resized(Size)
    case pinChecked(userId: Int64, result: PinCheck)
    case searchResults(query: String, products: [Product], total: Int = 0, offset: Int = 0)
    case cartParked(waiting: Int)
    case parkedLoaded([HeldCart])
    case cartRecalled(Cart)
    case quickKeysLoaded([Product])
    case offersLoaded([Promotion], DiscountPolicy)
    case todaysSales([SaleSummary])
    case reprinted(receiptNumber: String, receipt: [String], savedTo: String?)
    case lookedUp(code: String, product: Product?)
    case saleCommitted(Sale, receipt: [String], savedTo: String?)
    /// - Parameter atCentral: the sale is another register's, as central gave it (its returns elsewhere counted in).
    case saleFound(receiptNumber: String, sale: Sale?, alreadyReturned: [Int: Int], cashRefunded: Money = .zero, atCentral: SaleForReturn? = nil)
    /// No such sale at this register nor at central; `offline`: central could not be asked.
    case saleMissing(receiptNumber: String, offline: Bool)
    case ordersLoaded([OnlineOrder])
    /// An order moved on at this till: the screen says it in its words.
    case orderMoved(number: String, OnlineOrder.State)
    /// A customer looked up at the counter: their card, none (`offline`: central could not be asked), or a new account's card.
    case customerFound(contact: String, card: String?, offline: Bool)
    case customerCreated(card: String)
    /// Central held these points for the reward; nil: none could be held (`offline`: central was not reached).
    case rewardHeld(LoyaltyHold?, offline: Bool)
    case returnCommitted(SaleReturn, receipt: [String], savedTo: String?)
    case drawerOpened(DrawerInfo)
    /// The X report of the open drawer: its text and the cash the drawer should hold.
    case drawerReport(lines: [String], expectedCash: Money)
    case drawerClosed(zReport: [String], savedTo: String?)
    /// The drawer was opened with no sale, approved by this manager.
    case noSaleRecorded(approvedBy: Int64)
    case sync(SyncInfo)
    case printer(PrinterInfo)
    /// An effect failed; the word says why (a typed value: the screen says it in its language).
    case failed(Word)
    case stockLoaded([StockPosition], warehouse: [StockPosition], liveAt: Int64?)
    case restockLoaded(suggestions: [RestockSuggestion], requests: [RestockLine])
    /// A restock action done locally; the text says what, the screen reloads.
    case restockChanged(Word)
    case adjusted(Word)
    case unsoldFreshLoaded([WasteLine])
    /// The count under way, or none; with the categories a new one can take (issue 28: listed to pick from).
    case countLoaded(StockCount?, categories: [String] = [])
    case transfersLoaded([TransferView], stores: [Location])
    /// A transfer moved on here; the text says what, the sheet reloads.
    case transferDone(Word)
    case reportLoaded(SalesReportResponse, live: Bool)
    case reportExported(path: String)
    case dashboardLoaded(DashboardResponse, at: Int64)
    case approvalsLoaded([RestockLine])
    /// Nil: nothing to say, the list reloads (a flash already said why).
    case approvalDone(Word?)
    case exceptionsLoaded([CentralException])
    case promotionsLoaded([Promotion])
}
