import CaisseAPI
import CaisseCore
import Foundation
import GRDB
import DemoChain
import Testing
@testable import RegisterStore

@Suite("Register store")
struct RegisterStoreTests {
    @Test func setUpFromTheDemoChain() throws {
        let r = try TestRegister()
        let me = try r.store.identity()
        #expect(me.registerId == "CV-1")
        #expect(me.store.name == "Magasin Centre-Ville")
        #expect(me.taxRule.code == "QC")
        #expect(try r.store.productCount() == r.chain.products.count)
        #expect(try r.store.onHand(productId: 1) == 23)   // the seed's Timbits at store 1
        #expect(try r.store.warehouseStock().first { $0.productId == 1 }?.onHand == 80)
    }

    @Test func usesWALAndFullSync() throws {
        let r = try TestRegister()
        #expect(try r.text("PRAGMA journal_mode") == "wal")
        #expect(try r.int("PRAGMA synchronous") == 2)   // FULL
    }

    @Test func refusesToSetUpTwice() throws {
        let r = try TestRegister()
        let again = RegisterSetup(chainName: "x", registerId: "CV-2", storeId: 1, locations: r.chain.locations,
                                  taxRules: r.chain.taxRules, products: [], users: [], stock: [:])
        #expect(throws: StoreError("this database already belongs to register CV-1")) { try r.store.install(again) }
    }

    @Test func refusesAWarehouseOrABadRegisterId() throws {
        let chain = try TestRegister().chain
        for (id, storeId) in [("CL-1", Int64(6)), ("bad id!", Int64(1)), ("", Int64(1)), ("X", Int64(99))] {
            let store = try RegisterStore.inMemory()
            #expect(throws: StoreError.self) {
                try store.install(RegisterSetup(chainName: "x", registerId: id, storeId: storeId, locations: chain.locations,
                                                taxRules: chain.taxRules, products: [], users: [], stock: [:]))
            }
            #expect(try !store.isInstalled)
        }
    }

    // MARK: Search

    @Test func findsByBarcodeAndSKUFirst() throws {
        let r = try TestRegister()
        let timbits = try r.product("TIM-0001")
        #expect(try r.store.search(timbits.barcode).first?.id == timbits.id)
        #expect(try r.store.search("tim-0001").first?.id == timbits.id)
        #expect(try r.store.product(code: " \(timbits.barcode) ")?.id == timbits.id)
        #expect(try r.store.product(code: "9999999999999") == nil)
    }

    @Test func accentInsensitivePrefixSearch() throws {
        let r = try TestRegister()
        let cafe = try r.store.search("cafe")
        #expect(!cafe.isEmpty)
        #expect(cafe.allSatisfy { $0.name.lowercased().contains("caf") || $0.sku.hasPrefix("CAF") })
        #expect(try r.store.search("cafe fil").map(\.name).contains("Café filtre moyen"))
        #expect(try r.store.search("DECAF").contains { $0.name.hasPrefix("Café décaféiné") })
        #expect(try r.store.search("mu").contains { $0.name == "Muffin aux bleuets" })
        #expect(try r.store.search("épicerie", limit: 100).allSatisfy { $0.category == "Épicerie" })
        #expect(try r.store.search("zzzz").isEmpty)
    }

    @Test func ligaturesAreFoundWithoutTypingThem() throws {
        let r = try TestRegister()
        let hits = try r.store.search("oeuf fromage")
        #expect(hits.contains { $0.name == "Sandwich déjeuner œuf et fromage" })
        #expect(try r.store.search("œuf fromage").map(\.id) == hits.map(\.id))
    }

    @Test("search text never breaks the query", arguments: ["\"", "café\"*", "NEAR(", "a OR b", "*", "-", "'; DROP TABLE product;--", ""])
    func hostileSearchText(text: String) throws {
        let r = try TestRegister()
        _ = try r.store.search(text)
        #expect(try r.store.productCount() == r.chain.products.count)
    }

    @Test func respectsTheLimitAndHidesInactiveProducts() throws {
        let r = try TestRegister()
        #expect(try r.store.search("ca", limit: 3).count == 3)
        var muffin = try r.product("MUF-0001")
        muffin.active = false
        try r.store.saveProducts([muffin])
        #expect(try !r.store.search("muffin bleuets").contains { $0.id == muffin.id })
        #expect(try r.store.search("MUF-0001").isEmpty)
    }

    @Test func aBulkCatalogLoadIndexesLikeRowByRowUpdates() throws {
        let r = try TestRegister()
        // 2,000 products at once take the bulk path (index rebuilt once).
        var products = CatalogGenerator().products(count: 2_000)
        products[0].name = "Bagel à l'ail"
        try r.store.saveProducts(products)
        #expect(try r.store.productCount() == 2_000)
        #expect(try r.store.search("ail").contains { $0.id == 1 })
        #expect(try !r.store.search("timbits assortis").contains { $0.id == 1 })
        #expect(try r.store.search("oeuf fromage").contains { $0.name.hasPrefix("Sandwich déjeuner œuf et fromage") })
        #expect(try r.store.search("BEI-0001").first?.id == 3)
        // Row-by-row updates after it still keep the index in step.
        var one = products[1]
        one.name = "Chocolat viennois"
        try r.store.saveProducts([one])
        #expect(try r.store.search("viennois").map(\.id) == [2])
        try r.store.writer.write { db in
            try db.execute(sql: "INSERT INTO product_fts(product_fts) VALUES ('integrity-check')")
        }
    }

    @Test func aRenamedProductIsFoundByItsNewName() throws {
        let r = try TestRegister()
        var bagel = try r.product("BAG-0001")
        bagel.name = "Bagel à l'ail"
        try r.store.saveProducts([bagel])
        #expect(try r.store.search("ail").contains { $0.id == bagel.id })
        #expect(try !r.store.search("bagel sesame").contains { $0.id == bagel.id })
    }
}


/// Two syncs of one till database at once (`caisse sync` beside the screen).
@Suite struct ConcurrentPullTests {
    func page(_ r: TestRegister, cursor: Int64, price: Int64, onHand: Int) throws -> ChangeSet {
        var product = try r.product("TIM-0001")
        product.price = Money(cents: price)
        return ChangeSet(registerId: "CV-1", storeId: 1, cursor: cursor, hasMore: false, appliedThrough: 0, locations: [], taxRules: [],
                         products: [product], users: [], restockRequests: [],
                         stock: [StockRow(locationId: 1, productId: product.id, onHand: onHand)], chainName: r.chain.name)
    }

    @Test func anOlderPullAppliedLastNeitherOverwritesNewerDataNorTakesTheCursorBack() throws {
        let r = try TestRegister()
        let start: Int64 = 0   // a till installed from data/ has pulled nothing yet
        let older = try page(r, cursor: start + 10, price: 111, onHand: 7)
        let newer = try page(r, cursor: start + 20, price: 222, onHand: 5)
        // Both pulls started from the same cursor; the one that read more finished first.
        #expect(try r.store.applyChanges([newer], pulledFrom: start))
        #expect(try r.store.applyChanges([older], pulledFrom: start) == false)
        #expect(try r.product("TIM-0001").price == Money(cents: 222))
        #expect(try r.store.onHand(productId: try r.product("TIM-0001").id) == 5)
        // And a pull from the new cursor applies as usual.
        #expect(try r.store.applyChanges([try page(r, cursor: start + 30, price: 333, onHand: 4)], pulledFrom: start + 20))
        #expect(try r.product("TIM-0001").price == Money(cents: 333))
    }
}
