/// An exact amount of money: an integer count of the currency's minor unit (cents for EUR,
/// yen for JPY, fils for KWD) and its ISO 4217 currency.
///
/// Arithmetic between two currencies is a programming error and traps; combine amounts of
/// several currencies in a ``MoneyBag``. Conversion goes through ``converted(by:to:rule:)``,
/// which rounds once, in ``RoundingRule``.
public struct Money: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: CurrencyCode

    public init(minorUnits: Int64, currency: CurrencyCode) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: CurrencyCode) -> Money { Money(minorUnits: 0, currency: currency) }

    /// An exact decimal in this currency; refuses values with more decimals than the currency has
    /// (unless the extra digits are zeros).
    public init(_ value: ExactDecimal, currency: CurrencyCode) throws(MoneyError) {
        guard let r = value.rescaled(to: currency.exponent) else {
            throw .tooManyDecimals(value.description, currency: currency.code, allowed: currency.exponent)
        }
        guard let v = Int64(exactly: r.significand) else { throw .overflow(value.description) }
        self.init(minorUnits: v, currency: currency)
    }

    /// Parses text such as `1,234.56`, `1.234,56`, `-1 234,56`, `(12.00)`, `€12.50`, `12.50 USD`.
    /// A currency written in the text must agree with `currency`.
    public init(parsing text: String, currency: CurrencyCode, notation: NumberNotation) throws(MoneyError) {
        let (value, written) = try AmountText.parseWithCurrency(text, notation: notation)
        if let w = written {
            let code = CurrencyTable.symbols[w] ?? w.uppercased()
            if code != currency.code && !(w == "$" && ["USD", "CAD", "AUD", "MXN", "NZD", "SGD", "HKD"].contains(currency.code)) {
                if CurrencyTable.exponents[code] != nil { throw .currencyMismatch(code, currency.code) }
                throw .notANumber(text)
            }
        }
        try self.init(value, currency: currency)
    }

    /// Parses `12.50 EUR` or `EUR 12.50` (the form Saldo itself writes), decimal point.
    public init(parsing text: String) throws(MoneyError) {
        let (value, written) = try AmountText.parseWithCurrency(text, notation: .point)
        guard let w = written else { throw .unknownCurrency("") }
        try self.init(value, currency: try CurrencyCode(CurrencyTable.symbols[w] ?? w))
    }

    public var decimal: ExactDecimal { ExactDecimal(significand: Int128(minorUnits), scale: currency.exponent) }
    public var isZero: Bool { minorUnits == 0 }
    public var isNegative: Bool { minorUnits < 0 }
    public var isPositive: Bool { minorUnits > 0 }
    public var magnitude: Money { Money(minorUnits: minorUnits.magnitude > Int64.max.magnitude ? Int64.max : abs(minorUnits), currency: currency) }

    /// Plain decimal text with a point, as in JSON and CSV: `-1234.50`.
    public var decimalString: String { decimal.description }
    /// `-1234.50 EUR`.
    public var description: String { "\(decimalString) \(currency.code)" }

    /// Human formatting with grouping: `1,234.50` or `1.234,50`.
    public func formatted(notation: NumberNotation = .point, grouping: Bool = true, withCode: Bool = false) -> String {
        let neg = minorUnits < 0
        let digits = String(minorUnits.magnitude)
        let e = currency.exponent
        let padded = digits.count <= e ? String(repeating: "0", count: e - digits.count + 1) + digits : digits
        let intPart = padded.dropLast(e)
        let fracPart = padded.suffix(e)
        var out = ""
        let sep: Character = notation.decimalMark == "." ? "," : "."
        for (i, ch) in intPart.enumerated() {
            if grouping && i > 0 && (intPart.count - i) % 3 == 0 { out.append(sep) }
            out.append(ch)
        }
        if e > 0 { out.append(notation.decimalMark); out += fracPart }
        if neg { out = "-" + out }
        return withCode ? out + " " + currency.code : out
    }

    public static func < (a: Money, b: Money) -> Bool {
        precondition(a.currency == b.currency, "comparing \(a.currency) with \(b.currency)")
        return a.minorUnits < b.minorUnits
    }

    public static func + (a: Money, b: Money) -> Money {
        precondition(a.currency == b.currency, "adding \(a.currency) to \(b.currency)")
        return Money(minorUnits: a.minorUnits + b.minorUnits, currency: a.currency)
    }
    public static func - (a: Money, b: Money) -> Money { a + (-b) }
    public static prefix func - (a: Money) -> Money { Money(minorUnits: -a.minorUnits, currency: a.currency) }
    public static func += (a: inout Money, b: Money) { a = a + b }
    public static func -= (a: inout Money, b: Money) { a = a - b }

    /// Adds, refusing a currency mismatch with an error instead of a trap.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency.code, other.currency.code) }
        let (v, o) = minorUnits.addingReportingOverflow(other.minorUnits)
        if o { throw .overflow(description) }
        return Money(minorUnits: v, currency: currency)
    }

    /// This amount times an exact factor (a rate, a percentage), rounded once to `target`'s minor unit.
    ///
    /// `100.00 USD` converted by `0.9215` to EUR gives `92.15 EUR`. For a rate quoted the other
    /// way round (units of this currency per one of `target`), use ``converted(dividingBy:to:rule:)``.
    public func converted(by factor: ExactDecimal, to target: CurrencyCode, rule: RoundingRule = .halfEven) -> Money {
        // minor/10^e1 * s/10^k = x/10^e2  →  x = minor * s * 10^e2 / 10^(e1+k)
        let num = Int128(minorUnits) * factor.significand * pow10(target.exponent)
        let den = pow10(currency.exponent + factor.scale)
        return Money(minorUnits: Int64(rule.divide(num, by: den)), currency: target)
    }

    /// This amount divided by an exact rate, rounded once: `rate` is units of this currency per
    /// one unit of `target` (the ECB quotes `1 EUR = 1.0856 USD`, so USD → EUR divides by 1.0856).
    public func converted(dividingBy rate: ExactDecimal, to target: CurrencyCode, rule: RoundingRule = .halfEven) -> Money {
        precondition(!rate.isZero, "conversion by a zero rate")
        // minor/10^e1 / (s/10^k) = x/10^e2  →  x = minor * 10^k * 10^e2 / (s * 10^e1)
        let num = Int128(minorUnits) * pow10(rate.scale + target.exponent)
        let den = rate.significand * pow10(currency.exponent)
        return Money(minorUnits: Int64(rule.divide(num, by: den)), currency: target)
    }

    /// Converts through a cross rate `numerator / denominator` in one rounding: from this currency
    /// to `target` where `numerator` is target per base and `denominator` is this currency per base.
    public func converted(times numerator: ExactDecimal, over denominator: ExactDecimal, to target: CurrencyCode, rule: RoundingRule = .halfEven) -> Money {
        let num = Int128(minorUnits) * numerator.significand * pow10(denominator.scale + target.exponent)
        let den = denominator.significand * pow10(numerator.scale + currency.exponent)
        return Money(minorUnits: Int64(rule.divide(num, by: den)), currency: target)
    }

    /// Splits into `parts` amounts that differ by at most one minor unit and sum exactly to this.
    public func allocated(into parts: Int) -> [Money] {
        precondition(parts > 0)
        let base = minorUnits / Int64(parts)
        var rest = minorUnits - base * Int64(parts)
        return (0..<parts).map { _ in
            var v = base
            if rest > 0 { v += 1; rest -= 1 } else if rest < 0 { v -= 1; rest += 1 }
            return Money(minorUnits: v, currency: currency)
        }
    }
}

/// Sums of money kept apart per currency.
public struct MoneyBag: Hashable, Sendable, CustomStringConvertible {
    public private(set) var amounts: [CurrencyCode: Int64] = [:]

    public init() {}
    public init(_ items: some Sequence<Money>) { for m in items { add(m) } }

    /// Adds; a sum beyond Int64 saturates at the limit rather than trapping (no real ledger gets there).
    public mutating func add(_ m: Money) {
        let (v, o) = amounts[m.currency, default: 0].addingReportingOverflow(m.minorUnits)
        amounts[m.currency] = o ? (m.minorUnits > 0 ? Int64.max : Int64.min) : v
    }
    public subscript(_ c: CurrencyCode) -> Money { Money(minorUnits: amounts[c] ?? 0, currency: c) }
    /// Non-zero amounts, by currency code.
    public var nonZero: [Money] {
        amounts.filter { $0.value != 0 }.map { Money(minorUnits: $0.value, currency: $0.key) }.sorted { $0.currency < $1.currency }
    }
    public var all: [Money] { amounts.map { Money(minorUnits: $0.value, currency: $0.key) }.sorted { $0.currency < $1.currency } }
    public var isZero: Bool { amounts.values.allSatisfy { $0 == 0 } }
    public var currencies: [CurrencyCode] { amounts.keys.sorted() }
    public var description: String { nonZero.isEmpty ? "0" : nonZero.map(\.description).joined(separator: ", ") }
}
