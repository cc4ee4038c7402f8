import ArgumentParser
import Foundation
import SaldoCore
import SaldoFX
import SaldoReports
import SaldoStore

extension MonthlyGrouping: ExpressibleByArgument {}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Monthly earnings, what currency conversions cost, and balances.",
        discussion: prose("""
        Amounts convert to the report currency at each transaction's own date with the ECB reference
        rates: those imported into the ledger (`saldo rates import`), else the ECB history bundled with
        Saldo (to 2026-10-30); each converted amount is rounded once, half to even.

        Examples:
          saldo report monthly --period 2026
          saldo report monthly --period 2026-Q3 --by client --show-original
          saldo report monthly --format html -o earnings.html
          saldo report currencies --period 2026
          saldo report balances --format json
        """),
        subcommands: [Monthly.self, Currencies.self, Balances.self],
        defaultSubcommand: Monthly.self
    )

    /// What every report reads: the ledger, the period, the filters, the currency and output.
    struct Selection: ParsableArguments {
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var periodOptions: PeriodOptions
        @OptionGroup var filters: ReportFilterOptions
        @OptionGroup var out: ReportOutputOptions

        struct Inputs {
            var store: LedgerStore
            var facts: [PostingFact]
            var rates: RateTable
            var base: CurrencyCode
            var filter: ReportFilter
        }

        /// Loads the facts (day sums, unless an account filter needs whole transactions, and only under
        /// `roots` when given), the rates they need, builds the report and writes it.
        func emit(roots: [Account.Root]? = nil, periodOnly: Bool = false, _ build: (Inputs) throws -> some ReportConvertible) throws {
            let store = try ledger.open(.existing)
            let period = try periodOptions.resolve()
            let filter = try filters.filter(period: period)
            let wholeTransactions = !filter.accounts.isEmpty
            let facts = try store.facts(in: periodOnly ? period : nil, roots: wholeTransactions ? nil : roots, aggregateByDay: !wholeTransactions)
            if periodOnly && facts.isEmpty {
                throw UserError("no earnings in the ledger\(period.map { " for \($0)" } ?? "")", hint: "import a statement first: saldo import FILE")
            }
            let base = try out.baseCurrency(store)
            var rates = try store.rateTable(for: facts, base: base)
            rates.beyondWindow = .provisional   // reports go on without a rate and say so (exit status 3)
            let report: any ReportConvertible
            do {
                report = try build(Inputs(store: store, facts: facts, rates: rates, base: base, filter: filter))
                try out.emit(report)
            } catch let e as RateError { throw reportError(e) }
            printFreshnessNote(rates, facts: facts, base: base, report: report)
            if let r = report as? RateCaveats, !r.missingRates.isEmpty { throw ExitCode(ExitStatus.problemsFound) }
        }
    }

    struct Monthly: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "monthly", abstract: "Gross earnings, fees and net per month, by platform, client, currency or account.",
            discussion: "Example: saldo report monthly --period 2026 --by platform --format markdown")
        @OptionGroup var selection: Selection
        @Option(help: "Group by platform, client, currency or account.") var by: MonthlyGrouping = .platform
        @Flag(help: "Also show the sums in their original currencies.") var showOriginal = false

        func run() throws {
            try selection.emit(roots: [.income, .expenses], periodOnly: true) { i in
                var report = try monthlyReport(i.facts, rates: i.rates, currency: i.base, by: by, filter: i.filter)
                report.showOriginal = showOriginal
                return report
            }
        }
    }

    struct Currencies: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "currencies", abstract: "Per currency: earned, converted, held; and what each platform's conversions cost against the ECB rate.",
            discussion: "Example: saldo report currencies --period 2026 --currency EUR")
        @OptionGroup var selection: Selection

        func run() throws {
            // Holdings need the whole history: the period filters inside the report.
            try selection.emit { i in try currenciesReport(i.facts, rates: i.rates, currency: i.base, filter: i.filter) }
        }
    }

    struct Balances: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "balances", abstract: "Balance per account and currency, with the running-balance checks from imports.",
            discussion: "Example: saldo report balances --period 2026 --format csv")
        @OptionGroup var selection: Selection

        func run() throws {
            try selection.emit { i in
                try balancesReport(i.facts, checks: try i.store.balanceChecks(), rates: i.rates, currency: i.base, filter: i.filter)
            }
        }
    }
}
