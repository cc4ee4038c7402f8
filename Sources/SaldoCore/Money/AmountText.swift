/// How a file or a locale writes numbers: which character is the decimal mark and which
/// characters may group thousands.
public struct NumberNotation: Hashable, Sendable, CustomStringConvertible {
    public let decimalMark: Character
    public let groupSeparators: Set<Character>

    public init(decimalMark: Character, groupSeparators: Set<Character>) {
        self.decimalMark = decimalMark
        self.groupSeparators = groupSeparators
    }

    static let spaces: Set<Character> = [" ", "\u{00A0}", "\u{202F}", "\u{2009}"]
    /// `1,234.56` (en), also `1 234.56` and `1'234.56` (de-CH).
    public static let point = NumberNotation(decimalMark: ".", groupSeparators: spaces.union([",", "'", "’"]))
    /// `1.234,56` (es, de, it), also `1 234,56` (fr).
    public static let comma = NumberNotation(decimalMark: ",", groupSeparators: spaces.union([".", "'", "’"]))

    public var description: String { decimalMark == "." ? "decimal point" : "decimal comma" }
}

/// Reads amounts as people and exports write them, exactly, without `Double`.
///
/// Accepted: an optional sign (`-`, `+`, `−`), parentheses for negatives `(12.00)`, a trailing
/// minus `12.00-`, grouping separators of the notation (only between digit groups of three),
/// a currency symbol or ISO code before or after the number.
public enum AmountText {
    public static func parse(_ raw: String, notation: NumberNotation) throws(MoneyError) -> ExactDecimal {
        try parseWithCurrency(raw, notation: notation).value
    }

    /// Parses and also returns the currency code or symbol written next to the number, if any.
    public static func parseWithCurrency(_ raw: String, notation: NumberNotation) throws(MoneyError) -> (value: ExactDecimal, currencyText: String?) {
        var s = Substring(raw.trimmingCharactersWhitespace())
        guard !s.isEmpty else { throw .notANumber(raw) }
        var negative = false
        if s.first == "(" && s.last == ")" {
            negative = true
            s = s.dropFirst().dropLast()
            s = Substring(String(s).trimmingCharactersWhitespace())
        }
        if s.last == "-" || s.last == "−" {
            negative.toggle()
            s = s.dropLast()
            s = Substring(String(s).trimmingCharactersWhitespace())
        }
        // Currency before the number: letters or symbols up to the first sign or digit.
        var currencyText: String?
        let leading = s.prefix { !($0.isASCII && $0.isNumber) && $0 != "-" && $0 != "+" && $0 != "−" && $0 != notation.decimalMark }
        if !leading.isEmpty {
            currencyText = String(leading).trimmingCharactersWhitespace()
            s = s.dropFirst(leading.count)
        }
        if let f = s.first, f == "-" || f == "+" || f == "−" {
            if f != "+" { negative.toggle() }
            s = s.dropFirst()
            // Sign before the currency symbol: "-€12.00" or "€-12.00".
            let more = s.prefix { !($0.isASCII && $0.isNumber) && $0 != notation.decimalMark }
            if !more.isEmpty && currencyText == nil {
                currencyText = String(more).trimmingCharactersWhitespace()
                s = s.dropFirst(more.count)
            }
        }
        // Currency after the number.
        let trailing = s.reversed().prefix { !($0.isASCII && $0.isNumber) }
        if !trailing.isEmpty {
            let t = String(trailing.reversed()).trimmingCharactersWhitespace()
            if t.contains(where: { $0.isLetter || $0.isSymbol || $0.isCurrencySymbolLike }) {
                if currencyText != nil { throw .notANumber(raw) }
                currencyText = t
                s = s.dropLast(trailing.count)
            }
        }
        if let c = currencyText, c.isEmpty { currencyText = nil }
        if let c = currencyText, c.contains(where: { $0.isNumber }) { throw .notANumber(raw) }

        // Now only digits, the decimal mark and group separators may remain.
        var intDigits: [UInt8] = []
        var fracDigits: [UInt8] = []
        var seenMark = false
        var groupPositions: [Int] = []   // count of integer digits at each separator
        for ch in s {
            if let a = ch.asciiValue, a >= 48 && a <= 57 {
                if seenMark { fracDigits.append(a - 48) } else { intDigits.append(a - 48) }
            } else if ch == notation.decimalMark && !seenMark {
                seenMark = true
            } else if notation.groupSeparators.contains(ch) && !seenMark {
                groupPositions.append(intDigits.count)
            } else {
                throw .notANumber(raw)
            }
        }
        if intDigits.isEmpty && fracDigits.isEmpty { throw .notANumber(raw) }
        if !groupPositions.isEmpty {
            // Groups must be of three digits: 1,234,567 but not 1,23 or 12,3456.
            guard let first = groupPositions.first, first >= 1, first <= 3 else { throw .notANumber(raw) }
            var prev = first
            for p in groupPositions.dropFirst() {
                guard p - prev == 3 else { throw .notANumber(raw) }
                prev = p
            }
            guard intDigits.count - prev == 3 else { throw .notANumber(raw) }
        }
        guard intDigits.count + fracDigits.count <= 30, fracDigits.count <= 18 else { throw .overflow(raw) }
        var v: Int128 = 0
        for d in intDigits + fracDigits { v = v * 10 + Int128(d) }
        return (ExactDecimal(significand: negative ? -v : v, scale: fracDigits.count), currencyText)
    }
}

extension Character {
    var isCurrencySymbolLike: Bool { unicodeScalars.contains { $0.properties.generalCategory == .currencySymbol } }
}

extension String {
    func trimmingCharactersWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
