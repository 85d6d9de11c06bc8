import CaisseCore
import CentralModel
import Foundation
import Hummingbird

/// Who is calling: a register (bound to one store) or a logged-in person.
public enum Principal: Sendable, Hashable {
    case register(RegisterRecord)
    case user(User)

    /// The store the caller belongs to.
    var storeId: Int64 {
        switch self {
        case .register(let r): r.storeId
        case .user(let u): u.storeId
        }
    }
}

public struct CentralContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    /// The data version cached reads of this request are checked against.
    public var dataVersion: DataVersion?
    /// The caller is an admin, or a manager whose location is the head office
    /// (set by AuthMiddleware): only they act across stores (docs/security.md).
    public var callerIsHeadOffice = false
    /// Who the request came from, for its log line (set by `RequestLogMiddleware`).
    public var requestLog: RequestLogRecord?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
        dataVersion = nil
    }

    /// A sync batch of 1,000 events fits; anything larger is refused with 413.
    public var maxUploadSize: Int { 4 * 1024 * 1024 }

    public var responseEncoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    // MARK: Authorisation helpers

    @discardableResult
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw APIError.unauthorized("this needs a bearer token (a register's or a user's from /v1/auth/login)") }
        return principal
    }

    func requireRegister() throws -> RegisterRecord {
        guard case .register(let r) = try requirePrincipal() else { throw APIError.forbidden("only a register can do this") }
        return r
    }

    /// A person with at least `role`, or a register when `registers` allows it.
    @discardableResult
    func require(_ role: Role, registers: Bool = false) throws -> Principal {
        let p = try requirePrincipal()
        switch p {
        case .register:
            guard registers else { throw APIError.forbidden("a register token cannot do this; log in as a \(role.rawValue)") }
        case .user(let u):
            guard u.role.allows(role) else { throw APIError.forbidden("\(u.username) is a \(u.role.rawValue); this needs a \(role.rawValue) or above") }
        }
        return p
    }

    /// Head office's decisions (approve, reject and ship restock, exceptions):
    /// a head-office manager or an admin, never a store's manager.
    @discardableResult
    func requireHeadOffice() throws -> User {
        guard case .user(let u) = try requirePrincipal() else { throw APIError.forbidden("a register token cannot do this; log in as head office") }
        guard callerIsHeadOffice else { throw APIError.forbidden("\(u.username) is not head office; this needs a head-office manager or an admin") }
        return u
    }

    /// Store-scoped data: the store's own registers and staff, or head office.
    func requireStoreAccess(_ storeId: Int64, staffRole: Role = .employee) throws {
        let p = try requirePrincipal()
        switch p {
        case .register(let r):
            guard r.storeId == storeId else { throw APIError.forbidden("register \(r.id) belongs to store \(r.storeId), not \(storeId)") }
        case .user(let u):
            if callerIsHeadOffice { return }
            guard u.role.allows(staffRole) else { throw APIError.forbidden("\(u.username) is a \(u.role.rawValue); this needs a \(staffRole.rawValue) or above") }
            guard u.storeId == storeId else { throw APIError.forbidden("\(u.username) works at store \(u.storeId), not \(storeId)") }
        }
    }
}
