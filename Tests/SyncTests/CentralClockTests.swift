import Foundation
import Sync
import Testing

/// The till's estimate of its clock against central's `Date` (one-second resolution).
@Suite("Central's clock") struct CentralClockTests {
    let stamp = "Wed, 02 Dec 2026 06:00:00 GMT"
    var centralSecond: Date { Date(timeIntervalSince1970: 1_796_191_200) }

    @Test func theEstimateIsTheRoundTripsMidpointAgainstTheMiddleOfCentralsSecond() {
        let clock = CentralClock()
        // Sent 0.2 s into central's second, answered 0.6 s later: same clock, skew 0.
        clock.record(date: stamp, sent: centralSecond.addingTimeInterval(0.2), received: centralSecond.addingTimeInterval(0.8))
        #expect(clock.skewSeconds == 0)
        #expect(abs((clock.uncertaintySeconds ?? 0) - 0.8) < 1e-6)
    }

    /// The CI failure: a three-second answer under load read as a three-second skew. A slow
    /// answer no longer replaces a quick one of the last minute.
    @Test func aSlowAnswerDoesNotReplaceAQuickOne() {
        let clock = CentralClock()
        clock.record(date: stamp, sent: centralSecond.addingTimeInterval(0.4), received: centralSecond.addingTimeInterval(0.6))
        clock.record(date: stamp, sent: centralSecond.addingTimeInterval(-0.5), received: centralSecond.addingTimeInterval(5.5))
        #expect(clock.skewSeconds == 0)
        #expect(abs((clock.uncertaintySeconds ?? 0) - 0.6) < 1e-6)
    }

    @Test func aTillAnHourBehindReadsMinus3600() {
        let clock = CentralClock()
        clock.record(date: stamp, sent: centralSecond.addingTimeInterval(-3_599.6), received: centralSecond.addingTimeInterval(-3_599.4))
        #expect(clock.skewSeconds == -3_600)
    }
}
