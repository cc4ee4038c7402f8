import Foundation
import SaldoCore
import SaldoZip

/// What reading a rate file gives: the rates, and the problems found (errors for rows that
/// were left out, notes for columns that were skipped on purpose).
public struct RateFileContents: Sendable {
    public var rates: [ExchangeRate]
    public var diagnostics: [Diagnostic]
    public init(rates: [ExchangeRate] = [], diagnostics: [Diagnostic] = []) { self.rates = rates; self.diagnostics = diagnostics }
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// Reads the ECB's `eurofxref-hist.csv` (and `eurofxref.csv`, the daily file in the same layout):
///
/// ```
/// Date,USD,JPY,BGN,CYP,…,ZAR,
/// 2026-10-30,1.1172,175.68,N/A,N/A,…,18.6455,
/// ```
///
/// One row per business day, one column per currency, units of the currency per euro, `N/A`
/// where no rate was published, a trailing comma on every line. Retired currencies (CYP, EEK,
/// ROL…, ``CurrencyTable/retired``) are read like the others; columns of codes Saldo does not know
/// are skipped with a note. The daily file writes its
/// date as `30 October 2026`; both forms are read.
public enum ECBCSVReader {
    /// Reads every rate, or with `currencies` and `days` only those columns and rows (the rest is not
    /// parsed: how the bundled history is read for one report).
    public static func read(_ data: Data, file: String, source: String = ecbSourceName,
                            currencies: Set<CurrencyCode>? = nil, days: ClosedRange<Day>? = nil) -> RateFileContents {
        var out = RateFileContents()
        var lines = CSVLines(data)
        // Header.
        guard let (headerNo, header) = lines.nextNonEmpty() else {
            out.diagnostics.append(.error("fx.ecb-csv.empty", "the file is empty: expected the ECB header line \"Date,USD,JPY,…\"",
                                          at: SourceLocation(file: file, line: 1), hint: "download eurofxref-hist.zip from the ECB and import it unchanged"))
            return out
        }
        let names = header.cells.map { String(decoding: $0.bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces) }
        guard let first = names.first, first.lowercased() == "date" else {
            out.diagnostics.append(.error("fx.ecb-csv.header", "expected the ECB header starting with \"Date\", found \"\(names.first ?? "")\"",
                                          at: SourceLocation(file: file, line: headerNo, column: 1, field: "Date"),
                                          hint: "for rates from another source use a CSV with the columns date,base,quote,rate"))
            return out
        }
        var columns: [CurrencyCode?] = [nil]
        var skipped: [String] = []
        for n in names.dropFirst() {
            if n.isEmpty { columns.append(nil); continue }
            if let c = try? CurrencyCode(n), c != .EUR {
                columns.append(currencies.map { $0.contains(c) } ?? true ? c : nil)
            } else { columns.append(nil); skipped.append(n) }
        }
        if !skipped.isEmpty {
            out.diagnostics.append(Diagnostic(.note, code: "fx.ecb-csv.skipped-columns",
                                              "skipped columns of currencies that are not current ISO 4217 codes: \(skipped.joined(separator: ", "))",
                                              at: SourceLocation(file: file, line: headerNo)))
        }
        out.rates.reserveCapacity(lines.estimatedRows * 20)
        while true {
            // Rows outside `days` are skipped before their cells are split.
            if let days, let day = lines.peekISODay() {
                if !days.contains(day) { lines.skipLine(); continue }
            }
            guard let (lineNo, row) = lines.nextNonEmpty() else { break }
            guard let dateCell = row.cells.first, let day = parseECBDate(dateCell.bytes) else {
                let found = row.cells.first.map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
                out.diagnostics.append(.error("fx.ecb-csv.date", "expected a date yyyy-mm-dd, found \"\(found)\"; the row was left out",
                                              at: SourceLocation(file: file, line: lineNo, column: 1, field: "Date")))
                continue
            }
            if let days, !days.contains(day) { continue }
            for (k, cell) in row.cells.enumerated().dropFirst() {
                let bytes = cell.bytes
                if bytes.isEmpty || isNA(bytes) { continue }
                guard k < columns.count else {
                    out.diagnostics.append(.error("fx.ecb-csv.extra-cell", "the row has more cells than the header names; \"\(String(decoding: bytes, as: UTF8.self))\" was left out",
                                                  at: SourceLocation(file: file, line: lineNo, column: cell.column)))
                    continue
                }
                guard let currency = columns[k] else { continue }
                guard let rate = parseRate(bytes) else {
                    out.diagnostics.append(.error("fx.ecb-csv.rate", "expected a positive rate such as 1.0856 or N/A, found \"\(String(decoding: bytes, as: UTF8.self))\"; the rate was left out",
                                                  at: SourceLocation(file: file, line: lineNo, column: cell.column, field: currency.code)))
                    continue
                }
                out.rates.append(ExchangeRate(date: day, base: .EUR, quote: currency, rate: rate, source: source))
            }
        }
        return out
    }

    static func isNA(_ b: ArraySlice<UInt8>) -> Bool {
        b.count == 3 && (b[b.startIndex] | 0x20) == 0x6E && b[b.startIndex + 1] == 0x2F && (b[b.startIndex + 2] | 0x20) == 0x61
    }

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]

    /// `2026-10-30` or, in the daily `eurofxref.csv`, `30 October 2026`.
    static func parseECBDate(_ b: ArraySlice<UInt8>) -> Day? {
        let t = String(decoding: b, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if t.count == 10, let d = Day(iso: t) { return d }
        let p = t.split(separator: " ")
        if p.count == 3, let d = Int(p[0]), let y = Int(p[2]), let mi = monthNames.firstIndex(of: p[1].lowercased()) {
            return Day(year: y, month: mi + 1, day: d)
        }
        return nil
    }
}

/// Strict rate parsing: digits with at most one decimal point, positive, at most 12 decimals
/// and 18 digits in all, so that conversions stay exact within `Int128`.
func parseRate(_ b: ArraySlice<UInt8>) -> ExactDecimal? {
    var sig: Int128 = 0
    var scale = 0, digits = 0
    var seenPoint = false
    var start = b.startIndex, end = b.endIndex
    while start < end && (b[start] == 0x20 || b[start] == 0x09) { start += 1 }
    while end > start && (b[end - 1] == 0x20 || b[end - 1] == 0x09) { end -= 1 }
    if start == end { return nil }
    for i in start..<end {
        let c = b[i]
        if c >= 0x30 && c <= 0x39 {
            sig = sig * 10 + Int128(c - 0x30)
            digits += 1
            if seenPoint { scale += 1 }
            if digits > 18 || scale > 12 { return nil }
        } else if c == 0x2E && !seenPoint {
            seenPoint = true
        } else {
            return nil
        }
    }
    guard digits > 0, sig > 0 else { return nil }
    return ExactDecimal(significand: sig, scale: scale).normalized
}

/// Reads a plain rate CSV for sources other than the ECB:
///
/// ```
/// date,base,quote,rate[,source]
/// 2026-03-02,USD,MXN,17.1234,banxico
/// ```
///
/// meaning one `base` was worth `rate` `quote` on `date`. Column order is free; the header names
/// are matched without regard to case. Without a `source` column the rates take `source`.
public enum PlainRateCSVReader {
    public static func read(_ data: Data, file: String, source: String? = nil) -> RateFileContents {
        var out = RateFileContents()
        let src = source ?? file
        var lines = CSVLines(data)
        guard let (headerNo, header) = lines.nextNonEmpty() else {
            out.diagnostics.append(.error("fx.rate-csv.empty", "the file is empty: expected the header date,base,quote,rate", at: SourceLocation(file: file, line: 1)))
            return out
        }
        let names = header.cells.map { String(decoding: $0.bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() }
        func col(_ n: String) -> Int? { names.firstIndex(of: n) }
        guard let ci = col("date"), let cb = col("base"), let cq = col("quote"), let cr = col("rate") else {
            let missing = ["date", "base", "quote", "rate"].filter { col($0) == nil }
            out.diagnostics.append(.error("fx.rate-csv.header", "expected the columns date,base,quote,rate; missing \(missing.joined(separator: ", ")), found \"\(names.joined(separator: ","))\"",
                                          at: SourceLocation(file: file, line: headerNo),
                                          hint: "write a header line date,base,quote,rate (and optionally source); one base is worth rate quote on date"))
            return out
        }
        let cs = col("source")
        while let (lineNo, row) = lines.nextNonEmpty() {
            func cell(_ i: Int) -> (String, Int)? {
                guard i < row.cells.count else { return nil }
                return (String(decoding: row.cells[i].bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces), row.cells[i].column)
            }
            func bad(_ i: Int, _ field: String, _ expected: String) {
                let c = cell(i)
                out.diagnostics.append(.error("fx.rate-csv.\(field)", "expected \(expected), found \"\(c?.0 ?? "")\"; the row was left out",
                                              at: SourceLocation(file: file, line: lineNo, column: c?.1, field: field)))
            }
            guard let (dt, _) = cell(ci), let day = Day(iso: dt), dt.count == 10 else { bad(ci, "date", "a date yyyy-mm-dd"); continue }
            guard let (bt, _) = cell(cb), let base = try? CurrencyCode(bt) else { bad(cb, "base", "an ISO 4217 currency code such as EUR"); continue }
            guard let (qt, _) = cell(cq), let quote = try? CurrencyCode(qt) else { bad(cq, "quote", "an ISO 4217 currency code such as USD"); continue }
            guard base != quote else { bad(cq, "quote", "a currency other than the base \(base)"); continue }
            guard cr < row.cells.count, let rate = parseRate(row.cells[cr].bytes) else { bad(cr, "rate", "a positive decimal rate such as 1.0856 (decimal point, no grouping)"); continue }
            var rowSource = src
            if let cs, let (s, _) = cell(cs), !s.isEmpty { rowSource = s }
            out.rates.append(ExchangeRate(date: day, base: base, quote: quote, rate: rate, source: rowSource))
        }
        return out
    }
}

/// Reads any rate file Saldo knows in CSV form, also inside a `.zip`: the ECB layout when the
/// header starts with `Date` followed by currency codes, else the plain `date,base,quote,rate`.
/// XML files (`eurofxref-daily.xml`, `eurofxref-hist.xml`) are read by `ECBXMLReader`; found
/// inside a zip they are returned in ``xmlEntries`` for the caller to pass on.
public enum RateFileReader {
    public struct Result: Sendable {
        public var contents: RateFileContents
        /// XML members of a zip archive (name, bytes), for the ECB XML reader.
        public var xmlEntries: [(name: String, data: Data)]
    }

    public static func read(_ data: Data, file: String) -> Result {
        if ZipReader.looksLikeZip(data) {
            var result = Result(contents: RateFileContents(), xmlEntries: [])
            do {
                let entries = try ZipReader.files(data)
                if entries.isEmpty {
                    result.contents.diagnostics.append(.error("fx.zip.empty", "the zip archive holds no files", at: SourceLocation(file: file)))
                }
                for e in entries {
                    let lower = e.name.lowercased()
                    let name = "\(file)!\(e.name)"
                    if lower.hasSuffix(".xml") {
                        result.xmlEntries.append((e.name, e.data))
                    } else if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") {
                        let r = readCSV(e.data, file: name)
                        result.contents.rates += r.rates
                        result.contents.diagnostics += r.diagnostics
                    } else if !e.name.hasSuffix("/") {
                        result.contents.diagnostics.append(Diagnostic(.note, code: "fx.zip.skipped", "skipped \(e.name): not a CSV or XML rate file", at: SourceLocation(file: file)))
                    }
                }
            } catch {
                result.contents.diagnostics.append(.error("fx.zip", error.description, at: SourceLocation(file: file),
                                                          hint: "unzip the archive and import the CSV inside it"))
            }
            return result
        }
        return Result(contents: readCSV(data, file: file), xmlEntries: [])
    }

    /// Chooses the ECB layout or the plain one from the header line.
    public static func readCSV(_ data: Data, file: String) -> RateFileContents {
        var lines = CSVLines(data)
        let firstCell = lines.nextNonEmpty().flatMap { $0.1.cells.first }.map { String(decoding: $0.bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() }
        if firstCell == "date" {
            var again = CSVLines(data)
            let names = again.nextNonEmpty()?.1.cells.map { String(decoding: $0.bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() } ?? []
            if names.contains("base") && names.contains("quote") { return PlainRateCSVReader.read(data, file: file) }
            return ECBCSVReader.read(data, file: file)
        }
        return PlainRateCSVReader.read(data, file: file)
    }
}

/// Splits CSV bytes into lines and comma-separated cells (rate files have no quoted fields;
/// a quoted cell has its quotes removed), tracking line numbers and 1-based columns.
struct CSVLines {
    struct Cell { var bytes: ArraySlice<UInt8>; var column: Int }
    struct Row { var cells: [Cell] }
    let bytes: [UInt8]
    var pos: Int
    var lineNo = 0

    init(_ data: Data) {
        bytes = [UInt8](data)
        pos = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    var estimatedRows: Int { bytes.count / 200 }

    /// The next line's first cell as a `yyyy-mm-dd` day, without consuming the line; nil when it is not one.
    func peekISODay() -> Day? {
        guard pos + 10 <= bytes.count else { return nil }
        if pos + 10 < bytes.count && bytes[pos + 10] != 0x2C { return nil }
        var n = [0, 0, 0]
        var k = 0
        for i in 0..<10 {
            let b = bytes[pos + i]
            if i == 4 || i == 7 { if b != 0x2D { return nil }; k += 1; continue }
            guard b >= 0x30 && b <= 0x39 else { return nil }
            n[k] = n[k] * 10 + Int(b - 0x30)
        }
        return Day(year: n[0], month: n[1], day: n[2])
    }

    /// Consumes the next line without splitting it.
    mutating func skipLine() {
        lineNo += 1
        while pos < bytes.count && bytes[pos] != 0x0A { pos += 1 }
        pos += 1
    }

    mutating func nextNonEmpty() -> (Int, Row)? {
        while pos < bytes.count {
            lineNo += 1
            var end = pos
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > pos && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let start = pos
            pos = end + 1
            if lineEnd == start { continue }
            var cells: [Cell] = []
            var cs = start
            var i = start
            while i <= lineEnd {
                if i == lineEnd || bytes[i] == 0x2C {
                    var a = cs, b = i
                    if b - a >= 2 && bytes[a] == 0x22 && bytes[b - 1] == 0x22 { a += 1; b -= 1 }
                    cells.append(Cell(bytes: bytes[a..<b], column: cs - start + 1))
                    cs = i + 1
                }
                i += 1
            }
            // A trailing comma (the ECB writes one) makes a last empty cell: drop it.
            if let last = cells.last, last.bytes.isEmpty, cells.count > 1 { cells.removeLast() }
            if cells.allSatisfy({ $0.bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 } }) { continue }
            return (lineNo, Row(cells: cells))
        }
        return nil
    }
}
