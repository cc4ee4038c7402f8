/// Writes transactions as plain-text journals that the real tools load:
/// hledger (and ledger) journal syntax, and beancount 3.
///
/// Amounts are written with a decimal point and no grouping, in the currency's own number of
/// decimals; conversions use a total price (`@@`), which both tools balance exactly.
public enum JournalWriter {
    // MARK: hledger

    public static func hledger(_ transactions: [Transaction], ids: [Int64]? = nil) -> String {
        var out = "; Exported by Saldo. Amounts are exact; conversions carry their total price (@@).\n"
        let currencies = Set(transactions.flatMap { $0.postings.flatMap { [$0.amount.currency] + ($0.cost.map { [$0.currency] } ?? []) } })
        for c in currencies.sorted() {
            // hledger wants a decimal mark in the sample; "100000." declares zero decimals.
            let sample = Money(minorUnits: 100_000 * Int64(pow10(c.exponent)), currency: c).decimalString
            out += "commodity \(sample)\(c.exponent == 0 ? "." : "") \(c.code)\n"
        }
        // Every account declared, so `hledger check --strict` (accounts and commodities) passes too.
        out += "\n"
        for a in Set(transactions.flatMap { $0.postings.map(\.account.path) }).sorted() { out += "account \(a)\n" }
        out += "\n"
        for (i, t) in transactions.enumerated() {
            var head = "\(t.date) *"
            let payee = clean(t.payee ?? t.platform ?? "")
            let desc = clean(t.description)
            if !payee.isEmpty { head += " \(payee) | \(desc)" } else { head += " \(desc)" }
            var tags = ["kind:\(t.kind.rawValue)"]
            if let p = t.platform { tags.append("platform:\(clean(p, tag: true))") }
            if let c = t.client { tags.append("client:\(clean(c, tag: true))") }
            if let e = t.externalID { tags.append("id:\(clean(e, tag: true))") }
            if let ids { tags.append("saldo:\(ids[i])") }
            out += head + "  ; " + tags.joined(separator: ", ") + "\n"
            let width = max(40, (t.postings.map { $0.account.path.count }.max() ?? 0) + 4)
            for p in t.postings {
                var line = "    " + p.account.path
                let amount = p.amount.decimalString + " " + p.amount.currency.code
                line += String(repeating: " ", count: max(2, width - p.account.path.count + 14 - amount.count)) + amount
                if let c = p.cost { line += " @@ \(c.magnitude.decimalString) \(c.currency.code)" }
                out += line + "\n"
            }
            out += "\n"
        }
        return out
    }

    // MARK: beancount

    /// `assets:paypal` → `Assets:Paypal`; `_` becomes `-` (beancount allows letters, digits and `-`).
    public static func beancountAccount(_ a: Account) -> String {
        a.components.map { comp -> String in
            let c = comp.replacingOccurrences(of: "_", with: "-")
            return c.prefix(1).uppercased() + c.dropFirst()
        }.joined(separator: ":")
    }

    public static func beancount(_ transactions: [Transaction], title: String = "Saldo export", ids: [Int64]? = nil) -> String {
        var out = "; Exported by Saldo. Amounts are exact; conversions carry their total price (@@).\n"
        out += "option \"title\" \"\(escape(title))\"\n\n"
        var opened: [String: Day] = [:]
        for t in transactions {
            for p in t.postings {
                let a = beancountAccount(p.account)
                if let d = opened[a] { if t.date < d { opened[a] = t.date } } else { opened[a] = t.date }
            }
        }
        for (a, d) in opened.sorted(by: { $0.key < $1.key }) { out += "\(d) open \(a)\n" }
        out += "\n"
        for (i, t) in transactions.enumerated() {
            out += "\(t.date) * \"\(escape(t.payee ?? t.platform ?? ""))\" \"\(escape(t.description))\"\n"
            out += "  kind: \"\(t.kind.rawValue)\"\n"
            if let p = t.platform { out += "  platform: \"\(escape(p))\"\n" }
            if let c = t.client { out += "  client: \"\(escape(c))\"\n" }
            if let e = t.externalID { out += "  external-id: \"\(escape(e))\"\n" }
            if let ids { out += "  saldo-id: \"\(ids[i])\"\n" }
            for p in t.postings {
                var line = "  \(beancountAccount(p.account))  \(p.amount.decimalString) \(p.amount.currency.code)"
                if let c = p.cost { line += " @@ \(c.magnitude.decimalString) \(c.currency.code)" }
                out += line + "\n"
            }
            out += "\n"
        }
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }

    /// hledger reads `;` as a comment start, `|` as payee/note separator and, in tags, `,` as a separator.
    static func clean(_ s: String, tag: Bool = false) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\n", "\r", "\t": out.append(" ")
            case ";": out.append(",")
            case "|": out.append("/")
            case "," where tag: out.append(" ")
            case ":" where tag: out.append("-")
            default: out.append(ch)
            }
        }
        var r = out.trimmingCharactersWhitespace()
        while r.contains("  ") { r = r.replacingOccurrences(of: "  ", with: " ") }
        return r
    }
}

import Foundation
