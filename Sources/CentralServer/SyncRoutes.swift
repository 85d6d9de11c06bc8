import CaisseAPI
import CaisseCore
import CentralStore
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
            switch try await service.store.ingest(registerId: register.id, events: body.events) {
            case .applied(let through, let newEvents):
                Counter(label: "caisse.sync.events_ingested").increment(by: newEvents)
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
            return try await service.store.changes(registerId: register.id, since: since, limit: limit)
        }
    }
}
