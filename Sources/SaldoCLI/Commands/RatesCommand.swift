import ArgumentParser
import Foundation
import SaldoCore
import SaldoFX
import SaldoReports
import SaldoStore

struct RatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rates",
        abstract: "Import and show exchange rates (ECB reference rates, or any date,base,quote,rate CSV).",
        discussion: prose("""
        Every amount converts at its own date; on days without a published rate (weekends, TARGET
        holidays) the last earlier rate is used and reports say how many amounts needed it.

        Without any import, reports use the ECB history bundled with Saldo (1999-01-04 to
        2026-10-30); imported rates win where both have a day.

        Examples:
          saldo rates import eurofxref-hist.zip
          saldo rates import eurofxref-daily.xml eurofxref-hist-90d.xml
          saldo rates import my-rates.csv            # header: date,base,quote,rate
          saldo rates import bcra.json --source bcra
          saldo rates update                 # the ECB's newest rates
          saldo rates show USD --from 2026-01-01
          saldo rates show                   # sources; age of the newest
        """),
        subcommands: [Import.self, RatesUpdateCommand.self, Show.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import rate files (ECB XML, ECB CSV, zipped, or plain CSV).",
            discussion: "Example: saldo rates import eurofxref-hist.csv")
        @OptionGroup var ledger: LedgerOption
        @Option(help: ArgumentHelp("The central bank whose API answer the files are: \(RateSourceProfile.allCases.map(\.rawValue).joined(separator: ", ")) (default: recognised by content).", valueName: "profile"))
        var source: String?
        @Argument(help: ArgumentHelp("Rate files.", valueName: "file")) var files: [String]

        func run() throws {
            let console = Console.current
            var all: [ExchangeRate] = []
            var failed = false
            for f in files {
                let path = (f as NSString).expandingTildeInPath
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw UserError("\(f): cannot read the file", hint: "check the path")
                }
                var profile: RateSourceProfile?
                if let source {
                    guard let p = RateSourceProfile.named(source) else {
                        throw UserError("--source \(source) is not a rate source Saldo reads", hint: "use one of \(RateSourceProfile.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    profile = p
                }
                let (rates, problems) = Self.read(data, file: f, profile: profile)
                for p in problems where p.severity != .note { console.err(p.description) }
                if problems.contains(where: { $0.severity == .error }) { failed = true; continue }
                all += rates
                let days = Set(rates.map(\.date))
                let n = Set(rates.map(\.quote)).count
                console.out("\(f): \(rates.count) rate\(rates.count == 1 ? "" : "s") for \(n) currenc\(n == 1 ? "y" : "ies") on \(days.count) day\(days.count == 1 ? "" : "s")"
                            + (days.isEmpty ? "" : " (\(days.min()!) to \(days.max()!))"))
            }
            if failed { throw UserError("nothing was imported: fix the files above and run the command again") }
            let (new, existing) = try ledger.open(.create).addRates(all)
            console.out("added \(new) rates (\(existing) were already in the ledger)")
        }

        static func read(_ data: Data, file: String, profile: RateSourceProfile? = nil) -> ([ExchangeRate], [Diagnostic]) {
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
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show rates of a currency, where they come from and how old the newest is.",
            discussion: prose("""
            Rates come from the ledger (what `saldo rates import` added) and, for days the ledger has no
            rate for, from the ECB history bundled with Saldo (1999-01-04 to 2026-10-30). Without a
            currency, only says where the rates come from.

            Example: saldo rates show USD --from 2026-01-01 --format csv
            """))
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }
        @OptionGroup var ledger: LedgerOption
        @Argument(help: "Currency code, e.g. USD.") var currency: String?
        @Option(help: ArgumentHelp("First day (yyyy-mm-dd).", valueName: "date")) var from: String?
        @Option(help: ArgumentHelp("Last day (yyyy-mm-dd).", valueName: "date")) var to: String?
        @Option(help: "table, csv or json.") var format: Format = .table
        @Option(help: ArgumentHelp("Say how old the newest rate is as of this day (yyyy-mm-dd; default: today).", valueName: "date")) var today: String?

        func run() throws {
            let code: CurrencyCode?
            do { code = try currency.map { try CurrencyCode($0) } } catch { throw UserError("\(error)") }
            func day(_ s: String?, _ flag: String) throws -> Day? {
                guard let s else { return nil }
                guard let d = Day(iso: s), s.count == 10 else { throw UserError("\(flag) \(s) is not a date", hint: "write it as yyyy-mm-dd") }
                return d
            }
            var fromDay = try day(from, "--from"), toDay = try day(to, "--to")
            let now = try resolveToday(today)
            let store = try ledger.open(.existing)
            let sources = try store.rateSources(currency: code)
            if let code, fromDay == nil {
                // Default window: the 30 days up to the newest rate of the currency (or --to).
                let bundled = (try? BundledECBRates.currencies().contains(code)) == true ? BundledECBRates.lastDay : nil
                let newestRate = ([bundled] + sources.map { Optional($0.last) }).compactMap { $0 }.max()
                if let end = toDay ?? newestRate { fromDay = end.adding(days: -29); if toDay == nil { toDay = end } }
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
                if rows.isEmpty {
                    throw UserError("no \(code) rates in the ledger or in the bundled ECB history\(fromDay.map { " from \($0)" } ?? "")\(toDay.map { " to \($0)" } ?? "")",
                                    hint: "import them: `saldo rates import FILE` (\(RateSourceChoice.whereToGet(code)))")
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
                provenance.append("bundled with Saldo: the ECB does not publish \(code); rates for it: \(RateSourceChoice.whereToGet(code))")
            }
            if let code, let f = fromDay, let t = toDay, from == nil {
                provenance.append("showing \(code) rates from \(f) to \(t), the 30 days up to the newest; --from and --to choose others")
            }
            if let newest, let age {
                provenance.append("newest \(subject.hasPrefix("rates") ? "rate" : "\(code!) rate"): \(newest), \(age) day\(age == 1 ? "" : "s") old"
                                  + (age > 7 ? "; newer ones: `saldo rates update` (or download https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip and run `saldo rates import eurofxref-hist.zip`)" : ""))
            }

            let console = Console.current
            switch format {
            case .csv:
                if code != nil {
                    console.out("date,base,quote,rate,source")
                    for r in rows { console.out("\(r.date),\(r.base),\(r.quote),\(r.rate),\(r.source)") }
                    for p in provenance { console.err(p) }
                } else {
                    for p in provenance { console.out(p) }
                }
            case .json:
                var fields: [(String, JSONValue)] = []
                if code != nil {
                    fields.append(("rates", .array(rows.map {
                        .obj([("date", .string($0.date.description)), ("base", .string($0.base.description)), ("quote", .string($0.quote.description)),
                              ("rate", .string($0.rate.description)), ("source", .string($0.source))])
                    })))
                }
                fields.append(("imported", .array(sources.map {
                    .obj([("source", .string($0.source)), ("rates", .int($0.count)), ("from", .string($0.first.description)), ("to", .string($0.last.description))])
                })))
                fields.append(("bundled", bundleHasCurrency
                    ? .obj([("source", .string("European Central Bank, euro foreign exchange reference rates")),
                            ("from", .string(BundledECBRates.firstDay.description)), ("to", .string(BundledECBRates.lastDay.description))])
                    : .null))
                fields.append(("newest", newest.map { .string($0.description) } ?? .null))
                fields.append(("newest_age_days", age.map { JSONValue.int($0) } ?? .null))
                console.out(JSONValue.obj(fields).line())
            case .table:
                if let first = rows.first {
                    console.out(console.styled("date        " + padLeft("1 \(first.base) =", 10) + "      source", .bold))
                    for r in rows { console.out("\(r.date)  \(padLeft(r.rate.description, 10)) \(r.quote)  \(r.source)") }
                    console.out(console.styled("\(rows.count) rates", .dim))
                }
                for p in provenance { console.out(console.styled(p, .dim)) }
            }
        }
    }
}
