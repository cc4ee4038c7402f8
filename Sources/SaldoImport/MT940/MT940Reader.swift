import SaldoCore

/// SWIFT MT940 (customer statement) and MT942 (interim transaction report), as banks export them.
///
/// A file holds one or more messages, each in a SWIFT envelope (`{1:…}{2:…}{3:…}{4:` … `-}{5:…}`),
/// bare (`:20:` … `-`), or after a bank's own header lines (`ABNANL2A`, `940`, `0000 01INGBNL2A…`).
/// A message holds one or more statements, each starting with `:20:`. Fields start with a tag
/// (`:61:`) at the start of a line; any other line continues the field before it.
///
/// Checked per statement, like Norma 43: the opening balance (`:60F:`/`:60M:`) plus what the ledger
/// holds for its entries must give the closing balance (`:62F:`/`:62M:`); consecutive statements of
/// one account must chain (a closing balance is the next opening); MT942's `:90D:`/`:90C:` counts
/// and sums must match its entries.
public enum MT940Reader {
    public static let profileName = "mt940"
    public static let interimProfileName = "mt942"
    public static let title = "SWIFT MT940 / MT942 bank statement"

    /// Bank names by the first four letters of a BIC (the bank code of a Dutch IBAN is the same).
    static let banks: [String: String] = [
        "INGB": "ING", "ABNA": "ABN AMRO", "ASNB": "ASN Bank", "RABO": "Rabobank", "SNSB": "SNS Bank", "TRIO": "Triodos", "KNAB": "Knab",
        "BUNQ": "bunq", "RBRB": "RegioBank", "DEUT": "Deutsche Bank", "COBA": "Commerzbank", "DRES": "Dresdner Bank", "HYVE": "HypoVereinsbank",
        "BREX": "mBank", "UBRT": "Raiffeisen", "RZBA": "Raiffeisen", "RZOO": "Raiffeisen", "BPKO": "PKO BP", "PBNK": "Postbank",
        "GENO": "Volksbank", "BYLA": "Sparkasse", "HELA": "Sparkasse", "SOLA": "Sparkasse", "BCEE": "Spuerkeess", "BBRU": "ING Belgium",
        "GEBA": "BNP Paribas Fortis", "KRED": "KBC", "CAIX": "CaixaBank", "BSCH": "Santander", "BBVA": "BBVA", "INGD": "ING",
        "NDEA": "Nordea", "DABA": "Danske Bank", "HAND": "Handelsbanken", "ESSE": "SEB", "SWED": "Swedbank", "TRWI": "Wise", "REVO": "Revolut",
    ]

    // MARK: detection

    /// True when the first lines hold MT940/MT942 fields: a `:20:` reference and an account
    /// (`:25:`), after at most a SWIFT envelope and a few header lines.
    public static func looksLikeMT940(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        var lines = 0, sawReference = false, sawAccount = false, sawBody = false
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let l = raw.drop { $0 == "\u{1}" || $0 == "\u{3}" || $0 == " " }
            if l.isEmpty { continue }
            lines += 1
            if l.hasPrefix(":20:") || l.contains("{4::20:") { sawReference = true }
            else if l.hasPrefix(":25:") { sawAccount = sawReference }
            else if l.hasPrefix(":28C:") || l.hasPrefix(":28:") || l.hasPrefix(":60F:") || l.hasPrefix(":60M:") || l.hasPrefix(":61:") || l.hasPrefix(":34F:") { sawBody = sawAccount }
            if sawBody { return true }
            if !sawReference && lines > 6 { return false }
            if lines > 40 { return false }
        }
        return false
    }

    // MARK: fields

    struct Field {
        var tag: String
        var line: Int
        /// The lines of the field, the first one after the tag.
        var lines: [String]
        var first: String { lines.first ?? "" }
    }

    struct Balance {
        var amount: Int64
        var currency: CurrencyCode
        var day: Day
        var line: Int
        var tag: String
    }

    struct Entry {
        var movement: Movement
        var reversal: Bool
        var hasDetails = false
    }

    struct Statement {
        var line: Int
        var endLine: Int = 0
        var reference = ""
        var account = ""
        var accountLine = 0
        var sequence = ""
        var bic: String?
        var opening: Balance?
        var closing: Balance?
        var entries: [Entry] = []
        var interim = false
        var counts: [(tag: String, count: Int, amount: Int64, currency: CurrencyCode, line: Int)] = []
        var available: [String] = []
        var info: [String] = []
        var institution = ""
        var declaredCurrency: CurrencyCode?
        var currency: CurrencyCode? { opening?.currency ?? closing?.currency ?? declaredCurrency ?? counts.first?.currency ?? currencyFromAccount }
        var currencyFromAccount: CurrencyCode? {
            guard let slash = account.lastIndex(of: "/") else { return nil }
            let c = account[account.index(after: slash)...]
            return c.count == 3 ? try? CurrencyCode(String(c)) : nil
        }
    }

    /// Splits the text into fields and the statements they belong to; reports envelope problems.
    static func statements(_ bytes: [UInt8], file: String, sink: inout DiagnosticSink) -> [Statement] {
        var out: [Statement] = []
        var current: Statement?
        var field: Field?
        var bic: String?
        var inMessage = false, messageLine = 0, enveloped = false
        var lineNo = 0, lastText = 0
        var fields: [Field] = []

        func flushField() {
            if let f = field { fields.append(f) }
            field = nil
        }
        func flushStatement(_ end: Int) {
            flushField()
            for f in fields { apply(f, to: &current, statements: &out, file: file, sink: &sink, bic: bic) }
            fields = []
            if var s = current { s.endLine = end; out.append(s) }
            current = nil
        }

        // Lines are cut on bytes (grapheme-aware splitting of a large file is slow).
        for slice in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNo += 1
            // SOH and ETX frame SWIFT messages; other control characters mean binary data.
            if slice.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x01 && $0 != 0x03 }) {
                sink.add(.error("mt940.binary", "line \(lineNo) holds binary data (control characters), not statement text",
                                at: SourceLocation(file: file, line: lineNo, column: 1),
                                hint: "the file is damaged or is not an MT940 export; export the statement again"))
                continue
            }
            var l = Substring(String(decoding: slice, as: UTF8.self))
            while let c = l.last, c == "\r" || c == "\u{3}" { l.removeLast() }
            while let c = l.first, c == "\u{1}" || c == "\u{3}" { l.removeFirst() }
            if !l.allSatisfy({ $0 == " " }) { lastText = lineNo }
            // SWIFT envelope: `{1:F01BANKBEBBAXXX…}{2:O940…}{3:…}{4:` then the text block.
            if l.hasPrefix("{") {
                if inMessage && enveloped {
                    sink.add(.error("mt940.envelope", "a new SWIFT message starts before the one on line \(messageLine) ended (its text block has no closing \"-}\")",
                                    at: SourceLocation(file: file, line: lineNo, column: 1),
                                    hint: "the file may be cut short or two files may have been joined; export the statement again"))
                    flushStatement(lineNo - 1)
                }
                if let r = l.range(of: "{1:F01") ?? l.range(of: "{1:") {
                    let rest = l[r.upperBound...].drop { !$0.isLetter }
                    bic = String(rest.prefix(8))
                }
                if let r = l.range(of: "{4:") {
                    inMessage = true; enveloped = true; messageLine = lineNo
                    l = l[r.upperBound...]
                    if l.isEmpty { continue }
                } else { continue }
            }
            // End of the text block: `-}` (then `{5:…}`), a bare `-`, or `-XXX` (old ING exports).
            if l.hasPrefix("-}") || l == "-" || (l.hasPrefix("-") && l.count <= 8 && l.dropFirst().allSatisfy { $0.isLetter }) {
                flushStatement(lineNo)
                inMessage = false; enveloped = false
                continue
            }
            if let tag = tagOf(l) {
                if tag == "20" { flushStatement(lineNo - 1); current = Statement(line: lineNo); current?.bic = bic; inMessage = true }
                flushField()
                if current == nil {
                    sink.add(.error("mt940.order", "field :\(tag): comes before any statement reference (:20:)",
                                    at: SourceLocation(file: file, line: lineNo, column: 1, field: ":\(tag):"),
                                    hint: "a statement starts with :20:; the file may be cut at its start"))
                    continue
                }
                field = Field(tag: tag, line: lineNo, lines: [String(l.dropFirst(tag.count + 2))])
            } else if field != nil {
                if field!.lines.count < 400 { field!.lines.append(String(l.prefix(4096))) }
            } else if current == nil {
                // Bank header lines before a message (`ABNANL2A`, `940`, `0000 01INGBNL2AXXXX00001`).
                let t = l.trimmingCharacters(in: .whitespaces)
                if t.count >= 8, let code = bankCode(in: t) { bic = code }
            }
        }
        flushStatement(lineNo)
        if inMessage && enveloped {
            sink.add(.error("mt940.envelope", "the SWIFT message that starts on line \(messageLine) has no end: its text block is not closed by \"-}\"",
                            at: SourceLocation(file: file, line: lastText), hint: "the file is cut short; export the statement again"))
        }
        return out
    }

    /// `61` for `:61:`, `60F` for `:60F:`; nil when the line does not start with a tag.
    static func tagOf(_ l: Substring) -> String? {
        let u = Array(l.utf8.prefix(6))
        guard u.count >= 4, u[0] == 0x3A, u[1] >= 0x30, u[1] <= 0x39, u[2] >= 0x30, u[2] <= 0x39 else { return nil }
        if u[3] == 0x3A { return String(decoding: u[1...2], as: UTF8.self) }
        if u.count >= 5, u[3] >= 0x41, u[3] <= 0x5A, u[4] == 0x3A { return String(decoding: u[1...3], as: UTF8.self) }
        return nil
    }

    /// A known bank's BIC inside a header line (`0000 01INGBNL2AXXXX00001` → `INGBNL2A`).
    static func bankCode(in t: String) -> String? {
        let letters = Array(t)
        guard letters.count >= 8 else { return nil }
        for i in 0...(letters.count - 8) {
            let code = String(letters[i..<i + 4])
            if banks[code] != nil, String(letters[i + 4..<i + 6]).allSatisfy({ $0.isUppercase && $0.isLetter }) { return String(letters[i..<i + 8]) }
        }
        return nil
    }

    static func apply(_ f: Field, to current: inout Statement?, statements: inout [Statement], file: String, sink: inout DiagnosticSink, bic: String?) {
        guard current != nil else { return }
        let at = SourceLocation(file: file, line: f.line, column: 1, field: ":\(f.tag):")
        switch f.tag {
        case "20": current!.reference = f.first.trimmingCharacters(in: .whitespaces)
        case "25":
            current!.account = f.first.trimmingCharacters(in: .whitespaces)
            current!.accountLine = f.line
        case "28", "28C": current!.sequence = f.first.trimmingCharacters(in: .whitespaces)
        case "60F", "60M", "62F", "62M":
            guard let b = balance(f.first, line: f.line, tag: f.tag) else {
                sink.add(.error("mt940.balance", "expected a balance written as mark (C or D), date YYMMDD, currency and amount, e.g. C250131EUR1234,56; found \"\(f.first.prefix(60))\"",
                                at: at, hint: "the statement's balance line is damaged; export the statement again"))
                return
            }
            if f.tag.hasPrefix("60") { current!.opening = b } else { current!.closing = b }
        case "64", "65": current!.available.append(":\(f.tag):\(f.first.trimmingCharacters(in: .whitespaces))")
        case "34F":
            // The floor limit names the report's currency: `PLN0`, `EURD0,`.
            current!.interim = true
            current!.declaredCurrency = try? CurrencyCode(String(f.first.trimmingCharacters(in: .whitespaces).prefix(3)))
        case "13D", "13": current!.interim = true
        case "90D", "90C":
            current!.interim = true
            guard let c = countAndSum(f.first) else {
                sink.add(.error("mt940.totals", "expected a count, currency and sum, e.g. 3EUR120,00; found \"\(f.first.prefix(60))\"", at: at,
                                hint: "the report's totals line is damaged; export the report again"))
                return
            }
            current!.counts.append((f.tag, c.count, c.amount, c.currency, f.line))
        case "61":
            guard let cur = current!.currency else {
                sink.add(.error("mt940.currency", "the entry on line \(f.line) comes before any balance or total that states the currency",
                                at: at, hint: "an MT940 statement states its opening balance (:60F:) before the entries; the file may be cut or reordered"))
                return
            }
            switch entry(f, currency: cur, file: file, index: current!.entries.count) {
            case .success(let e): current!.entries.append(e)
            case .failure(let d): sink.add(d)
            }
        case "86":
            if let k = current!.entries.indices.last, !current!.entries[k].hasDetails, current!.closing == nil {
                details(f.lines, into: &current!.entries[k].movement)
                current!.entries[k].hasDetails = true
            } else {
                current!.info.append(f.lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))
            }
        default: break
        }
    }

    /// `C250131EUR1234,56`.
    static func balance(_ s: String, line: Int, tag: String) -> Balance? {
        let u = Array(s.trimmingCharacters(in: .whitespaces))
        guard u.count >= 11, u[0] == "C" || u[0] == "D" else { return nil }
        guard let day = yymmdd(String(u[1..<7])) else { return nil }
        guard let cur = try? CurrencyCode(String(u[7..<10])) else { return nil }
        guard let v = amount(String(u[10...]), currency: cur) else { return nil }
        return Balance(amount: u[0] == "D" ? -v : v, currency: cur, day: day, line: line, tag: tag)
    }

    /// `3EUR120,00` (MT942 `:90D:`/`:90C:`).
    static func countAndSum(_ s: String) -> (count: Int, amount: Int64, currency: CurrencyCode)? {
        let t = s.trimmingCharacters(in: .whitespaces)
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9, let n = Int(digits) else { return nil }
        let rest = t.dropFirst(digits.count)
        guard rest.count > 3, let cur = try? CurrencyCode(String(rest.prefix(3))), let v = amount(String(rest.dropFirst(3)), currency: cur) else { return nil }
        return (n, v, cur)
    }

    static func yymmdd(_ s: String) -> Day? {
        guard s.count == 6, s.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(s) else { return nil }
        // SWIFT years are two digits: 80…99 are 1980…1999, the rest this century.
        let yy = v / 10000
        return Day(year: yy >= 80 ? 1900 + yy : 2000 + yy, month: v / 100 % 100, day: v % 100)
    }

    /// `1234,56`, `15000,` or `1125250,4` in minor units of `currency`; nil when malformed, when it
    /// has more decimals than the currency allows, or when it is too large.
    static func amount(_ s: String, currency: CurrencyCode) -> Int64? {
        let parts = s.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 15, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        var frac = String(parts[1])
        while frac.count > currency.exponent && frac.hasSuffix("0") { frac.removeLast() }
        guard frac.count <= currency.exponent, let whole = Int64(parts[0]) else { return nil }
        frac += String(repeating: "0", count: currency.exponent - frac.count)
        var scale: Int64 = 1
        for _ in 0..<currency.exponent { scale *= 10 }
        let (m, o1) = whole.multipliedReportingOverflow(by: scale)
        let (v, o2) = m.addingReportingOverflow(Int64(frac) ?? 0)
        return o1 || o2 ? nil : v
    }

    /// One `:61:` line: value date, entry date, mark, funds code, amount, type, references, details.
    static func entry(_ f: Field, currency: CurrencyCode, file: String, index: Int) -> Result<Entry, Diagnostic> {
        let u = Array(f.first.trimmingCharacters(in: .whitespaces))
        func fail(_ col: Int, _ what: String, _ expected: String, _ found: String) -> Result<Entry, Diagnostic> {
            .failure(.error("mt940.entry", "expected \(expected), found \"\(found.prefix(40))\"",
                            at: SourceLocation(file: file, line: f.line, column: col + 5, field: ":61: \(what)"),
                            hint: "this statement line (:61:) is damaged; export the statement again",
                            arguments: ["expected": expected, "found": String(found.prefix(40))]))
        }
        var i = 0
        guard u.count >= 6, let value = yymmdd(String(u[0..<6])) else { return fail(0, "value date", "a value date YYMMDD", String(u.prefix(6))) }
        i = 6
        var booked = value
        if u.count >= 10, u[6..<10].allSatisfy({ $0.isASCII && $0.isNumber }), let mmdd = Int(String(u[6..<10])) {
            // The entry (booking) date has no year: the one nearest the value date (a December
            // payment booked on 2 January belongs to the next year).
            let candidates = [-1, 0, 1].compactMap { Day(year: value.year + $0, month: mmdd / 100, day: mmdd % 100) }
            guard let best = candidates.min(by: { abs($0.ordinal - value.ordinal) < abs($1.ordinal - value.ordinal) }) else {
                return fail(6, "entry date", "an entry date MMDD", String(u[6..<10]))
            }
            booked = best
            i = 10
        }
        var reversal = false, credit: Bool
        if i + 1 < u.count, u[i] == "R", u[i + 1] == "C" || u[i + 1] == "D" { reversal = true; credit = u[i + 1] == "D"; i += 2 }
        else if i < u.count, u[i] == "C" || u[i] == "D" { credit = u[i] == "C"; i += 1 }
        else if i + 1 < u.count, u[i] == "E", u[i + 1] == "C" || u[i + 1] == "D" { credit = u[i + 1] == "C"; i += 2 }
        else { return fail(i, "mark", "a debit/credit mark C, D, RC or RD", String(u[min(i, u.count)...])) }
        // A funds code letter (the third letter of the currency code) may follow the mark.
        if i < u.count, u[i].isLetter { i += 1 }
        let start = i
        while i < u.count, u[i].isNumber || u[i] == "," { i += 1 }
        guard let v = amount(String(u[start..<i]), currency: currency) else { return fail(start, "amount", "an amount with a decimal comma such as 1234,56", String(u[start...])) }
        let type = String(u[i..<min(i + 4, u.count)])
        i = min(i + 4, u.count)
        let refs = String(u[i...])
        var customer = refs, bank: String?
        if let r = refs.range(of: "//") {
            customer = String(refs[..<r.lowerBound])
            bank = String(refs[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        customer = customer.trimmingCharacters(in: .whitespaces)
        let supplementary = f.lines.dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
        let net = credit ? v : -v
        var m = Movement(index: index, line: f.line, day: booked, seconds: -1, timestamp: nil, timeZone: nil, currency: currency,
                         gross: net, fee: 0, net: net, balance: nil, cls: net >= 0 ? .earning : .expense,
                         id: bank.flatMap { $0.isEmpty || $0 == "NONREF" ? nil : $0 }, ref: nil, name: nil, description: supplementary,
                         filtered: nil, affectsBalance: true)
        if reversal { m.cls = .refund }
        else if type.hasSuffix("CHG") || type.hasSuffix("COM") { if net < 0 { m.cls = .fee } }
        m.extra = [type, customer == "NONREF" ? "" : customer, supplementary].joined(separator: "/")
        return .success(Entry(movement: m, reversal: reversal))
    }

    // MARK: :86: information to account owner

    /// Reads `:86:` into the entry's payee and description: the German structured form
    /// (`166?00GUTSCHRIFT?20EREF+…?32NAME`), the Dutch `/TRTP/…/NAME/…/REMI/…` form, or free text.
    static func details(_ lines: [String], into m: inout Movement) {
        let supplementary = m.description
        let joined = lines.joined()
        if joined.count >= 4, joined.prefix(3).allSatisfy({ $0.isASCII && $0.isNumber }), joined.dropFirst(3).first == "?" {
            let s = structured(joined)
            m.name = s.name
            m.description = s.description
        } else if joined.hasPrefix("/"), joined.contains("/NAME/") || joined.contains("/REMI/") || joined.contains("/TRTP/") {
            let s = slashed(lines.map { $0.trimmingCharacters(in: .init(charactersIn: " ")) }.joined())
            m.name = s.name
            m.description = s.description
        } else {
            m.description = collapse(lines.joined(separator: " "))
        }
        if !supplementary.isEmpty && !m.description.localizedCaseInsensitiveContains(supplementary) {
            m.description = m.description.isEmpty ? supplementary : supplementary + " / " + m.description
        }
        if m.description.count > 2000 { m.description = String(m.description.prefix(2000)) + "…" }
    }

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// German `?nn` sub-fields: `?00` posting text, `?20`–`?29` and `?60`–`?63` purpose lines, `?30`
    /// bank code, `?31` account (IBAN), `?32`/`?33` counterparty name. The purpose text holds SEPA
    /// keys: `EREF+` end-to-end reference, `KREF+` customer reference, `MREF+` mandate, `CRED+`
    /// creditor id, `SVWZ+` remittance text, `ABWA+`/`ABWE+` ultimate debtor/creditor.
    static func structured(_ s: String) -> (name: String?, description: String) {
        var sub: [Int: String] = [:]
        var order: [Int] = []
        let parts = s.split(separator: "?", omittingEmptySubsequences: false)
        for p in parts.dropFirst() {
            guard p.count >= 2, let k = Int(p.prefix(2)), p.prefix(2).allSatisfy({ $0.isNumber }) else {
                if let last = order.last { sub[last, default: ""] += "?" + p }
                continue
            }
            if sub[k] == nil { order.append(k) }
            sub[k, default: ""] += String(p.dropFirst(2))
        }
        // `?20`–`?29` then `?60`–`?63` continue one text cut into 27-character pieces; other
        // banks' `?70`… lines are separate texts.
        let pieces = order.filter { (20...29).contains($0) || (60...63).contains($0) }.map { sub[$0] ?? "" }.joined()
        let extra = order.filter { $0 >= 64 && $0 <= 99 }.map { sub[$0] ?? "" }.joined()
        let purpose = [pieces, extra].filter { !$0.isEmpty }.joined(separator: " ")
        var keyed: [(String, String)] = []
        var plain = purpose
        let keys = ["EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "SVWZ+", "ABWA+", "ABWE+", "COAM+", "OAMT+", "IBAN+", "BIC+"]
        var found: [(Range<String.Index>, String)] = []
        for k in keys {
            var from = purpose.startIndex
            while let r = purpose.range(of: k, range: from..<purpose.endIndex) { found.append((r, String(k.dropLast()))); from = r.upperBound }
        }
        found.sort { $0.0.lowerBound < $1.0.lowerBound }
        if !found.isEmpty {
            plain = String(purpose[..<found[0].0.lowerBound])
            for (n, (r, k)) in found.enumerated() {
                let end = n + 1 < found.count ? found[n + 1].0.lowerBound : purpose.endIndex
                keyed.append((k, collapse(String(purpose[r.upperBound..<end]))))
            }
        }
        let name = collapse((sub[32] ?? "") + (sub[33] ?? ""))
        let ultimate = keyed.first { $0.0 == "ABWA" || $0.0 == "ABWE" }?.1
        let payee = name.isEmpty ? ultimate : name
        var text: [String] = []
        let posting = collapse(sub[0] ?? "")
        let remittance = keyed.filter { $0.0 == "SVWZ" }.map(\.1).joined(separator: " ")
        let main = collapse([plain, remittance].filter { !$0.isEmpty }.joined(separator: " "))
        text.append([posting, main].filter { !$0.isEmpty }.joined(separator: ": "))
        for (k, v) in keyed where k != "SVWZ" && !v.isEmpty { text.append("\(k) \(v)") }
        if let iban = sub[31].map(collapse), !iban.isEmpty { text.append("IBAN \(iban)") }
        return (payee.flatMap { $0.isEmpty ? nil : $0 }, text.filter { !$0.isEmpty }.joined(separator: " | "))
    }

    /// `/TRTP/SEPA OVERBOEKING/IBAN/NL…/BIC/…/NAME/…/REMI/…/EREF/…`.
    static func slashed(_ s: String) -> (name: String?, description: String) {
        let known: Set<String> = ["TRTP", "IBAN", "BIC", "NAME", "REMI", "EREF", "MARF", "CSID", "RTRN", "ORDP", "BENM", "ID", "USTD", "STRD", "CDTRREFTP", "CDTRREF", "ISDT", "CD", "ADDR", "PREF", "SWOC", "FX"]
        let parts = s.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var values: [(String, String)] = []
        var i = 1
        while i < parts.count {
            let k = parts[i]
            if known.contains(k) {
                var v: [String] = []
                i += 1
                while i < parts.count, !known.contains(parts[i]) { v.append(parts[i]); i += 1 }
                values.append((k, collapse(v.joined(separator: "/"))))
            } else { i += 1 }
        }
        let name = values.first { $0.0 == "NAME" }?.1
        let remi = values.filter { $0.0 == "REMI" || $0.0 == "USTD" }.map(\.1).joined(separator: " ")
        var text = [values.first { $0.0 == "TRTP" }?.1, remi].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        for (k, v) in values where ["EREF", "MARF", "IBAN"].contains(k) && !v.isEmpty { text += (text.isEmpty ? "" : " | ") + "\(k) \(v)" }
        return (name.flatMap { $0.isEmpty ? nil : $0 }, text)
    }

    // MARK: reading

    /// `ING 4567`: the bank's name (from the BIC of the envelope, the header lines, the account
    /// or a Dutch IBAN) and the last four digits of the account.
    static func institution(_ s: Statement, width: Int = 4) -> String {
        let account = s.account.split(separator: "/").filter { !($0.count == 3 && $0.allSatisfy(\.isLetter)) }
        var code = s.bic.map { String($0.prefix(4)) }
        if let first = account.first, first.count == 8 || first.count == 11, banks[String(first.prefix(4))] != nil { code = String(first.prefix(4)) }
        let compact = s.account.filter { $0.isLetter || $0.isNumber }
        if compact.count >= 8, compact.prefix(2).allSatisfy(\.isLetter), banks[String(compact.dropFirst(4).prefix(4))] != nil {
            code = String(compact.dropFirst(4).prefix(4))
        }
        if compact.hasPrefix("PL"), compact.count >= 12, compact.dropFirst(4).prefix(4) == "1140" { code = "BREX" }
        let last: String = account.last.map { String($0) } ?? compact
        let digits = last.filter { $0.isASCII && $0.isNumber }
        let name = code.flatMap { banks[$0] } ?? "Bank"
        return "\(name) \(digits.suffix(width))"
    }

    static func read(_ bytes: [UInt8], file: String, encoding: TextEncoding, userRules: [CategoryRule] = []) -> StatementReadResult {
        var result = StatementReadResult(file: file, profile: profileName, encoding: encoding.rawValue)
        var sink = DiagnosticSink()
        var stmts = statements(bytes, file: file, sink: &sink)
        if stmts.isEmpty {
            sink.add(.error("mt940.empty", "the file holds no MT940 statement: expected a reference (:20:) followed by an account (:25:), balances and entries",
                            at: SourceLocation(file: file), hint: "export the statement again in MT940 format"))
            result.problems = sink.finish(file: file)
            return result
        }
        let interim = stmts.allSatisfy { $0.interim || ($0.opening == nil && $0.closing == nil && !$0.counts.isEmpty) }
        result.profile = interim ? interimProfileName : profileName
        // Two accounts of the file that end in the same four digits keep more of them apart.
        var width = 4
        while width < 34 {
            var owner: [String: String] = [:]
            let clash = stmts.contains { s in
                let name = institution(s, width: width)
                defer { owner[name] = owner[name] ?? s.account }
                return owner[name].map { $0 != s.account } ?? false
            }
            if !clash { break }
            width += 2
        }
        for i in stmts.indices { stmts[i].institution = institution(stmts[i], width: width) }

        // Statement-level checks that need no ledger.
        for s in stmts {
            let at = SourceLocation(file: file, line: s.line, field: ":20:")
            if s.account.isEmpty {
                sink.add(.error("mt940.account", "the statement that starts on line \(s.line) names no account (:25:)", at: at,
                                hint: "every MT940 statement names its account in a :25: field; the file may be damaged"))
            }
            if let o = s.opening, let c = s.closing, o.currency.code != c.currency.code {
                sink.add(.error("mt940.currency", "the opening balance is in \(o.currency.code) but the closing balance in \(c.currency.code)",
                                at: SourceLocation(file: file, line: c.line, field: ":\(c.tag):"), hint: "the statement is damaged; export it again"))
            }
            if !s.interim || s.opening != nil || s.closing != nil {
                if s.opening == nil { sink.add(.warning("mt940.balance", "the statement that starts on line \(s.line) has no opening balance (:60F: or :60M:): its entries cannot be checked", at: at, hint: "the file may be cut or edited; export the statement again")) }
                if s.closing == nil { sink.add(.warning("mt940.balance", "the statement that starts on line \(s.line) has no closing balance (:62F: or :62M:): its entries cannot be checked", at: at, hint: "the file may be cut short; export the statement again")) }
            }
            for c in s.counts {
                let debit = c.tag == "90D"
                let es = s.entries.filter { debit ? $0.movement.net < 0 : $0.movement.net >= 0 }
                let sum = es.reduce(Int64(0)) { $0 &+ abs($1.movement.net) }
                if es.count != c.count || sum != c.amount {
                    sink.add(.warning("mt940.totals", "the report states \(c.count) \(debit ? "debit" : "credit") entries for \(Money(minorUnits: c.amount, currency: c.currency)), but it lists \(es.count) for \(Money(minorUnits: sum, currency: c.currency))",
                                      at: SourceLocation(file: file, line: c.line, field: ":\(c.tag):"), hint: "an entry may be missing from the report; export it again"))
                }
            }
        }
        // Consecutive statements of one account chain: a closing balance is the next opening.
        var lastClosing: [String: Balance] = [:]
        for s in stmts {
            if let o = s.opening, let prev = lastClosing[s.account], prev.currency.code == o.currency.code, prev.amount != o.amount {
                result.balances.gaps += 1
                let text = BalanceBreak.chain(closing: Money(minorUnits: prev.amount, currency: prev.currency), closingLine: prev.line,
                                              nextOpening: Money(minorUnits: o.amount, currency: o.currency))
                sink.add(.warning("import.balance", text.english, at: SourceLocation(file: file, line: o.line, field: ":\(o.tag):"),
                                  hint: "a statement between them may be missing from the file; export the whole period", arguments: text.arguments))
            }
            if let c = s.closing { lastClosing[s.account] = c }
        }

        // One booker per account, so that dedup keys stay unique across its statements.
        var accounts: [String] = []
        for s in stmts where !accounts.contains(s.account) { accounts.append(s.account) }
        var rows = 0
        for account in accounts {
            let group = stmts.filter { $0.account == account }
            let inst = group[0].institution
            let profile = StatementProfile(name: result.profile!, title: title, institution: inst, columns: [], amountModel: .amountIncludingFee, uniqueIDs: false)
            var booker = Booker(file: file, profile: profile, userRules: userRules, balanceField: nil, sink: sink)
            var ms: [Movement] = []
            for s in group { for e in s.entries { var m = e.movement; m.index = rows + ms.count; ms.append(m) } }
            let out = booker.book(&ms)
            sink = booker.sink
            let assets = Account(.assets, inst)
            // What the ledger holds on the account per source line, sorted by line, so that each
            // statement sums its own range (a yearly file holds hundreds of daily statements).
            var booked: [(line: Int, currency: String, amount: Int64)] = []
            for t in out.transactions {
                guard let l = t.source?.line else { continue }
                for p in t.postings where p.account == assets { booked.append((l, p.amount.currency.code, p.amount.minorUnits)) }
            }
            booked.sort { $0.line < $1.line }
            var summaries: [(currency: CurrencyCode, opening: Int64, closing: Int64, change: Int64)] = []
            for s in group {
                guard let o = s.opening, let c = s.closing, o.currency.code == c.currency.code else { continue }
                let cur = c.currency
                // The ledger side: what was booked on the account for this statement's entries.
                var change: Int64 = 0
                var lo = 0, hi = booked.count
                while lo < hi { let mid = (lo + hi) / 2; if booked[mid].line < s.line { lo = mid + 1 } else { hi = mid } }
                let last = max(s.endLine, c.line)
                while lo < booked.count, booked[lo].line <= last {
                    if booked[lo].currency == cur.code { change = change &+ booked[lo].amount }
                    lo += 1
                }
                let computed = o.amount &+ change
                let at = SourceLocation(file: file, line: c.line, field: ":\(c.tag):")
                result.balanceChecks.append(BalanceCheck(account: assets, date: c.day, stated: Money(minorUnits: c.amount, currency: cur),
                                                         computed: Money(minorUnits: computed, currency: cur), location: at))
                result.balances.checked += 1
                // One summary per account and currency: the first opening, the last closing and
                // the ledger's change over all its statements.
                if let k = summaries.firstIndex(where: { $0.currency.code == cur.code }) {
                    summaries[k].closing = c.amount
                    summaries[k].change = summaries[k].change &+ change
                } else {
                    summaries.append((cur, o.amount, c.amount, change))
                }
                if computed != c.amount {
                    result.balances.closingBreaks += 1
                    let text = BalanceBreak.statement(stated: Money(minorUnits: c.amount, currency: cur), opening: Money(minorUnits: o.amount, currency: cur),
                                                      openingLine: o.line, entries: s.entries.count, ledger: Money(minorUnits: computed, currency: cur),
                                                      closingLine: c.line, difference: Money(minorUnits: c.amount &- computed, currency: cur))
                    sink.add(.warning("import.balance", text.english, at: at, hint: "an entry may be missing or altered between lines \(o.line) and \(c.line)",
                                      arguments: text.arguments))
                }
            }
            for x in summaries {
                result.balances.currencies.append(BalanceSummary.Currency(opening: Money(minorUnits: x.opening, currency: x.currency),
                                                                          closing: Money(minorUnits: x.closing, currency: x.currency),
                                                                          ledgerChange: Money(minorUnits: x.change, currency: x.currency)))
            }
            rows += ms.count
            result.transactions.append(contentsOf: out.transactions)
            result.filtered.append(contentsOf: out.filtered)
        }
        result.rowCount = rows
        if let s = stmts.first(where: { !$0.available.isEmpty }) {
            sink.add(Diagnostic(.note, code: "mt940.available", "available balances (:64:, :65:) are informational and were not compared with the ledger; the first statement's: \(s.available.joined(separator: ", "))",
                                at: SourceLocation(file: file, line: s.line)))
        }
        if interim && stmts.allSatisfy({ $0.opening == nil && $0.closing == nil }) {
            let checked = stmts.contains { !$0.counts.isEmpty }
            sink.add(Diagnostic(.note, code: "mt942.no-balances", "an interim report (MT942) states no opening or closing balance, so no balance was checked" + (checked ? "; its entries were checked against the report's own counts and sums (:90D:/:90C:)" : ""),
                                at: SourceLocation(file: file), hint: "import the day's closing statement (MT940) to check the balance"))
        }
        result.problems = sink.finish(file: file)
        return result
    }
}

import Foundation
