import SaldoCore

/// Collects diagnostics, keeping at most `limit` per code and counting the rest.
struct DiagnosticSink {
    var items: [Diagnostic] = []
    var counts: [String: Int] = [:]
    let limit = 20

    mutating func add(_ d: Diagnostic) {
        let n = counts[d.code, default: 0]
        counts[d.code] = n + 1
        if n < limit { items.append(d) }
    }

    /// Adds what another sink collected after this one's items, as if added here in that order.
    mutating func merge(_ other: DiagnosticSink) {
        var taken: [String: Int] = [:]
        for d in other.items {
            let before = counts[d.code, default: 0]
            if before + taken[d.code, default: 0] < limit { items.append(d) }
            taken[d.code, default: 0] += 1
        }
        for (code, n) in other.counts { counts[code, default: 0] += n }
    }

    mutating func finish(file: String) -> [Diagnostic] {
        for (code, n) in counts.sorted(by: { $0.key < $1.key }) where n > limit {
            let sev = items.first { $0.code == code }?.severity ?? .error
            items.append(Diagnostic(sev, code: code, "\(n - limit) more problem(s) of this kind (\(code)) not shown", at: SourceLocation(file: file)))
        }
        return items
    }
}

/// Reads a delimited statement with a profile: finds the header, decides the number and date
/// conventions once for the whole file, and turns each data row into a ``Movement``.
struct CSVStatementReader {
    let file: String
    let tokenizer: CSVTokenizer
    let profile: StatementProfile
    let fit: HeaderFit
    let options: ImportOptions
    var sink = DiagnosticSink()

    /// Field spans of the columns the profile uses, per data record.
    struct Row { var line: Int32; var record: Int32; var multiline: Bool }
    var rows: [Row] = []
    var spans: [Int32] = []         // per row: for each used role, start and end (end < 0: escaped quotes)
    var usedRoles: [ColumnRole] = []
    /// Role ordinal → index among the used roles, -1 when the file has no such column.
    var slots = [Int](repeating: -1, count: ColumnRole.count)
    var headerNames: [ColumnRole: String] = [:]
    var notation: NumberNotation = .point
    var fast = FastAmount(notation: .point)
    /// Currencies by their cell's bytes (a file has a handful).
    var currencyCache = ByteKeyedCache<CurrencyCode>()
    /// The bytes of the cells being looked up in a cache (reused, see `loadCellKey`).
    var cellKey: [UInt8] = []
    var fixedCurrency: CurrencyCode?
    /// Reports the share of the work done (0…1) on large files.
    var progress: (@Sendable (Double) -> Void)?
    /// Lines read but not transactions (footers, totals).
    var skipped: [FilteredRow] = []
    /// Day/month/year components of every readable date, in file order (for the order tie-break).
    var datePartsSeen: [(Int32, Int32, Int32, Bool)] = []
    /// What decided the decimal mark and the date order (set by `decideNotation` and `decideDates`).
    var notationDecision: ConventionDecision?
    var dateDecision: ConventionDecision?

    init(file: String, tokenizer: CSVTokenizer, profile: StatementProfile, fit: HeaderFit, headerTexts: [String], options: ImportOptions) {
        self.file = file; self.tokenizer = tokenizer; self.profile = profile; self.fit = fit; self.options = options
        self.fixedCurrency = profile.currency.flatMap { try? CurrencyCode($0) }
        for (role, i) in fit.columns.sorted(by: { $0.value < $1.value }) {
            slots[role.ordinal] = usedRoles.count
            usedRoles.append(role)
            headerNames[role] = i < headerTexts.count ? headerTexts[i].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{FEFF}", with: "") : role.rawValue
        }
    }

    /// Amounts above 10^13 units (10^15 minor units) are refused, so that sums of a million rows
    /// cannot overflow.
    static let maxMinorUnits: UInt64 = 1_000_000_000_000_000

    static let amountRoles: [ColumnRole] = [.gross, .fee, .net, .amount, .credit, .debit, .balance, .totalFees, .sourceFee, .targetFee, .sourceAmount, .targetAmount, .exchangeToAmount]

    func loc(_ row: Int, _ role: ColumnRole) -> SourceLocation {
        // The field's own line: the record's, plus the newlines inside earlier quoted fields.
        var line = Int(rows[row].line)
        if rows[row].multiline, let (a, _, _) = span(row, role), let first = firstSpanStart(row) {
            line += tokenizer.bytes.withUnsafeBufferPointer { p in p[first..<a].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
        }
        return SourceLocation(file: file, line: line, column: (fit.columns[role] ?? 0) + 1, record: Int(rows[row].record), field: headerNames[role])
    }

    func firstSpanStart(_ row: Int) -> Int? {
        (0..<usedRoles.count).compactMap { s -> Int? in let v = Int(spans[(row * usedRoles.count + s) * 2]); return v >= 0 ? v : nil }.min()
    }

    func slot(_ role: ColumnRole) -> Int? { let s = slots[role.ordinal]; return s < 0 ? nil : s }

    @inline(__always)
    func span(_ row: Int, _ role: ColumnRole) -> (Int, Int, Bool)? {
        let s = slots[role.ordinal]
        if s < 0 { return nil }
        let k = (row * usedRoles.count + s) * 2
        let a = Int(spans[k]), b = Int(spans[k + 1])
        if a < 0 { return nil }     // the record is shorter than the header
        return b < 0 ? (a, -b - 1, true) : (a, b, false)
    }

    func text(_ row: Int, _ role: ColumnRole) -> String? {
        guard let (a, b, esc) = span(row, role) else { return nil }
        let t = tokenizer.trimmedText(CSVField(start: a, end: b, line: 0, quoted: esc, escapedQuotes: esc))
        return t.isEmpty ? nil : t
    }

    /// What scanning a run of records found.
    struct ScanPart {
        var rows: [Row] = []
        var spans: [Int32] = []
        var numbers = NumberEvidence()
        var dates = DateEvidence()
        var dateParts: [(Int32, Int32, Int32, Bool)] = []
    }

    /// Files at least this large are scanned in two halves on two threads.
    static let parallelScanBytes = 4 << 20

    /// The second half's scan, handed between two threads that never touch it at once.
    final class SecondScan: @unchecked Sendable {
        let reader: CSVStatementReader
        var part = ScanPart()
        var error: CSVSyntaxError?
        var tokenizer: CSVTokenizer
        init(reader: CSVStatementReader, tokenizer: CSVTokenizer) { self.reader = reader; self.tokenizer = tokenizer }
    }

    /// Pass 1: store the spans of used columns and gather convention evidence.
    ///
    /// A large file is scanned in two halves on two threads: the second from the first line that
    /// starts after the middle. When the first half's last record ends exactly there, the halves
    /// join (the second's line and record numbers shifted); when it does not (the middle fell
    /// inside a quoted field that spans lines), the first half reads on to the end alone.
    mutating func scan() throws(CSVSyntaxError) -> (NumberEvidence, DateEvidence) {
        let bytes = tokenizer.bytes
        let total = max(1, bytes.count)
        // Reserve once from the size of the first records, so that large arrays are not
        // copied while they grow.
        var estimate = 1024
        do {
            var probe = tokenizer
            var r2 = CSVRecord()
            var n = 0
            while n < 200, try probe.next(into: &r2) { n += 1 }
            if n > 0 && probe.position > 0 { estimate = Int(Double(total) / (Double(probe.position) / Double(n)) * 1.05) + 16 }
        }
        var first = ScanPart()
        first.rows.reserveCapacity(estimate)
        first.spans.reserveCapacity(estimate * usedRoles.count * 2)
        var t = tokenizer
        var middle: Int?
        if bytes.count >= options.parallelScanBytes {
            middle = bytes.withUnsafeBufferPointer { p in
                var m = bytes.count / 2
                while m < p.count && p[m] != 0x0A { m += 1 }
                return m + 1 < p.count ? m + 1 : nil
            }
        }
        if let m = middle {
            var other = self
            other.progress = nil
            let second = SecondScan(reader: other, tokenizer: CSVTokenizer(buffer: bytes, delimiter: tokenizer.delimiter, startingAt: m))
            second.part.rows.reserveCapacity(estimate / 2 + 16)
            second.part.spans.reserveCapacity((estimate / 2 + 16) * usedRoles.count * 2)
            let done = DispatchGroup()
            DispatchQueue.global().async(group: done) {
                do throws(CSVSyntaxError) { try second.reader.scanRecords(&second.tokenizer, until: nil, relative: true, into: &second.part) } catch { second.error = error }
            }
            var failure: CSVSyntaxError?
            do { try scanRecords(&t, until: m, relative: false, into: &first) } catch { failure = error }
            done.wait()
            if let f = failure { throw f }
            if t.position == m && t.recordNumber >= fit.headerRecord {
                let lineShift = Int32(t.line - 1), recordShift = Int32(t.recordNumber - fit.headerRecord)
                if var e = second.error { e.line += Int(lineShift); throw e }
                first.rows.append(contentsOf: second.part.rows.lazy.map { Row(line: $0.line + lineShift, record: $0.record + recordShift, multiline: $0.multiline) })
                first.spans.append(contentsOf: second.part.spans)
                first.numbers.merge(second.part.numbers, lineShift: lineShift)
                first.dates.merge(second.part.dates, lineShift: lineShift)
                first.dateParts.append(contentsOf: second.part.dateParts)
                second.part = ScanPart()
            } else {
                try scanRecords(&t, until: nil, relative: false, into: &first)
            }
        } else {
            try scanRecords(&t, until: nil, relative: false, into: &first)
        }
        rows = first.rows
        spans = first.spans
        datePartsSeen = first.dateParts
        return (first.numbers, first.dates)
    }

    /// Scans records from `t` until its position reaches `until` (or the end). `relative`: `t`
    /// started in the middle of the file, so record numbers count from there and every record
    /// is a data record (the caller shifts the numbers).
    func scanRecords(_ t: inout CSVTokenizer, until: Int?, relative: Bool, into part: inout ScanPart) throws(CSVSyntaxError) {
        var rec = CSVRecord()
        let amountSlots = CSVStatementReader.amountRoles.compactMap { slot($0) }
        let dateSlot = slot(.date)
        let nUsed = usedRoles.count
        let colIndex = usedRoles.map { fit.columns[$0]! }
        let bytes = tokenizer.bytes
        let total = max(1, bytes.count)
        let stop = until ?? Int.max
        let header = relative ? 0 : fit.headerRecord
        while t.position < stop, try t.next(into: &rec) {
            if let p = progress, rec.number & 0xFFFF == 0 { p(0.4 * Double(t.position) / Double(total)) }
            if rec.number <= header { continue }
            if rec.fields.allSatisfy({ $0.isEmpty }) { continue }
            if rec.fields.count == 1 && !profile.columns.isEmpty && fit.columns.count > 1 { continue }
            part.rows.append(Row(line: Int32(rec.line), record: Int32(rec.number - header), multiline: rec.fields.last.map { $0.line != rec.line } ?? false))
            for s in 0..<nUsed {
                let ci = colIndex[s]
                if ci < rec.fields.count {
                    let f = rec.fields[ci]
                    part.spans.append(Int32(f.start))
                    part.spans.append(f.escapedQuotes ? Int32(-f.end - 1) : Int32(f.end))
                } else {
                    part.spans.append(-1); part.spans.append(-1)
                }
            }
            let base = part.spans.count - nUsed * 2
            let line = Int32(rec.line)
            bytes.withUnsafeBufferPointer { p in
                for s in amountSlots {
                    let a = Int(part.spans[base + s * 2]), b = Int(part.spans[base + s * 2 + 1])
                    if a >= 0 { part.numbers.add(p, a, b < 0 ? -b - 1 : b, line: line) }
                }
                if let ds = dateSlot {
                    let a = Int(part.spans[base + ds * 2]), b = Int(part.spans[base + ds * 2 + 1])
                    if a >= 0 {
                        let e = b < 0 ? -b - 1 : b
                        if e > a {
                            let parts = DateText.split(p, a, e)
                            part.dates.add(parts, line: line, text: String(decoding: UnsafeBufferPointer(rebasing: p[a..<e]), as: UTF8.self))
                            if let d = parts, d.monthNameAt == 0, d.firstLen != 4 {
                                part.dateParts.append((Int32(d.first), Int32(d.second), Int32(d.third), d.thirdLen <= 2))
                            }
                        }
                    }
                }
            }
        }
    }

    /// Decides the decimal mark, or explains why it cannot. In this order: `--decimal-mark`, the
    /// profile, amounts that fit only one reading (`1.234,56`, `20,00`), then the header language
    /// (Spanish, German or Italian headers write a decimal comma; English PayPal with a US time zone
    /// a point); otherwise the import stops and asks. `notationDecision` says which one decided.
    mutating func decideNotation(_ ev: NumberEvidence) -> NumberNotation? {
        func decided(_ n: NumberNotation, _ evidence: String, _ basis: ConventionDecision.Basis) -> NumberNotation {
            notationDecision = ConventionDecision(value: n == .comma ? "," : ".", evidence: evidence, basis: basis)
            return n
        }
        if let m = options.decimalMark {
            if m == "," || m.lowercased() == "comma" { return decided(.comma, "the decimal mark asked for", .option) }
            if m == "." || m.lowercased() == "point" || m.lowercased() == "dot" { return decided(.point, "the decimal mark asked for", .option) }
            sink.add(.error("import.option", "the decimal mark asked for must be \".\" or \",\", found \"\(m)\"", at: SourceLocation(file: file)))
            return nil
        }
        if let n = options.sheetNumbers { return decided(n, "amounts stored as numbers in the sheet", .values) }
        if let m = profile.decimalMark { return decided(m == "," ? .comma : .point, "the \(profile.name) profile", .profile) }
        if ev.point > 0 && ev.comma > 0 {
            sink.add(.error("csv.decimal-mark", "amounts in this file mix a decimal point (\"\(ev.firstPoint ?? "")\") and a decimal comma (\"\(ev.firstComma ?? "")\")",
                            at: SourceLocation(file: file), hint: "say which is the decimal mark: a point or a comma"))
            return nil
        }
        if ev.comma > 0 { return decided(.comma, "an amount written \"\(ev.firstComma ?? "")\" (line \(ev.firstCommaLine))", .values) }
        if ev.point > 0 { return decided(.point, "an amount written \"\(ev.firstPoint ?? "")\" (line \(ev.firstPointLine))", .values) }
        if ev.ambiguous > 0 {
            if let (n, why) = languageNotation() { return decided(n, why, .language) }
            sink.add(.error("csv.decimal-mark", "cannot tell the decimal mark: \"\(ev.firstAmbiguous ?? "")\" could be read with a decimal point or a decimal comma, and no amount in the file settles it",
                            at: SourceLocation(file: file), hint: "say which is the decimal mark: a point or a comma"))
            return nil
        }
        return decided(.point, "no amount has a decimal part", .nothingAmbiguous)
    }

    /// When every date fits both orders, statements still list rows in date order (oldest or
    /// newest first): the order under which the dates are sorted, if only one, settles it.
    func monotonicOrder() -> DateOrder? {
        func keys(_ o: DateOrder) -> [Int] {
            datePartsSeen.map { (a, b, c, short) in
                let y = Int(c) + (short ? 2000 : 0)
                return o == .dmy ? y * 400 + Int(b) * 32 + Int(a) : y * 400 + Int(a) * 32 + Int(b)
            }
        }
        func sorted(_ k: [Int]) -> Bool {
            var up = true, down = true
            for i in k.indices.dropFirst() { if k[i] < k[i - 1] { up = false }; if k[i] > k[i - 1] { down = false } }
            return up || down
        }
        let d = sorted(keys(.dmy)), m = sorted(keys(.mdy))
        if d && !m { return .dmy }
        if m && !d { return .mdy }
        return nil
    }

    /// Decides the date order, or explains why it cannot. In this order: `--date-format`; dates that
    /// fit only one reading (a day above 12; both kinds is an error); the profile; dotted dates;
    /// the export's language and layout; the row order; the running balances; otherwise the import
    /// stops and asks for the date order. `dateDecision` says which one decided.
    mutating func decideDates(_ ev: DateEvidence) -> DateOrder? {
        func decided(_ o: DateOrder, _ evidence: String, _ basis: ConventionDecision.Basis, shown: DateOrder? = nil) -> DateOrder {
            dateDecision = ConventionDecision(value: DateConvention(order: shown ?? o).description, evidence: evidence, basis: basis)
            return o
        }
        if let f = options.dateFormat {
            guard let c = DateConvention.parseOption(f) else {
                sink.add(.error("import.option", "the date format asked for, \"\(f)\", is not one: expected dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd", at: SourceLocation(file: file)))
                return nil
            }
            return decided(c.order, "the date format asked for", .option)
        }
        if ev.dmy > 0 && ev.mdy > 0 {
            sink.add(.error("csv.date-format", "dates in this file are written both day-first (\"\(ev.firstDMY ?? "")\") and month-first (\"\(ev.firstMDY ?? "")\")",
                            at: SourceLocation(file: file, field: headerNames[.date]), hint: "say which order the file uses: dd/mm/yyyy or mm/dd/yyyy"))
            return nil
        }
        if ev.dmy > 0 { return decided(.dmy, "a date with day \(Self.leadingNumber(ev.firstDMY)) first (line \(ev.firstDMYLine): \"\(ev.firstDMY ?? "")\")", .values) }
        if ev.mdy > 0 { return decided(.mdy, "a date with day \(Self.secondNumber(ev.firstMDY)) second (line \(ev.firstMDYLine): \"\(ev.firstMDY ?? "")\")", .values) }
        if let o = profile.dateOrder { return decided(o, "the \(profile.name) profile", .profile) }
        if ev.ambiguous == 0 {
            // Any order reads these dates alike: ISO, month names, or day equal to month.
            let yearFirst = ev.iso > 0 && ev.iso + ev.named >= ev.total - ev.unreadable
            return decided(.dmy, yearFirst ? "dates written year first" : "no date could be read two ways", .nothingAmbiguous, shown: yearFirst ? .ymd : nil)
        }
        // Dotted dates are day-first wherever they are written (de, fr-CH, it, es).
        if ev.dotted > 0 && ev.dotted + ev.iso + ev.named >= ev.total - ev.unreadable { return decided(.dmy, "dates written with dots (dd.mm.yyyy)", .writing) }
        if let (o, why) = languageDateOrder() { return decided(o, why, .language) }
        if let o = monotonicOrder() { return decided(o, "rows are in date order only when read \(o == .dmy ? "day" : "month")-first", .rowOrder) }
        if let o = balanceChainOrder() { return decided(o, "running balances add up only when read \(o == .dmy ? "day" : "month")-first", .runningBalances) }
        sink.add(.error("csv.date-format", "cannot tell the date order: \"\(ev.firstAmbiguous ?? "")\" could be day-first or month-first, and no date in the file settles it",
                        at: SourceLocation(file: file, field: headerNames[.date]), hint: "say which order the file uses: dd/mm/yyyy or mm/dd/yyyy"))
        return nil
    }

    static func leadingNumber(_ s: String?) -> String { String((s ?? "").drop { !$0.isNumber }.prefix { $0.isNumber }) }
    static func secondNumber(_ s: String?) -> String {
        let rest = (s ?? "").drop { !$0.isNumber }.drop { $0.isNumber }
        return leadingNumber(String(rest))
    }
}

import Foundation
