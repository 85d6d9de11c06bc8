import CaisseAPI
import CaisseCore
import CentralStore
import Foundation
import RegisterStore
import Sync
import Testing

/// Issue 23: central restored from last night's backup loses nothing. Two tills of two
/// stores sell; central is backed up (online, `sqlite3 .backup` as docs/operations.md says);
/// both sell on and sync; central is restored and restarted. After one sync each, central's
/// report, stock and audit are what they would be had nothing happened.
@Suite("Restore drill", .serialized)
struct RestoreDrillTests {
    @Test func centralRestoredFromABackupGetsEverySaleBackFromItsTills() async throws {
        let central = try Central()
        try central.start()
        let cv = try await EnrolledTill.enroll(central: central, registerId: "CV-1", storeCode: "CV")
        let nord = try await EnrolledTill.enroll(central: central, registerId: "NORD-1", storeCode: "NORD")
        for _ in 0..<3 { try cv.sell([(1, 1)]); try nord.sell([(2, 1)]) }
        #expect(await cv.engine.syncOnce().pending == 0)
        #expect(await nord.engine.syncOnce().pending == 0)

        let backup = try temporaryFolder().appendingPathComponent("central-backup.sqlite").path
        try shell("sqlite3", [central.database, ".backup '\(backup)'"])

        // The day goes on after the backup: sales, synced, acknowledged.
        for _ in 0..<4 { try cv.sell([(1, 2)]); try nord.sell([(2, 1)]) }
        #expect(await cv.engine.syncOnce().pending == 0)
        #expect(await nord.engine.syncOnce().pending == 0)
        let expectedSales = try await central.salesCount()
        let expectedStock = (try await central.onHand(store: 1, product: 1), try await central.onHand(store: 2, product: 2))
        #expect(expectedSales == 14)

        // Central's disk dies; last night's backup comes back.
        central.stop()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: central.database + suffix) }
        try FileManager.default.copyItem(atPath: backup, toPath: central.database)
        try central.start()
        #expect(try await central.salesCount() == 6, "the backup holds the morning only")

        // One sync each, with nothing pending at either till: central gets the rest back.
        let cvReport = await cv.engine.syncOnce()
        let nordReport = await nord.engine.syncOnce()
        #expect(cvReport.reached && cvReport.error == nil, "\(cvReport)")
        #expect(nordReport.reached && nordReport.error == nil, "\(nordReport)")
        #expect(cvReport.centralRestored && nordReport.centralRestored)
        #expect(cvReport.pushed == 4 && nordReport.pushed == 4)
        #expect(try await central.salesCount() == expectedSales)
        #expect(try await central.onHand(store: 1, product: 1) == expectedStock.0)
        #expect(try await central.onHand(store: 2, product: 2) == expectedStock.1)
        #expect(try await SQLiteCentralStore(path: central.database).audit().isEmpty)
        // The tills' view agrees with central again, and the next sync is an ordinary one.
        #expect(try cv.store.onHand(productId: 1) == expectedStock.0)
        let next = await cv.engine.syncOnce()
        #expect(next.reached && !next.centralRestored && next.pushed == 0)
        central.stop()
    }

    /// The status of a till whose clock is off by more than five minutes says so, read
    /// from the `Date` of central's answers.
    @Test func aTillLearnsHowFarItsClockIsFromCentrals() async throws {
        let central = try Central()
        try central.start()
        let till = try await EnrolledTill.enroll(central: central, registerId: "CV-1", storeCode: "CV")
        let report = await till.engine.syncOnce()
        let skew = try #require(report.clockSkewSeconds, "central's answers carry a Date")
        // Same machine, same clock: the estimate is within its own stated uncertainty (a
        // loaded CI machine answers slowly; the bound widens with the round trip, not by hope).
        let uncertainty = try #require(report.clockUncertaintySeconds)
        #expect(Double(abs(skew)) <= uncertainty + 0.5, "skew \(skew) s, uncertainty \(uncertainty) s")
        #expect(ClockSkew.describe(-2 * 86_400, .fr) == "en retard de 2 j")
        #expect(ClockSkew.describe(7_200, .en) == "2 h fast")
        central.stop()
    }
}

func shell(_ tool: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw TestFailure("\(tool) exited \(process.terminationStatus)") }
}
