import ArgumentParser
import CaisseCore
import RegisterStore

struct Stock: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "This store's on-hand: the last snapshot from central plus this register's own sales, returns and receipts since.")

    @OptionGroup var options: RegisterOptions

    @Flag(help: "Only products at or under their reorder point (stock-outs included).")
    var low = false

    @Flag(help: "Only stock-outs (on-hand 0 or less).")
    var out = false

    @Flag(help: "Only products above their overstock threshold.")
    var over = false

    @Flag(help: "The central warehouse's stock as of the last snapshot, instead of this store's.")
    var warehouse = false

    @Argument(help: "Only products matching these words.")
    var text: [String] = []

    func run() throws {
        try reportingErrors {
            guard [low, out, over].filter({ $0 }).count <= 1 else { throw Failure("choose at most one of --low, --out, --over") }
            let store = try options.openStore()
            let fr = options.language == .fr
            var positions: [StockPosition]
            if warehouse {
                // The warehouse has no reorder point or overstock threshold of its own: the store's would call everything overstock.
                guard !(low || out || over) else { throw Failure("--low, --out and --over are for the store's stock: the warehouse has no thresholds") }
                let all = try store.warehouseStock()
                let typed = text.joined(separator: " ")
                // A SKU typed whole is that product; otherwise every word must appear in the name or the SKU.
                let words = SearchKey.fold(typed).split(separator: " ")
                let bySku = all.filter { $0.sku == typed.uppercased() }
                positions = !bySku.isEmpty ? bySku : all.filter { p in
                    let haystack = SearchKey.fold(p.name + " " + p.sku)
                    return words.allSatisfy { haystack.contains($0) }
                }
            } else {
                let filter: StockFilter = low ? .low : out ? .out : over ? .over : .all
                positions = try store.stock(filter: filter, matching: text.isEmpty ? nil : text.joined(separator: " "))
            }
            // A SKU typed whole is that product only (the words also match its neighbours: BAG-0001 and "Bagel … BOU-0001").
            let typed = text.joined(separator: " ").uppercased()
            if positions.contains(where: { $0.sku == typed }) { positions = positions.filter { $0.sku == typed } }
            print("\(padded("SKU", 9)) \(padded(fr ? "Produit" : "Product", 44)) \(leftPadded(fr ? "Stock" : "On hand", 8)) \(leftPadded(fr ? "Seuil" : "Reorder", 8)) \(leftPadded(fr ? "Max" : "Over", 6))  \(fr ? "État" : "Status")")
            for p in positions {
                let thresholds = warehouse ? leftPadded("–", 8) + " " + leftPadded("–", 6) + "  –"
                    : leftPadded(String(p.reorderPoint), 8) + " " + leftPadded(String(p.overstockThreshold), 6) + "  " + statusText(p.status, fr)
                print("\(padded(p.sku, 9)) \(padded(p.name, 44)) \(leftPadded(String(p.onHand), 8)) " + thresholds)
            }
            print(fr ? "\(positions.count) produit(s)" : "\(positions.count) product(s)")
        }
    }

    func statusText(_ status: StockStatus, _ fr: Bool) -> String {
        switch status {
        case .out: fr ? "RUPTURE" : "OUT"
        case .low: fr ? "bas" : "low"
        case .ok: "ok"
        case .over: fr ? "surstock" : "overstock"
        }
    }
}
