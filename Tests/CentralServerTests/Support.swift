import CaisseAPI
import CaisseCore
import CentralServer
import CentralStore
import DemoChain
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RegisterStore
import Testing

let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data")

let demoChain: ChainData = {
    do { return try ChainData.load(from: dataDirectory) } catch { fatalError("data/: \(error)") }   // allowed: test fixture
}()

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("caisse-server-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A seeded central on a real SQLite file, with a register token per store and
/// the app under test.
struct TestCentral {
    let service: CentralService
    let store: SQLiteCentralStore
    /// Register id → token.
    var tokens: [String: String] = [:]

    /// The wall clock (sessions) and the monotonic one that ages cached reads, both moved by hand.
    let wallClock = ManualClock(Int64(Date().timeIntervalSince1970 * 1000))
    let monotonic = ManualClock(1_000_000_000)

    init(pinRounds: Int = 1_000, readCacheMaxAgeMillis: Int = CentralService.defaultReadCacheMaxAgeMillis) async throws {
        store = try SQLiteCentralStore(path: try temporaryFolder().appendingPathComponent("central.sqlite").path)
        try await store.migrate()
        try await store.seed(ChainSeed(name: demoChain.name, locations: demoChain.locations, taxRules: demoChain.taxRules,
                                       products: demoChain.products, users: try demoChain.hashedUsers(PinHasher(rounds: pinRounds)),
                                       stock: demoChain.stock))
        let (wall, mono) = (wallClock, monotonic)
        service = CentralService(store: store, clock: { wall.value }, readCacheMaxAgeMillis: readCacheMaxAgeMillis,
                                 monotonicNanos: { UInt64(mono.value) })
        for (id, storeId) in [("CV-1", Int64(1)), ("NORD-1", Int64(2)), ("MM-1", Int64(5))] {
            let token = Self.registerToken(id)
            _ = try await store.addRegister(id: id, storeId: storeId, name: id, tokenDigest: BearerToken.digest(token))
            tokens[id] = token
        }
    }

    /// Each test central's registers have these tokens, so a login can name its register.
    static func registerToken(_ registerId: String) -> String { "test-register-token-\(registerId)" }

    /// The register a demo user signs in from: one of their store (ADR 0014); nil for stores without one here.
    static func registerToken(forUser username: String) -> String? {
        switch username.split(separator: ".").last {
        case "cv": registerToken("CV-1")
        case "nord": registerToken("NORD-1")
        case "mm": registerToken("MM-1")
        default: nil
        }
    }

    var app: some ApplicationProtocol {
        buildApplication(service: service, host: "127.0.0.1", port: 0, registry: nil, logger: Logger(label: "test"))
    }
}

/// A clock tests move by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64
    init(_ start: Int64) { now = start }
    var value: Int64 { lock.withLock { now } }
    func advance(by delta: Int64) { lock.withLock { now += delta } }
}

extension TestClientProtocol {
    /// A request with an optional bearer token and JSON body.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    func call<T: Encodable>(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: T) async throws -> TestResponse {
        try await call(method, uri, token: token, json: String(decoding: try WireJSON.encoder.encode(body), as: UTF8.self))
    }

    /// Signs in from a register of the user's store (`TestCentral.registerToken(forUser:)`), as a till does; admins from none.
    func login(_ username: String, _ pin: String) async throws -> String {
        let register = username == "admin" ? nil : TestCentral.registerToken(forUser: username)
        let response = try await call(.post, "/v1/auth/login", token: register, body: LoginRequest(username: username, pin: pin))
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return try response.decode(LoginResponse.self).token
    }
}

extension TestResponse {
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
    }

    var errorCode: String? { (try? decode(ErrorBody.self))?.error.code }
}

/// A real register database that makes real journal events.
struct Till {
    let store: RegisterStore
    let cashier: User

    init(registerId: String, storeId: Int64) throws {
        store = try RegisterStore(path: try temporaryFolder().appendingPathComponent("till.sqlite").path)
        try store.install(RegisterSetup(chainName: demoChain.name, registerId: registerId, storeId: storeId,
                                        locations: demoChain.locations, taxRules: demoChain.taxRules, products: demoChain.products,
                                        users: try demoChain.hashedUsers(PinHasher(rounds: 1_000)),
                                        stock: demoChain.registerStock(storeId: storeId)))
        guard let cashier = try store.users().first(where: { $0.storeId == storeId && $0.role == .cashier }) else { throw StoreError("no cashier") }
        self.cashier = cashier
    }

    @discardableResult
    func sell(_ items: [(Int64, Int)]) throws -> Sale {
        var cart = Cart()
        for (id, qty) in items {
            guard let p = try store.product(id: id) else { throw StoreError("no product \(id)") }
            try cart.add(p, quantity: qty)
        }
        var payment = Payment(total: cart.totals(try store.identity().taxRule).total)
        try payment.payExactCash()
        return try store.recordSale(cart: cart, payment: payment, cashierId: cashier.id)
    }
}
