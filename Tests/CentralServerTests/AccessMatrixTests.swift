import CaisseAPI
import CaisseCore
import CentralServer
import CentralStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// docs/security.md's matrix, walked over every operation of openapi.yaml with
/// every kind of caller, from the caller's own store and from another: a
/// refusal (401/403) exactly where the matrix says no, never a 5xx. A new route
/// fails here until it has a row.
@Suite("Access matrix")
struct AccessMatrixTests {
    enum Caller: String, CaseIterable, CustomStringConvertible {
        case anonymous, register, cashier, employee, storeManager, headOffice, admin
        var description: String { rawValue }
        var username: String? {
            switch self {
            case .cashier: "caissier.cv"
            case .employee: "employe.cv"
            case .storeManager: "gerant.cv"
            case .headOffice: "gerant.mm"
            case .admin: "admin"
            case .anonymous, .register: nil
            }
        }
        var pin: String { self == .admin ? "9999" : self == .employee ? "2222" : self == .cashier ? "1111" : "3333" }
    }

    /// Where the caller (of store CV, or head office) aims: its own store (CV) or another (NORD).
    enum Target: String, CaseIterable { case own, other }

    struct Row: Sendable {
        var operation: String
        /// Who may, for each target (store-free operations list the same set twice).
        var allowed: [Target: Set<Caller>]
        /// The request for a target: path (with query) and JSON body.
        var request: @Sendable (Target, Fixtures) -> (String, String?)
    }

    struct Fixtures: Sendable {
        var ownRequest: String
        var otherRequest: String
    }

    static let everyone = Set(Caller.allCases)
    static let signedIn = everyone.subtracting([.anonymous])
    static let people = Set<Caller>([.cashier, .employee, .storeManager, .headOffice, .admin])
    static let staffAndRegister = Set<Caller>([.register, .employee, .storeManager, .headOffice, .admin])
    static let managers = Set<Caller>([.storeManager, .headOffice, .admin])
    static let headOffice = Set<Caller>([.headOffice, .admin])

    static func same(_ callers: Set<Caller>) -> [Target: Set<Caller>] { [.own: callers, .other: callers] }
    static func scoped(own: Set<Caller>, other: Set<Caller>) -> [Target: Set<Caller>] { [.own: own, .other: other] }
    static func store(_ t: Target) -> Int64 { t == .own ? 1 : 2 }
    static let product = #"{"sku":"MAT-1","barcode":"2999999999994","name":"Matrice","category":"Test","priceCents":100,"taxClass":"standard","reorderPoint":1,"overstockThreshold":9}"#

    static let promotion = #"{"name":"Matrice","kind":"percent_off","percentMicros":100000,"productIds":[1],"startDay":"2026-01-01","endDay":"2026-12-31"}"#

    static let rows: [Row] = [
        Row(operation: "GET /health", allowed: same(everyone)) { _, _ in ("/health", nil) },
        Row(operation: "GET /ready", allowed: same(everyone)) { _, _ in ("/ready", nil) },
        Row(operation: "GET /metrics", allowed: same(everyone)) { _, _ in ("/metrics", nil) },
        Row(operation: "GET /openapi.yaml", allowed: same(everyone)) { _, _ in ("/openapi.yaml", nil) },
        // A store user's PIN opens a session only with a register of their store (ADR 0014).
        Row(operation: "POST /v1/auth/login", allowed: same([.register])) { _, _ in ("/v1/auth/login", #"{"username":"caissier.cv","pin":"1111"}"#) },
        Row(operation: "POST /v1/auth/logout", allowed: same(people)) { _, _ in ("/v1/auth/logout", nil) },
        Row(operation: "GET /v1/locations", allowed: same(signedIn)) { _, _ in ("/v1/locations", nil) },
        Row(operation: "GET /v1/users", allowed: scoped(own: managers, other: headOffice)) { t, _ in ("/v1/users?store=\(store(t))", nil) },
        Row(operation: "GET /v1/products", allowed: same(signedIn)) { _, _ in ("/v1/products", nil) },
        Row(operation: "POST /v1/products", allowed: same([.admin])) { _, _ in ("/v1/products", product) },
        Row(operation: "GET /v1/products/{id}", allowed: same(signedIn)) { _, _ in ("/v1/products/1", nil) },
        Row(operation: "PUT /v1/products/{id}", allowed: same([.admin])) { _, _ in ("/v1/products/999999", product) },
        Row(operation: "GET /v1/products/sku/{sku}", allowed: same(signedIn)) { _, _ in ("/v1/products/sku/TIM-0001", nil) },
        Row(operation: "GET /v1/products/barcode/{barcode}", allowed: same(signedIn)) { _, _ in ("/v1/products/barcode/2000000000015", nil) },
        Row(operation: "GET /v1/promotions", allowed: same(signedIn)) { _, _ in ("/v1/promotions", nil) },
        Row(operation: "POST /v1/promotions", allowed: same(headOffice)) { _, _ in ("/v1/promotions", promotion) },
        Row(operation: "PUT /v1/promotions/{id}", allowed: same(headOffice)) { _, _ in ("/v1/promotions/999999", promotion) },
        Row(operation: "GET /v1/stores/{storeId}/discount-policy", allowed: scoped(own: signedIn, other: headOffice)) { t, _ in
            ("/v1/stores/\(store(t))/discount-policy", nil)
        },
        Row(operation: "PUT /v1/stores/{storeId}/discount-policy", allowed: same(headOffice)) { t, _ in
            ("/v1/stores/\(store(t))/discount-policy", #"{"staffLimitPercent":15}"#)
        },
        Row(operation: "GET /v1/stores/{storeId}/quick-keys", allowed: scoped(own: signedIn, other: headOffice)) { t, _ in
            ("/v1/stores/\(store(t))/quick-keys", nil)
        },
        Row(operation: "PUT /v1/stores/{storeId}/quick-keys", allowed: scoped(own: managers, other: headOffice)) { t, _ in
            ("/v1/stores/\(store(t))/quick-keys", #"{"productIds":[1,2]}"#)
        },
        Row(operation: "GET /v1/stock/central", allowed: same(staffAndRegister)) { _, _ in ("/v1/stock/central", nil) },
        Row(operation: "GET /v1/stock/stores/{storeId}", allowed: scoped(own: staffAndRegister, other: headOffice)) { t, _ in
            ("/v1/stock/stores/\(store(t))", nil)
        },
        Row(operation: "GET /v1/restock-requests", allowed: scoped(own: staffAndRegister, other: headOffice)) { t, _ in
            ("/v1/restock-requests?store=\(store(t))", nil)
        },
        Row(operation: "POST /v1/restock-requests", allowed: scoped(own: staffAndRegister, other: headOffice)) { t, _ in
            ("/v1/restock-requests", #"{"productId":2,"quantity":1,"storeId":\#(store(t))}"#)
        },
        Row(operation: "POST /v1/restock-requests/{id}/{action}", allowed: same(headOffice)) { t, f in
            ("/v1/restock-requests/\(t == .own ? f.ownRequest : f.otherRequest)/approve", nil)
        },
        Row(operation: "GET /v1/transfers", allowed: scoped(own: staffAndRegister, other: headOffice)) { t, _ in
            ("/v1/transfers?store=\(store(t))", nil)
        },
        Row(operation: "POST /v1/transfers", allowed: same(headOffice)) { t, _ in
            ("/v1/transfers", #"{"fromStoreId":\#(store(t)),"toStoreId":3,"productId":2,"quantity":1}"#)
        },
        Row(operation: "POST /v1/transfers/{id}/cancel", allowed: same(headOffice)) { _, _ in ("/v1/transfers/none/cancel", nil) },
        Row(operation: "POST /v1/sync/events", allowed: same([.register])) { _, _ in ("/v1/sync/events", #"{"events":[]}"#) },
        Row(operation: "GET /v1/sync/changes", allowed: same([.register])) { _, _ in ("/v1/sync/changes?since=0&limit=1", nil) },
        Row(operation: "GET /v1/sync/stock", allowed: same([.register])) { _, _ in ("/v1/sync/stock?since=0&limit=1", nil) },
        Row(operation: "GET /v1/sales/{receipt}", allowed: same(signedIn)) { _, _ in ("/v1/sales/CV-1-000001", nil) },
        Row(operation: "GET /v1/customers", allowed: same(signedIn)) { _, _ in ("/v1/customers?q=5145550101", nil) },
        Row(operation: "POST /v1/customers", allowed: same(signedIn)) { _, _ in ("/v1/customers", #"{"phone":"5145550199","language":"fr","loyaltyConsent":true,"marketingConsent":false}"#) },
        Row(operation: "GET /v1/customers/{id}", allowed: same(signedIn)) { _, _ in ("/v1/customers/1", nil) },
        Row(operation: "GET /v1/customers/{id}/loyalty", allowed: same(signedIn)) { _, _ in ("/v1/customers/1/loyalty", nil) },
        Row(operation: "POST /v1/customers/{id}/points", allowed: same(headOffice)) { _, _ in ("/v1/customers/1/points", #"{"points":5,"reason":"x"}"#) },
        Row(operation: "GET /v1/customers/{id}/export", allowed: same(headOffice)) { _, _ in ("/v1/customers/1/export", nil) },
        Row(operation: "POST /v1/customers/{id}/erase", allowed: same(headOffice)) { _, _ in ("/v1/customers/999/erase", nil) },
        Row(operation: "GET /v1/loyalty/program", allowed: same(signedIn)) { _, _ in ("/v1/loyalty/program", nil) },
        Row(operation: "PUT /v1/loyalty/program", allowed: same(headOffice)) { _, _ in ("/v1/loyalty/program", #"{"pointsPerDollar":10,"rewards":[]}"#) },
        Row(operation: "POST /v1/loyalty/holds", allowed: same(signedIn)) { _, _ in ("/v1/loyalty/holds", #"{"cardNumber":"2900000000017","reward":0}"#) },
        Row(operation: "GET /v1/orders", allowed: scoped(own: signedIn, other: headOffice)) { t, _ in ("/v1/orders?store=\(store(t))", nil) },
        Row(operation: "POST /v1/orders/{id}/{action}", allowed: same(signedIn)) { _, _ in ("/v1/orders/none/prepare", nil) },
        Row(operation: "POST /v1/loyalty/holds/{id}/{action}", allowed: same(signedIn)) { _, _ in ("/v1/loyalty/holds/none/release", nil) },
        Row(operation: "GET /v1/exceptions", allowed: same(headOffice)) { _, _ in ("/v1/exceptions", nil) },
        Row(operation: "POST /v1/exceptions/{id}/resolve", allowed: same(headOffice)) { _, _ in ("/v1/exceptions/1/resolve", #"{"note":"x"}"#) },
        Row(operation: "GET /v1/reports/sales", allowed: same(managers)) { _, _ in ("/v1/reports/sales", nil) },
        Row(operation: "GET /v1/dashboard", allowed: same(managers)) { _, _ in ("/v1/dashboard", nil) },
    ]

    /// receive and cancel: the store's own people and registers, or head office.
    static let storeActions: [Target: Set<Caller>] = scoped(own: staffAndRegister, other: headOffice)

    @Test func everyOperationOfTheSpecHasARow() throws {
        #expect(Set(Self.rows.map(\.operation)) == (try SpecTests.specOperations()))
    }

    @Test func centralAnswersAsTheMatrixSays() async throws {
        let central = try await TestCentral()
        try await central.app.test(.router) { client in
            var tokens: [Caller: String] = [.register: central.tokens["CV-1"]!]   // allowed: TestCentral enrols CV-1
            for caller in Caller.allCases { if let name = caller.username { tokens[caller] = try await client.login(name, caller.pin) } }
            func request(_ caller: Caller, _ operation: String, _ path: String, _ body: String?, token: String? = nil) async throws -> Int {
                let method: HTTPRequest.Method = operation.hasPrefix("GET") ? .get : operation.hasPrefix("PUT") ? .put : .post
                return try await Int(client.call(method, path, token: token ?? tokens[caller], json: body).status.code)
            }
            func newRequest(_ storeId: Int64) async throws -> String {
                try await central.store.createRestock(id: UUID().uuidString.lowercased(), storeId: storeId, productId: 2, quantity: 1,
                                                      note: nil, at: 1).id
            }
            for row in Self.rows {
                for target in Target.allCases {
                    for caller in Caller.allCases {
                        let fixtures = Fixtures(ownRequest: try await newRequest(1), otherRequest: try await newRequest(2))
                        let (path, body) = row.request(target, fixtures)
                        // A logout ends the session it is sent with: each one gets a fresh session.
                        var token: String?
                        if row.operation.hasSuffix("logout"), let name = caller.username { token = try await client.login(name, caller.pin) }
                        let status = try await request(caller, row.operation, path, body, token: token)
                        let allowed = row.allowed[target]?.contains(caller) ?? false
                        #expect(status < 500, "\(row.operation) \(target) as \(caller): \(status)")
                        #expect((status == 401 || status == 403) == !allowed,
                                "\(row.operation) (\(target) store) as \(caller): \(status), the matrix says \(allowed ? "allowed" : "refused")")
                    }
                }
            }
            // receive and cancel of a request of the caller's store, and of another's.
            for action in ["receive", "cancel"] {
                for target in Target.allCases {
                    for caller in Caller.allCases {
                        let id = try await newRequest(Self.store(target))
                        let status = try await request(caller, "POST", "/v1/restock-requests/\(id)/\(action)", nil)
                        let allowed = Self.storeActions[target]?.contains(caller) ?? false
                        #expect((status == 401 || status == 403) == !allowed, "\(action) (\(target) store) as \(caller): \(status)")
                    }
                }
            }
        }
    }
}
