import AsyncHTTPClient
import CaisseAPI
import CentralAPIClient
import Foundation
import HTTPTypes
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// The operations the till calls through the client generated from central's openapi.yaml
/// (ADR 0023): what goes out and what comes back has the spec's shape, or does not compile.
extension SyncClient {
    /// Runs one generated operation; whatever fails on the way is a `SyncError`.
    /// - Parameter readsRefusals: the caller reads central's 4xx itself (a push's gap, a sale not found);
    ///   otherwise any answer but a 2xx is thrown as central's refusal before the body is decoded.
    func call<Output>(note: String? = nil, readsRefusals: Bool = false, _ operation: (Client) async throws -> Output) async throws -> Output {
        guard let url = URL(string: baseURL) else { throw SyncError("central's address is not a URL: \(baseURL)", transient: false) }
        var middlewares: [any ClientMiddleware] = [BearerAuthorization(token), CentralTrail(log: log, clock: centralClock, note: note)]
        if !readsRefusals { middlewares.append(RefusalThrown()) }
        let client = Client(serverURL: url, transport: AsyncHTTPClientTransport(configuration: .init(client: http, timeout: timeout)),
                            middlewares: middlewares)
        do {
            return try await operation(client)
        } catch let error as ClientError {
            throw unreachable(error.underlyingError)
        } catch {
            throw unreachable(error)
        }
    }

    /// A body central sent that the till cannot take (not the spec's shape, an amount out of range).
    func read<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            throw SyncError("central's answer was not understood: \(error)", transient: true)
        }
    }

    func refused(_ status: Int, _ response: Components.Responses._Error) -> SyncError {
        let error = try? response.body.json.error
        return Self.refusal(status, message: error?.message, code: error?.code)
    }

    /// A status the spec does not name for the operation (a proxy's 502, a 500): its body is read as central's error if it is one.
    func undocumented(_ status: Int, _ payload: UndocumentedPayload) async -> SyncError {
        await Self.refusal(status, body: payload.body)
    }

    static func refusal(_ status: Int, body: HTTPBody?) async -> SyncError {
        var bytes = Data()
        if let body, let collected = try? await Data(collecting: body, upTo: 1024 * 1024) { bytes = collected }
        let error = (try? WireJSON.decoder.decode(ErrorBody.self, from: bytes))?.error
        return refusal(status, message: error?.message, code: error?.code)
    }
}

/// Any answer but a 2xx, thrown as central's refusal (its code and message) before the
/// generated client decodes a body it does not have.
struct RefusalThrown: ClientMiddleware {
    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, answer) = try await next(request, body, baseURL)
        guard response.status.kind == .successful else { throw await SyncClient.refusal(response.status.code, body: answer) }
        return (response, answer)
    }
}

/// What the till adds to each request and keeps of each answer: a request id and a W3C trace
/// for central's log and the till's, central's clock from its `Date`, and a second try when a
/// pooled keep-alive connection was closed under a request that may be sent twice.
struct CentralTrail: ClientMiddleware {
    let log: TillLog?
    let clock: CentralClock
    let note: String?
    static let requestId = HTTPField.Name("X-Request-Id")!
    static let traceParent = HTTPField.Name("traceparent")!

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        let id = UUID().uuidString.lowercased()
        let trace = TraceParent.random()
        request.headerFields[Self.requestId] = id
        request.headerFields[Self.traceParent] = trace.header
        let started = Date()
        let route = baseURL.path + String((request.path ?? "").prefix { $0 != "?" })
        func logged(_ status: Int?, _ error: (any Error)? = nil) {
            log?.request(id: id, trace: trace.traceId, method: request.method.rawValue, path: route, status: status,
                         millis: Date().timeIntervalSince(started) * 1000, note: note, error: error.map { "\($0)" })
        }
        do {
            let (response, answer) = try await sendOnceMore(request, body, baseURL, resendable: request.method == .get || operationID == "pushEvents", next)
            logged(response.status.code)
            if let date = response.headerFields[.date] { clock.record(date: date, sent: started, received: Date()) }
            return (response, answer)
        } catch {
            logged(nil, error)
            throw error
        }
    }

    /// The second try (RFC 9110 §9.2.2): when nothing was written, or the request is safe to
    /// repeat (a GET; a push, which central takes once however often it arrives).
    private func sendOnceMore(_ request: HTTPRequest, _ body: HTTPBody?, _ baseURL: URL, resendable: Bool,
                              _ next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, baseURL)
        } catch {
            // The generated client hands middlewares the transport's error wrapped.
            switch (error as? ClientError)?.underlyingError ?? error {
            case let cause as ChannelError where cause == .ioOnClosedChannel: return try await next(request, body, baseURL)
            case let cause as HTTPClientError where cause == .remoteConnectionClosed && resendable: return try await next(request, body, baseURL)
            default: throw error
            }
        }
    }
}
