import Foundation

/// A text a person reads, kept as its catalog key and arguments so each front end renders it in
/// its own language. Libraries that must also hand out plain English (JSON results, log lines)
/// use ``english``, the English catalog's text.
///
/// Arguments are plain strings as Saldo writes them in English (`1547.72`, `2026-10-20`,
/// `2026-Q3`); ``Catalog/localizing(_:)`` rewrites them for the catalog's language by the
/// argument's name (see there), so English output is exactly the English text.
public struct LocalizedText: Codable, Hashable, Sendable {
    public var key: String
    public var arguments: [String: String]

    public init(_ key: String, _ arguments: [String: String] = [:]) {
        self.key = key
        self.arguments = arguments
    }

    /// The English text (the English catalog's template, filled as written).
    public var english: String { Catalog.shipped(.en).text(key, arguments) }

    /// The text in `catalog`'s language, arguments localized by their names.
    public func text(in catalog: Catalog) -> String { catalog.text(key, catalog.localizing(arguments)) }
}

extension Catalog {
    /// Arguments rewritten for this catalog's language, chosen by the argument's name:
    /// `…label` (a statement's or account's name, `statement 1234/1`) → its `label.*` text;
    /// `…expected` (what a field should hold, `14 digits`) → its `expected.*` text;
    /// `…reason` holding what the system reported (`the disk is full`) → its `os.*` text;
    /// any value written as an amount and its code (`15121.12 EUR`) → money as the language writes it;
    /// `…money`/`moneyN` alone (`-434.16`) → a number;
    /// `…amount`, `…number`, `…rate`, `…percent` (a decimal such as `1547.72`, grouped as Saldo
    /// writes English, `7,034.37`) → a number; `…rule` (an invoice's totals rule) → its `invoice.rule.*` text;
    /// `…date`, `due` (a day, `2026-10-20`) → a date; `…period` (`2026-Q3`, `2026-07`) → a period
    /// label; `…month` (`2026-07`) → a month; `…months` (`2026-11, 2026-12`) → months. A value
    /// the catalog names as `value.<name>.<value>` (an enumerated value: `value.status.provisional`)
    /// takes that text. Values that do not read as such stay as they are; English leaves every
    /// value as written.
    public func localizing(_ arguments: [String: String]) -> [String: String] {
        guard language != .en, !arguments.isEmpty else { return arguments }
        let f = HumanFormat(language)
        var out = arguments
        for (name, value) in arguments {
            let n = name.lowercased()
            if let named = entries["value.\(name).\(value)"] {
                out[name] = named
            } else if let m = Self.moneyWithCode(value) {
                // Any amount written with its code ("709.14 EUR", whatever the argument's name).
                out[name] = f.money(m)
            } else if n.hasSuffix("reason"), let r = Catalog.recognize(value, keyPrefix: "os.") {
                // What the operating system or SQLite reported, as Saldo says it (`os.*`, see SystemFailure).
                out[name] = r.text(in: self)
            } else if n.hasSuffix("expected") {
                // What a reader expected to find ("14 digits", "a date YYMMDD"): its `expected.*` text.
                if let e = Catalog.recognize(value, keyPrefix: "expected.") { out[name] = e.text(in: self) }
            } else if n.hasSuffix("label") {
                // What a reader calls a statement or an account ("statement 1234/1", "account ending 0042").
                if let l = Catalog.recognize(value, keyPrefix: "label.") { out[name] = l.text(in: self) }
            } else if n.hasSuffix("money") || n.range(of: "money[0-9]+$", options: .regularExpression) != nil {
                // A bare amount ("-434.16", its code written apart) as a number.
                if value.first.map({ $0.isNumber || $0 == "-" }) == true, let d = try? ExactDecimal(value) { out[name] = f.number(d) }
            } else if n.hasSuffix("amount") || n.hasSuffix("number") || n.hasSuffix("rate") || n.hasSuffix("percent") {
                if value.first.map({ $0.isNumber || $0 == "-" }) == true, let d = try? AmountText.parse(value, notation: .point) { out[name] = f.number(d) }
            } else if n.hasSuffix("rule") {
                // An invoice's totals rule ("Facturae InvoiceTotal = base + taxes - taxes withheld").
                if let r = Catalog.recognize(value, keyPrefix: "invoice.rule.") { out[name] = r.text(in: self) }
            } else if n.hasSuffix("date") || n == "due" {
                if value.count == 10, let d = Day(iso: value) { out[name] = f.date(d) }
            } else if n.hasSuffix("period") {
                out[name] = f.periodLabel(value)
            } else if n.hasSuffix("months") {
                out[name] = value.components(separatedBy: ", ").map { m in
                    m.count == 7 ? YearMonth(m).map { f.month($0) } ?? m : m
                }.joined(separator: ", ")
            } else if n.hasSuffix("month") {
                if value.count == 7, let m = YearMonth(value) { out[name] = f.month(m) }
            }
        }
        return out
    }

    /// `709.14 EUR`: an amount and its ISO code, as messages write money.
    static func moneyWithCode(_ value: String) -> Money? {
        let parts = value.split(separator: " ")
        guard parts.count == 2, parts[1].count == 3, parts[0].first.map({ $0.isNumber || $0 == "-" }) == true,
              let d = try? ExactDecimal(String(parts[0])), let c = try? CurrencyCode(String(parts[1])) else { return nil }
        return try? Money(d, currency: c)
    }

    /// The key and arguments of an English text made from one of the English templates whose key
    /// starts with `keyPrefix` (the text must be a template filled in full). For texts that
    /// libraries hand out as plain English strings (notes inside JSON results) so a front end can
    /// still show them in its language; the longest matching template wins.
    public static func recognize(_ english: String, keyPrefix: String) -> LocalizedText? {
        var best: (LocalizedText, Int)?
        for (key, template) in Catalog.shipped(.en).entries where key.hasPrefix(keyPrefix) {
            let parts = TemplatePart.split(template)
            let literal = parts.reduce(0) { if case .literal(let s) = $1 { return $0 + s.count } else { return $0 } }
            if let b = best, b.1 >= literal { continue }
            if let args = TemplatePart.match(parts[...], Substring(english)) { best = (LocalizedText(key, args), literal) }
        }
        return best?.0
    }

    /// `english` in this catalog's language when it is a filled template under `keyPrefix`,
    /// else `english` as it is.
    /// Arguments that are themselves such texts (an error wrapping another error's message,
    /// `--currency: unknown currency code "X"…`) are translated too, two levels deep.
    /// A message led by the name of what it is about (`period: "2026-13" is not a period…`,
    /// `base-currency: unknown currency code…`, as a form field or query parameter names it) keeps the
    /// name and has the rest translated.
    public func translating(_ english: String, keyPrefix: String) -> String {
        guard language != .en else { return english }
        if let t = Catalog.recognize(english, keyPrefix: keyPrefix) { return translated(t, keyPrefix: keyPrefix, depth: 2) }
        if let r = english.range(of: ": "), r.lowerBound > english.startIndex,
           english[..<r.lowerBound].allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "_" }),
           let t = Catalog.recognize(String(english[r.upperBound...]), keyPrefix: keyPrefix) {
            return String(english[..<r.upperBound]) + translated(t, keyPrefix: keyPrefix, depth: 2)
        }
        return english
    }

    private func translated(_ text: LocalizedText, keyPrefix: String, depth: Int) -> String {
        var localized = localizing(text.arguments)
        if depth > 0 {
            for (name, value) in text.arguments where value.contains(" ") {
                if let inner = Catalog.recognize(value, keyPrefix: keyPrefix) { localized[name] = translated(inner, keyPrefix: keyPrefix, depth: depth - 1) }
            }
        }
        return self.text(text.key, localized)
    }
}

extension Catalog {
    /// An English text made of clauses, each a template under `keyPrefix` (`…; …`, a clause
    /// possibly `head (…): detail`), such as the invoice matcher's explanations: each clause in
    /// this catalog's language, the separators kept; a clause no template made stays as written.
    public func translatingClauses(_ english: String, keyPrefix: String) -> String {
        guard language != .en else { return english }
        return english.components(separatedBy: "; ").map { clause in
            if Catalog.recognize(clause, keyPrefix: keyPrefix) == nil, let r = clause.range(of: "): ", options: .backwards) {
                let head = String(clause[..<r.lowerBound]) + ")", rest = String(clause[r.upperBound...])
                return translating(head, keyPrefix: keyPrefix) + ": " + translating(rest, keyPrefix: keyPrefix)
            }
            return translating(clause, keyPrefix: keyPrefix)
        }.joined(separator: "; ")
    }
}

enum TemplatePart: Equatable {
    case literal(String)
    case placeholder(String)

    static func split(_ template: String) -> [TemplatePart] {
        var parts: [TemplatePart] = []
        var literal = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), !after[..<close].isEmpty,
               after[..<close].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                parts.append(.placeholder(String(after[..<close])))
                rest = after[after.index(after: close)...]
            } else {
                literal += "{"
                rest = after
            }
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return parts
    }

    /// Matches `text` against the parts; placeholders take non-empty text, shortest first.
    static func match(_ parts: ArraySlice<TemplatePart>, _ text: Substring) -> [String: String]? {
        guard let first = parts.first else { return text.isEmpty ? [:] : nil }
        switch first {
        case .literal(let s):
            guard text.hasPrefix(s) else { return nil }
            return match(parts.dropFirst(), text.dropFirst(s.count))
        case .placeholder(let name):
            guard !text.isEmpty else { return nil }
            var end = text.index(after: text.startIndex)
            while true {
                let candidate = String(text[..<end])
                if var rest = match(parts.dropFirst(), text[end...]), rest[name] == nil || rest[name] == candidate {
                    rest[name] = candidate
                    return rest
                }
                if end == text.endIndex { return nil }
                end = text.index(after: end)
            }
        }
    }
}

/// Template matching, open to tests: the arguments that fill `template` to make `text`, if any.
public enum TemplateProbe {
    public static func match(_ template: String, _ text: String) -> [String: String]? {
        TemplatePart.match(TemplatePart.split(template)[...], Substring(text))
    }
}
