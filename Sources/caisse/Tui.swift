import ArgumentParser
import CaisseCore
import Foundation
import RegisterApp
import RegisterStore
import RegisterUI
import ScreenKit
import Sync
import Terminal

struct Tui: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "The register's terminal screen: log in, sell, take returns, open and close the drawer (the default command).")

    @OptionGroup var options: RegisterOptions
    @Option(help: "Seconds between sync cycles while the till runs (when enrolled).") var syncInterval: Double = 5
    @Option(help: .hidden) var statsFile: String?

    func run() async throws {
        try await reportingErrorsAsync {
            let store = try options.openStore()
            try await TuiSession(store: store, language: options.language, databasePath: options.databasePath,
                                 syncInterval: syncInterval, statsFile: statsFile).runOnOwnThread()
        }
    }
}

/// Messages posted from background tasks (sync) to the screen loop.
final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [Message] = []
    private var syncRequested = false

    func post(_ message: Message) { lock.withLock { messages.append(message) } }
    func take() -> [Message] { lock.withLock { defer { messages = [] }; return messages } }
    private var printRequested = false

    func requestSync() { lock.withLock { syncRequested = true } }
    func takeSyncRequest() -> Bool { lock.withLock { defer { syncRequested = false }; return syncRequested } }
    func requestPrint() { lock.withLock { printRequested = true } }
    func takePrintRequest() -> Bool { lock.withLock { defer { printRequested = false }; return printRequested } }

    /// Sleeps `seconds` in short steps, ending early when `asked` says a request came (a new sale).
    static func wait(_ seconds: Double, orUntil asked: () -> Bool) async {
        var waited = 0.0
        while waited < seconds, !Task.isCancelled, !asked() {
            try? await Task.sleep(for: .milliseconds(100))
            waited += 0.1
        }
    }
}

func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

struct TuiSession: Sendable {
    let store: RegisterStore
    let language: Language
    let databasePath: String
    let syncInterval: Double
    let statsFile: String?

    /// The screen loop blocks in the terminal read between keys: it gets a thread
    /// of its own, so the concurrency pool (sync, central's calls) keeps all its threads.
    func runOnOwnThread() async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do { try self.run(); done.resume() } catch { done.resume(throwing: error) }
            }
            thread.name = "caisse-screen"
            thread.start()
        }
    }

    func run() throws {
        let started = DispatchTime.now()
        let receipts = URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("receipts").path
        let runtime = RegisterRuntime(store: store, language: language, receiptsDirectory: receipts)
        let remote = RemoteRuntime(store: store, local: runtime)
        var state = try runtime.initialState(now: nowMillis())
        let mailbox = Mailbox()
        let syncTask = try startSync(mailbox)
        defer { syncTask?.cancel() }
        let printTask = startPrinting(mailbox)
        defer { printTask.cancel() }

        let terminal = try TerminalScreen.start()
        defer { terminal.stop() }
        var size = terminal.size
        state.terminalSize = size
        var latencies: [Double] = []
        var firstFrameMillis: Double?
        var processStartToFirstFrame: Double?
        var dirty = true
        var lastTick = state.now
        var keptCart = state.recoveredCart

        while !state.quitting {
            if dirty {
                let frame = state.render(size)
                terminal.draw(frame.grid, cursor: frame.cursor.map { ($0.x, $0.y) })
                dirty = false
                if firstFrameMillis == nil {
                    firstFrameMillis = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
                    processStartToFirstFrame = processAgeMillis()
                }
            }
            let event = terminal.next(timeoutMilliseconds: 200)
            let keyTime = DispatchTime.now()
            var queue: [Message] = mailbox.take()
            switch event {
            case .key(let key)?: queue.append(.key(key))
            case .resize(let newSize)?:
                size = newSize
                queue.append(.resized(newSize))
                dirty = true
            case .hangup?:
                // Everything paid is already on disk, and the cart in progress too (`keepCart`).
                state.quitting = true
            case nil: break
            }
            let now = nowMillis()
            if now - lastTick >= 1000 || event != nil {
                queue.insert(.tick(now), at: 0)
                lastTick = now
            }
            while !queue.isEmpty {
                let message = queue.removeFirst()
                for effect in state.update(message) {
                    switch effect {
                    case .quit: break
                    case .syncNow: mailbox.requestSync()
                    case let effect where effect.isRemote:
                        // Central may be slow or away: never block the keyboard on it.
                        let now = nowMillis()
                        Task.detached { for message in await remote.perform(effect, now: now) { mailbox.post(message) } }
                    default:
                        let answers = runtime.perform(effect, now: nowMillis())
                        queue += answers
                        if case .verifyPin(let userId, let pin) = effect, answers.contains(.pinChecked(userId: userId, result: .accepted)) {
                            Task.detached { await remote.login(userId: userId, pin: pin) }
                        }
                        if effect.mayPrint { mailbox.requestPrint() }
                        if effect.writesJournal {
                            // A new event waits in the outbox: show it and send it now.
                            var info = state.sync
                            info.pending = (try? store.pendingCount()) ?? info.pending
                            queue.append(.sync(info))
                            mailbox.requestSync()
                        }
                    }
                }
                dirty = true
            }
            runtime.keepCart(state, saved: &keptCart, now: nowMillis())
            if case .key? = event, dirty {
                let frame = state.render(size)
                terminal.draw(frame.grid, cursor: frame.cursor.map { ($0.x, $0.y) })
                dirty = false
                latencies.append(Double(DispatchTime.now().uptimeNanoseconds - keyTime.uptimeNanoseconds) / 1e6)
            }
        }
        terminal.stop()
        if let statsFile {
            let sorted = latencies.sorted()
            func pct(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            let sinceExec = processStartToFirstFrame.map { String(format: "process_start_to_first_frame_ms %.0f\n", $0) } ?? ""
            let text = sinceExec + String(format: "first_frame_ms %.1f\nkeys %d\nkey_to_frame_p50_ms %.2f\nkey_to_frame_p99_ms %.2f\nkey_to_frame_max_ms %.2f\n",
                              firstFrameMillis ?? 0, sorted.count, pct(0.5), pct(0.99), sorted.last ?? 0)
            try? text.write(toFile: statsFile, atomically: true, encoding: .utf8)
        }
    }

    /// The printer's spooler beside the screen (issue 29): at once after a sale, else every
    /// few seconds while something waits, so a printer back with paper prints the queue by itself.
    private func startPrinting(_ mailbox: Mailbox) -> Task<Void, Never> {
        let spooler = PrintSpooler(store: store)
        return Task.detached {
            var last: PrinterInfo?
            while !Task.isCancelled {
                // No printer reads as nothing waiting.
                let info = spooler.drain(now: nowMillis()) ?? PrinterInfo(waiting: 0)
                if info != last { mailbox.post(.printer(info)) }
                last = info
                await Mailbox.wait(info.waiting > 0 ? 3 : 30, orUntil: mailbox.takePrintRequest)
            }
        }
    }

    /// Background sync when the till is enrolled: a cycle every `syncInterval`
    /// seconds, at once when asked (after a sale), backoff with jitter when offline.
    private func startSync(_ mailbox: Mailbox) throws -> Task<Void, Never>? {
        guard let settings = try store.syncSettings() else { return nil }
        let engine = try SyncEngine(store: store, client: SyncClient(settings: settings))
        let interval = syncInterval
        return Task.detached {
            var backoff = Backoff()
            while !Task.isCancelled {
                let report = await engine.syncOnce()
                let status = await engine.status
                var info = SyncInfo(enrolled: true, online: status.online, pending: status.pending, lastSuccess: status.lastSuccess,
                                    refusal: report.reached ? report.error : nil, damaged: report.damaged)
                info.clockSkewSeconds = status.clockSkewSeconds
                mailbox.post(.sync(info))
                let wait = report.reached ? interval : backoff.next()
                if report.reached { backoff.reset() }
                // A request (a new sale) starts the next cycle at once.
                await Mailbox.wait(wait, orUntil: mailbox.takeSyncRequest)
            }
        }
    }
}

extension Effect {
    /// Effects after which a receipt, a report or the drawer's pulse may wait for the printer.
    var mayPrint: Bool {
        switch self {
        case .commitSale, .commitReturn, .reprint, .openDrawer, .closeDrawer, .openDrawerNoSale: true
        default: false
        }
    }

    var writesJournal: Bool {
        switch self {
        // Restock requests and receipts are journal events too: left out, a request
        // waited for the next timed cycle, unseen on the status bar (found by the demo tour).
        case .commitSale, .commitReturn, .closeDrawer, .requestRestock, .receiveRestock, .recordAdjustment, .recordWaste, .confirmCount,
             .openDrawerNoSale: true
        default: false
        }
    }
}

/// How long ago this process started (from /proc, 10 ms resolution), so the
/// start-up figure includes loading the binary and parsing arguments.
func processAgeMillis() -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // Field 22 (starttime) is the 20th after the command name's closing parenthesis.
    guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
    var now = timespec()
    clock_gettime(CLOCK_BOOTTIME, &now)
    let uptime = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    return (uptime - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))) * 1000
}
