/// An amount of Canadian money in integer cents. Never a floating-point number:
/// sums of prices must be exact to the cent.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var cents: Int64

    public init(cents: Int64) { self.cents = cents }

    // On the wire and on disk an amount is a bare integer of cents.
    // Anything beyond ±10^13 cents (100 G$) is refused at decode: no till or
    // report amount comes near it, and sums of a few hundred such amounts, or
    // one times a line's quantity, cannot overflow Int64.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(Int64.self)
        guard value.magnitude <= Money.wireLimit else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "amount \(value) out of ±\(Money.wireLimit) cents")
        }
        cents = value
    }
    public static let wireLimit: UInt64 = 10_000_000_000_000
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(cents)
    }

    public static let zero = Money(cents: 0)

    // Arithmetic saturates at ±Int64.max instead of trapping (issue 24): sums of
    // stored figures (a month of a store's discounts, a year of a chain's sales)
    // must never take central down, whatever a hostile till managed to store.
    // No honest amount comes within six orders of magnitude of the bound, so a
    // saturated figure is itself the sign of hostile data, never a rounding.
    public static func + (a: Money, b: Money) -> Money { Money(cents: saturating(a.cents.addingReportingOverflow(b.cents), a.cents < 0 && b.cents < 0)) }
    public static func - (a: Money, b: Money) -> Money { Money(cents: saturating(a.cents.subtractingReportingOverflow(b.cents), a.cents < 0)) }
    public static func * (a: Money, quantity: Int) -> Money {
        let (value, overflow) = a.cents.multipliedReportingOverflow(by: Int64(quantity))
        return Money(cents: overflow ? ((a.cents < 0) != (quantity < 0) ? -Int64.max : Int64.max) : value)
    }
    public static prefix func - (a: Money) -> Money { Money(cents: a.cents == .min ? .max : -a.cents) }
    public static func += (a: inout Money, b: Money) { a = a + b }
    public static func -= (a: inout Money, b: Money) { a = a - b }
    private static func saturating(_ result: (partialValue: Int64, overflow: Bool), _ negative: Bool) -> Int64 {
        result.overflow ? (negative ? -Int64.max : Int64.max) : result.partialValue
    }
    public static func < (a: Money, b: Money) -> Bool { a.cents < b.cents }

    public var isNegative: Bool { cents < 0 }
    public var isPositive: Bool { cents > 0 }

    /// Canada withdrew the penny: cash totals round to the nearest 0.05 $
    /// (1–2 ¢ down, 3–4 ¢ up, 6–7 ¢ down, 8–9 ¢ up). Card totals are not rounded.
    public var roundedToNickel: Money {
        let sign: Int64 = cents < 0 ? -1 : 1
        let magnitude = cents.magnitude
        let rounded = (magnitude + 2) / 5 * 5
        return Money(cents: sign * Int64(rounded))
    }

    /// Plain machine form, "-12.50": logs, CSV, JSON-adjacent text.
    public var description: String {
        let sign = cents < 0 ? "-" : ""
        let m = cents.magnitude
        let fraction = m % 100
        return "\(sign)\(m / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Formats for a till's language: fr-CA "1 234,50 $", en-CA "$1,234.50".
    public func formatted(_ language: Language) -> String {
        let negative = cents < 0
        let m = cents.magnitude
        let units = String(m / 100)
        let fraction = m % 100
        let fractionText = (fraction < 10 ? "0" : "") + String(fraction)
        let separator: Character = language == .fr ? "\u{202F}" : ","
        var grouped = ""
        for (i, ch) in units.enumerated() {
            if i > 0 && (units.count - i) % 3 == 0 { grouped.append(separator) }
            grouped.append(ch)
        }
        switch language {
        case .fr: return (negative ? "-" : "") + grouped + "," + fractionText + "\u{00A0}$"
        case .en: return (negative ? "-" : "") + "$" + grouped + "." + fractionText
        }
    }

    /// Parses what a cashier or a script types: "12", "12.5", "12,50", "$12.50",
    /// "12,50 $", "0.05". Refuses negatives, more than two decimals, thousands
    /// separators and anything else, with a message that says why.
    public static func parse(_ text: String) throws(MoneyParseError) -> Money {
        var s = text.trimmingCharacters(in: " \t\u{00A0}\u{202F}")
        if s.isEmpty { throw .empty }
        if s.hasPrefix("$") { s.removeFirst() }
        if s.hasSuffix("$") { s.removeLast() }
        s = s.trimmingCharacters(in: " \t\u{00A0}\u{202F}")
        if s.hasPrefix("-") { throw .negative(text) }
        if s.hasPrefix("+") { s.removeFirst() }
        let separators = s.filter { $0 == "." || $0 == "," }
        if separators.count > 1 { throw .malformed(text) }
        let parts = s.split(separator: separators.first ?? "|", omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        if whole.isEmpty && fraction.isEmpty { throw .malformed(text) }
        guard whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit) else { throw .malformed(text) }
        if separators.count == 1 && fraction.isEmpty { throw .malformed(text) }
        if fraction.count > 2 { throw .tooManyDecimals(text) }
        // 10 digits of dollars is far above any till amount and far below Int64's limit.
        if whole.count > 10 { throw .tooLarge(text) }
        let dollars = Int64(whole.isEmpty ? "0" : String(whole)) ?? 0
        let paddedFraction = fraction.count == 1 ? fraction + "0" : (fraction.isEmpty ? "00" : String(fraction))
        let centsPart = Int64(paddedFraction) ?? 0
        return Money(cents: dollars * 100 + centsPart)
    }
}

public enum MoneyParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case negative(String)
    case malformed(String)
    case tooManyDecimals(String)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .empty: return "no amount given"
        case .negative(let t): return "amount '\(t)' is negative; amounts are typed as positive numbers"
        case .malformed(let t): return "'\(t)' is not an amount (expected e.g. 12, 12.50 or 12,50)"
        case .tooManyDecimals(let t): return "amount '\(t)' has more than two decimals"
        case .tooLarge(let t): return "amount '\(t)' is too large"
        }
    }
}

/// The languages a till speaks; amounts and every string follow it.
public enum Language: String, Sendable, Codable, CaseIterable {
    case fr, en
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}

/// Counts and quantities summed from storage (a report's rows, a batch's aggregates, on-hand):
/// held at ±max instead of trapping, as `Money` is (issue 24: arithmetic on stored data cannot
/// trap). No honest figure comes near the bound; one that reaches it shows hostile data.
extension FixedWidthInteger where Self: SignedInteger {
    public mutating func add(saturating other: Self) {
        let (sum, overflow) = addingReportingOverflow(other)
        self = overflow ? (other < 0 ? -Self.max : Self.max) : sum
    }

    public mutating func subtract(saturating other: Self) {
        let (difference, overflow) = subtractingReportingOverflow(other)
        self = overflow ? (other > 0 ? -Self.max : Self.max) : difference
    }

    public func adding(saturating other: Self) -> Self {
        var sum = self
        sum.add(saturating: other)
        return sum
    }

    public func subtracting(saturating other: Self) -> Self {
        var difference = self
        difference.subtract(saturating: other)
        return difference
    }
}
