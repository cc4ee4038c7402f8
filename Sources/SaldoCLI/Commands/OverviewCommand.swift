import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore

/// `saldo overview`: the web app's Overview on the command line (the same use case and document).
struct OverviewCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "overview",
        abstract: Console.catalog.text("cli.help.overview.abstract"),
        discussion: prose(Console.catalog.text("cli.help.overview.discussion"))
    ) }
    @OptionGroup var ledger: ReadLedgerOption
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.invoices.compute_as_of_this_day"), valueName: "date")) var today: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.overview.floor"), valueName: "amount")) var floor: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.currency"), valueName: "code")) var currency: String?
    @OptionGroup var output: DocumentOutput

    func run() throws {
        let floorValue = try floor.map { f -> ExactDecimal in
            guard let d = try? ExactDecimal(f), !d.isNegative else { throw UserError(LocalizedText("error.floor_not_amount", ["value": f]).english, hint: LocalizedText("error.write_amount_like").english) }
            return d
        }
        let code: CurrencyCode?
        do { code = try currency.map { try CurrencyCode($0.uppercased()) } } catch { throw UserError("--currency: \(error)") }
        let request = OverviewRequest(today: try resolveToday(today), floor: floorValue, currency: code)
        try output.emit(Overview.build(request, store: ledger.open(.existing)))
    }
}

/// `saldo transactions`: one page of transactions, as the web app's Transactions page lists them.
struct TransactionsCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "transactions",
        abstract: Console.catalog.text("cli.help.transactions.abstract"),
        discussion: prose(Console.catalog.text("cli.help.transactions.discussion"))
    ) }
    @OptionGroup var ledger: ReadLedgerOption
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.transactions.platform"))) var platform: [String] = []
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.transactions.client"))) var client: [String] = []
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.transactions.account"))) var account: [String] = []
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.transactions.currency"))) var currency: [String] = []
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.transactions.search"))) var search: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.transactions.sort"))) var sort: String = TransactionQuery.Sort.dateDesc.rawValue
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.transactions.limit"))) var limit: Int = TransactionQuery.defaultLimit
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.transactions.cursor"), valueName: "token")) var cursor: String?
    @OptionGroup var output: DocumentOutput

    func run() throws {
        guard let order = TransactionQuery.Sort(rawValue: sort) else {
            throw UserError(LocalizedText("error.sort_not_order", ["value": sort]).english,
                            hint: LocalizedText("error.use_one_of", ["choices": TransactionQuery.Sort.allCases.map(\.rawValue).joined(separator: ", ")]).english)
        }
        guard TransactionQuery.limits.contains(limit) else { throw UserError(LocalizedText("error.limit_out_of_range", ["value": String(limit)]).english, hint: LocalizedText("error.limit_range").english) }
        let after = try cursor.map { c -> TransactionCursor in
            guard let t = TransactionCursor(token: c) else { throw UserError(LocalizedText("error.cursor_not_a_page").english, hint: LocalizedText("error.cursor_leave_out").english) }
            return t
        }
        let accounts = try account.map { a -> Account in do { return try Account(a) } catch { throw UserError("--account \(a): \(error)") } }
        let currencies = try currency.map { c -> CurrencyCode in do { return try CurrencyCode(c.uppercased()) } catch { throw UserError("--currency \(c): \(error)") } }
        let query = TransactionQuery(period: try periodOptions.resolve(), platforms: platform, clients: client, accounts: accounts,
                                     currencies: currencies, text: search, sort: order, limit: limit, after: after)
        try output.emit(Transactions.page(query, store: ledger.open(.existing)))
    }
}
