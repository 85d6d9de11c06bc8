import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import Hummingbird

struct StockRoutes {
    let service: CentralService

    func register(on v1: RouterGroup<CentralContext>) {
        /// The central warehouse: for registers and staff of every store.
        v1.get("stock/central") { _, context -> Response in
            try context.require(.employee, registers: true)
            let version = try await service.dataVersion(context).changes
            return try await service.responses.json("stock|central", version: version, encoder: context.responseEncoder) {
                guard let warehouse = try await service.identity.locations().first(where: { $0.kind == .warehouse }) else {
                    throw APIError.notFound("the chain has no warehouse")
                }
                return StockResponse(location: warehouse, lines: try await service.stockLevels.stock(locationId: warehouse.id))
            }
        }
        /// A store's stock: its own registers and staff, or a manager.
        v1.get("stock/stores/:storeId") { _, context -> Response in
            let storeId = try context.parameters.int64("storeId")
            try context.requireStoreAccess(storeId)
            let version = try await service.dataVersion(context).changes
            return try await service.responses.json("stock|\(storeId)", version: version, encoder: context.responseEncoder) {
                guard let location = try await service.identity.location(id: storeId) else {
                    throw APIError.notFound("no store \(storeId)")
                }
                return StockResponse(location: location, lines: try await service.stockLevels.stock(locationId: storeId))
            }
        }

        v1.get("restock-requests") { request, context -> [RestockRequest] in
            let principal = try context.require(.employee, registers: true)
            var storeId = try request.stringQuery("store").map { raw -> Int64 in
                guard let id = Int64(raw) else { throw APIError.badRequest("store must be an integer") }
                return id
            }
            if context.callerIsHeadOffice {
                // Head office sees every store's requests, or the one it asks for.
            } else {
                if let storeId, storeId != principal.storeId { try context.requireStoreAccess(storeId) }
                storeId = principal.storeId
            }
            let state = try request.stringQuery("state").map { raw -> RestockState in
                guard let s = RestockState(rawValue: raw) else {
                    throw APIError.badRequest("state must be one of \(RestockState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return s
            }
            return try await service.restock.restockRequests(RestockQuery(storeId: storeId, state: state))
        }

        /// A store asks the warehouse for goods (registers usually send it through sync instead).
        v1.post("restock-requests") { request, context -> EditedResponse<RestockRequest> in
            let principal = try context.require(.employee, registers: true)
            let body = try await request.decode(as: RestockCreate.self, context: context)
            let storeId = body.storeId ?? principal.storeId
            try context.requireStoreAccess(storeId)
            if let note = body.note, note.count > 500 { throw APIError.badRequest("note is at most 500 characters") }
            let created = try await service.restock.createRestock(id: UUID().uuidString.lowercased(), storeId: storeId,
                                                                productId: body.productId, quantity: body.quantity,
                                                                note: body.note, at: service.clock())
            return EditedResponse(status: .created, headers: [.location: "/v1/restock-requests/\(created.id)"], response: created)
        }

        /// Transfers between stores: a store sees those from or to it, head office all of them.
        v1.get("transfers") { request, context -> [StockTransfer] in
            let principal = try context.require(.employee, registers: true)
            var storeId = try request.stringQuery("store").map { raw -> Int64 in
                guard let id = Int64(raw) else { throw APIError.badRequest("store must be an integer") }
                return id
            }
            if !context.callerIsHeadOffice {
                if let storeId, storeId != principal.storeId { try context.requireStoreAccess(storeId) }
                storeId = principal.storeId
            }
            let state = try request.stringQuery("state").map { raw -> TransferState in
                guard let s = TransferState(rawValue: raw) else {
                    throw APIError.badRequest("state must be one of \(TransferState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return s
            }
            return try await service.transfers.transfers(TransferQuery(storeId: storeId, state: state))
        }

        /// Head office asks a store to send units to another; the stores' tills ship and receive
        /// through their journals (a store asks another through its till's journal too).
        v1.post("transfers") { request, context -> EditedResponse<StockTransfer> in
            try context.requireHeadOffice()
            let body = try await request.decode(as: TransferCreate.self, context: context)
            let created = try await service.transfers.createTransfer(id: UUID().uuidString.lowercased(), from: body.fromStoreId, to: body.toStoreId,
                                                                 productId: body.productId, quantity: body.quantity, note: body.note,
                                                                 at: service.clock())
            return EditedResponse(status: .created, headers: [.location: "/v1/transfers/\(created.id)"], response: created)
        }

        /// Head office withdraws a request that has not been shipped.
        v1.post("transfers/:id/cancel") { _, context -> StockTransfer in
            try context.requireHeadOffice()
            return try await service.transfers.cancelTransfer(id: context.parameters.get("id") ?? "", at: service.clock())
        }

        /// approve, reject, ship: head office only. receive, cancel: the store's own staff or registers too.
        v1.post("restock-requests/:id/:action") { _, context -> RestockRequest in
            let id = context.parameters.get("id") ?? ""
            guard let action = context.parameters.get("action").flatMap(RestockAction.init(rawValue:)) else {
                throw APIError.notFound("unknown action: use approve, reject, ship, receive or cancel")
            }
            switch action {
            case .approve, .reject, .ship:
                try context.requireHeadOffice()
            case .receive, .cancel:
                guard let request = try await service.restock.restockRequests(RestockQuery(id: id)).first else {
                    throw APIError.notFound("no restock request \(id)")
                }
                try context.requireStoreAccess(request.storeId)
            }
            return try await service.restock.transitionRestock(id: id, action: action, at: service.clock())
        }
    }
}
