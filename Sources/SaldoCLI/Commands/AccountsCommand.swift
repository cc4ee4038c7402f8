import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
import SaldoReports

struct AccountsCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "accounts",
        abstract: Console.catalog.text("cli.help.accounts.abstract"),
        discussion: prose(Console.catalog.text("cli.help.accounts.discussion"))
    ) }

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @OptionGroup var ledger: LedgerOption
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.accounts.only_accounts_under_this_one"), valueName: "account")) var under: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.accounts.table_csv_or_json"))) var format: Format = .table

    func run() throws {
        let doc = try Exports.accounts(period: try periodOptions.resolve(), under: under, store: ledger.open(.existing))
        try emitReport(doc, format: OutputFormat(rawValue: format.rawValue)!, output: nil)
    }
}

func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
func padLeft(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
