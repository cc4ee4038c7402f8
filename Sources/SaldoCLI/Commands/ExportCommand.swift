import ArgumentParser
import Foundation
import SaldoCore
import SaldoStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the ledger (or a period) as an hledger or beancount journal, CSV or JSON.",
        discussion: prose("""
        The journals load in hledger and pass bean-check with the same balances Saldo reports.

        Examples:
          saldo export --format hledger > saldo.journal
          hledger -f saldo.journal balance
          saldo export --format beancount --period 2026 -o 2026.beancount
          bean-check 2026.beancount
          saldo export --format csv --period 2026-Q3
        """)
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case hledger, beancount, csv, json }

    @OptionGroup var ledger: LedgerOption
    @OptionGroup var periodOptions: PeriodOptions
    @Option(help: "hledger, beancount, csv or json.") var format: Format = .hledger
    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var output: String?

    func run() throws {
        let store = try ledger.open(.existing)
        let stored = try store.transactions(in: try periodOptions.resolve())
        let text = LedgerExport.render(stored, format: format)
        if let o = output {
            try writeOutput(text, to: o)
            Console.current.err("wrote \(stored.count) transactions to \(o)")
        } else {
            Console.current.out(text, terminator: "")
        }
    }
}

enum LedgerExport {
    static func render(_ stored: [StoredTransaction], format: ExportCommand.Format) -> String {
        let txns = stored.map(\.transaction)
        let ids = stored.map(\.id)
        switch format {
        case .hledger: return JournalWriter.hledger(txns, ids: ids)
        case .beancount: return JournalWriter.beancount(txns, ids: ids)
        case .csv: return csv(stored)
        case .json: return json(stored)
        }
    }

    static func csvCell(_ s: String) -> String {
        var v = s
        // Formula injection: a cell starting with = + - @ (or tab/CR) is prefixed with ' unless it is a plain number.
        if let f = v.first, "=+-@\t\r".contains(f), !(f == "-" && (try? ExactDecimal(v)) != nil) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    static func csv(_ stored: [StoredTransaction]) -> String {
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

    static func json(_ stored: [StoredTransaction]) -> String {
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
