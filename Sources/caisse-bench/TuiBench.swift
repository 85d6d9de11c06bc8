import ArgumentParser
import CaisseCore
import Foundation
import RegisterApp
import RegisterStore
import RegisterUI
import ScreenKit

/// The till's screen without a terminal: for each key, the time from the key to
/// the new frame (update, the effects on SQLite, render of 80×24 cells), on a
/// prepared (large) register database. The terminal's own drawing is measured
/// separately by `scripts/bench-tui`, which runs the real binary under tmux.
struct TuiBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tui",
        abstract: "Key-to-frame latency of the register's screens on a prepared register database.")

    @Option(help: "A database made by prepare-register.") var db: String
    @Option(help: "Sales to ring up.") var sales: Int = 200

    func run() throws {
        let startup = DispatchTime.now()
        let store = try RegisterStore(path: db)
        let runtime = RegisterRuntime(store: store, language: .fr, receiptsDirectory: nil)
        var state = try runtime.initialState(now: 1_795_633_380_000)
        let size = Size(width: 80, height: 24)
        _ = state.render(size)
        let startMillis = Double(DispatchTime.now().uptimeNanoseconds - startup.uptimeNanoseconds) / 1e6
        let count = try store.productCount()
        guard let cashier = try store.users().first(where: { $0.storeId == state.context.store.id && $0.role == .cashier }) else {
            throw ValidationError("\(db) is not a prepared register database")
        }

        var typing: [Double] = [], scans: [Double] = [], commits: [Double] = [], setup: [Double] = []
        var keysBeyondScans: [Int] = []
        func press(_ key: Key, into bucket: inout [Double]) {
            let start = DispatchTime.now()
            var queue: [Message] = [.key(key)]
            while !queue.isEmpty {
                for effect in state.update(queue.removeFirst()) { queue += runtime.perform(effect, now: state.now) }
            }
            _ = state.render(size)
            bucket.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6)
        }
        func script(_ text: String, into bucket: inout [Double]) { for key in Key.script(text) { press(key, into: &bucket) } }

        // Log in and open the drawer (PIN hashing is deliberately slow: not a screen cost).
        state.user = cashier
        state.screen = .menu(MenuState())
        script("1150<enter>", into: &setup)
        let words = ["muffin bleu", "cafe fil", "beigne erable", "bagel ses", "tasse voy", "the vert"]
        var rng = SystemRandomNumberGenerator()
        for i in 0..<sales {
            // A 3-item sale: two scans and one item found by typing words of its name, then exact cash.
            for _ in 0..<2 {
                guard let p = try store.product(id: Int64.random(in: 1...Int64(count), using: &rng)) else { continue }
                script(p.barcode + "<enter>", into: &scans)
            }
            let word = words[i % words.count]
            script(word, into: &typing)
            script("<enter>", into: &typing)
            let before = commits.count
            script("<f5>", into: &commits)
            keysBeyondScans.append(commits.count - before)
            guard case .done = state.screen else { throw ValidationError("sale \(i) did not complete: \(String(describing: state.flash))") }
        }
        print("catalog: \(count) products; \(sales) sales of 3 items (2 scans + 1 typed name), exact cash")
        print("TUI start (open database, first frame, in process): \(String(format: "%.1f", startMillis)) ms")
        print("keystrokes beyond the scans for a 3-item sale paid in exact cash (3 scans): \(keysBeyondScans.max() ?? 0) (F5)")
        print("")
        print("key → frame (update + effects + render 80×24)".padding(toLength: 46, withPad: " ", startingAt: 0) + "n".leftPad(7) + "p50".leftPad(11) + "p99".leftPad(11) + "max".leftPad(11))
        report("typing a name (search as you type)", typing)
        report("scan (barcode + Enter)", scans)
        report("F5 exact cash (durable commit + receipt)", commits)
        report("all keys", typing + scans + commits)
    }

    func report(_ name: String, _ samples: [Double]) {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return }
        func pct(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        func ms(_ v: Double) -> String { String(format: "%.2f ms", v) }
        print(name.padding(toLength: 46, withPad: " ", startingAt: 0) + String(sorted.count).leftPad(7) + ms(pct(0.5)).leftPad(11)
              + ms(pct(0.99)).leftPad(11) + ms(sorted.last ?? 0).leftPad(11))
    }
}
