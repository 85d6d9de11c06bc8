import CaisseAPI
import CaisseCore

/// What central accepts as a product (shared by every store implementation).
public enum ProductRules {
    public static func validate(_ p: ProductInput) throws {
        let sku = p.sku.trimmingCharacters(in: .whitespaces)
        guard (1...32).contains(sku.count), sku.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw CentralError(.invalid, "sku must be 1–32 letters, digits or '-'")
        }
        guard EAN13.isValid(p.barcode) else { throw CentralError(.invalid, "barcode \(p.barcode) is not a valid EAN-13") }
        guard !p.name.trimmingCharacters(in: .whitespaces).isEmpty, p.name.count <= 120 else {
            throw CentralError(.invalid, "name must be 1–120 characters")
        }
        guard p.category.count <= 60 else { throw CentralError(.invalid, "category must be at most 60 characters") }
        // Printable text only: a NUL is refused by PostgreSQL, a newline breaks receipts and CSV.
        guard DocumentCheck.isCleanText(p.name, maxLength: 480), DocumentCheck.isCleanText(p.category, maxLength: 240),
              DocumentCheck.isCleanText(p.taxClass.rawValue, maxLength: 128) else {
            throw CentralError(.invalid, "name, category and taxClass must be printable text")
        }
        guard p.priceCents >= 0, p.priceCents <= 100_000_000 else { throw CentralError(.invalid, "priceCents must be between 0 and 100000000") }
        if let cost = p.costCents, !(0...100_000_000).contains(cost) { throw CentralError(.invalid, "costCents must be between 0 and 100000000") }
        guard p.reorderPoint >= 0, p.overstockThreshold > p.reorderPoint, p.overstockThreshold <= 1_000_000 else {
            throw CentralError(.invalid, "overstockThreshold must exceed reorderPoint (both ≥ 0)")
        }
        guard !p.taxClass.rawValue.isEmpty, p.taxClass.rawValue.count <= 32 else { throw CentralError(.invalid, "taxClass must be 1–32 characters") }
    }
}
