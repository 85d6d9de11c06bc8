import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import Hummingbird

/// Customers and their points (issue 27). The counter (a register, or staff from cashier up)
/// finds a customer by exact phone, email or card and opens accounts; head office also finds by
/// name, adjusts points, sets the program, exports and erases a person's data.
struct CustomerRoutes {
    let service: CentralService

    func register(on v1: RouterGroup<CentralContext>) {
        v1.get("customers") { request, context -> CustomerList in
            try context.require(.cashier, registers: true)
            guard let q = request.stringQuery("q") else { throw APIError.badRequest("q: a phone, an email or a card number") }
            return CustomerList(customers: try await service.customers.customers(matching: q, byName: context.callerIsHeadOffice, limit: 20))
        }

        v1.post("customers") { request, context -> EditedResponse<Customer> in
            let principal = try context.require(.cashier, registers: true)
            let input = try await request.decode(as: CustomerInput.self, context: context)
            let storeId: Int64? = switch principal {
            case .register(let r): r.storeId
            case .user(let u): context.callerIsHeadOffice ? nil : u.storeId
            }
            return EditedResponse(status: .created, response: try await service.customers.createCustomer(input, storeId: storeId, at: service.clock()))
        }

        v1.get("customers/:id") { _, context -> Customer in
            try context.require(.cashier, registers: true)
            guard let customer = try await service.customers.customer(id: try Self.id(context)), customer.erasedAt == nil else {
                throw APIError.notFound("no such customer")
            }
            return customer
        }

        v1.get("customers/:id/loyalty") { _, context -> LoyaltyAccount in
            try context.require(.cashier, registers: true)
            return try await service.customers.loyaltyAccount(customerId: try Self.id(context))
        }

        v1.post("customers/:id/points") { request, context -> LoyaltyEntry in
            try context.requireHeadOffice()
            let body = try await request.decode(as: PointsAdjustment.self, context: context)
            return try await service.customers.adjustPoints(customerId: try Self.id(context), body, at: service.clock())
        }

        /// Law 25 / PIPEDA: everything central holds about the person; who asked is recorded.
        v1.get("customers/:id/export") { _, context -> CustomerExport in
            let user = try context.requireHeadOffice()
            return try await service.customers.exportCustomer(id: try Self.id(context), by: user.username, at: service.clock())
        }

        v1.post("customers/:id/erase") { _, context -> Customer in
            let user = try context.requireHeadOffice()
            let gone = try await service.customers.eraseCustomer(id: try Self.id(context), by: user.username, at: service.clock())
            context.logger.notice("customer erased", metadata: ["customer": .stringConvertible(gone.id), "by": .string(user.username)])
            return gone
        }

        v1.get("loyalty/program") { _, context -> LoyaltyProgram in
            try context.requirePrincipal()
            return try await service.customers.loyaltyProgram()
        }

        v1.put("loyalty/program") { request, context -> LoyaltyProgram in
            try context.requireHeadOffice()
            let program = try await request.decode(as: LoyaltyProgram.self, context: context)
            try await service.customers.setLoyaltyProgram(program)
            return program
        }

        /// Points set aside at the till for a reward; redeemed with the sale, or released.
        v1.post("loyalty/holds") { request, context -> EditedResponse<LoyaltyHold> in
            try context.require(.cashier, registers: true)
            let body = try await request.decode(as: LoyaltyHoldRequest.self, context: context)
            guard LoyaltyCard.isCard(body.cardNumber) else { throw APIError.badRequest("cardNumber: a loyalty card (13 digits starting with 29)") }
            let hold = try await service.customers.holdPoints(body, id: UUID().uuidString.lowercased(), at: service.clock())
            return EditedResponse(status: .created, response: hold)
        }

        v1.post("loyalty/holds/:id/:action") { _, context -> LoyaltyEntry in
            try context.require(.cashier, registers: true)
            let id = context.parameters.get("id") ?? ""
            guard (1...64).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw APIError.badRequest("id: the hold's id")
            }
            switch context.parameters.get("action") {
            case "redeem": return try await service.customers.settleHold(id: id, redeemed: true, at: service.clock())
            case "release": return try await service.customers.settleHold(id: id, redeemed: false, at: service.clock())
            default: throw APIError.notFound("unknown action: use redeem or release")
            }
        }
    }

    static func id(_ context: CentralContext) throws -> Int64 {
        guard let raw = context.parameters.get("id"), let id = Int64(raw), id > 0 else { throw APIError.badRequest("id must be a positive integer") }
        return id
    }
}

/// A store's orders for pickup (issue 27): its registers and staff list them and move them on
/// (prepare, ready, cancel, pickup with the sale it became); head office sees every store's.
struct OrderRoutes {
    let service: CentralService

    func register(on v1: RouterGroup<CentralContext>) {
        v1.get("orders") { request, context -> OrderList in
            guard let raw = request.stringQuery("store"), let storeId = Int64(raw), storeId > 0 else {
                throw APIError.badRequest("store: the store's id")
            }
            try context.requireStoreAccess(storeId, staffRole: .cashier)
            let state = request.stringQuery("state") ?? "open"
            guard state == "open" || state == "all" else { throw APIError.badRequest("state must be open or all") }
            return OrderList(orders: try await service.storefront.orders(storeId: storeId, openOnly: state == "open", at: service.clock()))
        }

        v1.post("orders/:id/:action") { request, context -> OnlineOrder in
            try context.require(.cashier, registers: true)
            let id = context.parameters.get("id") ?? ""
            guard (1...64).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw APIError.badRequest("id: the order's id")
            }
            guard let action = context.parameters.get("action").flatMap(OnlineOrder.Action.init(rawValue:)) else {
                throw APIError.notFound("unknown action: use prepare, ready, cancel or pickup")
            }
            guard let order = try await service.storefront.order(id: id, at: service.clock()) else { throw APIError.notFound("no order \(id)") }
            try context.requireStoreAccess(order.storeId, staffRole: .cashier)
            let body = action == .pickup ? try await request.decode(as: OrderPickup.self, context: context) : nil
            return try await service.storefront.transitionOrder(id: id, action: action, storeId: context.callerIsHeadOffice ? nil : order.storeId,
                                                           customerId: nil, saleId: body?.saleId, at: service.clock())
        }
    }
}
