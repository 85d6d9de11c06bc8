import ArgumentParser
import CaisseCore
import RegisterStore

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find products by barcode, SKU or name (accents optional: \"cafe\" finds \"Café\").")

    @OptionGroup var options: RegisterOptions

    @Argument(help: "Barcode, SKU or words of the name.")
    var text: [String]

    @Option(help: "At most this many results.")
    var limit: Int = 20

    func run() throws {
        try reportingErrors {
            guard (1...500).contains(limit) else { throw Failure("--limit must be between 1 and 500") }
            let store = try options.openStore()
            let results = try store.search(text.joined(separator: " "), limit: limit)
            if results.isEmpty {
                print(options.language == .fr ? "Aucun produit trouvé." : "No product found.")
                return
            }
            for p in results {
                print("\(padded(p.sku, 9)) \(p.barcode)  \(padded(p.name, 44)) \(leftPadded(p.price.formatted(options.language), 10))")
            }
        }
    }
}
