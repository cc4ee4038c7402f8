import Foundation
import SaldoCore
import SaldoBatch
import SaldoZip

/// An .xlsx statement through the same profile engine as CSV: the chosen sheet is rendered as CSV
/// text in which line N is sheet row N and field K is column K (hidden rows included, newlines in
/// cells turned into spaces), then read exactly as a CSV file; locations name the sheet and cell.
///
/// - date cells are written `yyyy-mm-dd` (with the time when it is not midnight): no date order is guessed;
/// - numeric cells are written in full (15 significant digits, as Excel keeps them) with a decimal
///   point, and the decimal mark is settled by that, unless text cells hold amounts
///   (`-50,00`): then numbers are written with the mark those use and the CSV evidence rules decide.
enum XLSXStatement {
    /// The sheet rendered for the CSV engine.
    struct Rendered {
        var sheet: String
        var csv: Data
        /// Set when every amount-like cell is numeric.
        var notation: NumberNotation?
        var hiddenRows: Int
    }

    static func read(data: Data, fileName: String, options: ImportOptions, userProfiles: [UserProfile],
                     progress: (@Sendable (Double) -> Void)?, emitWhenRowsFailed: Bool, handedOver: () -> Void,
                     emit: (TransactionBatch) -> Void) -> StatementReadResult {
        var result = StatementReadResult(file: fileName)
        let started = DispatchTime.now().uptimeNanoseconds
        var wb: XLSXWorkbook
        do { wb = try XLSXWorkbook(data: data, file: fileName) } catch {
            result.problems = [error.diagnostic(file: fileName)]
            return result
        }
        let chosen: Rendered
        switch choose(&wb, options: options, userProfiles: userProfiles) {
        case .failure(let d): result.problems = [d]; return result
        case .success(let r): chosen = r
        }
        let sheetSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        var opts = options
        opts.sheetNumbers = chosen.notation
        var r = StatementImporter.read(data: chosen.csv, fileName: fileName, options: opts, userProfiles: userProfiles, progress: progress,
                                       emitWhenRowsFailed: emitWhenRowsFailed, handedOver: handedOver, emit: emit)
        r.encoding = "xlsx (sheet \(chosen.sheet))"
        r.phases.insert(("sheet", sheetSeconds), at: 0)
        r.problems = r.problems.map { d in
            var d = d
            if var l = d.location, l.file == fileName { l.sheet = chosen.sheet; d.location = l }
            return d
        }
        r.balanceChecks = r.balanceChecks.map { c in var c = c; if c.location?.file == fileName { c.location?.sheet = chosen.sheet }; return c }
        r.filtered = r.filtered.map { f in var f = f; if f.location.file == fileName { f.location.sheet = chosen.sheet }; return f }
        if chosen.hiddenRows > 0 {
            r.problems.append(Diagnostic(.note, code: "xlsx.hidden-rows", "\(chosen.hiddenRows) hidden row(s) of sheet \(chosen.sheet) were read like the others",
                                         at: SourceLocation(file: fileName, sheet: chosen.sheet),
                                         hint: "a statement's rows are all read, hidden or not, so that its balances add up"))
        }
        return r
    }

    /// The sheet a user profile names, else the first visible sheet a profile claims, else the first
    /// visible sheet (whose detection failure is then reported as for CSV).
    static func choose(_ wb: inout XLSXWorkbook, options: ImportOptions, userProfiles: [UserProfile]) -> Result<Rendered, Diagnostic> {
        let profiles = ProfileRegistry.candidates(userProfiles: userProfiles, forced: options.profile)
        let named = profiles.compactMap(\.sheet)
        let file = wb.file
        var order = wb.sheets.filter { !$0.hidden }
        if order.isEmpty { order = wb.sheets }
        guard !order.isEmpty else {
            return .failure(.error("xlsx.empty", "the workbook has no worksheet", at: SourceLocation(file: file),
                                   hint: "export the statement again from the bank"))
        }
        if let name = named.first {
            guard let s = wb.sheets.first(where: { $0.name == name }) ?? wb.sheets.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                return .failure(.error("xlsx.sheet", "the profile names sheet \"\(name)\", and the workbook has \(wb.sheets.map { "\"\($0.name)\"" }.joined(separator: ", "))",
                                       at: SourceLocation(file: file), hint: "correct the sheet name in the profile"))
            }
            order = [s]
        }
        var first: Rendered?
        for s in order {
            let sheet: XLSXSheet
            do { sheet = try wb.sheet(s) } catch { return .failure(error.diagnostic(file: file)) }
            let r = render(sheet)
            if first == nil { first = r }
            if order.count == 1 { return .success(r) }
            // Does any profile claim this sheet's header?
            let decoded = ByteBuffer([UInt8](r.csv))
            let t = CSVTokenizer(buffer: decoded, delimiter: 0x2C)
            guard let cands = try? StatementImporter.headerCandidates(t) else { continue }
            let cs = cands.map { (record: $0.record, line: $0.line, header: $0.normalized) }
            if profiles.contains(where: { HeaderMatcher.best($0, candidates: cs)?.claims == true }) { return .success(r) }
        }
        return .success(first!)
    }

    /// The sheet as CSV text (line = row, field = column).
    static func render(_ sheet: XLSXSheet) -> Rendered {
        // Text cells written like amounts decide the decimal mark for numbers.
        var comma = 0, point = 0
        for row in sheet.rows {
            for c in row.cells {
                if case .text(let t) = c.value, let m = amountMark(t) { if m == "," { comma += 1 } else { point += 1 } }
            }
        }
        let mark: UInt8 = comma > point ? 0x2C : 0x2E
        var out: [UInt8] = []
        out.reserveCapacity(sheet.rows.count * 64)
        var line = 1
        var hidden = 0
        for row in sheet.rows {
            while line < row.number { out.append(0x0A); line += 1 }
            if row.hidden { hidden += 1 }
            var col = 1
            for c in row.cells {
                while col < c.column { out.append(0x2C); col += 1 }
                field(c.value, mark: mark, into: &out)
            }
        }
        out.append(0x0A)
        return Rendered(sheet: sheet.name, csv: Data(out), notation: comma + point == 0 ? .point : nil, hiddenRows: hidden)
    }

    static func field(_ v: XLSXCell, mark: UInt8, into out: inout [UInt8]) {
        switch v {
        case .text(let s): quoted(s, into: &out)
        case .number(let n):
            if mark == 0x2E, isCanonical(n) { out.append(contentsOf: n.utf8); return }
            let t = canonicalNumber(n)
            if mark == 0x2C && t.utf8.contains(0x2E) { quoted(t.replacingOccurrences(of: ".", with: ","), into: &out) } else { out.append(contentsOf: t.utf8) }
        case .date(let d, let secs):
            // `yyyy-mm-dd[ hh:mm:ss]`, digit by digit (Day.description builds four strings).
            func two(_ v: Int) { out.append(UInt8(48 + v / 10 % 10)); out.append(UInt8(48 + v % 10)) }
            two(d.year / 100); two(d.year % 100); out.append(0x2D); two(d.month); out.append(0x2D); two(d.day)
            if secs > 0 {
                out.append(0x20); two(secs / 3600); out.append(0x3A); two(secs / 60 % 60); out.append(0x3A); two(secs % 60)
            }
        case .bool(let b): out.append(contentsOf: (b ? "TRUE" : "FALSE").utf8)
        case .error(let e): quoted(e, into: &out)
        }
    }

    static func quoted(_ s: String, into out: inout [UInt8]) {
        var needs = false
        for b in s.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D || b == 0x3B || b == 0x09 || b == 0x7C { needs = true; break }
        if !needs { out.append(contentsOf: s.utf8); return }
        out.append(0x22)
        var lastCR = false
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(0x22); out.append(0x22); lastCR = false
            case 0x0D: out.append(0x20); lastCR = true
            case 0x0A: if !lastCR { out.append(0x20) }; lastCR = false
            default: out.append(b); lastCR = false
            }
        }
        out.append(0x22)
    }

    /// `,` or `.` when the text is written like an amount with two decimals (`-50,00`, `+31070,11`,
    /// `1.234,56`, `-1,234.56`); nil otherwise.
    static func amountMark(_ s: String) -> Character? {
        // Most texts are not amounts: refuse those that do not end in two digits without copying them.
        var tail = s.utf8.reversed().makeIterator()
        while let b = tail.next() {
            if b == 0x20 { continue }
            guard (48...57).contains(b) else { return nil }
            break
        }
        let u = Array(s.utf8)
        var i = 0
        while i < u.count && u[i] == 0x20 { i += 1 }
        if i < u.count && (u[i] == 0x2B || u[i] == 0x2D) { i += 1 }
        var end = u.count
        while end > i && u[end - 1] == 0x20 { end -= 1 }
        guard end - i >= 4, u[end - 3] == 0x2C || u[end - 3] == 0x2E else { return nil }
        let mark = u[end - 3]
        guard (48...57).contains(u[end - 1]), (48...57).contains(u[end - 2]) else { return nil }
        var digits = 0
        for k in i..<(end - 3) {
            let b = u[k]
            if (48...57).contains(b) { digits += 1 } else if b == (mark == 0x2C ? 0x2E : 0x2C) || b == 0x20 { continue } else { return nil }
        }
        return digits > 0 ? Character(UnicodeScalar(mark)) : nil
    }

    /// Whether ``canonicalNumber(_:)`` would return `text` unchanged, checked without building
    /// anything: `-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?` with at most 15 significant digits, not `-0`.
    static func isCanonical(_ text: String) -> Bool {
        var u = text.utf8.makeIterator()
        guard var b = u.next() else { return false }
        var negative = false
        if b == 0x2D { negative = true; guard let n = u.next() else { return false }; b = n }
        guard b >= 48 && b <= 57 else { return false }
        var significant = 0
        let leadingZero = b == 48
        if !leadingZero { significant = 1 }
        var last: UInt8 = b
        var point = false
        while let c = u.next() {
            if c >= 48 && c <= 57 {
                if !point && leadingZero { return false }   // `01`
                if significant > 0 || c != 48 { significant += 1 }
                last = c
            } else if c == 0x2E && !point {
                point = true; last = c
            } else { return false }
        }
        if point && (last == 0x2E || last == 48) { return false }   // `5.`, `1.50`
        if negative && leadingZero && !point { return false }       // `-0` is written `0`
        return significant <= 15
    }

    /// A number as Excel shows it in full: at most 15 significant digits, no exponent, no trailing
    /// zeros (`23012.170000000002` → `23012.17`, `4.5E-3` → `0.0045`). Text that is not a plain
    /// decimal number is returned unchanged (the engine then reports it).
    static func canonicalNumber(_ text: String) -> String {
        var u = Array(text.utf8)
        var negative = false
        if u.first == 0x2D { negative = true; u.removeFirst() } else if u.first == 0x2B { u.removeFirst() }
        var digits: [UInt8] = []
        var pointAt: Int?
        var exponent = 0
        var i = 0
        while i < u.count {
            let b = u[i]
            if b >= 48 && b <= 57 { digits.append(b - 48) } else if b == 0x2E && pointAt == nil { pointAt = digits.count } else if b == 0x45 || b == 0x65 {
                guard let e = Int(String(decoding: u[(i + 1)...], as: UTF8.self)), abs(e) < 400 else { return text }
                exponent = e
                break
            } else { return text }
            i += 1
        }
        if digits.isEmpty { return text }
        // value = 0.d1d2… × 10^intLen
        var intLen = (pointAt ?? digits.count) + exponent
        while digits.first == 0 && digits.count > 1 { digits.removeFirst(); intLen -= 1 }
        if digits == [0] { return "0" }
        if digits.count > 15 {
            let up = digits[15] >= 5
            digits = Array(digits.prefix(15))
            if up {
                var k = 14
                while k >= 0 { if digits[k] == 9 { digits[k] = 0; k -= 1 } else { digits[k] += 1; break } }
                if k < 0 { digits.insert(1, at: 0); digits.removeLast(); intLen += 1 }
            }
        }
        while digits.count > 1 && digits.last == 0 && digits.count > max(intLen, 1) { digits.removeLast() }
        if intLen > 40 || intLen < -40 { return text }
        var s = negative ? "-" : ""
        if intLen <= 0 {
            s += "0." + String(repeating: "0", count: -intLen) + digits.map(String.init).joined()
        } else if intLen >= digits.count {
            s += digits.map(String.init).joined() + String(repeating: "0", count: intLen - digits.count)
        } else {
            s += digits[..<intLen].map(String.init).joined() + "." + digits[intLen...].map(String.init).joined()
        }
        return s
    }
}
