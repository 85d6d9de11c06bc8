import CaisseAPI
import CaisseCore
import Foundation
import RegisterStore
import ReceiptPrinter
import RegisterUI

/// Carries out what the screens ask (`Effect`) against the register's database
/// and answers with `Message`s. Everything here is local and fast (SQLite on
/// this machine), so effects run synchronously between two keys; only sync
/// talks to the network, and it runs in the background (see the `caisse` TUI loop).
public struct RegisterRuntime: Sendable {
    public let store: RegisterStore
    public let language: Language
    /// Where receipts and Z reports are saved as text files (nil: not saved).
    public let receiptsDirectory: String?

    public init(store: RegisterStore, language: Language, receiptsDirectory: String?) {
        self.store = store
        self.language = language
        self.receiptsDirectory = receiptsDirectory
    }

    /// The TUI's first state: logged out, with the people of this store and the drawer as it was left.
    public func initialState(now: Int64) throws -> AppState {
        let me = try store.identity()
        let settings = try store.syncSettings()
        let drawer = try store.currentCashSession().map { DrawerInfo(openedAt: $0.openedAt, float: $0.float) }
        var state = AppState(
            context: RegisterContext(chainName: me.chainName, store: me.store, registerId: me.registerId, taxRule: me.taxRule,
                                     language: language),
            now: now, users: try store.users(), drawer: drawer,
            sync: SyncInfo(enrolled: settings != nil, online: nil, pending: try store.pendingCount(), lastSuccess: settings?.lastSuccess))
        state.quickKeys = try store.quickKeys()
        state.promotions = try store.promotions()
        state.discountPolicy = try store.discountPolicy()
        state.recoveredCart = try store.currentCart()?.cart
        return state
    }

    /// Keeps the cart on screen in the database as it changes (`saved`: what is
    /// there now), so a restart, a crash or a closed terminal gives it back.
    public func keepCart(_ state: AppState, saved: inout Cart?, now: Int64) {
        let cart = state.cartToKeep
        guard cart != saved else { return }
        do {
            try store.saveCurrentCart(cart, cashierId: state.user?.id ?? 0, at: now)
            saved = cart
        } catch {
            // The sale goes on; only its copy for a restart is missing until the next change.
        }
    }

    /// Runs one effect; `.quit` and `.syncNow` belong to the loop and answer nothing here.
    public func perform(_ effect: Effect, now: Int64) -> [Message] {
        do {
            return try run(effect, now: now)
        } catch where RegisterStore.isCorruption(error) {
            // Never a bare SQLite code: the cashier must stop and call for a replacement.
            return [.failed(.explaining(StoreError.damaged(path: "", detail: "\(error)")))]
        } catch {
            return [.failed(.explaining(error))]
        }
    }

    private func run(_ effect: Effect, now: Int64) throws -> [Message] {
        switch effect {
        case .verifyPin(let userId, let pin):
            return [.pinChecked(userId: userId, result: try store.checkPin(userId: userId, pin: pin, at: now))]
        case .search(let text):
            return [search(text, offset: 0)]
        case .searchPage(let text, let offset):
            return [search(text, offset: offset)]
        case .parkCart(let cart, let cashierId):
            return [.cartParked(waiting: try store.park(cart, cashierId: cashierId, at: now))]
        case .loadParked:
            return [.parkedLoaded(try store.parkedCarts())]
        case .recallCart(let id, let cashierId):
            return [.cartRecalled(try store.recall(parkedId: id, cashierId: cashierId, at: now))]
        case .loadQuickKeys:
            return [.quickKeysLoaded(try store.quickKeys()), .offersLoaded(try store.promotions(), try store.discountPolicy())]
        case .loadTodaysSales:
            let me = try store.identity()
            return [.todaysSales(try store.sales(since: Self.startOfDay(now, timeZone: me.store.timeZone)))]
        case .reprint(let number, _):
            guard let sale = try store.sale(receiptNumber: number) else {
                return [.failed(.noSaleAtThisRegister(number))]
            }
            let copy = language == .fr ? "*** COPIE — DUPLICATA ***" : "*** COPY — DUPLICATE ***"
            let head = try header(cashierId: sale.cashierId, at: sale.createdAt)
            let text = copy + "\n" + Receipt(language: language).render(sale, header: head)
            queuePrint(.sale(sale, head, banner: copy), openDrawer: false, now: now)
            return [.reprinted(receiptNumber: sale.receiptNumber, receipt: lines(text), savedTo: save(text, name: sale.receiptNumber + (language == .fr ? "-copie" : "-copy")))]
        case .lookup(let code):
            return [.lookedUp(code: code, product: try store.product(code: code))]
        case .commitSale(let cart, let payment, let cashierId):
            let sale = try store.recordSale(cart: cart, payment: payment, cashierId: cashierId, at: now)
            var head = try header(cashierId: cashierId, at: sale.createdAt)
            head.pointsBalanceKnown = cart.customerCard == nil ? nil : cart.pointsBalanceKnown
            let text = Receipt(language: language).render(sale, header: head)
            queuePrint(.sale(sale, head, banner: nil), openDrawer: sale.tenders.contains { $0.kind == .cash }, now: now)
            return [.saleCommitted(sale, receipt: lines(text), savedTo: save(text, name: sale.receiptNumber))]
        case .findSale(let number):
            let sale = try store.sale(receiptNumber: number)
            let returned = try sale.map { try store.returnedQuantities(saleId: $0.id) } ?? [:]
            let cash = try sale.map { try store.cashRefunded(saleId: $0.id) } ?? .zero
            return [.saleFound(receiptNumber: number, sale: sale, alreadyReturned: returned, cashRefunded: cash)]
        case .commitReturn(let number, let requested, let kind, let reference, let cashierId, let approvedBy, let atCentral):
            let ret = try store.recordReturn(receiptNumber: number, lines: requested, refundKind: kind, cardReference: reference,
                                             cashierId: cashierId, approvedBy: approvedBy, at: now, atCentral: atCentral)
            let head = try header(cashierId: cashierId, at: ret.createdAt)
            let text = Receipt(language: language).render(ret, header: head)
            queuePrint(.refund(ret, head), openDrawer: ret.tenders.contains { $0.kind == .cash }, now: now)
            return [.returnCommitted(ret, receipt: lines(text), savedTo: save(text, name: ret.receiptNumber))]
        case .openDrawer(let float, let userId):
            let session = try store.openCashSession(float: float, by: userId, at: now)
            queuePrint(.drawerOnly(reason: "float"), openDrawer: true, now: now)
            return [.drawerOpened(DrawerInfo(openedAt: session.openedAt, float: session.float))]
        case .openDrawerNoSale(let userId, let managerId):
            let opening = try store.recordNoSale(by: userId, approvedBy: managerId, at: now)
            queuePrint(.drawerOnly(reason: "no-sale " + opening.id.prefix(8)), openDrawer: true, now: now)
            return [.noSaleRecorded(approvedBy: managerId)]
        case .drawerReport(let userId):
            guard let session = try store.currentCashSession(), let report = try store.cashReport() else {
                return [.failed(.noDrawerIsOpen)]
            }
            let text = CashReportText(language: language).render(report, kind: .x, header: try cashHeader(session, printedBy: userId, at: now))
            return [.drawerReport(lines: text, expectedCash: report.expectedCash)]
        case .closeDrawer(let counted, let userId):
            let (session, report) = try store.closeCashSession(counted: counted, by: userId, at: now)
            let text = CashReportText(language: language).render(report, kind: .z, header: try cashHeader(session, printedBy: userId, at: now),
                                                                  counted: counted)
            let joined = text.joined(separator: "\n") + "\n"
            queuePrint(.report(text, name: "Z-" + session.id.prefix(8)), openDrawer: true, now: now)
            return [.drawerClosed(zReport: text, savedTo: save(joined, name: "Z-" + session.id.prefix(8)))]
        case .loadStock(let filter, let query):
            let rows = try store.stock(filter: filter, matching: query.isEmpty ? nil : query, limit: 2_000)
            return [.stockLoaded(rows, warehouse: try store.warehouseStock(), liveAt: nil)]
        case .loadRestock:
            // One lookup per request: listing the whole stock to name a few requests
            // cost 10,000 rows on a large catalog (and missed products beyond them).
            let requests = try store.restockRequests().map { r in
                let product = try store.product(id: r.productId)
                return RestockLine(request: r, sku: product?.sku ?? "#\(r.productId)", name: product?.name ?? "")
            }
            // Never suggest more than the warehouse holds (as of the last sync): shipping it would fail.
            let warehouse = Dictionary(try store.warehouseStock().map { ($0.productId, $0.onHand) }, uniquingKeysWith: { a, _ in a })
            let suggestions = try store.restockCandidates().compactMap { c -> RestockSuggestion? in
                let available = max(0, warehouse[c.position.productId] ?? 0)
                let suggested = min(c.suggested, available)
                return suggested > 0 ? RestockSuggestion(position: c.position, suggested: suggested) : nil
            }
            return [.restockLoaded(suggestions: suggestions, requests: requests)]
        case .recordAdjustment(let reason, let productId, let quantity, let note, let userId, let approvedBy):
            let a = try store.recordAdjustment(reason: reason, lines: [(productId, quantity)], note: note, by: userId, approvedBy: approvedBy, at: now)
            let line = a.lines[0]
            return [.adjusted(.adjustmentDeclared(reason, quantity: line.quantity, name: line.name, value: a.value))]
        case .loadCount:
            return [.countLoaded(try store.currentCount(), categories: try store.categories())]
        case .startCount(let scope, let userId):
            return [.countLoaded(try store.startCount(scope: scope, by: userId, at: now))]
        case .countItem(let code, let units):
            guard let product = try store.product(code: code) else {
                return [.failed(.noItemForCode(code))]
            }
            return [.countLoaded(try store.count(productId: product.id, units: units, at: now))]
        case .cancelCount:
            try store.cancelCount()
            return [.adjusted(.countCancelledNothingIsPosted)]
        case .confirmCount(let userId, let approvedBy):
            guard let a = try store.confirmCount(by: userId, approvedBy: approvedBy, at: now) else {
                return [.adjusted(.countConfirmedNoDifference)]
            }
            // The net at retail (what the store gained or lost), beside the differences' size (issue 28, item 16).
            let net = a.lines.reduce(Money.zero) { $0 + $1.unitPrice * $1.quantity }
            return [.adjusted(.countConfirmedWithDifferences(a.lines.count, net: net, absolute: a.value))]
        case .loadTransfers:
            let me = try store.identity()
            return [.transfersLoaded(try store.transfers(), stores: try store.locations().filter { $0.sells && $0.id != me.store.id })]
        case .shipTransfer(let id, let units, let userId):
            let t = try store.shipTransfer(id, quantity: units, by: userId, at: now)
            return [.transferDone(.shippedUnitsInTransit(t.shipped ?? 0))]
        case .receiveTransfer(let id, let good, let damaged, let userId):
            let t = try store.receiveTransfer(id, received: good, damaged: damaged, by: userId, at: now)
            return [.transferDone(.transferReceived(good, damaged, t.short))]
        case .newTransfer(let send, let storeId, let productId, let units, let userId):
            if send {
                _ = try store.shipTransfer(to: storeId, productId: productId, quantity: units, by: userId, at: now)
                return [.transferDone(.sentUnitsInTransit(units))]
            }
            _ = try store.requestTransfer(from: storeId, productId: productId, quantity: units, by: userId, at: now)
            return [.transferDone(.requestSentThroughSync)]
        case .loadUnsoldFresh:
            return [.unsoldFreshLoaded(try store.unsoldFresh())]
        case .recordWaste(let lines, let userId, let approvedBy):
            let a = try store.recordAdjustment(reason: .waste, lines: lines.map { ($0.productId, -$0.units) },
                                               note: language == .fr ? "invendus du jour" : "unsold at close", by: userId, approvedBy: approvedBy, at: now)
            let units = -a.lines.reduce(0) { $0 + $1.quantity }
            return [.adjusted(.wasteDeclared(units, value: a.value))]
        case .requestRestock(let chosen, let userId):
            for (productId, quantity) in chosen.sorted(by: { $0.key < $1.key }) {
                _ = try store.requestRestock(productId: productId, quantity: quantity, requestedBy: userId, at: now)
            }
            return [.restockChanged(.restockRequestsSent(chosen.count))]
        case .receiveRestock(let id, let userId):
            let request = try store.receiveRestock(requestId: id, by: userId, at: now)
            return [.restockChanged(.restockReceived(request.quantity))]
        case .exportReport(let response):
            guard let receiptsDirectory else { return [.failed(.noExportFolder)] }
            let folder = URL(fileURLWithPath: receiptsDirectory).deletingLastPathComponent().appendingPathComponent("reports").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // One folder a report, one table a file (issue 29): what a spreadsheet opens.
            let path = folder + "/ventes-\(response.from.iso)-\(response.to.iso)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for (name, text) in ReportCSV.files(response, language: language) {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path).appendingPathComponent(name), options: .atomic)
            }
            return [.reportExported(path: path)]
        case .syncNow, .quit, .refreshStock, .loadReport, .loadDashboard, .loadApprovals, .decideRestock, .loadExceptions, .resolveException,
             .loadPromotions, .createPromotion, .endPromotion:
            return []   // the loop's own, or remote (RemoteRuntime)
        case .findSaleAtCentral(let number):
            return [.saleMissing(receiptNumber: number, offline: true)]   // no central here: this register's sales only
        case .findCustomer(let contact), .createCustomer(let contact):
            return [.customerFound(contact: contact, card: nil, offline: true)]   // no central here: the card is scanned
        case .holdReward:
            return [.rewardHeld(nil, offline: true)]   // no central here: points are held there only
        case .releaseReward:
            return []
        case .loadOrders:
            return [.ordersLoaded(try store.onlineOrders(at: now))]
        case .moveOrder(let id, let action, let userId):
            let moved = try store.moveOrder(id, action, by: userId, at: now)
            return [.ordersLoaded(try store.onlineOrders(at: now)), .orderMoved(number: moved.number, moved.state)]
        case .handOverOrder(let id):
            guard let order = try store.onlineOrders(at: now).first(where: { $0.id == id }) else {
                return [.failed(.unknownOrderAtThisRegister)]
            }
            var cart = Cart()
            for line in order.lines {
                guard let product = try store.product(id: line.productId) else {
                    return [.failed(.itemUnknownHereSyncFirst(line.sku))]
                }
                try cart.add(product, quantity: line.quantity)
            }
            cart.orderId = order.id
            return [.cartRecalled(cart)]
        }
    }

    /// This register's own figures, as a report, when central cannot be reached.
    public func localReport(from: Day, to: Day) throws -> SalesReportResponse {
        let rows = try store.localReportRows(from: from, to: to)
        let me = try store.identity()
        return SalesReportResponse(from: from, to: to, storeNames: [String(me.store.id): me.store.name],
                                   report: SalesReport(documents: rows.documents, products: rows.products))
    }

    private func search(_ text: String, offset: Int) -> Message {
        do {
            let page = try store.searchPage(text, offset: offset, limit: SaleState.resultPage)
            return .searchResults(query: text, products: page.products, total: page.total, offset: page.offset)
        } catch {
            return .failed(.explaining(error))
        }
    }

    /// Midnight of `millis`'s day in the store's time zone.
    static func startOfDay(_ millis: Int64, timeZone identifier: String) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: identifier) ?? .current
        let start = calendar.startOfDay(for: Date(timeIntervalSince1970: Double(millis) / 1000))
        return Int64(start.timeIntervalSince1970 * 1000)
    }

    private func header(cashierId: Int64, at millis: Int64) throws -> Receipt.Header {
        try store.receiptHeader(cashierId: cashierId, at: millis)
    }

    private func cashHeader(_ session: CashSession, printedBy userId: Int64, at millis: Int64) throws -> CashReportText.Header {
        let me = try store.identity()
        func name(_ id: Int64) throws -> String { try store.user(id: id)?.displayName ?? "#\(id)" }
        return CashReportText.Header(chainName: me.chainName, store: me.store, registerId: me.registerId, cashierName: try name(userId),
                                     localTime: RegisterStore.localTime(millis, timeZone: me.store.timeZone),
                                     openedAt: RegisterStore.localTime(session.openedAt, timeZone: me.store.timeZone),
                                     openedBy: try name(session.openedBy), taxRule: me.taxRule)
    }

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).reversed().drop { $0.isEmpty }.reversed()
    }

    /// Saves a receipt as text. The sale is already committed: failing to save
    /// the copy must not undo it, so a failure only loses the file (and says so on screen).
    private func save(_ text: String, name: some StringProtocol) -> String? {
        guard let receiptsDirectory else { return nil }
        let path = receiptsDirectory + "/" + name + ".txt"
        do {
            try FileManager.default.createDirectory(atPath: receiptsDirectory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            return path
        } catch {
            return nil
        }
    }
}
