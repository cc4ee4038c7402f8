import SaldoCore

/// Quicken Interchange Format: the text export of Quicken, MS Money, GnuCash, Moneydance and
/// many banks' "download for Quicken" buttons.
///
/// Sections start with a header line (`!Type:Bank`, `!Account`, `!Option:DMY`); records are lines
/// whose first letter names the field (`D` date, `T`/`U` amount, `P` payee, `M` memo, `N` number,
/// `L` category or `[transfer account]`, `S`/`E`/`$` split category, memo and amount), ending with `^`.
///
/// QIF states no balances and no currency: the currency comes from ``ImportOptions/currency``
/// (the ledger's base currency; EUR otherwise, with a note), and every file gets a note that no
/// balance could be checked.
public enum QIFReader {
    public static let profileName = "qif"
    public static let title = "QIF (Quicken Interchange Format)"

    /// True when the first non-empty line is a QIF header (`!Type:…`, `!Account`, `!Option:…`).
    public static func looksLikeQIF(_ bytes: [UInt8]) -> Bool {
        var b = bytes[...]
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b = b.dropFirst(3) }
        let text = String(decoding: b.prefix(512), as: UTF8.self)
        guard let first = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first(where: { !$0.allSatisfy { $0 == " " || $0 == "\t" } }) else { return false }
        let l = first.trimmingCharacters(in: .whitespaces).lowercased()
        return l.hasPrefix("!type:") || l.hasPrefix("!account") || l.hasPrefix("!option:") || l.hasPrefix("!clear:")
    }

    /// One record: its fields in order, with the line each started on.
    struct Record {
        var line: Int
        var fields: [(code: Character, value: String, line: Int)] = []
        func first(_ c: Character) -> (value: String, line: Int)? { fields.first { $0.code == c }.map { ($0.value, $0.line) } }
    }

    enum SectionKind: Equatable {
        case cash(String)      // Bank, Cash, CCard, Oth A, Oth L: the QIF type
        case account
        case investment
        case list(String)      // Cat, Class, Memorized, Tag, Security, Prices…
        case option
        case unknown(String)
    }

    struct Section {
        var kind: SectionKind
        var header: String
        var line: Int
        var records: [Record] = []
        /// The account the section belongs to (the last `!Account` record before it).
        var account: (name: String, type: String)?
    }

    static func kind(of header: String) -> SectionKind {
        let h = header.trimmingCharacters(in: .whitespaces).lowercased()
        if h.hasPrefix("!account") { return .account }
        if h.hasPrefix("!option:") || h.hasPrefix("!clear:") { return .option }
        guard h.hasPrefix("!type:") else { return .unknown(header) }
        let t = String(h.dropFirst(6)).trimmingCharacters(in: .whitespaces)
        switch t {
        case "bank", "cash", "ccard", "oth a", "oth l", "othera", "otherl": return .cash(t)
        case "invst", "port", "invest": return .investment
        case "cat", "class", "memorized", "tag", "security", "prices", "budget", "invitem", "template", "bill", "payee": return .list(t)
        default: return .unknown(header.trimmingCharacters(in: .whitespaces))
        }
    }

    /// Splits the text into sections of records.
    static func sections(_ text: String) -> (sections: [Section], options: [(String, Int)], binaryLines: [Int]) {
        var out: [Section] = []
        var options: [(String, Int)] = []
        var current: Section?
        var record: Record?
        var lineNo = 0
        var lastAccount: (String, String)?
        var binaryLines: [Int] = []
        func closeSection() {
            if let r = record, !r.fields.isEmpty { current?.records.append(r) }
            record = nil
            if let s = current {
                if s.kind == .account, let a = s.records.last, let n = a.first("N")?.value {
                    lastAccount = (n.trimmingCharacters(in: .whitespaces), a.first("T")?.value.trimmingCharacters(in: .whitespaces) ?? "")
                }
                out.append(s)
            }
            current = nil
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            var l = Substring(raw)
            if lineNo == 1, l.hasPrefix("\u{FEFF}") { l = l.dropFirst() }
            while let c = l.last, c == "\r" { l.removeLast() }
            if l.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            if l.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 }) { binaryLines.append(lineNo); continue }
            if l.first == "!" {
                let k = kind(of: String(l))
                if k == .option {
                    options.append((l.trimmingCharacters(in: .whitespaces), lineNo))
                    continue
                }
                closeSection()
                current = Section(kind: k, header: l.trimmingCharacters(in: .whitespaces), line: lineNo)
                if case .cash = k { current?.account = lastAccount.map { (name: $0.0, type: $0.1) } }
                if case .investment = k { current?.account = lastAccount.map { (name: $0.0, type: $0.1) } }
                continue
            }
            if current == nil { current = Section(kind: .unknown(""), header: "", line: lineNo) }
            if l.first == "^" {
                if let r = record, !r.fields.isEmpty { current!.records.append(r) }
                record = nil
                continue
            }
            if record == nil { record = Record(line: lineNo) }
            if record!.fields.count < 2000 {
                record!.fields.append((l.first!, String(l.dropFirst().prefix(4096)), lineNo))
            }
        }
        closeSection()
        return (out, options, binaryLines)
    }

    // MARK: values

    /// The parts of a QIF date: `1/5/2008`, `12/8/13`, `1/ 5'04` (`'` before a year of this century),
    /// `2008-01-05`, `01.05.2008`.
    struct DateText { var a: Int, b: Int, year: Int, fourDigitYearFirst: Bool, dotted: Bool }

    static func dateParts(_ s: String) -> DateText? {
        var nums: [Int] = [], lens: [Int] = []
        var cur = 0, len = 0, apostrophe = false, dotted = false
        var seps = 0
        for ch in s {
            if let d = ch.wholeNumberValue, ch.isASCII {
                guard len < 4 else { return nil }
                cur = cur * 10 + d; len += 1
            } else if ch == "/" || ch == "-" || ch == "." || ch == "'" || ch == " " {
                if len > 0 { nums.append(cur); lens.append(len); cur = 0; len = 0 }
                if ch == "'" { apostrophe = true }
                if ch == "." { dotted = true }
                if ch != " " { seps += 1 }
            } else { return nil }
        }
        if len > 0 { nums.append(cur); lens.append(len) }
        guard nums.count == 3 else { return nil }
        if lens[0] == 4 { return DateText(a: nums[1], b: nums[2], year: nums[0], fourDigitYearFirst: true, dotted: dotted) }
        var y = nums[2]
        if lens[2] <= 2 { y += apostrophe ? 2000 : (y < 50 ? 2000 : 1900) }
        else if lens[2] == 3 { y += 1900 }   // Quicken writes some years after 1999 as 100+
        return DateText(a: nums[0], b: nums[1], year: y, fourDigitYearFirst: false, dotted: dotted)
    }

    static func day(_ p: DateText, _ order: DateOrder) -> Day? {
        if p.fourDigitYearFirst { return Day(year: p.year, month: p.a, day: p.b) }
        return order == .mdy ? Day(year: p.year, month: p.a, day: p.b) : Day(year: p.year, month: p.b, day: p.a)
    }

    /// `-1,234.56`, `1500`, `1.234,56` (a file decides its decimal mark once), in minor units.
    static func amount(_ s: String, comma: Bool, exponent: Int) -> Int64? {
        var t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "")
        if t.hasPrefix("$") { t.removeFirst() }
        var negative = false
        if t.hasPrefix("-") { negative = true; t.removeFirst() } else if t.hasPrefix("+") { t.removeFirst() }
        let (group, mark): (Character, Character) = comma ? (".", ",") : (",", ".")
        t = t.filter { $0 != group && $0 != "'" }
        let parts = t.split(separator: mark, omittingEmptySubsequences: false)
        guard parts.count <= 2, !t.isEmpty, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), parts[0].count <= 15 else { return nil }
        var frac = parts.count == 2 ? String(parts[1]) : ""
        while frac.count > exponent && frac.hasSuffix("0") { frac.removeLast() }
        guard frac.count <= exponent else { return nil }
        frac += String(repeating: "0", count: exponent - frac.count)
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let whole = parts[0].isEmpty ? 0 : Int64(parts[0]) ?? 0
        let (m, o1) = whole.multipliedReportingOverflow(by: scale)
        let (v, o2) = m.addingReportingOverflow(Int64(frac) ?? 0)
        if o1 || o2 { return nil }
        return negative ? -v : v
    }

    // MARK: accounts

    /// The ledger account of a QIF account: cards and other liabilities under `liabilities:`.
    static func ledgerAccount(name: String?, type: String) -> Account {
        let t = type.lowercased()
        let liability = t == "ccard" || t == "oth l" || t == "otherl" || t == "credit card"
        let fallback = ["bank": "bank", "cash": "cash", "ccard": "credit card", "oth a": "other", "oth l": "other", "invst": "investments"][t] ?? "bank"
        let n = name.flatMap { Account.normalizeComponent($0).isEmpty ? nil : $0 } ?? fallback
        return liability ? Account(.liabilities, n) : Account(.assets, n)
    }

    /// A category (`Food:Groceries`, `Income.Salary`, `food/class`) for an amount of `sign`:
    /// a category under Income, Expenses, Assets or Liabilities stays there, others are income
    /// when money came in and expenses when it went out.
    static func category(_ text: String, incoming: Bool) -> Account? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if let slash = t.firstIndex(of: "/") { t = String(t[..<slash]) }   // `category/class`
        if t.isEmpty { return nil }
        var parts = t.split(separator: ":").map(String.init)
        let roots: [String: Account.Root] = ["income": .income, "expense": .expenses, "expenses": .expenses, "assets": .assets, "asset": .assets,
                                             "liabilities": .liabilities, "liability": .liabilities, "equity": .equity]
        if parts.count == 1, let dot = t.firstIndex(of: "."), roots[t[..<dot].lowercased()] != nil { parts = t.split(separator: ".").map(String.init) }
        var root: Account.Root = incoming ? .income : .expenses
        if let r = roots[parts[0].lowercased().trimmingCharacters(in: .whitespaces)], parts.count > 1 { root = r; parts.removeFirst() }
        let comps = parts.map(Account.normalizeComponent).filter { !$0.isEmpty }
        guard !comps.isEmpty, let a = try? Account(([root.rawValue] + comps).joined(separator: ":")) else { return nil }
        return a
    }

    // MARK: reading

    struct Posted {
        var record: Record
        var day: Day
        var amount: Int64
        var section: Int
    }

    static func read(_ bytes: [UInt8], file: String, encoding: TextEncoding, options: ImportOptions, userRules: [CategoryRule] = []) -> StatementReadResult {
        var result = StatementReadResult(file: file, profile: profileName, encoding: encoding.rawValue)
        var sink = DiagnosticSink()
        let (sections, qifOptions, binaryLines) = sections(String(decoding: bytes, as: UTF8.self))
        for l in binaryLines {
            sink.add(.error("qif.binary", "line \(l) holds binary data (control characters), not QIF text", at: SourceLocation(file: file, line: l, column: 1),
                            hint: "the file is damaged or is not a QIF export; export it again"))
        }
        let currency: CurrencyCode
        if let c = options.currency, let code = try? CurrencyCode(c) { currency = code } else {
            currency = .EUR
            sink.add(Diagnostic(.note, code: "qif.currency", "a QIF file states no currency, and no base currency is set: its amounts were read as EUR",
                                at: SourceLocation(file: file), hint: "if the account is kept in another currency, set the ledger's base currency before importing"))
        }
        // Accounts named in `!Account` blocks, for transfers `[Name]`.
        var accountTypes: [String: String] = [:]
        for s in sections where s.kind == .account {
            for r in s.records { if let n = r.first("N")?.value { accountTypes[n.trimmingCharacters(in: .whitespaces).lowercased()] = r.first("T")?.value.trimmingCharacters(in: .whitespaces) ?? "" } }
        }
        for s in sections {
            switch s.kind {
            case .list(let t):
                sink.add(Diagnostic(.note, code: "qif.list", "the \(s.header) section (\(s.records.count) record(s)) is a list of \(listName(t)), not transactions: skipped",
                                    at: SourceLocation(file: file, line: s.line)))
            case .investment:
                sink.add(.warning("qif.investment", "the investment section \(s.header)\(s.account.map { " of account \"\($0.name)\"" } ?? "") (\(s.records.count) record(s)) was not imported: Saldo does not read investment transactions (shares, prices, buys and sells)",
                                  at: SourceLocation(file: file, line: s.line), hint: "export the investment account's cash movements as a bank or cash account, or record them by hand"))
            case .unknown(let h) where !s.records.isEmpty:
                sink.add(.warning("qif.section", h.isEmpty ? "\(s.records.count) record(s) before any section header (!Type:…) were not imported" : "unknown section \(h) (\(s.records.count) record(s)) was not imported",
                                  at: SourceLocation(file: file, line: s.line), hint: "a QIF section starts with a header such as !Type:Bank"))
            default: break
            }
        }
        // Date order: the file's `!Option:MDY`/`!Option:DMY`, or the evidence rules CSV files use.
        var evidence = DateEvidence()
        var partsSeen: [(Int, Int, Int)] = []
        for s in sections { guard case .cash = s.kind else { continue }
            for r in s.records {
                guard let (d, line) = r.first("D") else { continue }
                let p = dateParts(d)
                evidence.add(p.map { DateParts(first: $0.fourDigitYearFirst ? $0.year : $0.a, second: $0.fourDigitYearFirst ? $0.a : $0.b, third: $0.fourDigitYearFirst ? $0.b : $0.year,
                                               firstLen: $0.fourDigitYearFirst ? 4 : 2, thirdLen: 4, monthNameAt: 0, seconds: nil, separator: $0.dotted ? 0x2E : 0x2F) },
                             line: Int32(line), text: d)
                if let p, !p.fourDigitYearFirst { partsSeen.append((p.a, p.b, p.year)) }
            }
        }
        let fileOption = qifOptions.last { $0.0.lowercased().hasPrefix("!option:mdy") || $0.0.lowercased().hasPrefix("!option:dmy") }
        guard let order = decideDates(evidence, partsSeen: partsSeen, option: options.dateFormat, fileOption: fileOption, file: file, result: &result, sink: &sink) else {
            result.problems = sink.finish(file: file)
            return result
        }
        // Decimal mark: a comma when amounts end in `,dd` and none in `.dd`, or as the option says.
        var commaVotes = 0, pointVotes = 0
        for s in sections { guard case .cash = s.kind else { continue }
            for r in s.records { for f in r.fields where f.code == "T" || f.code == "U" || f.code == "$" {
                let v = f.value.trimmingCharacters(in: .whitespaces)
                if v.range(of: #",\d{1,2}$"#, options: .regularExpression) != nil { commaVotes += 1 }
                if v.range(of: #"\.\d{1,2}$"#, options: .regularExpression) != nil { pointVotes += 1 }
            } }
        }
        let comma = options.decimalMark.map { $0 == "," } ?? (commaVotes > 0 && pointVotes == 0)
        result.decimalMark = ConventionDecision(value: comma ? "," : ".", evidence: options.decimalMark != nil ? "the chosen decimal mark" : (commaVotes + pointVotes == 0 ? "no amount has decimals" : "amounts such as \(comma ? "12,50" : "12.50")"),
                                                basis: options.decimalMark != nil ? .option : (commaVotes + pointVotes == 0 ? .nothingAmbiguous : .values))

        var rows = 0
        var keyCounts: [String: Int] = [:]
        /// Transfers booked from one side, by symmetric key: the other account's copy of the same
        /// transfer (Quicken writes it in both accounts' sections) is not booked twice.
        var transferSides: [String: [(account: String, line: Int)]] = [:]
        var index = 0
        for s in sections {
            guard case .cash(let type) = s.kind else { continue }
            let own = ledgerAccount(name: s.account?.name, type: s.account?.type.isEmpty == false ? s.account!.type : type)
            let ownName = s.account?.name ?? own.components.last ?? "bank"
            let inst = own.components.dropFirst().joined(separator: "-")
            for r in s.records {
                rows += 1
                index += 1
                let at = SourceLocation(file: file, line: r.line, record: index)
                guard let (dText, dLine) = r.first("D") else {
                    sink.add(.error("qif.date", "the record has no date (D line)", at: at, hint: "every QIF transaction starts with a D line; the file may be damaged"))
                    continue
                }
                guard let p = dateParts(dText), let day = day(p, order) else {
                    sink.add(.error("qif.date", "expected a date such as 1/31/2025 or 31/01/2025 (\(DateConvention(order: order).description)), found \"\(dText.prefix(40))\"",
                                    at: SourceLocation(file: file, line: dLine, record: index, field: "D"), hint: "check the record; if the file's dates are in the other order, say which order it uses"))
                    continue
                }
                guard let (tText, tLine) = r.first("T") ?? r.first("U") else {
                    sink.add(.error("qif.amount", "the record has no amount (T line)", at: at, hint: "every QIF transaction has a T line with its amount"))
                    continue
                }
                guard let amount = amount(tText, comma: comma, exponent: currency.exponent) else {
                    sink.add(.error("qif.amount", "expected an amount such as -1,234.56, found \"\(tText.prefix(40))\"", at: SourceLocation(file: file, line: tLine, record: index, field: "T"),
                                    hint: "the amount has more decimals than \(currency.code) allows or is not a number"))
                    continue
                }
                let payee = r.first("P")?.value.trimmingCharacters(in: .whitespaces)
                let memo = r.first("M")?.value.trimmingCharacters(in: .whitespaces)
                let number = r.first("N")?.value.trimmingCharacters(in: .whitespaces) ?? ""
                let categoryText = r.first("L")?.value.trimmingCharacters(in: .whitespaces)
                var description = [memo, payee].compactMap { $0 }.first { !$0.isEmpty }
                    ?? categoryText.map { $0.hasPrefix("[") ? "Transfer \(amount >= 0 ? "from" : "to") \($0.dropFirst().prefix { $0 != "]" })" : $0 } ?? ""
                // Split memos say what each part was for.
                let splitMemos = r.fields.filter { $0.code == "E" }.map { $0.value.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                if !splitMemos.isEmpty { description += (description.isEmpty ? "" : " ") + "(" + splitMemos.joined(separator: "; ") + ")" }
                let money = Money(minorUnits: amount, currency: currency)
                var postings = [Posting(own, money)]
                var kind: TransactionKind = amount >= 0 ? .earning : .expense
                var platform: String? = nil, client: String? = nil
                var transferKey: (key: String, other: String)?

                func counter(_ l: String?, _ v: Int64) -> (Account, Bool)? {
                    guard let l = l?.trimmingCharacters(in: .whitespaces), !l.isEmpty else { return nil }
                    if l.hasPrefix("["), let close = l.firstIndex(of: "]") {
                        let name = String(l[l.index(after: l.startIndex)..<close])
                        return (ledgerAccount(name: name, type: accountTypes[name.lowercased()] ?? "bank"), true)
                    }
                    return category(l, incoming: v < 0).map { ($0, false) }
                }
                let splits = r.fields.filter { $0.code == "S" || $0.code == "$" || $0.code == "E" }
                if splits.contains(where: { $0.code == "$" }) {
                    // Splits: S category, E memo, $ amount, in that order per split.
                    var cat: String?
                    var total: Int64 = 0
                    var bad = false
                    for f in splits {
                        switch f.code {
                        case "S": cat = f.value
                        case "$":
                            guard let v = self.amount(f.value, comma: comma, exponent: currency.exponent) else {
                                sink.add(.error("qif.amount", "expected a split amount such as -12.50, found \"\(f.value.prefix(40))\"", at: SourceLocation(file: file, line: f.line, record: index, field: "$"),
                                                hint: "the split's amount is not a number"))
                                bad = true; continue
                            }
                            let (sum, overflow) = total.addingReportingOverflow(v)
                            guard !overflow else {
                                sink.add(.error("qif.amount", "the splits add up to more than an amount can hold", at: SourceLocation(file: file, line: f.line, record: index, field: "$"),
                                                hint: "the split amounts are damaged; export the file again"))
                                bad = true; break
                            }
                            total = sum
                            let (acct, transfer) = counter(cat, -v) ?? (v >= 0 ? Account(.income, "uncategorized") : Booker.uncategorized, false)
                            postings.append(Posting(acct, Money(minorUnits: -v, currency: currency)))
                            if transfer { transferSides[transferKeyOf(day, ownName, acct.path, v), default: []].append((ownName, r.line)) }
                            cat = nil
                        default: break
                        }
                    }
                    if bad { continue }
                    if total != amount {
                        let (rest, overflow) = amount.subtractingReportingOverflow(total)
                        if overflow || rest == .min {
                            sink.add(.error("qif.split", "the splits add up to \(Money(minorUnits: total, currency: currency)), too far from the transaction's \(money) to book", at: at,
                                            hint: "the split amounts are damaged; export the file again"))
                            continue
                        }
                        postings.append(Posting(rest >= 0 ? Account(.income, "uncategorized") : Booker.uncategorized, Money(minorUnits: -rest, currency: currency)))
                        sink.add(.warning("qif.split", "the splits add up to \(Money(minorUnits: total, currency: currency)) but the transaction is \(money): the difference \(Money(minorUnits: rest, currency: currency)) was booked as uncategorised",
                                          at: at, hint: "check the transaction's splits in the program that exported the file"))
                    }
                    kind = postings.dropFirst().allSatisfy({ $0.account.root == .assets || $0.account.root == .liabilities }) ? .transfer : kind
                } else if let (acct, transfer) = counter(r.first("L")?.value, -amount) {
                    postings.append(Posting(acct, -money))
                    if transfer || acct.root == .assets || acct.root == .liabilities {
                        kind = .transfer
                        if transfer { transferKey = (transferKeyOf(day, ownName, acct.path, amount), acct.path) }
                    }
                } else {
                    // No category: the user's rules decide, else uncategorised.
                    var acct = amount >= 0 ? Account(.income, "uncategorized") : Booker.uncategorized
                    for rule in userRules {
                        let hay: [String]
                        switch rule.field?.lowercased() {
                        case "payee", "name": hay = [payee ?? ""]
                        case "description": hay = [description]
                        default: hay = [payee ?? "", memo ?? ""]
                        }
                        guard hay.contains(where: { $0.range(of: rule.pattern, options: [.caseInsensitive, .diacriticInsensitive]) != nil }) else { continue }
                        if let a = rule.account.flatMap({ try? Account($0) }) { acct = a }
                        platform = rule.platform; client = rule.client
                        if acct.root == .assets || acct.root == .liabilities { kind = .transfer }
                        break
                    }
                    postings.append(Posting(acct, -money))
                }
                if kind == .earning && postings.count == 2 && postings[1].account.root == .expenses { kind = .refund }
                if kind == .expense && postings.count == 2 && postings[1].account.root == .income { kind = .refund }

                // The dedup key: date, amount, payee, number and occurrence; a transfer's is the
                // same from either account, so its copy in the other account's section is known.
                var key: String
                if let t = transferKey {
                    if let sides = transferSides[t.key], let other = sides.firstIndex(where: { $0.account != ownName }) {
                        let seen = transferSides[t.key]!.remove(at: other)
                        result.filtered.append(FilteredRow(location: at, reason: LocalizedText("filter.transfer_copy", ["line": "\(seen.line)"]).english,
                                                           day: day, amount: money, detail: description))
                        continue
                    }
                    transferSides[t.key, default: []].append((ownName, r.line))
                    key = "qif:transfer:" + t.key
                } else {
                    key = "\(inst):fp:\(day)|\(money.decimalString) \(currency.code)|\(Booker.normalizeForKey(payee ?? ""))|\(Booker.normalizeForKey(number))"
                }
                let n = (keyCounts[key] ?? 0) + 1
                keyCounts[key] = n
                key += "#\(n)"
                var t = Transaction(date: day, description: description, kind: kind, postings: postings, payee: payee.flatMap { $0.isEmpty ? nil : $0 },
                                    platform: platform ?? s.account?.name ?? own.components.last, client: client,
                                    externalID: number.isEmpty ? nil : number, dedupKey: key, source: at)
                t.source = at
                do { try t.validate() } catch {
                    sink.add(.error("ledger.unbalanced", "\(error)", at: at, hint: "this is a bug in the QIF reader; please report it with this record"))
                    continue
                }
                result.transactions.append(t)
            }
        }
        result.rowCount = rows
        if rows > 0 {
            sink.add(Diagnostic(.note, code: "qif.no-balances", "a QIF file states no balances, so no balance could be checked",
                                at: SourceLocation(file: file), hint: "compare the account's balance in Saldo with the bank's after importing"))
        } else if !result.isFatal {
            sink.add(.error("qif.empty", "the file holds no bank, cash or card transactions", at: SourceLocation(file: file),
                            hint: "export the account's transactions (a !Type:Bank, !Type:Cash or !Type:CCard section)"))
        }
        result.problems = sink.finish(file: file)
        return result
    }

    /// The same key from either side: the two account names sorted, and the amount as it moves
    /// from the first to the second.
    static func transferKeyOf(_ day: Day, _ a: String, _ bPath: String, _ amountIntoA: Int64) -> String {
        let x = Account.normalizeComponent(a), y = bPath.split(separator: ":").last.map(String.init) ?? bPath
        let (first, second, v) = x <= y ? (x, y, amountIntoA) : (y, x, -amountIntoA)
        return "\(day)|\(first)|\(second)|\(v)"
    }

    static func listName(_ t: String) -> String {
        ["cat": "categories", "class": "classes", "memorized": "memorized transactions (templates)", "tag": "tags", "security": "securities",
         "prices": "prices", "budget": "budgets", "payee": "payees"][t] ?? t
    }

    /// The rules CSV files follow (see `CSVStatementReader.decideDates`): the chosen order; the
    /// file's own `!Option`; dates that fit only one reading (both kinds is an error); nothing
    /// ambiguous; dotted dates; the record order; otherwise the import stops and asks.
    static func decideDates(_ ev: DateEvidence, partsSeen: [(Int, Int, Int)], option: String?, fileOption: (String, Int)?, file: String,
                            result: inout StatementReadResult, sink: inout DiagnosticSink) -> DateOrder? {
        func decided(_ o: DateOrder, _ evidence: String, _ basis: ConventionDecision.Basis) -> DateOrder {
            result.dateOrder = ConventionDecision(value: DateConvention(order: o).description, evidence: evidence, basis: basis)
            return o
        }
        let ask = "say which order the file's dates use: day first (dd/mm/yyyy) or month first (mm/dd/yyyy)"
        if let f = option {
            guard let c = DateConvention.parseOption(f) else {
                sink.add(.error("import.option", "\"\(f)\" is not a date format: expected dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd", at: SourceLocation(file: file)))
                return nil
            }
            return decided(c.order, "the chosen date format", .option)
        }
        if let (o, line) = fileOption {
            let mdy = o.lowercased().hasPrefix("!option:mdy")
            return decided(mdy ? .mdy : .dmy, "the file's \(o) line (line \(line))", .profile)
        }
        if ev.dmy > 0 && ev.mdy > 0 {
            sink.add(.error("qif.date-format", "dates in this file are written both day-first (\"\(ev.firstDMY ?? "")\", line \(ev.firstDMYLine)) and month-first (\"\(ev.firstMDY ?? "")\", line \(ev.firstMDYLine))",
                            at: SourceLocation(file: file, line: Int(ev.firstMDYLine), field: "D"), hint: ask))
            return nil
        }
        if ev.dmy > 0 { return decided(.dmy, "a date with a day above 12 first (line \(ev.firstDMYLine): \"\(ev.firstDMY ?? "")\")", .values) }
        if ev.mdy > 0 { return decided(.mdy, "a date with a day above 12 second (line \(ev.firstMDYLine): \"\(ev.firstMDY ?? "")\")", .values) }
        if ev.ambiguous == 0 { return decided(.mdy, ev.iso > 0 && ev.iso >= ev.total - ev.unreadable ? "dates written year first" : "no date could be read two ways", .nothingAmbiguous) }
        if ev.dotted > 0 && ev.dotted + ev.iso >= ev.total - ev.unreadable { return decided(.dmy, "dates written with dots (dd.mm.yyyy)", .writing) }
        func sorted(_ o: DateOrder) -> Bool {
            let k = partsSeen.map { o == .dmy ? $0.2 * 400 + $0.1 * 32 + $0.0 : $0.2 * 400 + $0.0 * 32 + $0.1 }
            var up = true, down = true
            for i in k.indices.dropFirst() { if k[i] < k[i - 1] { up = false }; if k[i] > k[i - 1] { down = false } }
            return up || down
        }
        let d = sorted(.dmy), m = sorted(.mdy)
        if d != m { return decided(d ? .dmy : .mdy, "records are in date order only when read \(d ? "day" : "month")-first", .rowOrder) }
        sink.add(.error("qif.date-format", "cannot tell the date order: \"\(ev.firstAmbiguous ?? "")\" could be day-first or month-first, and no date in the file settles it",
                        at: SourceLocation(file: file, field: "D"), hint: ask))
        return nil
    }
}

import Foundation
