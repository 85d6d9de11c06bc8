import ArgumentParser
import CentralServer
import CentralStore
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP service until SIGTERM or SIGINT (graceful: in-flight requests finish).")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port (0: any free port, printed on start).") var port = 8430
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"

    func run() async throws {
        try await reportingErrors {
            var logger = Logger(label: "caisse-central")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            let service = CentralService(store: try await db.open())
            let app = buildApplication(service: service, host: host, port: port, registry: registry, logger: logger) { bound in
                // The line scripts and tests wait for (a port of 0 becomes a real one here).
                FileHandle.standardOutput.write(Data("caisse-central listening on http://\(host):\(bound)\n".utf8))
            }
            var config = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            config.maximumGracefulShutdownDuration = .seconds(20)
            try await ServiceGroup(configuration: config).run()
        }
    }
}
