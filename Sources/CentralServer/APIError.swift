import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import Hummingbird
import Logging

/// An error with its HTTP status and a JSON body `{"error": {"code", "message"}}`.
public struct APIError: HTTPResponseError {
    public var status: HTTPResponse.Status
    public var body: ErrorBody
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:], expectedSequence: Int64? = nil) {
        self.status = status
        self.body = ErrorBody(code: code, message: message, expectedSequence: expectedSequence)
        self.headers = headers
    }

    static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, code: "unauthorized", message: message, headers: [.wwwAuthenticate: "Bearer"])
    }
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, code: "forbidden", message: message) }
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, code: "bad_request", message: message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not_found", message: message) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }

    /// Every error a route can throw, as the client should see it. Client
    /// mistakes are 4xx with a message; only a genuine fault is a 500.
    static func from(_ error: any Error, logger: Logger) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case let e as CentralError:
            let status: HTTPResponse.Status = switch e.kind {
            case .notFound: .notFound
            case .invalid: .unprocessableContent
            case .conflict, .journalConflict, .invalidTransition, .insufficientStock: .conflict
            case .forbidden: .forbidden
            case .revoked: .unauthorized
            case .chainBroken: .unprocessableContent
            }
            return APIError(status, code: e.kind.rawValue, message: e.message)
        case let e as DomainError:
            return APIError(.unprocessableContent, code: e.code.rawValue, message: e.message)
        case let e as HTTPError:
            let code = switch e.status.code {
            case 400: "bad_request"
            case 404: "not_found"
            case 413: "too_large"
            default: "http_\(e.status.code)"
            }
            return APIError(e.status, code: code, message: e.body ?? e.status.reasonPhrase, headers: e.headers)
        case let e as any HTTPResponseError where e.status.code < 500:
            return APIError(e.status, code: e.status.code == 413 ? "too_large" : "http_\(e.status.code)", message: e.status.reasonPhrase)
        case is DecodingError:
            return APIError(.badRequest, code: "bad_request", message: "the body is not valid JSON for this request: \(error)")
        default:
            logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            return APIError(.internalServerError, code: "internal", message: "internal error")
        }
    }
}

/// Turns every error into the JSON error body, and tags each response with its request id.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = CentralContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try APIError.from(error, logger: context.logger).response(from: request, context: context)
        }
        response.headers[.init("X-Request-ID")!] = context.id   // allowed: a valid constant header name
        return response
    }
}
