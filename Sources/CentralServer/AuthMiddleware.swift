import Foundation
import CaisseAPI
import CentralModel
import Hummingbird

/// Reads `Authorization: Bearer TOKEN` and sets who is calling. A token that
/// is present but unknown, revoked or expired is refused at once (401); no
/// token leaves the caller anonymous, and each route decides.
///
/// Reads (GET, HEAD) outside sync take the principal from `PrincipalCache`,
/// checked against the data version (ADR 0012). Sync (push, pull, the stock feed)
/// takes the register a token names from `syncTokens`: which register a token is
/// never changes, and a revoked register is refused inside the push's or the
/// pull's own transaction (issue 26: the lookup was one more query per request of
/// every till). Other writes always look the token up in the database; and once a
/// write has been served, the next read re-reads the data version.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = CentralContext
    let service: CentralService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let isRead = request.method == .get || request.method == .head
        // Not /health and the like: they must answer without the database.
        // By segments, as the router matches them: it ignores empty ones, so
        // "/v1//sync/changes" reaches sync and must not count as a plain read.
        let segments = request.uri.path.split(separator: "/")
        let sync = segments.first == "v1" && segments.dropFirst().first == "sync"
        let cacheable = isRead && segments.first == "v1" && !sync
        if cacheable { context.dataVersion = try await service.versions.current(service.store) }
        if let header = request.headers[.authorization] {
            (context.principal, context.callerIsHeadOffice) = try await principal(header: header, version: cacheable ? context.dataVersion : nil,
                                                                                  sync: sync)
            switch context.principal {
            case .register(let r)?:
                context.requestLog?.set("register", r.id)
                context.requestLog?.set("store", String(r.storeId))
            case .user(let u)?:
                context.requestLog?.set("user", u.username)
                context.requestLog?.set("store", String(u.storeId))
            case nil: break
            }
        }
        if isRead { return try await next(request, context) }
        // Counted even when the write failed: a spare version read costs little.
        defer { service.versions.noteLocalWrite() }
        return try await next(request, context)
    }

    /// Who is calling, and whether they act as head office (kept with the principal: a location's kind never changes).
    private func principal(header: String, version: DataVersion?, sync: Bool) async throws -> (Principal, Bool) {
        // Substring trimming, not Foundation's: this runs on every request.
        var token = header.dropFirst(7)
        while token.first?.isWhitespace == true { token.removeFirst() }
        while token.last?.isWhitespace == true { token.removeLast() }
        guard header.hasPrefix("Bearer "), !token.isEmpty, token.utf8.count <= 256 else {
            throw APIError.unauthorized("the Authorization header must be 'Bearer TOKEN'")
        }
        let digest = BearerToken.digest(String(token))
        let now = service.clock()
        if let version, let cached = service.principals.get(digest, identity: version.identity, now: now) {
            return (cached.principal, cached.headOffice)
        }
        if sync, let cached = service.syncTokens.get(digest, identity: [], now: now) { return (cached.principal, false) }
        let entry: PrincipalCache.Entry
        if let register = try await service.identity.register(tokenDigest: digest) {
            guard !register.revoked else { throw APIError.unauthorized("register \(register.id) was revoked") }
            entry = .init(principal: .register(register), expiresAt: nil, identity: version?.identity ?? [], headOffice: false)
        } else if let session = try await service.identity.session(tokenDigest: digest, now: now) {
            entry = .init(principal: .user(session.user), expiresAt: session.expiresAt, identity: version?.identity ?? [],
                          headOffice: try await service.isHeadOffice(session.user))
        } else {
            throw APIError.unauthorized("unknown or expired token")
        }
        // Cached under the version read before the lookup: a change after it shows as a newer version.
        // A person's session too (issue 26: it read 5–7× slower than a register): a logout, the
        // revocation of its register and a change of its user each move the version's identity,
        // so each ends the session at once on every instance; its expiry is kept with it.
        if version != nil { service.principals.put(digest, entry) }
        if sync, case .register = entry.principal { service.syncTokens.put(digest, .init(principal: entry.principal, expiresAt: nil, identity: [], headOffice: false)) }
        return (entry.principal, entry.headOffice)
    }
}
