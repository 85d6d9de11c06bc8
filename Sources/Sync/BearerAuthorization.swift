import HTTPTypes
import OpenAPIRuntime
import Foundation

/// Puts the caller's token on every request: a register's, or a person's session.
struct BearerAuthorization: ClientMiddleware {
    let token: String
    init(_ token: String) { self.token = token }

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                          next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        if !token.isEmpty { request.headerFields[.authorization] = "Bearer \(token)" }
        return try await next(request, body, baseURL)
    }
}
