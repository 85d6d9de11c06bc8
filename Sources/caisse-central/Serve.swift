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
    @Option(help: ArgumentHelp("How stale, in ms, a cached read may be after a write by another instance or an admin command (0: never).",
                               discussion: "Writes this instance serves show at once; pushes and pulls of sync never use the cache."))
    var readCacheMaxAgeMs = CentralService.defaultReadCacheMaxAgeMillis

    func run() async throws {
        try await reportingErrors {
            var logger = Logger(label: "caisse-central")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            guard (0...60_000).contains(readCacheMaxAgeMs) else { throw ValidationError("--read-cache-max-age-ms must be in 0...60000") }
            let service = CentralService(store: try await db.open(), readCacheMaxAgeMillis: readCacheMaxAgeMs)
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
