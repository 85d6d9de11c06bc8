import CaisseCore
import Foundation
import Testing
@testable import DemoChain

/// The checkout's data/ folder, found from this file's path.
let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data")

@Suite("Demo chain")
struct DemoChainTests {
    @Test func loadsTheSeedsStoresAndAWarehouse() throws {
        let chain = try ChainData.load(from: dataDirectory)
        #expect(chain.stores.map(\.name) == ["Magasin Centre-Ville", "Magasin Nord", "Magasin Sud", "Magasin Est", "Maison Mère"])
        #expect(chain.warehouse?.name == "Centre logistique")
        #expect(chain.taxRules.map(\.code).contains("QC"))
    }

    @Test func catalogIsLargeRealisticAndConsistent() throws {
        let chain = try ChainData.load(from: dataDirectory)
        #expect(chain.products.count >= 300)
        #expect(Set(chain.products.map(\.sku)).count == chain.products.count)
        #expect(chain.products.allSatisfy { EAN13.isValid($0.barcode) })
        #expect(chain.products.contains { $0.name.contains("é") || $0.name.contains("è") })
        #expect(Set(chain.products.map(\.category)).count >= 6)
        #expect(chain.products.contains { $0.taxClass == .zeroRated })
        for word in ["Timbits", "Café", "Beigne", "Bagel", "Muffin"] {
            #expect(chain.products.prefix(5).contains { $0.name.contains(word) }, "seed item \(word)")
        }
    }

    @Test func seedStockFiguresForTheFiveSeedProducts() throws {
        let chain = try ChainData.load(from: dataDirectory)
        #expect((1...5).map { chain.stock[1]?[Int64($0)] } == [23, 2, 45, 2, 84])
        #expect((1...5).map { chain.stock[5]?[Int64($0)] } == [10, 25, 90, 5, 37])
        #expect((1...5).map { chain.stock[6]?[Int64($0)] } == [80, 60, 40, 75, 25])
    }

    @Test func everyStoreHasACashierAnEmployeeAndAManager() throws {
        let chain = try ChainData.load(from: dataDirectory)
        for store in chain.stores {
            let roles = Set(chain.users.filter { $0.storeId == store.id }.map(\.role))
            #expect(roles.isSuperset(of: [.cashier, .employee, .manager]), "\(store.name)")
        }
        #expect(chain.users.contains { $0.role == .admin })
    }

    @Test func badDataIsRefusedWithAReason() throws {
        let chain = try ChainData.load(from: dataDirectory)
        var products = chain.products
        products[1].sku = products[0].sku
        #expect(throws: DataError.self) {
            try ChainData(name: "x", taxRules: chain.taxRules, locations: chain.locations, users: chain.users, products: products, stock: [:])
        }
        products = chain.products
        products[0].barcode = "2000000000010"
        #expect(throws: DataError("product TIM-0001: barcode 2000000000010 is not a valid EAN-13")) {
            try ChainData(name: "x", taxRules: chain.taxRules, locations: chain.locations, users: chain.users, products: products, stock: [:])
        }
    }

    @Test func theGeneratorIsDeterministicAndScales() {
        let generator = CatalogGenerator()
        let a = generator.products(count: 2_000)
        #expect(a == generator.products(count: 2_000))
        #expect(Array(generator.products(count: 100)) == Array(a.prefix(100)))
        let big = generator.products(count: 100_000)
        #expect(big.count == 100_000)
        #expect(Set(big.map(\.sku)).count == 100_000)
        #expect(Set(big.map(\.barcode)).count == 100_000)
        #expect(Set(big.map(\.name)).count == 100_000)
        #expect(big.last.map { EAN13.isValid($0.barcode) } == true)
    }
}
