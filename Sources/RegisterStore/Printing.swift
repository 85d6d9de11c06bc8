import CaisseCore
import Foundation
import GRDB
import ReceiptPrinter

/// A document waiting for the printer (issue 29).
public struct PrintJob: Sendable, Equatable {
    public enum Kind: String, Sendable { case receipt, drawer, report }
    public var id: Int64
    public var kind: Kind
    /// The receipt number (or the report's name): what the status bar and the log name.
    public var reference: String
    public var bytes: [UInt8]
    public var attempts: Int
    public var queuedAt: Int64
}

/// The till's printer and its queue. A sale is committed before its receipt is queued, and
/// the queue is in the same database: a printer out of paper, a crash or a restart loses no
/// receipt; the spooler prints them in order when the printer is back.
extension RegisterStore {
    public func printerSettings() throws -> PrinterSettings? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM printer_setting WHERE id = 1") else { return nil }
            return PrinterSettings(target: try PrinterTarget(row["target"]), columns: row["columns"],
                                   codePage: CodePage(rawValue: row["code_page"]) ?? .cp863,
                                   receiptCode: PrinterSettings.ReceiptCode(rawValue: row["receipt_code"]) ?? .barcode)
        }
    }

    /// Sets the printer, or removes it (nil): receipts then go to files only, as before.
    public func setPrinter(_ settings: PrinterSettings?) throws {
        try writer.write { db in
            guard let s = settings else {
                try db.execute(sql: "DELETE FROM printer_setting")
                return
            }
            guard PrinterSettings.paperWidths.values.contains(s.columns) else {
                throw StoreError(.receiptWidth)
            }
            try db.execute(sql: """
                INSERT INTO printer_setting(id, target, columns, code_page, receipt_code) VALUES (1, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET target = excluded.target, columns = excluded.columns, code_page = excluded.code_page,
                    receipt_code = excluded.receipt_code
                """, arguments: [s.target.description, s.columns, s.codePage.rawValue, s.receiptCode.rawValue])
        }
    }

    public func enqueuePrint(_ kind: PrintJob.Kind, reference: String, bytes: [UInt8], at time: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT INTO print_job(kind, reference, bytes, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [kind.rawValue, reference, Data(bytes), time])
        }
    }

    /// What waits, oldest first.
    public func waitingPrints(limit: Int = 50) throws -> [PrintJob] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM print_job WHERE printed_at IS NULL ORDER BY id LIMIT ?", arguments: [limit]).map { row in
                PrintJob(id: row["id"], kind: PrintJob.Kind(rawValue: row["kind"]) ?? .receipt, reference: row["reference"],
                         bytes: [UInt8](row["bytes"] as Data), attempts: row["attempts"], queuedAt: row["created_at"])
            }
        }
    }

    public func waitingPrintCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM print_job WHERE printed_at IS NULL") ?? 0 }
    }

    public func markPrinted(_ id: Int64, at time: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE print_job SET printed_at = ?, attempts = attempts + 1 WHERE id = ?", arguments: [time, id])
            // A week of printed jobs is kept for support; older ones go.
            try db.execute(sql: "DELETE FROM print_job WHERE printed_at IS NOT NULL AND printed_at < ?", arguments: [time - 7 * 86_400_000])
        }
    }

    /// Takes a job out of the queue unsent, saying why (kept a week, as printed ones are).
    public func retirePrint(_ id: Int64, reason: String, at time: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE print_job SET printed_at = ?, last_error = ? WHERE id = ?",
                           arguments: [time, "not sent: " + String(reason.prefix(180)), id])
        }
    }

    public func notePrintFailure(_ id: Int64, error: String) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE print_job SET attempts = attempts + 1, last_error = ? WHERE id = ?", arguments: [String(error.prefix(200)), id])
        }
    }
}
