import CaisseAPI
import CaisseCore
import Foundation

/// How central keeps a few values in text columns, the same in both dialects (issue 25).
public enum StoredForm {
    public static func policy(_ text: String) throws -> DiscountPolicy {
        try WireJSON.decoder.decode(DiscountPolicy.self, from: Data(text.utf8))
    }

    public static func promotion(_ text: String) throws -> Promotion {
        try WireJSON.decoder.decode(Promotion.self, from: Data(text.utf8))
    }

    public static func loyaltyProgram(_ text: String) throws -> LoyaltyProgram {
        try WireJSON.decoder.decode(LoyaltyProgram.self, from: Data(text.utf8))
    }

    /// A person's search text inside a LIKE pattern (with `ESCAPE '\'`): `%` and `_` match themselves.
    public static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}

extension IngestFacts {
    /// An original sale a return in the batch refers to, from its journal payload.
    public mutating func addOriginalSale(payload: String) throws {
        let sale = try JournalDocument.sale(payload: payload)
        originalSales[sale.id] = sale
    }

    /// A return already applied against one of those sales, from its journal payload.
    public mutating func addPriorReturn(payload: String) throws {
        let ret = try JournalDocument.saleReturn(payload: payload)
        priorReturns[ret.originalSaleId, default: []].append(ret)
    }

    public mutating func addPromotion(definition: String) throws {
        let promotion = try StoredForm.promotion(definition)
        promotions[promotion.id] = promotion
    }
}
