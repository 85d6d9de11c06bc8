import CaisseAPI
import CaisseCore
import CentralModel
import Foundation

/// Customers' web accounts (issue 27): sign-up with a slow hash, sign-in throttled as staff
/// logins are (a count kept in the database, a lock after `maxLoginFailures`, one PBKDF2 run
/// for unknown emails too), sessions apart from staff's.
extension CentralService {
    public struct CustomerSignIn: Sendable {
        public var token: String
        public var csrf: String
        public var customer: Customer
    }

    public func signUp(_ input: CustomerInput, password: String) async throws -> CustomerSignIn {
        try OrderRules.password(password)
        let hash = try passwordHasher.hash(pin: password)
        let customer = try await storefront.signUp(input, passwordHash: hash, at: clock())
        return try await openSession(customer)
    }

    public func signIn(email: String, password: String) async throws -> CustomerSignIn {
        let key = "customer:" + email.lowercased()
        return try await loginGate.serialising(key) {
            let now = clock()
            guard let found = try await storefront.customerLogin(email: email), let stored = found.passwordHash else {
                _ = try await loginGate.verify(pin: password, against: try loginGate.dummyHash(passwordHasher))
                throw LoginError.invalid
            }
            if let until = found.lockedUntil, until > now { throw LoginError.locked(retryAfterSeconds: (until - now + 999) / 1000) }
            guard try await loginGate.verify(pin: password, against: stored) else {
                try await storefront.recordCustomerLoginFailure(customerId: found.customer.id, maxFailures: maxLoginFailures, lockUntil: now + lockMillis)
                throw LoginError.invalid
            }
            try await storefront.recordCustomerLoginSuccess(customerId: found.customer.id)
            return try await openSession(found.customer)
        }
    }

    private func openSession(_ customer: Customer) async throws -> CustomerSignIn {
        let token = BearerToken.generate(), csrf = BearerToken.generate()
        let now = clock()
        try await storefront.openCustomerSession(customerId: customer.id, tokenDigest: BearerToken.digest(token), csrf: csrf,
                                            expiresAt: now + customerSessionMillis, at: now)
        return CustomerSignIn(token: token, csrf: csrf, customer: customer)
    }

    public func customerSession(token: String) async throws -> CustomerSession? {
        guard !token.isEmpty, token.utf8.count <= 256 else { return nil }
        return try await storefront.customerSession(tokenDigest: BearerToken.digest(token), at: clock())
    }
}
