import SaldoCore
import SaldoBatch

/// One account's statement inside a bank file (a camt `Stmt`/`Rpt`/`Ntfctn`, an OFX `STMTRS`):
/// its rows and the balances it states, checked against the ledger once booked.
struct BankStatement {
    /// `PostFinance 0342`: the bank and the account's last four characters (as Norma 43 names it).
    var institution: String
    /// The account's currency, when known.
    var currency: CurrencyCode?
    /// A balance the statement states, with where.
    struct Stated { var amount: Int64; var currency: CurrencyCode; var line: Int; var day: Day?; var code: String }
    var opening: Stated?
    var closing: Stated?
    var movements: [Movement] = []
    /// Line of the statement's start (for messages).
    var line: Int
    /// `statement 20160430375204000008574` or `account 9100`, for messages.
    var label: String
    /// A credit card's statement (OFX `CCSTMTRS`, a camt account of type `CARD`): booked on
    /// `liabilities:<issuer>-<last4>`.
    var card = false
}

/// Books the statements of a bank file (camt, OFX) and checks each one's stated balances
/// against what the ledger holds, exactly as Norma 43 does: opening + the ledger's change =
/// closing, per statement and currency.
enum BankBooking {
    /// Books every statement; one ``Booker`` per account, so that the occurrence count of a
    /// dedup key spans the whole file. Hands batches to `emit`.
    static func book(_ statements: [BankStatement], file: String, profileName: String, title: String, userRules: [CategoryRule],
                     result: inout StatementReadResult, sink: inout DiagnosticSink, emit: (TransactionBatch) -> Void) {
        // Group statements by account, in order of first appearance.
        var order: [String] = []
        var groups: [String: [Int]] = [:]
        for (k, st) in statements.enumerated() {
            if groups[st.institution] == nil { order.append(st.institution) }
            groups[st.institution, default: []].append(k)
        }
        // One builder for the whole file: its tables only grow within the file, as the ledger
        // writer's caches (index -> account id) assume.
        var builder = TransactionBatchBuilder(sourceFile: file)
        for inst in order {
            let members = groups[inst]!
            var ms: [Movement] = []
            var ranges: [Range<Int>] = []
            for k in members {
                let start = ms.count
                ms.append(contentsOf: statements[k].movements)
                ranges.append(start..<ms.count)
            }
            let card = members.contains { statements[$0].card }
            let profile = StatementProfile(name: profileName, title: title, institution: inst, columns: [], amountModel: .amountIncludingFee, uniqueIDs: false, card: card)
            var booker = Booker(file: file, profile: profile, userRules: userRules, balanceField: nil, sink: sink, builder: builder)
            let out = booker.book(&ms, emit: emit)
            builder = booker.batch
            sink = booker.sink
            result.filtered.append(contentsOf: out.filtered)
            result.rowCount += ms.count
            let acct = Booker.holding(profile)
            for (k, range) in zip(members, ranges) {
                check(statements[k], booked: out.bookedPerRow.isEmpty ? [] : Array(out.bookedPerRow[range]), movements: statements[k].movements,
                      account: acct, file: file, result: &result, sink: &sink)
            }
        }
    }

    static func check(_ st: BankStatement, booked: [Int64], movements: [Movement], account: Account, file: String,
                      result: inout StatementReadResult, sink: inout DiagnosticSink) {
        guard let closing = st.closing else { return }
        guard let opening = st.opening else { return }
        let cur = closing.currency
        func money(_ v: Int64) -> Money { Money(minorUnits: v, currency: cur) }
        if opening.currency.code != cur.code {
            sink.add(.warning("import.balance", "the opening balance (line \(opening.line)) is in \(opening.currency.code) but the closing balance in \(cur.code): the \(st.label) cannot be checked",
                              at: SourceLocation(file: file, line: closing.line, field: closing.code), hint: "the bank's file mixes currencies in its balances; check it with the bank"))
            return
        }
        var change: Int64 = 0
        for (i, m) in movements.enumerated() where i < booked.count && m.currency.code == cur.code { change &+= booked[i] }
        let computed = opening.amount &+ change
        let at = SourceLocation(file: file, line: closing.line, field: closing.code)
        let last = closing.day ?? movements.map(\.day).max() ?? opening.day ?? Day(year: 2000, month: 1, day: 1)!
        result.balanceChecks.append(BalanceCheck(account: account, date: last, stated: Money(minorUnits: closing.amount, currency: cur),
                                                 computed: Money(minorUnits: computed, currency: cur), location: at))
        result.balances.checked += 1
        result.balances.currencies.append(BalanceSummary.Currency(opening: Money(minorUnits: opening.amount, currency: cur),
                                                                  closing: Money(minorUnits: closing.amount, currency: cur),
                                                                  ledgerChange: Money(minorUnits: change, currency: cur)))
        if computed != closing.amount {
            result.balances.closingBreaks += 1
            let text = BalanceBreak.closing(label: st.label, stated: money(closing.amount), statedCode: closing.code,
                                            opening: money(opening.amount), openingCode: opening.code, openingLine: opening.line,
                                            entries: movements.count, ledger: money(computed), closingLine: closing.line,
                                            difference: Money(minorUnits: closing.amount &- computed, currency: cur))
            sink.add(.warning("import.balance", text.english, at: at, hint: "an entry may be missing from the file or altered; ask the bank for the complete statement",
                              arguments: text.arguments))
        }
    }
}

/// Decimal amounts as banks write them (`1234.56`, `-80`, `+5.00`, `1234,56` in some OFX files):
/// minor units of a currency with `exponent` decimals, or nil.
enum BankAmount {
    static func minorUnits(_ text: String, exponent: Int) -> Int64? {
        var neg = false, seenDigit = false, decimals = -1
        var v: Int64 = 0
        var started = false
        let u = text.utf8
        func visible(_ x: UInt8) -> Bool { x != 32 && x != 9 && x != 10 && x != 13 }
        guard let f = u.firstIndex(where: visible), let l = u.lastIndex(where: visible) else { return nil }
        for b in u[f...l] {
            switch b {
            case 0x2D, 0x2B:   // - +
                if started { return nil }
                neg = b == 0x2D; started = true
            case 0x2E, 0x2C:   // . ,
                if decimals >= 0 { return nil }
                decimals = 0; started = true
            case 0x30...0x39:
                started = true; seenDigit = true
                let d = Int64(b &- 48)
                if decimals >= 0 {
                    decimals += 1
                    if decimals > exponent { if d != 0 { return nil }; continue }
                }
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(d)
                if o1 || o2 { return nil }
                v = a
            default: return nil
            }
        }
        guard seenDigit else { return nil }
        let have = max(0, min(decimals, exponent))
        for _ in have..<exponent {
            let (m, o) = v.multipliedReportingOverflow(by: 10)
            if o { return nil }
            v = m
        }
        return neg ? -v : v
    }

    /// Known bank codes (the first four letters of a BIC) and the names Saldo gives their accounts.
    static let bicNames: [String: String] = [
        "POFI": "PostFinance", "UBSW": "UBS", "CRES": "Credit Suisse", "ZKBK": "ZKB", "RAIF": "Raiffeisen", "ABNA": "ABN AMRO",
        "INGB": "ING", "INGD": "ING", "RABO": "Rabobank", "DEUT": "Deutsche Bank", "COBA": "Commerzbank", "GENO": "VR-Bank",
        "BBVA": "BBVA", "CAIX": "CaixaBank", "BSCH": "Santander", "BKBK": "Bankinter", "BSAB": "Sabadell", "TRWI": "Wise",
        "REVO": "Revolut", "NTSB": "N26", "BNPA": "BNP Paribas", "SOGE": "Societe Generale", "KRED": "KBC", "GEBA": "BNP Paribas Fortis",
        "HSBC": "HSBC", "BARC": "Barclays", "NWBK": "NatWest", "LOYD": "Lloyds", "BUNQ": "bunq", "HELA": "Helaba", "SPKH": "Sparkasse",
    ]

    /// `PostFinance 0342`: the bank's short name and the account's last four letters or digits.
    static func institution(bank: String?, account: String) -> String {
        let tail = String(account.filter { $0.isLetter || $0.isNumber }.suffix(4))
        let name = (bank?.isEmpty == false ? bank! : "Bank")
        return tail.isEmpty ? name : "\(name) \(tail)"
    }
}
