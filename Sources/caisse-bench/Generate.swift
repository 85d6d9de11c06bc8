import ArgumentParser
import CaisseAPI
import CaisseCore
import DemoChain
import Foundation

func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try encoder.encode(value).write(to: URL(fileURLWithPath: path))
}

struct GenerateCatalog: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "catalog",
        abstract: "Write a generated catalog of COUNT products as JSON (the same every time).")

    @Option(help: "Number of products.") var count: Int = 100_000
    @Option(help: "Output file.") var out: String

    func run() throws {
        try writeJSON(CatalogGenerator().products(count: count), to: out)
    }
}

/// Regenerates data/catalog.json and data/stock.json from the generator, with
/// the seed's own stock figures for its five products.
struct GenerateDemoData: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo-data",
        abstract: "Regenerate data/catalog.json and data/stock.json (reads data/chain.json).")

    @Option(help: "The data folder.") var data: String = "data"
    @Option(help: "Number of products.") var count: Int = 320

    /// The seed's stock tables (LOG430 lab 5): stores 1–5, then the depot, for products 1–5.
    static let seedStock: [Int64: [Int]] = [
        1: [23, 2, 45, 2, 84], 2: [34, 34, 73, 4, 24], 3: [56, 8, 26, 89, 5],
        4: [5, 89, 6, 67, 7], 5: [10, 25, 90, 5, 37], 6: [80, 60, 40, 75, 25],
    ]

    func run() throws {
        let chainURL = URL(fileURLWithPath: data).appendingPathComponent("chain.json")
        let chain = try JSONDecoder().decode(ChainFile.self, from: Data(contentsOf: chainURL))
        let generator = CatalogGenerator()
        let products = generator.products(count: count)
        var locations: [StockFile.LocationStock] = []
        for location in chain.locations {
            var quantities: [String: Int] = [:]
            let stock = generator.openingStock(products: products, locationId: location.id, isWarehouse: location.kind == .warehouse)
            for p in products { quantities[p.sku] = stock[p.id] ?? 0 }
            for (i, qty) in (Self.seedStock[location.id] ?? []).enumerated() { quantities[products[i].sku] = qty }
            locations.append(StockFile.LocationStock(locationId: location.id, quantities: quantities))
        }
        try writeJSON(products, to: URL(fileURLWithPath: data).appendingPathComponent("catalog.json").path)
        try writeJSON(StockFile(locations: locations), to: URL(fileURLWithPath: data).appendingPathComponent("stock.json").path)
        print("wrote \(products.count) products and stock for \(locations.count) locations to \(data)/")
    }
}
