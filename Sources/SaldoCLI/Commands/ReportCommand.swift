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
        discussion: """
        Amounts convert to the report currency at each transaction's own date with the stored ECB
        reference rates (`saldo rates import`); each converted amount is rounded once, half to even.

        Examples:
          saldo report monthly --period 2026
          saldo report monthly --period 2026-Q3 --by client --show-original
          saldo report monthly --format html -o earnings.html
          saldo report currencies --period 2026
          saldo report balances --format json
        """,
        subcommands: [Monthly.self, Currencies.self, Balances.self],
        defaultSubcommand: Monthly.self
    )

    struct Monthly: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "monthly", abstract: "Gross earnings, fees and net per month, by platform, client, currency or account.",
            discussion: "Example: saldo report monthly --period 2026 --by platform --format markdown")
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var periodOptions: PeriodOptions
        @OptionGroup var filters: ReportFilterOptions
        @OptionGroup var out: ReportOutputOptions
        @Option(help: "Group by platform, client, currency or account.") var by: MonthlyGrouping = .platform
        @Flag(help: "Also show the sums in their original currencies.") var showOriginal = false

        func run() throws {
            let store = try ledger.open()
            let period = try periodOptions.resolve()
            let filter = try filters.filter(period: period)
            // Day sums are enough unless an account filter needs whole transactions.
            let facts = try store.facts(in: period, roots: filter.accounts.isEmpty ? [.income, .expenses] : nil, aggregateByDay: filter.accounts.isEmpty)
            if facts.isEmpty { throw UserError("no earnings in the ledger\(period.map { " for \($0)" } ?? "")", hint: "import a statement first: saldo import FILE") }
            do {
                let base = try out.baseCurrency(store)
                var report = try monthlyReport(facts, rates: try store.rateTable(for: facts, base: base), currency: base, by: by, filter: filter)
                report.showOriginal = showOriginal
                try out.emit(report)
            } catch let e as RateError { throw reportError(e) }
        }
    }

    struct Currencies: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "currencies", abstract: "Per currency: earned, converted, held; and what each platform's conversions cost against the ECB rate.",
            discussion: "Example: saldo report currencies --period 2026 --currency EUR")
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var periodOptions: PeriodOptions
        @OptionGroup var filters: ReportFilterOptions
        @OptionGroup var out: ReportOutputOptions

        func run() throws {
            let store = try ledger.open()
            let period = try periodOptions.resolve()
            let filter = try filters.filter(period: period)
            let facts = try store.facts(aggregateByDay: filter.accounts.isEmpty)
            do {
                let base = try out.baseCurrency(store)
                let report = try currenciesReport(facts, rates: try store.rateTable(for: facts, base: base), currency: base, filter: filter)
                try out.emit(report)
            } catch let e as RateError { throw reportError(e) }
        }
    }

    struct Balances: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "balances", abstract: "Balance per account and currency, with the running-balance checks from imports.",
            discussion: "Example: saldo report balances --period 2026 --format csv")
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var periodOptions: PeriodOptions
        @OptionGroup var filters: ReportFilterOptions
        @OptionGroup var out: ReportOutputOptions

        func run() throws {
            let store = try ledger.open()
            let period = try periodOptions.resolve()
            let filter = try filters.filter(period: period)
            let facts = try store.facts(aggregateByDay: filter.accounts.isEmpty)
            do {
                let base = try out.baseCurrency(store)
                let report = try balancesReport(facts, checks: try store.balanceChecks(), rates: try store.rateTable(for: facts, base: base),
                                                currency: base, filter: filter)
                try out.emit(report)
            } catch let e as RateError { throw reportError(e) }
        }
    }
}
