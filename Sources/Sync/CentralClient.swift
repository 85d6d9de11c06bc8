import AsyncHTTPClient
import CaisseAPI
import CaisseCore
import Foundation
import NIOCore

/// Central's staff API as the till's screens use it (live stock, reports,
/// dashboard, restock decisions). `token` is a register token for the store's
/// own data or a user session token (from `login`) for what needs a role.
extension SyncClient {
    public func login(username: String, pin: String) async throws -> LoginResponse {
        try await call(post: true, "/v1/auth/login", body: LoginRequest(username: username, pin: pin), LoginResponse.self)
    }

    public func centralStock() async throws -> StockResponse {
        try await call(post: false, "/v1/stock/central", StockResponse.self)
    }

    public func storeStock(_ storeId: Int64) async throws -> StockResponse {
        try await call(post: false, "/v1/stock/stores/\(storeId)", StockResponse.self)
    }

    public func salesReport(from: Day, to: Day, top: Int = 10) async throws -> SalesReportResponse {
        try await call(post: false, "/v1/reports/sales?from=\(from.iso)&to=\(to.iso)&top=\(top)", SalesReportResponse.self)
    }

    public func dashboard() async throws -> DashboardResponse {
        try await call(post: false, "/v1/dashboard", DashboardResponse.self)
    }

    public func restockRequests(state: RestockState?) async throws -> [RestockRequest] {
        try await call(post: false, "/v1/restock-requests" + (state.map { "?state=\($0.rawValue)" } ?? ""), [RestockRequest].self)
    }

    public func restock(_ id: String, _ action: RestockAction) async throws -> RestockRequest {
        try await call(post: true, "/v1/restock-requests/\(id)/\(action.rawValue)", RestockRequest.self)
    }

    /// What tills recorded that central's state disagreed with, open ones (head office).
    public func exceptions() async throws -> [CentralException] {
        try await call(post: false, "/v1/exceptions", ExceptionList.self).exceptions
    }

    public func resolveException(_ id: Int64, note: String, decision: ExceptionDecision? = nil) async throws -> CentralException {
        try await call(post: true, "/v1/exceptions/\(id)/resolve", body: ResolveExceptionRequest(note: note, decision: decision), CentralException.self)
    }

    /// Every promotion (head office's screen at the till).
    public func promotions() async throws -> [Promotion] {
        try await call(post: false, "/v1/promotions", [Promotion].self)
    }

    public func createPromotion(_ input: PromotionInput) async throws -> Promotion {
        try await call(post: true, "/v1/promotions", body: input, Promotion.self)
    }

    public func updatePromotion(_ id: Int64, _ input: PromotionInput) async throws -> Promotion {
        try await call(verb: .put, "/v1/promotions/\(id)", body: input, Promotion.self)
    }

    /// Head office asks one store to send another units (the stores' tills ship and receive).
    public func createTransfer(_ body: TransferCreate) async throws -> StockTransfer {
        try await call(post: true, "/v1/transfers", body: body, StockTransfer.self)
    }

    /// Head office withdraws a transfer not shipped yet.
    public func cancelTransfer(_ id: String) async throws -> StockTransfer {
        try await call(post: true, "/v1/transfers/\(id)/cancel", StockTransfer.self)
    }

    private func call<T: Decodable>(post: Bool, _ path: String, _ type: T.Type) async throws -> T {
        try await call(post: post, path, body: Optional<Int>.none, type)
    }

    private func call<Body: Encodable, T: Decodable>(post: Bool, _ path: String, body: Body?, _ type: T.Type) async throws -> T {
        try await call(verb: post ? .post : .get, path, body: body, type)
    }

    private enum Verb { case get, post, put }

    private func call<Body: Encodable, T: Decodable>(verb: Verb, _ path: String, body: Body?, _ type: T.Type) async throws -> T {
        var request = HTTPClientRequest(url: baseURL + path)
        switch verb {
        case .get: request.method = .GET
        case .post: request.method = .POST
        case .put: request.method = .PUT
        }
        if !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try WireJSON.encoder.encode(body)))
        }
        let (status, answer) = try await send(request)
        guard (200..<300).contains(status) else { throw failure(status, answer) }
        return try decode(T.self, answer)
    }
}
