import CaisseAPI
import CaisseCore
import Foundation
import GRDB

/// What tills recorded that central's state disagreed with (ADR 0013): listed and resolved by head office.
extension SQLiteCentralStore {
    static func exception(_ row: Row) -> CentralException {
        let kind: String = row["kind"]
        return CentralException(id: row["id"], kind: kind, storeId: row["store_id"], registerId: row["register_id"],
                                sequence: row["event_sequence"], reference: row["reference"], detail: row["detail"],
                                createdAt: row["created_at"], resolvedAt: row["resolved_at"], resolvedBy: row["resolved_by"],
                                resolution: row["resolution"], quarantined: ExceptionKind(rawValue: kind)?.quarantines ?? false,
                                decision: (row["decision"] as String?).flatMap(ExceptionDecision.init(rawValue:)))
    }

    public func exceptions(storeId: Int64?, includeResolved: Bool) async throws -> [CentralException] {
        try readNow { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM central_exception WHERE (?1 IS NULL OR store_id = ?1) AND (?2 OR resolved_at IS NULL)
                ORDER BY id DESC LIMIT 10000
                """, arguments: [storeId, includeResolved]).map(Self.exception)
        }
    }

    public func resolveException(id: Int64, by: String, note: String, decision: ExceptionDecision?, at time: Int64) async throws -> CentralException {
        try await writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM central_exception WHERE id = ?", arguments: [id]) else {
                throw CentralError(.notFound, "no exception \(id)")
            }
            let exception = Self.exception(row)
            if case .apply(let dating) = try QuarantineDecision(exception, decision) {
                try Self.applyQuarantined(db, registerId: exception.registerId, sequence: exception.sequence, dating: dating, at: time)
            }
            try db.execute(sql: "UPDATE central_exception SET resolved_at = ?, resolved_by = ?, resolution = ?, decision = ? WHERE id = ?",
                           arguments: [time, by, note, decision?.rawValue, id])
            return Self.exception(try Row.fetchOne(db, sql: "SELECT * FROM central_exception WHERE id = ?", arguments: [id])!)
        }
    }
}
