/// What a person may do. Ordered: each role can do what the one before it can.
public enum Role: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
    /// Sells and takes returns.
    case cashier
    /// + looks at stock and asks for restock.
    case employee
    /// + reports, dashboard, approves and ships restock.
    case manager
    /// + edits the catalog, users and registers.
    case admin

    private var rank: Int {
        switch self {
        case .cashier: 0
        case .employee: 1
        case .manager: 2
        case .admin: 3
        }
    }

    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }

    public func allows(_ needed: Role) -> Bool { self >= needed }
}

public struct User: Hashable, Sendable, Codable, Identifiable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    /// The location the person works at.
    public var storeId: Int64
    public var pinHash: String
    public var active: Bool

    public init(id: Int64, username: String, displayName: String, role: Role, storeId: Int64, pinHash: String, active: Bool = true) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.storeId = storeId
        self.pinHash = pinHash
        self.active = active
    }
}

/// Where stock lives.
public enum LocationKind: String, Hashable, Sendable, Codable {
    case store
    /// The head office also runs a shop (as in the seed).
    case headOffice = "head_office"
    /// The central warehouse (logistics centre) that restocks the stores.
    case warehouse
}

/// A store, the head office or the warehouse.
public struct Location: Hashable, Sendable, Codable, Identifiable {
    public var id: Int64
    public var code: String
    public var name: String
    public var kind: LocationKind
    public var address: String
    /// Code of the tax rule the location charges (e.g. "QC").
    public var taxRule: String
    /// Registration numbers printed on receipts, by tax code ("GST" → "123456789 RT0001").
    public var taxNumbers: [String: String]
    /// IANA time zone ("America/Toronto"); reports group sales by the local day.
    public var timeZone: String

    public init(id: Int64, code: String, name: String, kind: LocationKind, address: String, taxRule: String,
                taxNumbers: [String: String], timeZone: String) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.address = address
        self.taxRule = taxRule
        self.taxNumbers = taxNumbers
        self.timeZone = timeZone
    }

    public var sells: Bool { kind != .warehouse }
}
