import CaisseAPI
import CaisseCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Who a request came from, filled in by `AuthMiddleware` for the request's log line.
/// A reference: the middleware that logs runs outside the one that authenticates,
/// each with its own copy of the context.
public final class RequestLogRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]

    func set(_ key: String, _ value: String) { lock.withLock { values[key] = value } }
    var fields: [String: String] { lock.withLock { values } }
}

extension HTTPField.Name {
    /// The id that ties a till's line of work to central's (issue 29).
    static let requestId = Self("X-Request-Id")!   // allowed: a valid field name literal
    static let traceparent = Self("traceparent")!   // allowed: a valid field name literal
}

/// One structured line per request (issue 29): time, level, request id, method, route,
/// status, duration, and the register, store and user it came from — never a PIN, a
/// token or a customer's personal data. A till sends `X-Request-Id` and finds the same id
/// in its own log; central makes one when none (or a malformed one) came, and returns it.
/// Slow requests (over a second) and server faults are warnings.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = CentralContext
    let logger: Logger
    static let slow = Duration.seconds(1)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = Self.requestId(request.headers[.requestId])
        // The till's trace, when it sent a well-formed one (W3C Trace Context), logged beside the request id.
        let trace = request.headers[.traceparent].flatMap(TraceParent.init(header:))
        let record = RequestLogRecord()
        context.requestLog = record
        // A warning a route logs (a quarantine, a refused login) carries the same id as the request's line.
        context.logger[metadataKey: "request_id"] = .string(id)
        let started = ContinuousClock.now
        do {
            var response = try await next(request, context)
            response.headers[.requestId] = id
            if let trace { response.headers[.traceparent] = trace.header }
            log(request, context, id: id, trace: trace, status: Int(response.status.code), since: started, record: record)
            return response
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            log(request, context, id: id, trace: trace, status: status, since: started, record: record)
            throw error
        }
    }

    func log(_ request: Request, _ context: Context, id: String, trace: TraceParent?, status: Int, since started: ContinuousClock.Instant,
             record: RequestLogRecord) {
        let elapsed = ContinuousClock.now - started
        let level: Logger.Level = status >= 500 || elapsed > Self.slow ? .warning : .info
        // Nothing is built for a line the level drops (a benchmark at --log-level error).
        guard logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [
            "request_id": .string(id),
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? request.uri.path),
            "status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.1f", Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)),
        ]
        if let trace { metadata["trace_id"] = .string(trace.traceId) }
        for (key, value) in record.fields { metadata[key] = .string(value) }
        logger.log(level: level, elapsed > Self.slow ? "slow request" : "request", metadata: metadata)
    }

    /// The till's id when it is one a log can carry safely, else a new one.
    static func requestId(_ sent: String?) -> String {
        if let sent, (1...64).contains(sent.utf8.count),
           sent.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_.".unicodeScalars.contains($0) }) {
            return sent
        }
        return UUID().uuidString.lowercased()
    }
}

/// Central's log lines: logfmt for people (`time=… level=info msg=request request_id=…`),
/// or one JSON object a line (`--log-format json`) for a log pipeline.
public struct StructuredLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case logfmt, json
    }
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let format: Format
    let write: @Sendable (String) -> Void

    public init(format: Format, write: @escaping @Sendable (String) -> Void = StructuredLogHandler.standardError) {
        self.format = format
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    private static let lock = NSLock()
    /// One line, written whole: lines of concurrent requests never interleave.
    public static let standardError: @Sendable (String) -> Void = { line in
        lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
    }

    public func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { _, new in new }
        write(Self.render(format, time: Date(), level: event.level, message: "\(event.message)", fields: fields))
    }

    static func render(_ format: Format, time: Date, level: Logger.Level, message: String, fields: Logger.Metadata) -> String {
        // UTC, to the millisecond: "2026-12-01T23:20:01.234Z".
        let millis = Int64((time.timeIntervalSince1970 * 1000).rounded(.down))
        let ofDay = ((millis % 86_400_000) + 86_400_000) % 86_400_000
        func pad(_ v: Int64, _ width: Int) -> String { let t = String(v); return String(repeating: "0", count: max(0, width - t.count)) + t }
        let stamp = Day(epochMillis: millis, utcOffsetSeconds: 0).iso + "T" + pad(ofDay / 3_600_000, 2) + ":" + pad(ofDay / 60_000 % 60, 2)
            + ":" + pad(ofDay / 1000 % 60, 2) + "." + pad(ofDay % 1000, 3) + "Z"
        var pairs: [(String, String)] = [("time", stamp), ("level", level.rawValue), ("msg", message)]
        pairs += fields.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        switch format {
        case .logfmt:
            return pairs.map { key, value in
                let plain = !value.isEmpty && !value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
                return key + "=" + (plain ? value : Self.quoted(value))
            }.joined(separator: " ") + "\n"
        case .json:
            return "{" + pairs.map { Self.quoted($0.0) + ":" + Self.quoted($0.1) }.joined(separator: ",") + "}\n"
        }
    }

    /// A JSON string literal (also logfmt's quoting).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
