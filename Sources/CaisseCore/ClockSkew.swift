/// A till's clock against central's (issue 23): beyond five minutes the till says so,
/// because central quarantines what it cannot date and a receipt prints the till's time.
public enum ClockSkew {
    /// Seconds of difference a till lives with (NTP steps, a slow answer).
    public static let tolerance: Int64 = 300

    /// "en retard de 2 j" / "2 d slow": how far and which way, for a person.
    public static func describe(_ skewSeconds: Int64, _ language: Language) -> String {
        let m = skewSeconds.magnitude
        let amount: String
        switch m {
        case ..<3_600: amount = "\(max(1, m / 60)) min"
        case ..<172_800: amount = "\(m / 3_600) h"
        default: amount = "\(m / 86_400) " + (language == .fr ? "j" : "d")
        }
        switch (language, skewSeconds < 0) {
        case (.fr, true): return "en retard de \(amount)"
        case (.fr, false): return "en avance de \(amount)"
        case (.en, true): return "\(amount) slow"
        case (.en, false): return "\(amount) fast"
        }
    }
}
