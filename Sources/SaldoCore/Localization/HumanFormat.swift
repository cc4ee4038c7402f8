/// Numbers, money, dates, months and percentages as a person reading `language` expects them, for
/// human outputs only (terminal, Markdown, HTML). Machine outputs (CSV, JSON, ledger exports) keep
/// their neutral forms (`-1234.50`, `2026-12-05`) whatever the language.
///
/// English is what Saldo has always shown: `1,234.50`, `1,234.50 EUR`, ISO dates, `2026-12`,
/// `12.5%`. Spanish follows CLDR `es` with two documented choices:
/// - Money: `1.234,56 €`, `-12,00 US$`, `1.234 JPY`: the digits, a point between thousands (also
///   for four-digit amounts, which CLDR leaves ungrouped: columns of amounts read better grouped), a
///   decimal comma, then a space and the symbol: `€` for EUR, `US$` for USD, `£` for GBP, the ISO
///   code for every other currency (unambiguous: `$` alone is also the Mexican and Argentine peso).
///   A plain space, not CLDR's no-break space, so terminal columns align and text copies cleanly.
/// - Dates: `5 dic 2026` (long) and `05/12/2026` (short); months `dic 2026` and
///   `diciembre de 2026`; abbreviations as CLDR (`ene feb mar abr may jun jul ago sept oct nov dic`).
/// - Percentages: `12,5 %` (a space before the sign, as the RAE and CLDR write it).
///
/// Amounts are formatted from `Money`'s integer minor units, digit by digit: no `Double`, no
/// rounding.
public struct HumanFormat: Sendable {
    public let language: Language
    public init(_ language: Language) { self.language = language }

    public static let en = HumanFormat(.en)
    public static let es = HumanFormat(.es)

    var thousands: Character { language == .es ? "." : "," }
    var decimalMark: Character { language == .es ? "," : "." }

    // MARK: Money

    /// The amount alone, for a column whose header names the currency: `1,234.50` / `1.234,50`.
    public func amount(_ m: Money) -> String {
        HumanFormat.digits(minorUnits: m.minorUnits, exponent: m.currency.exponent, thousands: thousands, decimalMark: decimalMark)
    }

    /// The amount with its currency: `1,234.50 EUR` (English, as always) / `1.234,50 €` (Spanish).
    public func money(_ m: Money) -> String {
        amount(m) + " " + symbol(m.currency)
    }

    /// How the currency is written after an amount: the ISO code in English; `€`, `US$`, `£` or
    /// the ISO code in Spanish.
    public func symbol(_ c: CurrencyCode) -> String {
        guard language == .es else { return c.code }
        return HumanFormat.spanishSymbols[c.code] ?? c.code
    }

    static let spanishSymbols = ["EUR": "€", "USD": "US$", "GBP": "£"]

    /// Reads back text written by ``money(_:)`` (or ``amount(_:)`` with `currency`): the exact
    /// minor units, or nil when the text is not in this language's form.
    public func parseMoney(_ text: String, currency fallback: CurrencyCode? = nil) -> Money? {
        var body = Substring(text)
        var currency = fallback
        if let space = body.lastIndex(of: " ") {
            let tail = String(body[body.index(after: space)...])
            body = body[..<space]
            if language == .es, let code = HumanFormat.spanishSymbols.first(where: { $0.value == tail })?.key {
                currency = try? CurrencyCode(code)
            } else {
                currency = try? CurrencyCode(tail)
            }
        }
        guard let currency else { return nil }
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: decimalMark, omittingEmptySubsequences: false)
        guard parts.count == (currency.exponent > 0 ? 2 : 1) else { return nil }
        let groups = parts[0].split(separator: thousands, omittingEmptySubsequences: false)
        guard let head = groups.first, (1...3).contains(head.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        var digits = groups.joined()
        if parts.count == 2 {
            guard parts[1].count == currency.exponent else { return nil }
            digits += parts[1]
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let units = Int64(digits) else { return nil }
        return Money(minorUnits: negative ? -units : units, currency: currency)
    }

    /// Grouped digits of `minorUnits` with `exponent` decimals.
    static func digits(minorUnits: Int64, exponent e: Int, thousands: Character, decimalMark: Character) -> String {
        let digits = String(minorUnits.magnitude)
        let padded = digits.count <= e ? String(repeating: "0", count: e - digits.count + 1) + digits : digits
        var out = grouped(padded.dropLast(e), thousands)
        if e > 0 { out.append(decimalMark); out += padded.suffix(e) }
        return minorUnits < 0 ? "-" + out : out
    }

    static func grouped(_ intPart: Substring, _ sep: Character) -> String {
        var out = ""
        for (i, ch) in intPart.enumerated() {
            if i > 0 && (intPart.count - i) % 3 == 0 { out.append(sep) }
            out.append(ch)
        }
        return out
    }

    // MARK: Numbers and percentages

    /// A plain decimal: English as written (`1.0823`, `-3`); Spanish with a decimal comma and
    /// grouped thousands (`1,0823`, `12.345,5`).
    public func number(_ d: ExactDecimal) -> String {
        guard language == .es else { return d.description }
        return spanishDecimal(d.description)
    }

    /// An integer: English as written (`1234`); Spanish grouped from five digits (`12.345`, `1234`),
    /// as CLDR does for counts.
    public func integer(_ i: Int) -> String {
        let s = String(i.magnitude)
        guard language == .es, s.count >= 5 else { return String(i) }
        return (i < 0 ? "-" : "") + HumanFormat.grouped(Substring(s), ".")
    }

    /// A percentage given as its value (12.5 means 12.5 %): `12.5%` / `12,5 %`.
    public func percent(_ d: ExactDecimal) -> String {
        language == .es ? spanishDecimal(d.description) + " %" : d.description + "%"
    }

    /// A decimal amount with its thousands grouped, as written (no rounding): `12,570` /
    /// `12.570`, `1,072.5` / `1.072,5`. For amounts given as decimals (thresholds in rule files).
    public func grouped(_ d: ExactDecimal) -> String {
        let text = d.normalized.description
        guard language == .es else {
            var body = Substring(text)
            let negative = body.first == "-"
            if negative { body = body.dropFirst() }
            let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let out = HumanFormat.grouped(parts[0], ",") + (parts.count == 2 ? "." + parts[1] : "")
            return negative ? "-" + out : out
        }
        return spanishDecimal(text)
    }

    /// `-1234.5` → `-1.234,5`.
    func spanishDecimal(_ text: String) -> String {
        var body = Substring(text)
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var out = HumanFormat.grouped(parts[0], ".")
        if parts.count == 2 { out += "," + parts[1] }
        return negative ? "-" + out : out
    }

    // MARK: Dates and months

    public enum DateStyle: Sendable { case long, short }

    /// English: ISO (`2026-12-05`) in both styles. Spanish: `5 dic 2026` / `05/12/2026`.
    public func date(_ d: Day, _ style: DateStyle = .long) -> String {
        guard language == .es else { return d.description }
        switch style {
        case .long: return "\(d.day) \(HumanFormat.spanishMonthsShort[d.month - 1]) \(d.year)"
        case .short: return HumanFormat.twoDigits(d.day) + "/" + HumanFormat.twoDigits(d.month) + "/" + String(d.year)
        }
    }

    /// English: `2026-12` in both styles. Spanish: `dic 2026` (short) / `diciembre de 2026` (long).
    public func month(_ m: YearMonth, _ style: DateStyle = .short) -> String {
        guard language == .es else { return m.description }
        switch style {
        case .short: return "\(HumanFormat.spanishMonthsShort[m.month - 1]) \(m.year)"
        case .long: return "\(HumanFormat.spanishMonths[m.month - 1]) de \(m.year)"
        }
    }

    /// A period label as Saldo writes it (`2026`, `2026-Q3`, `2026-07`, `2026-01..2026-06`, a day):
    /// English as written; Spanish with quarters as AEAT writes them (`3T 2026`) and months as
    /// ``month(_:_:)``. Text it does not recognise stays as it is.
    public func periodLabel(_ label: String) -> String {
        guard language == .es else { return label }
        if label.contains("..") {
            return label.components(separatedBy: "..").map(periodLabel).joined(separator: "..")
        }
        let parts = label.split(separator: "-")
        if parts.count == 2, parts[0].count == 4, Int(parts[0]) != nil, parts[1].count == 2, parts[1].first == "Q", let q = Int(parts[1].dropFirst()) {
            return "\(q)T \(parts[0])"
        }
        if let m = YearMonth(label), label.count == 7 { return month(m) }
        if let d = Day(iso: label), label.count == 10 { return date(d) }
        return label
    }

    /// The name of a month alone (1–12), lower-case in Spanish as Spanish writes it.
    public func monthName(_ month: Int) -> String {
        language == .es ? HumanFormat.spanishMonths[month - 1] : HumanFormat.englishMonths[month - 1]
    }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0" + String(n) : String(n) }

    static let spanishMonthsShort = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"]
    static let spanishMonths = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    // MARK: Chart numbers (Double, for drawing only)

    /// Swaps the separators of an English-formatted chart label (`-1,234.5`) for this language's.
    public func localizedChartNumber(_ english: String) -> String {
        guard language == .es else { return english }
        return String(english.map { $0 == "," ? "." : $0 == "." ? "," : $0 })
    }
}
