import ArgumentParser
import CaisseAPI
import CentralModel
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
    @Option(help: "Days an order for pickup holds the store's stock before it expires (1 to 30).") var pickupDays = 3
    @Option(help: ArgumentHelp("PBKDF2 rounds for customers' passwords (tests only; 600,000 by default).", visibility: .hidden))
    var passwordRounds: Int?
    @Option(help: "Port (0: any free port, printed on start).") var port = 8430
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"
    @Option(help: ArgumentHelp("How stale, in ms, a cached read may be after a write by another instance or an admin command (0: never).",
                               discussion: "Writes this instance serves show at once; pushes and pulls of sync never use the cache."))
    var readCacheMaxAgeMs = CentralService.defaultReadCacheMaxAgeMillis
    @Flag(help: "Stop (gracefully) when standard input closes: a parent such as `caisse demo` gives a pipe, so central never outlives it, whatever signal ends it.")
    var exitOnStdinEof = false
    @Option(help: "Seconds a connection may send nothing (a request read slowly, or idle between requests) before central closes it.")
    var idleTimeout = 30
    @Option(help: "Log lines as logfmt (for people) or json (one object a line), on standard error.")
    var logFormat = "logfmt"

    func run() async throws {
        try await reportingErrors {
            guard let format = StructuredLogHandler.Format(rawValue: logFormat) else { throw ValidationError("--log-format: logfmt or json") }
            let level = Logger.Level(rawValue: logLevel) ?? .info
            LoggingSystem.bootstrap { _ in
                var handler = StructuredLogHandler(format: format)
                handler.logLevel = level
                return handler
            }
            var logger = Logger(label: "caisse-central")
            logger.logLevel = level
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            guard (0...60_000).contains(readCacheMaxAgeMs) else { throw ValidationError("--read-cache-max-age-ms must be in 0...60000") }
            guard (1...3_600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be in 1...3600 seconds") }
            let files = FileLimit.raiseToHardLimit()
            logger.info("open files allowed: \(files)")
            // The PostgreSQL client runs in the ServiceGroup (started before the
            // server, stopped after it); migrations finish before the first request.
            let (store, services, prepare) = try db.openForServing()
            var service = CentralService(store: store, readCacheMaxAgeMillis: readCacheMaxAgeMs)
            guard (1...30).contains(pickupDays) else { throw ValidationError("--pickup-days must be in 1...30") }
            service.pickupDays = pickupDays
            if let passwordRounds { service.passwordHasher = PinHasher(rounds: passwordRounds) }
            let app = buildApplication(service: service, host: host, port: port, registry: registry, logger: logger,
                                       services: services, idleTimeout: .seconds(idleTimeout), beforeServerStarts: prepare) { bound in
                // The line scripts and tests wait for (a port of 0 becomes a real one here).
                FileHandle.standardOutput.write(Data("caisse-central listening on http://\(host):\(bound)\n".utf8))
            }
            var groupServices = [ServiceGroupConfiguration.ServiceConfiguration(service: app),
                                 .init(service: PointsExpiry(store: store, logger: logger))]
            if exitOnStdinEof {
                groupServices.append(.init(service: StandardInputWatcher(), successTerminationBehavior: .gracefullyShutdownGroup))
            }
            var config = ServiceGroupConfiguration(services: groupServices, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            config.maximumGracefulShutdownDuration = .seconds(20)
            try await ServiceGroup(configuration: config).run()
        }
    }
}

/// Points past the program's expiry leave the ledger once an hour (issue 27), on every
/// instance: each customer's expiry is computed under their lock, so two instances at once
/// expire nothing twice.
struct PointsExpiry: Service {
    let store: any CentralStore
    let logger: Logger
    static let interval: Duration = .seconds(3_600)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let touched = try await store.expirePoints(at: Int64(Date().timeIntervalSince1970 * 1000))
                    if touched > 0 { logger.info("points expired", metadata: ["customers": "\(touched)"]) }
                } catch {
                    logger.warning("points expiry failed; tried again in an hour", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: Self.interval)
            }
        }
    }
}

/// Returns when standard input reaches its end (the parent that holds the
/// pipe's other end is gone), or when the group shuts down.
struct StandardInputWatcher: Service {
    func run() async throws {
        // A graceful shutdown (SIGTERM) cancels the wait, as does the group's cancellation.
        await cancelWhenGracefulShutdown { await Self.waitForEndOfInput() }
    }

    private static func waitForEndOfInput() async {
        let once = ResumeOnce()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                once.set(continuation)
                Thread.detachNewThread {
                    var buffer = [UInt8](repeating: 0, count: 256)
                    while read(0, &buffer, buffer.count) > 0 {}
                    once.resume()
                }
            }
        } onCancel: {
            once.resume()
        }
    }
}

/// A continuation resumed by whichever comes first.
final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    private var done = false

    func set(_ c: CheckedContinuation<Void, Never>) {
        lock.lock()
        if done { lock.unlock(); c.resume(); return }
        continuation = c
        lock.unlock()
    }

    func resume() {
        lock.lock()
        done = true
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume()
    }
}

/// The process's limit of open files. Debian's soft default (1,024) lets a thousand idle
/// sockets take /health down (issue 24); the hard limit (often 524,288) is the operator's
/// choice, so central takes all of it at start.
enum FileLimit {
    static func raiseToHardLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }
}
