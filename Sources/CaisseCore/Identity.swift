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

/// What a till answers to a PIN.
public enum PinCheck: Hashable, Sendable {
    case accepted
    case wrong(triesLeft: Int)
    /// Refused without looking at the PIN until this time (milliseconds since 1970).
    case locked(until: Int64)
}

/// The till's lockout of one person: three wrong PINs lock that person (not
/// the till) for 30 s, and the lock starts the count again. The till keeps it
/// in its database, so a restart does not reset it; the screen and the CLI
/// obey the same rule.
public struct PinAttempts: Hashable, Sendable {
    public static let maxFailures = 3
    public static let lockMillis: Int64 = 30_000

    public var failures: Int
    public var lockedUntil: Int64?

    public init(failures: Int = 0, lockedUntil: Int64? = nil) {
        self.failures = failures
        self.lockedUntil = lockedUntil
    }

    /// The lock in force at `now`, if any.
    public func lock(at now: Int64) -> Int64? {
        guard let until = lockedUntil, now < until else { return nil }
        return until
    }

    /// Counts one checked PIN and says what the person sees.
    public mutating func record(accepted: Bool, at now: Int64) -> PinCheck {
        if accepted {
            self = PinAttempts()
            return .accepted
        }
        failures += 1
        guard failures >= Self.maxFailures else { return .wrong(triesLeft: Self.maxFailures - failures) }
        failures = 0
        lockedUntil = now + Self.lockMillis
        return .locked(until: now + Self.lockMillis)
    }
}
