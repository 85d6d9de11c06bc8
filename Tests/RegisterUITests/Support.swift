import CaisseCore
import Foundation
@testable import RegisterUI
import ScreenKit
import Testing

let store = Location(id: 1, code: "CV", name: "Magasin Centre-Ville", kind: .store,
                     address: "1250, rue Sainte-Catherine Ouest, Montréal (QC) H3G 1P1", taxRule: "QC",
                     taxNumbers: ["GST": "812345678 RT0001", "QST": "1234567890 TQ0001"], timeZone: "America/Toronto")
let cashier = User(id: 1, username: "caissier.cv", displayName: "Léa Tremblay", role: .cashier, storeId: 1, pinHash: "x")
let employee = User(id: 2, username: "employe.cv", displayName: "Mathis Gagnon", role: .employee, storeId: 1, pinHash: "x")
let manager = User(id: 3, username: "gerant.cv", displayName: "Chloé Roy", role: .manager, storeId: 1, pinHash: "x")
let otherStore = User(id: 4, username: "caissier.nord", displayName: "Zoé Nord", role: .cashier, storeId: 2, pinHash: "x")

let timbits = Product(id: 1, sku: "TIM-0001", barcode: "2000000000015", name: "Timbits assortis (boîte de 10)", category: "Beignes",
                      price: Money(cents: 299), taxClass: .standard, reorderPoint: 10, overstockThreshold: 80)
let coffee = Product(id: 2, sku: "CAF-0001", barcode: "2000000000022", name: "Café filtre moyen", category: "Boissons",
                     price: Money(cents: 219), taxClass: .standard, reorderPoint: 10, overstockThreshold: 80)
let donut = Product(id: 3, sku: "BEI-0001", barcode: "2000000000039", name: "Beigne glacé au miel", category: "Beignes",
                    price: Money(cents: 169), taxClass: .standard, reorderPoint: 10, overstockThreshold: 80)
let catalog = [timbits, coffee, donut]

/// 2026-11-25 14:03 in Montréal.
let noon: Int64 = 1_795_633_380_000

func freshState(_ language: Language = .fr, drawerOpen: Bool = true) -> AppState {
    AppState(context: RegisterContext(chainName: "Caisse Démo", store: store, registerId: "CV-1", taxRule: .quebec, language: language),
             now: noon, users: [cashier, employee, manager, otherStore],
             drawer: drawerOpen ? DrawerInfo(openedAt: noon, float: Money(cents: 15_000)) : nil,
             sync: SyncInfo(enrolled: true, online: true, pending: 0, lastSuccess: noon))
}

/// Drives the pure update with a fake world: products by code, PIN "1111" for everyone.
/// It answers effects the way the real runtime does, so flows read like a cashier's keystrokes.
struct Driver {
    var state: AppState
    var effects: [Effect] = []
    var committedSales: [Sale] = []
    var committedReturns: [SaleReturn] = []
    /// The till's per-person lockout, as RegisterStore keeps it.
    var pinAttempts: [Int64: PinAttempts] = [:]
    /// Sales put aside (F8), as RegisterStore keeps them.
    var parked: [HeldCart] = []
    /// Matches the fake search claims in all (a large catalog), when set.
    var searchTotal: Int?

    init(_ state: AppState) { self.state = state }

    mutating func send(_ message: Message) {
        var queue = [message]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            let produced = state.update(next)
            effects += produced
            for effect in produced { queue += answer(effect) }
        }
    }

    mutating func keys(_ script: String) {
        for key in Key.script(script) { send(.key(key)) }
    }

    mutating func answer(_ effect: Effect) -> [Message] {
        switch effect {
        case .verifyPin(let id, let pin):
            var attempts = pinAttempts[id] ?? PinAttempts()
            if let until = attempts.lock(at: state.now) { return [.pinChecked(userId: id, result: .locked(until: until))] }
            let result = attempts.record(accepted: pin == "1111", at: state.now)
            pinAttempts[id] = attempts
            return [.pinChecked(userId: id, result: result)]
        case .search(let text), .searchPage(let text, _):
            let key = SearchKey.fold(text)
            let found = catalog.filter { SearchKey.fold($0.name).contains(key) || $0.sku.lowercased().hasPrefix(key) }
            var offset = 0
            if case .searchPage(_, let o) = effect { offset = o }
            return [.searchResults(query: text, products: found, total: searchTotal ?? found.count, offset: offset)]
        case .parkCart(let cart, let cashierId):
            parked.append(HeldCart(id: Int64(parked.count + 1), cashierId: cashierId, createdAt: state.now, cart: cart))
            return [.cartParked(waiting: parked.count)]
        case .loadParked:
            return [.parkedLoaded(parked)]
        case .recallCart(let id, _):
            guard let i = parked.firstIndex(where: { $0.id == id }) else { return [.failed(.failure(french: "aucune vente en attente", english: "no parked sale"))] }
            return [.cartRecalled(parked.remove(at: i).cart)]
        case .loadTodaysSales:
            return [.todaysSales(committedSales.reversed().map {
                SaleSummary(receiptNumber: $0.receiptNumber, createdAt: $0.createdAt, total: $0.total,
                            itemCount: $0.lines.reduce(0) { $0 + $1.quantity }, returnedCount: 0)
            })]
        case .findSale(let number):
            // Tests that hand a sale over themselves (`saleFound`) get no answer here.
            guard let sale = committedSales.first(where: { $0.receiptNumber == number }) else { return [] }
            return [.saleFound(receiptNumber: number, sale: sale, alreadyReturned: [:])]
        case .reprint(let number, _):
            return [.reprinted(receiptNumber: number, receipt: ["*** COPIE — DUPLICATA ***", "REÇU \(number)"], savedTo: nil)]
        case .lookup(let code):
            return [.lookedUp(code: code, product: catalog.first { $0.barcode == code || $0.sku == code.uppercased() })]
        case .commitSale(let cart, let payment, let cashierId):
            guard let sale = try? Sale(id: "s\(committedSales.count + 1)", receiptNumber: "CV-1-00000\(committedSales.count + 1)", storeId: 1,
                                       registerId: "CV-1", cashierId: cashierId, createdAt: state.now, cart: cart, rule: .quebec, payment: payment)
            else { return [.failed(.failure(french: "vente invalide", english: "invalid sale"))] }
            committedSales.append(sale)
            return [.saleCommitted(sale, receipt: ["REÇU \(sale.receiptNumber)", "TOTAL \(sale.total)"], savedTo: "/tmp/r/\(sale.receiptNumber).txt")]
        case .openDrawer(let float, _): return [.drawerOpened(DrawerInfo(openedAt: state.now, float: float))]
        case .drawerReport: return [.drawerReport(lines: ["RAPPORT X", "Comptant attendu 150,00 $"], expectedCash: Money(cents: 15_000))]
        case .closeDrawer: return [.drawerClosed(zReport: ["RAPPORT Z"], savedTo: nil)]
        default: return []
        }
    }

    func screen(_ width: Int = 80, _ height: Int = 24) -> String { state.render(Size(width: width, height: height)).grid.text }

    /// Logs in as the given user with PIN 1111.
    mutating func login(_ user: User) {
        keys(user.username + "<enter>1111<enter>")
    }
}

/// Compares a rendered screen to Tests/RegisterUITests/Golden/NAME.txt. With
/// RECORD_GOLDEN=1 (or when the file is missing) it writes the file and fails, so a
/// new or changed screen is looked at once by a person before it becomes the reference.
func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name).txt")
    let existing = try? String(contentsOf: url, encoding: .utf8)
    if existing == nil || ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? (text + "\n").write(to: url, atomically: true, encoding: .utf8)
        if existing != text + "\n" {
            Issue.record("recorded golden screen \(name); check it and run again", sourceLocation: sourceLocation)
        }
        return
    }
    #expect(existing == text + "\n", "screen \(name) differs from its golden file:\n\(text)", sourceLocation: sourceLocation)
}
