import CaisseAPI
import CaisseCore
import Foundation

/// A person of the demo chain, with the PIN in clear: demo data only; the stores
/// keep nothing but the PIN's hash.
public struct DemoUser: Hashable, Sendable, Codable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    public var storeId: Int64
    public var pin: String
}

/// data/chain.json: the chain's locations, tax rules and people.
public struct ChainFile: Hashable, Sendable, Codable {
    public var name: String
    public var taxRules: [TaxRule]
    public var locations: [Location]
    public var users: [DemoUser]
    /// SKUs of every store's quick keys, in order (optional).
    public var quickKeys: [String]?
}

/// data/stock.json: opening on-hand per location, by SKU.
public struct StockFile: Hashable, Sendable, Codable {
    public struct LocationStock: Hashable, Sendable, Codable {
        public var locationId: Int64
        public var quantities: [String: Int]
        public init(locationId: Int64, quantities: [String: Int]) {
            self.locationId = locationId
            self.quantities = quantities
        }
    }
    public var locations: [LocationStock]
    public init(locations: [LocationStock]) { self.locations = locations }
}

/// Everything a fresh chain starts from, loaded and checked.
public struct ChainData: Sendable {
    public var name: String
    public var taxRules: [TaxRule]
    public var locations: [Location]
    public var users: [DemoUser]
    public var products: [Product]
    /// locationId → productId → on-hand.
    public var stock: [Int64: [Int64: Int]]
    /// Every store's quick keys at first (product ids, in order); each store may change its own at central.
    public var quickKeys: [Int64] = []

    public func location(_ id: Int64) -> Location? { locations.first { $0.id == id } }
    public func location(code: String) -> Location? {
        locations.first { $0.code.caseInsensitiveCompare(code) == .orderedSame }
    }
    public func taxRule(for location: Location) -> TaxRule? { taxRules.first { $0.code == location.taxRule } }
    public var warehouse: Location? { locations.first { $0.kind == .warehouse } }
    public var stores: [Location] { locations.filter(\.sells) }

    public init(name: String, taxRules: [TaxRule], locations: [Location], users: [DemoUser], products: [Product],
                stock: [Int64: [Int64: Int]]) throws(DataError) {
        self.name = name
        self.taxRules = taxRules
        self.locations = locations
        self.users = users
        self.products = products
        self.stock = stock
        try validate()
    }

    /// Loads data/ (chain.json, catalog.json, stock.json).
    public static func load(from directory: URL) throws(DataError) -> ChainData {
        let chain: ChainFile = try decode(directory.appendingPathComponent("chain.json"))
        let products: [Product] = try decode(directory.appendingPathComponent("catalog.json"))
        let stockFile: StockFile = try decode(directory.appendingPathComponent("stock.json"))
        let idBySku = Dictionary(products.map { ($0.sku, $0.id) }, uniquingKeysWith: { a, _ in a })
        var stock: [Int64: [Int64: Int]] = [:]
        for loc in stockFile.locations {
            for (sku, qty) in loc.quantities {
                guard let id = idBySku[sku] else {
                    throw DataError("stock.json: location \(loc.locationId) lists unknown SKU \(sku)")
                }
                stock[loc.locationId, default: [:]][id] = qty
            }
        }
        var data = try ChainData(name: chain.name, taxRules: chain.taxRules, locations: chain.locations,
                                 users: chain.users, products: products, stock: stock)
        for sku in chain.quickKeys ?? [] {
            guard let id = idBySku[sku] else { throw DataError("chain.json: quickKeys lists unknown SKU \(sku)") }
            data.quickKeys.append(id)
        }
        return data
    }

    static func decode<T: Decodable>(_ url: URL) throws(DataError) -> T {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataError("cannot read \(url.path): \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw DataError("\(url.lastPathComponent) is not valid: \(error)")
        }
    }

    func validate() throws(DataError) {
        func unique<K: Hashable>(_ keys: [K], _ what: String) throws(DataError) {
            var seen = Set<K>()
            for k in keys where !seen.insert(k).inserted { throw DataError("duplicate \(what): \(k)") }
        }
        try unique(locations.map(\.id), "location id")
        try unique(locations.map(\.code), "location code")
        try unique(products.map(\.id), "product id")
        try unique(products.map(\.sku), "SKU")
        try unique(products.map(\.barcode), "barcode")
        try unique(users.map(\.id), "user id")
        try unique(users.map(\.username), "username")
        let ruleCodes = Set(taxRules.map(\.code))
        for loc in locations where !ruleCodes.contains(loc.taxRule) {
            throw DataError("location \(loc.code) uses unknown tax rule \(loc.taxRule)")
        }
        for p in products {
            guard EAN13.isValid(p.barcode) else { throw DataError("product \(p.sku): barcode \(p.barcode) is not a valid EAN-13") }
            guard p.price.isPositive else { throw DataError("product \(p.sku): price must be positive") }
            guard p.reorderPoint >= 0, p.overstockThreshold > p.reorderPoint else {
                throw DataError("product \(p.sku): overstock threshold must exceed the reorder point")
            }
        }
        let locationIds = Set(locations.map(\.id))
        for u in users {
            guard locationIds.contains(u.storeId) else { throw DataError("user \(u.username) works at unknown location \(u.storeId)") }
            guard u.pin.count >= 4, u.pin.allSatisfy(\.isNumber) else { throw DataError("user \(u.username): PIN must be 4+ digits") }
        }
        for id in stock.keys where !locationIds.contains(id) { throw DataError("stock for unknown location \(id)") }
    }
}

public struct DataError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Finds data/: an explicit path, then $CAISSE_DATA, then the nearest data/
/// above the working directory, then above the executable (so a binary under
/// .build/ finds the checkout's data/).
public enum DataDirectory {
    public static func locate(explicit: String? = nil) throws(DataError) -> URL {
        let fm = FileManager.default
        func isData(_ url: URL) -> Bool { fm.fileExists(atPath: url.appendingPathComponent("chain.json").path) }
        if let explicit {
            let url = URL(fileURLWithPath: explicit)
            guard isData(url) else { throw DataError("\(explicit) has no chain.json") }
            return url
        }
        if let env = ProcessInfo.processInfo.environment["CAISSE_DATA"], !env.isEmpty {
            let url = URL(fileURLWithPath: env)
            guard isData(url) else { throw DataError("CAISSE_DATA=\(env) has no chain.json") }
            return url
        }
        let starts = [URL(fileURLWithPath: fm.currentDirectoryPath),
                      URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()]
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("data")
                if isData(candidate) { return candidate }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw DataError("cannot find the demo data (data/chain.json); pass --data DIR or set CAISSE_DATA")
    }
}

extension ChainData {
    /// The chain's people with their PINs hashed, as stores keep them.
    public func hashedUsers(_ hasher: PinHasher) throws -> [User] {
        try users.map { u in
            User(id: u.id, username: u.username, displayName: u.displayName, role: u.role, storeId: u.storeId,
                 pinHash: try hasher.hash(pin: u.pin))
        }
    }

    /// What a till of `storeId` may hold for offline login: its own store's
    /// people, never an admin's or another store's (docs/security.md).
    public func hashedUsers(_ hasher: PinHasher, allowedAt storeId: Int64) throws -> [User] {
        try hashedUsers(hasher).filter { $0.storeId == storeId && $0.role != .admin }
    }

    /// The stock a register of `storeId` starts with: its own and the warehouse's.
    public func registerStock(storeId: Int64) -> [Int64: [Int64: Int]] {
        var result: [Int64: [Int64: Int]] = [storeId: stock[storeId] ?? [:]]
        if let warehouse { result[warehouse.id] = stock[warehouse.id] ?? [:] }
        return result
    }
}
