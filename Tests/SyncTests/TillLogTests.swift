import Foundation
@testable import Sync
import Testing

/// The till's log beside its database keeps one older file past its size, never more:
/// a till that runs for years fills no disk.
@Suite struct TillLogTests {
    @Test func theLogRotatesPastItsSizeAndKeepsOneOlderFile() throws {
        let path = try temporaryFolder().appendingPathComponent("till.sqlite.log").path
        let log = TillLog(path: path, maxBytes: 2_000)
        for n in 0..<100 {
            log.request(id: "req-\(n)", trace: String(repeating: "a", count: 32), method: "POST", path: "/v1/sync/events",
                        status: 200, millis: 1.5)
        }
        let manager = FileManager.default
        let current = try String(contentsOfFile: path, encoding: .utf8)
        let older = try String(contentsOfFile: path + ".1", encoding: .utf8)
        #expect(!manager.fileExists(atPath: path + ".2"), "one older file, not a growing series")
        #expect(current.utf8.count <= 2_000 + 200 && older.utf8.count <= 2_000 + 200)
        #expect(current.contains("request_id=req-99 "), "the newest line is in the current file")
        #expect(older.split(separator: "\n").allSatisfy { $0.contains("route=/v1/sync/events") })
        let numbers = (older + current).split(separator: "\n").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("request_id=req-") }.flatMap { Int($0.dropFirst("request_id=req-".count)) }
        }
        #expect(numbers == Array(numbers.sorted()) && numbers.last == 99, "in order, nothing lost between the two files")
    }
}
