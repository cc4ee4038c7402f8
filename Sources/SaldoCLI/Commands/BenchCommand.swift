import ArgumentParser
import Foundation
import SaldoApp

struct BenchCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "bench",
        abstract: Console.catalog.text("cli.help.bench.abstract"),
        discussion: prose(Console.catalog.text("cli.help.bench.discussion")),
        subcommands: [BenchForecast.self, BenchLedger.self, BenchImport.self, BenchOffice.self]
    ) }
}

struct BenchLedger: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "ledger",
        abstract: Console.catalog.text("cli.help.bench.ledger.abstract"),
        discussion: example("saldo bench ledger --transactions 100000 --keep /tmp/bench.sqlite")
    ) }
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.bench.transactions"))) var transactions: Int = 100_000
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.bench.keep"), valueName: "path")) var keep: String?

    func run() throws {
        for line in try Benchmarks.ledger(transactions: transactions, keep: keep, catalog: Console.catalog) { Console.current.out(line) }
    }
}

struct BenchForecast: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "forecast",
        abstract: Console.catalog.text("cli.help.bench.forecast.abstract"),
        discussion: prose(Console.catalog.text("cli.help.bench.forecast.discussion"))
    ) }
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.bench.dataset"))) var dataset: String
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.bench.data"), valueName: "path")) var data: String
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.bench.horizon"))) var horizon: Int?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.bench.format"))) var format: Format = .table
    @Flag(help: ArgumentHelp(Console.catalog.text("cli.option.bench.interval_study"))) var intervalStudy = false

    func run() throws {
        Console.current.progress(Console.catalog.text("bench.forecast.scoring", ["dataset": dataset]))
        let text = intervalStudy ? try Benchmarks.intervalStudy(dataset: dataset, data: data) : try Benchmarks.forecast(dataset: dataset, data: data, horizon: horizon, json: format == .json, catalog: Console.catalog)
        Console.current.endProgress()
        Console.current.out(text)
    }
}

struct BenchImport: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "import",
        abstract: Console.catalog.text("cli.help.bench.import.abstract"),
        discussion: example("saldo bench import bench-out/paypal-1m.csv")
    ) }
    @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.bench.file"))) var file: String

    func run() throws {
        for line in try Benchmarks.importTimings(file: file, catalog: Console.catalog) { Console.current.out(line) }
    }
}

struct BenchOffice: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "office",
        abstract: Console.catalog.text("cli.help.bench.office.abstract"),
        discussion: example("saldo bench office --database postgres://saldo_app:…@127.0.0.1:5432/saldo --office 1 --sample 200")
    ) }
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.database"), valueName: "postgres://…")) var database: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.office"), valueName: "number")) var office: Int64
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.bench.sample"))) var sample: Int = 200
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.bench.seed"))) var seed: UInt64 = 1

    func run() throws {
        let url = try OfficeDatabaseOptions.parse(database.map { ["--database", $0] } ?? []).url
        let console = Console.current
        let r = try OfficeBenchmark.monthlyReports(database: url, organisation: office, sample: sample, seed: seed) { done, total in
            if done % 20 == 0 { console.progress(Console.catalog.text("bench.office.measuring", ["done": String(done), "total": String(total)])) }
        }
        console.endProgress()
        for line in OfficeBenchmark.lines(r, catalog: Console.catalog) { console.out(line) }
    }
}
