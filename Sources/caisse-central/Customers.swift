import ArgumentParser
import CaisseAPI
import CaisseCore
import CentralModel
import CentralServer
import Foundation

/// Head office's customers (issue 27): find, open, export, erase, adjust points.
struct Customers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Customers of the chain: find by phone, email, card or name; open an account; export or erase a person's data (Law 25); adjust points.",
        subcommands: [Find.self, Add.self, Show.self, Points.self, Export.self, Erase.self], defaultSubcommand: Find.self)

    static func line(_ c: Customer, balance: Int64? = nil) -> String {
        [String(c.id), c.cardNumber, c.name ?? "-", c.email ?? "-", c.phone ?? "-", c.language,
         c.erasedAt == nil ? (c.loyaltyConsentAt == nil ? "no loyalty consent" : "loyalty") : "ERASED",
         balance.map { "\($0) points" } ?? ""].joined(separator: "\t")
    }

    struct Find: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Customers whose phone, email or card is exactly QUERY, or whose name contains it.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "A phone, an email, a card number or part of a name.") var query: String
        func run() async throws {
            try await reportingErrors {
                let found = try await db.open().customers(matching: query, byName: true, limit: 50)
                if found.isEmpty { print("no customer matches \(query)") }
                for c in found { print(Customers.line(c)) }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a customer account (a phone or an email, and the consents given).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Name (optional).") var name: String?
        @Option(help: "Email.") var email: String?
        @Option(help: "Phone.") var phone: String?
        @Option(help: "fr or en.") var language = "fr"
        @Flag(help: "The customer agreed to earn points.") var loyalty = false
        @Flag(help: "The customer agreed to receive offers.") var marketing = false
        func run() async throws {
            try await reportingErrors {
                let c = try await db.open().createCustomer(CustomerInput(name: name, email: email, phone: phone, language: language,
                                                                         loyaltyConsent: loyalty, marketingConsent: marketing),
                                                           storeId: nil, at: CentralService.now())
                print(Customers.line(c))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A customer with their points ledger.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The customer's id.") var id: Int64
        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                guard let c = try await central.customer(id: id) else { throw CLIFailure("no customer \(id)") }
                let account = try await central.loyaltyAccount(customerId: id)
                print(Customers.line(c, balance: account.balance))
                for e in account.entries {
                    print("  \(e.kind.rawValue)\t\(e.points)\t\(e.reference ?? "")\t\(e.reason ?? "")")
                }
            }
        }
    }

    struct Points: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add (or, negative, take away) points, with the reason.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The customer's id.") var id: Int64
        @Option(help: "Points to add (negative to take away).") var points: Int64
        @Option(help: "Why.") var reason: String
        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                _ = try await central.adjustPoints(customerId: id, PointsAdjustment(points: points, reason: reason), at: CentralService.now())
                print("customer \(id): \(try await central.loyaltyAccount(customerId: id).balance) points")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything central holds about the person, as JSON (recorded with --by).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The customer's id.") var id: Int64
        @Option(help: "Who exports it.") var by: String
        func run() async throws {
            try await reportingErrors {
                let export = try await db.open().exportCustomer(id: id, by: by, at: CentralService.now())
                let encoder = WireJSON.encoder
                encoder.outputFormatting.insert(.prettyPrinted)
                print(String(decoding: try encoder.encode(export), as: UTF8.self))
            }
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase the person: name, email, phone and consents gone; their sales and points stay in the books (recorded with --by).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The customer's id.") var id: Int64
        @Option(help: "Who erases it.") var by: String
        func run() async throws {
            try await reportingErrors {
                let gone = try await db.open().eraseCustomer(id: id, by: by, at: CentralService.now())
                print("customer \(gone.id) erased")
            }
        }
    }
}

/// Head office's loyalty program.
struct Loyalty: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The loyalty program: points per dollar (after discounts, before taxes) and rewards (N points for X $ off).")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Points per dollar (0 to 100).") var pointsPerDollar: Int64?
    @Option(help: "A reward as POINTS:DOLLARS, e.g. 500:5 (repeat for several).") var reward: [String] = []
    @Option(help: "With --points-per-dollar: points expire this many days after they are earned (1 to 3650; none when left out).")
    var expiryDays: Int?
    @Flag(help: "Expire now the points past the program's expiry (the server does it every hour).") var expire = false
    func run() async throws {
        try await reportingErrors {
            let central = try await db.open()
            if expire {
                let touched = try await central.expirePoints(at: Int64(Date().timeIntervalSince1970 * 1000))
                print("points expired for \(touched) customer(s)")
                return
            }
            if expiryDays != nil, pointsPerDollar == nil { throw CLIFailure("--expiry-days goes with --points-per-dollar") }
            if let pointsPerDollar {
                let rewards = try reward.map { text -> LoyaltyReward in
                    let parts = text.split(separator: ":")
                    guard parts.count == 2, let points = Int64(parts[0]), let value = try? Money.parse(String(parts[1])) else {
                        throw CLIFailure("--reward: POINTS:DOLLARS, e.g. 500:5")
                    }
                    return LoyaltyReward(points: points, value: value)
                }
                try await central.setLoyaltyProgram(LoyaltyProgram(pointsPerDollar: pointsPerDollar, rewards: rewards, expiryDays: expiryDays))
            }
            let p = try await central.loyaltyProgram()
            print("\(p.pointsPerDollar) points per dollar; rewards: " + (p.rewards.isEmpty ? "none" : p.rewards.map { "\($0.points) points = \($0.value)" }.joined(separator: ", "))
                  + "; " + (p.expiryDays.map { "points expire after \($0) days" } ?? "points never expire"))
        }
    }
}

/// Head office's view of the orders for pickup (issue 27): a store's orders, one order, and
/// cancelling one for a customer who called (its reservation is released at once).
struct Orders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Orders for pickup: a store's open orders (or all), one order with its lines, cancel one (its stock is free again).",
        subcommands: [List.self, Show.self, Cancel.self], defaultSubcommand: List.self)

    /// The order's line, its store named by code.
    static func show(_ o: OnlineOrder, _ central: any CentralStore, now: Int64) async throws {
        let code = try await central.locations().first { $0.id == o.storeId }?.code ?? "#\(o.storeId)"
        print(line(o, code: code, now: now))
    }

    static func line(_ o: OnlineOrder, code: String, now: Int64) -> String {
        let minutes = max(0, now.subtracting(saturating: o.createdAt) / 60_000)
        let age = minutes < 60 ? "\(minutes) min" : minutes < 2_880 ? "\(minutes / 60) h" : "\(minutes / 1_440) d"
        return [o.number, o.id, code, o.state.rawValue, o.total.formatted(.en), "placed \(age) ago", "customer \(o.customerId)"]
            .joined(separator: "\t")
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A store's orders: those waiting (placed, preparing, ready), or all with --all.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The store (code or id).") var store: String
        @Flag(help: "Picked up, cancelled and expired orders too.") var all = false
        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                let location = try await resolveLocation(central, store)
                let now = CentralService.now()
                let orders = try await central.orders(storeId: location.id, openOnly: !all, at: now)
                if orders.isEmpty { print(all ? "no order at \(location.code)" : "no order waiting at \(location.code)") }
                for o in orders { print(Orders.line(o, code: location.code, now: now)) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An order with its lines.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The order's id.") var id: String
        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                let now = CentralService.now()
                guard let o = try await central.order(id: id, at: now) else { throw CLIFailure("no order \(id)") }
                try await Orders.show(o, central, now: now)
                for l in o.lines { print("  \(l.sku)\t\(l.name)\t\(l.quantity) × \(l.unitPrice.formatted(.en))") }
                if let sale = o.saleId { print("picked up by sale \(sale)") }
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an order not picked up (the customer called): its stock is free again.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The order's id.") var id: String
        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                let now = CentralService.now()
                let o = try await central.transitionOrder(id: id, action: .cancel, storeId: nil, customerId: nil, saleId: nil, at: now)
                try await Orders.show(o, central, now: now)
            }
        }
    }
}
