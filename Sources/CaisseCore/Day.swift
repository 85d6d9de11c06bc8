/// A calendar day, counted from 1970-01-01. Reports group by the store's local
/// day; the caller gives the UTC offset, so this type stays pure.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var number: Int

    public init(number: Int) { self.number = number }

    public init(epochMillis: Int64, utcOffsetSeconds: Int) {
        // Floor division: a moment before 1970 belongs to the day before.
        let wholeSeconds = epochMillis >= 0 ? epochMillis / 1000 : (epochMillis - 999) / 1000
        let seconds = wholeSeconds + Int64(utcOffsetSeconds)
        number = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// The years a day a person or a till sends may fall in: the documented 2000–2100,
    /// and the local day either side of it (a moment of 2000-01-01 UTC is 1999-12-31 in
    /// Montréal). Issue 24: a promotion dated 0999 was stored as "999-01-01", which no
    /// longer decoded, and every till's sync failed with it.
    public static let years: ClosedRange<Int> = 1999...2101

    /// "2026-11-25" → Day; nil for anything else (2026-02-30, a year outside `years`).
    public init?(iso: String) {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), Day.years.contains(y),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        let candidate = Day(number: Day.daysFromCivil(y, m, d))
        guard candidate.civil == (y, m, d) else { return nil }
        self = candidate
    }

    public static func < (a: Day, b: Day) -> Bool { a.number < b.number }
    public func adding(days: Int) -> Day { Day(number: number + days) }

    public var civil: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public var iso: String {
        let (y, m, d) = civil
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        // Four digits whatever the year, so that what is written always reads back.
        let year = String(y.magnitude)
        return (y < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - year.count)) + year + "-\(two(m))-\(two(d))"
    }

    public var description: String { iso }

    /// Milliseconds at 00:00 local time of this day.
    public func startMillis(utcOffsetSeconds: Int) -> Int64 {
        Int64(number) * 86_400_000 - Int64(utcOffsetSeconds) * 1000
    }

    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text)' is not a date YYYY-MM-DD between \(Day.years.lowerBound) and \(Day.years.upperBound)"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso)
    }
}
