import ArgumentParser
import Foundation
import SaldoApp

struct BenchCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "bench",
        abstract: Console.catalog.text("cli.help.bench.abstract"),
        discussion: prose("""
        Examples:
          saldo bench ledger --transactions 1000000
          saldo bench forecast --dataset m3-monthly --data m3_data.json
        """),
        subcommands: [BenchForecast.self, BenchLedger.self, BenchImport.self]
    ) }
}

struct BenchLedger: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "ledger",
        abstract: Console.catalog.text("cli.help.bench.ledger.abstract"),
        discussion: "Example: saldo bench ledger --transactions 100000 --keep /tmp/bench.sqlite"
    ) }
    @Option(help: "How many transactions.") var transactions: Int = 100_000
    @Option(help: ArgumentHelp("Keep the ledger at this path (for report benchmarks).", valueName: "path")) var keep: String?

    func run() throws {
        for line in try Benchmarks.ledger(transactions: transactions, keep: keep) { Console.current.out(line) }
    }
}

struct BenchForecast: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "forecast",
        abstract: Console.catalog.text("cli.help.bench.forecast.abstract"),
        discussion: prose("""
        Prints sMAPE (M3 definition), MASE, 80% and 95% interval coverage, MSIS at 95% and seconds for
        the default combination and each member. Data: m3_data.json or tcomp_data.json (per series
        x, xx, h, period). Build with -c release for the timings.

        Examples:
          saldo bench forecast --dataset m3-monthly --data m3_data.json
          saldo bench forecast --dataset m3-monthly --data m3_data.json --horizon 3
          saldo bench forecast --dataset tourism-quarterly --data tcomp_data.json
          saldo bench forecast --dataset all --data ../shared/data/forecasting
        """)
    ) }
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
    @Option(help: "all, m3-monthly, m3-quarterly, m3-yearly, m3-other, tourism-monthly or tourism-quarterly.") var dataset: String
    @Option(help: ArgumentHelp("The competition data file (JSON), or the folder holding m3_data.json and tcomp_data.json.", valueName: "path")) var data: String
    @Option(help: "Score only the first N held-out periods (3: the next quarter of a monthly series).") var horizon: Int?
    @Option(help: "table or json (one object per set).") var format: Format = .table

    func run() throws {
        Console.current.progress("scoring \(dataset)…")
        let text = try Benchmarks.forecast(dataset: dataset, data: data, horizon: horizon, json: format == .json)
        Console.current.endProgress()
        Console.current.out(text)
    }
}

struct BenchImport: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "import",
        abstract: Console.catalog.text("cli.help.bench.import.abstract"),
        discussion: "Example: saldo bench import bench-out/paypal-1m.csv"
    ) }
    @Argument(help: "A statement file.") var file: String

    func run() throws {
        for line in try Benchmarks.importTimings(file: file) { Console.current.out(line) }
    }
}
