import CaisseCore
import Foundation

// The journal's documents as tills write them (issue 25, ADR 0022). A payload is hashed
// into the chain and kept for ever, so its bytes belong to these types, not to CaisseCore's:
// a field renamed in the domain changes a mapping below, never a journal.
//
// Versions: a payload without a `v` key is version 1, the form every till wrote until a
// version 2 exists; a later version writes `"v": N`. Central reads every version it ever
// accepted (`JournalDocument.decode`); a version it does not know is quarantined, not refused,
// so a till upgraded before central keeps selling.

/// A payload that names a version this program does not read, or a value outside its closed sets.
public struct JournalPayloadError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// One journal document, in the domain's types, whatever version it was written in.
public enum JournalDocument: Hashable, Sendable {
    case sale(Sale)
    case saleReturn(SaleReturn)
    case restockRequest(RestockRequestPayload)
    case restockReceipt(RestockReceiptPayload)
    case cashSessionClose(CashSessionClosing)
    case stockAdjustment(StockAdjustment)
    case transferRequest(TransferRequestPayload)
    case transferShipment(TransferShipmentPayload)
    case transferReceipt(TransferReceiptPayload)
    case orderState(OrderStatePayload)
    case noSale(NoSalePayload)

    /// The versions a till writes today, per event type.
    public static let currentVersion = 1

    public var eventType: EventType {
        switch self {
        case .sale: .sale
        case .saleReturn: .return
        case .restockRequest: .restockRequest
        case .restockReceipt: .restockReceipt
        case .cashSessionClose: .cashSessionClose
        case .stockAdjustment: .stockAdjustment
        case .transferRequest: .transferRequest
        case .transferShipment: .transferShipment
        case .transferReceipt: .transferReceipt
        case .orderState: .orderState
        case .noSale: .noSale
        }
    }

    /// The payload a till journals today: the current version's bytes.
    public func payload() throws -> String {
        switch self {
        case .sale(let s): try WireJSON.string(SalePayloadV1(s))
        case .saleReturn(let r): try WireJSON.string(ReturnPayloadV1(r))
        case .restockRequest(let p): try WireJSON.string(p)
        case .restockReceipt(let p): try WireJSON.string(p)
        case .cashSessionClose(let c): try WireJSON.string(CashSessionClosePayloadV1(c))
        case .stockAdjustment(let a): try WireJSON.string(StockAdjustmentPayloadV1(a))
        case .transferRequest(let p): try WireJSON.string(p)
        case .transferShipment(let p): try WireJSON.string(p)
        case .transferReceipt(let p): try WireJSON.string(p)
        case .orderState(let p): try WireJSON.string(p)
        case .noSale(let p): try WireJSON.string(p)
        }
    }

    /// Reads a payload of any version this program ever wrote, in one parse.
    public static func decode(_ type: EventType, payload: String) throws -> JournalDocument {
        let decoder = WireJSON.decoder
        decoder.userInfo[Envelope.typeKey] = type
        return try decoder.decode(Envelope.self, from: Data(payload.utf8)).document
    }

    /// The version key beside the document's own, read from the same parsed tree.
    private struct Envelope: Decodable {
        static let typeKey = CodingUserInfoKey(rawValue: "caisse.eventType")!
        enum VersionKey: String, CodingKey { case v }
        let document: JournalDocument

        init(from decoder: any Decoder) throws {
            guard let type = decoder.userInfo[Self.typeKey] as? EventType else { throw JournalPayloadError("no event type to read the payload as") }
            let version = try decoder.container(keyedBy: VersionKey.self).decodeIfPresent(Int.self, forKey: .v) ?? 1
            // A new version is one more case here, beside the ones every journal may still hold.
            switch (type, version) {
            case (.sale, 1): document = .sale(try SalePayloadV1(from: decoder).domain())
            case (.return, 1): document = .saleReturn(try ReturnPayloadV1(from: decoder).domain())
            case (.restockRequest, 1): document = .restockRequest(try RestockRequestPayload(from: decoder))
            case (.restockReceipt, 1): document = .restockReceipt(try RestockReceiptPayload(from: decoder))
            case (.cashSessionClose, 1): document = .cashSessionClose(try CashSessionClosePayloadV1(from: decoder).domain())
            case (.stockAdjustment, 1): document = .stockAdjustment(try StockAdjustmentPayloadV1(from: decoder).domain())
            case (.transferRequest, 1): document = .transferRequest(try TransferRequestPayload(from: decoder))
            case (.transferShipment, 1): document = .transferShipment(try TransferShipmentPayload(from: decoder))
            case (.transferReceipt, 1): document = .transferReceipt(try TransferReceiptPayload(from: decoder))
            case (.orderState, 1): document = .orderState(try OrderStatePayload(from: decoder))
            case (.noSale, 1): document = .noSale(try NoSalePayload(from: decoder))
            default: throw JournalPayloadError("version \(version) of \(type.rawValue) is unknown to this program")
            }
        }
    }
}

extension JournalDocument {
    public var sale: Sale? { if case .sale(let s) = self { s } else { nil } }
    public var saleReturn: SaleReturn? { if case .saleReturn(let r) = self { r } else { nil } }
    public var restockRequest: RestockRequestPayload? { if case .restockRequest(let r) = self { r } else { nil } }
    public var cashSessionClose: CashSessionClosing? { if case .cashSessionClose(let c) = self { c } else { nil } }

    /// A sale's payload read back (a reprint, a return, a Z report), whatever its version.
    public static func sale(payload: String) throws -> Sale {
        guard case .sale(let sale) = try decode(.sale, payload: payload) else { throw JournalPayloadError("not a sale") }
        return sale
    }

    /// A return's payload read back, whatever its version.
    public static func saleReturn(payload: String) throws -> SaleReturn {
        guard case .saleReturn(let ret) = try decode(.return, payload: payload) else { throw JournalPayloadError("not a return") }
        return ret
    }
}

extension SyncEvent {
    /// The event's document in the domain's types, whatever version its payload is.
    public func document() throws -> JournalDocument { try JournalDocument.decode(type, payload: payload) }
}

// MARK: - Version 1

/// Amounts in version 1 are bare integers of cents within ±10^13 (100 G$).
private func money(_ cents: Int64, _ field: String) throws -> Money {
    guard cents.magnitude <= Money.wireLimit else { throw JournalPayloadError("\(field): \(cents) cents is out of range") }
    return Money(cents: cents)
}

private func closed<T: RawRepresentable<String>>(_ raw: String, _ field: String) throws -> T {
    guard let value = T(rawValue: raw) else { throw JournalPayloadError("\(field): \(raw.prefix(40)) is not one of \(T.self)'s values") }
    return value
}

/// A sale as journaled since the first till.
public struct SalePayloadV1: Codable, Sendable {
    public struct Line: Codable, Sendable {
        var lineNo: Int
        var productId: Int64
        var sku: String
        var name: String
        var unitPriceCents: Int64
        var taxClass: String
        var quantity: Int
        var category: String?
        /// Absent when the line has none: lines were written so before discounts existed.
        var discounts: [Discount]?

        init(_ l: SaleLine) {
            lineNo = l.lineNo; productId = l.productId; sku = l.sku; name = l.name
            unitPriceCents = l.unitPrice.cents; taxClass = l.taxClass.rawValue; quantity = l.quantity
            category = l.category
            discounts = l.discounts.isEmpty ? nil : l.discounts.map(Discount.init)
        }

        func domain() throws -> SaleLine {
            SaleLine(lineNo: lineNo, productId: productId, sku: sku, name: name, unitPrice: try money(unitPriceCents, "unitPriceCents"),
                     taxClass: TaxClass(taxClass), quantity: quantity, category: category,
                     discounts: try (discounts ?? []).map { try $0.domain() })
        }
    }

    public struct Discount: Codable, Sendable {
        var kind: String
        var amountCents: Int64
        var reason: String?
        var promotionId: Int64?
        var label: String?
        var approvedBy: Int64?

        init(_ d: LineDiscount) {
            kind = d.kind.rawValue; amountCents = d.amount.cents; reason = d.reason
            promotionId = d.promotionId; label = d.label; approvedBy = d.approvedBy
        }

        func domain() throws -> LineDiscount {
            LineDiscount(kind: try closed(kind, "discount kind"), amount: try money(amountCents, "amountCents"), reason: reason,
                         promotionId: promotionId, label: label, approvedBy: approvedBy)
        }
    }

    public struct Tax: Codable, Sendable {
        var code: String
        var rateMicros: Int64
        var taxableClasses: [String]
        var baseCents: Int64
        var amountCents: Int64

        init(_ t: TaxLine) {
            code = t.code; rateMicros = t.rateMicros; taxableClasses = t.taxableClasses.map(\.rawValue)
            baseCents = t.base.cents; amountCents = t.amount.cents
        }

        func domain() throws -> TaxLine {
            TaxLine(code: code, rateMicros: rateMicros, taxableClasses: taxableClasses.map { TaxClass($0) },
                    base: try money(baseCents, "baseCents"), amount: try money(amountCents, "amountCents"))
        }
    }

    public struct Tender: Codable, Sendable {
        var kind: String
        var amountCents: Int64
        var givenCents: Int64?
        var changeCents: Int64
        var reference: String?

        init(_ t: CaisseCore.Tender) {
            kind = t.kind.rawValue; amountCents = t.amount.cents; givenCents = t.given?.cents
            changeCents = t.change.cents; reference = t.reference
        }

        func domain() throws -> CaisseCore.Tender {
            CaisseCore.Tender(kind: try closed(kind, "tender kind"), amount: try money(amountCents, "amountCents"),
                              given: try givenCents.map { try money($0, "givenCents") }, change: try money(changeCents, "changeCents"),
                              reference: reference)
        }
    }

    var id: String
    var receiptNumber: String
    var storeId: Int64
    var registerId: String
    var cashierId: Int64
    var createdAt: Int64
    var lines: [Line]
    var taxes: [Tax]
    var subtotalCents: Int64
    var taxTotalCents: Int64
    var totalCents: Int64
    var roundingCents: Int64
    var tenders: [Tender]
    var changeCents: Int64
    var customerCard: String?
    var orderId: String?
    var loyaltyHoldId: String?

    public init(_ s: Sale) {
        id = s.id; receiptNumber = s.receiptNumber; storeId = s.storeId; registerId = s.registerId
        cashierId = s.cashierId; createdAt = s.createdAt
        lines = s.lines.map(Line.init); taxes = s.taxes.map(Tax.init)
        subtotalCents = s.subtotal.cents; taxTotalCents = s.taxTotal.cents; totalCents = s.total.cents
        roundingCents = s.rounding.cents; tenders = s.tenders.map(Tender.init); changeCents = s.change.cents
        customerCard = s.customerCard; orderId = s.orderId; loyaltyHoldId = s.loyaltyHoldId
    }

    public func domain() throws -> Sale {
        Sale(id: id, receiptNumber: receiptNumber, storeId: storeId, registerId: registerId, cashierId: cashierId, createdAt: createdAt,
             lines: try lines.map { try $0.domain() }, taxes: try taxes.map { try $0.domain() },
             subtotal: try money(subtotalCents, "subtotalCents"), taxTotal: try money(taxTotalCents, "taxTotalCents"),
             total: try money(totalCents, "totalCents"), rounding: try money(roundingCents, "roundingCents"),
             tenders: try tenders.map { try $0.domain() }, change: try money(changeCents, "changeCents"),
             customerCard: customerCard, orderId: orderId, loyaltyHoldId: loyaltyHoldId)
    }
}

/// A return as journaled since the first till: its lines, taxes and tenders are a sale's.
public struct ReturnPayloadV1: Codable, Sendable {
    var id: String
    var receiptNumber: String
    var originalSaleId: String
    var originalReceiptNumber: String
    var storeId: Int64
    var registerId: String
    var cashierId: Int64
    var createdAt: Int64
    var lines: [SalePayloadV1.Line]
    var taxes: [SalePayloadV1.Tax]
    var subtotalCents: Int64
    var taxTotalCents: Int64
    var totalCents: Int64
    var roundingCents: Int64
    var tenders: [SalePayloadV1.Tender]
    var approvedBy: Int64?

    public init(_ r: SaleReturn) {
        id = r.id; receiptNumber = r.receiptNumber; originalSaleId = r.originalSaleId; originalReceiptNumber = r.originalReceiptNumber
        storeId = r.storeId; registerId = r.registerId; cashierId = r.cashierId; createdAt = r.createdAt
        lines = r.lines.map(SalePayloadV1.Line.init); taxes = r.taxes.map(SalePayloadV1.Tax.init)
        subtotalCents = r.subtotal.cents; taxTotalCents = r.taxTotal.cents; totalCents = r.total.cents
        roundingCents = r.rounding.cents; tenders = r.tenders.map(SalePayloadV1.Tender.init); approvedBy = r.approvedBy
    }

    public func domain() throws -> SaleReturn {
        SaleReturn(id: id, receiptNumber: receiptNumber, originalSaleId: originalSaleId, originalReceiptNumber: originalReceiptNumber,
                   storeId: storeId, registerId: registerId, cashierId: cashierId, createdAt: createdAt,
                   lines: try lines.map { try $0.domain() }, taxes: try taxes.map { try $0.domain() },
                   subtotal: try money(subtotalCents, "subtotalCents"), taxTotal: try money(taxTotalCents, "taxTotalCents"),
                   total: try money(totalCents, "totalCents"), rounding: try money(roundingCents, "roundingCents"),
                   tenders: try tenders.map { try $0.domain() }, approvedBy: approvedBy)
    }
}

/// Waste, breakage, theft, found or a correction, as journaled since issue 17.
public struct StockAdjustmentPayloadV1: Codable, Sendable {
    public struct Line: Codable, Sendable {
        var productId: Int64
        var sku: String
        var name: String
        var quantity: Int
        var unitPriceCents: Int64
    }

    var id: String
    var storeId: Int64
    var registerId: String
    var createdAt: Int64
    var reason: String
    var note: String?
    var lines: [Line]
    var by: Int64
    var approvedBy: Int64?

    public init(_ a: StockAdjustment) {
        id = a.id; storeId = a.storeId; registerId = a.registerId; createdAt = a.createdAt; reason = a.reason.rawValue
        note = a.note; by = a.by; approvedBy = a.approvedBy
        lines = a.lines.map { Line(productId: $0.productId, sku: $0.sku, name: $0.name, quantity: $0.quantity, unitPriceCents: $0.unitPrice.cents) }
    }

    public func domain() throws -> StockAdjustment {
        StockAdjustment(id: id, storeId: storeId, registerId: registerId, createdAt: createdAt, reason: try closed(reason, "reason"), note: note,
                        lines: try lines.map {
                            AdjustmentLine(productId: $0.productId, sku: $0.sku, name: $0.name, quantity: $0.quantity,
                                           unitPrice: try money($0.unitPriceCents, "unitPriceCents"))
                        },
                        by: by, approvedBy: approvedBy)
    }
}

/// A cash session's close with its Z report, as journaled since the first till.
public struct CashSessionClosePayloadV1: Codable, Sendable {
    public struct Session: Codable, Sendable {
        var id: String
        var registerId: String
        var storeId: Int64
        var openedAt: Int64
        var openedBy: Int64
        var floatCents: Int64
        var closedAt: Int64?
        var closedBy: Int64?
        var countedCents: Int64?
    }

    public struct Report: Codable, Sendable {
        public struct TaxTotal: Codable, Sendable {
            var code: String
            var amountCents: Int64
        }

        public struct TenderTotal: Codable, Sendable {
            var kind: String
            var collectedCents: Int64
            var refundedCents: Int64
            /// Written for readers that do not recompute it; never read back.
            var netCents: Int64?
        }

        var sessionId: String
        var floatCents: Int64
        var saleCount: Int
        var returnCount: Int
        var itemsSold: Int
        var itemsReturned: Int
        var salesCents: Int64
        var refundsCents: Int64
        var taxes: [TaxTotal]
        var tenders: [TenderTotal]
        var expectedCashCents: Int64
        // Added by issues 28 and 29: written only when not zero, so earlier reports keep their bytes.
        var noSaleCount: Int?
        var roundingCents: Int64?
        var discountsCents: Int64?
    }

    var session: Session
    var report: Report
    var countedCents: Int64
    var differenceCents: Int64

    public init(_ c: CashSessionClosing) {
        let s = c.session, r = c.report
        session = Session(id: s.id, registerId: s.registerId, storeId: s.storeId, openedAt: s.openedAt, openedBy: s.openedBy,
                          floatCents: s.float.cents, closedAt: s.closedAt, closedBy: s.closedBy, countedCents: s.counted?.cents)
        report = Report(sessionId: r.sessionId, floatCents: r.float.cents, saleCount: r.saleCount, returnCount: r.returnCount,
                        itemsSold: r.itemsSold, itemsReturned: r.itemsReturned, salesCents: r.sales.cents, refundsCents: r.refunds.cents,
                        taxes: r.taxes.map { .init(code: $0.code, amountCents: $0.amount.cents) },
                        tenders: r.tenders.map { .init(kind: $0.kind.rawValue, collectedCents: $0.collected.cents, refundedCents: $0.refunded.cents,
                                                       netCents: $0.net.cents) },
                        expectedCashCents: r.expectedCash.cents,
                        noSaleCount: r.noSaleCount > 0 ? r.noSaleCount : nil,
                        roundingCents: r.rounding == .zero ? nil : r.rounding.cents,
                        discountsCents: r.discounts == .zero ? nil : r.discounts.cents)
        countedCents = c.counted.cents
        differenceCents = c.difference.cents
    }

    public func domain() throws -> CashSessionClosing {
        let s = session, r = report
        let domainSession = CashSession(id: s.id, registerId: s.registerId, storeId: s.storeId, openedAt: s.openedAt, openedBy: s.openedBy,
                                        float: try money(s.floatCents, "floatCents"), closedAt: s.closedAt, closedBy: s.closedBy,
                                        counted: try s.countedCents.map { try money($0, "countedCents") })
        let domainReport = CashReport(
            sessionId: r.sessionId, float: try money(r.floatCents, "floatCents"), saleCount: r.saleCount, returnCount: r.returnCount,
            itemsSold: r.itemsSold, itemsReturned: r.itemsReturned, sales: try money(r.salesCents, "salesCents"),
            refunds: try money(r.refundsCents, "refundsCents"),
            taxes: try r.taxes.map { CaisseCore.TaxTotal(code: $0.code, amount: try money($0.amountCents, "amountCents")) },
            tenders: try r.tenders.map {
                CaisseCore.TenderTotal(kind: try closed($0.kind, "tender kind"), collected: try money($0.collectedCents, "collectedCents"),
                                       refunded: try money($0.refundedCents, "refundedCents"))
            },
            expectedCash: try money(r.expectedCashCents, "expectedCashCents"), noSaleCount: r.noSaleCount ?? 0,
            rounding: try money(r.roundingCents ?? 0, "roundingCents"), discounts: try money(r.discountsCents ?? 0, "discountsCents"))
        return CashSessionClosing(session: domainSession, report: domainReport, counted: try money(countedCents, "countedCents"),
                                  difference: try money(differenceCents, "differenceCents"))
    }
}
