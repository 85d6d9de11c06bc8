import ArgumentParser
import CaisseCore
import Foundation
import ReceiptPrinter
import RegisterApp
import RegisterStore

/// `caisse printer …`: the till's receipt printer (issue 29), kept in its database.
struct PrinterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "printer",
        abstract: "Set, show, test or remove this till's receipt printer (ESC/POS, with its cash drawer).",
        subcommands: [Set.self, Show.self, Test.self, Off.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print receipts on a device file (/dev/usb/lp0) or a network printer (tcp://HOST:9100).")
        @OptionGroup var options: RegisterOptions
        @Argument(help: "The printer: /dev/usb/lp0 or tcp://HOST[:PORT].") var target: String
        @Option(help: "Paper width in millimetres: 80 (42 columns) or 58 (32).") var paper: Int = 80
        @Option(help: "The printer's character table: cp863 (Canadian French) or cp858 (Latin-1 with the euro).") var codePage: String = "cp863"
        @Option(help: "The receipt number as a barcode (Code 128) or a qr code.") var code: String = "barcode"

        func run() throws {
            try reportingErrors {
                guard let columns = PrinterSettings.paperWidths[paper] else { throw Failure("--paper is 80 or 58 (millimetres)") }
                guard let page = CodePage(rawValue: codePage.lowercased()) else { throw Failure("--code-page is cp863 or cp858") }
                guard let receiptCode = PrinterSettings.ReceiptCode(rawValue: code.lowercased()) else { throw Failure("--code is barcode or qr") }
                let target: PrinterTarget
                do { target = try PrinterTarget(self.target) } catch { throw Failure("\(error)") }
                let store = try options.openStore()
                try store.setPrinter(PrinterSettings(target: target, columns: columns, codePage: page, receiptCode: receiptCode))
                print("printer: \(target), \(paper) mm (\(columns) columns), \(page.rawValue), receipt number as \(receiptCode.rawValue)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the printer, what waits for it and what it says of itself.")
        @OptionGroup var options: RegisterOptions

        func run() throws {
            try reportingErrors {
                let store = try options.openStore()
                guard let s = try store.printerSettings() else {
                    print("no printer: receipts are saved as files next to the till's database")
                    return
                }
                let mm = PrinterSettings.paperWidths.first { $0.value == s.columns }?.key ?? 80
                print("printer: \(s.target), \(mm) mm (\(s.columns) columns), \(s.codePage.rawValue), receipt number as \(s.receiptCode.rawValue)")
                print("waiting: \(try store.waitingPrintCount())")
                print("status: " + describeStatus(s.target))
            }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a test page (accents, a barcode) now, and say what the printer answered.")
        @OptionGroup var options: RegisterOptions

        func run() throws {
            try reportingErrors {
                let store = try options.openStore()
                guard let s = try store.printerSettings() else { throw Failure("no printer set: caisse printer set TARGET") }
                var doc = EscPos(codePage: s.codePage)
                doc.align(.center)
                doc.bold(true)
                doc.line("Caisse — test")
                doc.bold(false)
                doc.line("Crème brûlée, café, œufs, Noël : 12,50 $")
                doc.line(String(repeating: "-", count: s.columns))
                doc.barcode128("TEST-000001")
                doc.feed(3)
                doc.cut()
                let link: any PrinterLink
                do { link = try connectPrinter(s.target) } catch { throw Failure("\(error)") }
                defer { link.close() }
                do { try link.send(doc.bytes) } catch { throw Failure("\(error)") }
                print("sent \(doc.bytes.count) bytes to \(s.target); status: " + describeStatus(s.target))
            }
        }
    }

    struct Off: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the printer: receipts are saved as files only. What waits is kept.")
        @OptionGroup var options: RegisterOptions

        func run() throws {
            try reportingErrors {
                try options.openStore().setPrinter(nil)
                print("no printer")
            }
        }
    }
}

/// What the printer says of itself, in words.
private func describeStatus(_ target: PrinterTarget) -> String {
    do {
        let link = try connectPrinter(target)
        defer { link.close() }
        guard let status = try link.status() else { return "not reported (a device file)" }
        if status.offline { return "offline (cover open or error)" }
        return status.paperOut ? "out of paper" : "ready"
    } catch {
        return "\(error)"
    }
}
