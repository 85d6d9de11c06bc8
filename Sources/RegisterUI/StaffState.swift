import CaisseAPI
import CaisseCore

/// Which products the stock screen lists.
/// The stock screen's tab filter: CaisseCore's one rule.
public typealias StockFilterKind = StockFilter

/// An adjustment of one product from the stock screen: the reason (Tab), the units, a note, and
/// beyond the store's limit a manager's PIN.
public struct AdjustPrompt: Hashable, Sendable {
    public var position: StockPosition
    public var unitPrice: Money
    public var reason = AdjustmentReason.waste
    /// Units that left the shelf (or were found); a correction takes a sign.
    public var units = ""
    public var note = ""
    /// Enter on the units: the note is typed next.
    public var typingNote = false
    /// Set when a manager must approve.
    public var manager: ManagerPIN?

    public init(position: StockPosition, unitPrice: Money) {
        self.position = position
        self.unitPrice = unitPrice
    }

    /// The signed quantity the units mean for the reason, if they make sense.
    public var quantity: Int? { reason.quantity(typed: units) }
}

/// The unsold fresh products at close, each with the units to throw away (all of them
/// unless typed otherwise); F5 declares them as one waste adjustment.
public struct WasteSheet: Hashable, Sendable {
    public var lines: [WasteLine]
    public var selected = 0
    /// Digits typed on the selected line (they replace its units).
    public var typed = ""
    /// Letters typed: the first line whose name or SKU they start is selected (issue 28: a few
    /// muffins among 160 fresh lines took a page of ↓).
    public var find = ""
    public var manager: ManagerPIN?
    public init(lines: [WasteLine]) { self.lines = lines }

    /// Lines PgDn moves (the sheet shows 13 at 80×24).
    static let page = 12

    public var value: Money { lines.reduce(.zero) { $0 + $1.value } }
}

/// A count at the till: start it (Enter: the whole store, or a category's name), then scan or
/// type each product (CODE, or CODE*UNITS), and see book against counted; F5 confirms.
public struct CountSheet: Hashable, Sendable {
    /// nil until the till answers (no count under way: the start prompt).
    public var count: StockCount?
    public var loaded = false
    public var input = ""
    public var manager: ManagerPIN?
    /// F3 once: the next F3 drops the count (F3 sits beside F5, which posts it).
    public var dropArmed = false
    /// The store's categories, shown to pick from before a count starts.
    public var categories: [String] = []
    public init() {}
}

/// F9: the store's transfers (issue 17). Enter ships a request made of this store or
/// receives what is on its way; F6 sends the product selected on the stock screen to
/// another store, F7 asks another store for it.
public struct TransferSheet: Hashable, Sendable {
    public enum Prompt: Hashable, Sendable {
        /// Units to ship for the selected request.
        case ship(units: String)
        /// Good units and damaged ones, for the selected transfer on its way here (Tab: the other field).
        case receive(good: String, damaged: String, onDamaged: Bool)
        /// A new transfer of `product`: to (send) or from (ask) the store chosen with Tab.
        case new(send: Bool, product: StockPosition, store: Int, units: String)
    }
    public var rows: [TransferView] = []
    /// The chain's other stores, for a new transfer.
    public var stores: [Location] = []
    public var loaded = false
    public var selected = 0
    public var prompt: Prompt?
    /// The product selected on the stock screen when the sheet opened.
    public var product: StockPosition?
    public init(product: StockPosition?) { self.product = product }

    public var incoming: Int { rows.filter { !$0.outgoing }.reduce(0) { $0 + $1.transfer.inTransit } }
    public var outgoing: Int { rows.filter(\.outgoing).reduce(0) { $0 + $1.transfer.inTransit } }
}

public struct StockViewState: Hashable, Sendable {
    public var filter: StockFilterKind = .all
    public var query = ""
    public var rows: [StockPosition] = []
    /// Warehouse on-hand by product id.
    public var warehouse: [Int64: Int] = [:]
    /// When the figures were read live from central; nil: the local copy, as of the last sync.
    public var liveAt: Int64?
    /// Central's rows as read live (F5): the tab filter and the search apply to them too.
    public var liveRows: [StockPosition]?
    public var selected = 0
    /// F6 on a row: waste, breakage, theft, found or a correction of that product.
    public var adjust: AdjustPrompt?
    /// F7: the close's waste sheet, every fresh product still on the shelf.
    public var waste: WasteSheet?
    /// F8: a count of the store or a category.
    public var counting: CountSheet?
    /// F9: transfers from and to other stores.
    public var transfers: TransferSheet?
    public init() {}

    /// The rows the screen shows of `rows`: the filter, the words typed (each starting a word
    /// of the name, category or SKU), by name: the till's own listing's rule (issue 28, item 8).
    static func shown(_ rows: [StockPosition], _ filter: StockFilterKind, _ query: String) -> [StockPosition] {
        rows.filter { p in
            filter.admits(p.status) && SearchKey.matches(query, p.name, p.category ?? "", p.sku)
        }.sorted { ($0.name, $0.sku) < ($1.name, $1.sku) }
    }

    /// Live rows filtered anew, or the till's own listing asked for.
    mutating func refilter() -> [Effect] {
        guard let live = liveRows else { return [.loadStock(filter, query: query)] }
        rows = Self.shown(live, filter, query)
        selected = min(selected, max(0, rows.count - 1))
        return []
    }
}

/// A product at or under its reorder point and the quantity to ask for.
public struct RestockSuggestion: Hashable, Sendable {
    public var position: StockPosition
    public var suggested: Int
    public init(position: StockPosition, suggested: Int) {
        self.position = position
        self.suggested = suggested
    }
}

/// A restock request with its product's name, for lists.
public struct RestockLine: Hashable, Sendable {
    public var request: RestockRequest
    public var sku: String
    public var name: String
    /// The asking store's code (CV, NORD…), for head office's list.
    public var storeCode: String?
    public init(request: RestockRequest, sku: String, name: String, storeCode: String? = nil) {
        self.request = request
        self.sku = sku
        self.name = name
        self.storeCode = storeCode
    }
}

public struct RestockViewState: Hashable, Sendable {
    public enum Pane: Hashable, Sendable { case suggestions, requests }
    public var pane: Pane = .suggestions
    public var suggestions: [RestockSuggestion] = []
    /// productId → quantity chosen (present = selected).
    public var chosen: [Int64: Int] = [:]
    public var requests: [RestockLine] = []
    public var selected = 0
    public init() {}
}

public enum ReportPeriod: Hashable, Sendable {
    case today, days7, days30, custom
}

public struct ReportViewState: Hashable, Sendable {
    public var period: ReportPeriod = .today
    /// Custom period as typed: "2026-11-01 2026-11-25".
    public var customInput = ""
    public var editingCustom = false
    public var report: SalesReportResponse?
    /// false: central could not be reached, the figures are this register's own.
    public var live = true
    public var scroll = 0
    public var savedTo: String?
    public var loading = false
    public init() {}
}

public struct DashboardViewState: Hashable, Sendable {
    public enum Window: Hashable, Sendable { case today, days7, days30 }
    public var window: Window = .today
    public var dashboard: DashboardResponse?
    public var loadedAt: Int64?
    public var loading = false
    public init() {}
}

/// Head office: requests waiting for a decision or a shipment.
/// Head office's new promotion at the till: six fields, ↑↓ or Enter from one to the next.
public struct PromotionForm: Hashable, Sendable {
    public enum Field: Int, Hashable, Sendable, CaseIterable { case name, kind, value, target, from, to }
    public var field = Field.name
    public var name = ""
    public var kind = Promotion.Kind.percentOff
    /// "25" (%), "0,50" ($ off), "1,99" (price), "3/5" (3 for 5 $), "2+1" (buy 2, get 1).
    public var value = ""
    /// SKUs separated by commas, or a category.
    public var target = ""
    public var from: String
    public var to: String

    public init(today: Day) {
        from = today.iso
        to = today.adding(days: 6).iso
    }
}

public struct ApprovalsViewState: Hashable, Sendable {
    public enum Pane: Hashable, Sendable { case requests, exceptions, promotions }
    /// Head office's promotions (Tab from the exceptions), and the one being written.
    public var promotions: [Promotion] = []
    public var form: PromotionForm?
    public var pane = Pane.requests
    /// What tills recorded that central disagreed with (ADR 0013), open ones.
    public var exceptions: [CentralException] = []
    /// The note being typed to resolve the selected exception.
    public var note: String?
    /// What head office decided for a quarantined event, while its note is typed (issue 23).
    public var decision: ExceptionDecision?
    public var requests: [RestockLine] = []
    public var selected = 0
    /// The request the cursor is on: after a reload re-sorts the list, the cursor
    /// stays on it, so the next key acts on what the manager is looking at.
    public var selectedId: String?
    public var loading = false
    public init() {}
}
