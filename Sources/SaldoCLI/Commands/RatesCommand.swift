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
        discussion: prose(Console.catalog.text("cli.help.rates.discussion")),
        subcommands: [Import.self, RatesUpdateCommand.self, Show.self]
    ) }

    struct Import: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "import", abstract: Console.catalog.text("cli.help.rates.import.abstract"),
            discussion: example("saldo rates import eurofxref-hist.csv")) }
        @OptionGroup var ledger: LedgerOption
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.rates.source", ["sources": Rates.sourceNames.joined(separator: ", ")]), valueName: "profile"))
        var source: String?
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.rates.rate_files"), valueName: "file")) var files: [String]

        func run() throws {
            let console = Console.current
            let r = try Rates.importFiles(files, source: source) { try ledger.open(.create) }
            for f in r.files {
                for p in f.problems where p.severity != .note { console.err(p.text(in: Console.catalog)) }
                if f.failed { continue }
                let days = Set(f.rates.map(\.date))
                let n = Set(f.rates.map(\.quote)).count
                let L = Console.catalog
                console.out(L.text("cli.rates.file_summary", ["file": f.file, "rates": L.plural("cli.rates.count_rates", count: f.rates.count),
                                                               "currencies": L.plural("cli.rates.count_currencies", count: n), "days": L.plural("cli.rates.count_days", count: days.count)])
                            + (days.isEmpty ? "" : LocalizedText("cli.rates.day_range", ["from_date": "\(days.min()!)", "to_date": "\(days.max()!)"]).text(in: L)))
            }
            guard let new = r.added, let existing = r.existing else {
                throw UserError(LocalizedText("error.nothing_was_imported_fix").english)
            }
            console.out(Console.catalog.text("cli.rates.added", ["new": "\(new)", "existing": "\(existing)"]))
        }
    }

    struct Show: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "show", abstract: Console.catalog.text("cli.help.rates.show.abstract"),
            discussion: prose(Console.catalog.text("cli.help.rates.show.discussion"))) }
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
