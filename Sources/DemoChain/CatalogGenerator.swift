import CaisseCore

/// Makes a realistic café-bakery catalog of any size, the same for the same
/// size every time: the demo catalog in data/ and the 100,000-product catalogs
/// of the benchmarks come from here, so big catalogs never need committing.
public struct CatalogGenerator: Sendable {
    public init() {}

    struct Family {
        let category: String
        let skuPrefix: String
        let bases: [String]
        let variants: [String]
        let priceRange: ClosedRange<Int64>
        let taxClass: TaxClass
        let reorder: ClosedRange<Int>
        let overstock: ClosedRange<Int>
    }

    /// The five products of the seed (its stock tables use ids 1…5), first.
    public static let seedProducts: [Product] = [
        Product(id: 1, sku: "TIM-0001", barcode: barcode(1), name: "Timbits assortis (boîte de 10)", category: "Beignes et Timbits",
                price: Money(cents: 299), taxClass: .standard, reorderPoint: 10, overstockThreshold: 80, fresh: true),
        Product(id: 2, sku: "CAF-0001", barcode: barcode(2), name: "Café filtre moyen", category: "Boissons chaudes",
                price: Money(cents: 219), taxClass: .standard, reorderPoint: 10, overstockThreshold: 80),
        Product(id: 3, sku: "BEI-0001", barcode: barcode(3), name: "Beigne glacé au miel", category: "Beignes et Timbits",
                price: Money(cents: 169), taxClass: .standard, reorderPoint: 10, overstockThreshold: 80, fresh: true),
        Product(id: 4, sku: "BAG-0001", barcode: barcode(4), name: "Bagel sésame", category: "Boulangerie",
                price: Money(cents: 199), taxClass: .standard, reorderPoint: 10, overstockThreshold: 80, fresh: true),
        Product(id: 5, sku: "MUF-0001", barcode: barcode(5), name: "Muffin aux bleuets", category: "Boulangerie",
                price: Money(cents: 249), taxClass: .standard, reorderPoint: 10, overstockThreshold: 80, fresh: true),
    ]

    /// Categories made for the day (baked, assembled): unsold at close, they are waste.
    public static let freshCategories: Set<String> = ["Beignes et Timbits", "Boulangerie", "Repas"]

    static let families: [Family] = [
        Family(category: "Boissons chaudes", skuPrefix: "CAF",
               bases: ["Café filtre", "Café décaféiné", "Café au lait", "Latte", "Cappuccino", "Espresso", "Americano",
                       "Latte à la vanille française", "Moka", "Chocolat chaud", "Thé orange pekoe", "Thé vert",
                       "Thé Earl Grey", "Tisane camomille", "Chaï latte", "Latte à l'érable"],
               variants: ["petit", "moyen", "grand", "très grand"], priceRange: 165...599, taxClass: .standard,
               reorder: 10...25, overstock: 80...160),
        Family(category: "Boissons froides", skuPrefix: "FRO",
               bases: ["Ice Capp", "Café glacé", "Latte glacé", "Limonade", "Thé glacé pêche", "Frappé aux fraises",
                       "Smoothie mangue-ananas", "Eau de source 500 ml", "Jus de pomme", "Boisson gazeuse"],
               variants: ["petit", "moyen", "grand"], priceRange: 189...649, taxClass: .standard,
               reorder: 8...20, overstock: 60...140),
        Family(category: "Beignes et Timbits", skuPrefix: "BEI",
               bases: ["Beigne", "Timbits (boîte de 10)", "Timbits (boîte de 20)", "Timbits (boîte de 40)"],
               variants: ["glacé au miel", "à l'érable", "au chocolat", "à la fraise", "crème Boston", "cannelle et sucre",
                          "à l'ancienne", "confiture de framboises", "au citron", "caramel salé", "trempé à la vanille",
                          "choco-noisette"], priceRange: 149...1399, taxClass: .standard,
               reorder: 12...30, overstock: 90...200),
        Family(category: "Boulangerie", skuPrefix: "BOU",
               bases: ["Bagel", "Muffin", "Croissant", "Chausson", "Biscuit", "Brioche"],
               variants: ["nature", "sésame", "tout garni", "multigrain", "aux bleuets", "au chocolat", "son et raisins",
                          "aux carottes", "aux amandes", "à l'érable", "aux framboises", "citron et pavot"],
               priceRange: 149...449, taxClass: .standard, reorder: 10...25, overstock: 70...150),
        Family(category: "Repas", skuPrefix: "REP",
               bases: ["Sandwich déjeuner", "Wrap", "Bol", "Soupe", "Panini", "Pizza plate"],
               variants: ["œuf et fromage", "bacon", "poulet grillé", "végé", "jambon et suisse", "dinde et brie",
                          "poulet César", "légumes rôtis"], priceRange: 399...1099, taxClass: .standard,
               reorder: 5...15, overstock: 40...90),
        Family(category: "Épicerie", skuPrefix: "EPI",
               bases: ["Café moulu", "Café en grains", "Thé en sachets", "Sirop d'érable", "Lait 2 %", "Crème 10 %",
                       "Confiture", "Miel de trèfle", "Beurre d'arachide", "Gruau"],
               variants: ["250 g", "340 g", "500 g", "1 kg"], priceRange: 349...1899, taxClass: .zeroRated,
               reorder: 5...12, overstock: 30...70),
        Family(category: "Articles", skuPrefix: "ART",
               bases: ["Tasse de voyage", "Tasse en céramique", "Bouteille isotherme", "Sac réutilisable", "Carte de fidélité"],
               variants: ["noire", "rouge", "blanche", "édition des fêtes"], priceRange: 299...2999, taxClass: .standard,
               reorder: 3...8, overstock: 20...50),
    ]

    /// In-store EAN-13 numbers (prefix 2, reserved for a retailer's own use),
    /// unique by product id.
    public static func barcode(_ id: Int64) -> String {
        let body = String(id)
        let twelve = "20" + String(repeating: "0", count: max(0, 10 - body.count)) + body
        return EAN13.make(twelve) ?? twelve
    }

    /// `count` products with ids 1…count: the seed's five, then the families in turn.
    public func products(count: Int) -> [Product] {
        var products = Array(Self.seedProducts.prefix(count))
        var rng = SplitMix64(seed: 0xCA155E)
        var usedNames = Set(products.map(\.name))
        var perPrefix: [String: Int] = [:]
        for p in products { perPrefix[String(p.sku.prefix(3)), default: 0] += 1 }
        // One pass takes every base × variant of every family, interleaved so a
        // small catalog still spans all families; later passes are new "lots".
        let maxCombos = Self.families.map { $0.bases.count * $0.variants.count }.max() ?? 0
        var order: [(Family, Int)] = []
        for k in 0..<maxCombos {
            for family in Self.families where k < family.bases.count * family.variants.count { order.append((family, k)) }
        }
        var i = 0
        while products.count < count {
            let (family, k) = order[i % order.count]
            let round = i / order.count
            i += 1
            let base = family.bases[k % family.bases.count]
            let variant = family.variants[(k / family.bases.count) % family.variants.count]
            var name = "\(base) \(variant)"
            if round > 0 { name += " — lot \(round + 1)" }
            guard usedNames.insert(name).inserted else { continue }
            let id = Int64(products.count + 1)
            let n = (perPrefix[family.skuPrefix] ?? 0) + 1
            perPrefix[family.skuPrefix] = n
            let digits = String(n)
            let sku = family.skuPrefix + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            // Prices end in 9 like real shelf prices.
            let raw = rng.next(in: family.priceRange)
            let price = Money(cents: raw - raw % 10 + 9)
            let reorder = Int(rng.next(in: Int64(family.reorder.lowerBound)...Int64(family.reorder.upperBound)))
            let over = Int(rng.next(in: Int64(family.overstock.lowerBound)...Int64(family.overstock.upperBound)))
            products.append(Product(id: id, sku: sku, barcode: Self.barcode(id), name: name, category: family.category,
                                    price: price, taxClass: family.taxClass, reorderPoint: reorder, overstockThreshold: over,
                                    fresh: Self.freshCategories.contains(family.category)))
        }
        // What a café-bakery pays: ingredients and labour for what it bakes, wholesale for the rest.
        return products.map { p in
            var p = p
            p.cost = Money(cents: p.price.cents * (p.fresh ? 35 : 45) / 100)
            return p
        }
    }

    /// Opening stock: stores hold around their thresholds (some out, some low,
    /// some over, so the dashboard has something to say); the warehouse holds more.
    public func openingStock(products: [Product], locationId: Int64, isWarehouse: Bool) -> [Int64: Int] {
        var rng = SplitMix64(seed: 0x570C4 &+ UInt64(locationId) &* 7919)
        var result: [Int64: Int] = [:]
        for p in products {
            let roll = rng.next(in: 0...99)
            let qty: Int
            if isWarehouse {
                qty = p.overstockThreshold * Int(rng.next(in: 3...8))
            } else if roll < 4 {
                qty = 0
            } else if roll < 14 {
                qty = Int(rng.next(in: 1...Int64(max(1, p.reorderPoint))))
            } else if roll < 22 {
                qty = p.overstockThreshold + Int(rng.next(in: 1...40))
            } else {
                qty = Int(rng.next(in: Int64(p.reorderPoint + 1)...Int64(p.overstockThreshold)))
            }
            result[p.id] = qty
        }
        return result
    }
}

/// A tiny, fast, reproducible generator (Vigna's SplitMix64): the same seed
/// gives the same catalog (and the benchmarks' histories) on every machine and Swift version.
public struct SplitMix64: Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next(in range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int64(next() % span)
    }

    /// In [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
    /// In 0..<n (0 when n ≤ 1).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
}
