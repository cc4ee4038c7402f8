import Foundation
import SaldoCore

/// The ledger's transactions as a journal hledger or beancount loads, CSV (one line per posting) or JSON.
public enum LedgerExport {
    public enum Format: String, CaseIterable, Sendable { case hledger, beancount, csv, json }

    /// `ids` are the ledger's transaction ids, in the same order as `transactions`.
    public static func render(_ transactions: [Transaction], ids: [Int64], format: Format) -> String {
        let txns = transactions
        let stored = zip(ids, transactions).map { (id: $0, transaction: $1) }
        switch format {
        case .hledger: return JournalWriter.hledger(txns, ids: ids)
        case .beancount: return JournalWriter.beancount(txns, ids: ids)
        case .csv: return csv(stored)
        case .json: return json(stored)
        }
    }

    public static func csvCell(_ s: String) -> String {
        var v = s
        // Formula injection: a cell starting with = + - @ (or tab/CR) is prefixed with ' unless it is a plain number.
        if let f = v.first, "=+-@\t\r".contains(f), !(f == "-" && (try? ExactDecimal(v)) != nil) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    static func csv(_ stored: [(id: Int64, transaction: Transaction)]) -> String {
        var out = "id,date,kind,platform,client,payee,description,account,amount,currency,cost,cost_currency,external_id,source\n"
        for s in stored {
            let t = s.transaction
            for p in t.postings {
                let cells = [
                    String(s.id), t.date.description, t.kind.rawValue, t.platform ?? "", t.client ?? "", t.payee ?? "", t.description,
                    p.account.path, p.amount.decimalString, p.amount.currency.code, p.cost?.magnitude.decimalString ?? "",
                    p.cost?.currency.code ?? "", t.externalID ?? "", t.source?.description ?? "",
                ]
                out += cells.map(csvCell).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    struct JSONPosting: Encodable { var account: String; var amount: String; var currency: String; var cost: String?; var cost_currency: String? }
    struct JSONTransaction: Encodable {
        var id: Int64; var date: String; var kind: String; var platform: String?; var client: String?; var payee: String?
        var description: String; var external_id: String?; var source: String?; var postings: [JSONPosting]
    }

    static func json(_ stored: [(id: Int64, transaction: Transaction)]) -> String {
        let rows = stored.map { s in
            let t = s.transaction
            return JSONTransaction(id: s.id, date: t.date.description, kind: t.kind.rawValue, platform: t.platform, client: t.client,
                                   payee: t.payee, description: t.description, external_id: t.externalID, source: t.source?.description,
                                   postings: t.postings.map { JSONPosting(account: $0.account.path, amount: $0.amount.decimalString,
                                                                          currency: $0.amount.currency.code, cost: $0.cost?.magnitude.decimalString,
                                                                          cost_currency: $0.cost?.currency.code) })
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? enc.encode(["transactions": rows])) ?? Data(), as: UTF8.self) + "\n"
    }
}
