import Foundation

/// The folded form in which names are compared by search: no accents,
/// ligatures or case, words separated by single spaces.
/// "Café  Filtre (moyen)" → "cafe filtre moyen", "Œuf" → "oeuf".
public enum SearchKey {
    /// One pass over the scalars; ASCII (most of any name) is folded inline and
    /// only the rare accented scalar goes through Foundation, which is slow
    /// enough to dominate a 100,000-product catalog load otherwise.
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var separatorPending = false
        func emit(_ scalar: Unicode.Scalar) {
            if separatorPending && !out.isEmpty { out.append(" ") }
            separatorPending = false
            out.append(scalar)
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                if (0x30...0x39).contains(v) || (0x61...0x7A).contains(v) {
                    emit(scalar)
                } else if (0x41...0x5A).contains(v), let lower = Unicode.Scalar(v + 0x20) {
                    emit(lower)
                } else {
                    separatorPending = true
                }
                continue
            }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue   // an accent: part of the letter before it
            default: break
            }
            let folded = foldLigatures(String(scalar)).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            for f in folded.unicodeScalars {
                if f.properties.isAlphabetic || f.properties.numericType != nil { emit(f) } else { separatorPending = true }
            }
        }
        return String(out)
    }

    /// Unicode's accent folding leaves ligatures alone: œ, æ become oe, ae.
    public static func foldLigatures(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { "œŒæÆ".unicodeScalars.contains($0) }) else { return text }
        return text.replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "Œ", with: "OE")
            .replacingOccurrences(of: "æ", with: "ae").replacingOccurrences(of: "Æ", with: "AE")
    }

    /// Whether every word typed starts a word of `fields`, accents and case aside: the rule of
    /// the till's full-text search (`"word"*` per word over name, category and SKU), for rows
    /// that are not in its index (central's stock read live, issue 28 item 8).
    public static func matches(_ query: String, _ fields: String...) -> Bool {
        let typed = fold(query).split(separator: " ")
        guard !typed.isEmpty else { return true }
        let words = fields.flatMap { fold($0).split(separator: " ") }
        return typed.allSatisfy { w in words.contains { $0.hasPrefix(w) } }
    }
}
