import Foundation
import SaldoCore
import SaldoFX
import SaldoReports
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
    public var sources: [RateSourceSummary]
    /// Whether the bundled ECB history holds the currency.
    public var bundleHasCurrency: Bool
    /// The days the bundled ECB history covers.
    public var bundled: ClosedRange<Day> { BundledECBRates.firstDay...BundledECBRates.lastDay }
    public var newest: Day?
    public var newestAgeDays: Int?
    /// Plain sentences: where the rates come from, how old the newest is.
    public var provenance: [String]
    /// Whether the window shown is the default one (the 30 days up to the newest rate).
    public var defaultWindow = false
    /// When and by what the currency was replaced, for one no longer in use (HRK).
    public var retired: RetiredCurrency?
    /// Whether the ECB publishes no newer rate of the currency: it is no longer in use (HRK), or
    /// the ECB stopped publishing it (RUB after 1 March 2022).
    public var noNewerRates = false
    /// Whether the newest rate is more than a week old and newer ones can be fetched.
    public var stale: Bool { (newestAgeDays ?? 0) > 7 && !noNewerRates }

    /// As a document for every output format.
    public var document: RatesShownDocument {
        RatesShownDocument(currency: currency, rows: rows, sources: sources.map { .init(source: $0.source, count: $0.count, first: $0.first, last: $0.last) },
                           bundled: bundleHasCurrency ? bundled : nil, newest: newest, newestAgeDays: newestAgeDays, provenance: provenance,
                           retired: retired.map { .init(since: $0.since, replacedBy: $0.replacedBy) })
    }
}

/// The exchange-rate use cases: import rate files, update from the ECB, show where rates come from.
public enum Rates {
    /// The rate sources Saldo reads (`--source`), by name.
    public static var sourceNames: [String] { RateSourceProfile.allCases.map(\.rawValue) }

    /// Reads a rate file: a central bank's answer (by `profile`, or recognised by content), else
    /// ECB XML, ECB CSV (zipped or not) or a `date,base,quote,rate` CSV.
    public static func read(_ data: Data, file: String, profile: RateSourceProfile? = nil) -> ([ExchangeRate], [Diagnostic]) {
        if let p = profile ?? RateSourceProfile.detect(data), p != .ecb {
            let r = p.read(data, file: file)
            return (r.rates, r.diagnostics)
        }
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
    public static func importFiles(_ paths: [String], source: String? = nil, store open: () throws -> any LedgerStore) throws -> (files: [RateFileRead], added: Int?, existing: Int?) {
        var profile: RateSourceProfile?
        if let source {
            guard let p = RateSourceProfile.named(source) else {
                throw UserError("\(source) is not a rate source Saldo reads", hint: "use one of \(RateSourceProfile.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            profile = p
        }
        return try importFiles(paths.map { (path: $0, name: $0) }, profile: profile, store: open)
    }

    /// Imports files stored under names of their own (uploads): each read from `path`, its
    /// problems and counts reported under `name`, the name the user knows it by.
    public static func importUploads(_ files: [(path: String, name: String)], source: String? = nil,
                                     store open: () throws -> any LedgerStore) throws -> (files: [RateFileRead], added: Int?, existing: Int?) {
        var profile: RateSourceProfile?
        if let source {
            guard let p = RateSourceProfile.named(source) else {
                throw UserError("\(source) is not a rate source Saldo reads", hint: "use one of \(RateSourceProfile.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            profile = p
        }
        return try importFiles(files, profile: profile, store: open)
    }

    static func importFiles(_ files: [(path: String, name: String)], profile: RateSourceProfile?,
                            store open: () throws -> any LedgerStore) throws -> (files: [RateFileRead], added: Int?, existing: Int?) {
        var reads: [RateFileRead] = []
        for (f, name) in files {
            let path = (f as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UserError("\(name): cannot read the file", hint: "check the path")
            }
            let (rates, problems) = read(data, file: name, profile: profile)
            reads.append(RateFileRead(file: name, rates: rates, problems: problems))
        }
        if reads.contains(where: \.failed) { return (reads, nil, nil) }
        let (new, existing) = try open().addRates(reads.flatMap(\.rates))
        return (reads, new, existing)
    }

    /// The rates of `currency` between `from` and `to` (ledger first, the bundled ECB history
    /// filling the days it has no rate for), and where rates come from; every currency's sources
    /// when `currency` is nil.
    /// Without `from`, a currency's rates are the 30 days up to its newest rate (or `to`).
    /// A currency no longer in use (HRK) is shown like any other, with when it was replaced.
    /// The provenance sentences are said in `catalog`'s language.
    public static func show(currency code: CurrencyCode?, from: Day?, to: Day?, today now: Day, store: any LedgerStore,
                            catalog L: Catalog = .shipped(.en)) throws -> RatesShown {
        let sources = try store.rateSources(currency: code)
        var fromDay = from, toDay = to
        var defaultWindow = false
        // The bundle's newest rate of the currency: its last day, or earlier for one the ECB no longer publishes.
        let bundleLast: Day?
        do { bundleLast = try code.flatMap { try BundledECBRates.lastDay(of: $0) } } catch { throw UserError("\(error)", hint: "reinstall Saldo") }
        if code != nil, fromDay == nil {
            // Default window: the 30 days up to the newest rate of the currency (or the last day asked for).
            let newestRate = ([bundleLast] + sources.map { Optional($0.last) }).compactMap { $0 }.max()
            if let end = toDay ?? newestRate { fromDay = end.adding(days: -29); if toDay == nil { toDay = end }; defaultWindow = true }
        }

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
            if rows.isEmpty, let r = code.retirement, let first = fromDay, first >= r.since {
                // Days after it was replaced: no source will ever have them.
                let last = ([bundleLast] + sources.map { Optional($0.last) }).compactMap { $0 }.max() ?? r.lastDay
                throw UserError(LocalizedText("error.retired_currency.no_rates", ["code": code.code, "date": r.since.description, "successor": r.replacedBy,
                                                                                 "last_date": last.description]).english,
                                hint: LocalizedText("error.retired_currency.choose_days", ["last_date": last.description]).english)
            }
            if rows.isEmpty {
                let variant = fromDay == nil ? (toDay == nil ? "" : ".to") : (toDay == nil ? ".from" : ".from_to")
                throw UserError(LocalizedText("error.no_rates" + variant, ["code": code.code, "from_date": fromDay.map { "\($0)" } ?? "", "to_date": toDay.map { "\($0)" } ?? ""]).english,
                                hint: "import them (\(RateSourceChoice.whereToGet(code)))", fix: .importRates)
            }
        }
        let bundleHasCurrency = code == nil || bundleLast != nil
        let newest = ([code == nil ? BundledECBRates.lastDay : bundleLast] + sources.map { Optional($0.last) }).compactMap { $0 }.max()
        let age = newest.map { now.ordinal - $0.ordinal }
        let retired = code?.retirement
        // The ECB's history of the currency ends before the bundle's: it publishes no newer rate.
        let ecbStopped = bundleLast.map { $0 < BundledECBRates.lastDay } ?? false

        var provenance: [String] = []
        let f = HumanFormat(L.language)
        let date = { (d: Day) in L.language == .en ? d.description : f.date(d) }
        let subject = code.map { L.text("rates.provenance.subject_currency", ["currency": $0.code]) } ?? L.text("rates.provenance.subject")
        if sources.isEmpty {
            provenance.append(L.text("rates.provenance.imported_none", ["subject": subject]))
        }
        for s in sources {
            provenance.append(L.text("rates.provenance.imported", ["count": f.integer(s.count), "subject": subject, "source": s.source, "from": date(s.first), "to": date(s.last)])
                              + (code == nil ? L.plural("rates.provenance.currencies", count: s.currencies) : ""))
        }
        if bundleHasCurrency {
            let range = ["from": date(BundledECBRates.firstDay), "to": date(BundledECBRates.lastDay)]
            provenance.append(L.text("rates.provenance.bundled", range)
                              + (code == nil ? "" : bundledDays.map { L.text("rates.provenance.bundled_shown", ["count": f.integer(rows.filter { $0.source == BundledECBRates.sourceName }.count),
                                                                                                             "from": date($0.lowerBound), "to": date($0.upperBound)]) }
                                                    ?? L.text("rates.provenance.bundled_none_shown"))
                              + L.text("rates.provenance.bundled_use"))
        } else if let code {
            provenance.append(L.text("rates.provenance.not_published", ["currency": code.code, "where": RateSourceChoice.whereToGet(code)]))
        }
        if let code, let from = fromDay, let to = toDay, defaultWindow {
            provenance.append(L.text("rates.provenance.window", ["currency": code.code, "from": date(from), "to": date(to)]))
        }
        if let code, let retired {
            provenance.append(L.text("rates.provenance.retired", ["currency": code.code, "date": date(retired.since), "successor": retired.replacedBy]))
        } else if let code, let last = bundleLast, ecbStopped {
            provenance.append(L.text("rates.provenance.ecb_stopped", ["currency": code.code, "date": date(last)]))
        }
        let noNewerRates = retired != nil || ecbStopped
        if let newest, let age {
            provenance.append(L.plural(code == nil ? "rates.provenance.newest" : "rates.provenance.newest_currency", count: age,
                                       ["currency": code?.code ?? "", "date": date(newest)])
                              + (age > 7 && !noNewerRates ? L.text("rates.provenance.download") : ""))
        }
        return RatesShown(currency: code, rows: rows, sources: sources, bundleHasCurrency: bundleHasCurrency, newest: newest, newestAgeDays: age,
                          provenance: provenance, defaultWindow: defaultWindow, retired: retired, noNewerRates: noNewerRates)
    }
}

extension Rates {
    /// What `rates update` did.
    public struct UpdateResult: Sendable {
        /// The sentence to show (what was downloaded, or that nothing newer exists).
        public var summary: String
        public var added: Int
    }

    /// Downloads the ECB's current rates (`url`, else `$SALDO_ECB_URL`, else the ECB's 90-day file, or
    /// its whole history when Saldo's newest rate is older than that), asking only for a newer file
    /// than the last one; checks the content, then stores the rates in one database transaction.
    public static func update(url: String?, environment: [String: String], timeout: Double, today now: Day, store: any LedgerStore,
                              fetcher: any RateFetcher = URLSessionRateFetcher()) throws -> UpdateResult {
        func newest() throws -> Day? {
            let ecb = try store.rateSources().filter { $0.source == ecbSourceName }.map(\.last).max()
            return [ecb, BundledECBRates.lastDay].compactMap { $0 }.max()
        }
        let before = try newest()
        let address: URL
        if let text = url ?? environment[ECBUpdate.urlEnvironmentVariable].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let u = URL(string: text), u.scheme != nil else { throw UserError("\(text) is not an address", hint: "give it as https://…") }
            address = u
        } else {
            address = ECBUpdate.defaultURL(newestKnown: before, today: now)
        }
        guard timeout > 0 else { throw UserError("a timeout of \(timeout) seconds is not one", hint: "give a positive number of seconds, e.g. 30") }
        let validators = RateValidators(stored: try store.setting(ECBUpdate.validatorsSetting))
        let outcome = ECBUpdate.run(url: address, validators: validators, fetcher: fetcher, timeout: timeout, today: now)
        switch outcome {
        case .downloaded(let rates, let v, _):
            let (new, _) = try store.addRates(rates, settings: [ECBUpdate.validatorsSetting: v.stored])
            return UpdateResult(summary: ECBUpdate.summary(outcome, newestKnown: try newest(), added: new), added: new)
        case .upToDate:
            return UpdateResult(summary: ECBUpdate.summary(outcome, newestKnown: before), added: 0)
        case .offline:
            throw UserError(ECBUpdate.summary(outcome, newestKnown: before), hint: "connect and update again, or import a downloaded file", fix: .importRates)
        case .refused(let problems):
            throw UserError(ECBUpdate.summary(outcome, newestKnown: before), hint: problems.map(\.description).joined(separator: "\n"))
        }
    }
}
