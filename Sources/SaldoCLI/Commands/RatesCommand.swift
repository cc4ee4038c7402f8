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

        Examples:
          saldo rates import eurofxref-hist.zip
          saldo rates import eurofxref-daily.xml eurofxref-hist-90d.xml
          saldo rates import my-rates.csv            # header: date,base,quote,rate
          saldo rates show USD --from 2026-01-01
        """),
        subcommands: [Import.self, Show.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import rate files (ECB XML, ECB CSV, zipped, or plain CSV).",
            discussion: "Example: saldo rates import eurofxref-hist.csv")
        @OptionGroup var ledger: LedgerOption
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
                let (rates, problems) = Self.read(data, file: f)
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

        static func read(_ data: Data, file: String) -> ([ExchangeRate], [Diagnostic]) {
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
            commandName: "show", abstract: "Show stored rates of a currency.",
            discussion: "Example: saldo rates show USD --from 2026-01-01 --format csv")
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }
        @OptionGroup var ledger: LedgerOption
        @Argument(help: "Currency code, e.g. USD.") var currency: String
        @Option(help: ArgumentHelp("First day (yyyy-mm-dd).", valueName: "date")) var from: String?
        @Option(help: ArgumentHelp("Last day (yyyy-mm-dd).", valueName: "date")) var to: String?
        @Option(help: "table, csv or json.") var format: Format = .table

        func run() throws {
            let code: CurrencyCode
            do { code = try CurrencyCode(currency) } catch { throw UserError("\(error)") }
            func day(_ s: String?, _ flag: String) throws -> Day? {
                guard let s else { return nil }
                guard let d = Day(iso: s), s.count == 10 else { throw UserError("\(flag) \(s) is not a date", hint: "write it as yyyy-mm-dd") }
                return d
            }
            let store = try ledger.open(.existing)
            let rows = try store.rates(quote: code, from: try day(from, "--from"), to: try day(to, "--to"))
            let console = Console.current
            if rows.isEmpty {
                throw UserError("no \(code) rates in the ledger\(from.map { " from \($0)" } ?? "")", hint: "import them: saldo rates import eurofxref-hist.csv")
            }
            switch format {
            case .csv:
                console.out("date,base,quote,rate,source")
                for r in rows { console.out("\(r.date),\(r.base),\(r.quote),\(r.rate),\(r.source)") }
            case .json:
                console.out(JSONValue.obj([("rates", .array(rows.map {
                    .obj([("date", .string($0.date.description)), ("base", .string($0.base.description)), ("quote", .string($0.quote.description)),
                          ("rate", .string($0.rate.description)), ("source", .string($0.source))])
                }))]).line())
            case .table:
                console.out(console.styled("date        " + padLeft("1 \(rows[0].base) =", 10) + "      source", .bold))
                for r in rows { console.out("\(r.date)  \(padLeft(r.rate.description, 10)) \(r.quote)  \(r.source)") }
                console.out(console.styled("\(rows.count) rates", .dim))
            }
        }
    }
}
