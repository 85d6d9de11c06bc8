import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A few threads of their own, at a lower CPU priority than the server's (10 more nice),
/// for long work: a year's report and its encoding, the dashboard, the audit of every
/// journal. On two cores a manager asking for reports back to back would otherwise take
/// one core from the tills' pushes and pulls (ADR 0024 has what was measured); at
/// nice +10 the scheduler gives such a thread about a tenth of what a busy server
/// thread gets, and all of an idle machine.
///
/// Two ways in, the same threads: `run` for a synchronous body (a GRDB read runs its SQL
/// on the calling thread, so the SQL itself runs here), and the `TaskExecutor` conformance
/// for async work (`Task(executorPreference: LongWork.shared)`), whose Swift between the
/// awaits (assembling a report, encoding it) runs here too, not on the cooperative pool.
public final class LongWork: TaskExecutor, @unchecked Sendable {
    /// CAISSE_LONG_READ_NICENESS (0 to 19, default 10; or `idle`, Linux's SCHED_IDLE: a core
    /// only when nothing else wants it) lets an operator (or a benchmark) say how much.
    public static let shared: LongWork = {
        let setting = ProcessInfo.processInfo.environment["CAISSE_LONG_READ_NICENESS"]
        if setting == "idle" { return LongWork(threads: 3, niceness: 0, idle: true) }
        return LongWork(threads: 3, niceness: setting.flatMap { Int32($0) }.map { min(max($0, 0), 19) } ?? 10)
    }()

    /// How much nicer than the process the threads are.
    public let niceness: Int32
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []

    /// Threads live as long as the process (one instance, `shared`, in production).
    public init(threads: Int, niceness: Int32, idle: Bool = false) {
        self.niceness = niceness
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in
                #if os(Linux)
                // who = 0 is the calling thread on Linux, where the nice value and the policy are
                // per thread; raising the one or choosing SCHED_IDLE needs no privilege.
                let which = __priority_which_t(PRIO_PROCESS.rawValue)
                if niceness > 0 { _ = setpriority(which, 0, min(getpriority(which, 0) + niceness, 19)) }
                if idle {
                    var parameters = sched_param(sched_priority: 0)
                    _ = sched_setscheduler(0, 5 /* SCHED_IDLE, defined by glibc only under _GNU_SOURCE */, &parameters)
                }
                #endif
                work()
            }
            thread.name = "caisse-long-work-\(index)"
            thread.start()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }

    private func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs a synchronous `body` on one of the threads, first come first served.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    /// The nice value of the calling thread (per thread on Linux): what a test or a log checks.
    public static func callingThreadNiceness() -> Int32 {
        #if os(Linux)
        getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        getpriority(PRIO_PROCESS, 0)
        #endif
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        submit { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
