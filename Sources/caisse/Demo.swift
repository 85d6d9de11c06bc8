import ArgumentParser
import CaisseAPI
import CaisseCore
import DemoChain
import Foundation
import RegisterStore

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set up a register of the demo chain in a fresh folder, make a sale and a return, and show the results.")

    @Option(help: "Where to put the demo register (default: a new temporary folder).")
    var dir: String?

    @Option(name: .long, help: "Language: fr or en (default: from LANG).")
    var lang: Language?

    @Option(help: .hidden)
    var pinRounds: Int = PinHasher.defaultRounds

    func run() throws {
        try reportingErrors {
            let folder = dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("caisse-demo-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = folder + "/caisse.sqlite"
            let options = try RegisterOptions.parse(["--db", path] + (lang.map { ["--lang", $0.rawValue] } ?? []))
            let fr = options.language == .fr
            var initCommand = try Init.parse(["--db", path])
            initCommand.pinRounds = pinRounds
            try initCommand.run()

            let store = try options.openStore()
            print(fr ? "\n$ caisse search cafe" : "\n$ caisse search cafe")
            for p in try store.search("cafe", limit: 5) {
                print("  \(padded(p.sku, 9)) \(padded(p.name, 40)) \(p.price.formatted(options.language))")
            }
            let sell = try Sell.parse(["--db", path, "TIM-0001", "CAF-0001:2", "BOU-0003", "--pay", "cash:20"] + (lang.map { ["--lang", $0.rawValue] } ?? []))
            print("\n$ caisse sell TIM-0001 CAF-0001:2 BOU-0003 --pay cash:20")
            try sell.run()
            guard let receipt = try store.journal().last.flatMap({ try? $0.decodePayload(Sale.self) })?.receiptNumber else { return }
            print("\n$ caisse return \(receipt) 2:1")
            try Return.parse(["--db", path, receipt, "2:1"] + (lang.map { ["--lang", $0.rawValue] } ?? [])).run()
            print("\n$ caisse stock --low")
            let low = try store.stock(filter: .low)
            for p in low.prefix(8) { print("  \(padded(p.sku, 9)) \(padded(p.name, 40)) \(leftPadded(String(p.onHand), 4))") }
            if low.count > 8 { print("  … \(low.count - 8) " + (fr ? "de plus" : "more")) }
            print(fr ? "\nLa caisse de démo est dans \(path). Essayez :" : "\nThe demo register is in \(path). Try:")
            print("  export CAISSE_DB=\(path)")
            print("  swift run caisse search muffin")
            print("  swift run caisse sell MUF-0001:2 --pay card:1234")
        }
    }
}
