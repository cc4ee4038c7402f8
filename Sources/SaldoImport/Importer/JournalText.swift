import SaldoCore

/// A canonical, hledger-like text form of a read result: every transaction with its kind,
/// ids, dedup key and source, then filtered rows, balance checks and problems. Used by the
/// goldens and suitable for `saldo import --dry-run`.
public enum JournalText {
    public static func render(_ r: StatementReadResult) -> String {
        var s = "; file: \(r.file)\n; profile: \(r.profile ?? "-")\n; encoding: \(r.encoding ?? "-")\n; rows: \(r.rowCount), transactions: \(r.transactions.count), filtered: \(r.filtered.count), fatal: \(r.isFatal)\n"
        // How the dates and amounts were read, when Saldo inferred it (not when a value, the profile or an option fixed it).
        if let d = r.dateOrder, d.wasInferred { s += "; dates read as \(d.value): \(d.evidence)\n" }
        if let m = r.decimalMark, m.wasInferred { s += "; amounts read with a decimal \(m.value == "," ? "comma" : "point"): \(m.evidence)\n" }
        for t in r.transactions { s += "\n" + render(t) }
        if !r.filtered.isEmpty {
            s += "\n; filtered rows\n"
            for f in r.filtered { s += "; \(f.location): \(f.reason): \(f.summary)\n" }
        }
        if !r.balanceChecks.isEmpty {
            s += "\n; balance checks\n"
            for c in r.balanceChecks {
                s += "; \(c.location.map(\.description) ?? "-") \(c.date) \(c.account) stated \(c.stated) computed \(c.computed)\(c.holds ? "" : " BREAK")\n"
            }
        }
        if !r.problems.isEmpty {
            s += "\n; problems\n"
            for p in r.problems { s += "; " + p.description.replacingOccurrences(of: "\n", with: "\n; ") + "\n" }
        }
        return s
    }

    public static func render(_ t: Transaction) -> String {
        var head = "\(t.date) \(quote(t.payee ?? "")) \(quote(t.description))"
        head += "\n    ; kind:\(t.kind.rawValue)"
        if let p = t.platform { head += " platform:\(quote(p))" }
        if let c = t.client { head += " client:\(quote(c))" }
        if let id = t.externalID { head += " id:\(id)" }
        if let ts = t.timestamp { head += " time:\(quote(ts + (t.timeZone.map { " " + $0 } ?? "")))" }
        head += "\n    ; key:\(t.dedupKey ?? "-")"
        if let src = t.source { head += " source:\(src.file):\(src.line ?? 0) record:\(src.record ?? 0)" }
        let width = max(24, (t.postings.map { $0.account.path.count }.max() ?? 0) + 2)
        var lines = [head]
        for p in t.postings {
            var l = "    " + p.account.path + String(repeating: " ", count: width - p.account.path.count)
            l += "\(p.amount.decimalString) \(p.amount.currency.code)"
            if let c = p.cost { l += " @@ \(c.decimalString) \(c.currency.code)" }
            lines.append(l)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
