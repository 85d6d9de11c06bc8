import CaisseAPI
import CaisseCore
import CentralAPIClient
import Foundation

/// Central's staff API as the till's screens use it (live stock, reports,
/// dashboard, restock decisions), through the client generated from openapi.yaml.
/// `token` is a register token for the store's own data or a user session token
/// (from `login`) for what needs a role.
extension SyncClient {
    public func login(username: String, pin: String) async throws -> LoginResponse {
        let output = try await call { try await $0.login(body: .json(.init(username: username, pin: pin))) }
        return try read { try LoginResponse(wire: try output.ok.body.json) }
    }

    public func centralStock() async throws -> StockResponse {
        let output = try await call { try await $0.getCentralStock() }
        return try read { try StockResponse(wire: try output.ok.body.json) }
    }

    public func storeStock(_ storeId: Int64) async throws -> StockResponse {
        let output = try await call { try await $0.getStoreStock(path: .init(storeId: storeId)) }
        return try read { try StockResponse(wire: try output.ok.body.json) }
    }

    public func salesReport(from: Day, to: Day, top: Int = 10) async throws -> SalesReportResponse {
        let output = try await call { try await $0.salesReport(query: .init(from: from.iso, to: to.iso, top: top)) }
        return try read { try SalesReportResponse(wire: try output.ok.body.json) }
    }

    public func dashboard() async throws -> DashboardResponse {
        let output = try await call { try await $0.dashboard() }
        return try read { try DashboardResponse(wire: try output.ok.body.json) }
    }

    public func restockRequests(state: RestockState?) async throws -> [RestockRequest] {
        let output = try await call {
            try await $0.listRestockRequests(query: .init(state: try state.map { try WireValue.closed($0.rawValue, "state") }))
        }
        return try read { try output.ok.body.json.map(RestockRequest.init(wire:)) }
    }

    public func restock(_ id: String, _ action: RestockAction) async throws -> RestockRequest {
        let output = try await call {
            try await $0.moveRestockRequest(path: .init(id: id, action: try WireValue.closed(action.rawValue, "action")))
        }
        return try read { try RestockRequest(wire: try output.ok.body.json) }
    }

    /// What tills recorded that central's state disagreed with, open ones (head office).
    public func exceptions() async throws -> [CentralException] {
        let output = try await call { try await $0.listExceptions() }
        return try read { try output.ok.body.json.exceptions.map(CentralException.init(wire:)) }
    }

    public func resolveException(_ id: Int64, note: String, decision: ExceptionDecision? = nil) async throws -> CentralException {
        let output = try await call {
            try await $0.resolveException(path: .init(id: id), body: .json(.init(
                note: note, decision: try decision.map { try WireValue.closed($0.rawValue, "decision") })))
        }
        return try read { try CentralException(wire: try output.ok.body.json) }
    }

    /// Every promotion (head office's screen at the till).
    public func promotions() async throws -> [Promotion] {
        let output = try await call { try await $0.listPromotions() }
        return try read { try output.ok.body.json.map(Promotion.init(wire:)) }
    }

    public func createPromotion(_ input: PromotionInput) async throws -> Promotion {
        let output = try await call { try await $0.createPromotion(body: .json(try Wire.PromotionInput(input))) }
        return try read { try Promotion(wire: try output.created.body.json) }
    }

    public func updatePromotion(_ id: Int64, _ input: PromotionInput) async throws -> Promotion {
        let output = try await call { try await $0.replacePromotion(path: .init(id: id), body: .json(try Wire.PromotionInput(input))) }
        return try read { try Promotion(wire: try output.ok.body.json) }
    }

    /// Head office asks one store to send another units (the stores' tills ship and receive).
    public func createTransfer(_ body: TransferCreate) async throws -> StockTransfer {
        let output = try await call {
            try await $0.createTransfer(body: .json(.init(fromStoreId: body.fromStoreId, toStoreId: body.toStoreId, productId: body.productId,
                                                          quantity: body.quantity, note: body.note)))
        }
        return try read { try StockTransfer(wire: try output.created.body.json) }
    }

    /// Head office withdraws a transfer not shipped yet.
    public func cancelTransfer(_ id: String) async throws -> StockTransfer {
        let output = try await call { try await $0.cancelTransfer(path: .init(id: id)) }
        return try read { try StockTransfer(wire: try output.ok.body.json) }
    }
}
