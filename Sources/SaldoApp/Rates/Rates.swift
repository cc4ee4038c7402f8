import Foundation
import SaldoCore
import SaldoFX
import SaldoStore

/// One rate file read.
public struct RateFileRead: Sendable {
    public var file: String
    public var rates: [ExchangeRate]
    public var problems: [Diagnostic]
    public var failed: Bool { problems.contains { $0.severity == .error } }
}

/// Where a currency's rates come from and the rates themselves over a window.
public struct RatesShown: Sendable {
    public var currency: CurrencyCode?
    /// Ledger rates, then bundled ECB rates on the days the ledger has none, oldest first.
    public var rows: [ExchangeRate]
    public var sources: [LedgerStore.RateSourceSummary]
    /// Whether the bundled ECB history holds the currency.
    public var bundleHasCurrency: Bool
    /// The days the bundled ECB history covers.
    public var bundled: ClosedRange<Day> { BundledECBRates.firstDay...BundledECBRates.lastDay }
    public var newest: Day?
    public var newestAgeDays: Int?
    /// Plain sentences: where the rates come from, how old the newest is.
    public var provenance: [String]
}

/// The exchange-rate use cases: import rate files, show where rates come from.
public enum Rates {
    public static func read(_ data: Data, file: String) -> ([ExchangeRate], [Diagnostic]) {
        func fromXML(_ bytes: Data, _ name: String) -> ([ExchangeRate], [Diagnostic]) {
            do {
                let r = try ECBXMLReader.read(bytes, file: name)
                return (r.map { ExchangeRate(date: $0.date, base: .EUR, quote: $0.currency, rate: $0.perEUR, source: ecbSourceName) }, [])
            } catch { return ([], error.diagnostics) }
        }
        if FileImporter.looksLikeXML(data) { return fromXML(data, file) }
        let r = RateFileReader.read(data, file: file)
        var rates = r.contents.rates, problems = r.contents.diagnostics
        for x in r.xmlEntries {
            let (a, b) = fromXML(x.data, "\(file)!\(x.name)")
            rates += a; problems += b
        }
        if rates.isEmpty && !problems.contains(where: { $0.severity == .error }) {
            problems.append(.error("fx.empty", "no exchange rates found", at: SourceLocation(file: file),
                                   hint: "expected the ECB layout (Date,USD,JPY,…) or date,base,quote,rate"))
        }
        return (rates, problems)
    }

    /// Reads every file; stores their rates in one database transaction only when no file has an
    /// error. `added`/`existing` are nil when nothing was stored.
    public static func importFiles(_ paths: [String], store open: () throws -> LedgerStore) throws -> (files: [RateFileRead], added: Int?, existing: Int?) {
        var reads: [RateFileRead] = []
        for f in paths {
            let path = (f as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UserError("\(f): cannot read the file", hint: "check the path")
            }
            let (rates, problems) = read(data, file: f)
            reads.append(RateFileRead(file: f, rates: rates, problems: problems))
        }
        if reads.contains(where: \.failed) { return (reads, nil, nil) }
        let (new, existing) = try open().addRates(reads.flatMap(\.rates))
        return (reads, new, existing)
    }

    /// The rates of `currency` between `from` and `to` (ledger first, the bundled ECB history
    /// filling the days it has no rate for), and where rates come from; every currency's sources
    /// when `currency` is nil.
    public static func show(currency code: CurrencyCode?, from fromDay: Day?, to toDay: Day?, today now: Day, store: LedgerStore) throws -> RatesShown {
        let sources = try store.rateSources(currency: code)

        var rows: [ExchangeRate] = []
        var bundledDays: ClosedRange<Day>?
        if let code {
            let ledgerRows = try store.rates(quote: code, from: fromDay, to: toDay)
            let lo = max(fromDay ?? BundledECBRates.firstDay, BundledECBRates.firstDay), hi = min(toDay ?? BundledECBRates.lastDay, BundledECBRates.lastDay)
            var bundled: [ExchangeRate] = []
            if lo <= hi {
                do { bundled = try BundledECBRates.rates(currencies: [code], days: lo...hi) } catch { throw UserError("\(error)", hint: "reinstall Saldo") }
            }
            // The ledger's rate wins where both have the pair on a day.
            let held = Set(ledgerRows.filter { $0.base == .EUR && $0.quote == code }.map(\.date))
            let fill = bundled.filter { !held.contains($0.date) }
            if let a = fill.map(\.date).min(), let b = fill.map(\.date).max() { bundledDays = a...b }
            rows = (ledgerRows + fill).sorted { ($0.date, $0.base.code, $0.quote.code) < ($1.date, $1.base.code, $1.quote.code) }
            if rows.isEmpty {
                throw UserError("no \(code) rates in the ledger or in the bundled ECB history\(fromDay.map { " from \($0)" } ?? "")\(toDay.map { " to \($0)" } ?? "")",
                                hint: "import them (ECB files, or a CSV with columns date,base,quote,rate)", fix: .importRates)
            }
        }
        let bundleHasCurrency = try code.map { c in
            do { return try c == .EUR || BundledECBRates.currencies().contains(c) } catch { throw UserError("\(error)", hint: "reinstall Saldo") }
        } ?? true
        let newest = ([bundleHasCurrency ? BundledECBRates.lastDay : nil] + sources.map { Optional($0.last) }).compactMap { $0 }.max()
        let age = newest.map { now.ordinal - $0.ordinal }

        var provenance: [String] = []
        let subject = code.map { "\($0) rates" } ?? "rates"
        if sources.isEmpty {
            provenance.append("imported into the ledger: no \(subject)")
        }
        for s in sources {
            provenance.append("imported into the ledger: \(s.count) \(subject) from \(s.source), \(s.first) to \(s.last)"
                              + (code == nil ? " (\(s.currencies) currenc\(s.currencies == 1 ? "y" : "ies"))" : ""))
        }
        if bundleHasCurrency {
            provenance.append("bundled with Saldo: the ECB reference rates \(BundledECBRates.firstDay) to \(BundledECBRates.lastDay)"
                              + (code == nil ? "" : bundledDays.map { ", \(rows.filter { $0.source == BundledECBRates.sourceName }.count) shown (\($0.lowerBound) to \($0.upperBound))" } ?? ", none shown")
                              + "; reports use them where the ledger's own rates leave a currency or more than a long weekend uncovered")
        } else if let code {
            provenance.append("bundled with Saldo: the ECB does not publish \(code); import a CSV with columns date,base,quote,rate")
        }
        if let newest, let age {
            provenance.append("newest \(subject.hasPrefix("rates") ? "rate" : "\(code!) rate"): \(newest), \(age) day\(age == 1 ? "" : "s") old"
                              + (age > 7 ? "; newer ones: download https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip and import it" : ""))
        }
        return RatesShown(currency: code, rows: rows, sources: sources, bundleHasCurrency: bundleHasCurrency, newest: newest, newestAgeDays: age,
                          provenance: provenance)
    }
}
