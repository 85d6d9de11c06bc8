import AsyncHTTPClient
import CaisseAPI
import CaisseCore
import CentralAPIClient
import Foundation
import NIOCore
import NIOSSL
import RegisterStore

/// What central answered to a push.
public enum PushOutcome: Hashable, Sendable {
    case acknowledged(through: Int64)
    /// Central expects to continue from this sequence.
    case gap(expected: Int64)
}

/// Why a sync step failed: `transient` ones are retried with backoff (central
/// down, a 5xx, a dropped connection); the others need a person.
public struct SyncError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var transient: Bool
    public var status: Int?
    /// Central's error code (`insufficient_stock`, `invalid_transition`…), for a message in the till's language.
    public var code: String?
    public init(_ message: String, transient: Bool, status: Int? = nil, code: String? = nil) {
        self.message = message
        self.transient = transient
        self.status = status
        self.code = code
    }
    public var description: String { message }
}

/// The register's client of central's sync API (AsyncHTTPClient).
public struct SyncClient: Sendable {
    public let baseURL: String
    let token: String
    let http: HTTPClient
    /// What central's certificate must chain to, for messages.
    let trust: String
    /// Central's clock as its last answer gave it (issue 23: a till's clock that fell back).
    public let centralClock = CentralClock()
    /// Where each request's id is written (the till's log), when the till has one.
    public var log: TillLog?
    var timeout: TimeAmount = .seconds(30)

    /// A till's client: a refused or unanswered connection fails within two
    /// seconds (the sync engine does its own backoff) instead of AHC retrying
    /// until the request's deadline. Lives as long as the process.
    public static let tillHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(60))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public init(baseURL: String, token: String, http: HTTPClient = SyncClient.tillHTTPClient) {
        self.init(baseURL: baseURL, token: token, http: http, trust: "a CA of the system's trust store")
    }

    /// A till's client that trusts only the CA certificates in `caFile` (PEM)
    /// for https, or the system's trust store when nil.
    public init(baseURL: String, token: String, caFile: String?) throws {
        guard let caFile else {
            self.init(baseURL: baseURL, token: token)
            return
        }
        self.init(baseURL: baseURL, token: token, http: try TillClients.shared.client(caFile: caFile), trust: "the CA file \(caFile)")
    }

    /// The client for an enrolled till: its stored CA file, else $CAISSE_CA_FILE, else the system store.
    public init(settings: SyncSettings) throws {
        let fromEnvironment = ProcessInfo.processInfo.environment["CAISSE_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        try self.init(baseURL: settings.centralURL, token: settings.token, caFile: settings.caFile ?? fromEnvironment)
    }

    init(baseURL: String, token: String, http: HTTPClient, trust: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.http = http
        self.trust = trust
    }

    public func push(_ events: [SyncEvent]) async throws -> PushOutcome {
        // The till's log names the journal's events a push carried, so a sale leads to its push's id.
        let carried = events.first.map { first in "events=\(first.sequence)-\(events.last?.sequence ?? first.sequence)" }
        let output = try await call(note: carried, readsRefusals: true) { try await $0.pushEvents(body: .json(.init(events: events.map(Wire.SyncEvent.init)))) }
        switch output {
        case .ok(let answer): return .acknowledged(through: try read { try answer.body.json.appliedThrough })
        case .conflict(let refusal):
            let error = try read { try refusal.body.json.error }
            if let expected = error.expectedSequence { return .gap(expected: expected) }
            throw SyncError("central refused the batch: \(error.message)", transient: false, status: 409, code: error.code)
        case .badRequest(let r): throw refused(400, r)
        case .unauthorized(let r): throw refused(401, r)
        case .forbidden(let r): throw refused(403, r)
        case .notFound(let r): throw refused(404, r)
        case .contentTooLarge(let r): throw refused(413, r)
        case .unprocessableContent(let r): throw refused(422, r)
        case .undocumented(let status, let payload): throw await undocumented(status, payload)
        }
    }

    /// A push of an already encoded `PushRequest`: caisse-bench encodes its batches before timing,
    /// so it measures central and not the till's encoder; it needs to know only whether central
    /// took the batch. Tills push through `push(_:)`.
    public func push(encoded body: Data) async throws -> PushOutcome {
        var request = HTTPClientRequest(url: baseURL + "/v1/sync/events")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await http.execute(request, timeout: timeout)
            let answer = Data(try await response.body.collect(upTo: 1024 * 1024).readableBytesView)
            guard response.status.code == 200 else {
                let error = (try? WireJSON.decoder.decode(ErrorBody.self, from: answer))?.error
                if let expected = error?.expectedSequence { return .gap(expected: expected) }
                throw Self.refusal(Int(response.status.code), message: error?.message, code: error?.code)
            }
            return .acknowledged(through: try WireJSON.decoder.decode(PushResponse.self, from: answer).appliedThrough)
        } catch {
            throw unreachable(error)
        }
    }

    /// - Parameter stockApart: the till pulls its stock from the stock feed (`stock(since:)`, issue 26).
    public func changes(since cursor: Int64, limit: Int = 5_000, stockApart: Bool = false) async throws -> ChangeSet {
        let output = try await call { try await $0.pullChanges(query: .init(since: cursor, limit: limit, stock: stockApart ? .apart : nil)) }
        return try read { try ChangeSet(wire: try output.ok.body.json) }
    }

    /// A sale of another register or store, for a return here (issue 24); nil when central holds none.
    public func saleForReturn(receiptNumber: String) async throws -> SaleForReturn? {
        let output = try await call(readsRefusals: true) { try await $0.getSaleForReturn(path: .init(receipt: receiptNumber)) }
        switch output {
        case .ok(let answer): return try read { try SaleForReturn(wire: try answer.body.json) }
        case .notFound: return nil
        case .badRequest(let r): throw refused(400, r)
        case .unauthorized(let r): throw refused(401, r)
        case .forbidden(let r): throw refused(403, r)
        case .undocumented(let status, let payload): throw await undocumented(status, payload)
        }
    }

    /// Customers whose phone, email or card is exactly `query` (issue 27).
    public func customers(matching query: String) async throws -> [Customer] {
        let output = try await call { try await $0.findCustomers(query: .init(q: query)) }
        return try read { try output.ok.body.json.customers.map(Customer.init(wire:)) }
    }

    public func createCustomer(_ input: CustomerInput) async throws -> Customer {
        let output = try await call { try await $0.createCustomer(body: .json(try Wire.CustomerInput(input))) }
        return try read { try Customer(wire: try output.created.body.json) }
    }

    /// Head office's loyalty program (issue 27): the rewards a till can offer.
    public func loyaltyProgram() async throws -> LoyaltyProgram {
        let output = try await call { try await $0.getLoyaltyProgram() }
        return try read { try LoyaltyProgram(wire: try output.ok.body.json) }
    }

    /// Points held at central for one of the program's rewards (a 409 when the balance is short).
    public func holdReward(cardNumber: String, reward: Int) async throws -> LoyaltyHold {
        let output = try await call { try await $0.holdReward(body: .json(.init(cardNumber: cardNumber, reward: reward))) }
        return try read { try LoyaltyHold(wire: try output.created.body.json) }
    }

    /// The hold given back: the sale that was to spend it was voided.
    public func releaseReward(holdId: String) async throws {
        _ = try await call { try await $0.moveHold(path: .init(id: holdId, action: .release)) }
    }

    /// Every page since `cursor`, merged by the caller in one local transaction.
    public func allChanges(since cursor: Int64, limit: Int = 5_000, stockApart: Bool = false,
                           progress: (@Sendable (ChangeSet) -> Void)? = nil) async throws -> [ChangeSet] {
        try await Self.allPages(from: cursor, progress: progress) { try await changes(since: $0, limit: limit, stockApart: stockApart) }
    }

    /// A page of the stock feed (issue 26).
    public func stock(since cursor: Int64, limit: Int = 5_000) async throws -> StockFeed {
        let output = try await call { try await $0.pullStock(query: .init(since: cursor, limit: limit)) }
        return try read { StockFeed(wire: try output.ok.body.json) }
    }

    /// Every page of the stock feed from `cursor`, in order.
    public func allStock(since cursor: Int64, limit: Int = 5_000) async throws -> [StockFeed] {
        try await Self.allPages(from: cursor) { try await stock(since: $0, limit: limit) }
    }

    /// A feed's pages from `cursor` until central says there is no more; a cursor that does not
    /// advance while more is promised would loop for ever, so it is an error to retry later.
    static func allPages<Page: FeedPage>(from cursor: Int64, progress: (@Sendable (Page) -> Void)? = nil,
                                         _ fetch: (Int64) async throws -> Page) async throws -> [Page] {
        var pages: [Page] = []
        var next = cursor
        repeat {
            let page = try await fetch(next)
            pages.append(page)
            progress?(page)
            guard page.cursor > next || !page.hasMore || page.reset == true else { throw SyncError("central's cursor did not advance", transient: true) }
            next = page.cursor
            if !page.hasMore { break }
        } while true
        return pages
    }

    /// Why no answer came: a certificate refused needs a person; anything else is retried.
    func unreachable(_ error: any Error) -> SyncError {
        switch error {
        case let error as SyncError: return error
        case let error as NIOSSLError:
            guard case .handshakeFailed = error else { return SyncError("central unreachable: \(error)", transient: true) }
            return certificateRefused(error)
        case let error as NIOSSLExtraError: return certificateRefused(error)
        case let error as DecodingError: return SyncError("central's answer was not understood: \(error)", transient: true)
        case let error as WireRefusal: return SyncError("not sent: \(error)", transient: false)
        default: return SyncError("central unreachable: \(error)", transient: true)
        }
    }

    /// A certificate that does not verify is never accepted, and retrying will
    /// not fix it: not transient, a person must look (wrong CA file, or a URL
    /// whose host the certificate was not issued for).
    func certificateRefused(_ error: any Error) -> SyncError {
        let host = URL(string: baseURL)?.host ?? baseURL
        return SyncError("central's TLS certificate was refused: it must be issued for \(host) and signed by \(trust) (\(error))",
                         transient: false)
    }

    /// Central's answer other than success: a 5xx or 429 is retried, anything else needs a person.
    static func refusal(_ status: Int, message: String?, code: String?) -> SyncError {
        SyncError("central answered \(status): \(message ?? "HTTP \(status)")", transient: status >= 500 || status == 429, status: status, code: code)
    }
}

/// One HTTP client per CA file, living as long as the process like
/// `tillHTTPClient` (an AsyncHTTPClient must be shut down before it goes away).
final class TillClients: @unchecked Sendable {
    static let shared = TillClients()
    private let lock = NSLock()
    private var clients: [String: HTTPClient] = [:]

    func client(caFile: String) throws -> HTTPClient {
        lock.lock()
        defer { lock.unlock() }
        if let client = clients[caFile] { return client }
        let roots: [NIOSSLCertificate]
        do {
            roots = try NIOSSLCertificate.fromPEMFile(caFile)
        } catch {
            throw SyncError("cannot read the CA file \(caFile): \(error)", transient: false)
        }
        guard !roots.isEmpty else { throw SyncError("the CA file \(caFile) holds no PEM certificate", transient: false) }
        // Full verification (chain to these roots + host name), nothing else trusted.
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(roots)
        tls.certificateVerification = .fullVerification
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(60))
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        clients[caFile] = client
        return client
    }
}

/// How far this till's clock is from central's, read from the `Date` of central's
/// answers (to the second, which is all a receipt needs).
public final class CentralClock: @unchecked Sendable {
    private struct Sample {
        var skew: Double
        /// Half the round trip plus half of the header's one-second resolution.
        var uncertainty: Double
        var takenAt: TimeInterval
    }
    private let lock = NSLock()
    private var sample: Sample?
    /// A sample is trusted this long unless a tighter one comes (seconds of uptime, so a
    /// clock set back or forward does not age it).
    static let sampleLifetime: TimeInterval = 60

    public init() {}

    /// Seconds this till is ahead of central (negative: behind); nil before any answer.
    public var skewSeconds: Int64? { lock.withLock { sample.map { Int64($0.skew.rounded()) } } }
    /// How far the true skew may be from `skewSeconds`, in seconds.
    public var uncertaintySeconds: Double? { lock.withLock { sample?.uncertainty } }

    /// Central's `Date` was stamped somewhere between `sent` and `received` and truncated to
    /// the second: the midpoint against the middle of that second is the estimate, and the
    /// quickest answer of the last minute is kept (a slow answer under load says less).
    public func record(date: String, sent: Date, received: Date) {
        guard let central = Self.parse(date) else { return }
        let roundTrip = max(0, received.timeIntervalSince(sent))
        let midpoint = sent.timeIntervalSince1970 + roundTrip / 2
        let now = ProcessInfo.processInfo.systemUptime
        let fresh = Sample(skew: midpoint - (central.timeIntervalSince1970 + 0.5),
                           uncertainty: roundTrip / 2 + 0.5, takenAt: now)
        lock.withLock {
            if let kept = sample, kept.uncertainty < fresh.uncertainty, now - kept.takenAt < Self.sampleLifetime { return }
            sample = fresh
        }
    }

    /// An HTTP date (RFC 9110: "Sun, 06 Nov 1994 08:49:37 GMT").
    static func parse(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text)
    }
}

/// The till's own log, next to its database (`till.sqlite.log`, one older file kept as
/// `.log.1` past a megabyte): one line per request to central with the id it sent as
/// `X-Request-Id`, so that one `grep` finds a sale's push in the till's log and in
/// central's (issue 29). Never a token or a PIN.
public final class TillLog: @unchecked Sendable {
    public let path: String
    let maxBytes: Int
    private let lock = NSLock()

    public init(path: String, maxBytes: Int = 1_000_000) {
        self.path = path
        self.maxBytes = maxBytes
    }

    /// - Parameter note: what the request carried, as `key=value` words (a push's event sequences).
    func request(id: String, trace: String, method: String, path route: String, status: Int?, millis: Double, note: String? = nil,
                 error: String? = nil) {
        let millis = String(format: "%.1f", millis)
        var line = "time=\(Self.stamp()) request_id=\(id) trace_id=\(trace) method=\(method) route=\(route) status=\(status.map(String.init) ?? "none") duration_ms=\(millis)"
        if let note { line += " " + note }
        if let error { line += " error=" + Self.quoted(error) }
        write(line + "\n")
    }

    private func write(_ line: String) {
        lock.withLock {
            let manager = FileManager.default
            if let size = (try? manager.attributesOfItem(atPath: path))?[.size] as? Int, size > maxBytes {
                try? manager.removeItem(atPath: path + ".1")
                try? manager.moveItem(atPath: path, toPath: path + ".1")
            }
            if !manager.fileExists(atPath: path) { _ = manager.createFile(atPath: path, contents: nil) }
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            defer { try? handle.close() }
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: Data(line.utf8))
        }
    }

    static func stamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: " ") + "\""
    }
}
