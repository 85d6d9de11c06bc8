import CaisseCore

/// What the till sends its printer: a receipt (its lines, the total in bold, the receipt number
/// as a barcode or QR for the return screen's scanner, a cut), a report, or the drawer's pulse.
public enum PrintedDocument {
    /// A receipt laid out at the printer's width. `banner` heads a copy ("*** COPIE ***").
    public static func receipt(_ paper: Receipt.Paper, number: String, settings: PrinterSettings, banner: String? = nil) -> [UInt8] {
        var doc = EscPos(codePage: settings.codePage)
        if let banner {
            doc.align(.center)
            doc.bold(true)
            doc.line(banner)
            doc.bold(false)
            doc.align(.left)
        }
        for (i, line) in paper.lines.enumerated() {
            let bold = paper.emphasized.contains(i)
            if bold { doc.bold(true) }
            doc.line(line)
            if bold { doc.bold(false) }
        }
        doc.feed(1)
        doc.align(.center)
        switch settings.receiptCode {
        case .barcode: doc.barcode128(number)
        case .qr: doc.qr(number)
        }
        doc.align(.left)
        doc.feed(3)
        doc.cut()
        return doc.bytes
    }

    /// Plain lines (an X or Z report), then a cut.
    public static func text(_ lines: [String], settings: PrinterSettings) -> [UInt8] {
        var doc = EscPos(codePage: settings.codePage)
        for line in lines { doc.line(line) }
        doc.feed(3)
        doc.cut()
        return doc.bytes
    }

    /// The drawer-kick pulse alone: sent before the receipt, and even when the paper is out.
    /// The pulse alone, under the printer's own code page (an init resets the page).
    public static func drawerKick(settings: PrinterSettings) -> [UInt8] {
        var doc = EscPos(codePage: settings.codePage)
        doc.openDrawer()
        return doc.bytes
    }
}
