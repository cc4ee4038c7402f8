import Foundation
import SaldoCore
import SaldoReports
import SaldoStore

/// The transactions use case: one page of the ledger's transactions, filtered and sorted, with
/// the position of the next page (keyset pagination, see ``TransactionQuery``).
public enum Transactions {
    /// The page `query` asks for, as a document (the web page and the API show the same one).
    public static func page(_ query: TransactionQuery, store: any LedgerStore) throws -> TransactionsDocument {
        let page: TransactionPage
        do { page = try store.transactionPage(query) } catch {
            if case .invalid(let message) = error {
                throw UserError(message, hint: "start again from the first page")
            }
            throw error
        }
        var filters: [(String, String)] = []
        if let p = query.period { filters.append(("period", p.label)) }
        for p in query.platforms { filters.append(("platform", p)) }
        for c in query.clients { filters.append(("client", c)) }
        for a in query.accounts { filters.append(("account", a.path)) }
        for c in query.currencies { filters.append(("currency", c.code)) }
        if let t = query.text, !t.isEmpty { filters.append(("text", t)) }
        return TransactionsDocument(entries: page.rows.map { .init(id: $0.id, transaction: $0.transaction) }, matching: page.matching,
                                    sort: query.sort.rawValue, limit: query.limit, nextCursor: page.next?.token, filters: filters)
    }
}
