import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoTax

extension Jurisdiction: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// What every tax command shares: the taxpayer, the rules, the ledger in the tax currency.
struct TaxOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.tax.es_us_or_gb_default"))) var jurisdiction: Jurisdiction?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.tax.region_a_name_or_iso"), valueName: "region")) var region: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.tax.a_taxpayer_profile_json_file"), valueName: "file")) var profile: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.tax.your_own_rule_file_used"), valueName: "file")) var rules: [String] = []
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.tax.compute_as_of_this_day"), valueName: "date")) var today: String?
    @Flag(help: ArgumentHelp(Console.catalog.text("cli.option.tax.don_t_project_the_rest"))) var noForecast = false

    func request() throws -> TaxRequest {
        TaxRequest(jurisdiction: jurisdiction, region: region, profilePath: profile, ruleFiles: rules, today: try resolveToday(today), useForecast: !noForecast)
    }
}

struct TaxCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "tax",
        abstract: Console.catalog.text("cli.help.tax.abstract"),
        discussion: prose(Console.catalog.text("cli.help.tax.discussion")),
        subcommands: [Summary.self, Calendar.self, SetAside.self, QuarterEndCommand.self],
        defaultSubcommand: Summary.self
    ) }

    struct Summary: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "summary", abstract: Console.catalog.text("cli.help.tax.summary.abstract"),
            discussion: example("saldo tax summary --jurisdiction es --year 2026 --quarter 3")) }
        @OptionGroup var ledger: ReadLedgerOption
        @OptionGroup var tax: TaxOptions
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.tax.tax_year_the_uk_s"))) var year: Int?
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.tax.quarter_1_4_default_the"))) var quarter: Int?
        @OptionGroup var output: DocumentOutput
        @Flag(help: ArgumentHelp(Console.catalog.text("cli.option.tax.all_workspaces"))) var allWorkspaces = false
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.database"), valueName: "postgres://…")) var database: String?
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.office"), valueName: "number")) var office: Int64?

        func validate() throws {
            if let q = quarter, !(1...4).contains(q) { throw ValidationError(Console.catalog.text("error.quarter")) }
        }

        func run() throws {
            if allWorkspaces {
                guard let url = database ?? Console.current.environment["SALDO_DATABASE"], !url.isEmpty, let office else {
                    throw ValidationError(Console.catalog.text("cli.office.all_workspaces_needs"))
                }
                let console = Console.current, L = Console.catalog
                let report = try Office.quarterEnd(database: url, organisation: office, today: try resolveToday(tax.today), year: year, quarter: quarter) { done, total in
                    console.progress(L.text("cli.progress.quarter_end", ["done": String(done), "total": String(total)]))
                }
                console.endProgress()
                try emitQuarterEnd(report, output)
                return
            }
            try output.emit(Taxes.summary(tax.request(), year: year, quarter: quarter, store: ledger.open(.existing)))
        }
    }

    struct Calendar: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "calendar", abstract: Console.catalog.text("cli.help.tax.calendar.abstract"),
            discussion: example("saldo tax calendar --format csv")) }
        @OptionGroup var ledger: ReadLedgerOption
        @OptionGroup var tax: TaxOptions
        @OptionGroup var output: DocumentOutput

        func run() throws {
            try output.emit(Taxes.calendar(tax.request(), store: ledger.open(.existing)))
        }
    }

    struct SetAside: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "set-aside", abstract: Console.catalog.text("cli.help.tax.set-aside.abstract"),
            discussion: example("saldo tax set-aside --year 2026")) }
        @OptionGroup var ledger: ReadLedgerOption
        @OptionGroup var tax: TaxOptions
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.tax.tax_year_default_the_current"))) var year: Int?
        @OptionGroup var output: DocumentOutput

        func run() throws {
            try output.emit(Taxes.setAside(tax.request(), year: year, store: ledger.open(.existing)))
        }
    }

    struct QuarterEndCommand: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "quarter-end", abstract: Console.catalog.text("cli.help.tax.quarter-end.abstract"),
            discussion: prose(Console.catalog.text("cli.help.tax.quarter-end.discussion"))) }
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.tax.quarter_end.ledgers"), valueName: Console.catalog.text("cli.option.path.value")))
        var ledgers: [String] = []
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.tax.quarter_end.year"))) var year: Int?
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.tax.quarter_end.quarter"))) var quarter: Int?
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.tax.compute_as_of_this_day"), valueName: "date")) var today: String?
        @OptionGroup var output: DocumentOutput

        func validate() throws {
            if let q = quarter, !(1...4).contains(q) { throw ValidationError(Console.catalog.text("error.quarter")) }
            if ledgers.isEmpty { throw ValidationError(Console.catalog.text("cli.error.quarter_end.no_ledgers")) }
        }

        func run() throws {
            let clients = try QuarterEnd.ledgers(paths: ledgers)
            // Clients are computed on several threads: the console and its catalog are taken here.
            let console = Console.current, L = Console.catalog
            let report = QuarterEnd.run(clients, year: year, quarter: quarter, today: try resolveToday(today)) { done, total in
                console.progress(L.text("cli.progress.quarter_end", ["done": String(done), "total": String(total)]))
            }
            console.endProgress()
            try emitQuarterEnd(report, output)
        }
    }
}

/// The quarter-end table, then the clients not computed named on standard error (exit code 3).
func emitQuarterEnd(_ report: QuarterEndReport, _ output: DocumentOutput) throws {
    try output.emit(report)
    if !report.failures.isEmpty {
        Console.current.err(Console.catalog.plural("cli.warning.quarter_end.failures", count: report.failures.count,
                                                   ["clients": report.failures.map(\.client).joined(separator: ", ")]))
        throw ExitCode(ExitStatus.problemsFound)
    }
}
