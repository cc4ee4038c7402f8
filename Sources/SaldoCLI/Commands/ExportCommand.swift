import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
import SaldoReports

extension LedgerExport.Format: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "export",
        abstract: Console.catalog.text("cli.help.export.abstract"),
        discussion: prose(Console.catalog.text("cli.help.export.discussion"))
    ) }


    @OptionGroup var ledger: LedgerOption
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.export.hledger_beancount_csv_or_json"))) var format: LedgerExport.Format = .hledger
    @Option(name: [.short, .long], help: ArgumentHelp(Console.catalog.text("cli.option.export.write_to_this_file_instead"), valueName: "file")) var output: String?

    func run() throws {
        let (text, count) = try Exports.ledger(period: try periodOptions.resolve(), format: format, store: ledger.open(.existing))
        if let o = output {
            try writeOutput(text, to: o)
            Console.current.err(Console.catalog.plural("cli.export.wrote", count: count, ["file": o]))
        } else {
            Console.current.out(text, terminator: "")
        }
    }
}

