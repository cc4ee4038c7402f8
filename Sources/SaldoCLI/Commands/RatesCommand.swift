import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore

struct RatesCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "rates",
        abstract: Console.catalog.text("cli.help.rates.abstract"),
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
    ) }

    struct Import: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "import", abstract: Console.catalog.text("cli.help.rates.import.abstract"),
            discussion: "Example: saldo rates import eurofxref-hist.csv") }
        @OptionGroup var ledger: LedgerOption
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.rates.source", ["sources": Rates.sourceNames.joined(separator: ", ")]), valueName: "profile"))
        var source: String?
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.rates.rate_files"), valueName: "file")) var files: [String]

        func run() throws {
            let console = Console.current
            let r = try Rates.importFiles(files, source: source) { try ledger.open(.create) }
            for f in r.files {
                for p in f.problems where p.severity != .note { console.err(p.description) }
                if f.failed { continue }
                let days = Set(f.rates.map(\.date))
                let n = Set(f.rates.map(\.quote)).count
                console.out("\(f.file): \(f.rates.count) rate\(f.rates.count == 1 ? "" : "s") for \(n) currenc\(n == 1 ? "y" : "ies") on \(days.count) day\(days.count == 1 ? "" : "s")"
                            + (days.isEmpty ? "" : " (\(days.min()!) to \(days.max()!))"))
            }
            guard let new = r.added, let existing = r.existing else {
                throw UserError("nothing was imported: fix the files above and run the command again")
            }
            console.out("added \(new) rates (\(existing) were already in the ledger)")
        }
    }

    struct Show: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "show", abstract: Console.catalog.text("cli.help.rates.show.abstract"),
            discussion: prose("""
            Rates come from the ledger (what `saldo rates import` added) and, for days the ledger has no
            rate for, from the ECB history bundled with Saldo (1999-01-04 to 2026-10-30). Without a
            currency, only says where the rates come from.

            Example: saldo rates show USD --from 2026-01-01 --format csv
            """)) }
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }
        @OptionGroup var ledger: LedgerOption
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.rates.currency_code_e_g_usd"))) var currency: String?
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.rates.first_day_yyyy_mm_dd"), valueName: "date")) var from: String?
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.rates.last_day_yyyy_mm_dd"), valueName: "date")) var to: String?
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.rates.table_csv_or_json"))) var format: Format = .table
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.rates.say_how_old_the_newest"), valueName: "date")) var today: String?

        func run() throws {
            let code: CurrencyCode?
            do { code = try currency.map { try CurrencyCode($0) } } catch { throw UserError("\(error)") }
            let shown = try Rates.show(currency: code, from: try parseDay(from, "--from"), to: try parseDay(to, "--to"),
                                       today: try resolveToday(today), store: ledger.open(.existing), catalog: Console.catalog)
            var doc = shown.document
            // The commands that do what the sentences say.
            if shown.defaultWindow { doc.provenance.append(Console.catalog.text("cli.rates.other_days")) }
            if shown.stale { doc.provenance.append(Console.catalog.text("cli.rates.newer")) }
            switch format {
            case .csv where code == nil:
                for p in doc.provenance { Console.current.out(p) }
            case .csv:
                // The rates are the data; where they come from goes beside them, on standard error.
                try emitReport(doc.document().with(notes: []), format: .csv, output: nil)
                for p in doc.provenance { Console.current.err(p) }
            case .json: try emitReport(doc, format: .json, output: nil)
            case .table: try emitReport(doc, format: .table, output: nil)
            }
        }
    }
}
