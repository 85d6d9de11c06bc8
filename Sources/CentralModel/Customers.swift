import CaisseAPI
import CaisseCore

/// Customers and their points (issue 27): the repository each dialect implements with its SQL,
/// one per resource (issue 25), and the rules written once beside it.
public protocol CustomerRepository: Sendable {
    /// A new customer; the card number is made from the id central gives.
    func createCustomer(_ input: CustomerInput, storeId: Int64?, at time: Int64) async throws -> Customer
    /// Customers whose phone, email or card is exactly `query`; with `byName`, also whose name contains it.
    func customers(matching query: String, byName: Bool, limit: Int) async throws -> [Customer]
    func customer(id: Int64) async throws -> Customer?
    func loyaltyProgram() async throws -> LoyaltyProgram
    func setLoyaltyProgram(_ program: LoyaltyProgram) async throws
    func loyaltyAccount(customerId: Int64) async throws -> LoyaltyAccount
    /// Head office's correction of a balance, with its reason (never below zero).
    func adjustPoints(customerId: Int64, _ adjustment: PointsAdjustment, at time: Int64) async throws -> LoyaltyEntry
    /// Points set aside for a reward; refused when the balance is short. Two tills asking for
    /// the same points at once take turns: one wins, the other is told the balance.
    func holdPoints(_ request: LoyaltyHoldRequest, id: String, at time: Int64) async throws -> LoyaltyHold
    /// A hold redeemed (the sale was made) or released (it was not): once.
    func settleHold(id: String, redeemed: Bool, at time: Int64) async throws -> LoyaltyEntry
    /// Everything central holds about the person, and a record that it was exported (who, when).
    func exportCustomer(id: Int64, by: String, at time: Int64) async throws -> CustomerExport
    /// The person's fields gone, their points and sales kept, and a record that it was done.
    func eraseCustomer(id: Int64, by: String, at time: Int64) async throws -> Customer
    /// Customers with a positive balance and points credited before `cutoff`: those whose
    /// points may expire (a filter; `LoyaltyExpiry.due` decides).
    func customersWithPointsCredited(before cutoff: Int64) async throws -> [Int64]
    /// In one short transaction under the customer's lock (the one a hold takes): their ledger
    /// through `LoyaltyExpiry.due`, and the `expired` entry when something is due. Whether it was.
    func expirePoints(customerId: Int64, cutoff: Int64, at time: Int64) async throws -> Bool
}

/// The rules of customers and points, the same in both dialects.
public enum CustomerRules {
    public static func new(_ input: CustomerInput, id: Int64, storeId: Int64?, at time: Int64) throws -> Customer {
        let clean: CustomerInput
        do { clean = try input.validated() } catch { throw CentralError(.invalid, error.message) }
        guard let card = LoyaltyCard.number(forCustomer: id) else { throw CentralError(.conflict, "no card number left for customer \(id)") }
        return Customer(id: id, cardNumber: card, name: clean.name, email: clean.email, phone: clean.phone, language: clean.language,
                        loyaltyConsentAt: clean.loyaltyConsent ? time : nil, marketingConsentAt: clean.marketingConsent ? time : nil,
                        createdAt: time, storeId: storeId)
    }

    /// What a search looks for: a card, a phone (its digits) or an email (lower case).
    public static func searchKey(_ query: String) throws -> String {
        let q = query.trimmingCharacters(in: .whitespaces)
        guard (3...254).contains(q.count), DocumentCheck.isCleanText(q, maxLength: 254) else {
            throw CentralError(.invalid, "q: 3 to 254 printable characters (a phone, an email or a card)")
        }
        if q.contains("@") { return q.lowercased() }
        let digits = q.filter { $0.isASCII && $0.isNumber }
        return digits.count >= 7 && digits.count * 2 >= q.count ? digits : q
    }

    public static func erased(_ customer: Customer, at time: Int64) throws -> Customer {
        guard customer.erasedAt == nil else { throw CentralError(.conflict, "customer \(customer.id) was already erased") }
        var gone = customer
        gone.name = nil
        gone.email = nil
        gone.phone = nil
        gone.loyaltyConsentAt = nil
        gone.marketingConsentAt = nil
        gone.erasedAt = time
        return gone
    }

    /// A hold of `request.reward` against a balance read under the customer's lock.
    public static func hold(_ request: LoyaltyHoldRequest, id: String, customer: Customer?, balance: Int64,
                            program: LoyaltyProgram) throws -> LoyaltyHold {
        guard let customer, customer.erasedAt == nil, customer.loyaltyConsentAt != nil else {
            throw CentralError(.notFound, "no loyalty account for card \(request.cardNumber)")
        }
        guard program.rewards.indices.contains(request.reward) else {
            throw CentralError(.invalid, "reward: 0 to \(program.rewards.count - 1) (the program's rewards)")
        }
        let reward = program.rewards[request.reward]
        guard balance >= reward.points else {
            throw CentralError(.conflict, "the balance is \(balance) points; this reward needs \(reward.points)")
        }
        return LoyaltyHold(id: id, customerId: customer.id, points: reward.points, value: reward.value, balanceAfter: balance.adding(saturating: -reward.points))
    }

    public static func adjustment(_ a: PointsAdjustment, balance: Int64) throws {
        // A range, not abs(): abs(Int64.min) from a request traps (issue 24's audit found it: head office could stop central).
        guard a.points != 0, (-10_000_000...10_000_000).contains(a.points) else { throw CentralError(.invalid, "points: a change of 1 to 10,000,000, up or down") }
        let reason = a.reason.trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty, DocumentCheck.isCleanText(reason, maxLength: 200) else {
            throw CentralError(.invalid, "reason: 1 to 200 printable characters saying why")
        }
        guard balance.adding(saturating: a.points) >= 0 else { throw CentralError(.conflict, "the balance is \(balance) points: it cannot go below zero") }
    }

    public static func settle(_ hold: LoyaltyEntry?, id: String, redeemed: Bool) throws -> LoyaltyEntry {
        guard let hold else { throw CentralError(.notFound, "no hold \(id)") }
        guard hold.kind == .held else { throw CentralError(.conflict, "hold \(id) is already \(hold.kind.rawValue)") }
        var settled = hold
        settled.kind = redeemed ? .redeemed : .released
        if !redeemed {
            settled.reason = "released: \(-hold.points) points back"
            settled.points = 0
        }
        return settled
    }
}

/// A line of the points ledger as ingest finds it, before a store writes it.
public struct LoyaltyDraft: Hashable, Sendable {
    public var customerId: Int64
    public var kind: LoyaltyEntry.Kind
    public var points: Int64
    public var reference: String
    public var createdAt: Int64
}

extension IngestPlan {
    /// Points earned by the batch's sales with a card, and taken back by its returns of such
    /// sales (issue 27): from central's program and the sale's own subtotal, never the till's
    /// figure. A card central does not know (or of an erased customer, or without consent)
    /// earns nothing and is flagged; the sale itself is kept.
    mutating func creditLoyalty(_ facts: IngestFacts, storeId: Int64) {
        let out = Set(quarantined.map(\.sequence))
        var earned = facts.earnedBySale
        var redeeming: Set<String> = []
        for item in judged where !out.contains(item.sequence) {
            if let sale = item.effects.sale, let holdId = sale.loyaltyHoldId {
                // The reward's points are spent with the sale itself, once (issue 27).
                if let problem = facts.rewardProblem(sale) ?? (redeeming.contains(holdId) ? "names hold \(holdId), redeemed by another sale of this batch" : nil) {
                    exceptions.append(ExceptionDraft(kind: .rewardWithoutHold, storeId: storeId, registerId: registerId, sequence: item.sequence,
                                                     reference: sale.id, detail: "sale \(sale.receiptNumber) \(problem)"))
                } else if let hold = facts.holds[holdId], var settled = try? CustomerRules.settle(hold, id: holdId, redeemed: true) {
                    settled.reason = "redeemed by sale \(sale.receiptNumber)"
                    redeemedHolds.append(settled)
                    redeeming.insert(holdId)
                }
            }
            if let sale = item.effects.sale, let card = sale.customerCard {
                guard let id = LoyaltyCard.customerId(of: card), facts.customersEarning.contains(id) else {
                    exceptions.append(ExceptionDraft(kind: .unknownLoyaltyCard, storeId: storeId, registerId: registerId, sequence: item.sequence,
                                                     reference: sale.id, detail: "sale \(sale.receiptNumber): no customer earns points with this card"))
                    continue
                }
                let points = facts.loyaltyProgram.points(forNet: sale.subtotal)
                guard points > 0 else { continue }
                loyalty.append(LoyaltyDraft(customerId: id, kind: .earned, points: points, reference: sale.id, createdAt: sale.createdAt))
                earned[sale.id] = LoyaltyEarned(customerId: id, points: points)
            }
            if let ret = item.effects.saleReturn, let credit = earned[ret.originalSaleId] {
                let points = min(credit.points, facts.loyaltyProgram.points(forNet: ret.subtotal))
                guard points > 0 else { continue }
                loyalty.append(LoyaltyDraft(customerId: credit.customerId, kind: .reversed, points: -points, reference: ret.id, createdAt: ret.createdAt))
            }
        }
        exceptions.sort { $0.sequence < $1.sequence }
    }
}

/// What a sale earned, for the returns of it.
public struct LoyaltyEarned: Hashable, Sendable {
    public var customerId: Int64
    public var points: Int64
    public init(customerId: Int64, points: Int64) {
        self.customerId = customerId
        self.points = points
    }
}

extension CustomerRepository {
    /// Points earned more than the program's expiry days before `time` and not spent since
    /// expire, one customer at a time (a transaction each: a chain's customers never hold the
    /// writer or many locks at once); the customers touched. Nothing when the program has no
    /// expiry. Safe to run on every instance at once.
    public func expirePoints(at time: Int64) async throws -> Int {
        guard let cutoff = LoyaltyExpiry.cutoff(try await loyaltyProgram(), at: time) else { return 0 }
        var touched = 0
        for id in try await customersWithPointsCredited(before: cutoff) where try await expirePoints(customerId: id, cutoff: cutoff, at: time) {
            touched += 1
        }
        return touched
    }
}

/// Points that expire (issue 27): the program's `expiryDays` after they were earned, spent
/// oldest first. A customer's points earned (or added by head office) before the cutoff, less
/// everything that left the balance since the first (spent, held, taken back by a return,
/// expired before, removed by head office), is what is still unspent of them: it expires.
/// Never more than the balance, never negative; once expired, it is a debit like the others,
/// so running it again expires nothing more.
public enum LoyaltyExpiry {
    public static func cutoff(_ program: LoyaltyProgram, at time: Int64) -> Int64? {
        guard let days = program.expiryDays, days > 0 else { return nil }
        return time.adding(saturating: -Int64(days) * 86_400_000)
    }

    public static func due(_ entries: [LoyaltyEntry], cutoff: Int64) -> Int64 {
        let aged = entries.filter { $0.points > 0 && $0.createdAt < cutoff }.reduce(Int64(0)) { $0.adding(saturating: $1.points) }
        let spent = entries.filter { $0.points < 0 }.reduce(Int64(0)) { $0.adding(saturating: -$1.points) }
        let balance = entries.reduce(Int64(0)) { $0.adding(saturating: $1.points) }
        return max(0, min(aged.adding(saturating: -spent), balance))
    }

    /// The ledger's words for it.
    public static func reason(cutoff: Int64) -> String {
        "earned before \(Day(epochMillis: cutoff, utcOffsetSeconds: 0).iso) and not spent"
    }
}
