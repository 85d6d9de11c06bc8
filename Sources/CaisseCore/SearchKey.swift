import Foundation

/// The folded form in which names are compared by search: no accents,
/// ligatures or case, words separated by single spaces.
/// "Café  Filtre (moyen)" → "cafe filtre moyen", "Œuf" → "oeuf".
public enum SearchKey {
    public static func fold(_ text: String) -> String {
        foldLigatures(text).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .split { !($0.isLetter || $0.isNumber) }.joined(separator: " ")
    }

    /// Unicode's accent folding leaves ligatures alone: œ, æ become oe, ae.
    public static func foldLigatures(_ text: String) -> String {
        text.replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "Œ", with: "OE")
            .replacingOccurrences(of: "æ", with: "ae").replacingOccurrences(of: "Æ", with: "AE")
    }
}
