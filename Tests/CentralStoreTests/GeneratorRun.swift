import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import RegisterStore
import Testing

/// One run of the stateful hostile generator: what each step does, and what the reference
/// model learns from it. Sales and returns go to central in batches of random sizes; an event
/// whose meaning depends on central's state at ingest (a shipment against on-hand, a receipt,
/// a flag) is sent after everything before it, so the model knows that state.
final class GeneratorRun {
    typealias Register = HostileGeneratorTests.Register
    struct Restock { var id: String; var storeId: Int64; var productId: Int64; var quantity: Int; var register: Register }
    struct Transfer { var id: String; var from: Int64; var to: Int64; var productId: Int64; var quantity: Int }

    var rng: HostilePayloadTests.SplitMix
    /// Central's own store, for what a customer does on the web (an order for pickup).
    let central: any CentralStore
    let registers: [Register]
    let target: any GeneratorTarget
    var books: HostileGeneratorTests.ReferenceBooks
    let adminId: Int64
    let warehouse: Int64
    let products: [Int64] = [1, 2, 3, 4, 5, 6, 7, 8]
    var counts = (honest: 0, hostile: 0, flagged: 0, pushes: 0, headOffice: 0)
    /// The hostile families and flagged kinds that were sent at least once.
    var familiesSent: Set<String> = []
    var familiesMissing: [String] {
        (HostileGeneratorTests.Hostility.allCases.map { "\($0)" } + HostileGeneratorTests.Flagged.allCases.map { "\($0)" })
            .filter { !familiesSent.contains($0) }
    }
    var promotions: [Promotion] = []
    var requested: [Restock] = []
    var shipped: [Restock] = []
    var delivered: [Restock] = []
    /// Asked (by a store's till or by head office), not shipped yet; and those head office withdrew.
    var asked: [Transfer] = []
    var withdrawn: [Transfer] = []
    var inTransit: [Transfer] = []
    var arrived: [Transfer] = []

    init(seed: UInt64, central: any CentralStore, registers: [Register], target: any GeneratorTarget) throws {
        rng = HostilePayloadTests.SplitMix(state: seed)
        self.central = central
        self.registers = registers
        self.target = target
        books = HostileGeneratorTests.ReferenceBooks(onHand: demoChain.stock,
                                                     prices: Dictionary(uniqueKeysWithValues: demoChain.products.map { ($0.id, $0.price.cents) }))
        adminId = try #require(demoChain.users.first { $0.role == .admin }).id
        warehouse = try #require(demoChain.locations.first { $0.kind == .warehouse }).id
    }

    var now: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
    func pick<T>(_ items: [T]) -> T? { items.randomElement(using: &rng) }
    func payload(_ value: some Encodable) throws -> String { try WireJSON.string(value) }
    func lastPayload(_ r: Register) throws -> String { try #require(try r.till.events().last).payload }

    /// The first steps take every event type and every head-office action once, in an order
    /// that makes each meaningful (a delivery after its shipment…), whatever the seed: CI's short
    /// run covers them all; random steps follow.
    func tour(_ step: Int) async throws -> Bool {
        let cv = registers[0], nord = registers[2]
        switch step {
        case 1: try honestSale(cv)
        case 2: try await headOfficeActs(0)            // a promotion
        case 3: try honestSale(nord)
        case 4: try honestRestockRequest(cv)
        case 5: try await flushAll(); try await headOfficeActs(3)   // approved and shipped
        case 6: try await honestReceipt(step, delivery: true)
        case 7: try honestAdjustment(cv)
        case 8: try honestCount(nord)
        case 9: try honestTransferRequest(nord)         // NORD asks CV
        case 10: try await honestShipment(cv)
        case 11: try await honestReceipt(step, delivery: false)
        case 12: try await headOfficeActs(1)           // head office asks a transfer
        case 13: try await headOfficeActs(2)           // and withdraws it
        case 14: try honestReturn(cv)
        case 15: try honestDrawer(cv)                  // opened with the float
        case 16: try honestDrawer(cv, close: false)    // a no-sale opening
        case 17: try honestDrawer(cv, close: true)     // the close
        case 18:
            // A customer orders for pickup at CV on the web; the store prepares it and makes it ready.
            let now = self.now
            let customer = try await central.signUp(CustomerInput(email: "tour-\(now)@example.com", loyaltyConsent: true), passwordHash: "x", at: now)
            try await central.setCartLine(customerId: customer.id, storeId: 1, productId: 1, quantity: 1, at: now)
            let order = try await central.checkout(customerId: customer.id, storeId: 1, orderId: "tour-\(now)", holdDays: 3, at: now)
            for action in ["prepare", "ready"] {
                cv.append(.orderState, payload: try payload(OrderStatePayload(orderId: order.id, storeId: 1, action: action, by: cv.till.employee.id)),
                          hostile: false)
                counts.honest += 1
            }
            try await flush(cv)
            #expect(try await central.order(id: order.id, at: now)?.state == .ready, "the store's journal moved the order on")
        default:
            // Then each hostile family once, then each flagged one, on the registers in turn.
            let hostile = HostileGeneratorTests.Hostility.allCases, flagged = HostileGeneratorTests.Flagged.allCases
            let i = step - 19
            if hostile.indices.contains(i) {
                try await self.hostile(registers[i % registers.count], step, family: hostile[i])
            } else if flagged.indices.contains(i - hostile.count) {
                try await self.flagged(registers[i % registers.count], step, kind: flagged[i - hostile.count])
            } else {
                return false
            }
            try await push(registers[i % registers.count])
        }
        if step == 17 { try await flushAll() }
        return true
    }

    func step(_ step: Int) async throws {
        if try await tour(step) {
            if step % 30 == 0 { try await target.restart() }
            return
        }
        let r = pick(registers)!   // allowed: non-empty
        switch Int.random(in: 0..<20, using: &rng) {
        case 0...6: try honestSale(r)
        case 7: try honestReturn(r)
        case 8:
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: try honestAdjustment(r)
            case 1: try honestCount(r)
            default: try honestDrawer(r)
            }
        case 9: try Bool.random(using: &rng) ? honestRestockRequest(r) : honestTransferRequest(r)
        case 10: try await honestShipment(r)
        case 11: try await honestReceipt(step)
        case 12: try await headOfficeActs()
        case 13: try await flagged(r, step)
        case 14...17: try await hostile(r, step)
        default:
            // Head office reads between pushes: nothing a till sent can make them fail.
            try await target.headOfficeReads()
        }
        if step % 30 == 0 { try await target.restart() }
        try await push(r)
    }

    // MARK: pushing

    func push(_ r: Register) async throws {
        guard r.pushed < r.chain.count else { return }
        let size = min(r.chain.count - r.pushed, Int.random(in: 1...12, using: &rng))
        let batch = Array(r.chain[r.pushed..<(r.pushed + size)])
        let through = try await target.push(r, batch, crash: Int.random(in: 0..<25, using: &rng) == 0)
        counts.pushes += 1
        guard through == batch.last!.sequence else {   // allowed: non-empty
            throw StoreError("\(r.id): a chain-valid batch was not applied whole: through \(String(describing: through))")
        }
        r.pushed += size
    }

    func flush(_ r: Register) async throws { while r.pushed < r.chain.count { try await push(r) } }
    func flushAll() async throws { for r in registers { try await flush(r) } }

    /// Appends an event whose meaning depends on central's state, with that state equal to the model's.
    func appendInOrder(_ r: Register, _ type: EventType, _ text: String, hostile: Bool = false, flag: ExceptionKind? = nil) async throws {
        try await flushAll()
        r.append(type, payload: text, hostile: hostile, flag: flag)
        try await flush(r)
        if hostile { counts.hostile += 1 } else if flag != nil { counts.flagged += 1 } else { counts.honest += 1 }
    }

    // MARK: honest events

    func freshSale(_ r: Register, lines count: ClosedRange<Int> = 1...3, only product: Int64? = nil) throws -> Sale {
        var cart = Cart()
        cart.offers = promotions
        var seen: Set<Int64> = []
        for _ in 0..<Int.random(in: count, using: &rng) {
            let id = product ?? pick(products)!   // allowed: non-empty
            guard seen.insert(id).inserted else { continue }
            try cart.add(try r.till.product(id), quantity: Int.random(in: 1...3, using: &rng))
        }
        return try r.till.sell(cart)
    }

    func honestSale(_ r: Register) throws {
        let sale = try freshSale(r)
        r.append(.sale, payload: try lastPayload(r), hostile: false)
        r.honestSales.append(sale)
        books.sold(sale)
        counts.honest += 1
    }

    func honestReturn(_ r: Register) throws {
        guard let sale = r.honestSales.first(where: { !r.returned.contains($0.id) }) else { return }
        let ret = try r.till.store.recordReturn(receiptNumber: sale.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                                refundKind: .cash, cashierId: r.till.cashier.id, approvedBy: r.till.manager.id)
        r.append(.return, payload: try lastPayload(r), hostile: false)
        r.returned.insert(sale.id)
        books.returned(ret)
        counts.honest += 1
    }

    /// Waste, breakage, found or a count's correction, as the till journals it (a manager approves).
    func honestAdjustment(_ r: Register) throws {
        let reason = pick([AdjustmentReason.waste, .breakage, .found, .correction])!   // allowed: non-empty
        let productId = pick(products)!   // allowed: non-empty
        let units = Int.random(in: 1...3, using: &rng)
        let quantity = reason == .found || (reason == .correction && Bool.random(using: &rng)) ? units : -units
        guard let adjustment = try? r.till.store.recordAdjustment(reason: reason, lines: [(productId, quantity)], note: nil,
                                                                  by: r.till.employee.id, approvedBy: r.till.manager.id) else { return }
        r.append(.stockAdjustment, payload: try lastPayload(r), hostile: false)
        for line in adjustment.lines {
            books.moved(r.storeId, line.productId, line.quantity)
            books.lost(r.storeId, reason, line.productId, line.quantity)
        }
        counts.honest += 1
    }

    /// A count of one category at the till: the differences against the till's book are posted
    /// as one correction, which central applies as the till's deltas.
    func honestCount(_ r: Register) throws {
        let productId = pick(products)!   // allowed: non-empty
        let product = try r.till.product(productId)
        guard (try? r.till.store.startCount(scope: .category(product.category), by: r.till.employee.id)) != nil else { return }
        let counted = max(1, (try r.till.store.onHand(productId: productId)) + Int.random(in: -2...2, using: &rng))
        _ = try r.till.store.count(productId: productId, units: counted)
        guard let adjustment = try r.till.store.confirmCount(by: r.till.employee.id, approvedBy: r.till.manager.id) else { return }
        r.append(.stockAdjustment, payload: try lastPayload(r), hostile: false)
        for line in adjustment.lines {
            books.moved(r.storeId, line.productId, line.quantity)
            books.lost(r.storeId, adjustment.reason, line.productId, line.quantity)
        }
        counts.honest += 1
    }

    /// The drawer: opened with the float (not journaled), then a no-sale opening on a manager's
    /// PIN or the close of the session with the cash counted as expected.
    func honestDrawer(_ r: Register, close: Bool? = nil) throws {
        guard try r.till.store.currentCashSession() != nil else {
            _ = try r.till.store.openCashSession(float: Money(cents: 15_000), by: r.till.cashier.id)
            return
        }
        if !(close ?? Bool.random(using: &rng)) {
            _ = try r.till.store.recordNoSale(by: r.till.cashier.id, approvedBy: r.till.manager.id)
            r.append(.noSale, payload: try lastPayload(r), hostile: false)
        } else {
            let expected = try #require(try r.till.store.cashReport()).expectedCash
            _ = try r.till.store.closeCashSession(counted: expected, by: r.till.manager.id)
            r.append(.cashSessionClose, payload: try lastPayload(r), hostile: false)
        }
        counts.honest += 1
    }

    /// The till asks the other store for a product (central records the request).
    func honestTransferRequest(_ r: Register) throws {
        let from: Int64 = r.storeId == 1 ? 2 : 1
        let t = try r.till.store.requestTransfer(from: from, productId: pick(products)!, quantity: Int.random(in: 1...4, using: &rng),   // allowed: non-empty
                                                 by: r.till.employee.id)
        r.append(.transferRequest, payload: try lastPayload(r), hostile: false)
        asked.append(Transfer(id: t.id, from: from, to: r.storeId, productId: t.productId, quantity: t.requested))
        counts.honest += 1
    }

    func honestRestockRequest(_ r: Register) throws {
        let request = try r.till.store.requestRestock(productId: pick(products)!, quantity: Int.random(in: 1...6, using: &rng),   // allowed: non-empty
                                                      requestedBy: r.till.employee.id)
        r.append(.restockRequest, payload: try lastPayload(r), hostile: false)
        requested.append(Restock(id: request.id, storeId: r.storeId, productId: request.productId, quantity: request.quantity, register: r))
        counts.honest += 1
    }

    /// Units the store has, sent to the other store: what was asked of it, or of its own accord
    /// (the shipment makes the transfer).
    func honestShipment(_ r: Register) async throws {
        try await flushAll()
        var transfer: Transfer
        if let i = asked.indices.filter({ asked[$0].from == r.storeId && books.units(r.storeId, asked[$0].productId) >= 1 }).randomElement(using: &rng) {
            transfer = asked.remove(at: i)
        } else {
            guard let productId = products.filter({ books.units(r.storeId, $0) >= 1 }).randomElement(using: &rng) else { return }
            transfer = Transfer(id: "t-\(r.id)-\(r.chain.count + 1)", from: r.storeId, to: r.storeId == 1 ? 2 : 1, productId: productId, quantity: 4)
        }
        transfer.quantity = Int.random(in: 1...min(transfer.quantity, books.units(r.storeId, transfer.productId)), using: &rng)
        try await appendInOrder(r, .transferShipment, try payload(shipment(transfer, by: r)))
        books.moved(r.storeId, transfer.productId, -transfer.quantity)
        inTransit.append(transfer)
    }

    func shipment(_ t: Transfer, by r: Register) -> TransferShipmentPayload {
        TransferShipmentPayload(transferId: t.id, fromStoreId: t.from, toStoreId: t.to, productId: t.productId, quantity: t.quantity,
                                note: nil, shippedBy: r.till.employee.id)
    }

    func register(of store: Int64) -> Register { registers.filter { $0.storeId == store }.randomElement(using: &rng)! }   // allowed: both stores have one

    /// A delivery from the warehouse or a transfer, received at the store it was for.
    func honestReceipt(_ step: Int, delivery: Bool? = nil) async throws {
        if delivery ?? Bool.random(using: &rng), !shipped.isEmpty {
            let request = shipped.remove(at: Int.random(in: 0..<shipped.count, using: &rng))
            let r = register(of: request.storeId)
            try await appendInOrder(r, .restockReceipt, try payload(RestockReceiptPayload(requestId: request.id, storeId: request.storeId,
                                                                                          productId: request.productId, quantity: request.quantity,
                                                                                          receivedBy: r.till.employee.id)))
            books.moved(request.storeId, request.productId, request.quantity)
            delivered.append(request)
        } else if !inTransit.isEmpty {
            let t = inTransit.remove(at: Int.random(in: 0..<inTransit.count, using: &rng))
            let damaged = Int.random(in: 0...1, using: &rng)
            let received = max(0, t.quantity - damaged - Int.random(in: 0...1, using: &rng))
            let r = register(of: t.to)
            try await appendInOrder(r, .transferReceipt, try payload(TransferReceiptPayload(transferId: t.id, toStoreId: t.to, productId: t.productId,
                                                                                            received: received, damaged: damaged,
                                                                                            receivedBy: r.till.employee.id)))
            books.moved(t.to, t.productId, received)
            if damaged > 0 { books.lost(t.to, .transitDamaged, t.productId, -damaged) }
            let short = t.quantity - received - damaged
            if short > 0 { books.lost(t.to, .transitShort, t.productId, -short) }
            arrived.append(t)
        }
    }

    // MARK: head office

    /// A promotion (the tills sell under it from then on), or a restock request decided: shipped
    /// when the warehouse has the units, rejected when not.
    /// - Parameter action: 0 a promotion, 1 a transfer asked, 2 one withdrawn, 3 a restock request decided; random when nil.
    func headOfficeActs(_ action: Int? = nil) async throws {
        let today = PromotionContractTests.today
        if action == 0 || (action == nil && promotions.count < 2 && Bool.random(using: &rng)) {
            let input = promotions.isEmpty
                ? PromotionContractTests.muffins(from: today.adding(days: -1), to: today.adding(days: 30))
                : PromotionInput(name: "10 % sur les lattes", kind: .percentOff, percentMicros: 100_000, productIds: [2],
                                 startDay: today.adding(days: -1), endDay: today.adding(days: 30))
            promotions.append(try await target.createPromotion(input))
            counts.headOffice += 1
            return
        }
        switch action.map({ $0 - 1 }) ?? Int.random(in: 0..<3, using: &rng) {
        case 0:
            // Head office asks one store to send the other a product.
            let from = Int64.random(in: 1...2, using: &rng)
            let t = try await target.createTransfer(TransferCreate(fromStoreId: from, toStoreId: from == 1 ? 2 : 1, productId: pick(products)!,   // allowed: non-empty
                                                                   quantity: Int.random(in: 1...4, using: &rng)))
            asked.append(Transfer(id: t.id, from: t.fromStoreId, to: t.toStoreId, productId: t.productId, quantity: t.requested))
            counts.headOffice += 1
            return
        case 1:
            // And withdraws one not shipped yet (once its request has reached central).
            guard !asked.isEmpty else { return }
            try await flushAll()
            let t = asked.remove(at: Int.random(in: 0..<asked.count, using: &rng))
            try await target.cancelTransfer(t.id)
            withdrawn.append(t)
            counts.headOffice += 1
            return
        default: break
        }
        guard !requested.isEmpty else { return }
        let request = requested.remove(at: Int.random(in: 0..<requested.count, using: &rng))
        try await flush(request.register)
        if books.units(warehouse, request.productId) >= request.quantity {
            try await target.restock(request.id, .approve)
            try await target.restock(request.id, .ship)
            books.moved(warehouse, request.productId, -request.quantity)
            shipped.append(request)
        } else {
            try await target.restock(request.id, .reject)
        }
        counts.headOffice += 1
    }

    // MARK: flagged: applied, and head office is told

    func flagged(_ r: Register, _ step: Int, kind: HostileGeneratorTests.Flagged? = nil) async throws {
        let kind = kind ?? pick(HostileGeneratorTests.Flagged.allCases)!   // allowed: non-empty
        let before = counts.flagged
        defer { if counts.flagged > before { familiesSent.insert("\(kind)") } }
        switch kind {
        case .foundBeyondTheLimit:
            let p = try r.till.product(pick(products)!)   // allowed: non-empty
            let found = StockAdjustment(id: "found-\(step)", storeId: r.storeId, registerId: r.id, createdAt: now, reason: .found, note: nil,
                                        lines: [AdjustmentLine(productId: p.id, sku: p.sku, name: p.name, quantity: 9_999,
                                                               unitPrice: Money(cents: 100_000_000))],
                                        by: r.till.employee.id)
            try await appendInOrder(r, .stockAdjustment, try payload(found), flag: .adjustmentWithoutApproval)
            books.moved(r.storeId, p.id, 9_999)
            books.lost(r.storeId, .found, p.id, 9_999)
        case .restockReceivedTwice:
            guard let request = pick(delivered) else { return }
            let at = register(of: request.storeId)
            try await appendInOrder(at, .restockReceipt, try payload(RestockReceiptPayload(requestId: request.id, storeId: request.storeId,
                                                                                           productId: request.productId, quantity: request.quantity,
                                                                                           receivedBy: at.till.employee.id)),
                                    flag: .restockAlreadyReceived)
        case .restockUnknown:
            try await appendInOrder(r, .restockReceipt, try payload(RestockReceiptPayload(requestId: "no-such-request-\(step)", storeId: r.storeId,
                                                                                          productId: 1, quantity: 2, receivedBy: r.till.employee.id)),
                                    flag: .restockUnknown)
        case .transferReceivedTwice:
            guard let t = pick(arrived) else { return }
            let at = register(of: t.to)
            try await appendInOrder(at, .transferReceipt, try payload(TransferReceiptPayload(transferId: t.id, toStoreId: t.to, productId: t.productId,
                                                                                             received: 1, damaged: 0, receivedBy: at.till.employee.id)),
                                    flag: .transferAlreadyReceived)
        case .shipmentOfAWithdrawnTransfer:
            // The store was offline when head office withdrew it: the units left, they are in transit.
            guard let i = withdrawn.indices.filter({ books.units(withdrawn[$0].from, withdrawn[$0].productId) >= 1 }).randomElement(using: &rng)
            else { return }
            var t = withdrawn.remove(at: i)
            t.quantity = Int.random(in: 1...min(t.quantity, books.units(t.from, t.productId)), using: &rng)
            let from = register(of: t.from)
            try await appendInOrder(from, .transferShipment, try payload(shipment(t, by: from)), flag: .transferConflict)
            books.moved(t.from, t.productId, -t.quantity)
            inTransit.append(t)
        case .noSaleOnACashiersWord:
            let opening = NoSalePayload(id: "no-sale-\(step)", storeId: r.storeId, registerId: r.id, sessionId: "session-\(step)",
                                        cashierId: r.till.cashier.id, approvedBy: r.till.cashier.id, createdAt: now)
            try await appendInOrder(r, .noSale, try payload(opening), flag: .noSaleWithoutApproval)
        }
    }

    // MARK: hostile: quarantined

    func object(_ payload: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(payload.utf8)) as! [String: Any]   // allowed: test fixture
    }
    func text(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
    func decodeSale(_ object: [String: Any]) throws -> Sale {
        try WireJSON.decoder.decode(Sale.self, from: Data(try text(object).utf8))
    }

    func hostile(_ r: Register, _ step: Int, family: HostileGeneratorTests.Hostility? = nil) async throws {
        let hostility = family ?? pick(HostileGeneratorTests.Hostility.allCases)!   // allowed: non-empty
        let before = counts.hostile
        defer { if counts.hostile > before { familiesSent.insert("\(hostility)") } }
        switch hostility {
        case .undeclarableReason, .adjustmentByAdministrator, .wasteOfAnUnknownProduct:
            let p = try r.till.product(pick(products)!)   // allowed: non-empty
            var waste = StockAdjustment(id: "hostile-\(step)", storeId: r.storeId, registerId: r.id, createdAt: now, reason: .waste, note: nil,
                                        lines: [AdjustmentLine(productId: p.id, sku: p.sku, name: p.name, quantity: -1, unitPrice: p.price)],
                                        by: r.till.employee.id)
            switch hostility {
            case .undeclarableReason: waste.reason = .transitShort
            case .adjustmentByAdministrator: waste.by = adminId
            default: waste.lines[0].productId = 999_999
            }
            try await appendInOrder(r, .stockAdjustment, try payload(waste), hostile: true)
        case .shipmentBeyondOnHand:
            try await flushAll()
            let productId = pick(products)!   // allowed: non-empty
            let beyond = max(0, books.units(r.storeId, productId)) + Int.random(in: 1...50, using: &rng)
            let t = Transfer(id: "hostile-\(step)", from: r.storeId, to: r.storeId == 1 ? 2 : 1, productId: productId, quantity: beyond)
            try await appendInOrder(r, .transferShipment, try payload(shipment(t, by: r)), hostile: true)
        case .receiptOfMoreThanShipped, .receiptAtAnotherStore:
            if inTransit.isEmpty, family != nil { try await honestShipment(register(of: 1)) }   // the tour: one on the road
            guard let t = pick(inTransit) else { return }
            let wrongStore = hostility == .receiptAtAnotherStore
            let at = register(of: wrongStore ? t.from : t.to)
            let receipt = TransferReceiptPayload(transferId: t.id, toStoreId: at.storeId, productId: t.productId,
                                                 received: wrongStore ? t.quantity : t.quantity + 1, damaged: 0, receivedBy: at.till.employee.id)
            try await appendInOrder(at, .transferReceipt, try payload(receipt), hostile: true)
        case .restockIdOfAnotherStore:
            guard let other = pick(requested + shipped + delivered), other.storeId != r.storeId else { return }
            let request = RestockRequestPayload(requestId: other.id, storeId: r.storeId, productId: other.productId, quantity: 1, note: nil,
                                                requestedBy: r.till.employee.id)
            try await appendInOrder(r, .restockRequest, try payload(request), hostile: true)
        default:
            try hostileSale(r, hostility, step)
        }
    }

    func hostileSale(_ r: Register, _ hostility: HostileGeneratorTests.Hostility, _ step: Int) throws {
        let singleLine: Bool = [.promotionClaimedWhole, .tenManualDiscounts, .unknownPromotion].contains(hostility)
        // A promotion claimed whole needs a line of a product a promotion is for.
        let promoted = hostility == .promotionClaimedWhole ? promotions.first?.productIds.first : nil
        let sale = try freshSale(r, lines: singleLine ? 1...1 : 1...3, only: promoted)
        var o = try object(try lastPayload(r))
        o["id"] = "hostile-\(step)"
        var createdAt: Int64?
        var type = EventType.sale
        switch hostility {
        case .subtotalOffByOne: o["subtotalCents"] = sale.subtotal.cents + 1
        case .unknownCashier: o["cashierId"] = 987_654
        case .administratorAsCashier: o["cashierId"] = adminId
        case .anotherStore: o["storeId"] = r.storeId == 1 ? 2 : 1
        case .clockIn1970: createdAt = 120_000
        case .unknownProduct:
            var lines = o["lines"] as! [[String: Any]]   // allowed: test fixture
            lines[0]["productId"] = 999_999
            o["lines"] = lines
        case .saleSentTwice:
            guard let earlier = pick(r.honestSales) else { return }
            o = try object(try payload(earlier))
        case .unknownDiscountReason:
            var lines = o["lines"] as! [[String: Any]]   // allowed: test fixture
            let gross = (lines[0]["unitPriceCents"] as! Int) * (lines[0]["quantity"] as! Int)   // allowed: test fixture
            guard gross >= 2 else { return }
            lines[0]["discounts"] = [["kind": "line", "amountCents": 1, "reason": "reason-\(step)"]]
            o["lines"] = lines
            o = try object(try payload(CentralFiguresTests.retotalled(try decodeSale(o), off: Money(cents: 1))))
        case .promotionClaimedWhole, .tenManualDiscounts, .unknownPromotion:
            var bent = try decodeSale(o)
            let gross = bent.lines[0].gross
            guard gross.cents >= 20 else { return }
            switch hostility {
            case .promotionClaimedWhole:
                // A promotion central issued, claimed as the whole line.
                guard let promotion = promotions.first(where: { $0.productIds.contains(bent.lines[0].productId) }) else { return }
                bent.lines[0].discounts = [LineDiscount(kind: .promotion, amount: gross, promotionId: promotion.id, label: promotion.name)]
            case .tenManualDiscounts:
                bent.lines[0].discounts = Array(repeating: LineDiscount(kind: .line, amount: Money(cents: gross.cents / 10), reason: "goodwill"),
                                                count: 10)
            default:
                bent.lines[0].discounts = [LineDiscount(kind: .promotion, amount: Money(cents: 1), promotionId: 4_242, label: "forged")]
            }
            let off = bent.lines[0].discounts.reduce(Money.zero) { $0 + $1.amount }
            o = try object(try payload(CentralFiguresTests.retotalled(bent, off: off)))
        case .hugeOrderId: o["orderId"] = String(repeating: "w", count: 5_000)
        case .cardThatIsNoCard: o["customerCard"] = "<card>" + String(repeating: "9", count: 200)
        case .returnOfAnUnknownSale:
            guard let earlier = r.honestSales.first(where: { !r.returned.contains($0.id) }) else { return }
            let ret = try r.till.store.recordReturn(receiptNumber: earlier.receiptNumber, lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                                    refundKind: .cash, cashierId: r.till.cashier.id, approvedBy: r.till.manager.id)
            var bent = ret
            bent.originalSaleId = "no-such-sale-\(step)"
            o = try object(try payload(bent))
            type = .return
            // The till's own record of that return is not what central is sent: the sale stays returnable there.
            r.returned.insert(earlier.id)
        default: return
        }
        r.append(type, payload: try text(o), createdAt: createdAt, hostile: true)
        counts.hostile += 1
    }
}
