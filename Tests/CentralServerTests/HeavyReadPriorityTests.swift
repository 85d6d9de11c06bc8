import CentralModel
import Foundation
import Testing
@testable import CentralServer

private func niceness() -> Int32 { LongWork.callingThreadNiceness() }

/// Issue 26: a heavy read (a report, the dashboard) runs all of its Swift, not only its SQL,
/// on the long-work threads, so that assembling and encoding a year's report does not take
/// the cores from the tills at the server's priority.
@Suite struct HeavyReadPriorityTests {
    @Test func aHeavyReadRunsAtTheLongWorkPriorityAcrossItsAwaits() async throws {
        let reads = ReadCoalescer(freshForNanos: 1_000_000_000, now: { DispatchTime.now().uptimeNanoseconds })
        let caller = niceness()
        let seen = try await reads.value("report") { () async throws -> [Int32] in
            let first = niceness()
            try await Task.sleep(nanoseconds: 1_000_000)   // resumes after a suspension, as after a database read
            let afterAwait = niceness()
            let inRun = try await LongWork.shared.run { niceness() }
            return [first, afterAwait, inRun]
        }
        let expected = min(caller + LongWork.shared.niceness, 19)
        #expect(seen == [expected, expected, expected])
        #expect(niceness() == caller)
    }
}
