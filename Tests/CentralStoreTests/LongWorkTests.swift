import CaisseCore
import CentralModel
import Foundation
import GRDB
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import CentralStore

private func niceness() -> Int32 { LongWork.callingThreadNiceness() }

@Suite struct LongWorkTests {
    @Test func aLongReadRunsItsSQLAtALowerPriority() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteCentralStore(path: folder.appendingPathComponent("central.sqlite").path)
        try await store.migrate()
        let before = niceness()
        let inside = try await store.readOffPool { db -> Int32 in
            _ = try Int.fetchOne(db, sql: "SELECT 1")
            return niceness()
        }
        // The threads are 10 nicer than the process that made them (capped at 19), the caller is untouched.
        #expect(inside == min(before + LongWork.shared.niceness, 19))
        #expect(niceness() == before)
    }

    #if os(Linux)
    @Test func idleThreadsRunUnderSchedIdleAndTheCallerDoesNot() async throws {
        let work = LongWork(threads: 1, niceness: 0, idle: true)
        let policy = try await work.run { sched_getscheduler(0) }
        #expect(policy == 5)   // SCHED_IDLE
        #expect(sched_getscheduler(0) == 0)   // SCHED_OTHER
    }
    #endif

    @Test func aFailingReadThrowsToItsCallerAndTheThreadsGoOn() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteCentralStore(path: folder.appendingPathComponent("central.sqlite").path)
        try await store.migrate()
        await #expect(throws: DatabaseError.self) {
            try await store.readOffPool { db in try Int.fetchOne(db, sql: "SELECT * FROM no_such_table") }
        }
        // More reads than threads, all at once: each answers its own question.
        let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for n in 0..<20 {
                group.addTask { (n, try await store.readOffPool { db in try Int.fetchOne(db, sql: "SELECT ?", arguments: [n]) ?? -1 }) }
            }
            var answers: [Int: Int] = [:]
            for try await (n, answer) in group { answers[n] = answer }
            return answers
        }
        #expect(answers.count == 20)
        #expect(answers.allSatisfy { $0.key == $0.value })
    }
}
