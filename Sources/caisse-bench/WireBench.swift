import ArgumentParser
import CaisseAPI
import CaisseCore
import DemoChain
import Foundation
import Sync

/// What reading central's change feed through the spec's generated types costs the till (ADR 0023):
/// one page of N products decoded straight into the till's types, and through the generated
/// types then mapped, alternately in one run.
struct WireBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wire",
        abstract: "Decode a change-set page into the till's types, straight and through the spec's generated types.")

    @Option(help: "Products in the page.") var products = 5_000
    @Option(help: "Rounds of each.") var rounds = 40

    func run() throws {
        let catalog = CatalogGenerator().products(count: products)
        let page = ChangeSet(registerId: "CV-1", storeId: 1, cursor: 42, hasMore: false, appliedThrough: 0, locations: [], taxRules: [],
                             products: catalog, users: [], restockRequests: [],
                             stock: catalog.map { StockRow(locationId: 1, productId: $0.id, onHand: 12) }, chainName: "Bench")
        let json = try WireJSON.encoder.encode(page)
        var straight: [Double] = []
        var throughSpec: [Double] = []
        for _ in 0..<rounds {
            var t0 = Date()
            let a = try WireJSON.decoder.decode(ChangeSet.self, from: json)
            straight.append(Date().timeIntervalSince(t0) * 1000)
            t0 = Date()
            let b = try SpecDecoding.changeSet(json)
            throughSpec.append(Date().timeIntervalSince(t0) * 1000)
            guard a == b else { throw ValidationError("the two readings differ") }
        }
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
        print(String(format: "change set of %d products and %d stock rows (%d KB), median of %d: straight %.1f ms, through the spec's types %.1f ms (%.2fx)",
                     products, products, json.count / 1024, rounds, median(straight), median(throughSpec), median(throughSpec) / median(straight)))
    }
}
