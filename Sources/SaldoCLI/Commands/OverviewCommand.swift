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
        discussion: prose("""
        Examples:
          saldo overview
          saldo overview --floor 1500 --format json
        """)
    ) }
    @OptionGroup var ledger: LedgerOption
    @Option(help: ArgumentHelp("Compute as of this day (yyyy-mm-dd; default: today).", valueName: "date")) var today: String?
    @Option(help: ArgumentHelp("A monthly amount you need; the forecast gives the chance of falling below it.", valueName: "amount")) var floor: String?
    @Option(help: ArgumentHelp("Report currency (default: `saldo config get base-currency`, else EUR).", valueName: "code")) var currency: String?
    @OptionGroup var output: DocumentOutput

    func run() throws {
        let floorValue = try floor.map { f -> ExactDecimal in
            guard let d = try? ExactDecimal(f), !d.isNegative else { throw UserError("--floor \(f) is not an amount", hint: "write it like 1500 or 1500.50") }
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
        discussion: prose("""
        Examples:
          saldo transactions --platform Upwork --period 2026
          saldo transactions --search invoice --sort amount-desc --limit 20 --format json
        """)
    ) }
    @OptionGroup var ledger: LedgerOption
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: "Only this platform (repeatable).") var platform: [String] = []
    @Option(help: "Only this client (repeatable).") var client: [String] = []
    @Option(help: "Only transactions touching this account or one under it (repeatable).") var account: [String] = []
    @Option(help: "Only transactions with a posting in this currency (repeatable).") var currency: [String] = []
    @Option(help: "Words in the description, counterparty or reference.") var search: String?
    @Option(help: "date-desc (default), date, amount-desc or amount.") var sort: String = TransactionQuery.Sort.dateDesc.rawValue
    @Option(help: "Transactions per page, 1 to 200.") var limit: Int = TransactionQuery.defaultLimit
    @Option(help: ArgumentHelp("Continue after a page: its next_cursor.", valueName: "token")) var cursor: String?
    @OptionGroup var output: DocumentOutput

    func run() throws {
        guard let order = TransactionQuery.Sort(rawValue: sort) else {
            throw UserError("--sort \(sort) is not an order", hint: "use one of \(TransactionQuery.Sort.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard TransactionQuery.limits.contains(limit) else { throw UserError("--limit \(limit) is out of range", hint: "use 1 to 200") }
        let after = try cursor.map { c -> TransactionCursor in
            guard let t = TransactionCursor(token: c) else { throw UserError("--cursor is not the next_cursor of a page", hint: "leave it out to start from the first page") }
            return t
        }
        let accounts = try account.map { a -> Account in do { return try Account(a) } catch { throw UserError("--account \(a): \(error)") } }
        let currencies = try currency.map { c -> CurrencyCode in do { return try CurrencyCode(c.uppercased()) } catch { throw UserError("--currency \(c): \(error)") } }
        let query = TransactionQuery(period: try periodOptions.resolve(), platforms: platform, clients: client, accounts: accounts,
                                     currencies: currencies, text: search, sort: order, limit: limit, after: after)
        try output.emit(Transactions.page(query, store: ledger.open(.existing)))
    }
}
