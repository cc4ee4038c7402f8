import SaldoCore
import SaldoXML

/// Strict lexical parsing of XML Schema values: no grouping, no currency, no exponent.
enum XS {
    /// `xs:decimal`: optional sign, digits with an optional point. At most 15 integer digits and
    /// 10 fraction digits, so that Saldo's sums and products cannot overflow.
    static func decimal(_ raw: String) -> ExactDecimal? {
        let s = XElement.trimmed(raw)
        var u = Substring(s).utf8[...]
        guard !u.isEmpty else { return nil }
        var negative = false
        if u.first == UInt8(ascii: "-") { negative = true; u = u.dropFirst() } else if u.first == UInt8(ascii: "+") { u = u.dropFirst() }
        var intDigits = 0, fracDigits = 0, seenPoint = false
        var v: Int128 = 0
        for c in u {
            if c >= 48 && c <= 57 {
                if seenPoint { fracDigits += 1 } else { intDigits += 1 }
                if intDigits > 15 || fracDigits > 10 { return nil }
                v = v * 10 + Int128(c - 48)
            } else if c == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
        }
        if intDigits + fracDigits == 0 { return nil }
        return ExactDecimal(significand: negative ? -v : v, scale: fracDigits)
    }

    /// `xs:date` (`2024-01-15`, optionally followed by a time zone `Z`/`+01:00`) or a CFDI
    /// `t_FechaH` (`2025-01-24T10:10:41`): the calendar date as written, never shifted.
    static func date(_ raw: String) -> Day? {
        let s = XElement.trimmed(raw)
        guard s.utf8.count >= 10 else { return nil }
        let head = s.prefix(10)
        let rest = s.dropFirst(10)
        guard rest.isEmpty || rest.first == "T" || rest.first == "Z" || rest.first == "+" || rest.first == "-" else { return nil }
        guard head.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }) else { return nil }
        return Day(iso: head)
    }

    /// UN/EDIFACT 2379 format 102: `YYYYMMDD`.
    static func date102(_ raw: String) -> Day? {
        let s = XElement.trimmed(raw)
        guard s.utf8.count == 8, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let y = Int(s.prefix(4)), let m = Int(s.dropFirst(4).prefix(2)), let d = Int(s.suffix(2)) else { return nil }
        return Day(year: y, month: m, day: d)
    }
}

extension XElement {
    static func trimmed(_ s: String) -> String {
        let u = s.utf8
        guard let f = u.firstIndex(where: { !($0 == 32 || $0 == 9 || $0 == 10 || $0 == 13) }) else { return "" }
        let l = u.lastIndex(where: { !($0 == 32 || $0 == 9 || $0 == 10 || $0 == 13) }) ?? f
        return String(s[f...l])
    }
}

/// Collects diagnostics while a reader walks one document.
final class ReadContext {
    let file: String
    var diagnostics: [Diagnostic] = []
    init(file: String) { self.file = file }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    func loc(_ e: XElement?, _ field: String?) -> SourceLocation {
        SourceLocation(file: file, line: (e?.line ?? 0) > 0 ? e?.line : nil, field: field)
    }
    func error(_ code: String, _ msg: String, _ e: XElement?, _ field: String?, hint: String? = nil, arguments: [String: String] = [:]) {
        diagnostics.append(.error(code, msg, at: loc(e, field), hint: hint, arguments: arguments))
    }
    func warning(_ code: String, _ msg: String, _ e: XElement?, _ field: String?, hint: String? = nil) {
        diagnostics.append(.warning(code, msg, at: loc(e, field), hint: hint))
    }
    func note(_ code: String, _ msg: String, _ e: XElement?, _ field: String?, hint: String? = nil) {
        diagnostics.append(Diagnostic(.note, code: code, msg, at: loc(e, field), hint: hint))
    }

    /// Exactly zero or one element; more is an error (never "take the first").
    func single(_ list: [XElement], _ field: String, parent: XElement?) -> XElement? {
        if list.count > 1 {
            error("invoice.cardinality", "expected one \(field), found \(list.count)", list[1], field,
                  hint: "an invoice states each total once; this document is ambiguous or tampered with")
            return nil
        }
        return list.first
    }

    /// The text of a value leaf, trimmed; `nil` when absent or empty.
    func text(_ e: XElement?, _ field: String) -> String? {
        guard let e else { return nil }
        if e.hasElementChildren {
            warning("invoice.mixed", "\(field) holds child elements; only its own text is read", e, field)
        }
        let t = e.trimmedText
        return t.isEmpty ? nil : t
    }

    func required(_ e: XElement?, _ field: String, parent: XElement?, what: String) -> String? {
        if let t = text(e, field) { return t }
        // The arguments say what is missing, so the message is translated whole (not guessed back from the English).
        error("invoice.missing", "missing \(what) (\(field))", e ?? parent, field, hint: "every invoice must state its \(what)",
              arguments: ["what": what, "field": field])
        return nil
    }

    func decimal(_ e: XElement?, _ field: String) -> ExactDecimal? {
        guard let t = text(e, field) else { return nil }
        if let d = XS.decimal(t) { return d }
        error("invoice.amount", "expected a decimal number such as 1234.56, found \"\(t.prefix(40))\"", e, field,
              hint: "amounts in e-invoices use a decimal point and no grouping")
        return nil
    }
    func decimal(attribute name: String, of e: XElement?, _ field: String) -> ExactDecimal? {
        guard let e, let t = e.attribute(name).map(XElement.trimmed), !t.isEmpty else { return nil }
        if let d = XS.decimal(t) { return d }
        error("invoice.amount", "expected a decimal number such as 1234.56, found \"\(t.prefix(40))\"", e, field,
              hint: "amounts in e-invoices use a decimal point and no grouping")
        return nil
    }

    /// An amount element with an optional `currencyID` that must equal `currency` when present.
    func amount(_ e: XElement?, _ field: String, currency: CurrencyCode?) -> ExactDecimal? {
        guard let e else { return nil }
        if let c = e.attribute("currencyID").map(XElement.trimmed), let currency, c.uppercased() != currency.code {
            error("invoice.currency", "\(field) is in \(c) but the invoice currency is \(currency.code)", e, field,
                  hint: "every total must be in the invoice currency (BT-5)")
            return nil
        }
        return decimal(e, field)
    }

    func currency(_ text: String?, _ e: XElement?, _ field: String) -> CurrencyCode? {
        guard let text else { return nil }
        do { return try CurrencyCode(text) } catch {
            self.error("invoice.currency", "unknown currency code \"\(text.prefix(20))\"", e, field, hint: "expected an ISO 4217 code such as EUR")
            return nil
        }
    }

    /// An amount as money of `currency`; more decimals than the currency has is a problem, and the
    /// value is then rounded half-even (never silently: a warning is recorded).
    func money(_ d: ExactDecimal, _ currency: CurrencyCode, _ e: XElement?, _ field: String) -> Money {
        if let m = try? Money(d, currency: currency) { return m }
        guard let r = Dec.round(d, currency.exponent), let m = try? Money(r, currency: currency) else {
            error("invoice.amount", "\(field) \(d) is too large for \(currency.code)", e, field); return .zero(currency)
        }
        warning("invoice.decimals", "\(field) \(d) has more decimals than \(currency.code) allows; rounded to \(r)", e, field)
        return m
    }
}

/// Overflow-safe helpers over ExactDecimal.
enum Dec {
    static let zero = ExactDecimal(0)
    static func sum(_ xs: [ExactDecimal]) -> ExactDecimal? {
        var acc = zero
        for x in xs { guard let r = add(acc, x) else { return nil }; acc = r }
        return acc
    }
    static func add(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal? {
        let k = max(a.scale, b.scale)
        guard k <= 30, let x = scaled(a, k), let y = scaled(b, k) else { return nil }
        let (s, o) = x.addingReportingOverflow(y)
        return o ? nil : ExactDecimal(significand: s, scale: k)
    }
    static func sub(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal? { add(a, -b) }
    static func mul(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal? {
        let k = a.scale + b.scale
        guard k <= 30 else { return nil }
        let (s, o) = a.significand.multipliedReportingOverflow(by: b.significand)
        return o ? nil : ExactDecimal(significand: s, scale: k).normalized
    }
    static func scaled(_ a: ExactDecimal, _ k: Int) -> Int128? {
        guard k >= a.scale, k - a.scale <= 37 else { return nil }
        let (v, o) = a.significand.multipliedReportingOverflow(by: pow10(k - a.scale))
        return o ? nil : v
    }
    static func abs(_ a: ExactDecimal) -> ExactDecimal { a.isNegative ? -a : a }
    /// `a / b` rounded half-even to `places`, or nil when an intermediate value would overflow.
    static func div(_ a: ExactDecimal, _ b: ExactDecimal, places: Int) -> ExactDecimal? {
        guard !b.isZero, places <= 30, b.scale + places <= 37 else { return nil }
        let (num, o1) = a.significand.multipliedReportingOverflow(by: pow10(b.scale + places))
        let (den, o2) = b.significand.multipliedReportingOverflow(by: pow10(a.scale))
        guard !o1, !o2 else { return nil }
        return ExactDecimal(significand: RoundingRule.halfEven.divide(num, by: den), scale: places)
    }
    /// `base × rate / 100` to `places` decimals (a tax amount from a percentage), or nil on overflow.
    static func percent(_ base: ExactDecimal, _ rate: ExactDecimal, places: Int) -> ExactDecimal? {
        mul(base, rate).flatMap { div($0, ExactDecimal(100), places: places) }
    }
    /// `x` rounded half-even to `places` decimals, or nil when it would overflow.
    static func round(_ x: ExactDecimal, _ places: Int) -> ExactDecimal? {
        if x.scale >= places { return x.rounded(to: places) }
        return scaled(x, places).map { ExactDecimal(significand: $0, scale: places) }
    }
    /// Whether |a − b| ≤ tolerance, without overflow (an incomparable pair is "not within").
    static func within(_ a: ExactDecimal, _ b: ExactDecimal, _ tolerance: ExactDecimal) -> Bool {
        guard let d = sub(a, b), let r = sub(abs(d), tolerance) else { return false }
        return r.isNegative || r.isZero
    }
}
