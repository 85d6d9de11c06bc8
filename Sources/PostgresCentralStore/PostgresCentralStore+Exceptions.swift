import CaisseAPI
import CaisseCore
import CentralModel
import Foundation
import PostgresNIO

/// What tills recorded that central's state disagreed with (ADR 0013): listed and resolved by head office.
extension PostgresCentralStore {
    static func exception(_ row: SQLRow) throws -> CentralException {
        let kind: String = try row.get("kind")
        return CentralException(id: try row.get("id"), kind: kind, storeId: try row.get("store_id"),
                                registerId: try row.get("register_id"), sequence: try row.get("event_sequence"),
                                reference: try row.get("reference"), detail: try row.get("detail"), createdAt: try row.get("created_at"),
                                resolvedAt: try row.get("resolved_at"), resolvedBy: try row.get("resolved_by"), resolution: try row.get("resolution"),
                                quarantined: ExceptionKind(rawValue: kind)?.quarantines ?? false,
                                decision: (try row.get("decision", as: String?.self)).flatMap(ExceptionDecision.init(rawValue:)))
    }

    public func exceptions(storeId: Int64?, includeResolved: Bool) async throws -> [CentralException] {
        try await read { sql in
            try await sql.rows("""
                SELECT * FROM central_exception WHERE ($1::bigint IS NULL OR store_id = $1) AND ($2 OR resolved_at IS NULL)
                ORDER BY id DESC LIMIT 10000
                """, storeId, includeResolved).map(Self.exception)
        }
    }

    public func resolveException(id: Int64, by: String, note: String, decision: ExceptionDecision?, at time: Int64) async throws -> CentralException {
        try await write { sql in
            guard let current = try await sql.row("SELECT * FROM central_exception WHERE id = $1 FOR UPDATE", id).map(Self.exception) else {
                throw CentralError(.notFound, "no exception \(id)")
            }
            if case .apply(let dating) = try QuarantineDecision(current, decision) {
                try await Self.applyQuarantined(sql, registerId: current.registerId, sequence: current.sequence, dating: dating, at: time)
            }
            try await sql.execute("UPDATE central_exception SET resolved_at = $1, resolved_by = $2, resolution = $3, decision = $4 WHERE id = $5",
                                  time, by, note, decision?.rawValue, id)
            var resolved = current
            resolved.resolvedAt = time
            resolved.resolvedBy = by
            resolved.resolution = note
            resolved.decision = decision
            return resolved
        }
    }
}
