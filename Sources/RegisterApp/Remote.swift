import CaisseAPI
import CaisseCore
import Foundation
import RegisterStore
import RegisterUI
import Sync

/// The effects that need central: live stock with the register's token, and
/// the manager's screens with the person's own session, opened at login with
/// the PIN they typed (central checks the role again on every call).
public actor RemoteRuntime {
    let store: RegisterStore
    let local: RegisterRuntime
    let language: Language
    private var sessions: [Int64: String] = [:]
    /// Logins under way: a manager's first screen waits for the session instead of racing it.
    private var logins: [Int64: Task<Void, Never>] = [:]

    public init(store: RegisterStore, local: RegisterRuntime) {
        self.store = store
        self.local = local
        self.language = local.language
    }

    private func client(token: String) throws -> SyncClient? {
        guard let settings = try store.syncSettings() else { return nil }
        return SyncClient(baseURL: settings.centralURL, token: token)
    }

    private var registerClient: SyncClient? {
        get throws { try store.syncSettings().flatMap { try client(token: $0.token) } }
    }

    /// Opens the person's session at central (best effort: offline, the till works without it).
    public func login(userId: Int64, pin: String) async {
        guard let user = try? store.user(id: userId), user.role.allows(.manager), let http = try? registerClient else { return }
        let task = Task { [weak self] in
            // With the register's token: central opens a store user's session only from a register of their store.
            guard let response = try? await http.login(username: user.username, pin: pin) else { return }
            await self?.opened(userId: userId, token: response.token)
        }
        logins[userId] = task
        await task.value
    }

    private func opened(userId: Int64, token: String) { sessions[userId] = token }

    public func forget(userId: Int64) { sessions[userId] = nil }

    private func userClient(_ userId: Int64) async throws -> SyncClient {
        await logins[userId]?.value
        guard let token = sessions[userId], let client = try client(token: token) else {
            throw SyncError(language == .fr ? "pas de session au central (connexion hors ligne) : reconnectez-vous en ligne"
                                            : "no session at central (logged in offline): log in again while online", transient: false)
        }
        return client
    }

    public func perform(_ effect: Effect, now: Int64) async -> [Message] {
        do {
            switch effect {
            case .refreshStock:
                guard let http = try registerClient else { return [] }
                let me = try store.identity()
                // Read before central's answer: an event pushed meanwhile is counted twice at worst, never lost.
                let unsent = try store.unsentMovements()
                async let storeStock = http.storeStock(me.store.id)
                async let warehouse = http.centralStock()
                let (s, w) = try await (storeStock, warehouse)
                // Central's figures plus what this till did that central has not heard of yet, with the
                // catalog's categories so that words typed match as they do in the till's own listing.
                var rows = s.lines.map { $0.position(at: me.store.id) }
                let categories = try store.categories(of: rows.map(\.productId))
                for i in rows.indices {
                    rows[i].onHand = rows[i].onHand.adding(saturating: unsent[rows[i].productId] ?? 0)
                    rows[i].category = categories[rows[i].productId]
                }
                return [.stockLoaded(rows, warehouse: w.lines.map { $0.position(at: w.location.id) }, liveAt: now)]
            case .loadReport(let from, let to, let userId):
                do {
                    return [.reportLoaded(try await userClient(userId).salesReport(from: from, to: to), live: true)]
                } catch {
                    // Offline (or no session): this register's own figures, clearly marked as such.
                    return [.reportLoaded(try local.localReport(from: from, to: to), live: false)]
                }
            case .findCustomer(let contact):
                guard let http = try registerClient else { return [.customerFound(contact: contact, card: nil, offline: true)] }
                do {
                    let found = try await http.customers(matching: contact.contains("@") ? contact : contact.filter { $0.isASCII && $0.isNumber })
                    return [.customerFound(contact: contact, card: found.first?.cardNumber, offline: false)]
                } catch let error as SyncError where error.transient {
                    return [.customerFound(contact: contact, card: nil, offline: true)]
                } catch let error as SyncError where error.status == 400 || error.status == 422 {
                    return [.failed(.aPhoneOrAnEmailPlease)]
                }
            case .createCustomer(let contact):
                guard let http = try registerClient else { return [.customerFound(contact: contact, card: nil, offline: true)] }
                let input = contact.contains("@")
                    ? CustomerInput(email: contact, language: language == .en ? "en" : "fr", loyaltyConsent: true)
                    : CustomerInput(phone: contact, language: language == .en ? "en" : "fr", loyaltyConsent: true)
                if input.problem != nil {
                    return [.failed(.aPhoneOrAnEmailPlease)]
                }
                do {
                    return [.customerCreated(card: try await http.createCustomer(input).cardNumber)]
                } catch let error as SyncError where error.transient {
                    return [.customerFound(contact: contact, card: nil, offline: true)]
                } catch let error as SyncError where error.status == 409 {
                    return [.failed(.thisEmailAlreadyHasAnAccount)]
                }
            case .holdReward(let card):
                guard let http = try registerClient else { return [.rewardHeld(nil, offline: true)] }
                do {
                    // The most valuable reward the balance buys: central refuses (409) those it does not.
                    let rewards = try await http.loyaltyProgram().rewards.enumerated().sorted { $0.element.value > $1.element.value }
                    for (index, _) in rewards {
                        do { return [.rewardHeld(try await http.holdReward(cardNumber: card, reward: index), offline: false)] }
                        catch let error as SyncError where error.status == 409 { continue }
                    }
                    return [.rewardHeld(nil, offline: false)]
                } catch let error as SyncError where error.transient {
                    return [.rewardHeld(nil, offline: true)]
                }
            case .releaseReward(let holdId):
                // Best effort: a hold never released stays held, and head office sees it in the customer's ledger.
                if let http = try registerClient { try? await http.releaseReward(holdId: holdId) }
                return []
            case .findSaleAtCentral(let number):
                // With the register's token: a till may return any sale of the chain (issue 24).
                guard let http = try registerClient else { return [.saleMissing(receiptNumber: number, offline: true)] }
                let found: SaleForReturn?
                do { found = try await http.saleForReturn(receiptNumber: number) } catch let error as SyncError where error.transient {
                    return [.saleMissing(receiptNumber: number, offline: true)]
                }
                guard let found else { return [.saleMissing(receiptNumber: number, offline: false)] }
                // This till's own returns of that sale (pushed or not) count with the other registers'.
                let returned = try store.returnedQuantities(saleId: found.sale.id).merging(found.returnedByLine, uniquingKeysWith: +)
                let cash = try store.cashRefunded(saleId: found.sale.id) + found.cashRefundedElsewhere
                return [.saleFound(receiptNumber: found.sale.receiptNumber, sale: found.sale, alreadyReturned: returned, cashRefunded: cash,
                                   atCentral: found)]
            case .loadDashboard(let userId):
                return [.dashboardLoaded(try await userClient(userId).dashboard(), at: now)]
            case .loadApprovals(let userId):
                let client = try await userClient(userId)
                async let requested = client.restockRequests(state: .requested)
                async let approved = client.restockRequests(state: .approved)
                let all = try await requested + approved
                let codes = Dictionary(try store.locations().map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
                return [.approvalsLoaded(try all.sorted { $0.createdAt < $1.createdAt }.map { r in
                    let p = try store.product(id: r.productId)
                    return RestockLine(request: r, sku: p?.sku ?? "#\(r.productId)", name: p?.name ?? "", storeCode: codes[r.storeId])
                })]
            case .loadPromotions(let userId):
                return [.promotionsLoaded(try await userClient(userId).promotions())]
            case .createPromotion(var input, let skus, let userId):
                var ids: [Int64] = []
                for sku in skus {
                    guard let p = try store.product(code: sku) else {
                        return [.failed(.noItemWithSku(sku))]
                    }
                    ids.append(p.id)
                }
                if !skus.isEmpty { input.productIds = ids }
                let created = try await userClient(userId).createPromotion(input)
                return [.approvalDone(.promotionCreated(created.id))]
            case .endPromotion(let p, let userId):
                var input = PromotionInput(p)
                input.active = false
                _ = try await userClient(userId).updatePromotion(p.id, input)
                return [.approvalDone(.promotionEnded(p.id))]
            case .loadExceptions(let userId):
                return [.exceptionsLoaded(try await userClient(userId).exceptions())]
            case .resolveException(let id, let note, let decision, let userId):
                do {
                    _ = try await userClient(userId).resolveException(id, note: note, decision: decision)
                } catch let error as SyncError where error.status == 409 && decision != nil {
                    return [.failed(.eventStillCannotApply)]
                }
                let done: Word
                switch decision {
                case .apply?, .correct?: done = .eventApplied(id)
                case .void?: done = .eventVoided(id)
                case nil: done = .exceptionResolved(id)
                }
                return [.approvalDone(done)]
            case .decideRestock(let id, let action, let userId):
                do {
                    let r = try await userClient(userId).restock(id, action)
                    return [.approvalDone(.restockRequestMoved(String(id.prefix(8)), to: r.state))]
                } catch let error as SyncError where error.code == "insufficient_stock" {
                    return [.failed(.warehouseTooShortToShip)]
                } catch let error as SyncError where error.code == "invalid_transition" {
                    return [.failed(.requestAlreadyMoved),
                            .approvalDone(nil)]
                }
            default:
                return local.perform(effect, now: now)
            }
        } catch let error as SyncError where error.transient {
            // Not NIO's words in English on a French screen (issue 28, item 5): what failed and what happens next.
            return [.failed(.centralUnreachableShownAsLastSynced)]
        } catch {
            return [.failed(.explaining(error))]
        }
    }
}

extension StockLine {
    func position(at locationId: Int64) -> StockPosition {
        StockPosition(locationId: locationId, productId: productId, sku: sku, name: name, onHand: onHand,
                      reorderPoint: reorderPoint, overstockThreshold: overstockThreshold)
    }
}
