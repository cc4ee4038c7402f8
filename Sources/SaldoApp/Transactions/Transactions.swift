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
                                    sort: query.sort.rawValue, limit: query.limit, nextCursor: page.next?.token,
                                    previous: try previous(query, store: store), filters: filters, before: page.before)
    }

    /// Where the page before `query`'s starts. Keyset pages cannot count backwards, so the rows
    /// before the cursor are read in the opposite order (the same keys, ties on id reversed too):
    /// the `limit` nearest of them are the previous page, and the cursor after the farthest one is
    /// where that page starts. Fewer than a page before it (or exactly one page): the first page.
    static func previous(_ query: TransactionQuery, store: any LedgerStore) throws -> TransactionsDocument.Previous {
        guard let after = query.after else { return .none }
        let reversed: TransactionQuery.Sort = switch query.sort {
        case .dateDesc: .dateAsc
        case .dateAsc: .dateDesc
        case .amountDesc: .amountAsc
        case .amountAsc: .amountDesc
        }
        var back = query
        back.sort = reversed
        back.locate = false
        back.after = TransactionCursor(sort: reversed, key: after.key, id: after.id)
        let page: TransactionPage
        do { page = try store.transactionPage(back) } catch {
            if case .invalid(let message) = error { throw UserError(message, hint: "start again from the first page") }
            throw error
        }
        // `next` of the reversed page is the cursor at its farthest row: read forwards, the page
        // before this one starts right after it.
        guard page.rows.count == query.limit, let start = page.next else { return .first }
        return .cursor(TransactionCursor(sort: query.sort, key: start.key, id: start.id).token)
    }
}
