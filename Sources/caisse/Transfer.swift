import ArgumentParser
import CaisseCore
import Foundation
import RegisterStore

struct Transfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Goods between this store and another: ask, send, ship a request, receive, list.",
        discussion: """
            caisse transfer request --from NORD CODE:UNITS   ask another store for goods
            caisse transfer send --to NORD CODE:UNITS        send goods to another store (they leave the stock now)
            caisse transfer ship ID [--units N]              ship a request another store made of this one
            caisse transfer receive ID --received N [--damaged N]
                                                             take delivery: good units on the shelf, damaged ones
                                                             apart; the rest of what was shipped is short
            caisse transfer list                             this store's transfers, and the units in transit
            Each step is journaled like a sale and synced to central, offline too. Made by an employee or a \
            manager (--by, PIN from $CAISSE_PIN or standard input). ID: the first characters of the transfer's id.
            """,
        subcommands: [List.self, Request.self, Send.self, Ship.self, Receive.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "This store's transfers, open ones first, with the units in transit.")
        @OptionGroup var options: RegisterOptions
        func run() throws {
            try reportingErrors {
                let store = try options.openStore()
                let fr = options.language == .fr
                let views = try store.transfers()
                if views.isEmpty { print(fr ? "Aucun transfert." : "No transfer."); return }
                for v in views {
                    let t = v.transfer
                    let way = v.outgoing ? (fr ? "→ " : "→ ") + v.otherStore : (fr ? "← " : "← ") + v.otherStore
                    var figures = (fr ? "demandé " : "requested ") + String(t.requested)
                    if let s = t.shipped { figures += (fr ? ", expédié " : ", shipped ") + String(s) }
                    if t.state == .received {
                        figures += (fr ? ", reçu " : ", received ") + String(t.received ?? 0)
                        if (t.damaged ?? 0) > 0 { figures += (fr ? ", abîmé " : ", damaged ") + String(t.damaged ?? 0) }
                        if t.short != 0 { figures += (fr ? ", manquant " : ", short ") + String(t.short) }
                    }
                    print(padded(String(t.id.prefix(8)), 10) + padded(way, 8) + padded(v.sku, 10) + padded(String(v.productName.prefix(26)), 28)
                          + padded(t.state.label(options.language), 12) + figures)
                }
                let transit = try store.unitsInTransit()
                let incoming = transit.incoming.values.reduce(0, +)
                let outgoing = transit.outgoing.values.reduce(0, +)
                print(fr ? "En route : \(incoming) unité(s) vers ce magasin, \(outgoing) depuis ce magasin."
                         : "In transit: \(incoming) unit(s) to this store, \(outgoing) from it.")
            }
        }
    }

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask another store for goods: CODE:UNITS.")
        @OptionGroup var options: RegisterOptions
        @Option(help: "The store asked (code, e.g. NORD).") var from: String
        @Argument(help: "CODE:UNITS.") var item: String
        @Option(help: "Why (at most 200 characters).") var note: String?
        @Option(help: "Username of the employee or manager asking.") var by: String?
        func run() throws {
            try newTransfer(options, send: false, store: from, item: item, note: note, by: by)
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send goods to another store: CODE:UNITS leave this store's stock now.")
        @OptionGroup var options: RegisterOptions
        @Option(help: "The store receiving (code, e.g. NORD).") var to: String
        @Argument(help: "CODE:UNITS.") var item: String
        @Option(help: "Why (at most 200 characters).") var note: String?
        @Option(help: "Username of the employee or manager sending.") var by: String?
        func run() throws {
            try newTransfer(options, send: true, store: to, item: item, note: note, by: by)
        }
    }

    struct Ship: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ship a request another store made of this one (all the units asked, or --units).")
        @OptionGroup var options: RegisterOptions
        @Argument(help: "The transfer's id or its first characters.") var id: String
        @Option(help: "Units shipped, when not all those asked.") var units: Int?
        @Option(help: "Username of the employee or manager shipping.") var by: String?
        func run() throws {
            try reportingErrors {
                let store = try options.openStore()
                let view = try find(store, id)
                let person = try authenticate(store, username: by ?? defaultEmployee(store), needs: .employee)
                let t = try store.shipTransfer(view.transfer.id, quantity: units ?? view.transfer.requested, by: person.id)
                print("transfer \(t.id.prefix(8)) shipped to \(view.otherStore): \(t.shipped ?? 0) unit(s) in transit")
            }
        }
    }

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take delivery of a transfer: good units and damaged units; the rest is short.")
        @OptionGroup var options: RegisterOptions
        @Argument(help: "The transfer's id or its first characters.") var id: String
        @Option(help: "Good units put on the shelf.") var received: Int
        @Option(help: "Units that arrived unsellable.") var damaged: Int = 0
        @Option(help: "Username of the employee or manager receiving.") var by: String?
        func run() throws {
            try reportingErrors {
                let store = try options.openStore()
                let view = try find(store, id)
                let person = try authenticate(store, username: by ?? defaultEmployee(store), needs: .employee)
                let t = try store.receiveTransfer(view.transfer.id, received: received, damaged: damaged, by: person.id)
                print("transfer \(t.id.prefix(8)) received: \(received) good, \(damaged) damaged, \(t.short) short")
            }
        }
    }

    static func find(_ store: RegisterStore, _ prefix: String) throws -> TransferView {
        let matches = try store.transfers().filter { $0.transfer.id.hasPrefix(prefix.lowercased()) }
        guard !prefix.isEmpty, matches.count == 1, let view = matches.first else {
            throw Failure(matches.isEmpty ? "no transfer \(prefix) at this store (caisse transfer list)" : "\(prefix) names several transfers: give more of the id")
        }
        return view
    }
}

/// A new transfer of CODE:UNITS: sent to `store` now, or asked of it.
private func newTransfer(_ options: RegisterOptions, send: Bool, store code: String, item: String, note: String?, by: String?) throws {
    try reportingErrors {
        let store = try options.openStore()
        let (productId, units) = try parseItem(store, item)
        let other = try storeId(store, code: code)
        let person = try authenticate(store, username: by ?? defaultEmployee(store), needs: .employee)
        if send {
            let t = try store.shipTransfer(to: other, productId: productId, quantity: units, note: note, by: person.id)
            print("transfer \(t.id.prefix(8)) shipped to \(code.uppercased()): \(units) unit(s) in transit")
        } else {
            let t = try store.requestTransfer(from: other, productId: productId, quantity: units, note: note, by: person.id)
            print("transfer \(t.id.prefix(8)) requested from \(code.uppercased()): \(units) unit(s)")
        }
    }
}

private func parseItem(_ store: RegisterStore, _ item: String) throws -> (Int64, Int) {
    let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 2, !parts[0].isEmpty, let units = Int(parts[1]), (1...Quantity.maximumPerLine).contains(units) else {
        throw Failure("'\(item)' is not an item: CODE:UNITS, 1 to \(Quantity.maximumPerLine) units")
    }
    guard let product = try store.product(code: parts[0]) else { throw Failure("unknown product '\(parts[0])'") }
    return (product.id, units)
}

private func storeId(_ store: RegisterStore, code: String) throws -> Int64 {
    guard let location = try store.locations().first(where: { $0.code.uppercased() == code.uppercased() && $0.sells }) else {
        throw Failure("no store \(code.uppercased()) in this chain")
    }
    guard location.id != (try store.identity().store.id) else { throw Failure("a transfer goes to another store, not to this one") }
    return location.id
}
