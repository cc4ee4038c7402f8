import Foundation
import SaldoCore
import SaldoTestSupport
import Testing

/// Every problem Saldo reports has a Spanish text (issue #15, third part): the diagnostic codes the
/// libraries raise (`diag.<code>…` in both catalogs) and the messages written at the raise sites of
/// diagnostics and `UserError`s, which must come out in Spanish (recognized from the English
/// template and translated), not as the English they were written in.
@Suite struct SpanishMessageCoverageTests {
    static let codePrefixes = ["ledger", "import", "csv", "xml", "camt", "ofx", "mt940", "mt942", "qif", "xlsx", "n43", "invoice", "fx", "tax", "forecast"]

    /// A raise site: a code literal passed to `error(`, `warning(`, `note(`, `fail(`, `err(` or as `code:`.
    static var raisePattern: NSRegularExpression {
        let prefixes = codePrefixes.joined(separator: "|")
        return try! NSRegularExpression(pattern: #"(?:\b(?:error|warning|note|fail|err)\(\s*|code:\s*)"((?:"# + prefixes + #")\.[a-z0-9_.-]+)""#)
    }

    static func sources(under folders: [String]) throws -> [(file: String, text: String)] {
        var out: [(String, String)] = []
        for folder in folders {
            let dir = Fixtures.root.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
            for url in files.sorted(by: { $0.path < $1.path }) { out.append((url.lastPathComponent, try String(contentsOf: url, encoding: .utf8))) }
        }
        return out
    }

    /// A string literal as the program would make it, its interpolations filled with sample words
    /// (`X1`, `X2`…; the same expression, the same word); nil when the literal is only interpolations.
    static func sample(_ literal: String) -> String? {
        var out = "", i = literal.startIndex, samples: [Substring: String] = [:]
        while i < literal.endIndex {
            let c = literal[i]
            if c == "\\", literal.index(after: i) < literal.endIndex {
                let next = literal[literal.index(after: i)]
                if next == "(" {
                    var depth = 1, j = literal.index(i, offsetBy: 2)
                    while j < literal.endIndex && depth > 0 {
                        if literal[j] == "(" { depth += 1 } else if literal[j] == ")" { depth -= 1 }
                        j = literal.index(after: j)
                    }
                    let expression = literal[i..<j]
                    if samples[expression] == nil { samples[expression] = "X\(samples.count + 1)" }
                    out += samples[expression]!; i = j; continue
                }
                out.append(next == "n" ? "\n" : next == "t" ? "\t" : next)
                i = literal.index(i, offsetBy: 2); continue
            }
            out.append(c); i = literal.index(after: i)
        }
        let words = out.replacingOccurrences(of: #"X\d+"#, with: "", options: .regularExpression)
        return words.contains(where: \.isLetter) ? out : nil
    }

    @Test func everyRaisedDiagnosticCodeHasATextInBothLanguages() throws {
        let en = Catalog.shipped(.en).entries, es = Catalog.shipped(.es).entries
        var codes: Set<String> = []
        for source in try Self.sources(under: ["Sources"]) {
            let ns = source.text as NSString
            for m in Self.raisePattern.matches(in: source.text, range: NSRange(location: 0, length: ns.length)) {
                codes.insert(ns.substring(with: m.range(at: 1)))
            }
        }
        #expect(codes.count > 100, "the pattern found only \(codes.count) codes")
        for code in ["csv.amount", "ofx.fitid", "n43.totals", "invoice.missing", "fx.missing-rate", "tax.rules", "ledger.write"] {
            #expect(codes.contains(code), "\(code) was not found in the sources")
        }
        func has(_ entries: [String: String], _ code: String) -> Bool {
            entries.keys.contains { $0 == "diag.\(code)" || $0.hasPrefix("diag.\(code).") }
        }
        let missing = codes.filter { !has(en, $0) || !has(es, $0) }.sorted()
        #expect(missing.isEmpty, "diagnostic codes without a diag.<code> text in both catalogs: \(missing)")
    }

    /// Diagnostics whose message is a literal on the raise line: the Spanish text is not the English one.
    @Test func diagnosticMessagesWrittenAtTheRaiseSiteComeOutInSpanish() throws {
        let es = Catalog.shipped(.es)
        var checked = 0, english: [String] = []
        for source in try Self.sources(under: ["Sources"]) {
            for (index, line) in source.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let text = String(line)
                let ns = text as NSString
                guard let m = Self.raisePattern.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { continue }
                let code = ns.substring(with: m.range(at: 1))
                let rest = ns.substring(from: m.range.location + m.range.length)
                guard rest.hasPrefix(", \""), let literal = UserFacingStringLint.literals(in: String(rest.dropFirst(2))).first,
                      let message = Self.sample(literal) else { continue }
                checked += 1
                let d = Diagnostic.error(code, message)
                if d.localizedMessage(in: es) == message { english.append("\(source.file):\(index + 1) [\(code)] \(message)") }
            }
        }
        #expect(checked > 150, "only \(checked) raise sites were checked")
        #expect(english.isEmpty, "messages with no Spanish template (add diag.<code>.… to both catalogs):\n\(english.joined(separator: "\n"))")
    }

    /// `UserError` messages and hints written as literals in SaldoApp and SaldoCLI come out in Spanish.
    @Test func userErrorMessagesComeOutInSpanish() throws {
        let es = Catalog.shipped(.es)
        var checked = 0, english: [String] = []
        for source in try Self.sources(under: ["Sources/SaldoApp", "Sources/SaldoCLI"]) {
            for (index, line) in source.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard let open = line.range(of: "UserError(\"") else { continue }
                let tail = String(line[line.index(before: open.upperBound)...])
                var literals = UserFacingStringLint.literals(in: tail).prefix(1).map { $0 }
                if let h = tail.range(of: "hint: \"") { literals += UserFacingStringLint.literals(in: String(tail[tail.index(before: h.upperBound)...])).prefix(1) }
                for literal in literals {
                    guard let text = Self.sample(literal), !text.hasSuffix(": ") else { continue }
                    checked += 1
                    // An option wrapping another error (`--currency: {error}`) reads the same in both
                    // languages; the error inside is translated on its own.
                    let key = Catalog.recognize(text, keyPrefix: "error.")?.key
                    let wrapper = key?.hasPrefix("error.option.") == true
                    if key == nil || (!wrapper && es.translating(text, keyPrefix: "error.") == text) { english.append("\(source.file):\(index + 1) \(text)") }
                }
            }
        }
        #expect(checked > 60, "only \(checked) messages were checked")
        #expect(english.isEmpty, "UserError texts with no Spanish template (add error.… to both catalogs):\n\(english.joined(separator: "\n"))")
    }

    /// Every totals rule an invoice reader checks (`d.check("…"`) is an `invoice.rule.*` text, so a
    /// Spanish warning says the rule in Spanish too (it said "base + taxes - taxes withheld").
    @Test func everyInvoiceTotalsRuleHasASpanishText() throws {
        let es = Catalog.shipped(.es)
        let literal = try NSRegularExpression(pattern: #"\bcheck\(\s*"((?:[^"\\]|\\.)*)""#)
        var rules = 0
        for (file, text) in try Self.sources(under: ["Sources/SaldoInvoices"]) {
            for m in literal.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let r = Range(m.range(at: 1), in: text), let rule = Self.sample(String(text[r])) else { continue }
                rules += 1
                let t = Catalog.recognize(rule, keyPrefix: "invoice.rule.")
                #expect(t != nil, "\(file): no invoice.rule.* text for \"\(rule)\"")
                if let t { #expect(es.entries[t.key] != nil, "\(t.key) has no Spanish text") }
            }
        }
        #expect(rules >= 20, "only \(rules) rules found: the scan is broken")
        // Through a real warning, as the import summary and the pages show it.
        let d = Diagnostic.warning("invoice.totals", "Facturae InvoiceTotal = base + taxes - taxes withheld: the document states 99.99 but its parts add up to 66.03 (tolerance 0)")
        #expect(d.localizedMessage(in: es) == "Facturae InvoiceTotal = base + impuestos repercutidos - impuestos retenidos: el documento indica 99,99 pero sus partes suman 66,03 (tolerancia 0)", "\(d.localizedMessage(in: es))")
    }

    /// The balances a gap warning names are Saldo's own figures: in Spanish they are written as
    /// Spanish writes them, like the missing amount beside them (they stayed "7,034.37").
    @Test func aBalanceGapSaysEveryFigureInTheLanguagesFormat() {
        let es = Catalog.shipped(.es)
        let d = Diagnostic.warning("import.balance", "the balance rises by 1,768.01 CHF between 7,034.37 (after line 3) and 8,802.38 (before line 4), but no row of the file moves it by that amount")
        #expect(d.localizedMessage(in: es) == "el saldo sube 1.768,01 CHF entre 7.034,37 (tras la línea 3) y 8.802,38 (antes de la línea 4), pero ninguna fila del fichero lo mueve esa cantidad",
                "\(d.localizedMessage(in: es))")
        // Falling, and before any stated balance (no "after line").
        let first = Diagnostic.warning("import.balance", "the balance falls by 5.99 EUR between 96.27 and 90.28 (before line 4), but no row of the file moves it by that amount")
        #expect(first.localizedMessage(in: es) == "el saldo baja 5,99 € entre 96,27 y 90,28 (antes de la línea 4), pero ninguna fila del fichero lo mueve esa cantidad",
                "\(first.localizedMessage(in: es))")
        // Grouped only in threes is a number; anything else is left as written.
        #expect(es.localizing(["x_amount": "-1,234,567.5", "y_amount": "12,5", "z_amount": "1,2345"])
                == ["x_amount": "-1.234.567,5", "y_amount": "12,5", "z_amount": "1,2345"])
        #expect(Diagnostic.warning("invoice.totals", "CFDI Traslado 002 160% of 1.00: the document states 360000 but its parts add up to 1.60 (tolerance 1)").localizedMessage(in: es)
                == "CFDI Traslado 002 al 160 % de 1,00: el documento indica 360.000 pero sus partes suman 1,60 (tolerancia 1)")
    }

    @Test func anErrorWrappingAnotherIsTranslatedThrough() {
        let es = Catalog.shipped(.es)
        let wrapped = "--currency: unknown currency code \"EURO\": expected an ISO 4217 code such as EUR, USD or GBP"
        #expect(es.translating(wrapped, keyPrefix: "error.") == "--currency: código de divisa desconocido \"EURO\": se esperaba un código ISO 4217 como EUR, USD o GBP")
        #expect(Catalog.shipped(.en).translating(wrapped, keyPrefix: "error.") == wrapped)
    }
}
