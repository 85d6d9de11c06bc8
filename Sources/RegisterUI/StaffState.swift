import CaisseAPI
import CaisseCore

/// Which products the stock screen lists.
public enum StockFilterKind: String, Hashable, Sendable, CaseIterable {
    case all, low, out, over
}

public struct StockViewState: Hashable, Sendable {
    public var filter: StockFilterKind = .all
    public var query = ""
    public var rows: [StockPosition] = []
    /// Warehouse on-hand by product id.
    public var warehouse: [Int64: Int] = [:]
    /// When the figures were read live from central; nil: the local copy, as of the last sync.
    public var liveAt: Int64?
    public var selected = 0
    public init() {}
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
    public init(request: RestockRequest, sku: String, name: String) {
        self.request = request
        self.sku = sku
        self.name = name
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
public struct ApprovalsViewState: Hashable, Sendable {
    public var requests: [RestockLine] = []
    public var selected = 0
    public var loading = false
    public init() {}
}
