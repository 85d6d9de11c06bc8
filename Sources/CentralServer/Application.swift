import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import Hummingbird
import ServiceLifecycle
import Logging
import Metrics
import Prometheus

/// Assembles the router: operations endpoints, then the v1 API per domain.
public func buildRouter(service: CentralService, registry: PrometheusCollectorRegistry?, requestLogger: Logger? = nil) -> Router<CentralContext> {
    let router = Router(context: CentralContext.self)
    if let requestLogger { router.addMiddleware { RequestLogMiddleware(logger: requestLogger) } }
    router.addMiddleware {
        MetricsMiddleware()
        ErrorMiddleware()
        AuthMiddleware(service: service)
    }
    OperationsRoutes(service: service, registry: registry).register(on: router)
    let v1 = router.group("v1")
    IdentityRoutes(service: service).register(on: v1)
    CatalogRoutes(service: service).register(on: v1)
    StockRoutes(service: service).register(on: v1)
    SyncRoutes(service: service).register(on: v1)
    ReportRoutes(service: service).register(on: v1)
    CustomerRoutes(service: service).register(on: v1)
    OrderRoutes(service: service).register(on: v1)
    ShopRoutes(service: service).register(on: router)
    return router
}

///
/// - Parameters:
///   - services: run in the application's ServiceGroup beside the server (the
///     PostgreSQL client), started before it and shut down after it.
///   - beforeServerStarts: work that must finish before the first request (migrations).
public func buildApplication(service: CentralService, host: String, port: Int, registry: PrometheusCollectorRegistry?,
                             logger: Logger, services: [any Service] = [], idleTimeout: Duration = CentralTimeouts.idle,
                             beforeServerStarts: (@Sendable () async throws -> Void)? = nil,
                             onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    var app = Application(
        router: buildRouter(service: service, registry: registry, requestLogger: logger),
        // One timeout covers a request's head and body read slowly (a half-sent request) and
        // an idle keep-alive connection (issue 24: sockets held for ever took /health down).
        server: .http1(configuration: .init(idleTimeout: .nanoseconds(idleTimeout.nanoseconds))),
        configuration: .init(address: .hostname(host, port: port), serverName: "caisse-central"),
        services: services,
        onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
        logger: logger)
    if let beforeServerStarts { app.beforeServerStarts(perform: beforeServerStarts) }
    return app
}

/// How long central waits on a connection that sends nothing.
public enum CentralTimeouts {
    /// No byte for this long while a request's head or body is being read, or between
    /// requests on a keep-alive connection: the connection is closed. A till's push
    /// of 1,000 events is sent in well under a second; AsyncHTTPClient reconnects.
    public static let idle = Duration.seconds(30)
}

extension Duration {
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}

// MARK: - Request helpers

extension Request {
    /// An integer query parameter: absent → `default`; present but not a number
    /// or out of `range` → 400 naming the parameter.
    func intQuery(_ name: String, default value: Int64, in range: ClosedRange<Int64>) throws -> Int64 {
        guard let raw = uri.queryParameters[Substring(name)] else { return value }
        guard let n = Int64(raw), range.contains(n) else {
            throw APIError.badRequest("query parameter '\(name)' must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return n
    }

    func stringQuery(_ name: String) -> String? {
        uri.queryParameters[Substring(name)].map(String.init)
    }
}

extension Parameters {
    func int64(_ name: String) throws -> Int64 {
        guard let raw = self[Substring(name)], let n = Int64(raw) else { throw APIError.badRequest("'\(name)' in the path must be an integer") }
        return n
    }
}

extension Product: ResponseEncodable {}
extension StockFeed: ResponseEncodable {}
extension Location: ResponseEncodable {}
extension RestockRequest: ResponseEncodable {}
extension StockTransfer: ResponseEncodable {}
extension CentralException: ResponseEncodable {}
extension ExceptionList: ResponseEncodable {}
extension Page: ResponseEncodable {}
extension LoginResponse: ResponseEncodable {}
extension StockResponse: ResponseEncodable {}
extension PushResponse: ResponseEncodable {}
extension ChangeSet: ResponseEncodable {}
extension SaleForReturn: ResponseEncodable {}
extension Customer: ResponseEncodable {}
extension CustomerList: ResponseEncodable {}
extension LoyaltyAccount: ResponseEncodable {}
extension LoyaltyEntry: ResponseEncodable {}
extension LoyaltyProgram: ResponseEncodable {}
extension LoyaltyHold: ResponseEncodable {}
extension CustomerExport: ResponseEncodable {}
extension OrderList: ResponseEncodable {}
extension OnlineOrder: ResponseEncodable {}
extension Promotion: ResponseEncodable {}
extension DiscountPolicy: ResponseEncodable {}
extension SalesReportResponse: ResponseEncodable {}
extension DashboardResponse: ResponseEncodable {}
extension UserInfo: ResponseEncodable {}
