import CaisseCore
import Foundation
import ReceiptPrinter
import RegisterApp
import RegisterStore
import RegisterUI
import Testing

/// Issue 29: receipts on an ESC/POS printer, the cash drawer through it, and a printer that
/// never holds a sale. The printer is simulated on 127.0.0.1 and decoded byte by byte.
@Suite(.serialized) struct PrinterTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func till(_ language: Language, printer: SimulatedPrinter) throws -> Till {
        var till = try Till(language: language)
        try till.store.setPrinter(PrinterSettings(target: printer.target, columns: 42, codePage: .cp863))
        till.keys("caissier.cv<enter>1111<enter>")
        return till
    }

    @Test(arguments: [Language.fr, .en])
    func aCashSaleOpensTheDrawerAndPrintsItsReceiptByteForByte(_ language: Language) throws {
        let printer = try SimulatedPrinter()
        defer { printer.stop() }
        var till = try till(language, printer: printer)
        let spooler = PrintSpooler(store: till.store)
        till.keys("1150<enter>")   // the float: the drawer opens
        #expect(spooler.drain(now: till.clock) == PrinterInfo(waiting: 0))
        #expect(try EscPosDecoder.transcript(printer.bytes).contains("[drawer pin 2 on 50 ms off 500 ms]"))
        printer.clear()

        till.keys("2000000000015<enter>2000000000022<enter>2000000000039<enter><f5>")
        #expect(try till.store.saleCount() == 1)
        #expect(spooler.drain(now: till.clock) == PrinterInfo(waiting: 0))
        let bytes = printer.bytes
        let transcript = try EscPosDecoder.transcript(bytes)
        // The pulse first (the cashier gives change while the receipt prints), then the receipt.
        #expect(transcript.prefix(3) == ["[init]", "[code page cp863]", "[drawer pin 2 on 50 ms off 500 ms]"])
        #expect(transcript.contains("[barcode CODE128 CV-1-000001]"))
        #expect(transcript.last == "[cut]")
        try checkGolden(bytes, transcript: transcript, name: "cash-sale-\(language.rawValue)")
    }

    @Test func frenchAccentsReachThePaperInTheCodePageSelected() throws {
        let printer = try SimulatedPrinter()
        defer { printer.stop() }
        var till = try till(.fr, printer: printer)
        till.keys("1150<enter>2000000000015<enter><f5>")
        _ = PrintSpooler(store: till.store).drain(now: till.clock)
        let transcript = try EscPosDecoder.transcript(printer.bytes)
        #expect(transcript.contains { $0.contains("Caissier") })
        #expect(transcript.contains { $0.contains("Merci et à bientôt !") })
        #expect(transcript.contains { $0.hasPrefix("Reçu CV-1-000001") })
        // é is 0x82 in CP863 (it would be 0xC3 0xA9 in UTF-8, which such a printer draws as two symbols).
        #expect(printer.bytes.contains(0x82))
        #expect(!printer.bytes.contains(0xC3))
    }

    @Test func paperOutMidDayQueuesTheReceiptsAndTheSaleGoesOn() throws {
        let printer = try SimulatedPrinter()
        defer { printer.stop() }
        var till = try till(.fr, printer: printer)
        let spooler = PrintSpooler(store: till.store)
        till.keys("1150<enter>2000000000015<enter><f5>")
        #expect(spooler.drain(now: till.clock) == PrinterInfo(waiting: 0))
        printer.clear()

        // The roll runs out: two more sales complete, their receipts wait, the drawer still opens.
        printer.set(paperOut: true)
        till.keys("<enter>2000000000022<enter><f5><enter>2000000000039<enter><f5>")
        #expect(try till.store.saleCount() == 3)
        let info = spooler.drain(now: till.clock)
        #expect(info == PrinterInfo(waiting: 2, problem: .paperOut))
        var transcript = try EscPosDecoder.transcript(printer.bytes)
        #expect(transcript.filter { $0.hasPrefix("[drawer") }.count == 2)
        #expect(!transcript.contains { $0.hasPrefix("[barcode") })
        till.send(.printer(info!))
        #expect(till.screen.contains("⚠ plus de papier (2)"))

        // A new roll: the next pass prints both, in order, and the bar clears.
        printer.set(paperOut: false)
        let back = spooler.drain(now: till.clock)
        #expect(back == PrinterInfo(waiting: 0))
        transcript = try EscPosDecoder.transcript(printer.bytes)
        #expect(transcript.filter { $0.hasPrefix("[barcode CODE128") } == ["[barcode CODE128 CV-1-000002]", "[barcode CODE128 CV-1-000003]"])
        till.send(.printer(back!))
        #expect(!till.screen.contains("papier"))
    }

    @Test func aPrinterSwitchedOffKeepsEverythingForLater() throws {
        let printer = try SimulatedPrinter()
        var till = try till(.en, printer: printer)
        printer.stop()   // nobody listens on that port any more
        till.keys("1150<enter>2000000000015<enter><f5>")
        #expect(try till.store.saleCount() == 1)
        let spooler = PrintSpooler(store: till.store)
        let info = spooler.drain(now: till.clock)
        #expect(info == PrinterInfo(waiting: 3, problem: .offline), "the float's pulse, the sale's and its receipt wait")
        till.send(.printer(info!))
        #expect(till.screen.contains("⚠ printer offline (3)"))
    }

    @Test func aReprintIsACopyWithItsBanner() throws {
        let printer = try SimulatedPrinter()
        defer { printer.stop() }
        var till = try till(.fr, printer: printer)
        till.keys("1150<enter>2000000000015<enter><f5>")
        let spooler = PrintSpooler(store: till.store)
        _ = spooler.drain(now: till.clock)
        printer.clear()
        _ = till.runtime.perform(.reprint(receiptNumber: "CV-1-000001", by: 1), now: till.clock)
        _ = spooler.drain(now: till.clock)
        let transcript = try EscPosDecoder.transcript(printer.bytes)
        #expect(transcript.contains("*** COPIE - DUPLICATA ***"), "the dash CP863 lacks prints as a hyphen")
        #expect(!transcript.contains { $0.hasPrefix("[drawer") }, "a copy never opens the drawer")
    }

    @Test(arguments: [Language.fr, .en])
    func aNoSaleOpeningNeedsAManagersPinAndTheXReportCountsIt(_ language: Language) throws {
        let printer = try SimulatedPrinter()
        defer { printer.stop() }
        var till = try till(language, printer: printer)
        let fr = language == .fr
        let spooler = PrintSpooler(store: till.store)
        till.keys("1150<enter><esc>")   // the float, then back to the menu
        _ = spooler.drain(now: till.clock)
        printer.clear()

        till.keys("t")
        #expect(till.screen.contains(fr ? "Ouvrir le tiroir sans vente" : "Open the drawer, no sale"))
        till.keys("1111<enter>")   // the cashier's own PIN is no manager's
        #expect(till.state.flash?.kind == .error)
        #expect(try till.store.journal().isEmpty, "nothing opened, nothing journaled")
        till.keys("<esc>")
        #expect(spooler.drain(now: till.clock) == PrinterInfo(waiting: 0))
        #expect(printer.bytes.isEmpty, "the drawer stayed shut")

        till.keys("t3333<enter>")   // the store's manager
        #expect(till.state.flash?.text.contains(fr ? "Tiroir ouvert sans vente" : "Drawer opened with no sale") == true)
        #expect(try till.store.journal().map(\.type) == [.noSale])
        _ = spooler.drain(now: till.clock)
        #expect(try EscPosDecoder.transcript(printer.bytes).contains("[drawer pin 2 on 50 ms off 500 ms]"))

        till.keys("3")
        guard case .report(let x) = till.state.screen else { Issue.record("no X report"); return }
        let line = try #require(x.lines.first { $0.hasPrefix(fr ? "Ouvertures sans vente" : "No-sale openings") })
        #expect(line.hasSuffix(" 1"))
    }

    @Test func aCashRefundAndTheDrawersCloseEachOpenIt() throws {
        let printer = try SimulatedPrinter()
        defer { printer.stop() }
        var till = try till(.en, printer: printer)
        let spooler = PrintSpooler(store: till.store)
        till.keys("1150<enter>2000000000015<enter><f5>")
        _ = spooler.drain(now: till.clock)
        printer.clear()
        let cashier = try #require(till.state.user).id

        _ = till.runtime.perform(.commitReturn(receiptNumber: "CV-1-000001", lines: [ReturnRequestLine(lineNo: 1, quantity: 1)],
                                               kind: .cash, cardReference: nil, cashierId: cashier), now: till.clock)
        #expect(spooler.drain(now: till.clock) == PrinterInfo(waiting: 0))
        var transcript = try EscPosDecoder.transcript(printer.bytes)
        #expect(transcript.filter { $0.hasPrefix("[drawer") }.count == 1, "the refund's cash leaves the drawer")
        #expect(transcript.contains("[barcode CODE128 CV-1-000002]"), "the refund's own receipt: \(transcript)")
        printer.clear()

        _ = till.runtime.perform(.closeDrawer(counted: Money(cents: 15_000), by: cashier), now: till.clock)
        #expect(spooler.drain(now: till.clock) == PrinterInfo(waiting: 0))
        transcript = try EscPosDecoder.transcript(printer.bytes)
        #expect(transcript.filter { $0.hasPrefix("[drawer") }.count == 1, "the close opens the drawer for its count")
        #expect(transcript.contains { $0.contains("Z") })
        #expect(transcript.last == "[cut]")
    }

    @Test func aDrawerPulseThatCouldNotGoOutInTimeIsNeverSentLater() throws {
        let printer = try SimulatedPrinter()
        defer { printer.stop() }
        var till = try till(.fr, printer: printer)
        let spooler = PrintSpooler(store: till.store)
        printer.set(offline: true)
        till.keys("1150<enter>2000000000015<enter><f5>")
        #expect(spooler.drain(now: till.clock) == PrinterInfo(waiting: 3, problem: .offline))

        // The printer is back ten minutes later: the receipt prints, the drawer stays shut.
        printer.set(offline: false)
        #expect(spooler.drain(now: till.clock + 600_000) == PrinterInfo(waiting: 0))
        let transcript = try EscPosDecoder.transcript(printer.bytes)
        #expect(transcript.contains("[barcode CODE128 CV-1-000001]"))
        #expect(!transcript.contains { $0.hasPrefix("[drawer") }, "no drawer springs open with nobody at it")
    }

    @Test func aReceiptWithADiscountAndChangeInCP858WithAQRCode() throws {
        let printer = try SimulatedPrinter()
        defer { printer.stop() }
        var till = try Till(language: .fr)
        try till.store.setPrinter(PrinterSettings(target: printer.target, columns: 32, codePage: .cp858, receiptCode: .qr))
        till.keys("caissier.cv<enter>1111<enter>1150<enter>")
        till.keys("2000000000015<enter>%10<enter>3<f6>20<enter>")
        #expect(try till.store.saleCount() == 1)
        _ = PrintSpooler(store: till.store).drain(now: till.clock)
        let transcript = try EscPosDecoder.transcript(printer.bytes)
        #expect(transcript.prefix(2) == ["[init]", "[code page cp858]"])
        #expect(transcript.contains("[qr CV-1-000001]"))
        #expect(transcript.contains("[qr print]"))
        #expect(transcript.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("Remise") }, "the discount is on the paper: \(transcript)")
        #expect(transcript.contains { $0.hasPrefix("Vos économies") })
        #expect(transcript.contains { $0.hasPrefix("Comptant") && $0.hasSuffix("20,00 $") })
        #expect(transcript.contains { $0.hasPrefix("Monnaie rendue") && $0.hasSuffix("16,90 $") }, "and the change given")
        #expect(transcript.allSatisfy { $0.hasPrefix("[") || $0.count <= 32 }, "58 mm: 32 columns")
        // é is 0x82 in CP858 as in CP863.
        #expect(printer.bytes.contains(0x82))
    }

    /// The receipt's bytes as hex (16 a line) and its transcript, against files under Golden/.
    /// RECORD_GOLDEN=1 writes them.
    func checkGolden(_ bytes: [UInt8], transcript: [String], name: String) throws {
        let hex = stride(from: 0, to: bytes.count, by: 16).map { start in
            bytes[start..<min(start + 16, bytes.count)].map { String(format: "%02x", $0) }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
        let text = transcript.joined(separator: "\n") + "\n"
        let hexURL = Self.golden.appendingPathComponent(name + ".escpos.hex")
        let textURL = Self.golden.appendingPathComponent(name + ".escpos.txt")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try hex.write(to: hexURL, atomically: true, encoding: .utf8)
            try text.write(to: textURL, atomically: true, encoding: .utf8)
            return
        }
        #expect(try String(contentsOf: textURL, encoding: .utf8) == text, "decoded receipt differs from \(textURL.path)")
        #expect(try String(contentsOf: hexURL, encoding: .utf8) == hex, "bytes differ from \(hexURL.path)")
    }
}
