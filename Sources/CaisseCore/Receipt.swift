/// The printed receipt of a sale or a return, in the till's language. Pure
/// text, so the CLI prints it, the TUI shows it and a file keeps it.
public struct Receipt: Sendable, PaperText {
    public var width: Int
    public var language: Language

    public init(width: Int = 42, language: Language) {
        self.width = width
        self.language = language
    }

    public struct Header: Sendable {
        public var chainName: String
        public var store: Location
        public var cashierName: String
        /// Already formatted in the store's local time ("2026-11-25 14:03").
        public var localTime: String
        public var taxRule: TaxRule
        /// Head office's loyalty program as the till last pulled it: a sale with a card says what it
        /// earns, by the rule central credits it with (nil: the till has not heard of one).
        public var loyalty: LoyaltyProgram?
        /// The card's balance as central last told this till (after a reward), before this sale's points.
        public var pointsBalanceKnown: Int64?

        public init(chainName: String, store: Location, cashierName: String, localTime: String, taxRule: TaxRule, loyalty: LoyaltyProgram? = nil) {
            self.loyalty = loyalty
            self.chainName = chainName
            self.store = store
            self.cashierName = cashierName
            self.localTime = localTime
            self.taxRule = taxRule
        }
    }

    /// The heading's lines, and which of them is the title (set in bold on paper).
    private func heading(_ h: Header, title: String, number: String, registerId: String) -> (lines: [String], title: Int) {
        let top = [center(h.chainName), center(h.store.name)] + wrap(h.store.address).map(center) + [String(repeating: "=", count: width)]
        return (top + [title]
        + rows(t("Reçu", "Receipt") + " " + number, h.localTime)
        + rows(t("Caisse", "Register") + " " + registerId, t("Caissier", "Cashier") + " " + clip(h.cashierName, 18))
        + [String(repeating: "-", count: width)], top.count)
    }

    /// Each line at its list price, then what came off it and why (a promotion by its name), so the
    /// customer sees the original price, the discount and what they pay.
    private func lineRows(_ lines: [SaleLine]) -> [String] {
        lines.flatMap { l -> [String] in
            let gross = money(l.gross)
            var out = [row(clip(l.name, width - gross.count - 1), gross)]
            if l.quantity != 1 { out.append("   \(l.quantity) × \(money(l.unitPrice))") }
            for d in l.discounts {
                let amount = "-" + money(d.amount)
                out.append(row("   " + clip(discountLabel(d), width - amount.count - 4), amount))
            }
            return out
        }
    }

    private func discountLabel(_ d: LineDiscount) -> String {
        switch d.kind {
        case .promotion: d.label ?? t("Promotion", "Promotion")
        case .line: t("Remise", "Discount") + (DiscountReason.label(d.reason, language).map { " (" + $0 + ")" } ?? "")
        case .override: t("Prix modifié", "Price override") + (DiscountReason.label(d.reason, language).map { " (" + $0 + ")" } ?? "")
        case .sale where d.reason == DiscountReason.loyalty.rawValue: t("Récompense fidélité", "Loyalty reward")
        case .sale: t("Remise sur la vente", "Sale discount")
        }
    }

    private func savingsRows(_ lines: [SaleLine]) -> [String] {
        let saved = lines.reduce(Money.zero) { $0 + $1.discountTotal }
        return saved.isPositive ? [row(t("Vos économies", "You saved"), money(saved))] : []
    }

    private func taxRows(_ taxes: [TaxLine], _ h: Header) -> [String] {
        taxes.map { tax in
            let label = h.taxRule.rate(code: tax.code)?.label(language) ?? tax.code
            return row("\(label) \(tax.rate.percentText(language))", money(tax.amount))
        }
    }

    private func tenderRows(_ tenders: [Tender]) -> [String] {
        tenders.flatMap { tender -> [String] in
            switch tender.kind {
            case .cash:
                var out = [row(t("Comptant", "Cash"), money(tender.given ?? tender.amount))]
                if tender.change.isPositive { out.append(row(t("Monnaie rendue", "Change"), money(tender.change))) }
                return out
            case .card:
                return [row(t("Carte", "Card") + " " + (tender.reference ?? ""), money(tender.amount))]
            }
        }
    }

    private func footer(_ h: Header) -> [String] {
        var out = [String(repeating: "-", count: width)]
        for rate in h.taxRule.rates {
            if let number = h.store.taxNumbers[rate.code] { out.append("\(rate.label(language)) \(number)") }
        }
        out.append(center(t("Merci et à bientôt !", "Thank you, come again!")))
        return out
    }

    /// A receipt's lines, with the ones a printer sets in bold (the title and the total).
    public struct Paper: Sendable, Equatable {
        public var lines: [String]
        public var emphasized: Set<Int>
        public var text: String { lines.joined(separator: "\n") + "\n" }
    }

    public func render(_ sale: Sale, header h: Header) -> String { paper(sale, header: h).text }

    public func render(_ ret: SaleReturn, header h: Header) -> String { paper(ret, header: h).text }

    public func paper(_ sale: Sale, header h: Header) -> Paper {
        let head = heading(h, title: center(t("VENTE", "SALE")), number: sale.receiptNumber, registerId: sale.registerId)
        var out = head.lines
        var bold: Set<Int> = [head.title]
        out += lineRows(sale.lines)
        out.append(String(repeating: "-", count: width))
        out += savingsRows(sale.lines)
        out.append(row(t("Sous-total", "Subtotal"), money(sale.subtotal)))
        out += taxRows(sale.taxes, h)
        bold.insert(out.count)
        out.append(row(t("TOTAL", "TOTAL"), money(sale.total)))
        if sale.rounding != .zero {
            out.append(row(t("Arrondi (comptant)", "Cash rounding"), money(sale.rounding)))
            out.append(row(t("Total payé", "Total paid"), money(sale.amountPaid)))
        }
        out.append("")
        out += tenderRows(sale.tenders)
        out.append(row(t("Articles", "Items"), String(sale.itemCount)))
        if let card = sale.customerCard {
            // Central credits the points from its own program when it receives the sale (issue 27).
            out.append(row(t("Carte fidélité", "Loyalty card"), card))
            // The points by central's own rule on the same subtotal; central credits them when it
            // receives the sale (issue 27), so the receipt says so rather than a balance it cannot know.
            if let program = h.loyalty, program.pointsPerDollar > 0 {
                out.append(row(t("Points gagnés", "Points earned"), String(program.points(forNet: sale.subtotal))))
                out.append(t("(crédités par le central)", "(credited by central)"))
            } else {
                out.append(t("Points crédités par le central", "Points credited by central"))
            }
            if let balance = h.pointsBalanceKnown {
                out.append(row(t("Solde connu", "Balance known"), String(balance)))
            }
        }
        out += footer(h)
        return Paper(lines: out, emphasized: bold)
    }

    public func paper(_ ret: SaleReturn, header h: Header) -> Paper {
        let head = heading(h, title: center(t("RETOUR", "RETURN")), number: ret.receiptNumber, registerId: ret.registerId)
        var out = head.lines
        var bold: Set<Int> = [head.title]
        out.append(t("Vente d'origine", "Original sale") + " " + ret.originalReceiptNumber)
        out += lineRows(ret.lines)
        out.append(String(repeating: "-", count: width))
        out.append(row(t("Sous-total remboursé", "Subtotal refunded"), money(ret.subtotal)))
        out += taxRows(ret.taxes, h)
        bold.insert(out.count)
        out.append(row(t("REMBOURSEMENT", "REFUND"), money(ret.total)))
        if ret.rounding != .zero {
            out.append(row(t("Arrondi (comptant)", "Cash rounding"), money(ret.rounding)))
        }
        out.append("")
        for tender in ret.tenders {
            let label = tender.kind == .cash ? t("Remis en comptant", "Cash refunded") : t("Crédité à la carte", "Credited to card") + " " + (tender.reference ?? "")
            out.append(row(label, money(tender.amount)))
        }
        out += footer(h)
        return Paper(lines: out, emphasized: bold)
    }
}
