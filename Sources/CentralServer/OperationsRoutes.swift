import CentralModel
import Foundation
import Hummingbird
import Prometheus

/// /health (process up), /ready (database reachable), /metrics, /openapi.yaml.
struct OperationsRoutes {
    let service: CentralService
    let registry: PrometheusCollectorRegistry?

    static let openAPISpec: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()

    func register(on router: Router<CentralContext>) {
        router.get("health") { _, _ in Self.text("ok\n") }
        router.get("ready") { _, _ in
            do {
                try await service.administration.ping()
                return Self.text("ready\n")
            } catch {
                throw APIError(.serviceUnavailable, code: "not_ready", message: "the database is not reachable", headers: [.retryAfter: "5"])
            }
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: registry?.emitToString() ?? "")))
        }
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: Self.openAPISpec)))
        }
    }

    static func text(_ s: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: s)))
    }
}
