/// Text laid out in fixed-width lines for paper (receipts, cash reports), in
/// the till's language: the helpers `Receipt` and `CashReportText` share.
protocol PaperText {
    var width: Int { get }
    var language: Language { get }
}

extension PaperText {
    func t(_ fr: String, _ en: String) -> String { language == .fr ? fr : en }

    func money(_ m: Money) -> String { m.formatted(language) }

    /// `left` and `right` at the two edges of a line.
    func row(_ left: String, _ right: String) -> String {
        let space = max(1, width - left.count - right.count)
        return left + String(repeating: " ", count: space) + right
    }

    func center(_ text: String) -> String {
        let text = clip(text, width)
        let pad = max(0, (width - text.count) / 2)
        return String(repeating: " ", count: pad) + text
    }

    /// `left` and `right` on one line when they fit, else one under the other (58 mm paper).
    func rows(_ left: String, _ right: String) -> [String] {
        left.count + 1 + right.count <= width ? [row(left, right)] : [clip(left, width), String(repeating: " ", count: max(0, width - right.count)) + right]
    }

    /// At most `n` characters, an ellipsis marking the cut.
    func clip(_ text: String, _ n: Int) -> String {
        text.count <= n ? text : String(text.prefix(max(0, n - 1))) + "…"
    }

    /// Splits an address at its commas into lines that fit the paper.
    func wrap(_ text: String) -> [String] {
        var lines: [String] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: " ") }) {
            if let last = lines.last, last.count + 2 + part.count <= width {
                lines[lines.count - 1] = last + ", " + part
            } else {
                lines.append(clip(part, width))
            }
        }
        return lines
    }
}
