import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import Hummingbird
import Metrics

struct SyncRoutes {
    let service: CentralService

    func register(on v1: RouterGroup<CentralContext>) {
        /// A register pushes its journal in sequence order. Applied whole or not at all;
        /// already-applied events are acknowledged again; a gap answers 409 with the sequence expected.
        v1.post("sync/events") { request, context -> PushResponse in
            let register = try context.requireRegister()
            let body = try await request.decode(as: PushRequest.self, context: context)
            switch try await service.journal.ingest(registerId: register.id, events: body.events) {
            case .applied(let through, let newEvents, let exceptions):
                Counter(label: "caisse.sync.events_ingested").increment(by: newEvents)
                for kind in exceptions {
                    Counter(label: "caisse.exceptions_recorded", dimensions: [("kind", kind.rawValue)]).increment()
                }
                // What an operator acts on: events kept out of the books until head office decides, and
                // exceptions recorded beside applied events (a price that differs, a discount without approval…).
                for kind in Set(exceptions).sorted(by: { $0.rawValue < $1.rawValue }) {
                    context.logger.warning(kind.quarantines ? "quarantined" : "exception",
                                           metadata: ["register": .string(register.id), "kind": .string(kind.rawValue),
                                                      "events": .stringConvertible(exceptions.filter { $0 == kind }.count),
                                                      "next": "caisse-central exceptions list"])
                }
                let now = service.clock()
                for event in body.events.suffix(newEvents) {
                    // How long events waited at the till before reaching central.
                    Timer(label: "caisse.sync.lag").recordMilliseconds(max(0, now - event.createdAt))
                }
                return PushResponse(appliedThrough: through, applied: newEvents)
            case .gap(let expected):
                throw APIError(.conflict, code: "sequence_gap", message: "events must continue from sequence \(expected)",
                               expectedSequence: expected)
            }
        }

        /// What changed for the register's store since `since` (0 for everything), paged.
        v1.get("sync/changes") { request, context -> ChangeSet in
            let register = try context.requireRegister()
            let since = try request.intQuery("since", default: 0, in: 0...Int64.max)
            let limit = Int(try request.intQuery("limit", default: 5_000, in: 1...10_000))
            // A till that pulls its stock apart (issue 26) says so; one that predates it gets it here.
            let includeStock: Bool
            switch request.stringQuery("stock") {
            case nil: includeStock = true
            case "apart"?: includeStock = false
            case let other?: throw APIError.badRequest("stock: apart, or leave it out (not \(other.prefix(20)))")
            }
            return try await service.journal.changes(registerId: register.id, since: since, limit: limit, includeStock: includeStock)
        }

        /// The stock feed (issue 26): the store's and the warehouse's on-hand rows changed after
        /// `since`, with the register's applied mark; a till pulls it about once a minute.
        v1.get("sync/stock") { request, context -> StockFeed in
            let register = try context.requireRegister()
            let since = try request.intQuery("since", default: 0, in: 0...Int64.max)
            let limit = Int(try request.intQuery("limit", default: 5_000, in: 1...10_000))
            return try await service.journal.stockChanges(registerId: register.id, since: since, limit: limit)
        }

        /// A sale of any register of the chain, for a return at another register or store (issue 24):
        /// what other registers returned of it comes with it; central checks the return again at ingest.
        v1.get("sales/:receipt") { _, context -> SaleForReturn in
            let principal = try context.require(.cashier, registers: true)
            let receipt = context.parameters.get("receipt") ?? ""
            guard (1...40).contains(receipt.count), receipt.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw APIError.badRequest("receipt: the receipt number printed on the ticket (letters, digits and -)")
            }
            let asking: String? = if case .register(let r) = principal { r.id } else { nil }
            guard let found = try await service.journal.saleForReturn(receiptNumber: receipt, askingRegister: asking) else {
                throw APIError.notFound("no sale \(receipt.uppercased()) at central")
            }
            return found
        }

        /// What tills recorded that central's state disagreed with (ADR 0013): head office.
        v1.get("exceptions") { request, context -> ExceptionList in
            try context.requireHeadOffice()
            let store = try request.stringQuery("store").map { raw -> Int64 in
                guard let id = Int64(raw), id > 0 else { throw APIError.badRequest("store must be a positive integer") }
                return id
            }
            let state = request.stringQuery("state") ?? "open"
            guard state == "open" || state == "all" else { throw APIError.badRequest("state must be open or all") }
            return ExceptionList(exceptions: try await service.journal.exceptions(storeId: store, includeResolved: state == "all"))
        }

        /// Closes an exception with what was done; who did it is recorded. A quarantined
        /// event needs a decision (apply, correct, void), applied in the same transaction.
        v1.post("exceptions/:id/resolve") { request, context -> CentralException in
            let user = try context.requireHeadOffice()
            guard let raw = context.parameters.get("id"), let id = Int64(raw), id > 0 else { throw APIError.badRequest("id must be a positive integer") }
            let body = try await request.decode(as: ResolveExceptionRequest.self, context: context)
            let note = body.note.trimmingCharacters(in: .whitespaces)
            guard !note.isEmpty, DocumentCheck.isCleanText(note, maxLength: 500) else {
                throw APIError.badRequest("note: 1 to 500 printable characters saying what was done")
            }
            return try await service.journal.resolveException(id: id, by: user.username, note: note, decision: body.decision, at: service.clock())
        }
    }
}
