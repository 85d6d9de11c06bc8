/// Which taxes a product attracts. Data, not an enum: a province can add a class
/// (e.g. "prepared-food") without a code change.
public struct TaxClass: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    public var description: String { rawValue }

    public static let standard = TaxClass("standard")
    /// Basic groceries: no GST/QST/HST.
    public static let zeroRated = TaxClass("zero")
}

/// One tax of a jurisdiction, e.g. GST 5 % on the standard class.
public struct TaxRate: Hashable, Sendable, Codable {
    /// Stable code used in storage and reports: "GST", "QST", "HST".
    public var code: String
    /// What the receipt prints, per language ("TPS"/"GST").
    public var labelFr: String
    public var labelEn: String
    /// Rate in millionths, so 9.975 % is exactly 99_750.
    public var rateMicros: Int64
    public var taxableClasses: Set<TaxClass>

    public init(code: String, labelFr: String, labelEn: String, rateMicros: Int64, taxableClasses: Set<TaxClass>) {
        self.code = code
        self.labelFr = labelFr
        self.labelEn = labelEn
        self.rateMicros = rateMicros
        self.taxableClasses = taxableClasses
    }

    public func label(_ language: Language) -> String { language == .fr ? labelFr : labelEn }

    /// "5 %", "9,975 %" / "9.975%".
    public func percentText(_ language: Language) -> String {
        let whole = rateMicros / 10_000
        var fraction = String(rateMicros % 10_000)
        while fraction.count < 4 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let number = fraction.isEmpty ? "\(whole)" : "\(whole)\(language == .fr ? "," : ".")\(fraction)"
        return language == .fr ? number + "\u{00A0}%" : number + "%"
    }

    /// Tax on a base, rounded half-up to the cent (half away from zero for refunds).
    public func tax(on base: Money) -> Money {
        let magnitude = base.cents.magnitude * UInt64(rateMicros)
        let rounded = Int64((magnitude + 500_000) / 1_000_000)
        return Money(cents: base.cents < 0 ? -rounded : rounded)
    }
}

/// The taxes a store charges: per store data (a Quebec store, an Ontario store).
public struct TaxRule: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var rates: [TaxRate]

    public init(code: String, name: String, rates: [TaxRate]) {
        self.code = code
        self.name = name
        self.rates = rates
    }

    /// Quebec since 2013: GST 5 % and QST 9.975 %, both on the pre-tax price.
    public static let quebec = TaxRule(code: "QC", name: "Québec", rates: [
        TaxRate(code: "GST", labelFr: "TPS", labelEn: "GST", rateMicros: 50_000, taxableClasses: [.standard]),
        TaxRate(code: "QST", labelFr: "TVQ", labelEn: "QST", rateMicros: 99_750, taxableClasses: [.standard]),
    ])

    /// Ontario: one harmonized 13 % tax.
    public static let ontario = TaxRule(code: "ON", name: "Ontario", rates: [
        TaxRate(code: "HST", labelFr: "TVH", labelEn: "HST", rateMicros: 130_000, taxableClasses: [.standard]),
    ])

    /// Each tax is computed once on the sale's taxable subtotal and rounded once:
    /// rounding per line would drift by cents on long receipts.
    public func taxes(onSubtotals subtotals: [TaxClass: Money]) -> [TaxLine] {
        rates.map { rate in
            let base = subtotals.reduce(Money.zero) { acc, entry in
                rate.taxableClasses.contains(entry.key) ? acc + entry.value : acc
            }
            return TaxLine(code: rate.code, rateMicros: rate.rateMicros,
                           taxableClasses: rate.taxableClasses.sorted { $0.rawValue < $1.rawValue },
                           base: base, amount: rate.tax(on: base))
        }
    }

    public func rate(code: String) -> TaxRate? { rates.first { $0.code == code } }
}

/// One tax as charged on one sale: kept with the sale so that a refund uses the
/// rate of the day of the sale, not today's.
public struct TaxLine: Hashable, Sendable, Codable {
    public var code: String
    public var rateMicros: Int64
    /// The classes this tax applied to on that day (a return needs them).
    public var taxableClasses: [TaxClass]
    public var base: Money
    public var amount: Money

    public init(code: String, rateMicros: Int64, taxableClasses: [TaxClass], base: Money, amount: Money) {
        self.code = code
        self.rateMicros = rateMicros
        self.taxableClasses = taxableClasses
        self.base = base
        self.amount = amount
    }

    public var rate: TaxRate {
        TaxRate(code: code, labelFr: code, labelEn: code, rateMicros: rateMicros, taxableClasses: Set(taxableClasses))
    }

    enum CodingKeys: String, CodingKey {
        case code, rateMicros, taxableClasses
        case base = "baseCents"
        case amount = "amountCents"
    }
}
