import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Next quarter's income as P10/P50/P90, with platform droughts, a floor and what-if scenarios.",
        discussion: prose("""
        Monthly net income per platform (or client), in the report currency at each transaction's
        date, is simulated forward 10,000 times (seeded): each platform can go dry and come back,
        amounts drift, and the platforms move together. P10 is the bad case (9 in 10 outcomes are
        better), P50 the middle, P90 the good case.

        Examples:
          saldo forecast
          saldo forecast --floor 1500
          saldo forecast --without Outlier --change Upwork=-30% --add 800/month
          saldo forecast --format html -o forecast.html
          saldo forecast backtest    # how well it would have predicted
        """),
        subcommands: [Next.self, Backtest.self],
        defaultSubcommand: Next.self
    )

    /// Options shared by the forecast and its backtest.
    struct SeriesOptions: ParsableArguments {
        @Option(help: "Streams by platform or client.") var by: MonthlyGrouping = .platform
        @Option(help: ArgumentHelp("Use history up to the month before this day (yyyy-mm-dd; default: today).", valueName: "date")) var today: String?
        @Option(help: ArgumentHelp("Report currency (default: `saldo config get base-currency`, else EUR).", valueName: "code")) var currency: String?

        func history(_ store: LedgerStore) throws -> IncomeSeries {
            let code: CurrencyCode?
            do { code = try currency.map { try CurrencyCode($0) } } catch { throw UserError("--currency: \(error)") }
            return try Forecasts.history(by: by, today: try resolveToday(today), currency: code, store: store)
        }
    }

    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next", abstract: "Forecast the next months (default 3) and their total.",
            discussion: "Example: saldo forecast next --floor 1500 --format json")
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var seriesOptions: SeriesOptions
        @Option(help: ArgumentHelp("A monthly amount you need; prints the chance of falling below it.", valueName: "amount")) var floor: String?
        @Option(help: ArgumentHelp("Scenario: without this platform (repeatable).", valueName: "platform")) var without: [String] = []
        @Option(help: ArgumentHelp("Scenario: change a platform, e.g. Upwork=-30% (repeatable).", valueName: "platform=pct")) var change: [String] = []
        @Option(help: ArgumentHelp("Scenario: a new contract, e.g. 800/month.", valueName: "amount/month")) var add: String?
        @Option(help: "Months ahead.") var months: Int = 3
        @Option(help: "Simulated paths.") var paths: Int = 10_000
        @Option(help: "Random seed (same seed, same answer).") var seed: UInt64 = 42
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
        static let configuration = CommandConfiguration(
            commandName: "backtest", abstract: "What the forecast would have said each past quarter, and what happened.",
            discussion: "Example: saldo forecast backtest --format markdown")
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var seriesOptions: SeriesOptions
        @Option(help: "Months of history before the first origin.") var minimumHistory: Int = 6
        @OptionGroup var output: DocumentOutput

        func run() throws {
            try output.emit(Forecasts.backtest(seriesOptions.history(ledger.open(.existing)), minimumHistory: minimumHistory))
        }
    }
}

