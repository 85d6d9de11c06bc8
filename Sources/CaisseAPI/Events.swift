import CaisseCore
import Foundation

/// What a register tells central. Every local change that central must know is
/// one event in the register's outbox, sent in sequence order.
public enum EventType: String, Hashable, Sendable, Codable, CaseIterable {
    case sale
    case `return`
    case restockRequest = "restock_request"
    case restockReceipt = "restock_receipt"
    case cashSessionClose = "cash_session_close"
    /// Waste, breakage, theft, found or a correction (issue 17).
    case stockAdjustment = "stock_adjustment"
    /// A store asks another for goods, one store sends them, the other receives them (issue 17).
    case transferRequest = "transfer_request"
    case transferShipment = "transfer_shipment"
    case transferReceipt = "transfer_receipt"
    /// An order for pickup prepared, ready or cancelled by the store (issue 27); its pickup is the sale itself.
    case orderState = "order_state"
    /// The cash drawer opened with no sale, on a manager's PIN (issue 29): what a store's audit looks for first.
    case noSale = "no_sale"
}

/// One journal entry of a register, as stored in its outbox and sent to central.
///
/// `payload` is the exact JSON text of the business document. It is hashed as
/// bytes and sent as a string, never re-encoded, so both sides hash the same bytes.
public struct SyncEvent: Hashable, Sendable, Codable {
    public var registerId: String
    /// 1, 2, 3 … per register, without gaps.
    public var sequence: Int64
    public var id: String
    public var type: EventType
    /// Milliseconds since 1970 (UTC), the register's clock.
    public var createdAt: Int64
    public var payload: String
    /// Hex SHA-256 of the previous event's canonical bytes (`HashChain.genesis` for the first).
    public var previousHash: String
    /// Hex SHA-256 of this event's canonical bytes.
    public var hash: String

    public init(registerId: String, sequence: Int64, id: String, type: EventType, createdAt: Int64,
                payload: String, previousHash: String) {
        self.registerId = registerId
        self.sequence = sequence
        self.id = id
        self.type = type
        self.createdAt = createdAt
        self.payload = payload
        self.previousHash = previousHash
        self.hash = ""
        self.hash = HashChain.hash(of: self)
    }
}

/// A store asks the warehouse for goods (made at the till, possibly offline).
public struct RestockRequestPayload: Hashable, Sendable, Codable {
    public var requestId: String
    public var storeId: Int64
    public var productId: Int64
    public var quantity: Int
    public var note: String?
    public var requestedBy: Int64

    public init(requestId: String, storeId: Int64, productId: Int64, quantity: Int, note: String?, requestedBy: Int64) {
        self.requestId = requestId
        self.storeId = storeId
        self.productId = productId
        self.quantity = quantity
        self.note = note
        self.requestedBy = requestedBy
    }
}

/// A store took delivery of a shipped restock request.
public struct RestockReceiptPayload: Hashable, Sendable, Codable {
    public var requestId: String
    public var storeId: Int64
    public var productId: Int64
    public var quantity: Int
    public var receivedBy: Int64

    public init(requestId: String, storeId: Int64, productId: Int64, quantity: Int, receivedBy: Int64) {
        self.requestId = requestId
        self.storeId = storeId
        self.productId = productId
        self.quantity = quantity
        self.receivedBy = receivedBy
    }
}

/// A store asks another store for goods (made at the receiving store's till, possibly offline).
public struct TransferRequestPayload: Hashable, Sendable, Codable {
    public var transferId: String
    public var fromStoreId: Int64
    public var toStoreId: Int64
    public var productId: Int64
    public var quantity: Int
    public var note: String?
    public var requestedBy: Int64

    public init(transferId: String, fromStoreId: Int64, toStoreId: Int64, productId: Int64, quantity: Int, note: String?, requestedBy: Int64) {
        self.transferId = transferId
        self.fromStoreId = fromStoreId
        self.toStoreId = toStoreId
        self.productId = productId
        self.quantity = quantity
        self.note = note
        self.requestedBy = requestedBy
    }
}

/// Units left the sending store, for a request or on its own initiative (a new transfer id).
public struct TransferShipmentPayload: Hashable, Sendable, Codable {
    public var transferId: String
    public var fromStoreId: Int64
    public var toStoreId: Int64
    public var productId: Int64
    public var quantity: Int
    public var note: String?
    public var shippedBy: Int64

    public init(transferId: String, fromStoreId: Int64, toStoreId: Int64, productId: Int64, quantity: Int, note: String?, shippedBy: Int64) {
        self.transferId = transferId
        self.fromStoreId = fromStoreId
        self.toStoreId = toStoreId
        self.productId = productId
        self.quantity = quantity
        self.note = note
        self.shippedBy = shippedBy
    }
}

/// The store moves an order for pickup on (issue 27), offline or not: central applies it
/// when it arrives, and records what it cannot (the customer cancelled meanwhile).
public struct OrderStatePayload: Hashable, Sendable, Codable {
    public var orderId: String
    public var storeId: Int64
    /// prepare, ready or cancel.
    public var action: String
    public var by: Int64

    public init(orderId: String, storeId: Int64, action: String, by: Int64) {
        self.orderId = orderId
        self.storeId = storeId
        self.action = action
        self.by = by
    }
}

/// What the receiving store counted on arrival: good units (on its shelf) and damaged
/// ones; the rest of what was shipped is short.
public struct TransferReceiptPayload: Hashable, Sendable, Codable {
    public var transferId: String
    public var toStoreId: Int64
    public var productId: Int64
    public var received: Int
    public var damaged: Int
    public var receivedBy: Int64

    public init(transferId: String, toStoreId: Int64, productId: Int64, received: Int, damaged: Int, receivedBy: Int64) {
        self.transferId = transferId
        self.toStoreId = toStoreId
        self.productId = productId
        self.received = received
        self.damaged = damaged
        self.receivedBy = receivedBy
    }
}

/// The drawer opened with no sale (issue 29): who asked, which manager approved, in which cash session.
public struct NoSalePayload: Hashable, Sendable, Codable {
    public var id: String
    public var storeId: Int64
    public var registerId: String
    public var sessionId: String
    public var cashierId: Int64
    public var approvedBy: Int64
    public var createdAt: Int64

    public init(id: String, storeId: Int64, registerId: String, sessionId: String, cashierId: Int64, approvedBy: Int64, createdAt: Int64) {
        self.id = id
        self.storeId = storeId
        self.registerId = registerId
        self.sessionId = sessionId
        self.cashierId = cashierId
        self.approvedBy = approvedBy
        self.createdAt = createdAt
    }
}

/// A till closed its cash session: the session as closed, its Z report, the
/// cash counted and counted − expected. Journaled (as `CashSessionClosePayloadV1`) so that central keeps every
/// drawer's over and short.
public struct CashSessionClosing: Hashable, Sendable {
    public var session: CashSession
    public var report: CashReport
    public var counted: Money
    /// counted − expected cash: positive when over, negative when short.
    public var difference: Money

    public init(session: CashSession, report: CashReport, counted: Money) {
        self.session = session
        self.report = report
        self.counted = counted
        self.difference = report.difference(counted: counted)
    }

    /// As recorded: the difference the till wrote, which `isConsistent` checks.
    public init(session: CashSession, report: CashReport, counted: Money, difference: Money) {
        self.session = session
        self.report = report
        self.counted = counted
        self.difference = difference
    }

    /// The parts agree with each other: the report is the session's, the
    /// session is closed with this count, and the difference adds up.
    public var isConsistent: Bool {
        report.sessionId == session.id && !session.isOpen && session.counted == counted
            && report.float == session.float && difference == report.difference(counted: counted)
            && !counted.isNegative && !session.float.isNegative
            && report.expectedCash == report.float + (report.tenders.first { $0.kind == .cash }?.net ?? .zero)
    }
}

/// The one JSON dialect of the wire and of stored payloads: sorted keys so that
/// the same document always has the same bytes.
public enum WireJSON {
    public static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    public static var decoder: JSONDecoder { JSONDecoder() }

    public static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
