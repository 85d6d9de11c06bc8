import CaisseAPI
import CaisseCore
import DemoChain
import Foundation
import RegisterApp
import RegisterStore
import RegisterUI
import ScreenKit
import Testing

let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data")

/// The real runtime over a real register database: screens, effects and SQLite
/// together, without a terminal.
struct Till {
    let folder: String
    let store: RegisterStore
    let runtime: RegisterRuntime
    var state: AppState
    var clock: Int64 = 1_795_633_380_000   // 2026-11-25 14:03 in Montréal

    init(language: Language) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("caisse-app-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let chain = try ChainData.load(from: dataDirectory)
        store = try RegisterStore(path: folder + "/caisse.sqlite")
        try store.install(RegisterSetup(chainName: chain.name, registerId: "CV-1", storeId: 1, locations: chain.locations,
                                        taxRules: chain.taxRules, products: chain.products,
                                        users: try chain.hashedUsers(PinHasher(rounds: 1_000)), stock: chain.registerStock(storeId: 1)))
        runtime = RegisterRuntime(store: store, language: language, receiptsDirectory: folder + "/receipts")
        state = try runtime.initialState(now: clock)
    }

    mutating func send(_ message: Message) {
        var queue = [message]
        while !queue.isEmpty {
            for effect in state.update(queue.removeFirst()) { queue += runtime.perform(effect, now: clock) }
        }
    }

    mutating func keys(_ script: String) {
        for key in Key.script(script) {
            clock += 1_000
            send(.tick(clock))
            send(.key(key))
        }
    }

    var screen: String { state.render(Size(width: 100, height: 30)).grid.text }
}

@Suite struct FullDayTests {
    @Test(arguments: [Language.fr, .en])
    func aCashiersDay(_ language: Language) throws {
        var till = try Till(language: language)
        let fr = language == .fr
        till.keys("caissier.cv<enter>1112<enter>")
        #expect(till.state.user == nil)
        till.keys("1111<enter>")
        #expect(till.state.user?.username == "caissier.cv")

        // Open the drawer with a 150 $ float, then sell 3 scans for exact cash.
        till.keys("1150<enter>")
        #expect(till.state.drawer?.float == Money(cents: 15_000))
        till.keys("2000000000015<enter>2000000000022<enter>2000000000039<enter><f5>")
        #expect(till.screen.contains(fr ? "PAYÉ — AUCUNE MONNAIE" : "PAID — NO CHANGE"), "exact cash: nothing to give back")
        #expect(try store(till).saleCount() == 1)

        // A split tender: 5 $ on a card, the rest in cash with change.
        till.keys("<enter>muffin<enter>TIM-0001<enter><f2>3<enter><f6>5<f7>AUTH-1<enter>20<enter>")
        let split = try #require(try till.store.sale(receiptNumber: "CV-1-000002"))
        #expect(split.tenders.map(\.kind) == [.card, .cash])
        #expect(split.tenders[0].amount == Money(cents: 500))
        #expect(split.change.isPositive)

        // A return of one Timbits box from the second sale, refunded in cash.
        till.keys("<esc>2CV-1-000002<enter><down>1<f5>")
        #expect(till.screen.contains(fr ? "À REMBOURSER" : "TO REFUND"))
        let returned = try till.store.returnedQuantities(saleId: split.id)
        #expect(returned == [2: 1])
        // Not more than sold: the same line again is capped at what is left.
        till.keys("<esc>2CV-1-000002<enter><down>9")
        #expect(till.state.flash?.kind == .error)

        // X report, then close with a count 0,25 $ short.
        till.keys("<esc><esc>3")
        guard case .report(let x) = till.state.screen else { Issue.record("no X report: \(String(describing: till.state.flash))\n\(till.screen)"); return }
        let expectedLine = try #require(x.lines.first { $0.contains(fr ? "Comptant attendu" : "Expected cash") })
        till.keys("<enter>4")
        guard case .count(let count) = till.state.screen, let expected = count.expected else { Issue.record("no close count"); return }
        #expect(expectedLine.contains(expected.formatted(language)))
        let counted = expected - Money(cents: 25)
        till.keys(DrawerCount(fewestPiecesFor: counted).keyScript + "<enter>")   // counted piece by piece, then confirmed
        guard case .report(let z) = till.state.screen else { Issue.record("no Z report"); return }
        #expect(z.lines.contains { $0.contains(fr ? "Manque" : "Short") })
        #expect(till.state.drawer == nil)

        // Everything is in the journal, in order, chained, ready for central.
        let types = try till.store.journal().map(\.type)
        #expect(types == [.sale, .sale, .return, .cashSessionClose])
        try till.store.verifyJournal()
        let receipts = try FileManager.default.contentsOfDirectory(atPath: till.folder + "/receipts").sorted()
        #expect(receipts.filter { $0.hasPrefix("CV-1-") } == ["CV-1-000001.txt", "CV-1-000002.txt", "CV-1-000003.txt"])
        #expect(receipts.contains { $0.hasPrefix("Z-") })

        // Log out: back to the login screen.
        till.keys("<enter><esc>")
        #expect(till.state.user == nil)
    }

    func store(_ till: Till) -> RegisterStore { till.store }

    @Test func aWrongPinIsCheckedAgainstTheSyncedHash() throws {
        var till = try Till(language: .en)
        till.keys("gerant.cv<enter>3334<enter>")
        #expect(till.state.flash == .error("Wrong PIN (try 1 of 3)."))
        till.keys("3333<enter>")
        #expect(till.state.user?.role == .manager)
    }

    @Test func theDrawerStaysOpenAcrossARestart() throws {
        var till = try Till(language: .en)
        till.keys("caissier.cv<enter>1111<enter>3100<enter>")
        #expect(till.state.drawer != nil)
        let again = try till.runtime.initialState(now: till.clock)
        #expect(again.drawer?.float == Money(cents: 10_000))
    }
}
