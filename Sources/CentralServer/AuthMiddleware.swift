import Foundation
import CaisseAPI
import CentralStore
import Hummingbird

/// Reads `Authorization: Bearer TOKEN` and sets who is calling. A token that
/// is present but unknown, revoked or expired is refused at once (401); no
/// token leaves the caller anonymous, and each route decides.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = CentralContext
    let service: CentralService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        guard header.hasPrefix("Bearer "), case let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces),
              !token.isEmpty, token.count <= 256 else {
            throw APIError.unauthorized("the Authorization header must be 'Bearer TOKEN'")
        }
        let digest = BearerToken.digest(token)
        var context = context
        if let register = try await service.store.register(tokenDigest: digest) {
            guard !register.revoked else { throw APIError.unauthorized("register \(register.id) was revoked") }
            context.principal = .register(register)
        } else if let user = try await service.store.sessionUser(tokenDigest: digest, now: service.clock()) {
            context.principal = .user(user)
        } else {
            throw APIError.unauthorized("unknown or expired token")
        }
        return try await next(request, context)
    }
}
