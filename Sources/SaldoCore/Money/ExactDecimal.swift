/// An exact decimal number: `significand × 10^-scale`. Used for rates, percentages and
/// amounts before their currency is known. Never goes through floating point.
public struct ExactDecimal: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let significand: Int128
    public let scale: Int

    public init(significand: Int128, scale: Int) {
        precondition(scale >= 0 && scale <= 30)
        self.significand = significand
        self.scale = scale
    }

    public init(_ integer: Int) { self.init(significand: Int128(integer), scale: 0) }

    /// Parses plain decimal text such as `1.0856`, `-0.5`, `12`, `1e-3` is not accepted.
    public init(_ text: String) throws(MoneyError) {
        // Fast path for the canonical form Saldo itself stores (`-1234.5678`): digits, one point, a sign.
        var utf8 = text.utf8[...]
        var negative = false
        if utf8.first == UInt8(ascii: "-") { negative = true; utf8 = utf8.dropFirst() }
        var value: Int128 = 0, scale = -1, digits = 0
        var plain = !utf8.isEmpty && utf8.count <= 30
        if plain {
            for b in utf8 {
                if b >= 48 && b <= 57 {
                    value = value * 10 + Int128(b - 48); digits += 1
                    if scale >= 0 { scale += 1 }
                } else if b == UInt8(ascii: ".") && scale < 0 {
                    scale = 0
                } else { plain = false; break }
            }
        }
        if plain && digits > 0 && scale != 0 {
            self.init(significand: negative ? -value : value, scale: max(scale, 0))
            return
        }
        self = try AmountText.parse(text, notation: .point)
    }

    public var isZero: Bool { significand == 0 }
    public var isNegative: Bool { significand < 0 }

    /// The same value with `newScale` decimals; `nil` if digits would be lost.
    public func rescaled(to newScale: Int) -> ExactDecimal? {
        if newScale == scale { return self }
        if newScale > scale {
            let (v, o) = significand.multipliedReportingOverflow(by: pow10(newScale - scale))
            return o ? nil : ExactDecimal(significand: v, scale: newScale)
        }
        let f = pow10(scale - newScale)
        guard significand % f == 0 else { return nil }
        return ExactDecimal(significand: significand / f, scale: newScale)
    }

    /// Rounds to `places` decimals with `rule` (see ``RoundingRule``).
    public func rounded(to places: Int, rule: RoundingRule = .halfEven) -> ExactDecimal {
        if places >= scale { return rescaled(to: places)! }
        return ExactDecimal(significand: rule.divide(significand, by: pow10(scale - places)), scale: places)
    }

    /// Removes trailing zeros after the point.
    public var normalized: ExactDecimal {
        var s = significand, k = scale
        while k > 0 && s % 10 == 0 { s /= 10; k -= 1 }
        return ExactDecimal(significand: s, scale: k)
    }

    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        let k = max(a.scale, b.scale)
        return a.significand * pow10(k - a.scale) < b.significand * pow10(k - b.scale)
    }
    public static func == (a: ExactDecimal, b: ExactDecimal) -> Bool {
        let k = max(a.scale, b.scale)
        return a.significand * pow10(k - a.scale) == b.significand * pow10(k - b.scale)
    }
    public func hash(into h: inout Hasher) {
        let n = normalized
        h.combine(n.significand); h.combine(n.scale)
    }

    public static func + (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal {
        let k = max(a.scale, b.scale)
        return ExactDecimal(significand: a.significand * pow10(k - a.scale) + b.significand * pow10(k - b.scale), scale: k)
    }
    public static prefix func - (a: ExactDecimal) -> ExactDecimal { ExactDecimal(significand: -a.significand, scale: a.scale) }
    public static func - (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal { a + (-b) }
    public static func * (a: ExactDecimal, b: ExactDecimal) -> ExactDecimal {
        ExactDecimal(significand: a.significand * b.significand, scale: a.scale + b.scale).normalized
    }

    /// `a / b` to `places` decimals, rounded once by `rule`.
    public func divided(by b: ExactDecimal, places: Int, rule: RoundingRule = .halfEven) -> ExactDecimal {
        // a/b = (sa/10^ka) / (sb/10^kb) = sa*10^kb / (sb*10^ka); times 10^places.
        let num = significand * pow10(b.scale + places)
        let den = b.significand * pow10(scale)
        return ExactDecimal(significand: rule.divide(num, by: den), scale: places)
    }

    /// Plain text with a point and no grouping: `-1234.5`.
    public var description: String {
        let neg = significand < 0
        var digits = String(neg ? -significand : significand)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return neg ? "-" + digits : digits
    }

    /// For statistics and charts only (never for money arithmetic).
    public var approximateDouble: Double {
        Double(significand) / Double(pow10(scale))
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
