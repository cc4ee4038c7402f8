import SaldoCore
import SaldoBatch

/// AEB Cuaderno 43 ("Norma 43"): the fixed-width text every Spanish bank exports.
///
/// Records of 80 characters: `11` account header (opening balance), `22` movement, `23` concept
/// lines, `24` foreign-currency equivalence, `33` account totals (closing balance), `88` end of
/// file. Dates are `YYMMDD`, amounts 14 digits with 2 implied decimals and a debit/credit key
/// (`1` debit, `2` credit). The totals are checked: opening + movements = closing, and the
/// counts and sums of debits and credits.
public enum Norma43Reader {
    public static let profileName = "norma43"
    public static let title = "Norma 43 / AEB Cuaderno 43 (Spanish banks, fixed width)"

    static let banks: [String: String] = [
        "2100": "CaixaBank", "0049": "Santander", "0182": "BBVA", "1465": "ING", "0128": "Bankinter", "0081": "Sabadell",
        "0073": "Openbank", "2080": "Abanca", "2095": "Kutxabank", "2085": "Ibercaja", "3058": "Cajamar", "0239": "EVO Banco",
        "1491": "Triodos", "3035": "Laboral Kutxa", "0019": "Deutsche Bank", "0487": "Mare Nostrum", "0237": "Cajasur", "0030": "Santander",
    ]
    static let numericCurrencies: [String: String] = [
        "978": "EUR", "840": "USD", "826": "GBP", "756": "CHF", "484": "MXN", "392": "JPY", "124": "CAD", "036": "AUD", "752": "SEK",
        "578": "NOK", "208": "DKK", "985": "PLN", "986": "BRL", "032": "ARS", "152": "CLP", "170": "COP", "604": "PEN", "949": "TRY",
    ]

    /// The lines as arrays of Unicode scalars: Norma 43 columns count characters, and a Latin-1
    /// file decoded to UTF-8 has more bytes than characters.
    static func lines(_ bytes: [UInt8]) -> [(line: Int, text: [UInt32])] {
        var out: [(Int, [UInt32])] = []
        var n = 1
        let text = String(decoding: bytes, as: UTF8.self)
        var cur: [UInt32] = []
        for u in text.unicodeScalars {
            if u == "\n" { out.append((n, cur)); cur = []; n += 1; continue }
            if u == "\r" { continue }
            cur.append(u.value)
        }
        if !cur.isEmpty { out.append((n, cur)) }
        return out.filter { !$0.1.allSatisfy { $0 == 0x20 } }
    }

    /// True when the text is made of Norma 43 records: the first starts with `11` and every one of
    /// the first lines starts with a known record code and is at most 80 characters long.
    public static func looksLikeNorma43(_ bytes: [UInt8]) -> Bool {
        let ls = lines(Array(bytes.prefix(4096)))
        guard let first = ls.first, first.text.count >= 2, first.text[0] == 0x31, first.text[1] == 0x31 else { return false }
        for l in ls.prefix(20) {
            guard l.text.count >= 2, l.text.count <= 80 || (l.line == ls.prefix(20).last?.line) else { return false }
            let code = String(String.UnicodeScalarView(l.text.prefix(2).compactMap(Unicode.Scalar.init)))
            if !["11", "22", "23", "24", "33", "88"].contains(code) { return false }
        }
        return first.text.count >= 70
    }

    struct Block {
        var bank = "", branch = "", account = "", holder = ""
        var currency: CurrencyCode = .EUR
        var opening: Int64 = 0
        var movements: [Movement] = []
        var line = 0
        /// The closing balance the totals record (33) states, and where.
        var closing: Int64?
        var closingLine = 0
    }

    /// Reads and books the file, collecting its transactions in `transactions`.
    static func read(_ bytes: [UInt8], file: String, encoding: TextEncoding, userRules: [CategoryRule] = []) -> StatementReadResult {
        var kept: [Transaction] = []
        var r = read(bytes, file: file, encoding: encoding, userRules: userRules, emitWhenRowsFailed: true) { kept.append(contentsOf: $0.transactions) }
        r.transactions = kept
        return r
    }

    /// Reads the file and books every account's movements straight into batches handed to `emit`
    /// (one builder for the whole file, so its tables only grow within it), then calls `handedOver`
    /// before the closing balances are compared with what was booked. Nothing is handed over when
    /// the records already have errors, unless `emitWhenRowsFailed`.
    static func read(_ bytes: [UInt8], file: String, encoding: TextEncoding, userRules: [CategoryRule] = [], emitWhenRowsFailed: Bool,
                     handedOver: () -> Void = {}, emit: (TransactionBatch) -> Void) -> StatementReadResult {
        var result = StatementReadResult(file: file, profile: profileName, encoding: encoding.rawValue)
        var sink = DiagnosticSink()
        let ls = lines(bytes)

        var block: Block?
        var blocks: [Block] = []
        var sawEnd = false
        var index = 0

        func field(_ t: [UInt32], _ a: Int, _ b: Int) -> String {
            guard a < t.count else { return "" }
            return String(String.UnicodeScalarView(t[a..<min(b, t.count)].compactMap(Unicode.Scalar.init)))
        }
        func number(_ t: [UInt32], _ a: Int, _ b: Int) -> Int64? {
            let s = field(t, a, b)
            guard s.count == b - a, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int64(s)
        }
        func date(_ t: [UInt32], _ a: Int) -> Day? {
            guard let y = number(t, a, a + 2), let m = number(t, a + 2, a + 4), let d = number(t, a + 4, a + 6) else { return nil }
            return Day(year: 2000 + Int(y), month: Int(m), day: Int(d))
        }
        func bad(_ line: Int, _ col: Int, _ field: String, _ expected: String, _ found: String) {
            sink.add(.error("n43.field", "expected \(expected), found \"\(found)\"", at: SourceLocation(file: file, line: line, column: col, field: field),
                            hint: "Norma 43 records are fixed width (80 characters); the file may be cut or edited",
                            arguments: ["expected": expected, "found": found]))
        }

        for (ln, t) in ls {
            let code = field(t, 0, 2)
            switch code {
            case "11":
                if let b = block { blocks.append(b) }
                var b = Block()
                b.line = ln
                b.bank = field(t, 2, 6); b.branch = field(t, 6, 10); b.account = field(t, 10, 20)
                b.holder = field(t, 51, 77).trimmingCharacters(in: .whitespaces)
                let cur = field(t, 47, 50)
                if let c = numericCurrencies[cur].flatMap({ try? CurrencyCode($0) }) { b.currency = c }
                else { sink.add(.error("n43.currency", "unknown numeric currency code \"\(cur)\"", at: SourceLocation(file: file, line: ln, column: 48, field: "currency"),
                                       hint: "expected an ISO 4217 numeric code such as 978 (EUR)")) }
                if let v = number(t, 33, 47) { b.opening = field(t, 32, 33) == "1" ? -v : v } else { bad(ln, 34, "initial balance", "14 digits", field(t, 33, 47)) }
                block = b
            case "22":
                guard block != nil else {
                    sink.add(.error("n43.order", "a movement record (22) before any account header (11)", at: SourceLocation(file: file, line: ln)))
                    continue
                }
                guard let op = date(t, 10) else { bad(ln, 11, "operation date", "a date YYMMDD", field(t, 10, 16)); continue }
                guard let amt = number(t, 28, 42) else { bad(ln, 29, "amount", "14 digits", field(t, 28, 42)); continue }
                let key = field(t, 27, 28)
                guard key == "1" || key == "2" else { bad(ln, 28, "debit/credit key", "1 (debit) or 2 (credit)", key); continue }
                let net = key == "1" ? -amt : amt
                let common = field(t, 22, 24)
                index += 1
                var m = Movement(index: index - 1, line: ln, day: op, seconds: -1, timestamp: field(t, 10, 16), timeZone: nil,
                                 currency: block!.currency, gross: net, fee: 0, net: net, balance: nil, cls: net >= 0 ? .earning : .expense,
                                 id: nil, ref: nil, name: nil, description: "", filtered: nil, affectsBalance: true)
                if common == "17" && net < 0 { m.cls = .fee }
                if common == "14" { m.cls = .refund }
                m.extra = [field(t, 42, 52), field(t, 52, 64), field(t, 64, 80)].map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "/")
                block!.movements.append(m)
            case "23":
                guard block != nil, !block!.movements.isEmpty else { continue }
                let text = (field(t, 4, 42).trimmingCharacters(in: .whitespaces) + " " + field(t, 42, 80).trimmingCharacters(in: .whitespaces))
                    .trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                let k = block!.movements.count - 1
                let d = block!.movements[k].description
                block!.movements[k].description = d.isEmpty ? text : d + " " + text
            case "24":
                continue
            case "33":
                guard let b = block else { continue }
                let nd = number(t, 20, 25), sd = number(t, 25, 39), nc = number(t, 39, 44), sc = number(t, 44, 58), fin = number(t, 59, 73)
                let debits = b.movements.filter { $0.net < 0 }, credits = b.movements.filter { $0.net >= 0 }
                let sumD = debits.reduce(Int64(0)) { $0 - $1.net }, sumC = credits.reduce(Int64(0)) { $0 + $1.net }
                let cur = b.currency
                func money(_ v: Int64) -> String { HumanFormat.en.money(Money(minorUnits: v, currency: cur)) }
                if nd != Int64(debits.count) || sd != sumD {
                    sink.add(.warning("n43.totals", "the totals record states \(nd ?? -1) debits for \(money(sd ?? 0)), but the movements hold \(debits.count) for \(money(sumD))",
                                      at: SourceLocation(file: file, line: ln, column: 21, field: "debits"), hint: "a movement may be missing from the file"))
                }
                if nc != Int64(credits.count) || sc != sumC {
                    sink.add(.warning("n43.totals", "the totals record states \(nc ?? -1) credits for \(money(sc ?? 0)), but the movements hold \(credits.count) for \(money(sumC))",
                                      at: SourceLocation(file: file, line: ln, column: 40, field: "credits"), hint: "a movement may be missing from the file"))
                }
                if let f = fin {
                    // Checked against the ledger once the movements are booked (below).
                    var closed = b
                    closed.closing = field(t, 58, 59) == "1" ? -f : f
                    closed.closingLine = ln
                    blocks.append(closed)
                    block = nil
                    continue
                } else { bad(ln, 60, "final balance", "14 digits", field(t, 59, 73)) }
                blocks.append(b)
                block = nil
            case "88":
                sawEnd = true
            default:
                sink.add(.error("n43.record", "expected a record code 11, 22, 23, 24, 33 or 88, found \"\(code)\"", at: SourceLocation(file: file, line: ln, column: 1),
                                hint: "this line is not a Norma 43 record"))
            }
        }
        if let b = block {
            blocks.append(b)
            sink.add(.warning("n43.totals", "the account that starts on line \(b.line) has no totals record (33): its closing balance cannot be checked",
                              at: SourceLocation(file: file, line: b.line), hint: "the file may be cut short"))
        }
        if !sawEnd {
            sink.add(.warning("n43.end", "the file has no end-of-file record (88)", at: SourceLocation(file: file), hint: "the file may be cut short"))
        }
        let recordsFailed = sink.items.contains { $0.severity == .error }
        var builder = TransactionBatchBuilder(sourceFile: file)
        var outs: [Booker.Output] = []
        for b in blocks {
            let profile = StatementProfile(name: profileName, title: title, institution: institution(b), columns: [], amountModel: .amountIncludingFee, uniqueIDs: false)
            var booker = Booker(file: file, profile: profile, userRules: userRules, balanceField: nil, sink: sink, builder: builder)
            var ms = b.movements
            outs.append(booker.book(&ms) { batch in if emitWhenRowsFailed || !recordsFailed { emit(batch) } })
            builder = booker.batch
            sink = booker.sink
            result.rowCount += ms.count
        }
        handedOver()
        for (b, out) in zip(blocks, outs) {
            if let stated = b.closing {
                // The ledger side: what was booked on the account, not the file's own movements.
                let cur = b.currency
                func money(_ v: Int64) -> String { HumanFormat.en.money(Money(minorUnits: v, currency: cur)) }
                let change = out.bookedChange[cur, default: 0]
                let computed = b.opening &+ change
                let acct = Account(.assets, institution(b))
                let last = b.movements.last?.day ?? Day(year: 2000, month: 1, day: 1)!
                let at = SourceLocation(file: file, line: b.closingLine, column: 60, field: "final balance")
                result.balanceChecks.append(BalanceCheck(account: acct, date: last, stated: Money(minorUnits: stated, currency: cur),
                                                         computed: Money(minorUnits: computed, currency: cur), location: at))
                result.balances.checked += 1
                result.balances.currencies.append(BalanceSummary.Currency(opening: Money(minorUnits: b.opening, currency: cur),
                                                                          closing: Money(minorUnits: stated, currency: cur),
                                                                          ledgerChange: Money(minorUnits: change, currency: cur)))
                if stated != computed {
                    result.balances.closingBreaks += 1
                    sink.add(.warning("import.balance", "closing balance breaks: the totals record states \(money(stated)), but the opening balance \(money(b.opening)) plus what the ledger holds for the account's movements gives \(money(computed)) (difference \(money(stated - computed)))",
                                      at: at, hint: "a movement may be missing or altered; the opening balance is on line \(b.line)"))
                }
            }
            result.filtered.append(contentsOf: out.filtered)
        }
        result.problems = sink.finish(file: file)
        return result
    }

    /// `CaixaBank 7890`: the bank's name (or entity code) and the last four digits of the account.
    static func institution(_ b: Block) -> String {
        "\(banks[b.bank] ?? "Bank \(b.bank)") \(b.account.suffix(4))"
    }
}

import Foundation
