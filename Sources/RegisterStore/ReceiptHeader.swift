import CaisseCore
import Foundation

extension RegisterStore {
    /// The heading of a receipt or report printed at this till: chain, store,
    /// the person's display name and the time in the store's own time zone.
    public func receiptHeader(cashierId: Int64, at millis: Int64) throws -> Receipt.Header {
        let me = try identity()
        let cashier = try user(id: cashierId)?.displayName ?? "#\(cashierId)"
        return Receipt.Header(chainName: me.chainName, store: me.store, cashierName: cashier,
                              localTime: Self.localTime(millis, timeZone: me.store.timeZone), taxRule: me.taxRule, loyalty: try loyaltyProgram())
    }

    /// "2026-11-25 14:03" in the given IANA time zone.
    public static func localTime(_ millis: Int64, timeZone identifier: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: identifier) ?? .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
