import CaisseAPI
import CaisseCore
import Foundation
import GRDB

extension RegisterStore {
    /// Records a paid sale: the sale, its lines, taxes and tenders, the stock
    /// movements and the journal event, in ONE transaction. Either all of it is
    /// on disk when this returns, or none of it.
    public func recordSale(cart: Cart, payment: Payment, cashierId: Int64, at time: Int64? = nil) throws -> Sale {
        try writer.write { db in
            let me = try identity(db)
            try requireActiveUser(db, id: cashierId)
            try requireApprovals(db, cart.lines, cashierId: cashierId, storeId: me.store.id, rewardHeld: cart.loyaltyHoldId != nil)
            let createdAt = time ?? Self.now()
            let sale = try Sale(id: UUID().uuidString.lowercased(), receiptNumber: try nextReceiptNumber(db, me),
                                storeId: me.store.id, registerId: me.registerId, cashierId: cashierId,
                                createdAt: createdAt, cart: cart, rule: me.taxRule, payment: payment)
            try pickedUp(db, sale: sale)
            let event = try appendEvent(db, registerId: me.registerId, id: sale.id, createdAt: createdAt, .sale(sale))
            try db.execute(sql: """
                INSERT INTO sale(id, receipt_number, store_id, register_id, cashier_id, created_at, subtotal_cents, tax_cents,
                                 total_cents, rounding_cents, change_cents, event_sequence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [sale.id, sale.receiptNumber, sale.storeId, sale.registerId, sale.cashierId, sale.createdAt,
                                 sale.subtotal.cents, sale.taxTotal.cents, sale.total.cents, sale.rounding.cents,
                                 sale.change.cents, event.sequence])
            let line = try db.cachedStatement(sql: """
                INSERT INTO sale_line(sale_id, line_no, product_id, sku, name, unit_price_cents, tax_class, quantity)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for l in sale.lines {
                try line.execute(arguments: [sale.id, l.lineNo, l.productId, l.sku, l.name, l.unitPrice.cents, l.taxClass.rawValue, l.quantity])
            }
            try insert(db, taxes: sale.taxes, documentId: sale.id)
            try insert(db, tenders: sale.tenders, documentId: sale.id)
            try insert(db, movements: StockMovement.forSale(sale), sequence: event.sequence, at: createdAt)
            let sold = try db.cachedStatement(sql: """
                INSERT INTO product_sold(product_id, units) VALUES (?, ?)
                ON CONFLICT(product_id) DO UPDATE SET units = units + excluded.units
                """)
            for l in sale.lines { try sold.execute(arguments: [l.productId, l.quantity]) }
            // The cart on screen is now this sale: a restart must not offer it again.
            try db.execute(sql: "DELETE FROM held_cart WHERE kind = 'current'")
            return sale
        }
    }

    /// A sale of this register by its receipt number, exactly as journaled.
    public func sale(receiptNumber: String) throws -> Sale? {
        try writer.read { db in try sale(db, receiptNumber: receiptNumber) }
    }

    func sale(_ db: Database, receiptNumber: String) throws -> Sale? {
        let payload = try String.fetchOne(db, sql: """
            SELECT outbox.payload FROM sale JOIN outbox ON outbox.sequence = sale.event_sequence
            WHERE sale.receipt_number = ? COLLATE NOCASE
            """, arguments: [receiptNumber.trimmingCharacters(in: .whitespaces)])
        return try payload.map(JournalDocument.sale(payload:))
    }

    /// How many of each line of a sale were already returned (lineNo → quantity).
    public func returnedQuantities(saleId: String) throws -> [Int: Int] {
        try writer.read { db in try returnedQuantities(db, saleId: saleId) }
    }

    func returnedQuantities(_ db: Database, saleId: String) throws -> [Int: Int] {
        var result: [Int: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT return_line.line_no, sum(return_line.quantity) AS quantity
            FROM return_line JOIN sale_return ON sale_return.id = return_line.return_id
            WHERE sale_return.original_sale_id = ? GROUP BY return_line.line_no
            """, arguments: [saleId]) {
            result[row["line_no"]] = row["quantity"]
        }
        return result
    }

    /// Records a return of lines of an earlier sale of this register, refunded in
    /// cash (rounded to the nickel) or to a card. One transaction, like a sale;
    /// the limits are checked inside it, against every earlier return of the sale.
    ///
    /// - Parameter approvedBy: the manager who typed their PIN at the till, when
    ///   `RefundApproval` says the refund needs one (a manager needs nobody else).
    ///   - atCentral: a sale of another register or store, as central gave it (issue 24): what
    ///     other registers returned and refunded of it counts with this till's own returns.
    public func recordReturn(receiptNumber: String, lines: [ReturnRequestLine], refundKind: TenderKind,
                             cardReference: String? = nil, cashierId: Int64, approvedBy: Int64? = nil,
                             at time: Int64? = nil, atCentral: SaleForReturn? = nil) throws -> SaleReturn {
        try writer.write { db in
            let me = try identity(db)
            try requireActiveUser(db, id: cashierId)
            let elsewhere = atCentral.flatMap { $0.sale.receiptNumber.uppercased() == receiptNumber.trimmingCharacters(in: .whitespaces).uppercased() ? $0 : nil }
            guard let original = try sale(db, receiptNumber: receiptNumber) ?? elsewhere?.sale else {
                throw StoreError("no sale with receipt number \(receiptNumber) at this register")
            }
            let returnedBefore = try returnedQuantities(db, saleId: original.id)
                .merging(elsewhere?.returnedByLine ?? [:], uniquingKeysWith: +)
            let refund = try Refund(original: original, alreadyReturned: returnedBefore, requested: lines)
            let previouslyRefunded = Money(cents: try Int64.fetchOne(db, sql: """
                SELECT coalesce(sum(tender.amount_cents), 0) FROM tender JOIN sale_return ON sale_return.id = tender.document_id
                WHERE sale_return.original_sale_id = ?
                """, arguments: [original.id]) ?? 0) + (elsewhere?.refundedElsewhere ?? .zero)
            let completesSale = original.lines.allSatisfy { line in
                (returnedBefore[line.lineNo] ?? 0) + refund.lines.filter { $0.lineNo == line.lineNo }.reduce(0) { $0 + $1.quantity } == line.quantity
            }
            let settlement = RefundSettlement(refund: refund, kind: refundKind, original: original,
                                              previouslyRefunded: previouslyRefunded, completesSale: completesSale)
            var approver: Int64?
            let cashRefunded = try self.cashRefunded(db, saleId: original.id) + (elsewhere?.cashRefundedElsewhere ?? .zero)
            if let need = RefundApproval.needed(original: original, kind: refundKind, amount: settlement.amount, cashRefunded: cashRefunded) {
                let cashier = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [cashierId]).map(Self.user)
                if cashier?.role.allows(.manager) == true {
                    approver = cashierId
                } else {
                    guard let approvedBy else {
                        switch need {
                        case .cashForCardSale:
                            throw DomainError(.approvalNeeded, "a cash refund of a sale paid by card needs a manager's PIN")
                        case .overLimit(let limit):
                            throw DomainError(.approvalNeeded, "a refund above \(limit) needs a manager's PIN")
                        }
                    }
                    try requireActiveUser(db, id: approvedBy, atLeast: .manager)
                    guard try Int64.fetchOne(db, sql: "SELECT store_id FROM user WHERE id = ?", arguments: [approvedBy]) == me.store.id else {
                        throw StoreError("the approving manager must work at \(me.store.name)")
                    }
                    approver = approvedBy
                }
            }
            let tender: Tender
            switch refundKind {
            case .cash:
                tender = Tender(kind: .cash, amount: settlement.amount)
            case .card:
                let ref = (cardReference ?? "").trimmingCharacters(in: .whitespaces)
                guard !ref.isEmpty, ref.count <= 64 else { throw StoreError("a card refund needs the card reference (1 to 64 characters)") }
                tender = Tender(kind: .card, amount: settlement.amount, reference: ref)
            }
            let rounding = settlement.rounding
            let createdAt = time ?? Self.now()
            let ret = SaleReturn(id: UUID().uuidString.lowercased(), receiptNumber: try nextReceiptNumber(db, me), original: original,
                                 storeId: me.store.id, registerId: me.registerId, cashierId: cashierId, createdAt: createdAt,
                                 refund: refund, tenders: [tender], rounding: rounding, approvedBy: approver)
            let event = try appendEvent(db, registerId: me.registerId, id: ret.id, createdAt: createdAt, .saleReturn(ret))
            try db.execute(sql: """
                INSERT INTO sale_return(id, receipt_number, original_sale_id, store_id, register_id, cashier_id, created_at,
                                        subtotal_cents, tax_cents, total_cents, rounding_cents, event_sequence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [ret.id, ret.receiptNumber, original.id, ret.storeId, ret.registerId, cashierId, createdAt,
                                 ret.subtotal.cents, ret.taxTotal.cents, ret.total.cents, ret.rounding.cents, event.sequence])
            for l in ret.lines {
                try db.execute(sql: """
                    INSERT INTO return_line(return_id, line_no, product_id, sku, name, unit_price_cents, tax_class, quantity)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [ret.id, l.lineNo, l.productId, l.sku, l.name, l.unitPrice.cents, l.taxClass.rawValue, l.quantity])
            }
            try insert(db, taxes: ret.taxes, documentId: ret.id)
            try insert(db, tenders: ret.tenders, documentId: ret.id)
            try insert(db, movements: StockMovement.forReturn(ret), sequence: event.sequence, at: createdAt)
            return ret
        }
    }

    /// Cash already given back for a sale, by its earlier returns.
    public func cashRefunded(saleId: String) throws -> Money {
        try writer.read { db in try cashRefunded(db, saleId: saleId) }
    }

    func cashRefunded(_ db: Database, saleId: String) throws -> Money {
        Money(cents: try Int64.fetchOne(db, sql: """
            SELECT coalesce(sum(tender.amount_cents), 0) FROM tender JOIN sale_return ON sale_return.id = tender.document_id
            WHERE sale_return.original_sale_id = ? AND tender.kind = 'cash'
            """, arguments: [saleId]) ?? 0)
    }

    public func saleCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sale") ?? 0 }
    }

    // MARK: - Helpers

    /// The person doing this exists, is active and has at least the role needed.
    /// Discounts beyond the store's limit carry a manager of this store (the screen asks for the PIN; this refuses without it).
    func requireApprovals(_ db: Database, _ lines: [SaleLine], cashierId: Int64, storeId: Int64, rewardHeld: Bool = false) throws {
        let role = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [cashierId]).map(Self.user)?.role ?? .cashier
        if let first = try discountPolicy(db).unapproved(lines, role: role, rewardHeld: rewardHeld).first {
            throw DomainError(.approvalNeeded, "\(first) needs a manager's PIN")
        }
        for approver in Set(lines.flatMap(\.discounts).compactMap(\.approvedBy)) {
            try requireActiveUser(db, id: approver, atLeast: .manager)
            guard try Int64.fetchOne(db, sql: "SELECT store_id FROM user WHERE id = ?", arguments: [approver]) == storeId else {
                throw StoreError("the approving manager must work at this store")
            }
        }
    }

    func requireActiveUser(_ db: Database, id: Int64, atLeast needed: Role = .cashier) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [id]) else {
            throw StoreError("unknown user \(id)")
        }
        let user = Self.user(row)
        guard user.active else { throw StoreError("\(user.username) is deactivated") }
        guard user.role.allows(needed) else {
            throw StoreError("\(user.username) is a \(user.role.rawValue); this needs an \(needed.rawValue) or above")
        }
    }

    /// Receipt numbers run per register without gaps: REGISTER-000001, …
    func nextReceiptNumber(_ db: Database, _ me: RegisterIdentity) throws -> String {
        let next = try setting(db, Settings.nextReceipt) ?? 1
        try set(db, Settings.nextReceipt, next + 1)
        let digits = String(next)
        return me.registerId + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    func insert(_ db: Database, taxes: [TaxLine], documentId: String) throws {
        for t in taxes {
            try db.execute(sql: """
                INSERT INTO document_tax(document_id, code, rate_micros, taxable_classes, base_cents, amount_cents)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [documentId, t.code, t.rateMicros, t.taxableClasses.map(\.rawValue).joined(separator: ","),
                                 t.base.cents, t.amount.cents])
        }
    }

    func insert(_ db: Database, tenders: [Tender], documentId: String) throws {
        for (i, t) in tenders.enumerated() {
            try db.execute(sql: """
                INSERT INTO tender(document_id, position, kind, amount_cents, given_cents, change_cents, reference)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [documentId, i + 1, t.kind.rawValue, t.amount.cents, t.given?.cents, t.change.cents, t.reference])
        }
    }

    func insert(_ db: Database, movements: [StockMovement], sequence: Int64, at time: Int64) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO stock_movement(location_id, product_id, quantity, reason, reference, event_sequence, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for m in movements {
            try statement.execute(arguments: [m.locationId, m.productId, m.quantity, m.reason.rawValue, m.reference, sequence, time])
        }
    }
}
