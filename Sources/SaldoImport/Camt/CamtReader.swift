import Foundation
import SaldoCore
import SaldoBatch
import SaldoXML

/// ISO 20022 cash management: camt.053 (statement), camt.052 (intraday report) and camt.054
/// (debit/credit notification), versions .001.02 to .001.08, read as a stream.
///
/// The message and version come from the document's namespace. A file may hold several
/// statements (`Stmt`/`Rpt`/`Ntfctn`) and accounts. Each entry (`Ntry`) is booked; a batch entry
/// (one `Ntry` with several `TxDtls`) is booked per transaction when their amounts add up to the
/// entry's. Charges the bank says it included in an amount (`ChrgInclInd` true) are booked to
/// `expenses:fees:<bank>`; entries the bank books as charges (`…/CHRG`) are fees themselves.
/// Reversals (`RvslInd`) reverse. An entry in another currency than the account's is booked in
/// the account's currency with the instructed amount at its price. The opening (`OPBD`, else
/// `PRCD`) and closing (`CLBD`) balances of each statement are checked against the ledger.
public enum CamtReader {
    static let namespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.05"
    static let title = "ISO 20022 camt bank statement"

    /// True when the first bytes hold a camt namespace (the root element's, before any entry).
    public static func looksLikeCamt(_ head: some Collection<UInt8>) -> Bool {
        let text = String(decoding: head.prefix(4096), as: UTF8.self)
        return text.contains(namespacePrefix + "2") || text.contains(namespacePrefix + "3") || text.contains(namespacePrefix + "4")
    }

    /// `camt.053.001.04` from the namespace, or nil.
    static func message(_ namespace: String) -> String? {
        guard namespace.hasPrefix("urn:iso:std:iso:20022:tech:xsd:") else { return nil }
        let m = String(namespace.dropFirst("urn:iso:std:iso:20022:tech:xsd:".count))
        let parts = m.split(separator: ".")
        guard parts.count == 4, parts[0] == "camt", ["052", "053", "054"].contains(parts[1]), parts[2] == "001" else { return nil }
        return m
    }

    struct Open {
        var statement: BankStatement
        var accountCurrency: CurrencyCode?
        var balances: [BankStatement.Stated] = []
        var bank: String?
        var account = ""
        var id: String?
    }

    static func read(_ data: Data, file: String, userRules: [CategoryRule], emitWhenRowsFailed: Bool,
                     emit: (TransactionBatch) -> Void) -> StatementReadResult {
        var result = StatementReadResult(file: file, profile: "camt", encoding: "UTF-8")
        var sink = DiagnosticSink()
        var found: String?
        var statements: [BankStatement] = []
        var open: Open?
        var index = 0
        var refused: Diagnostic?
        let containers: Set<String> = ["Stmt", "Rpt", "Ntfctn"]
        do throws(XMLParseError) {
            try StreamingXML.parse(data, file: file, capture: { name, depth in depth == 3 && open != nil }) { event in
                switch event {
                case .start(let name, let ns, let depth, let line):
                    if depth == 0 {
                        guard let m = CamtReader.message(ns), name == "Document" else {
                            refused = .error("camt.namespace", "expected an ISO 20022 camt.052, camt.053 or camt.054 document, found <\(name)> in the namespace \"\(ns)\"",
                                             at: SourceLocation(file: file, line: line), hint: "export the statement as camt.053 (or MT940, CSV) from the bank")
                            return false
                        }
                        found = m
                        let v = Int(m.suffix(2)) ?? 0
                        if !(2...8).contains(v) {
                            sink.add(Diagnostic(.note, code: "camt.version", "\(m) is a version Saldo was not tested with (.001.02 to .001.08); read as the nearest one",
                                                at: SourceLocation(file: file, line: line)))
                        }
                    } else if depth == 2 && containers.contains(name) {
                        open = Open(statement: BankStatement(institution: "", line: line, label: "statement on line \(line)"))
                    }
                case .end(let name, _, let depth):
                    if depth == 2 && containers.contains(name), var o = open {
                        o.statement.institution = BankAmount.institution(bank: o.bank, account: o.account)
                        if let id = o.id { o.statement.label = "statement \(id)" }
                        finishBalances(&o, file: file, sink: &sink)
                        statements.append(o.statement)
                        open = nil
                    }
                case .element(let e, _):
                    guard open != nil else { return true }
                    switch e.name {
                    case "Id": open!.id = e.trimmedText
                    case "Acct": account(e, &open!)
                    case "Bal": balance(e, &open!, file: file, sink: &sink)
                    case "Ntry": entry(e, &open!, index: &index, file: file, sink: &sink)
                    default: break
                    }
                }
                return true
            }
        } catch {
            result.problems = error.diagnostics
            return result
        }
        if let refused { result.problems = [refused]; return result }
        result.profile = found ?? "camt"
        if statements.isEmpty {
            sink.add(.error("camt.empty", "the document holds no statement (Stmt, Rpt or Ntfctn)", at: SourceLocation(file: file),
                            hint: "export a period that holds transactions"))
        }
        if found?.hasPrefix("camt.054") == true {
            sink.add(Diagnostic(.note, code: "camt.no-balances", "camt.054 notifications state no balances: the entries were booked, but there is no opening or closing balance to check the ledger against",
                                at: SourceLocation(file: file), hint: "import the account's camt.053 statement to have its balances checked"))
        }
        let failed = sink.items.contains { $0.severity == .error }
        BankBooking.book(statements, file: file, profileName: result.profile!, title: title, userRules: userRules, result: &result, sink: &sink) { b in
            if emitWhenRowsFailed || !failed { emit(b) }
        }
        result.problems = sink.finish(file: file)
        return result
    }

    // MARK: pieces of a statement

    static func text(_ e: XElement?, _ path: String...) -> String? {
        var cur = e
        for p in path { cur = cur?.children.first { $0.name == p } }
        guard let t = cur?.trimmedText, !t.isEmpty else { return nil }
        return t
    }

    static func node(_ e: XElement?, _ path: String...) -> XElement? {
        var cur = e
        for p in path { cur = cur?.children.first { $0.name == p } }
        return cur
    }

    static func account(_ e: XElement, _ o: inout Open) {
        o.account = text(e, "Id", "IBAN") ?? text(e, "Id", "Othr", "Id") ?? ""
        if let c = text(e, "Ccy"), let cc = try? CurrencyCode(c) { o.accountCurrency = cc; o.statement.currency = cc }
        // ISO 20022 cash account type `CARD`: a card account, whose balance is money owed.
        if text(e, "Tp", "Cd") == "CARD" { o.statement.card = true }
        let fi = node(e, "Svcr", "FinInstnId")
        let bic = text(fi, "BICFI") ?? text(fi, "BIC")
        if let b = bic, b.count >= 4, let known = BankAmount.bicNames[String(b.prefix(4)).uppercased()] { o.bank = known }
        else if let n = text(fi, "Nm") { o.bank = n }
        else if let b = bic { o.bank = String(b.prefix(4)) }
    }

    static func balance(_ e: XElement, _ o: inout Open, file: String, sink: inout DiagnosticSink) {
        let code = text(e, "Tp", "CdOrPrtry", "Cd") ?? text(e, "Tp", "CdOrPrtry", "Prtry") ?? "?"
        guard let amt = node(e, "Amt"), let c = amt.attribute("Ccy"), let cur = try? CurrencyCode(c),
              let v = BankAmount.minorUnits(amt.trimmedText, exponent: cur.exponent) else {
            sink.add(.error("camt.amount", "expected a balance amount with its currency (<Amt Ccy=\"EUR\">123.45</Amt>), found \"\(text(e, "Amt") ?? "")\"",
                            at: SourceLocation(file: file, line: e.line, field: "Bal/Amt"), hint: "the file may be damaged; export it again"))
            return
        }
        let sign: Int64 = text(e, "CdtDbtInd") == "DBIT" ? -1 : 1
        let day = (text(e, "Dt", "Dt") ?? text(e, "Dt", "DtTm")).flatMap { Day(iso: $0) }
        o.balances.append(BankStatement.Stated(amount: sign * v, currency: cur, line: e.line, day: day, code: code))
        if o.accountCurrency == nil { o.accountCurrency = cur }
    }

    static func finishBalances(_ o: inout Open, file: String, sink: inout DiagnosticSink) {
        o.statement.opening = o.balances.first { $0.code == "OPBD" } ?? o.balances.first { $0.code == "PRCD" }
        o.statement.closing = o.balances.first { $0.code == "CLBD" }
        if o.statement.opening != nil && o.statement.closing == nil {
            sink.add(Diagnostic(.note, code: "camt.no-closing", "the \(o.statement.label) states an opening balance but no booked closing balance (CLBD): its entries could not be checked",
                                at: SourceLocation(file: file, line: o.statement.line)))
        } else if o.statement.closing != nil && o.statement.opening == nil {
            sink.add(Diagnostic(.note, code: "camt.no-opening", "the \(o.statement.label) states a closing balance but no opening one (OPBD or PRCD): its entries could not be checked",
                                at: SourceLocation(file: file, line: o.statement.line)))
        } else if o.statement.closing == nil && !o.balances.isEmpty {
            let codes = o.balances.map(\.code).joined(separator: ", ")
            sink.add(Diagnostic(.note, code: "camt.no-balances", "the \(o.statement.label) states only \(codes) balances, no opening and booked closing balance: its entries could not be checked",
                                at: SourceLocation(file: file, line: o.statement.line)))
        }
    }

    /// An amount of `e` (its `Amt`, else `AmtDtls/TxAmt/Amt`) in the account's currency when the
    /// bank states one (`AmtDtls`), with the amount in the other currency as its price.
    static func amount(_ e: XElement, accountCurrency: CurrencyCode?) -> (value: Int64, currency: CurrencyCode, foreign: Money?)? {
        guard let a = node(e, "Amt") ?? node(e, "AmtDtls", "TxAmt", "Amt"), let c = a.attribute("Ccy"), let cur = try? CurrencyCode(c),
              let v = BankAmount.minorUnits(a.trimmedText, exponent: cur.exponent) else { return nil }
        guard let acct = accountCurrency, acct.code != cur.code else { return (v, cur, nil) }
        if let details = node(e, "AmtDtls") {
            for kind in ["InstdAmt", "TxAmt", "CntrValAmt", "AnncdPstngAmt"] {
                guard let x = node(details, kind, "Amt"), x.attribute("Ccy") == acct.code,
                      let w = BankAmount.minorUnits(x.trimmedText, exponent: acct.exponent) else { continue }
                return (w, acct, Money(minorUnits: v, currency: cur))
            }
        }
        return (v, cur, nil)
    }

    /// Charges the bank included in the amount (`ChrgInclInd` true), signed as they move the
    /// holder's money (a charge is negative), in `currency`.
    static func includedCharges(_ e: XElement?, currency: CurrencyCode) -> Int64 {
        guard let chrgs = node(e, "Chrgs") else { return 0 }
        var total: Int64 = 0
        for r in chrgs.children where r.name == "Rcrd" {
            guard text(r, "ChrgInclInd") == "true" || text(r, "ChrgInclInd") == "1",
                  let a = node(r, "Amt"), a.attribute("Ccy") == currency.code,
                  let v = BankAmount.minorUnits(a.trimmedText, exponent: currency.exponent) else { continue }
            total &+= text(r, "CdtDbtInd") == "CRDT" ? v : -v
        }
        return total
    }

    static func party(_ e: XElement?, _ role: String) -> String? {
        let p = node(e, "RltdPties", role)
        return text(p, "Nm") ?? text(p, "Pty", "Nm")
    }

    static func entry(_ e: XElement, _ o: inout Open, index: inout Int, file: String, sink: inout DiagnosticSink) {
        func bad(_ field: String, _ expected: String, _ found: String) {
            sink.add(.error("camt.field", "entry: expected \(expected), found \"\(found)\"", at: SourceLocation(file: file, line: e.line, field: field),
                            hint: "the file may be damaged or cut; export the statement again", arguments: ["expected": expected, "found": found]))
        }
        guard let (value, cur, foreign) = amount(e, accountCurrency: o.accountCurrency) else {
            bad("Ntry/Amt", "an amount with its currency (<Amt Ccy=\"EUR\">12.50</Amt>)", text(e, "Amt") ?? ""); return
        }
        let cdi = text(e, "CdtDbtInd") ?? ""
        guard cdi == "CRDT" || cdi == "DBIT" else { bad("Ntry/CdtDbtInd", "CRDT or DBIT", cdi); return }
        let dateText = text(e, "BookgDt", "Dt") ?? text(e, "BookgDt", "DtTm") ?? text(e, "ValDt", "Dt") ?? text(e, "ValDt", "DtTm")
        guard let dt = dateText, let day = Day(iso: dt) else { bad("Ntry/BookgDt", "a booking date (YYYY-MM-DD)", dateText ?? ""); return }
        var seconds = -1
        if dt.count >= 19, let h = Int(dt.dropFirst(11).prefix(2)), let m = Int(dt.dropFirst(14).prefix(2)), let s = Int(dt.dropFirst(17).prefix(2)) {
            seconds = h * 3600 + m * 60 + s
        }
        let reversal = text(e, "RvslInd") == "true" || text(e, "RvslInd") == "1"
        let status = text(e, "Sts", "Cd") ?? text(e, "Sts") ?? "BOOK"
        let sub = text(e, "BkTxCd", "Domn", "Fmly", "SubFmlyCd")
        let isCharge = sub == "CHRG" || sub == "COMM"
        let entryRef = text(e, "AcctSvcrRef") ?? text(e, "NtryRef")
        let sign: Int64 = cdi == "DBIT" ? -1 : 1
        let txs = (e.children.filter { $0.name == "NtryDtls" }).flatMap { $0.children.filter { $0.name == "TxDtls" } }

        // A batch is booked per transaction when the transactions' amounts add up to the entry's.
        var parts: [(tx: XElement?, net: Int64, currency: CurrencyCode, foreign: Money?)] = []
        /// The entry-level charges included in a batch's amount, booked on their own when the batch is split.
        var batchFee: Int64 = 0
        if txs.count > 1 {
            var sum: Int64 = 0
            var complete = true
            for tx in txs {
                guard let (v, c, f) = amount(tx, accountCurrency: o.accountCurrency), c.code == cur.code else { complete = false; break }
                let s: Int64 = (text(tx, "CdtDbtInd") ?? cdi) == "DBIT" ? -1 : 1
                parts.append((tx, s * v, c, f.map { Money(minorUnits: s * $0.minorUnits, currency: $0.currency) }))
                sum &+= s * v
            }
            // Charges stated for the whole entry: those the bank says it included in the entry's
            // amount (`ChrgInclInd` true; before .04, which has no indicator, when the arithmetic
            // says so) are the difference between the entry and its transactions, booked as a fee.
            let entryCharges = entryLevelCharges(e, currency: cur)
            if complete && sum != sign * value {
                if sum &+ entryCharges.included == sign * value && entryCharges.included != 0 {
                    batchFee = entryCharges.included
                } else if entryCharges.included == 0 && entryCharges.undeclared != 0 && sum &+ entryCharges.undeclared == sign * value {
                    batchFee = entryCharges.undeclared
                }
            }
            if entryCharges.notIncluded != 0, let chrgs = node(e, "Chrgs") {
                let n = entryCharges.notIncluded
                sink.add(Diagnostic(.note, code: "camt.charges", "the batch entry states charges of \(Money(minorUnits: -n, currency: cur)) that it did not include in its amount (ChrgInclInd false): kept as information, not booked",
                                    at: SourceLocation(file: file, line: chrgs.line, field: "Ntry/Chrgs")))
            }
            if !complete || sum &+ batchFee != sign * value {
                let m = Money(minorUnits: sign * value, currency: cur)
                sink.add(.warning("camt.batch", complete
                    ? "the batch entry of \(m) holds \(txs.count) transactions that add up to \(Money(minorUnits: sum, currency: cur)): booked as one entry"
                    : "the batch entry of \(m) holds \(txs.count) transactions, not all with an amount in \(cur.code): booked as one entry",
                    at: SourceLocation(file: file, line: e.line, field: "Ntry/NtryDtls"),
                    hint: "the entry's amount is what moved the balance; ask the bank about the transaction details if the split matters"))
                parts = [(nil, sign * value, cur, foreign.map { Money(minorUnits: sign * $0.minorUnits, currency: $0.currency) })]
                batchFee = 0
            }
        } else {
            parts = [(txs.first, sign * value, cur, foreign.map { Money(minorUnits: sign * $0.minorUnits, currency: $0.currency) })]
        }
        let split = parts.count > 1
        for (k, p) in parts.enumerated() {
            let tx = p.tx
            let originalCredit = (cdi == "CRDT") != reversal
            let name = originalCredit ? (party(tx, "Dbtr") ?? party(tx, "UltmtDbtr") ?? party(tx, "Cdtr"))
                                      : (party(tx, "Cdtr") ?? party(tx, "UltmtCdtr") ?? party(tx, "Dbtr"))
            var words: [String] = []
            if reversal { words.append("Reversal" + (text(tx, "RtrInf", "Rsn", "Cd").map { " (\($0))" } ?? "") + ":") }
            if let rmt = node(tx, "RmtInf") {
                for c in rmt.children where c.name == "Ustrd" { let t = c.trimmedText; if !t.isEmpty { words.append(t) } }
                for s in rmt.children where s.name == "Strd" {
                    if let r = text(s, "CdtrRefInf", "Ref") { words.append(r) }
                    for a in s.children where a.name == "AddtlRmtInf" { let t = a.trimmedText; if !t.isEmpty { words.append(t) } }
                }
            }
            if let a = text(tx, "AddtlTxInf") { words.append(a) } else if let a = text(e, "AddtlNtryInf") { words.append(a) }
            let txRef = text(tx, "Refs", "AcctSvcrRef")
            let id: String? = split ? (txRef ?? entryRef.map { "\($0)/\(k + 1)" }) : (entryRef ?? txRef)
            let charges = isCharge ? 0 : (split || tx != nil && node(tx, "Chrgs") != nil ? includedCharges(tx, currency: p.currency) : includedCharges(e, currency: p.currency))
            var m = Movement(index: index, line: tx?.line ?? e.line, day: day, seconds: seconds, timestamp: dt, timeZone: nil,
                             currency: p.currency, gross: p.net &- charges, fee: charges, net: p.net, balance: nil,
                             cls: reversal ? .refund : isCharge ? .fee : (p.net >= 0 ? .earning : .expense),
                             id: id, ref: nil, name: name, description: words.joined(separator: " "), filtered: nil, affectsBalance: true)
            if let f = p.foreign { m.counter = f; m.gross = p.net; m.fee = 0 }
            if id == nil { m.extra = text(tx, "Refs", "EndToEndId") ?? text(e, "NtryRef") }
            if status != "BOOK" {
                m.filtered = LocalizedText("filter.not_booked_yet", ["status": "\(status)"]).english
                m.affectsBalance = false
            }
            index += 1
            o.statement.movements.append(m)
        }
        if split && batchFee != 0 {
            // The charges the bank took from the batch as a whole: a fee of the bank, so that the
            // account still moves by the entry's amount.
            var m = Movement(index: index, line: node(e, "Chrgs")?.line ?? e.line, day: day, seconds: seconds, timestamp: dt, timeZone: nil,
                             currency: cur, gross: batchFee, fee: 0, net: batchFee, balance: nil, cls: .fee,
                             id: entryRef.map { "\($0)/charges" }, ref: nil, name: nil,
                             description: "Charges on the batch entry" + (entryRef.map { " \($0)" } ?? ""), filtered: nil, affectsBalance: true)
            if entryRef == nil { m.extra = "charges" }
            if status != "BOOK" {
                m.filtered = LocalizedText("filter.not_booked_yet", ["status": "\(status)"]).english
                m.affectsBalance = false
            }
            index += 1
            o.statement.movements.append(m)
        }
    }

    /// Charges stated at entry level (`Ntry/Chrgs`), signed as they move the holder's money (a
    /// charge is negative), in `currency`: those marked included in the entry's amount
    /// (`Rcrd/ChrgInclInd` true, .04 and later), those marked not included, and those with no
    /// indicator at all (the .02/.03 layout, `Chrgs/Amt` with no `Rcrd`).
    static func entryLevelCharges(_ e: XElement, currency: CurrencyCode) -> (included: Int64, notIncluded: Int64, undeclared: Int64) {
        var included: Int64 = 0, notIncluded: Int64 = 0, undeclared: Int64 = 0
        func signed(_ r: XElement) -> Int64? {
            guard let a = node(r, "Amt"), a.attribute("Ccy") == currency.code,
                  let v = BankAmount.minorUnits(a.trimmedText, exponent: currency.exponent) else { return nil }
            return text(r, "CdtDbtInd") == "CRDT" ? v : -v
        }
        for chrgs in e.children where chrgs.name == "Chrgs" {
            let records = chrgs.children.filter { $0.name == "Rcrd" }
            if records.isEmpty {
                if let v = signed(chrgs) { undeclared &+= v }
                continue
            }
            for r in records {
                guard let v = signed(r) else { continue }
                switch text(r, "ChrgInclInd") {
                case "true", "1": included &+= v
                case "false", "0": notIncluded &+= v
                default: undeclared &+= v
                }
            }
        }
        return (included, notIncluded, undeclared)
    }
}
