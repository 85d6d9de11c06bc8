import CaisseCore
import Foundation

/// Every string of the TUI is written in both languages at the place it is
/// used: `tr(.sale)`. Nothing can be left untranslated.
struct Tr: Hashable, Sendable {
    let language: Language
    init(_ language: Language) { self.language = language }
    func callAsFunction(_ word: Word) -> String { language == .fr ? word.french : word.english }

    func money(_ m: Money) -> String { m.formatted(language) }

    func role(_ role: Role) -> String {
        switch role {
        case .cashier: self(.cashier)
        case .employee: self(.employee)
        case .manager: self(.managerInLine)
        case .admin: self(.admin)
        }
    }
}

/// Wall-clock text in the store's time zone, from the state's clock.
enum Clock {
    private static func components(_ millis: Int64, _ zone: String) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? TimeZone(secondsFromGMT: 0) ?? .current
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                       from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    private static func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }

    /// The store's local day and minute: what a promotion's calendar is read against.
    static func moment(_ millis: Int64, _ zone: String) -> LocalMoment {
        let tz = TimeZone(identifier: zone) ?? TimeZone(secondsFromGMT: 0) ?? .current
        return LocalMoment(epochMillis: millis, utcOffsetSeconds: tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000)))
    }

    /// The store's local calendar day.
    static func day(_ millis: Int64, _ zone: String) -> Day {
        let tz = TimeZone(identifier: zone) ?? TimeZone(secondsFromGMT: 0) ?? .current
        return Day(epochMillis: millis, utcOffsetSeconds: tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000)))
    }

    /// "14:03"
    static func time(_ millis: Int64, _ zone: String) -> String {
        let c = components(millis, zone)
        return "\(two(c.hour)):\(two(c.minute))"
    }

    /// "2026-11-25 14:03"
    static func dateTime(_ millis: Int64, _ zone: String) -> String {
        let c = components(millis, zone)
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }
}

extension Money {
    /// Reads what a cashier types: "20", "20,00", "20.5", "20 $".
    static func typed(_ text: String) -> Money? {
        let cleaned = text.replacingOccurrences(of: "$", with: "").trimmingCharacters(in: .whitespaces)
        guard !cleaned.isEmpty else { return nil }
        return try? Money.parse(cleaned)
    }
}

extension Tr {
    func reason(_ r: DiscountReason) -> String { r.label(language) }

    /// A business rule's refusal in the till's language.
    func explain(_ error: DomainError) -> String { self(.refused(error)) }
}

/// An error from the store or the domain, for the flash line, in the till's language.
public func describe(_ error: any Error, _ language: Language) -> String {
    if let domain = error as? DomainError { return Tr(language).explain(domain) }
    if let store = error as? StoreError { return Tr(language)(.error) + Tr(language)(.storeRefused(store)) }
    if let bilingual = error as? any BilingualError { return Tr(language)(.error) + bilingual.message(language) }
    return Tr(language)(.error) + "\(error)"
}

/// A restock request's state in the till's language (screens and messages).
public func restockStateWord(_ state: RestockState, _ language: Language) -> String {
    let tr = Tr(language)
    return switch state {
    case .requested: tr(.requested)
    case .approved: tr(.approved)
    case .rejected: tr(.rejected)
    case .shipped: tr(.shipped)
    case .received: tr(.received)
    case .cancelled: tr(.cancelled)
    }
}

extension String {
    /// The first letter in capital, the rest as written: `capitalized` wrote "Perte (Invendus)" (issue 28, item 16).
    var firstCapitalised: String { prefix(1).uppercased() + dropFirst() }
}
