import SaldoCore
import SaldoReports
import SaldoStore

/// The export and account-list use cases.
public enum Exports {
    /// The ledger (or a period of it) in `format`, and how many transactions it holds.
    public static func ledger(period: Period?, format: LedgerExport.Format, store: any LedgerStore) throws -> (text: String, transactions: Int) {
        let stored = try store.transactions(in: period)
        return (LedgerExport.render(stored.map(\.transaction), ids: stored.map(\.id), format: format), stored.count)
    }

    /// Every account (under `under` when given) with its balance per currency.
    public static func accounts(period: Period?, under: String?, store: any LedgerStore) throws -> AccountsDocument {
        var rows = try store.balances(in: period)
        if let u = under {
            let root: Account
            do { root = try Account(u) } catch { throw UserError("\(error)") }
            rows = rows.filter { $0.account.isUnder(root) }
        }
        return AccountsDocument(rows: rows.map { AccountsDocument.Row(account: $0.account, balance: $0.balance, postings: $0.postings, first: $0.firstDay, last: $0.lastDay) },
                                ledgerPath: store.path)
    }
}
