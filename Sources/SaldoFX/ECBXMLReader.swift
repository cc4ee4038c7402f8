import Foundation
import SaldoCore
import SaldoXML

/// One ECB euro reference rate: `perEUR` units of `currency` for one euro on `date`.
public struct ECBRate: Hashable, Sendable {
    public var date: Day
    public var currency: CurrencyCode
    public var perEUR: ExactDecimal
    public init(date: Day, currency: CurrencyCode, perEUR: ExactDecimal) {
        self.date = date; self.currency = currency; self.perEUR = perEUR
    }
}

/// Reads the ECB's `eurofxref-daily.xml`, `eurofxref-hist-90d.xml` and `eurofxref-hist.xml`
/// (gesmes envelope, `Cube time` / `Cube currency rate`) through SaldoXML. Rates stay exact decimals.
public enum ECBXMLReader {
    static let gesmes = "http://www.gesmes.org/xml/2002-08-01"
    static let eurofxref = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"

    /// The full history is about 6 MB; allow more than an invoice.
    public static let limits = XMLLimits(maxBytes: 64 * 1024 * 1024, maxDepth: 16, maxAttributeBytes: 1024, maxTextBytes: 1024 * 1024, maxElements: 2_000_000)

    public static func read(contentsOf url: URL, file: String? = nil) throws(DiagnosticsError) -> [ECBRate] {
        try readSkipping(contentsOf: url, file: file).rates
    }

    /// Reads a file and also names the codes Saldo does not know that were skipped.
    public static func readSkipping(contentsOf url: URL, file: String? = nil) throws(DiagnosticsError) -> (rates: [ECBRate], skipped: [String]) {
        do {
            let doc = try SafeXML.parse(contentsOf: url, file: file, limits: limits)
            return try readSkipping(doc)
        } catch let e as XMLParseError {
            throw DiagnosticsError(e.diagnostics)
        } catch let e as DiagnosticsError {
            throw e
        } catch {
            throw DiagnosticsError([.error("ecb.read", "\(error)")])
        }
    }

    public static func read(_ bytes: some Collection<UInt8>, file: String) throws(DiagnosticsError) -> [ECBRate] {
        let doc: XDocument
        do { doc = try SafeXML.parse(bytes, file: file, limits: limits) } catch { throw DiagnosticsError(error.diagnostics) }
        return try read(doc)
    }

    /// Rates in document order (the history files list the newest day first). Malformed rates
    /// (a decimal comma from a spreadsheet edit) and malformed codes are errors. Retired currencies
    /// Saldo reads (HRK, LTL, SIT… in the history: ``CurrencyTable/retired``) are read like the others;
    /// other well-formed codes Saldo does not know are skipped; see ``readSkipping(_:)``.
    public static func read(_ doc: XDocument) throws(DiagnosticsError) -> [ECBRate] {
        try readSkipping(doc).rates
    }

    /// Like ``read(_:)`` and also names the codes Saldo does not know that were skipped, once each.
    public static func readSkipping(_ doc: XDocument) throws(DiagnosticsError) -> (rates: [ECBRate], skipped: [String]) {
        var skipped: [String] = []
        let root = doc.root
        func loc(_ e: XElement, _ field: String? = nil) -> SourceLocation { SourceLocation(file: doc.file, line: e.line, field: field) }
        guard root.namespace == gesmes, root.name == "Envelope" else {
            throw DiagnosticsError([.error("ecb.format", "expected the ECB gesmes:Envelope, found \(root.qualifiedName)", at: loc(root),
                                           hint: "download eurofxref-daily.xml or eurofxref-hist.xml from the ECB")])
        }
        var rates: [ECBRate] = []
        var problems: [Diagnostic] = []
        for outer in root.children(eurofxref, "Cube") {
            for day in outer.children(eurofxref, "Cube") {
                guard let t = day.attribute("time"), let date = Day(iso: t), t.count == 10 else {
                    problems.append(.error("ecb.date", "expected time=\"yyyy-mm-dd\", found \"\(day.attribute("time") ?? "")\"", at: loc(day, "time")))
                    continue
                }
                for c in day.children(eurofxref, "Cube") {
                    let code = c.attribute("currency") ?? ""
                    let rateText = c.attribute("rate") ?? ""
                    guard let currency = try? CurrencyCode(code) else {
                        if code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                            if !skipped.contains(code) { skipped.append(code) }
                            continue
                        }
                        problems.append(.error("ecb.currency", "unknown currency code \"\(code)\"", at: loc(c, "currency"))); continue
                    }
                    guard let rate = strictRate(rateText) else {
                        problems.append(.error("ecb.rate", "expected a rate such as 1.0856, found \"\(rateText)\"", at: loc(c, "rate"),
                                               hint: "the ECB writes rates with a decimal point; a comma means the file was edited"))
                        continue
                    }
                    rates.append(ECBRate(date: date, currency: currency, perEUR: rate))
                }
            }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        if rates.isEmpty {
            throw DiagnosticsError([.error("ecb.empty", "the file holds no rates", at: loc(root))])
        }
        return (rates, skipped)
    }

    /// Positive decimal with a point: digits, optional fraction. Nothing else.
    static func strictRate(_ s: String) -> ExactDecimal? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let ip = parts.first, !ip.isEmpty, ip.count <= 12, ip.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var frac = ""
        if parts.count == 2 {
            frac = String(parts[1])
            guard !frac.isEmpty, frac.count <= 12, frac.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        }
        guard let v = Int128(String(ip) + frac), v > 0 else { return nil }
        return ExactDecimal(significand: v, scale: frac.count)
    }
}

private extension Error {
    var diagnostics: [Diagnostic] { (self as? XMLParseError)?.diagnostics ?? [.error("ecb.read", "\(self)")] }
}
