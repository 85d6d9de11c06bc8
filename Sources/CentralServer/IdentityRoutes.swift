import CaisseAPI
import CaisseCore
import CentralStore
import Hummingbird

struct IdentityRoutes {
    let service: CentralService

    func register(on v1: RouterGroup<CentralContext>) {
        v1.post("auth/login") { request, context -> LoginResponse in
            let body = try await request.decode(as: LoginRequest.self, context: context)
            guard (1...64).contains(body.username.count), (1...32).contains(body.pin.count) else {
                throw APIError(.unprocessableContent, code: "invalid", message: "username and pin are required")
            }
            do {
                return try await service.login(username: body.username, pin: body.pin)
            } catch CentralService.LoginError.invalid {
                throw APIError.unauthorized("wrong username or PIN")
            } catch CentralService.LoginError.locked(let seconds) {
                throw APIError(.tooManyRequests, code: "locked", message: "too many wrong PINs: try again in \(seconds) s",
                               headers: [.retryAfter: String(seconds)])
            }
        }

        v1.get("locations") { _, context -> [Location] in
            try context.requirePrincipal()
            return try await service.store.locations()
        }

        // The chain's people (no PIN hashes): managers see everyone.
        v1.get("users") { request, context -> Response in
            try context.require(.manager)
            let store = request.stringQuery("store").flatMap { Int64($0) }
            return try await service.responses.json("users|\(store.map(String.init) ?? "")", version: try await service.dataVersion(context).users,
                                                    encoder: context.responseEncoder) {
                try await service.store.users(storeId: store).map {
                    UserInfo(id: $0.id, username: $0.username, displayName: $0.displayName, role: $0.role, storeId: $0.storeId)
                }
            }
        }
    }
}
