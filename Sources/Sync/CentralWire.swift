import CaisseAPI
import CaisseCore
import CentralAPIClient
import Foundation

/// Central's bodies as generated from openapi.yaml, turned into the till's own types and back.
/// The generated types hold what the spec says; the ranges and closed sets the till's types
/// keep (an amount within ±10^13 cents, a known role, a date) are checked here, as their own
/// decoders check them. A field the spec renames or retypes stops this file from compiling.
typealias Wire = Components.Schemas

struct WireRefusal: Error, CustomStringConvertible {
    let description: String
}

enum WireValue {
    static func money(_ cents: Int64, _ field: String) throws -> Money {
        guard cents.magnitude <= Money.wireLimit else { throw WireRefusal(description: "\(field): amount \(cents) out of ±\(Money.wireLimit) cents") }
        return Money(cents: cents)
    }

    static func closed<T: RawRepresentable>(_ raw: String, _ field: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw WireRefusal(description: "\(field): '\(raw)' is not one of the values the till knows") }
        return value
    }

    static func day(_ iso: String, _ field: String) throws -> Day {
        guard let day = Day(iso: iso) else { throw WireRefusal(description: "\(field): '\(iso)' is not a date YYYY-MM-DD") }
        return day
    }
}

extension ChangeSet {
    init(wire w: Wire.ChangeSet) throws {
        self.init(registerId: w.registerId, storeId: w.storeId, cursor: w.cursor, hasMore: w.hasMore, appliedThrough: w.appliedThrough,
                  locations: try w.locations.map(Location.init(wire:)), taxRules: w.taxRules.map(TaxRule.init(wire:)),
                  products: try w.products.map(Product.init(wire:)), users: try w.users.map(User.init(wire:)),
                  restockRequests: try w.restockRequests.map(RestockRequest.init(wire:)), stock: w.stock.map(StockRow.init(wire:)),
                  chainName: w.chainName, quickKeys: w.quickKeys, promotions: try w.promotions?.map(Promotion.init(wire:)),
                  discountPolicy: try w.discountPolicy.map(DiscountPolicy.init(wire:)),
                  transfers: try w.transfers?.map(StockTransfer.init(wire:)), reset: w.reset,
                  orders: try w.orders?.map(OnlineOrder.init(wire:)), loyaltyProgram: try w.loyaltyProgram.map(LoyaltyProgram.init(wire:)),
                  stockApart: w.stockApart)
    }
}

extension StockFeed {
    init(wire w: Wire.StockFeed) {
        self.init(cursor: w.cursor, hasMore: w.hasMore, appliedThrough: w.appliedThrough, stock: w.stock.map(StockRow.init(wire:)), reset: w.reset)
    }
}

extension StockRow {
    init(wire w: Wire.StockRow) {
        self.init(locationId: w.locationId, productId: w.productId, onHand: w.onHand)
    }
}

extension Location {
    init(wire w: Wire.Location) throws {
        self.init(id: w.id, code: w.code, name: w.name, kind: try WireValue.closed(w.kind.rawValue, "location.kind"), address: w.address,
                  taxRule: w.taxRule, taxNumbers: w.taxNumbers.additionalProperties, timeZone: w.timeZone)
    }
}

extension TaxRule {
    init(wire w: Wire.TaxRule) {
        self.init(code: w.code, name: w.name, rates: w.rates.map {
            TaxRate(code: $0.code, labelFr: $0.labelFr, labelEn: $0.labelEn, rateMicros: $0.rateMicros,
                    taxableClasses: Set($0.taxableClasses.map { TaxClass($0) }))
        })
    }
}

extension Product {
    init(wire w: Wire.Product) throws {
        self.init(id: w.id, sku: w.sku, barcode: w.barcode, name: w.name, category: w.category,
                  price: try WireValue.money(w.priceCents, "product.priceCents"), taxClass: TaxClass(w.taxClass),
                  reorderPoint: w.reorderPoint, overstockThreshold: w.overstockThreshold, active: w.active, fresh: w.fresh ?? false,
                  cost: try w.costCents.map { try WireValue.money($0, "product.costCents") })
    }
}

extension User {
    init(wire w: Wire.User) throws {
        self.init(id: w.value1.id, username: w.value1.username, displayName: w.value1.displayName,
                  role: try WireValue.closed(w.value1.role.rawValue, "user.role"), storeId: w.value1.storeId,
                  pinHash: w.value2.pinHash, active: w.value2.active)
    }
}

extension RestockRequest {
    init(wire w: Wire.RestockRequest) throws {
        self.init(id: w.id, storeId: w.storeId, productId: w.productId, quantity: w.quantity,
                  state: try WireValue.closed(w.state.rawValue, "restockRequest.state"), note: w.note, createdAt: w.createdAt,
                  updatedAt: w.updatedAt)
    }
}

extension Promotion {
    init(wire w: Wire.Promotion) throws {
        let p = w.value1
        self.init(id: w.value2.id, name: p.name, kind: try WireValue.closed(p.kind.rawValue, "promotion.kind"), percentMicros: p.percentMicros,
                  amountCents: p.amountCents, priceCents: p.priceCents, quantity: p.quantity, freeQuantity: p.freeQuantity,
                  productIds: p.productIds ?? [], category: p.category, startDay: try WireValue.day(p.startDay, "promotion.startDay"),
                  endDay: try WireValue.day(p.endDay, "promotion.endDay"), weekdays: p.weekdays ?? [], fromMinute: p.fromMinute,
                  toMinute: p.toMinute, storeIds: p.storeIds ?? [], combinable: p.combinable ?? false, active: p.active ?? true)
    }
}

extension DiscountPolicy {
    init(wire w: Wire.DiscountPolicy) throws {
        self.init(staffLimitPercent: w.staffLimitPercent,
                  adjustmentLimit: try w.adjustmentLimitCents.map { try WireValue.money($0, "discountPolicy.adjustmentLimitCents") }
                      ?? DiscountPolicy.standardAdjustmentLimit)
    }
}

extension StockTransfer {
    init(wire w: Wire.StockTransfer) throws {
        self.init(id: w.id, fromStoreId: w.fromStoreId, toStoreId: w.toStoreId, productId: w.productId, requested: w.requested,
                  shipped: w.shipped, received: w.received, damaged: w.damaged,
                  state: try WireValue.closed(w.state.rawValue, "transfer.state"), note: w.note, createdAt: w.createdAt,
                  updatedAt: w.updatedAt)
    }
}

extension OnlineOrder {
    init(wire w: Wire.OnlineOrder) throws {
        self.init(id: w.id, number: w.number, customerId: w.customerId, storeId: w.storeId,
                  state: try WireValue.closed(w.state.rawValue, "order.state"),
                  lines: try w.lines.map {
                      Line(productId: $0.productId, sku: $0.sku, name: $0.name, quantity: $0.quantity,
                           unitPrice: try WireValue.money($0.unitPrice, "order.lines.unitPrice"))
                  },
                  total: try WireValue.money(w.total, "order.total"), createdAt: w.createdAt, updatedAt: w.updatedAt,
                  pickupBy: w.pickupBy, saleId: w.saleId)
    }
}

extension LoyaltyProgram {
    init(wire w: Wire.LoyaltyProgram) throws {
        self.init(pointsPerDollar: w.pointsPerDollar,
                  rewards: try w.rewards.map { LoyaltyReward(points: $0.points, value: try WireValue.money($0.value, "loyaltyProgram.rewards.value")) },
                  expiryDays: w.expiryDays)
    }
}

extension Wire.SyncEvent {
    init(_ event: SyncEvent) {
        self.init(registerId: event.registerId, sequence: event.sequence, id: event.id, _type: Self.type(event.type),
                  createdAt: event.createdAt, payload: event.payload, previousHash: event.previousHash, hash: event.hash)
    }

    /// Every type a till journals has its name in the spec: a new one does not compile until it is there.
    static func type(_ type: EventType) -> _TypePayload {
        switch type {
        case .sale: .sale
        case .return: ._return
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
}

extension SaleForReturn {
    /// The sale comes as the till journaled it: read by the journal's own versioned reader.
    init(wire w: Wire.SaleForReturn) throws {
        let journaled = String(decoding: try JSONEncoder().encode(w.sale), as: UTF8.self)
        self.init(sale: try JournalDocument.sale(payload: journaled),
                  returnedElsewhere: w.returnedElsewhere.map { ReturnRequestLine(lineNo: $0.lineNo, quantity: $0.quantity) },
                  refundedElsewhere: try WireValue.money(w.refundedElsewhere, "refundedElsewhere"),
                  cashRefundedElsewhere: try WireValue.money(w.cashRefundedElsewhere, "cashRefundedElsewhere"))
    }
}

extension Customer {
    init(wire w: Wire.Customer) throws {
        self.init(id: w.id, cardNumber: w.cardNumber, name: w.name, email: w.email, phone: w.phone, language: w.language.rawValue,
                  loyaltyConsentAt: w.loyaltyConsentAt, marketingConsentAt: w.marketingConsentAt, createdAt: w.createdAt,
                  storeId: w.storeId, erasedAt: w.erasedAt)
    }
}

extension Wire.CustomerInput {
    init(_ input: CustomerInput) throws {
        self.init(name: input.name, email: input.email, phone: input.phone, language: try WireValue.closed(input.language, "language"),
                  loyaltyConsent: input.loyaltyConsent, marketingConsent: input.marketingConsent)
    }
}

extension LoyaltyHold {
    init(wire w: Wire.LoyaltyHold) throws {
        self.init(id: w.id, customerId: w.customerId, points: w.points, value: try WireValue.money(w.value, "hold.value"), balanceAfter: w.balanceAfter)
    }
}

// MARK: - Staff screens (stock, reports, dashboard, restock, exceptions, promotions, transfers)

extension LoginResponse {
    init(wire w: Wire.LoginResponse) throws {
        self.init(token: w.token, expiresAt: w.expiresAt, user: try UserInfo(wire: w.user))
    }
}

extension UserInfo {
    init(wire w: Wire.UserInfo) throws {
        self.init(id: w.id, username: w.username, displayName: w.displayName, role: try WireValue.closed(w.role.rawValue, "user.role"),
                  storeId: w.storeId)
    }
}

extension StockResponse {
    init(wire w: Wire.StockResponse) throws {
        self.init(location: try Location(wire: w.location), lines: w.lines.map(StockLine.init(wire:)))
    }
}

extension StockLine {
    /// The status is the till's own rule over the same figures.
    init(wire w: Wire.StockLine) {
        self.init(productId: w.productId, sku: w.sku, name: w.name, onHand: w.onHand, reorderPoint: w.reorderPoint,
                  overstockThreshold: w.overstockThreshold)
    }
}

extension SalesFigures {
    init(wire w: Wire.SalesFigures) throws {
        self.init()
        count = w.count
        returnCount = w.returnCount ?? 0
        items = w.items
        gross = try WireValue.money(w.grossCents, "figures.grossCents")
        returns = try WireValue.money(w.returnsCents, "figures.returnsCents")
        taxes = try WireValue.money(w.taxesCents, "figures.taxesCents")
    }
}

extension DiscountSummary.Entry {
    init(wire w: Wire.DiscountEntry) throws {
        self.init(key: w.key, label: w.label, amount: try WireValue.money(w.amountCents, "discounts.amountCents"), count: w.count)
    }
}

extension StockLossSummary.Entry {
    init(wire w: Wire.LossEntry) throws {
        self.init(key: w.key, label: w.label, units: w.units, value: try WireValue.money(w.valueCents, "losses.valueCents"),
                  cost: try w.costCents.map { try WireValue.money($0, "losses.costCents") })
    }
}

extension SalesReportResponse {
    init(wire w: Wire.SalesReportResponse) throws {
        let r = w.report
        var discounts = DiscountSummary()
        if let d = r.discounts {
            discounts.total = try WireValue.money(d.totalCents, "discounts.totalCents")
            discounts.byStore = try d.byStore.map(DiscountSummary.Entry.init(wire:))
            discounts.byPromotion = try d.byPromotion.map(DiscountSummary.Entry.init(wire:))
            discounts.byReason = try d.byReason.map(DiscountSummary.Entry.init(wire:))
            discounts.byCashier = try d.byCashier.map(DiscountSummary.Entry.init(wire:))
            discounts.byApprover = try d.byApprover.map(DiscountSummary.Entry.init(wire:))
        }
        var losses = StockLossSummary()
        if let l = r.losses {
            losses.waste = try StockLossSummary.Entry(wire: l.waste)
            losses.shrinkage = try StockLossSummary.Entry(wire: l.shrinkage)
            losses.byStore = try l.byStore.map(StockLossSummary.Entry.init(wire:))
            losses.byProduct = try l.byProduct.map(StockLossSummary.Entry.init(wire:))
            losses.byCategory = try l.byCategory.map(StockLossSummary.Entry.init(wire:))
            losses.byReason = try l.byReason.map(StockLossSummary.Entry.init(wire:))
        }
        let report = SalesReport(
            stores: try r.stores.map { StoreSales(storeId: $0.storeId, figures: try SalesFigures(wire: $0.figures)) },
            days: try r.days.map { DaySales(day: try WireValue.day($0.day, "report.days.day"), figures: try SalesFigures(wire: $0.figures)) },
            total: try SalesFigures(wire: r.total),
            topProducts: try r.topProducts.map {
                ProductSales(productId: $0.productId, sku: $0.sku, name: $0.name, quantity: $0.quantity,
                             revenue: try WireValue.money($0.revenueCents, "topProducts.revenueCents"))
            },
            discounts: discounts, losses: losses,
            taxes: try (r.taxes ?? []).map {
                TaxFigures(storeId: $0.storeId, code: $0.code, collected: try WireValue.money($0.collectedCents, "taxes.collectedCents"),
                           refunded: try WireValue.money($0.refundedCents, "taxes.refundedCents"))
            })
        self.init(from: try WireValue.day(w.from, "from"), to: try WireValue.day(w.to, "to"), storeNames: w.storeNames.additionalProperties,
                  report: report, channels: try w.channels.map(ChannelSummary.init(wire:)))
    }
}

extension ChannelSummary {
    init(wire w: Wire.ChannelSummary) throws {
        self.init(stores: try w.stores.map {
            Store(storeId: $0.storeId, onlinePickupSales: $0.onlinePickupSales,
                  onlinePickupTotal: try WireValue.money($0.onlinePickupTotal, "channels.onlinePickupTotal"), openOrders: $0.openOrders,
                  oldestOpenOrderAt: $0.oldestOpenOrderAt)
        }, pointsEarned: w.pointsEarned, pointsRedeemed: w.pointsRedeemed, pointsOutstanding: w.pointsOutstanding)
    }
}

extension DashboardResponse {
    init(wire w: Wire.DashboardResponse) throws {
        self.init(today: try WireValue.day(w.today, "today"),
                  revenue: try w.revenue.map {
                      var revenue = StoreRevenue(storeId: $0.storeId)
                      revenue.today = try WireValue.money($0.todayCents, "revenue.todayCents")
                      revenue.last7Days = try WireValue.money($0.last7DaysCents, "revenue.last7DaysCents")
                      revenue.last30Days = try WireValue.money($0.last30DaysCents, "revenue.last30DaysCents")
                      revenue.discounts30Days = try WireValue.money($0.discounts30DaysCents ?? 0, "revenue.discounts30DaysCents")
                      revenue.discountRatePermille = $0.discountRatePermille ?? 0
                      revenue.waste30Days = try WireValue.money($0.waste30DaysCents ?? 0, "revenue.waste30DaysCents")
                      revenue.shrinkage30Days = try WireValue.money($0.shrinkage30DaysCents ?? 0, "revenue.shrinkage30DaysCents")
                      return revenue
                  },
                  alerts: w.alerts.map {
                      StoreAlertCounts(storeId: $0.storeId, stockOuts: $0.stockOuts.map(StockLine.init(wire:)),
                                       lowStock: $0.lowStock.map(StockLine.init(wire:)), overstock: $0.overstock.map(StockLine.init(wire:)))
                  },
                  storeNames: w.storeNames.additionalProperties, channels: try w.channels.map(ChannelSummary.init(wire:)))
    }
}

extension CentralException {
    init(wire w: Wire.CentralException) throws {
        self.init(id: w.id, kind: w.kind.rawValue, storeId: w.storeId, registerId: w.registerId, sequence: w.sequence, reference: w.reference,
                  detail: w.detail, createdAt: w.createdAt, resolvedAt: w.resolvedAt, resolvedBy: w.resolvedBy, resolution: w.resolution,
                  quarantined: w.quarantined, decision: try w.decision.map { try WireValue.closed($0.rawValue, "exception.decision") })
    }
}

extension Wire.PromotionInput {
    init(_ p: PromotionInput) throws {
        self.init(name: p.name, kind: try WireValue.closed(p.kind.rawValue, "promotion.kind"), percentMicros: p.percentMicros,
                  amountCents: p.amountCents, priceCents: p.priceCents, quantity: p.quantity, freeQuantity: p.freeQuantity,
                  productIds: p.productIds, category: p.category, startDay: p.startDay.iso, endDay: p.endDay.iso, weekdays: p.weekdays,
                  fromMinute: p.fromMinute, toMinute: p.toMinute, storeIds: p.storeIds, combinable: p.combinable, active: p.active)
    }
}

/// A change set read as the generated client reads it: the spec's types, then the till's
/// (caisse-bench wire compares it with decoding the till's types straight from the JSON).
public enum SpecDecoding {
    public static func changeSet(_ json: Data) throws -> ChangeSet {
        try ChangeSet(wire: JSONDecoder().decode(Wire.ChangeSet.self, from: json))
    }
}
