import ArgumentParser
import CaisseAPI
import CaisseCore
import CentralServer
import CentralStore
import Foundation

// A store's quick keys, the chain's promotions and each store's limits (issues 15 and 16).

struct QuickKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quick-keys",
        abstract: "Show or set a store's quick keys (products sold without a scan, one key each at the till).",
        discussion: "With SKUs, replaces the store's quick keys in that order (at most 10); its tills get them with their next pull. With --clear, removes them.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The store (code or id).") var store: String
    @Argument(help: "SKUs, in the order of the keys 1, 2, … 9, 0.") var skus: [String] = []
    @Flag(help: "Remove every quick key of the store.") var clear = false

    func run() async throws {
        try await reportingErrors {
            let central = try await db.open()
            let location = try await resolveLocation(central, store)
            var keys: [Product]
            if clear || !skus.isEmpty {
                guard !(clear && !skus.isEmpty) else { throw CLIFailure("give SKUs or --clear, not both") }
                var ids: [Int64] = []
                for sku in skus {
                    guard let p = try await central.product(sku: sku) else { throw CLIFailure("no product with SKU \(sku)") }
                    ids.append(p.id)
                }
                keys = try await central.replaceQuickKeys(storeId: location.id, productIds: ids)
            } else {
                keys = try await central.quickKeyProducts(storeId: location.id)
            }
            if keys.isEmpty { print("\(location.code): no quick key") }
            for (i, p) in keys.enumerated() { print("\((i + 1) % 10)\t\(p.sku)\t\(p.name)\t\(p.price)") }
        }
    }
}

struct Promotions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Define, list and end promotions; tills get them with their next pull and apply them by themselves, offline too.",
        subcommands: [List.self, Add.self, End.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every promotion, with its figures, days and stores.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                let list = try await central.promotions()
                if list.isEmpty { print("no promotion") }
                for p in list { print(Promotions.describe(p)) }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Define a promotion.",
            discussion: """
            Examples:
              promotions add --name "Muffins 3 pour 5 $" --kind multi_buy --quantity 3 --price 5 --products MUF-0001 --from 2026-11-26 --to 2026-12-31
              promotions add --name "Café du matin -25 %" --kind percent_off --percent 25 --category "Boissons chaudes" --from 2026-11-26 --to 2026-12-31 --weekdays 1,2,3,4,5 --hours 06:00-10:00 --stores CV,NORD
            """)
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The name the receipt shows.") var name: String
        @Option(help: "percent_off, amount_off, fixed_price, multi_buy or buy_get.") var kind: String
        @Option(help: "percent_off: the percent off, e.g. 25 or 12.5.") var percent: String?
        @Option(help: "amount_off: dollars off each unit, e.g. 0.50.") var amount: String?
        @Option(help: "fixed_price: each unit's price; multi_buy: the price of the group, e.g. 5.") var price: String?
        @Option(help: "multi_buy: units in a group; buy_get: units to buy.") var quantity: Int?
        @Option(help: "buy_get: units given free.") var free: Int?
        @Option(help: "Products by SKU, comma-separated.") var products: String?
        @Option(help: "Or every product of this category.") var category: String?
        @Option(help: "First day, YYYY-MM-DD.") var from: String
        @Option(help: "Last day, YYYY-MM-DD (included).") var to: String
        @Option(help: "ISO weekdays, comma-separated (1 Monday … 7 Sunday); default every day.") var weekdays: String?
        @Option(help: "Local hours, HH:MM-HH:MM; default all day.") var hours: String?
        @Option(help: "Store codes, comma-separated; default every store.") var stores: String?
        @Flag(help: "Stacks with other offers (otherwise the best offer wins).") var combinable = false

        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                guard let kind = Promotion.Kind(rawValue: kind) else {
                    throw CLIFailure("--kind: one of \(Promotion.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard let start = Day(iso: from), let end = Day(iso: to) else { throw CLIFailure("--from and --to are YYYY-MM-DD days") }
                func cents(_ text: String?, _ option: String) throws -> Int64? {
                    guard let text else { return nil }
                    guard let m = try? Money.parse(text.replacingOccurrences(of: "$", with: "").trimmingCharacters(in: .whitespaces)) else {
                        throw CLIFailure("\(option): an amount in dollars, e.g. 5 or 0.50")
                    }
                    return m.cents
                }
                var micros: Int64?
                if let percent {
                    guard let value = PercentText.micros(percent) else { throw CLIFailure("--percent: more than 0, at most 100") }
                    micros = value
                }
                var productIds: [Int64] = []
                for sku in (products ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !sku.isEmpty {
                    guard let p = try await central.product(sku: sku) else { throw CLIFailure("--products: no product with SKU \(sku)") }
                    productIds.append(p.id)
                }
                var storeIds: [Int64] = []
                for code in (stores ?? "").split(separator: ",") { storeIds.append(try await resolveLocation(central, String(code)).id) }
                let days = try (weekdays ?? "").split(separator: ",").map { raw -> Int in
                    guard let d = Int(raw.trimmingCharacters(in: .whitespaces)) else { throw CLIFailure("--weekdays: numbers 1…7") }
                    return d
                }
                var window: (Int, Int)?
                if let hours {
                    let parts = hours.split(separator: "-").map(String.init)
                    func minute(_ t: String) -> Int? {
                        let hm = t.split(separator: ":").compactMap { Int($0) }
                        return hm.count == 2 && (0...24).contains(hm[0]) && (0..<60).contains(hm[1]) ? hm[0] * 60 + hm[1] : nil
                    }
                    guard parts.count == 2, let a = minute(parts[0]), let b = minute(parts[1]) else { throw CLIFailure("--hours: HH:MM-HH:MM") }
                    window = (a, b)
                }
                let input = PromotionInput(name: name, kind: kind, percentMicros: micros, amountCents: try cents(amount, "--amount"),
                                           priceCents: try cents(price, "--price"), quantity: quantity, freeQuantity: free,
                                           productIds: productIds, category: category, startDay: start, endDay: end, weekdays: days,
                                           fromMinute: window?.0, toMinute: window?.1, storeIds: storeIds, combinable: combinable)
                let created = try await central.createPromotion(input)
                print(Promotions.describe(created))
            }
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a promotion: its last day becomes --on (default: it stops now).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The promotion's id.") var id: Int64
        @Option(help: "Its new last day, YYYY-MM-DD.") var on: String?
        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                guard var p = try await central.promotion(id: id) else { throw CLIFailure("no promotion \(id)") }
                if let on {
                    guard let day = Day(iso: on) else { throw CLIFailure("--on: a YYYY-MM-DD day") }
                    p.endDay = day
                } else {
                    p.active = false
                }
                let input = PromotionInput(p)
                print(Promotions.describe(try await central.updatePromotion(id: id, input)))
            }
        }
    }

    static func describe(_ p: Promotion) -> String {
        let figures: String = switch p.kind {
        case .percentOff: "\(Double(p.percentMicros ?? 0) / 10_000) % off"
        case .amountOff: "\(Money(cents: p.amountCents ?? 0)) off each"
        case .fixedPrice: "at \(Money(cents: p.priceCents ?? 0))"
        case .multiBuy: "\(p.quantity ?? 0) for \(Money(cents: p.priceCents ?? 0))"
        case .buyGet: "buy \(p.quantity ?? 0) get \(p.freeQuantity ?? 0) free"
        }
        let target = p.category.map { "category \($0)" } ?? "products \(p.productIds.map(String.init).joined(separator: ","))"
        let stores = p.storeIds.isEmpty ? "every store" : "stores \(p.storeIds.map(String.init).joined(separator: ","))"
        return "\(p.id)\t\(p.name)\t\(figures)\t\(target)\t\(p.startDay.iso)…\(p.endDay.iso)\t\(stores)\(p.active ? "" : "\tENDED")"
    }
}

struct DiscountLimit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discount-limit",
        abstract: "Show or set a store's limits: how far its cashiers and employees may discount (percent), and adjust stock (at retail), without a manager's PIN.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The store (code or id).") var store: String
    @Argument(help: "The discount limit in percent, 0…100.") var percent: Int?
    @Option(name: .customLong("adjustment-limit"), help: "Stock adjustments worth more than this at retail need a manager, e.g. 50.") var adjustmentLimit: String?
    func run() async throws {
        try await reportingErrors {
            let central = try await db.open()
            let location = try await resolveLocation(central, store)
            var policy = try await central.discountPolicy(storeId: location.id)
            if percent != nil || adjustmentLimit != nil {
                if let percent { policy.staffLimitPercent = percent }
                if let adjustmentLimit {
                    guard let amount = try? Money.parse(adjustmentLimit) else { throw CLIFailure("--adjustment-limit: an amount in dollars, e.g. 50") }
                    policy.adjustmentLimit = amount
                }
                try await central.setDiscountPolicy(policy, storeId: location.id)
            }
            let now = try await central.discountPolicy(storeId: location.id)
            print("\(location.code): discounts up to \(now.staffLimitPercent) %, stock adjustments up to \(now.adjustmentLimit) at retail, without a manager")
        }
    }
}
