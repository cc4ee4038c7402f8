import Foundation
import SaldoCore
import SaldoBatch
import SaldoXML

/// OFX and QFX (Quicken) statements: 1.x SGML (a `KEY:VALUE` header block, leaf elements without
/// closing tags, any `CHARSET`) and 2.x XML. Bank (`STMTRS`) and credit-card (`CCSTMTRS`)
/// statements, several per file, each transaction list (`BANKTRANLIST`, which may repeat) read.
///
/// `FITID` is the transaction's id for dedup. OFX states no opening balance: `LEDGERBAL` is the
/// closing balance, and subtracting the listed transactions from it would check nothing, so the
/// result says what was checked instead.
public enum OFXReader {
    public static let profileName = "ofx"
    static let title = "OFX / QFX statement"

    /// True when the first bytes are an OFX header (`OFXHEADER:`, or `<?OFX` after an XML
    /// declaration) or an `<OFX>` root.
    public static func looksLikeOFX(_ head: some Collection<UInt8>) -> Bool {
        var bytes = Array(head.prefix(4096))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let text = String(decoding: bytes, as: UTF8.self)
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.hasPrefix("OFXHEADER:") { return true }
        let upper = text.uppercased()
        return (trimmed.hasPrefix("<?xml") || trimmed.hasPrefix("<")) && (upper.contains("<?OFX ") || upper.contains("<OFX>"))
    }

    /// Aggregates of the OFX banking and credit-card messages: an opening tag of one of these
    /// opens an element that has children; any other tag with no text is an empty leaf.
    static let aggregates: Set<String> = [
        "OFX", "SIGNONMSGSRSV1", "SONRS", "STATUS", "FI", "BANKMSGSRSV1", "STMTTRNRS", "STMTRS", "BANKACCTFROM", "BANKACCTTO",
        "BANKTRANLIST", "STMTTRN", "LEDGERBAL", "AVAILBAL", "BALLIST", "BAL", "CURRENCY", "ORIGCURRENCY", "PAYEE", "CCACCTFROM",
        "CCACCTTO", "CREDITCARDMSGSRSV1", "CCSTMTTRNRS", "CCSTMTRS", "CCSTMTENDTRNRS", "STMTENDTRNRS", "SIGNUPMSGSRSV1",
        "INVSTMTMSGSRSV1", "INVSTMTTRNRS", "INVSTMTRS", "INVACCTFROM", "INVTRANLIST", "MKTGINFO", "EXTBANKACCTTO", "IMAGEDATA",
    ]

    static func read(_ data: Data, file: String, userRules: [CategoryRule], emitWhenRowsFailed: Bool,
                     emit: (TransactionBatch) -> Void) -> StatementReadResult {
        var result = StatementReadResult(file: file, profile: profileName)
        var sink = DiagnosticSink()
        let bytes = [UInt8](data)
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count, bytes[start] == 32 || bytes[start] == 9 || bytes[start] == 10 || bytes[start] == 13 { start += 1 }
        let root: XElement
        if bytes[start...].starts(with: Array("<?xml".utf8)) || bytes[start...].starts(with: Array("<?XML".utf8)) {
            result.encoding = "UTF-8"
            result.profile = "ofx-2"
            switch xmlTree(data, file: file) {
            case .success(let r): root = r
            case .failure(let e):
                // Some banks write an OFX 2 XML header over an SGML body (leaf tags left open):
                // such a file is read as SGML. Anything the safe XML layer refused stays refused.
                let refusal = ["xml.doctype", "xml.external", "xml.entity", "xml.depth", "xml.text", "xml.attribute", "xml.size", "xml.encoding"]
                if refusal.contains(e.code) { result.problems = e.diagnostics; return result }
                guard let body = bytes[start...].firstRange(of: Array("?>".utf8)).map({ $0.upperBound }),
                      let ofx = findOFXStart(bytes, from: body) else { result.problems = e.diagnostics; return result }
                switch sgmlTree(Array(bytes[ofx...]), lineOffset: lineCount(bytes, upTo: ofx), file: file) {
                case .success(let r):
                    root = r
                    sink.add(Diagnostic(.note, code: "ofx.sgml-body", "the file declares OFX 2 (XML) but its elements are written the OFX 1 way (leaf tags not closed): read as OFX 1",
                                        at: SourceLocation(file: file, line: e.diagnostics.first?.location?.line)))
                case .failure(let d): result.problems = [d]; return result
                }
            }
        } else {
            result.profile = "ofx-1"
            let (header, bodyStart) = sgmlHeader(bytes, from: start)
            let charset = (header["CHARSET"] ?? "").uppercased(), encoding = (header["ENCODING"] ?? "").uppercased()
            guard let ofx = findOFXStart(bytes, from: bodyStart) else {
                result.problems = [.error("ofx.structure", "expected an <OFX> element after the header, found none", at: SourceLocation(file: file),
                                          hint: "the file is not an OFX statement or is cut short; export it again")]
                return result
            }
            var body = Array(bytes[ofx...])
            let validUTF8 = String(validating: body, as: UTF8.self) != nil
            if encoding == "UTF-8" || charset == "UTF-8" || (validUTF8 && !["1252", "ISO-8859-1", "8859-1", "WINDOWS-1252"].contains(charset)) {
                if !validUTF8 {
                    body = TextDecoding.windows1252ToUTF8(body)
                    sink.add(.warning("ofx.encoding", "the header says UTF-8 but the file is not valid UTF-8: read as Windows-1252", at: SourceLocation(file: file),
                                      hint: "check the payee names; export the statement again if they look wrong"))
                    result.encoding = "Windows-1252"
                } else { result.encoding = "UTF-8" }
            } else {
                body = TextDecoding.windows1252ToUTF8(body)
                result.encoding = "Windows-1252"
            }
            switch sgmlTree(body, lineOffset: lineCount(bytes, upTo: ofx), file: file) {
            case .success(let r): root = r
            case .failure(let d): result.problems = [d]; return result
            }
        }
        let statements = statements(root, file: file, sink: &sink)
        if statements.isEmpty {
            sink.add(.error("ofx.empty", "the file holds no bank or credit-card statement (STMTRS or CCSTMTRS)", at: SourceLocation(file: file),
                            hint: "export the account's transactions as OFX or QFX (investment statements are not read)"))
        }
        let failed = sink.items.contains { $0.severity == .error }
        BankBooking.book(statements, file: file, profileName: result.profile!, title: title, userRules: userRules, result: &result, sink: &sink) { b in
            if emitWhenRowsFailed || !failed { emit(b) }
        }
        result.problems = sink.finish(file: file)
        return result
    }

    static func lineCount(_ b: [UInt8], upTo end: Int) -> Int {
        var n = 0
        for i in 0..<min(end, b.count) where b[i] == 10 { n += 1 }
        return n
    }

    static func findOFXStart(_ b: [UInt8], from: Int) -> Int? {
        let tag = Array("<OFX>".utf8), lower = Array("<ofx>".utf8)
        var i = from
        while i + 5 <= b.count {
            if b[i] == UInt8(ascii: "<"), b[i..<i + 5].elementsEqual(tag) || b[i..<i + 5].elementsEqual(lower) { return i }
            i += 1
        }
        return nil
    }

    /// `OFXHEADER:100`, `CHARSET:1252`…: the header lines before the first `<`.
    static func sgmlHeader(_ b: [UInt8], from: Int) -> ([String: String], Int) {
        var out: [String: String] = [:]
        var i = from
        while i < b.count, b[i] != UInt8(ascii: "<") {
            var j = i
            while j < b.count, b[j] != 10, b[j] != 13, b[j] != UInt8(ascii: "<") { j += 1 }
            let line = String(decoding: b[i..<j], as: UTF8.self)
            if let c = line.firstIndex(of: ":") {
                out[line[..<c].trimmingCharacters(in: .whitespaces).uppercased()] = line[line.index(after: c)...].trimmingCharacters(in: .whitespaces)
            }
            i = j
            while i < b.count, b[i] == 10 || b[i] == 13 || b[i] == 32 || b[i] == 9 { i += 1 }
        }
        return (out, i)
    }

    /// OFX 2: the whole document through the safe XML layer (small files; statements are
    /// captured whole).
    static func xmlTree(_ data: Data, file: String) -> Result<XElement, XMLParseError> {
        var root: XElement?
        var stack: [(String, Int, [XElement])] = []
        do throws(XMLParseError) {
            let limits = XMLStreamLimits(maxBytes: 512 * 1024 * 1024)
            try StreamingXML.parse(data, file: file, limits: limits, capture: { name, _ in name == "STMTRS" || name == "CCSTMTRS" || name == "SONRS" }) { ev in
                switch ev {
                case .start(let n, _, _, let line): stack.append((n, line, []))
                case .end:
                    let (n, line, children) = stack.removeLast()
                    let e = XElement(name: n, children: children, line: line)
                    if stack.isEmpty { root = e } else { stack[stack.count - 1].2.append(e) }
                case .element(let e, _):
                    if stack.isEmpty { root = e } else { stack[stack.count - 1].2.append(e) }
                }
                return true
            }
        } catch { return .failure(error) }
        guard let root else { return .failure(XMLParseError([.error("xml.malformed", "no root element", at: SourceLocation(file: file))])) }
        return .success(root)
    }

    /// OFX 1: a small tokenizer. `<TAG>` followed by text is a leaf (its closing tag is optional);
    /// `<TAG>` of an aggregate opens it until `</TAG>`; entities `&amp; &lt; &gt; &quot; &apos;` and
    /// `&#NN;` are decoded, nothing else is (no DTD, no external anything). Limits: 64 levels,
    /// 1 MiB of text per element; the file must close `</OFX>`.
    static func sgmlTree(_ b: [UInt8], lineOffset: Int, file: String) -> Result<XElement, Diagnostic> {
        struct Open { var name: String; var line: Int; var children: [XElement] }
        var stack: [Open] = []
        var root: XElement?
        var line = lineOffset + 1
        var i = 0
        var lastLeaf: String?
        let maxDepth = 64, maxText = 1 << 20
        func err(_ code: String, _ msg: String, _ hint: String) -> Diagnostic {
            .error(code, msg, at: SourceLocation(file: file, line: line), hint: hint)
        }
        func close(_ o: Open) {
            let e = XElement(name: o.name, children: o.children, line: o.line)
            if stack.isEmpty { root = e } else { stack[stack.count - 1].children.append(e) }
        }
        while i < b.count {
            let c = b[i]
            if c == 10 { line += 1; i += 1; continue }
            if c != UInt8(ascii: "<") { i += 1; continue }
            // A tag.
            var j = i + 1
            while j < b.count, b[j] != UInt8(ascii: ">") {
                if b[j] == UInt8(ascii: "<") || b[j] == 10 || j - i > 200 { return .failure(err("ofx.syntax", "a tag that does not close with '>'", "the file is damaged; export it again")) }
                j += 1
            }
            guard j < b.count else { return .failure(err("ofx.truncated", "the file ends inside a tag", "the file is cut short; export it again")) }
            var tag = String(decoding: b[(i + 1)..<j], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            i = j + 1
            if tag.hasPrefix("!") || tag.hasPrefix("?") { continue }   // comments and declarations are skipped
            if tag.hasPrefix("/") {
                tag = String(tag.dropFirst()).uppercased()
                if lastLeaf == tag { lastLeaf = nil; continue }
                lastLeaf = nil
                guard let k = stack.lastIndex(where: { $0.name == tag }) else { continue }
                while stack.count > k + 1 { close(stack.removeLast()) }
                close(stack.removeLast())
                if stack.isEmpty { break }
                continue
            }
            let name = tag.split(separator: " ").first.map(String.init)?.uppercased() ?? tag.uppercased()
            // The text up to the next tag.
            var k = i
            while k < b.count, b[k] != UInt8(ascii: "<") { k += 1 }
            if k - i > maxText { return .failure(err("ofx.text", "the text of <\(name)> is longer than \(maxText) bytes", "no OFX field holds so much text; the file is damaged or hostile")) }
            let raw = b[i..<k]
            let isSpace = raw.allSatisfy { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }
            if isSpace && aggregates.contains(name) {
                if stack.count >= maxDepth { return .failure(err("ofx.depth", "elements are nested deeper than \(maxDepth) levels", "OFX statements are less than 10 levels deep; the file is damaged or hostile")) }
                stack.append(Open(name: name, line: line, children: []))
                lastLeaf = nil
                continue
            }
            guard !stack.isEmpty else { return .failure(err("ofx.structure", "a value <\(name)> outside the <OFX> element", "the file is damaged; export it again")) }
            let text = isSpace ? "" : decodeEntities(String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            stack[stack.count - 1].children.append(XElement(name: name, text: text, line: line))
            lastLeaf = name
            for x in raw where x == 10 { line += 1 }
            i = k
        }
        guard let root, stack.isEmpty else {
            return .failure(.error("ofx.truncated", "the file ends before </\(stack.first?.name ?? "OFX")> closes the statement", at: SourceLocation(file: file, line: line),
                                   hint: "the file is cut short; export it again"))
        }
        return .success(root)
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[amp...]
            if let semi = after.prefix(10).firstIndex(of: ";") {
                let ent = after[after.index(after: amp)..<semi]
                var rep: String?
                switch ent {
                case "amp": rep = "&"
                case "lt": rep = "<"
                case "gt": rep = ">"
                case "quot": rep = "\""
                case "apos": rep = "'"
                case "nbsp": rep = " "
                default:
                    if ent.hasPrefix("#x"), let v = UInt32(ent.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) { rep = String(Character(u)) }
                    else if ent.hasPrefix("#"), let v = UInt32(ent.dropFirst()), let u = Unicode.Scalar(v) { rep = String(Character(u)) }
                }
                if let rep { out += rep; rest = after[after.index(after: semi)...]; continue }
            }
            out += "&"
            rest = after.dropFirst()
        }
        out += rest
        return out
    }

    // MARK: statements

    static func find(_ e: XElement, _ name: String, into out: inout [XElement]) {
        for c in e.children { if c.name == name { out.append(c) } else { find(c, name, into: &out) } }
    }

    static func text(_ e: XElement?, _ path: String...) -> String? {
        var cur = e
        for p in path { cur = cur?.children.first { $0.name == p } }
        guard let t = cur?.trimmedText, !t.isEmpty else { return nil }
        return t
    }

    /// `20050531120000.000[-5:EST]`: the day as written, seconds since midnight, the zone.
    static func date(_ s: String) -> (Day, Int, String?)? {
        let digits = s.prefix { $0.isNumber }
        guard digits.count >= 8, let y = Int(digits.prefix(4)), let m = Int(digits.dropFirst(4).prefix(2)), let d = Int(digits.dropFirst(6).prefix(2)),
              let day = Day(year: y, month: m, day: d) else { return nil }
        var seconds = -1
        if digits.count >= 14, let h = Int(digits.dropFirst(8).prefix(2)), let mi = Int(digits.dropFirst(10).prefix(2)), let se = Int(digits.dropFirst(12).prefix(2)) {
            seconds = h * 3600 + mi * 60 + se
        }
        var zone: String?
        if let open = s.firstIndex(of: "["), let close = s.firstIndex(of: "]"), open < close {
            let inner = s[s.index(after: open)..<close]
            let parts = inner.split(separator: ":", maxSplits: 1)
            if let off = parts.first, let h = Double(off) {
                let sign = h < 0 ? "-" : "+"
                let mins = Int((abs(h) * 60).rounded())
                zone = String(format: "%@%02d:%02d", sign, mins / 60, mins % 60)
            }
        }
        return (day, seconds, zone)
    }

    static func statements(_ root: XElement, file: String, sink: inout DiagnosticSink) -> [BankStatement] {
        var org: String?
        var sonrs: [XElement] = []
        find(root, "SONRS", into: &sonrs)
        if let s = sonrs.first { org = text(s, "FI", "ORG") }
        var rs: [XElement] = []
        find(root, "STMTRS", into: &rs)
        find(root, "CCSTMTRS", into: &rs)
        rs.sort { $0.line < $1.line }
        var out: [BankStatement] = []
        var index = 0
        for st in rs {
            let card = st.name == "CCSTMTRS"
            let from = st.children.first { $0.name == (card ? "CCACCTFROM" : "BANKACCTFROM") }
            let acctID = text(from, "ACCTID") ?? ""
            let bank = org ?? (card ? "Card" : "Bank")
            let inst = BankAmount.institution(bank: bank, account: acctID)
            guard let curText = text(st, "CURDEF"), let cur = try? CurrencyCode(curText) else {
                sink.add(.error("ofx.field", "statement: expected a currency (CURDEF), found \"\(text(st, "CURDEF") ?? "")\"", at: SourceLocation(file: file, line: st.line, field: "CURDEF"),
                                hint: "the file is damaged or incomplete; export it again"))
                continue
            }
            var bs = BankStatement(institution: inst, currency: cur, line: st.line,
                                   label: "\(card ? "credit card" : "account") \(acctID.isEmpty ? "on line \(st.line)" : "ending " + String(acctID.suffix(4)))")
            bs.card = card
            var lists: [XElement] = []
            for c in st.children where c.name == "BANKTRANLIST" { lists.append(c) }
            for list in lists {
                for t in list.children where t.name == "STMTTRN" {
                    if let m = movement(t, cur: cur, index: index, file: file, sink: &sink) { bs.movements.append(m); index += 1 }
                }
            }
            if let lb = st.children.first(where: { $0.name == "LEDGERBAL" }) {
                if let a = text(lb, "BALAMT"), let v = BankAmount.minorUnits(a, exponent: cur.exponent) {
                    let asOf = text(lb, "DTASOF").flatMap(date)
                    let sum = bs.movements.reduce(Int64(0)) { $0 &+ ($1.affectsBalance ? $1.net : 0) }
                    func money(_ x: Int64) -> String { HumanFormat.en.money(Money(minorUnits: x, currency: cur)) }
                    sink.add(Diagnostic(.note, code: "ofx.closing-only",
                        "the \(bs.label) states only a closing balance (LEDGERBAL \(money(v))\(asOf.map { " on \($0.0)" } ?? "")); OFX states no opening balance, so the ledger cannot be checked against it here: what was checked is that each of its \(bs.movements.count) transactions (\(money(sum))) was booked once, by FITID",
                        at: SourceLocation(file: file, line: lb.line, field: "LEDGERBAL"),
                        hint: "when the ledger already holds this account's earlier statements, its balance on that day should be \(money(v))"))
                } else {
                    sink.add(.warning("ofx.field", "LEDGERBAL: expected an amount in BALAMT, found \"\(text(lb, "BALAMT") ?? "")\"", at: SourceLocation(file: file, line: lb.line, field: "BALAMT")))
                }
            } else {
                sink.add(Diagnostic(.note, code: "ofx.no-balance", "the \(bs.label) states no balance (LEDGERBAL): nothing to check its transactions against",
                                    at: SourceLocation(file: file, line: st.line)))
            }
            out.append(bs)
        }
        return out
    }

    static func movement(_ t: XElement, cur: CurrencyCode, index: Int, file: String, sink: inout DiagnosticSink) -> Movement? {
        func bad(_ field: String, _ expected: String, _ found: String) {
            sink.add(.error("ofx.field", "transaction: expected \(expected), found \"\(found)\"", at: SourceLocation(file: file, line: t.line, field: field),
                            hint: "the file is damaged or incomplete; export it again", arguments: ["expected": expected, "found": found]))
        }
        let posted = text(t, "DTPOSTED") ?? text(t, "DTUSER") ?? ""
        guard let (day, seconds, zone) = date(posted) else { bad("DTPOSTED", "a date (YYYYMMDD…)", posted); return nil }
        let amountText = text(t, "TRNAMT") ?? ""
        // The amount is in CURDEF, or in the CURRENCY aggregate's currency; ORIGCURRENCY gives the
        // original currency of an amount already converted to CURDEF.
        let currencyAgg = t.children.first { $0.name == "CURRENCY" }
        let origAgg = t.children.first { $0.name == "ORIGCURRENCY" }
        var net: Int64
        var foreign: Money?
        if let agg = currencyAgg, let sym = text(agg, "CURSYM"), let fc = try? CurrencyCode(sym), fc.code != cur.code {
            guard let v = BankAmount.minorUnits(amountText, exponent: fc.exponent) else { bad("TRNAMT", "an amount such as -12.50", amountText); return nil }
            guard let rateText = text(agg, "CURRATE"), let rate = try? ExactDecimal(rateText) else { bad("CURRATE", "an exchange rate", text(agg, "CURRATE") ?? ""); return nil }
            foreign = Money(minorUnits: v, currency: fc)
            net = foreign!.converted(by: rate, to: cur).minorUnits
        } else {
            guard let v = BankAmount.minorUnits(amountText, exponent: cur.exponent) else { bad("TRNAMT", "an amount such as -12.50", amountText); return nil }
            net = v
            if let agg = origAgg, let sym = text(agg, "CURSYM"), let fc = try? CurrencyCode(sym), fc.code != cur.code,
               let rateText = text(agg, "CURRATE"), let rate = try? ExactDecimal(rateText), rate > ExactDecimal(0) {
                foreign = Money(minorUnits: v, currency: cur).converted(dividingBy: rate, to: fc)
            }
        }
        let type = (text(t, "TRNTYPE") ?? "").uppercased()
        let name = text(t, "NAME") ?? text(t, "PAYEE", "NAME")
        var words: [String] = []
        if let m = text(t, "MEMO"), m != name { words.append(m) }
        if let c = text(t, "CHECKNUM"), c.contains(where: { $0 != "0" }) { words.append("check \(c)") }
        let cls: RowClass = type == "FEE" || type == "SRVCHG" ? .fee : (net >= 0 ? .earning : .expense)
        var m = Movement(index: index, line: t.line, day: day, seconds: seconds, timestamp: posted, timeZone: zone, currency: cur,
                         gross: net, fee: 0, net: net, balance: nil, cls: cls, id: text(t, "FITID"), ref: nil, name: name,
                         description: words.joined(separator: " "), filtered: nil, affectsBalance: true)
        if let f = foreign { m.counter = f }
        if m.id == nil {
            sink.add(.warning("ofx.fitid", "a transaction has no FITID: it is recognised on re-import by its date, amount and text only",
                              at: SourceLocation(file: file, line: t.line, field: "FITID"), hint: "OFX requires a FITID; the bank's export may be incomplete"))
            m.extra = text(t, "REFNUM") ?? text(t, "SRVRTID")
        }
        return m
    }
}
