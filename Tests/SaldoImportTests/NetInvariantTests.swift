import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
@testable import SaldoImport

/// An expectation computed without the importer: a small CSV reader of its own, the file's net
/// column (or what stands for it in that layout), summed per currency over the rows the importer
/// kept, must equal the change in `assets:<institution>` per currency.
enum IndependentNet {
    /// Minimal RFC 4180 reader over a String; returns (first physical line, fields) per record.
    static func records(_ text: String) -> [(line: Int, fields: [String])] {
        var out: [(Int, [String])] = []
        var fields: [String] = [], field = "", inQuotes = false, line = 1, start = 1
        var it = Array(text.replacingOccurrences(of: "\r\n", with: "\n"))
        if it.first == "\u{FEFF}" { it.removeFirst() }
        var i = 0
        while i < it.count {
            let c = it[i]
            if inQuotes {
                if c == "\"" { if i + 1 < it.count && it[i + 1] == "\"" { field.append("\""); i += 1 } else { inQuotes = false } }
                else { if c == "\n" { line += 1 }; field.append(c) }
            } else if c == "\"" { inQuotes = true }
            else if c == "," { fields.append(field); field = "" }
            else if c == "\n" { fields.append(field); out.append((start, fields)); fields = []; field = ""; line += 1; start = line }
            else { field.append(c) }
            i += 1
        }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); out.append((start, fields)) }
        return out
    }

    /// `-1.234,56`, `1,058.09`, `"63,89"` → minor units (2 decimals); the last `.` or `,` followed by
    /// one or two digits is the decimal mark.
    static func cents(_ s: String) -> Int64? {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        let neg = t.hasPrefix("-")
        var digits = t.filter { $0.isNumber }
        if let mark = t.lastIndex(where: { $0 == "." || $0 == "," }) {
            let after = t[t.index(after: mark)...].filter { $0.isNumber }
            if after.count == 1 { digits += "0" } else if after.count == 3 { digits += "00" } else if after.count > 3 { digits.removeLast(after.count - 2) }
        } else { digits += "00" }
        guard let v = Int64(digits) else { return nil }
        return neg ? -v : v
    }

    static func pick(_ row: [String: String], _ names: [String]) -> String? {
        for n in names { if let v = row[n] { return v } }
        return nil
    }

    /// Per layout: the currency and net of a row, read by header name.
    static func net(profile: String, _ row: [String: String]) -> (String, Int64)? {
        let cur = pick(row, ["Currency", "Währung", "Divisa", "Devise", "Valuta", "currency", "Payment currency"])?.uppercased()
        func c(_ names: [String]) -> Int64 { pick(row, names).flatMap(cents) ?? 0 }
        switch profile {
        case "paypal-activity", "paypal-statement":
            let n = pick(row, ["Net", "Netto", "Neto"])
            return (cur ?? "", n.flatMap(cents) ?? c(["Gross", "Brutto", "Bruto", "Avant commission", "Lordo"]))
        case "paypal-history-short": return ("USD", c(["Amount"]))
        case "wise-statement": return (cur ?? "", c(["Amount"]))
        case "stripe-itemized", "stripe-balance": return (cur ?? "", c(["net", "Net"]))
        case "revolut-personal": return (cur ?? "", c(["Amount", "Betrag", "Importo"]) - abs(c(["Fee", "Gebühr", "Costo"])))
        case "revolut-business": return (cur ?? "", c(["Amount"]) + c(["Fee"]))
        case "upwork": return ("USD", c(["Amount", "Amount $"]))
        case "payoneer": return (cur ?? "", abs(c(["Credit"])) - abs(c(["Debit"])))
        default: return nil
        }
    }
}

@Suite struct NetInvariantTests {
    @Test(arguments: StatementFixtures.files)
    func netColumnEqualsAssetChange(_ f: String) throws {
        let data = try Fixtures.data("statements/" + f)
        let r = StatementImporter.read(data: data, fileName: (f as NSString).lastPathComponent)
        if r.isFatal { #expect(r.transactions.isEmpty); return }
        for t in r.transactions { #expect(throws: Never.self) { try t.validate() } }
        let filteredLines = Set(r.filtered.compactMap(\.location.line))
        var expected: [String: Int64] = [:]
        var fileCurrencies: Set<String> = []
        if r.profile == "norma43" {
            // Fixed width: amount at columns 29-42 with key at 28 (1 debit, 2 credit).
            let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            for (i, l) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where l.hasPrefix("22") {
                let chars = Array(l)
                guard chars.count >= 42, let v = Int64(String(chars[28..<42])) else { continue }
                if !filteredLines.contains(i + 1) { expected["EUR", default: 0] += chars[27] == "1" ? -v : v }
            }
            fileCurrencies = ["EUR"]
        } else if r.profile == "wise-transfers" {
            return  // no net column: amounts are unsigned and the sign lives in Direction
        } else {
            let recs = IndependentNet.records(String(decoding: data, as: UTF8.self))
            guard let header = recs.first else { return }
            let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            for rec in recs.dropFirst() where !filteredLines.contains(rec.line) && rec.fields.count > 1 {
                var row: [String: String] = [:]
                for (i, n) in names.enumerated() where i < rec.fields.count && row[n] == nil { row[n] = rec.fields[i] }
                guard let (cur, n) = IndependentNet.net(profile: r.profile ?? "", row) else { continue }
                expected[cur, default: 0] += n
                fileCurrencies.insert(cur)
            }
        }
        var actual: [String: Int64] = [:]
        for t in r.transactions {
            for p in t.postings where p.account.root == .assets && !p.account.path.hasPrefix("assets:transfers") && p.account.components.count == 2 {
                actual[p.amount.currency.code, default: 0] += p.amount.minorUnits
            }
        }
        for cur in fileCurrencies {
            #expect(actual[cur, default: 0] == expected[cur, default: 0], "\(f) \(cur): assets changed by \(actual[cur, default: 0]), net column sums to \(expected[cur, default: 0])")
        }
    }
}
