import CaisseCore
import Foundation
import ReceiptPrinter
import RegisterStore
import RegisterUI

/// Sends what waits in the till's print queue to its printer, in order (issue 29). It runs
/// beside the screen, never inside a sale: a printer out of paper, switched off or busy
/// leaves the receipts queued and the status bar says so; the next pass prints them.
/// The drawer's pulse goes through even without paper: the cashier must give change. A pulse
/// is for the moment cash changes hands: one that could not be sent then is never sent later
/// (a drawer springing open minutes after, with nobody at it, is what an audit looks for).
public struct PrintSpooler: Sendable {
    /// How late a drawer's pulse may still go out.
    public static let drawerPulseLifetimeMillis: Int64 = 30_000

    let store: RegisterStore
    let connect: @Sendable (PrinterTarget) throws -> any PrinterLink

    public init(store: RegisterStore, connect: @escaping @Sendable (PrinterTarget) throws -> any PrinterLink = { try connectPrinter($0) }) {
        self.store = store
        self.connect = connect
    }

    /// One pass; nil when the till has no printer.
    public func drain(now: Int64) -> PrinterInfo? {
        guard let settings = (try? store.printerSettings()) ?? nil else { return nil }
        guard let jobs = try? store.waitingPrints(), !jobs.isEmpty else { return PrinterInfo(waiting: 0) }
        let link: any PrinterLink
        do { link = try connect(settings.target) } catch {
            try? store.notePrintFailure(jobs[0].id, error: "\(error)")
            return PrinterInfo(waiting: jobs.count, problem: .offline)
        }
        defer { link.close() }
        var problem: PrinterInfo.Problem?
        for job in jobs {
            if job.kind == .drawer, now - job.queuedAt > Self.drawerPulseLifetimeMillis {
                try? store.retirePrint(job.id, reason: "the drawer's pulse came too late", at: now)
                continue
            }
            do {
                // Asked before each receipt: the roll can run out between two.
                let status = try link.status()
                if status?.offline == true { problem = .offline; break }
                if job.kind != .drawer, status?.paperOut == true { problem = .paperOut; continue }
                try link.send(job.bytes)
                try store.markPrinted(job.id, at: now)
            } catch {
                try? store.notePrintFailure(job.id, error: "\(error)")
                problem = .offline
                break
            }
        }
        return PrinterInfo(waiting: (try? store.waitingPrintCount()) ?? jobs.count, problem: problem)
    }
}

extension RegisterRuntime {
    /// Queues a receipt at the printer's width, the drawer's pulse first when cash changed hands.
    /// Never fails the sale it follows: the sale is committed, its receipt is on screen and in a file.
    func queuePrint(_ item: PrintedItem, openDrawer: Bool, now: Int64) {
        guard let settings = (try? store.printerSettings()) ?? nil else { return }
        if openDrawer { try? store.enqueuePrint(.drawer, reference: item.reference, bytes: PrintedDocument.drawerKick(settings: settings), at: now) }
        let receipt = Receipt(width: settings.columns, language: language)
        let document: (kind: PrintJob.Kind, bytes: [UInt8])? = switch item {
        case .sale(let sale, let header, let banner):
            (.receipt, PrintedDocument.receipt(receipt.paper(sale, header: header), number: sale.receiptNumber, settings: settings, banner: banner))
        case .refund(let ret, let header):
            (.receipt, PrintedDocument.receipt(receipt.paper(ret, header: header), number: ret.receiptNumber, settings: settings))
        case .report(let lines, _):
            (.report, PrintedDocument.text(lines, settings: settings))
        case .drawerOnly:
            nil
        }
        if let document { try? store.enqueuePrint(document.kind, reference: item.reference, bytes: document.bytes, at: now) }
    }

    enum PrintedItem {
        case sale(Sale, Receipt.Header, banner: String?)
        case refund(SaleReturn, Receipt.Header)
        case report([String], name: String)
        case drawerOnly(reason: String)

        var reference: String {
            switch self {
            case .sale(let s, _, _): s.receiptNumber
            case .refund(let r, _): r.receiptNumber
            case .report(_, let name): name
            case .drawerOnly(let reason): reason
            }
        }
    }
}
