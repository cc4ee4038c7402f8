import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore

struct ForecastCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "forecast",
        abstract: Console.catalog.text("cli.help.forecast.abstract"),
        discussion: prose(Console.catalog.text("cli.help.forecast.discussion")),
        subcommands: [Next.self, Backtest.self],
        defaultSubcommand: Next.self
    ) }

    /// Options shared by the forecast and its backtest.
    struct SeriesOptions: ParsableArguments {
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.forecast.streams_by_platform_or_client"))) var by: MonthlyGrouping = .platform
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.forecast.use_history_up_to_the"), valueName: "date")) var today: String?
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.currency"), valueName: "code")) var currency: String?

        func history(_ store: any LedgerStore) throws -> IncomeSeries {
            let code: CurrencyCode?
            do { code = try currency.map { try CurrencyCode($0) } } catch { throw UserError("--currency: \(error)") }
            return try Forecasts.history(by: by, today: try resolveToday(today), currency: code, store: store)
        }
    }

    struct Next: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "next", abstract: Console.catalog.text("cli.help.forecast.next.abstract"),
            discussion: example("saldo forecast next --floor 1500 --format json")) }
        @OptionGroup var ledger: ReadLedgerOption
        @OptionGroup var seriesOptions: SeriesOptions
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.forecast.a_monthly_amount_you_need"), valueName: "amount")) var floor: String?
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.forecast.scenario_without_this_platform_repeatable"), valueName: "platform")) var without: [String] = []
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.forecast.scenario_change_a_platform_e"), valueName: "platform=pct")) var change: [String] = []
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.forecast.scenario_a_new_contract_e"), valueName: "amount/month")) var add: String?
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.forecast.months_ahead"))) var months: Int = 3
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.forecast.simulated_paths"))) var paths: Int = 10_000
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.forecast.random_seed_same_seed_same"))) var seed: UInt64 = 42
        @OptionGroup var output: DocumentOutput

        func run() throws {
            let floorValue = try floor.map { try ScenarioRequest.parseFloor($0) }
            let scenarios = try ScenarioRequest.parse(without: without, change: change, add: add).map { [$0] } ?? []
            let history = try seriesOptions.history(ledger.open(.existing))
            try output.emit(Forecasts.next(history, months: months, floor: floorValue, scenarios: scenarios, paths: paths, seed: seed))
            // Done, with caveats: part of the history was converted without a rate within the window.
            if !history.missingRates.isEmpty { throw ExitCode(ExitStatus.problemsFound) }
        }
    }

    struct Backtest: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "backtest", abstract: Console.catalog.text("cli.help.forecast.backtest.abstract"),
            discussion: example("saldo forecast backtest --format markdown")) }
        @OptionGroup var ledger: ReadLedgerOption
        @OptionGroup var seriesOptions: SeriesOptions
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.forecast.months_of_history_before_the"))) var minimumHistory: Int = 6
        @OptionGroup var output: DocumentOutput

        func run() throws {
            try output.emit(Forecasts.backtest(seriesOptions.history(ledger.open(.existing)), minimumHistory: minimumHistory))
        }
    }
}

