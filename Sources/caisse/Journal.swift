import ArgumentParser
import RegisterStore

struct Journal: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the register's journal: gap-free sequence and unbroken hash chain; show what awaits sync.")

    @OptionGroup var options: RegisterOptions

    func run() throws {
        try reportingErrors {
            let store = try options.openStore()
            try store.checkIntegrity()
            try store.verifyJournal()
            let events = try store.journal()
            print("journal ok: \(events.count) events, last hash \(events.last?.hash ?? "-"), \(try store.pendingCount()) waiting for sync")
        }
    }
}
