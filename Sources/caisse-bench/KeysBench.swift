import ArgumentParser
import CaisseAPI
import CaisseCore
import DemoChain
import Foundation
import RegisterApp
import RegisterStore
import RegisterUI
import ScreenKit

/// Keystrokes of the till's common tasks, the way a cashier types them before and
/// after issue 15's shorter paths. Each path runs through the real screens and the
/// real register database (demo data), and its outcome is checked, so a count
/// cannot drift from what the keys do.
struct KeysBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keys",
        abstract: "Keystrokes of common tasks at the till, before and after the shorter paths (each path is run and checked).")

    @Option(help: "The demo chain's folder (default: the nearest data/).") var data: String?

    struct Failure: Error, CustomStringConvertible { var description: String }

    func run() throws {
        let chain = try ChainData.load(from: try DataDirectory.locate(explicit: data))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caisse-keys-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try RegisterStore(path: folder.appendingPathComponent("caisse.sqlite").path)
        try store.install(RegisterSetup(chainName: chain.name, registerId: "CV-1", storeId: 1, locations: chain.locations,
                                        taxRules: chain.taxRules, products: chain.products,
                                        users: try chain.hashedUsers(PinHasher(rounds: 1_000)), stock: chain.registerStock(storeId: 1)))
        try store.applyChanges([ChangeSet(registerId: "CV-1", storeId: 1, cursor: 1, hasMore: false, appliedThrough: 0, locations: [],
                                          taxRules: [], products: [], users: [], restockRequests: [], stock: [], chainName: chain.name,
                                          quickKeys: chain.quickKeys)], pulledFrom: 0)
        let runtime = RegisterRuntime(store: store, language: .fr, receiptsDirectory: nil)
        var state = try runtime.initialState(now: 1_795_633_380_000)
        guard let cashier = try store.users().first(where: { $0.storeId == 1 && $0.role == .cashier }) else { throw Failure(description: "no cashier") }
        state.user = cashier
        state.screen = .menu(MenuState())

        @discardableResult
        func type(_ script: String) -> Int {
            let keys = Key.script(script)
            for key in keys {
                var queue: [Message] = [.key(key)]
                while !queue.isEmpty {
                    for effect in state.update(queue.removeFirst()) { queue += runtime.perform(effect, now: state.now) }
                }
            }
            return keys.count
        }
        func expectScreen(_ ok: Bool, _ what: String) throws {
            guard ok else { throw Failure(description: "\(what): \(state.flash?.text ?? "") on \(state.screen)") }
        }
        type("1150<enter><esc>")   // the drawer's float: not part of any task

        // 1. Three products sold without a barcode (the store's first quick keys), paid with a 20 $ bill.
        let items = Array(try store.quickKeys().prefix(3))
        guard items.count == 3 else { throw Failure(description: "the demo chain has fewer than 3 quick keys") }
        /// The fewest characters that find it: its SKU, or the shortest start of its name that lists it first.
        func shortestPrefix(_ p: Product) throws -> String {
            for n in 1...min(p.name.count, p.sku.count - 1) {
                let prefix = String(p.name.prefix(n))
                if try store.search(prefix, limit: SaleState.resultPage).first?.id == p.id { return prefix }
            }
            return p.sku
        }
        func checkSale(_ receipt: String) throws {
            let sale = try store.sale(receiptNumber: receipt)
            try expectScreen(sale?.lines.map(\.productId) == items.map(\.id) && sale?.tenders.first?.given == Money(cents: 2_000),
                             "sale \(receipt) is not the three items paid with 20 $")
        }
        var saleBefore = type("1")
        for p in items { saleBefore += type(try shortestPrefix(p) + "<enter>") }
        saleBefore += type("<f6>20<enter>")
        try checkSale("CV-1-000001")
        type("<esc>")
        var saleAfter = type("1<tab>123<f6>")
        guard case .payment(let pay) = state.screen,
              let bill = QuickCash.suggestions(due: pay.payment.cashDue).firstIndex(of: Money(cents: 2_000)) else {
            throw Failure(description: "no 20 $ quick-cash key")
        }
        saleAfter += type("<f\(bill + 1)>")
        try checkSale("CV-1-000002")
        type("<esc>")

        // 2. One unit of the first line of today's third sale, refunded in cash.
        let muffin = try store.product(code: "MUF-0001")!
        type("1" + muffin.barcode + "<enter>" + muffin.barcode + "<enter><f5><esc>")   // the third sale: 2 muffins
        let returnBefore = type("2CV-1-000003<enter>1<enter>")
        try expectScreen(try store.returnedQuantities(saleId: try store.sale(receiptNumber: "CV-1-000003")!.id) == [1: 1], "first return")
        type("<esc>")
        let returnAfter = type("2<enter>1<enter>")   // today's newest sale is the third
        try expectScreen(try store.returnedQuantities(saleId: try store.sale(receiptNumber: "CV-1-000003")!.id) == [1: 2], "second return")
        type("<esc>")

        // 2b. One unit of the first line of a sale of yesterday (not in today's list): before, its
        // whole receipt number; now its last digits at the register that sold it.
        state.screen = .menu(MenuState())
        let today = state.now
        state.now = today - 86_400_000
        type("1" + muffin.barcode + "<enter>" + muffin.barcode + "<enter><f5>")
        guard case .done(let yesterday) = state.screen else { throw Failure(description: "yesterday's sale was not made") }
        type("<esc>")
        state.now = today
        let number = yesterday.receiptNumber, digits = String(Int(number.split(separator: "-").last ?? "") ?? 0)
        let earlierBefore = Key.script("2\(number)<enter>1<enter>").count
        let earlierAfter = type("2\(digits)<enter>1<enter>")
        try expectScreen(try store.returnedQuantities(saleId: try store.sale(receiptNumber: number)!.id) == [1: 1], "earlier return")
        type("<esc><esc>")

        // 3a. The close's waste: 3 blueberry muffins thrown out. Before, F7 put every fresh line's whole
        // on-hand on the sheet, and each other line was set to 0 by hand (0 then ↓); now nothing is
        // thrown unless typed, and letters find the line.
        let employee = try store.users().first { $0.storeId == 1 && $0.role == .employee }
        state.user = employee
        state.screen = .menu(MenuState())
        type("5<f7>")
        guard case .stock(let stock) = state.screen, let sheet = stock.waste else { throw Failure(description: "no waste sheet") }
        let freshLines = sheet.lines.count
        type("<esc><esc>")
        let wasteBefore = 2 + 2 * freshLines + 1   // 5 F7, each line 0 or 3 then ↓, F5
        let muffinsBefore = try store.onHand(productId: muffin.id)
        let wasteAfter = type("5<f7>muffin bl3<f5>")
        let thrown = try store.onHand(productId: muffin.id)
        try expectScreen(thrown == muffinsBefore - 3, "3 muffins thrown out (\(muffinsBefore) → \(thrown))")
        state.user = cashier
        state.screen = .menu(MenuState())

        // 3b. The drawer closed with a count: before, the total typed as one amount; now piece by piece, blind.
        guard let report = try store.cashReport() else { throw Failure(description: "no open drawer") }
        let amount = report.expectedCash.formatted(.fr).replacingOccurrences(of: "\u{a0}$", with: "").replacingOccurrences(of: " ", with: "")
        let closeBefore = 1 + amount.count + 2   // 4, the amount, Enter (shows the difference), Enter (closes)
        let closeAfter = type("4" + DrawerCount(fewestPiecesFor: report.expectedCash).keyScript + "<enter>")
        try expectScreen(try store.currentCashSession() == nil, "the drawer did not close")

        print("Keystrokes at the till (demo catalog; `swift run -c release caisse-bench keys`)")
        print("| task | before | after |")
        print("|---|---:|---:|")
        print("| 3 items without barcodes (\(items.map(\.name).joined(separator: ", "))), paid with a 20 $ bill | \(saleBefore) | \(saleAfter) |")
        print("| return 1 unit of a line of today's 3rd sale, cash | \(returnBefore) | \(returnAfter) |")
        print("| return 1 unit of a line of yesterday's sale (\(number)) | \(earlierBefore) (the whole number) | \(earlierAfter) (its last digits) |")
        print("| close: throw out 3 blueberry muffins among \(freshLines) fresh lines (on hand \(muffinsBefore) → \(thrown)) | \(wasteBefore) (every other line zeroed; not run: the sheet is gone) | \(wasteAfter) (letters find the line) |")
        print("| close the drawer with a count of \(report.expectedCash.formatted(.fr)) | \(closeBefore) (one amount, not run: the screen is gone) | \(closeAfter) (piece by piece, blind) |")
    }
}
