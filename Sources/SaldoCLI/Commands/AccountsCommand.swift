import ArgumentParser
import Foundation
import SaldoCore
import SaldoStore

struct AccountsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "List the ledger's accounts with their balance per currency.",
        discussion: prose("""
        Examples:
          saldo accounts
          saldo accounts --under assets
          saldo accounts --format json
        """)
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @OptionGroup var ledger: LedgerOption
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: ArgumentHelp("Only accounts under this one (e.g. assets, income:upwork).", valueName: "account")) var under: String?
    @Option(help: "table, csv or json.") var format: Format = .table

    func run() throws {
        let store = try ledger.open(.existing)
        var rows = try store.balances(in: try periodOptions.resolve())
        if let u = under {
            let root = try Account(u)
            rows = rows.filter { $0.account.isUnder(root) }
        }
        let console = Console.current
        switch format {
        case .json:
            struct Row: Encodable { var account: String; var currency: String; var balance: String; var postings: Int; var first: String; var last: String }
            let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try enc.encode(["accounts": rows.map { Row(account: $0.account.path, currency: $0.balance.currency.code, balance: $0.balance.decimalString, postings: $0.postings, first: $0.firstDay.description, last: $0.lastDay.description) }])
            console.out(String(decoding: data, as: UTF8.self))
        case .csv:
            console.out("account,currency,balance,postings,first,last")
            for r in rows { console.out("\(LedgerExport.csvCell(r.account.path)),\(r.balance.currency.code),\(r.balance.decimalString),\(r.postings),\(r.firstDay),\(r.lastDay)") }
        case .table:
            if rows.isEmpty {
                console.out("The ledger \(store.path) has no postings yet. Import a statement with `saldo import FILE`.")
                return
            }
            let w = max(7, rows.map { $0.account.path.count }.max() ?? 0)
            let amounts = rows.map { $0.balance.formatted() }
            let aw = max(7, amounts.map(\.count).max() ?? 0)
            console.out(console.styled(pad("account", w) + "  " + padLeft("balance", aw) + "  cur  postings", .bold))
            for (r, a) in zip(rows, amounts) {
                console.out(pad(r.account.path, w) + "  " + padLeft(a, aw) + "  " + r.balance.currency.code + "  " + padLeft(String(r.postings), 8))
            }
        }
    }
}

func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
func padLeft(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
