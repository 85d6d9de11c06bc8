import CaisseAPI
import CaisseCore
import CentralModel
import Hummingbird
import Metrics

struct IdentityRoutes {
    let service: CentralService

    func register(on v1: RouterGroup<CentralContext>) {
        v1.post("auth/login") { request, context -> LoginResponse in
            let body = try await request.decode(as: LoginRequest.self, context: context)
            guard (1...64).contains(body.username.count), (1...32).contains(body.pin.count) else {
                throw APIError(.unprocessableContent, code: "invalid", message: "username and pin are required")
            }
            var register: RegisterRecord?
            if case .register(let r)? = context.principal { register = r }
            do {
                return try await service.login(username: body.username, pin: body.pin, from: register)
            } catch CentralService.LoginError.invalid {
                Counter(label: "caisse.login.failures").increment()
                // What an operator acts on (issue 29): which account, from which register; never the PIN.
                context.logger.warning("login refused", metadata: ["username": .string(body.username), "from_register": .string(register?.id ?? "none")])
                throw APIError.unauthorized("wrong username or PIN (a store's staff sign in from a register of their store)")
            } catch CentralService.LoginError.locked(let seconds) {
                Counter(label: "caisse.login.locked").increment()
                context.logger.warning("login locked", metadata: ["username": .string(body.username), "seconds": .stringConvertible(seconds),
                                                                  "from_register": .string(register?.id ?? "none")])
                throw APIError(.tooManyRequests, code: "locked", message: "too many wrong PINs: try again in \(seconds) s",
                               headers: [.retryAfter: String(seconds)])
            } catch is LoginGate.Busy {
                Counter(label: "caisse.login.busy").increment()
                throw APIError(.tooManyRequests, code: "busy", message: "too many logins at once: try again in 1 s",
                               headers: [.retryAfter: "1"])
            }
        }

        /// Ends the caller's session: its token stops working at once, on every instance.
        v1.post("auth/logout") { request, context -> HTTPResponse.Status in
            guard case .user = try context.requirePrincipal(), let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
                throw APIError.forbidden("only a person's session can log out")
            }
            let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
            try await service.identity.endSession(tokenDigest: BearerToken.digest(token))
            return .noContent
        }

        v1.get("locations") { _, context -> [Location] in
            try context.requirePrincipal()
            return try await service.identity.locations()
        }

        // The chain's people (no PIN hashes): head office sees everyone, a store's manager their store.
        v1.get("users") { request, context -> Response in
            let principal = try context.require(.manager)
            var store = try request.stringQuery("store").map { raw -> Int64 in
                guard let id = Int64(raw) else { throw APIError.badRequest("store must be an integer") }
                return id
            }
            if !context.callerIsHeadOffice {
                if let store, store != principal.storeId { try context.requireStoreAccess(store) }
                store = principal.storeId
            }
            let scope = store
            return try await service.responses.json("users|\(scope.map(String.init) ?? "")", version: try await service.dataVersion(context).users,
                                                    encoder: context.responseEncoder) {
                try await service.identity.users(storeId: scope).map {
                    UserInfo(id: $0.id, username: $0.username, displayName: $0.displayName, role: $0.role, storeId: $0.storeId)
                }
            }
        }
    }
}
