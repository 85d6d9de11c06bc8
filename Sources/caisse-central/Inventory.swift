import ArgumentParser
import CaisseAPI
import CaisseCore
import CentralModel
import CentralServer
import Foundation

/// Head office's side of issue 17: transfers between stores, and the warehouse's own
/// adjustments and counts (a store's stock is its tills' journal: they adjust and count it).
struct Transfers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Transfers between stores: ask a store to send goods to another, list them with what is in transit, cancel a request.",
        discussion: """
            The stores' tills ship and receive (caisse transfer ship|receive), offline too; central records \
            what arrived short or damaged and reports it as a loss of the receiving store.
            """,
        subcommands: [List.self, Request.self, Cancel.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Transfers, with the units in transit per store.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Only from or to this store (code or id).") var store: String?
        @Option(help: "Only this state: requested, shipped, received or cancelled.") var state: String?
        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                var storeId: Int64?
                if let store { storeId = try await resolveLocation(central, store).id }
                let state = try state.map { raw -> TransferState in
                    guard let s = TransferState(rawValue: raw) else {
                        throw CLIFailure("unknown state '\(raw)' (\(TransferState.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    return s
                }
                let codes = Dictionary(try await central.locations().map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
                let transfers = try await central.transfers(TransferQuery(storeId: storeId, state: state))
                for t in transfers {
                    var line = "\(t.id)\t\(codes[t.fromStoreId] ?? "?") → \(codes[t.toStoreId] ?? "?")\tproduct \(t.productId)\t\(t.state.rawValue)"
                    line += "\trequested \(t.requested)"
                    if let s = t.shipped { line += ", shipped \(s)" }
                    if t.state == .received { line += ", received \(t.received ?? 0), damaged \(t.damaged ?? 0), short \(t.short)" }
                    print(line)
                }
                var inTransit: [Int64: Int] = [:]
                for t in transfers where t.inTransit > 0 { inTransit[t.toStoreId, default: 0] += t.inTransit }
                print("in transit: " + (inTransit.isEmpty ? "none"
                    : inTransit.sorted { $0.key < $1.key }.map { "\($0.value) unit(s) to \(codes[$0.key] ?? "?")" }.joined(separator: ", ")))
            }
        }
    }

    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask a store to send units of a product to another store.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The store sending (code or id).") var from: String
        @Option(help: "The store receiving (code or id).") var to: String
        @Option(help: "The product's SKU.") var sku: String
        @Option(help: "Units, 1 to 9999.") var quantity: Int
        @Option(help: "Why (at most 200 characters).") var note: String?
        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                guard let product = try await central.product(sku: sku) else { throw CLIFailure("unknown product '\(sku)'") }
                let t = try await central.createTransfer(id: UUID().uuidString.lowercased(), from: try await resolveLocation(central, from).id,
                                                         to: try await resolveLocation(central, to).id, productId: product.id,
                                                         quantity: quantity, note: note, at: CentralService.now())
                print("\(t.id) requested: \(from.uppercased()) sends \(quantity) × \(product.sku) to \(to.uppercased())")
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a request that has not been shipped.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The transfer's id.") var id: String
        func run() async throws {
            try await reportingErrors {
                let central = try await db.open()
                // The first characters of the id, as `transfer list` and the tills show it.
                let matches = try await central.transfers(TransferQuery()).filter { $0.id.hasPrefix(id.lowercased()) }
                guard matches.count == 1, let match = matches.first else {
                    throw CLIFailure(matches.isEmpty ? "unknown transfer \(id)" : "\(id) names several transfers: give more of the id")
                }
                let t = try await central.cancelTransfer(id: match.id, at: CentralService.now())
                print("\(t.id) is now \(t.state.rawValue)")
            }
        }
    }
}

struct WarehouseAdjust: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Declare waste, breakage, theft, goods found or a correction of the warehouse's stock.",
        discussion: """
            Items are SKU:UNITS, read as `caisse adjust` reads them: for waste, breakage and theft the units \
            that left (CAF-0001:2), for found the units that turned up, a correction signed (+3, -2). Kept in \
            the stock ledger and in the losses that the report and the dashboard show.
            """)
    @OptionGroup var db: DatabaseOptions
    @Option(help: "waste, breakage, theft, found or correction.") var reason: String
    @Argument(help: "SKU:UNITS.") var items: [String] = []
    @Option(help: "What happened (at most 200 characters).") var note: String?
    @Option(help: "Username of the head-office person making it.") var by = "admin"

    func run() async throws {
        try await reportingErrors {
            guard let reason = AdjustmentReason(rawValue: reason), reason.isDeclarable else {
                throw CLIFailure("--reason: one of \(AdjustmentReason.declarable.map(\.rawValue).joined(separator: ", "))")
            }
            guard !items.isEmpty else { throw CLIFailure("no item to adjust: give SKU:UNITS") }
            let central = try await db.open()
            var lines: [WarehouseAdjustmentRequest.Line] = []
            for item in items {
                let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, let product = try await central.product(sku: parts[0]) else {
                    throw CLIFailure("'\(item)' is not SKU:UNITS of a known product")
                }
                guard let units = reason.quantity(typed: parts[1]) else {
                    throw CLIFailure(reason == .correction ? "'\(item)': a correction is signed, +UNITS or -UNITS" : "'\(item)': give the units, unsigned")
                }
                lines.append(.init(productId: product.id, quantity: units))
            }
            let user = try await headOfficeUser(central, by)
            let a = try await central.adjustWarehouse(WarehouseAdjustmentRequest(reason: reason, lines: lines, note: note, by: user), at: CentralService.now())
            print("adjustment \(a.id.prefix(8)) (\(reason.rawValue)) at the warehouse: \(a.lines.count) line(s), \(a.value) at retail")
        }
    }
}

struct WarehouseCount: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "count",
        abstract: "Count products at the warehouse: each SKU=UNITS counted against central's book; differences are posted as one correction.",
        discussion: """
            caisse-central count CAF-0001=40 THE-0002=12 [--dry-run]
            Prints book, counted and difference for each product; --dry-run posts nothing.
            """)
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "SKU=UNITS counted.") var items: [String] = []
    @Flag(help: "Show the differences without posting them.") var dryRun = false
    @Option(help: "Username of the head-office person counting.") var by = "admin"

    func run() async throws {
        try await reportingErrors {
            guard !items.isEmpty else { throw CLIFailure("nothing counted: give SKU=UNITS") }
            let central = try await db.open()
            guard let warehouse = try await central.locations().first(where: { $0.kind == .warehouse }) else {
                throw CLIFailure("the chain has no warehouse")
            }
            let book = Dictionary(try await central.stock(locationId: warehouse.id).map { ($0.productId, $0.onHand) }, uniquingKeysWith: { a, _ in a })
            var lines: [WarehouseAdjustmentRequest.Line] = []
            for item in items {
                let parts = item.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, let counted = Int(parts[1]), (0...Quantity.maximumPerLine).contains(counted) else {
                    throw CLIFailure("'\(item)' is not a count: SKU=UNITS, 0 to \(Quantity.maximumPerLine)")
                }
                guard let product = try await central.product(sku: parts[0]) else { throw CLIFailure("unknown product '\(parts[0])'") }
                let onBook = book[product.id] ?? 0
                print("\(product.sku)\tbook \(onBook)\tcounted \(counted)\tdifference \(counted - onBook)")
                if counted != onBook { lines.append(.init(productId: product.id, quantity: counted - onBook)) }
            }
            guard !lines.isEmpty else { print("the warehouse matches its books"); return }
            guard !dryRun else { print("dry run: nothing posted"); return }
            let user = try await headOfficeUser(central, by)
            let a = try await central.adjustWarehouse(WarehouseAdjustmentRequest(reason: .correction, lines: lines, note: "count", by: user),
                                                      at: CentralService.now())
            print("count posted: \(a.lines.count) correction(s), \(a.value) at retail")
        }
    }
}

/// The head-office person making a warehouse adjustment: an active manager or admin.
private func headOfficeUser(_ central: any CentralStore, _ username: String) async throws -> Int64 {
    guard let user = try await central.users(storeId: nil).first(where: { $0.username == username }), user.active, user.role.allows(.manager) else {
        throw CLIFailure("\(username) is not an active manager or admin")
    }
    return user.id
}

struct RebuildAggregates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild-aggregates",
        abstract: "Recompute the per-day totals the reports read from the ledger (documents, lines, taxes, discounts).",
        discussion: """
            Ingest keeps them up to date in the transaction that records each batch; this rebuilds them, for \
            instance after restoring documents by hand. --check says whether what ingest kept differs from the \
            rebuild (exit status 1 if it does) and rebuilds.
            """)
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "Compare what ingest kept with the rebuild and report the tables that differ.") var check = false

    func run() async throws {
        try await reportingErrors {
            let central = try await db.open()
            let before = check ? try await central.aggregateDump() : [:]
            let started = Date()
            try await central.rebuildAggregates()
            let after = try await central.aggregateDump()
            print("rebuilt \(after.values.reduce(0) { $0 + $1.count }) aggregate rows in \(Int(Date().timeIntervalSince(started) * 1000)) ms")
            guard check else { return }
            let differing = AggregateSQL.tables.filter { before[$0] != after[$0] }
            if differing.isEmpty {
                print("what ingest kept equals the rebuild")
            } else {
                print("differed from the rebuild: \(differing.joined(separator: ", "))")
                throw ExitCode(1)
            }
        }
    }
}
