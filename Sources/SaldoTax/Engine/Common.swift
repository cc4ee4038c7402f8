import Foundation
import SaldoCore

/// An amount in a result: JSON writes it as a decimal string (`"1520.00"`), the currency is
/// stated once per result.
public struct Amount: Codable, Hashable, Sendable, CustomStringConvertible {
    public var money: Money
    public init(_ money: Money) { self.money = money }
    public var description: String { money.decimalString }
    /// The amount as an argument of a text a person reads: grouped as Saldo writes English
    /// (`1,072.79`), which ``Catalog/localizing(_:)`` rewrites for other languages.
    public var text: String { HumanFormat.en.amount(money) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(money.decimalString)
    }
    /// Decoding needs the currency, which the bare string does not carry: pass it in
    /// `decoder.userInfo[Amount.currencyKey]` as a `CurrencyCode` (results state it in their `currency` field).
    public static let currencyKey = CodingUserInfoKey(rawValue: "saldo.tax.currency")!
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let cur = decoder.userInfo[Amount.currencyKey] as? CurrencyCode else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "decoding an amount needs the currency in userInfo[Amount.currencyKey]"))
        }
        guard let d = try? ExactDecimal(text), let m = try? Money(d, currency: cur) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected an amount in \(cur.code) such as \"1520.00\", found \"\(text)\""))
        }
        money = m
    }
}

/// A rule whose figures are not confirmed from an official source (or not yet law) and that a
/// result used: renderers show these as "unconfirmed".
public struct FigureFlag: Codable, Hashable, Sendable {
    public var rule: String
    public var title: String
    public var file: String
    public var verification: String
    public var status: String
    /// Why it is flagged, in words.
    public var points: [String]
}

/// The note every result carries.
public let estimateDisclaimer = LocalizedText("tax.note.disclaimer").english

/// One row of a rendered result: a label, the form's box or line, and an amount or a text.
/// `label` and `text` are English; `labelText` and `valueText` carry the same words as catalog
/// keys and arguments for front ends in other languages (nil where the label is data: a form's own
/// line name, an invoice number).
public struct TaxRow: Codable, Hashable, Sendable {
    public var label: String
    public var box: String?
    public var amount: String?
    public var text: String?
    public var labelText: LocalizedText?
    public var valueText: LocalizedText?
    public init(_ label: String, box: String? = nil, amount: Money? = nil, text: String? = nil) {
        self.label = label; self.box = box; self.amount = amount?.decimalString; self.text = text
    }
    public init(_ label: LocalizedText, box: String? = nil, amount: Money? = nil, text: LocalizedText? = nil) {
        self.init(label.english, box: box, amount: amount, text: text?.english)
        self.labelText = label
        self.valueText = text
    }
}

public struct TaxSection: Codable, Hashable, Sendable {
    public var title: String
    public var rows: [TaxRow]
    public var titleText: LocalizedText?
    public init(_ title: String, _ rows: [TaxRow]) { self.title = title; self.rows = rows }
    public init(_ title: LocalizedText, _ rows: [TaxRow]) { self.init(title.english, rows); titleText = title }
}

/// What renderers print: a title, sections of label / box / amount rows, notes and unconfirmed figures.
///
/// Notes are English texts made from the catalog's `tax.note.*` templates (they are also in the
/// results' JSON), so a front end finds their keys with `Catalog.recognize`; `unconfirmedFlags`
/// are the figures behind `unconfirmed`, for front ends that word them in another language.
public struct TaxTable: Codable, Hashable, Sendable {
    public var title: String
    public var currency: String
    public var sections: [TaxSection]
    public var notes: [String]
    public var unconfirmed: [String]
    public var titleText: LocalizedText?
    public var unconfirmedFlags: [FigureFlag] = []

    /// Plain text, also valid Markdown: a heading, one table per section, then notes.
    public var markdown: String {
        func cell(_ t: String) -> String { t.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var out = "# \(title)\n"
        for s in sections {
            out += "\n## \(s.title)\n\n| | Box | Amount (\(currency)) |\n|---|---|---:|\n"
            for r in s.rows {
                out += "| \(cell(r.label)) | \(cell(r.box ?? "")) | \(cell(r.amount ?? r.text ?? "")) |\n"
            }
        }
        if !unconfirmed.isEmpty {
            out += "\n## Unconfirmed figures\n\n" + unconfirmed.map { "- \($0)\n" }.joined()
        }
        if !notes.isEmpty {
            out += "\n## Notes\n\n" + notes.map { "- \($0)\n" }.joined()
        }
        return out
    }
}

// MARK: - arithmetic, all exact, rounded only through RoundingRule

extension Money {
    /// This amount times a rate, rounded once to the cent by `rule`.
    func times(_ rate: ExactDecimal, _ rule: RoundingRule) -> Money { converted(by: rate, to: currency, rule: rule) }
    func max0() -> Money { isNegative ? .zero(currency) : self }
    static func min(_ a: Money, _ b: Money) -> Money { a < b ? a : b }
    static func max(_ a: Money, _ b: Money) -> Money { a < b ? b : a }
}

extension ExactDecimal {
    /// Rounds to the currency's minor unit with `rule` and makes it money (clamped to Int64).
    func money(_ c: CurrencyCode, _ rule: RoundingRule) -> Money {
        let r = rounded(to: c.exponent, rule: rule)
        return Money(minorUnits: Int64(clamping: r.significand), currency: c)
    }
    static func min(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal { a < b ? a : b }
    static func max(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal { a < b ? b : a }
    /// Keeps at most 12 decimals so chains of products stay far from Int128 limits.
    var trimmed: ExactDecimal { scale > 12 ? rounded(to: 12, rule: .halfEven) : self }
}

/// Marginal brackets (rule kind `brackets`), implemented once.
enum Marginal {
    /// Tax on `base` (exact, not rounded unless `rounding` rounds completed brackets).
    static func tax(_ brackets: [Bracket], on base: ExactDecimal, rounding: BracketRounding) -> ExactDecimal {
        var total = ExactDecimal(0)
        for b in brackets {
            if base <= b.from { break }
            let top = b.to.map { ExactDecimal.min(base, $0) } ?? base
            var part = (top - b.from) * b.rate
            if rounding == .cumulativeTableCents, let to = b.to, base > to {
                part = part.rounded(to: 2, rule: .halfUp)
            }
            total = total + part
        }
        return total
    }

    static func tax(_ brackets: [Bracket], on base: Money, rounding: BracketRounding) -> Money {
        tax(brackets, on: base.decimal, rounding: rounding).money(base.currency, .halfUp)
    }
}

/// Reads rules from a file and remembers which ones a computation used, for the flags.
struct RuleReader {
    let file: RuleFile
    private(set) var used: [String] = []

    init(_ file: RuleFile) { self.file = file }

    mutating func rule(_ id: String) throws(RuleFileError) -> Rule {
        let r = try file.rule(id)
        if !used.contains(id) { used.append(id) }
        return r
    }
    mutating func optionalRule(_ id: String) -> Rule? {
        guard let r = file.rules[id] else { return nil }
        if !used.contains(id) { used.append(id) }
        return r
    }
    private func wrongKind(_ r: Rule, _ k: RuleKind) -> RuleFileError {
        RuleFileError(file: file.fileName, path: r.path + ".kind", message: "expected \"\(k.rawValue)\", found \"\(r.body.kind.rawValue)\"")
    }
    mutating func brackets(_ id: String, key: String? = nil) throws(RuleFileError) -> (BracketsRule, [Bracket]) {
        let r = try rule(id)
        guard case .brackets(let b) = r.body else { throw wrongKind(r, .brackets) }
        guard let list = b.brackets.value(for: key ?? "") else {
            throw RuleFileError(file: file.fileName, path: r.path + ".brackets", message: "expected brackets for \(key ?? "every taxpayer"), found none")
        }
        return (b, list)
    }
    mutating func amount(_ id: String, key: String? = nil) throws(RuleFileError) -> ExactDecimal {
        let r = try rule(id)
        guard case .amount(let a) = r.body else { throw wrongKind(r, .amount) }
        guard let v = a.value(for: key ?? "") else {
            throw RuleFileError(file: file.fileName, path: r.path + ".amount", message: "expected an amount for \(key ?? "every taxpayer"), found none")
        }
        return v
    }
    mutating func rate(_ id: String) throws(RuleFileError) -> ExactDecimal {
        let r = try rule(id)
        guard case .rate(let v) = r.body else { throw wrongKind(r, .rate) }
        return v
    }
    mutating func body<T>(_ id: String, _ kind: RuleKind, _ extract: (RuleBody) -> T?) throws(RuleFileError) -> T {
        let r = try rule(id)
        guard let v = extract(r.body) else { throw wrongKind(r, kind) }
        return v
    }

    /// Flags for every used rule that is not confirmed, not enacted, or has unconfirmed points.
    func flags(extraPoints: [String: [String]] = [:]) -> [FigureFlag] {
        var out: [FigureFlag] = []
        for id in used {
            guard let r = file.rules[id] else { continue }
            let status = r.status ?? file.status
            var points: [String] = []
            if !r.verification.isConfirmed {
                points.append(LocalizedText("tax.flag.verification", ["verification": r.verification.rawValue]).english)
            }
            if status != .enacted { points.append(LocalizedText("tax.flag.status", ["status": status.rawValue]).english) }
            points += r.unconfirmed + (extraPoints[id] ?? [])
            if !points.isEmpty {
                out.append(FigureFlag(rule: id, title: r.title, file: file.fileName, verification: r.verification.rawValue, status: status.rawValue, points: points))
            }
        }
        return out
    }
}

extension FigureFlag {
    var line: String { "\(title) (\(rule), \(file)): " + FigureFlag.join(points) }

    /// The points as one list: "; " between them, each without its own closing period (a rule
    /// file's remark is a sentence; "…AEAT.; Boxes…" read as a typo).
    public static func join(_ points: [String]) -> String {
        points.map { p in
            var t = Substring(p.trimmingCharacters(in: .whitespaces))
            while t.hasSuffix("."), !t.hasSuffix("..") { t = t.dropLast() }
            return String(t)
        }.joined(separator: "; ")
    }
}
