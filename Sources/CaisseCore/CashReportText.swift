/// The printed X report (open session, any time) or Z report (at the close,
/// with the count) of a cash session, in the till's language. Pure text, like
/// `Receipt`, so the CLI prints it, the TUI shows it and a file keeps it.
public struct CashReportText: Sendable, PaperText {
    public enum Kind: Sendable {
        /// A reading of the open session: the drawer stays as it is.
        case x
        /// The close: the counted cash and the difference with what was expected.
        case z
    }

    public struct Header: Sendable {
        public var chainName: String
        public var store: Location
        public var registerId: String
        /// Who prints the report.
        public var cashierName: String
        /// When the report is printed, already formatted in the store's local time.
        public var localTime: String
        /// When the session opened, local time, formatted like `localTime`.
        public var openedAt: String
        /// Who opened the session (display name).
        public var openedBy: String
        /// Gives the taxes their printed labels ("TPS"/"GST").
        public var taxRule: TaxRule

        public init(chainName: String, store: Location, registerId: String, cashierName: String, localTime: String,
                    openedAt: String, openedBy: String, taxRule: TaxRule) {
            self.chainName = chainName
            self.store = store
            self.registerId = registerId
            self.cashierName = cashierName
            self.localTime = localTime
            self.openedAt = openedAt
            self.openedBy = openedBy
            self.taxRule = taxRule
        }
    }

    public var width: Int
    public var language: Language

    public init(width: Int = 42, language: Language) {
        self.width = width
        self.language = language
    }

    /// The report's lines, without newlines. `counted` is printed on a Z report
    /// only (with the over or short amount); an X report ignores it.
    public func render(_ report: CashReport, kind: Kind, header h: Header, counted: Money? = nil) -> [String] {
        let rule = String(repeating: "-", count: width)
        var out = [center(h.chainName), center(h.store.name)] + wrap(h.store.address).map(center)
        out.append(String(repeating: "=", count: width))
        out.append(center(kind == .x ? t("RAPPORT X", "X REPORT") : t("RAPPORT Z", "Z REPORT")))
        out.append(row(t("Caisse", "Register") + " " + h.registerId, h.localTime))
        out.append(row(t("Caissier", "Cashier"), clip(h.cashierName, width - 10)))
        out.append(row(t("Ouverture", "Opened"), h.openedAt))
        out.append(row(t("Ouvert par", "Opened by"), clip(h.openedBy, width - 11)))
        out.append(rule)

        out.append(row(t("Ventes", "Sales"), String(report.saleCount)))
        out.append(row(t("Articles vendus", "Items sold"), String(report.itemsSold)))
        out.append(row(t("Remises accordées", "Discounts given"), money(report.discounts)))
        // What the receipts say, the cash rounding, then what was taken (issue 28: only the last was shown).
        out.append(row(t("Total des reçus", "Receipts total"), money(report.sales - report.rounding)))
        out.append(row(t("Arrondi (comptant)", "Cash rounding"), money(report.rounding)))
        out.append(row(t("Total des ventes", "Sales total"), money(report.sales)))
        out.append(row(t("Retours", "Returns"), String(report.returnCount)))
        out.append(row(t("Articles retournés", "Items returned"), String(report.itemsReturned)))
        out.append(row(t("Total remboursé", "Refunds total"), money(report.refunds)))
        out.append(row(t("Net", "Net"), money(report.net)))
        // Shown even at zero: unexplained openings are what a store's audit looks for first.
        out.append(row(t("Ouvertures sans vente", "No-sale openings"), String(report.noSaleCount)))
        out.append(rule)

        out.append(t("Taxes nettes", "Net taxes"))
        if report.taxes.isEmpty { out.append("  " + t("aucune", "none")) }
        for tax in report.taxes {
            let label = h.taxRule.rate(code: tax.code)?.label(language) ?? tax.code
            out.append(row("  " + label, money(tax.amount)))
        }
        out.append(rule)

        for tender in report.tenders {
            out.append(tender.kind == .cash ? t("Comptant", "Cash") : t("Carte", "Card"))
            out.append(row("  " + t("Encaissé", "Collected"), money(tender.collected)))
            out.append(row("  " + t("Remboursé", "Refunded"), money(tender.refunded)))
            out.append(row("  " + t("Net", "Net"), money(tender.net)))
        }
        out.append(rule)

        out.append(row(t("Fonds de caisse", "Float"), money(report.float)))
        out.append(row(t("Comptant attendu", "Expected cash"), money(report.expectedCash)))
        if kind == .z, let counted {
            out.append(row(t("Comptant compté", "Counted cash"), money(counted)))
            let difference = report.difference(counted: counted)
            // Printed as a positive amount under the word that gives its direction.
            let label = difference.isNegative ? t("Manque", "Short")
                : difference.isPositive ? t("Excédent", "Over") : t("Écart", "Difference")
            out.append(row(label, money(difference.isNegative ? -difference : difference)))
        }
        out.append(String(repeating: "=", count: width))
        return out
    }
}
