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
    @Option(help: "es, us or gb (default: `saldo config get jurisdiction`).") var jurisdiction: Jurisdiction?
    @Option(help: ArgumentHelp("Region: a name or ISO 3166-2 code (madrid or ES-MD, scotland or GB-SCT).", valueName: "region")) var region: String?
    @Option(help: ArgumentHelp("A taxpayer profile JSON file (default: `saldo config set tax-profile FILE`).", valueName: "file")) var profile: String?
    @Option(help: ArgumentHelp("Your own rule file, used before the shipped ones.", valueName: "file")) var rules: [String] = []
    @Option(help: ArgumentHelp("Compute as of this day (yyyy-mm-dd; default: today).", valueName: "date")) var today: String?
    @Flag(help: "Don't project the rest of the year with the income forecast (use the average month so far).") var noForecast = false

    func request() throws -> TaxRequest {
        TaxRequest(jurisdiction: jurisdiction, region: region, profilePath: profile, ruleFiles: rules, today: try resolveToday(today), useForecast: !noForecast)
    }
}

struct TaxCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "tax",
        abstract: Console.catalog.text("cli.help.tax.abstract"),
        discussion: prose("""
        Figures come from your ledger, converted to the tax currency at each transaction's date with
        the ECB rate, and from Saldo's rule files (Sources/SaldoTax/Rules). Every output is an
        estimate, not tax advice, and names the figures not confirmed from an official source.

        Examples:
          saldo config set jurisdiction es
          saldo config set tax-profile ~/tax-profile.json   # clients, last year
          saldo tax summary --year 2026 --quarter 3
          saldo tax summary --jurisdiction us --year 2026 --format json
          saldo tax calendar
          saldo tax set-aside --format markdown
        """),
        subcommands: [Summary.self, Calendar.self, SetAside.self],
        defaultSubcommand: Summary.self
    ) }

    struct Summary: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "summary", abstract: Console.catalog.text("cli.help.tax.summary.abstract"),
            discussion: "Example: saldo tax summary --jurisdiction es --year 2026 --quarter 3") }
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var tax: TaxOptions
        @Option(help: "Tax year (the UK's 2026 is 6 April 2026 to 5 April 2027; default: the current one).") var year: Int?
        @Option(help: "Quarter 1-4 (default: the whole year so far).") var quarter: Int?
        @OptionGroup var output: DocumentOutput

        func validate() throws {
            if let q = quarter, !(1...4).contains(q) { throw ValidationError("--quarter must be 1, 2, 3 or 4") }
        }

        func run() throws {
            try output.emit(Taxes.summary(tax.request(), year: year, quarter: quarter, store: ledger.open(.existing)))
        }
    }

    struct Calendar: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "calendar", abstract: Console.catalog.text("cli.help.tax.calendar.abstract"),
            discussion: "Example: saldo tax calendar --format csv") }
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var tax: TaxOptions
        @OptionGroup var output: DocumentOutput

        func run() throws {
            try output.emit(Taxes.calendar(tax.request(), store: ledger.open(.existing)))
        }
    }

    struct SetAside: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "set-aside", abstract: Console.catalog.text("cli.help.tax.set-aside.abstract"),
            discussion: "Example: saldo tax set-aside --year 2026") }
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var tax: TaxOptions
        @Option(help: "Tax year (default: the current one).") var year: Int?
        @OptionGroup var output: DocumentOutput

        func run() throws {
            try output.emit(Taxes.setAside(tax.request(), year: year, store: ledger.open(.existing)))
        }
    }
}

