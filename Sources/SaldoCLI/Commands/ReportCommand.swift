import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore

extension MonthlyGrouping: ExpressibleByArgument {}

struct ReportCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "report",
        abstract: Console.catalog.text("cli.help.report.abstract"),
        discussion: prose(Console.catalog.text("cli.help.report.discussion")),
        subcommands: [Monthly.self, Currencies.self, Balances.self],
        defaultSubcommand: Monthly.self
    ) }

    /// What every report reads: the ledger, the period, the filters, the currency and output.
    struct Selection: ParsableArguments {
        @OptionGroup var ledger: ReadLedgerOption
        @OptionGroup var periodOptions: PeriodOptions
        @OptionGroup var filters: ReportFilterOptions
        @OptionGroup var out: ReportOutputOptions

        /// Runs one report use case on the ledger and writes the report.
        func emit<R: ReportConvertible & Sendable>(_ useCase: (ReportRequest, any LedgerStore) throws -> Reported<R>) throws {
            let store = try ledger.open(.existing)
            let request = try filters.request(period: try periodOptions.resolve(), currency: try out.currencyCode())
            let reported = try useCase(request, store)
            try out.output.emit(reported.report)
            printRateNotes(reported)
            // Done, with caveats: amounts converted without a rate within the window.
            if reported.missingRates != nil { throw ExitCode(ExitStatus.problemsFound) }
        }
    }

    struct Monthly: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "monthly", abstract: Console.catalog.text("cli.help.report.monthly.abstract"),
            discussion: example("saldo report monthly --period 2026 --by platform --format markdown")) }
        @OptionGroup var selection: Selection
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.report.group_by_platform_client_currency"))) var by: MonthlyGrouping = .platform
        @Flag(help: ArgumentHelp(Console.catalog.text("cli.option.report.also_show_the_sums_in"))) var showOriginal = false

        func run() throws {
            try selection.emit { try Reports.monthly($0, by: by, showOriginal: showOriginal, store: $1) }
        }
    }

    struct Currencies: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "currencies", abstract: Console.catalog.text("cli.help.report.currencies.abstract"),
            discussion: example("saldo report currencies --period 2026 --currency EUR")) }
        @OptionGroup var selection: Selection

        func run() throws {
            try selection.emit { try Reports.currencies($0, store: $1) }
        }
    }

    struct Balances: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "balances", abstract: Console.catalog.text("cli.help.report.balances.abstract"),
            discussion: example("saldo report balances --period 2026 --format csv")) }
        @OptionGroup var selection: Selection

        func run() throws {
            try selection.emit { try Reports.balances($0, store: $1) }
        }
    }
}
