import CaisseAPI
import CaisseCore
import Foundation

/// What central's state says about the things a batch refers to, read by each
/// store in the transaction that applies the batch (its own SQL), so that the
/// rules below run once, in Swift, for SQLite and PostgreSQL alike.
public struct IngestFacts: Sendable {
    public struct ProductFact: Hashable, Sendable {
        public var active: Bool
        public var price: Money
        public var cost: Money?
        public var sku: String
        public var name: String
        public init(active: Bool, price: Money, cost: Money? = nil, sku: String = "", name: String = "") {
            self.active = active
            self.price = price
            self.cost = cost
            self.sku = sku
            self.name = name
        }
    }
    public struct UserFact: Hashable, Sendable {
        public var active: Bool
        public var storeId: Int64
        public var role: Role
        public init(active: Bool, storeId: Int64, role: Role) {
            self.active = active
            self.storeId = storeId
            self.role = role
        }
    }
    public var products: [Int64: ProductFact] = [:]
    public var users: [Int64: UserFact] = [:]
    public var restockRequests: [String: RestockRequest] = [:]
    /// Transfers the batch names, as central has them (locked by PostgreSQL while judged).
    public var transfers: [String: StockTransfer] = [:]
    /// The chain's stores (locations that sell): a transfer goes from one to another.
    public var stores: Set<Int64> = []
    /// On-hand at the register's store before the batch, by product (absent: no row, 0).
    public var onHand: [Int64: Int64] = [:]
    /// The store's tax rates as central has them now.
    public var taxRates: [TaxRate] = []
    /// Original sales of the batch's returns that are not in the batch, as journaled.
    public var originalSales: [String: Sale] = [:]
    /// Returns already recorded, by original sale id.
    public var priorReturns: [String: [SaleReturn]] = [:]
    /// The promotions the batch's lines name, as central has them now.
    public var promotions: [Int64: Promotion] = [:]
    /// The store's discount limit and time zone (a promotion's days and hours are local).
    public var discountPolicy = DiscountPolicy.standard
    public var timeZone = TimeZone(identifier: "UTC")!
    /// The latest till time of the register's applied events (`register.clock_mark`).
    public var clockMark: Int64 = 0
    /// Documents of the batch whose id central already holds.
    public var takenDocumentIds: Set<String> = []
    /// Central's clock when the batch is applied.
    public var receivedAt: Int64 = 0
    /// Rules head office set aside for this event (a quarantined event it applies, believing the till).
    public var waived: Set<ExceptionKind> = []
    /// Customers of the batch's cards who earn points (known, not erased, consented), and the program.
    public var customersEarning: Set<Int64> = []
    public var loyaltyProgram = LoyaltyProgram.none
    /// What the original sales of the batch's returns earned.
    public var earnedBySale: [String: LoyaltyEarned] = [:]
    /// The orders for pickup the batch refers to, as central holds them.
    public var orders: [String: OnlineOrder] = [:]
    /// The rewards' holds the batch's sales name, as the points ledger holds them (issue 27).
    public var holds: [String: LoyaltyEntry] = [:]

    public init() {}

    /// The sale's `loyalty` discount on the whole sale: a reward's value when it names a hold.
    static func reward(of sale: Sale) -> Money {
        sale.lines.flatMap(\.discounts).filter { $0.kind == .sale && $0.reason == DiscountReason.loyalty.rawValue }
            .reduce(Money.zero) { $0 + $1.amount }
    }

    /// Whether the reward the sale gives is backed by central: a hold still held, taken for this
    /// card's customer, worth what the sale took off. Nil when the sale names no hold.
    func rewardProblem(_ sale: Sale) -> String? {
        guard let id = sale.loyaltyHoldId else { return nil }
        guard let hold = holds[id] else { return "names hold \(id), which central never made" }
        guard hold.kind == .held else { return "names hold \(id), already \(hold.kind.rawValue)" }
        guard let card = sale.customerCard, LoyaltyCard.customerId(of: card) == hold.customerId else {
            return "names hold \(id), taken for another customer's card"
        }
        let reward = Self.reward(of: sale)
        guard loyaltyProgram.rewards.contains(where: { $0.points == -hold.points && $0.value == reward }) else {
            return "takes \(reward) off for hold \(id) of \(-hold.points) points, which central's program does not give"
        }
        return nil
    }
}

/// The keys of the facts a plan needs.
public struct FactsNeeded: Hashable, Sendable {
    public var productIds: [Int64]
    public var userIds: [Int64]
    public var restockIds: [String]
    public var originalSaleIds: [String]
    public var promotionIds: [Int64] = []
    public var transferIds: [String] = []
    public var documentIds: [String] = []
    /// The customers of the batch's loyalty cards (issue 27).
    public var customerIds: [Int64] = []
    /// The orders for pickup the batch moves on or hands over (issue 27).
    public var orderIds: [String] = []
    /// The rewards' holds the batch's sales redeem (issue 27).
    public var holdIds: [String] = []
}

/// Why an event that central applied disagrees with central's state: an honest
/// till can produce it (offline, a stale catalog, two tills, a wrong clock), so
/// it is recorded and flagged for head office, never refused.
public enum ExceptionKind: String, Hashable, Sendable, Codable, CaseIterable {
    case restockAlreadyReceived = "restock_already_received"
    case restockNotShipped = "restock_not_shipped"
    case restockUnknown = "restock_unknown"
    case negativeStock = "negative_stock"
    case inactiveProduct = "inactive_product"
    case priceMismatch = "price_mismatch"
    case inactiveUser = "inactive_user"
    case unknownUser = "unknown_user"
    case taxRateMismatch = "tax_rate_mismatch"
    /// A refund that `RefundApproval` says needs a manager, without one (a till of an
    /// older version), or approved by someone central does not know as this store's manager.
    case refundWithoutApproval = "refund_without_approval"
    /// A promotion applied outside its days, hours or stores (an offline till, a wrong clock).
    case promotionOutOfSchedule = "promotion_out_of_schedule"
    /// A discount beyond the store's limit for the giver's role without a manager's approval,
    /// or approved by someone central does not know as this store's manager.
    case discountWithoutApproval = "discount_without_approval"
    /// Waste, breakage… beyond the store's value limit without a manager's approval (issue 17).
    case adjustmentWithoutApproval = "adjustment_without_approval"
    /// The drawer opened with no sale on the word of someone central does not know as this store's manager (issue 29).
    case noSaleWithoutApproval = "no_sale_without_approval"
    /// A transfer's receipt that central cannot count: unknown, not shipped, or already received.
    case transferUnknown = "transfer_unknown"
    case transferNotShipped = "transfer_not_shipped"
    case transferAlreadyReceived = "transfer_already_received"
    /// Units shipped for a transfer central had cancelled, or shipped twice.
    case transferConflict = "transfer_conflict"
    /// A sale with a loyalty card no customer earns with (unknown, erased, no consent): no points.
    case unknownLoyaltyCard = "unknown_loyalty_card"
    /// A reward the sale gave that central did not hold for it (unknown, spent, another card, another value):
    /// the sale is kept, no points are taken, head office decides.
    case rewardWithoutHold = "reward_without_hold"
    /// An order for pickup central could not move on as the store did (cancelled by the customer
    /// meanwhile, expired, already picked up, unknown): the sale or the event is kept, the order as it was.
    case orderConflict = "order_conflict"

    // Quarantined: kept in the register's journal, not applied, until head office decides.
    /// Dated outside 2000–2100, more than a day ahead of central, or before the till's earlier events.
    case clock = "clock"
    /// A document that does not add up or is out of its ranges.
    case invalidDocument = "invalid_document"
    /// A product, sale, promotion or request central does not know.
    case unknownReference = "unknown_reference"
    /// Another store's or register's data.
    case foreignReference = "foreign_reference"
    /// An id central already holds for something else.
    case idTaken = "id_taken"
    /// The database refused what the event holds.
    case storageRefused = "storage_refused"
    /// Central's own figures differ from the till's: its pricing of a sale (promotions from their
    /// definitions, one manual discount per line), or units shipped beyond the store's on-hand.
    case figuresDiffer = "figures_differ"

    /// The event is kept in the journal and not applied: head office applies or voids it.
    public var quarantines: Bool {
        switch self {
        case .clock, .invalidDocument, .unknownReference, .foreignReference, .idTaken, .storageRefused, .figuresDiffer: return true
        default: return false
        }
    }
}

/// An exception as found by the rules, before a store writes it.
public struct ExceptionDraft: Hashable, Sendable {
    public var kind: ExceptionKind
    public var storeId: Int64
    public var registerId: String
    public var sequence: Int64
    /// The document, request or product it is about.
    public var reference: String
    public var detail: String
}

extension IngestPlan {
    /// What the store must read before `judge`.
    public var factsNeeded: FactsNeeded {
        var products: Set<Int64> = []
        var users: Set<Int64> = []
        var restock: Set<String> = []
        var originals: Set<String> = []
        var salesInBatch: Set<String> = []
        var promotions: Set<Int64> = []
        var transfers: Set<String> = []
        for item in judged {
            if let sale = item.effects.sale {
                promotions.formUnion(sale.lines.flatMap(\.discounts).compactMap(\.promotionId))
                products.formUnion(sale.lines.map(\.productId))
                users.formUnion(sale.lines.flatMap(\.discounts).compactMap(\.approvedBy))
                users.insert(sale.cashierId)
                salesInBatch.insert(sale.id)
            }
            if let ret = item.effects.saleReturn {
                products.formUnion(ret.lines.map(\.productId))
                users.insert(ret.cashierId)
                if let approver = ret.approvedBy { users.insert(approver) }
                if !salesInBatch.contains(ret.originalSaleId) { originals.insert(ret.originalSaleId) }
            }
            if let n = item.effects.noSale { users.formUnion([n.cashierId, n.approvedBy]) }
            if let (a, _) = item.effects.adjustment {
                products.formUnion(a.lines.map(\.productId))
                users.insert(a.by)
                if let approver = a.approvedBy { users.insert(approver) }
            }
            if let r = item.effects.restockReceipt { restock.insert(r.requestId) }
            if let r = item.effects.restockRequest { products.insert(r.productId); restock.insert(r.requestId) }
            if let r = item.effects.transferRequest { transfers.insert(r.transferId); products.insert(r.productId) }
            if let s = item.effects.transferShipment { transfers.insert(s.transferId); products.insert(s.productId) }
            if let r = item.effects.transferReceipt { transfers.insert(r.receipt.transferId); products.insert(r.receipt.productId) }
        }
        return FactsNeeded(productIds: products.sorted(), userIds: users.sorted(), restockIds: restock.sorted(),
                           originalSaleIds: originals.sorted(), promotionIds: promotions.sorted(), transferIds: transfers.sorted(),
                           documentIds: judged.compactMap(\.effects.document?.id),
                           customerIds: Array(Set(judged.compactMap { $0.effects.sale?.customerCard.flatMap(LoyaltyCard.customerId(of:)) })).sorted(),
                           orderIds: Array(Set(judged.compactMap { $0.effects.sale?.orderId ?? $0.effects.orderState?.state.orderId })).sorted(),
                           holdIds: Array(Set(judged.compactMap { $0.effects.sale?.loyaltyHoldId })).sorted())
    }

    /// Applies the refuse/record rule (ADR 0013) against central's state:
    /// throws for what no honest till can produce (a return of a sale this
    /// register never made, or of more than it sold), and otherwise keeps the
    /// batch whole, dropping only the stock effect of a delivery that cannot
    /// be received again, and lists every disagreement as an exception.
    public mutating func judge(_ facts: IngestFacts, storeId: Int64) throws {
        var sales: [String: Sale] = facts.originalSales
        var returns = facts.priorReturns
        var requests = facts.restockRequests
        var onHand = facts.onHand
        var wentNegative: Set<Int64> = []
        var receipts: [(sequence: Int64, receipt: RestockReceiptPayload)] = []
        var found: [ExceptionDraft] = []
        var transfers = TransferBook(facts: facts, storeId: storeId)
        var losses: [LossLine] = []
        var received: [(sequence: Int64, movement: StockMovement)] = []
        /// A transfer's damaged or missing units, valued at central's price and cost of the moment.
        func loss(_ id: String, _ productId: Int64, _ sequence: Int64, _ day: Day, _ at: Int64, _ reason: AdjustmentReason,
                  _ quantity: Int, by: Int64) {
            let product = facts.products[productId]
            losses.append(LossLine(adjustmentId: id, productId: productId, storeId: storeId, registerId: registerId, sequence: sequence,
                                   day: day, createdAt: at, reason: reason, sku: product?.sku ?? "", name: product?.name ?? "",
                                   quantity: quantity, value: (product?.price ?? .zero) * quantity, cost: product?.cost.map { $0 * quantity },
                                   by: by, approvedBy: nil))
        }
        func flag(_ kind: ExceptionKind, _ sequence: Int64, _ reference: String, _ detail: String) {
            found.append(ExceptionDraft(kind: kind, storeId: storeId, registerId: registerId, sequence: sequence,
                                        reference: reference, detail: detail))
        }
        // What the event being judged changed in on-hand, to undo it if the event is set aside.
        var moved: [(productId: Int64, was: Int64?)] = []
        var crossed: [Int64] = []
        func move(_ productId: Int64, _ quantity: Int, _ sequence: Int64, _ reference: String) {
            moved.append((productId, onHand[productId]))
            let before = onHand[productId, default: 0]
            let after = before.adding(saturating: Int64(quantity))   // on-hand is stored data
            onHand[productId] = after
            // Once, when it crosses below zero: a product already negative is not flagged again with each sale.
            if before >= 0, after < 0, wentNegative.insert(productId).inserted {
                crossed.append(productId)
                flag(.negativeStock, sequence, reference, "product \(productId): on-hand went to \(after)")
            }
        }
        /// Whether `approver` is an active manager of this store. An id central never issued, or an
        /// administrator (who never signs in at a till), is no honest till's: the event is set aside.
        func isManager(_ approver: Int64, _ reference: String) throws -> Bool {
            guard let m = facts.users[approver] else {
                throw Quarantine(.unknownReference, reference: reference, "approved by user \(approver), unknown to central")
            }
            guard m.role != .admin else {
                throw Quarantine(.foreignReference, reference: reference, "approved by user \(approver), an administrator, who never signs in at a till")
            }
            return m.active && m.role.allows(.manager) && m.storeId == storeId
        }
        func checkDocument(_ sequence: Int64, id: String, cashierId: Int64, lines: [SaleLine], taxes: [TaxLine]) throws {
            for line in lines {
                guard let product = facts.products[line.productId] else { continue }
                if !product.active {
                    flag(.inactiveProduct, sequence, id, "line \(line.lineNo): product \(line.productId) (\(line.sku)) is inactive at central")
                } else if product.price != line.unitPrice {
                    flag(.priceMismatch, sequence, id, "line \(line.lineNo): \(line.sku) sold at \(line.unitPrice), central's price is \(product.price)")
                }
            }
            // Cashiers are keys of the reports: only users central issued, who sign in at a till (issue 24).
            switch facts.users[cashierId] {
            case nil: throw Quarantine(.unknownReference, reference: id, "event \(sequence): user \(cashierId) is unknown to central")
            case let user? where user.role == .admin:
                throw Quarantine(.foreignReference, reference: id, "event \(sequence): user \(cashierId) is an administrator, who never signs in at a till")
            case let user? where !user.active || user.storeId != storeId:
                flag(.inactiveUser, sequence, id, "user \(cashierId) is \(user.active ? "not of this store" : "inactive") at central")
            default: break
            }
            for tax in taxes where !facts.taxRates.contains(where: { $0.code == tax.code && $0.rateMicros == tax.rateMicros }) {
                flag(.taxRateMismatch, sequence, id, "tax \(tax.code) at \(tax.rateMicros) millionths is not the store's current rate")
            }
        }
        /// Promotions the till applied and what a person gave, against central's promotions and the store's limit.
        func checkDiscounts(_ sale: Sale, _ sequence: Int64) throws {
            let offset = facts.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(sale.createdAt) / 1000))
            let moment = LocalMoment(epochMillis: sale.createdAt, utcOffsetSeconds: offset)
            var named: Set<Int64> = []
            for line in sale.lines {
                for d in line.discounts {
                    if let id = d.promotionId {
                        // Central never deletes a promotion: an id it never issued is no honest till's.
                        guard let promotion = facts.promotions[id] else {
                            throw Quarantine(.unknownReference, reference: sale.id,
                                             "event \(sequence): sale \(sale.id) line \(line.lineNo) applies promotion \(id), which central never defined")
                        }
                        if !promotion.targets(line) && promotion.category == nil {
                            throw CentralError(.invalid, "event \(sequence): sale \(sale.id) line \(line.lineNo): promotion \(id) is not for product \(line.productId)")
                        }
                        if !promotion.runs(storeId: storeId, at: moment), named.insert(id).inserted {
                            flag(.promotionOutOfSchedule, sequence, sale.id,
                                 "promotion \(id) (\(promotion.name)) applied on \(moment.day.iso) at \(moment.minute / 60)h\(moment.minute % 60), outside its days, hours or stores")
                        }
                    }
                    if d.kind != .promotion, DiscountReason(rawValue: d.reason ?? "") == nil {
                        throw Quarantine(.invalidDocument, reference: sale.id, "event \(sequence): line \(line.lineNo): a discount's reason must be one of "
                                         + DiscountReason.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    if let approver = d.approvedBy {
                        if try isManager(approver, sale.id) {} else {
                            flag(.discountWithoutApproval, sequence, sale.id, "line \(line.lineNo): discount approved by user \(approver), not an active manager of this store at central")
                        }
                    }
                }
            }
            // Central's figures are central's (issue 24): the sale priced again from its promotions.
            if !facts.waived.contains(.figuresDiffer), let why = CentralPricing.differences(sale, promotions: facts.promotions) {
                throw Quarantine(.figuresDiffer, reference: sale.id, "event \(sequence): sale \(sale.id): \(why)")
            }
            let role = facts.users[sale.cashierId]?.role ?? .cashier
            // A reward central held is the customer's points, not a person's discount: outside the store's limit.
            let rewardHeld = sale.loyaltyHoldId != nil && facts.rewardProblem(sale) == nil
            for found in facts.discountPolicy.unapproved(sale.lines, role: role, rewardHeld: rewardHeld) {
                flag(.discountWithoutApproval, sequence, sale.id, found + " beyond the store's \(facts.discountPolicy.staffLimitPercent) % without a manager")
            }
        }
        var clock = facts.clockMark
        var setAside: [(sequence: Int64, reason: Quarantine)] = []
        /// One event, against the state the events before it left. Every throw comes before the
        /// event writes `sales`, `returns` or `requests`; what it may have written before a throw
        /// (on-hand, the lists, a transfer) is undone by the loop below.
        func judgeEvent(_ item: (sequence: Int64, createdAt: Int64, eventId: String, effects: DecodedBatch.Effects)) throws {
            let sequence = item.sequence
            let effects = item.effects
            try Self.checkClock(item.createdAt, sequence: sequence, eventId: item.eventId, mark: clock, receivedAt: facts.receivedAt)
            for productId in Self.products(of: effects, transfers: facts.transfers) where facts.products[productId] == nil {
                throw Quarantine(.unknownReference, reference: item.eventId, "event \(sequence) refers to product \(productId), which central does not know")
            }
            if let d = effects.document, facts.takenDocumentIds.contains(d.id) {
                throw Quarantine(.idTaken, reference: d.id, "event \(sequence): document \(d.id) was already recorded")
            }
            if let s = effects.transferShipment, !facts.waived.contains(.figuresDiffer), Int64(s.quantity) > max(0, onHand[s.productId, default: 0]) {
                // Units the store never had would be charged to the receiving store as "transit short".
                throw Quarantine(.figuresDiffer, reference: s.transferId,
                                 "event \(sequence): ships \(s.quantity) units of product \(s.productId); central counts \(onHand[s.productId, default: 0]) on hand at the store")
            }
            if let r = effects.restockRequest, let known = requests[r.requestId], known.storeId != storeId || known.productId != r.productId {
                throw Quarantine(.idTaken, reference: r.requestId, "event \(sequence): restock request \(r.requestId) already exists for another store or product")
            }
            if let sale = effects.sale {
                try checkDocument(sequence, id: sale.id, cashierId: sale.cashierId, lines: sale.lines, taxes: sale.taxes)
                try checkDiscounts(sale, sequence)
                sales[sale.id] = sale
            }
            if let ret = effects.saleReturn {
                guard let original = sales[ret.originalSaleId] else {
                    throw Quarantine(.unknownReference, reference: ret.id,
                                     "event \(sequence): return \(ret.id) refunds sale \(ret.originalSaleId), which central has not applied")
                }
                do { try DocumentCheck.returnAgainstOriginal(ret, original: original, priorReturns: returns[ret.originalSaleId] ?? []) } catch {
                    throw CentralError(.invalid, "event \(sequence): return \(ret.id): \(error.message)")
                }
                try checkDocument(sequence, id: ret.id, cashierId: ret.cashierId, lines: [], taxes: [])
                let kind: TenderKind = ret.tenders.contains { $0.kind == .cash } ? .cash : .card
                let cashRefunded = (returns[ret.originalSaleId] ?? []).flatMap(\.tenders).filter { $0.kind == .cash }
                    .reduce(Money.zero) { $0 + $1.amount }
                if RefundApproval.needed(original: original, kind: kind, amount: ret.amountRefunded, cashRefunded: cashRefunded) != nil {
                    if let approver = ret.approvedBy {
                        if try isManager(approver, ret.id) {} else {
                            flag(.refundWithoutApproval, sequence, ret.id, "refund of \(ret.amountRefunded) approved by user \(approver), not an active manager of this store at central")
                        }
                    } else {
                        flag(.refundWithoutApproval, sequence, ret.id, "refund of \(ret.amountRefunded) (\(kind.rawValue)) needed a manager's approval and carries none")
                    }
                }
                returns[ret.originalSaleId, default: []].append(ret)
            }
            // Valued at central's prices, whatever the till wrote (issue 24: 9,999 units "found" at 1 M$ each).
            let adjustment = effects.adjustment.map { (a, day) -> (StockAdjustment, Day) in
                var a = a
                for i in a.lines.indices { if let p = facts.products[a.lines[i].productId] { a.lines[i].unitPrice = p.price } }
                return (a, day)
            }
            if let (a, _) = adjustment {
                try checkDocument(sequence, id: a.id, cashierId: a.by, lines: [], taxes: [])
                let role = facts.users[a.by]?.role ?? .employee
                if facts.discountPolicy.adjustmentNeedsApproval(role: role, value: a.value) {
                    if let approver = a.approvedBy, try isManager(approver, a.id) {} else {
                        flag(.adjustmentWithoutApproval, sequence, a.id,
                             "\(a.reason.rawValue) worth \(a.value) beyond the store's \(facts.discountPolicy.adjustmentLimit) without an active manager's approval")
                    }
                }
            }
            if let n = effects.noSale {
                try checkDocument(sequence, id: n.id, cashierId: n.cashierId, lines: [], taxes: [])
                if try isManager(n.approvedBy, n.id) {} else {
                    flag(.noSaleWithoutApproval, sequence, n.id, "drawer opened with no sale, approved by user \(n.approvedBy), not an active manager of this store at central")
                }
            }
            if let (a, day) = adjustment {
                // Namespaced by register: an id chosen by one till never collides with another's (issue 23).
                losses += a.lossLines(day: day, sequence: sequence, costs: facts.products.compactMapValues(\.cost)).map { line in
                    var line = line
                    line.adjustmentId = "\(registerId)/\(a.id)"
                    return line
                }
            }
            for m in effects.movements where m.locationId == storeId { move(m.productId, m.quantity, sequence, m.reference) }
            if let r = effects.transferRequest { try transfers.request(r, sequence: sequence) }
            if let s = effects.transferShipment { try transfers.ship(s, sequence: sequence) { flag($0, sequence, $1, $2) } }
            if let (r, day, at) = effects.transferReceipt,
               let t = try transfers.receive(r, sequence: sequence, flag: { flag($0, sequence, $1, $2) }) {
                if r.received > 0 {
                    let m = StockMovement.transferIn(storeId: storeId, productId: t.productId, quantity: r.received, transferId: t.id)
                    received.append((sequence, m))
                    move(m.productId, m.quantity, sequence, t.id)
                }
                if r.damaged > 0 { loss("transfer/\(t.id)/damaged", t.productId, sequence, day, at, .transitDamaged, -r.damaged, by: r.receivedBy) }
                if t.short != 0 { loss("transfer/\(t.id)/short", t.productId, sequence, day, at, .transitShort, -t.short, by: r.receivedBy) }
            }
            if let receipt = effects.restockReceipt {
                guard var request = requests[receipt.requestId] else {
                    flag(.restockUnknown, sequence, receipt.requestId, "a delivery of restock request \(receipt.requestId), unknown to central")
                    return
                }
                guard request.storeId == storeId else {
                    throw CentralError(.forbidden, "event \(sequence): restock request \(receipt.requestId) belongs to store \(request.storeId)")
                }
                switch request.state {
                case .shipped:
                    request.state = .received
                    requests[receipt.requestId] = request
                    receipts.append((sequence, receipt))
                    move(request.productId, request.quantity, sequence, request.id)
                case .received:
                    flag(.restockAlreadyReceived, sequence, request.id,
                         "restock request \(request.id) was already received; this delivery is not counted again")
                default:
                    flag(.restockNotShipped, sequence, request.id,
                         "restock request \(request.id) is \(request.state.rawValue), not shipped; the delivery is not counted")
                }
            }
        }
        // Each event is judged alone: one that breaks a rule is set aside with what it changed
        // undone, and the register's later events are judged as if it were not there. An undo,
        // not a copy of the state per event: copying the batch's sales before each one was
        // quadratic in the batch on ingest's hot path.
        for item in judged {
            let marks = (found: found.count, losses: losses.count, received: received.count, receipts: receipts.count)
            let transfersBefore = transfers
            moved.removeAll(keepingCapacity: true)
            crossed.removeAll(keepingCapacity: true)
            do {
                try judgeEvent(item)
                clock = max(clock, item.createdAt)
            } catch {
                found.removeSubrange(marks.found...)
                losses.removeSubrange(marks.losses...)
                received.removeSubrange(marks.received...)
                receipts.removeSubrange(marks.receipts...)
                for (productId, was) in moved.reversed() { onHand[productId] = was }
                for productId in crossed { wentNegative.remove(productId) }
                transfers = transfersBefore
                setAside.append((item.sequence, Quarantine(error, eventId: item.eventId)))
            }
        }
        quarantined = (quarantined + setAside).sorted { $0.sequence < $1.sequence }
        let out = Set(quarantined.map(\.sequence))
        documents.removeAll { out.contains($0.eventSequence) }
        documents = documents.map { Self.inCentralsWords($0, facts) }
        movements.removeAll { out.contains($0.sequence) }
        restockRequests.removeAll { out.contains($0.sequence) }
        restockReceipts = receipts
        exceptions = (found + quarantined.map { q in
            ExceptionDraft(kind: q.reason.kind, storeId: storeId, registerId: registerId, sequence: q.sequence,
                           reference: q.reason.reference, detail: q.reason.detail)
        }).sorted { $0.sequence < $1.sequence }
        lossLines = losses
        movements += received
        transferWrites = transfers.writes
        clockMark = clock
        creditLoyalty(facts, storeId: storeId)
        moveOrders(facts, storeId: storeId)
    }
}
