import Foundation
import SaldoCore
import SaldoXML
import SaldoZip

/// One cell of a sheet, as stored: what the statement engine needs to know of it.
public enum XLSXCell: Sendable, Equatable {
    /// A text cell (shared string, inline string or formula string).
    case text(String)
    /// A number, as written in the file (`-10.5`, `1.1005658780012`, `4.5E-3`).
    case number(String)
    /// A number whose style is a date format, already turned into a day and seconds after midnight.
    case date(Day, seconds: Int)
    case bool(Bool)
    /// An error value (`#N/A`, `#DIV/0!`).
    case error(String)
}

/// A worksheet read from an .xlsx file: rows by their 1-based number, cells by 1-based column.
public struct XLSXSheet: Sendable {
    public struct Row: Sendable {
        public var number: Int
        public var hidden: Bool
        public var cells: [(column: Int, value: XLSXCell)]
    }
    public var name: String
    public var rows: [Row]
}

/// Reads the parts of an .xlsx workbook (Office Open XML spreadsheet) that statements use, through
/// ``ZipReader`` (limits against zip bombs) and ``SafeXML/stream(_:file:limits:handler:)`` (no
/// DTD, no entities, limits on sizes): the sheet list from `workbook.xml` and its relationships,
/// shared strings (rich text runs joined, phonetic runs dropped), the date formats of `styles.xml`
/// (built-in ids 14-22 and 45-47, and custom formats with d, m or y outside quotes and brackets),
/// the 1900 (with Lotus's 29 February 1900) and 1904 date systems, inline strings, numbers,
/// booleans, errors, hidden rows and sparse cells. Formulas are not evaluated: their cached value is
/// read.
public struct XLSXWorkbook {
    public struct SheetInfo: Sendable, Equatable {
        public var name: String
        public var hidden: Bool
        var path: String
    }

    public let file: String
    public let sheets: [SheetInfo]
    public let date1904: Bool
    var zip: ZipReader
    var sharedStrings: [String]
    var dateStyles: [Bool]

    /// Sheet XML may be large (a million rows is about 150 MiB); cells are short.
    public static let sheetLimits = XMLLimits(maxBytes: 512 << 20, maxDepth: 32, maxAttributeBytes: 4096,
                                              maxTextBytes: 128 * 1024, maxElements: 40_000_000)
    static let partLimits = XMLLimits(maxBytes: 64 << 20, maxDepth: 32, maxAttributeBytes: 64 * 1024,
                                      maxTextBytes: 128 * 1024, maxElements: 4_000_000)

    /// Whether an archive holds a spreadsheet workbook (`xl/workbook.xml`, or a main part so named
    /// in `_rels/.rels`).
    public static func isWorkbook(_ zip: ZipReader) -> Bool {
        zip.contains("xl/workbook.xml") || zip.entries.contains { $0.name.hasSuffix("workbook.xml") && $0.name.hasPrefix("xl") }
    }

    public init(data: Data, file: String, zipLimits: ZipLimits = .standard) throws(XLSXError) {
        self.file = file
        var zip: ZipReader
        do { zip = try ZipReader(data: data, limits: zipLimits) } catch { throw .zip(error) }
        func part(_ name: String) throws(XLSXError) -> Data {
            do { return try zip.data(of: name) } catch { throw .zip(error) }
        }
        // The workbook part: from the package relationships, else the usual name.
        var workbookPath = "xl/workbook.xml"
        if zip.contains("_rels/.rels") {
            let rels = try Self.relationships(try part("_rels/.rels"), base: "", file: file)
            if let main = rels.values.first(where: { $0.type.hasSuffix("/officeDocument") }) { workbookPath = main.target }
        }
        guard zip.contains(workbookPath) else { throw .notAWorkbook }
        let folder = workbookPath.split(separator: "/").dropLast().joined(separator: "/")
        let relsPath = (folder.isEmpty ? "" : folder + "/") + "_rels/" + (workbookPath.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels"
        let rels = zip.contains(relsPath) ? try Self.relationships(try part(relsPath), base: folder, file: file) : [:]
        let wb = WorkbookHandler()
        try Self.parse(try part(workbookPath), name: workbookPath, file: file, limits: Self.partLimits, wb)
        date1904 = wb.date1904
        var list: [SheetInfo] = []
        for s in wb.sheets {
            let path = rels[s.rid]?.target ?? "\(folder)/worksheets/sheet\(list.count + 1).xml"
            list.append(SheetInfo(name: s.name, hidden: s.hidden, path: path))
        }
        sheets = list
        var shared: [String] = [], dates: [Bool] = []
        if let ss = rels.values.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target ?? (zip.contains("xl/sharedStrings.xml") ? "xl/sharedStrings.xml" : nil),
           zip.contains(ss) {
            let h = SharedStringsHandler()
            try Self.parse(try part(ss), name: ss, file: file, limits: Self.sheetLimits, h)
            shared = h.strings
        }
        if let st = rels.values.first(where: { $0.type.hasSuffix("/styles") })?.target ?? (zip.contains("xl/styles.xml") ? "xl/styles.xml" : nil),
           zip.contains(st) {
            let h = StylesHandler()
            try Self.parse(try part(st), name: st, file: file, limits: Self.partLimits, h)
            dates = h.xfFormats.map { id in Self.isDateFormat(id: id, code: h.formats[id]) }
        }
        self.zip = zip
        sharedStrings = shared
        dateStyles = dates
    }

    mutating func part(_ name: String) throws(XLSXError) -> Data {
        do { return try zip.data(of: name) } catch { throw .zip(error) }
    }

    /// Reads one sheet. `rowLimit` stops after that many rows (for looking at headers).
    public mutating func sheet(_ info: SheetInfo) throws(XLSXError) -> XLSXSheet {
        let data = try part(info.path)
        if let rows = scannedRows(data, sheet: info.name) { return XLSXSheet(name: info.name, rows: rows) }
        return XLSXSheet(name: info.name, rows: try parsedRows(data, part: info.path, sheet: info.name))
    }

    /// The rows by ``SheetScanner``, or nil when it does not take the part.
    func scannedRows(_ data: Data, sheet: String) -> [XLSXSheet.Row]? {
        let (shared, dates, date1904, file) = (sharedStrings, dateStyles, self.date1904, self.file)
        let make = { SheetHandler(shared: shared, dateStyles: dates, date1904: date1904, sheet: sheet, file: file) }
        return data.withUnsafeBytes { raw -> [XLSXSheet.Row]? in
            let bytes = raw.bindMemory(to: UInt8.self)
            // A large sheet in two halves at once when there is a second core (the sheet pass is
            // most of an .xlsx import's time before its first row reaches the ledger).
            if bytes.count >= Self.halvesFrom, ProcessInfo.processInfo.activeProcessorCount > 1,
               let rows = SheetScanner.scanInHalves(bytes, limits: Self.sheetLimits, handler: make) {
                return rows
            }
            let h = make()
            return SheetScanner.scan(bytes, limits: Self.sheetLimits, into: h) && h.problem == nil ? h.rows : nil
        }
    }

    /// Sheet parts from this size (about 8,000 rows) are scanned in two halves at once.
    static let halvesFrom = 2 << 20

    /// The rows through libxml2 (`SafeXML.stream`): every part the scanner does not take, and
    /// every diagnostic.
    func parsedRows(_ data: Data, part: String, sheet: String) throws(XLSXError) -> [XLSXSheet.Row] {
        let h = SheetHandler(shared: sharedStrings, dateStyles: dateStyles, date1904: date1904, sheet: sheet, file: file)
        try Self.parse(data, name: part, file: file, limits: Self.sheetLimits, h)
        if let e = h.problem { throw e }
        return h.rows
    }

    static func parse(_ data: Data, name: String, file: String, limits: XMLLimits, _ h: any XMLStreamHandler) throws(XLSXError) {
        let label = "\(file)!\(name)"
        let r: XMLParseError? = data.withUnsafeBytes { raw -> XMLParseError? in
            do throws(XMLParseError) { try SafeXML.stream(raw.bindMemory(to: UInt8.self), file: label, limits: limits, handler: h) } catch { return error }
            return nil
        }
        if let r { throw .xml(r) }
        if let s = h as? SheetHandler, let p = s.problem { throw p }
    }

    struct Relationship { var type: String; var target: String }

    static func relationships(_ data: Data, base: String, file: String) throws(XLSXError) -> [String: Relationship] {
        let h = RelsHandler()
        try parse(data, name: "relationships", file: file, limits: partLimits, h)
        var out: [String: Relationship] = [:]
        for (id, type, target) in h.items {
            var t = target
            if t.hasPrefix("/") { t.removeFirst() } else if !base.isEmpty { t = base + "/" + t }
            // Resolve `..` segments (`../worksheets/sheet1.xml`).
            var parts: [Substring] = []
            for seg in t.split(separator: "/") { if seg == ".." { _ = parts.popLast() } else if seg != "." { parts.append(seg) } }
            out[id] = Relationship(type: type, target: parts.joined(separator: "/"))
        }
        return out
    }

    /// Built-in date formats (ECMA-376 §18.8.30: 14-22, 45-47) and custom codes with a day, month
    /// or year letter outside quoted text, brackets (colours, locales, elapsed time) and escapes.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if (14...22).contains(id) || (45...47).contains(id) { return true }
        guard let code, id >= 164 || code.count > 0 else { return false }
        var quoted = false, bracket = false, escape = false
        for ch in code.lowercased() {
            if escape { escape = false; continue }
            switch ch {
            case "\\": escape = true
            case "\"": quoted.toggle()
            case "[": if !quoted { bracket = true }
            case "]": if !quoted { bracket = false }
            case "d", "m", "y": if !quoted && !bracket { return true }
            default: break
            }
        }
        return false
    }

    /// The day and seconds after midnight of a serial number, or nil when it names no day
    /// (negative, beyond 9999, or 29 February 1900, which Lotus 1-2-3 invented and Excel kept).
    static func date(serial text: String, date1904: Bool) -> (Day, Int)? {
        guard let v = Double(text), v.isFinite, v >= 0, v < 2_958_466 else { return nil }
        var days = Int(v.rounded(.down))
        var seconds = Int(((v - Double(days)) * 86400).rounded())
        if seconds >= 86400 { days += 1; seconds -= 86400 }
        return date(days: days, seconds: seconds, date1904: date1904)
    }

    /// The day of a whole serial number `days` (with `seconds` after midnight), or nil as above.
    static func date(days: Int, seconds: Int, date1904: Bool) -> (Day, Int)? {
        if date1904 { return (Day(year: 1904, month: 1, day: 1)!.adding(days: days), seconds) }
        if days == 60 { return nil }
        if days == 0 { return nil }
        // Serial 1 is 1900-01-01; from 61 on the invented 29 February shifts every day by one.
        let start = Day(year: 1899, month: 12, day: 31)!
        return (start.adding(days: days < 60 ? days : days - 1), seconds)
    }
}

/// Why an .xlsx file could not be read.
public enum XLSXError: Error, Sendable {
    case zip(ZipError)
    case xml(XMLParseError)
    case notAWorkbook
    case cell(String, String)

    public func diagnostic(file: String) -> Diagnostic {
        switch self {
        case .zip(let z):
            return .error("xlsx.zip", "the Excel file cannot be opened: \(z.description)", at: SourceLocation(file: file),
                          hint: "open the file in Excel or LibreOffice and save it again as .xlsx, or export the statement as CSV from the bank")
        case .xml(let x):
            let first = x.diagnostics.first
            return .error("xlsx.xml", "the Excel file holds a part Saldo refuses: \(first?.message ?? x.description)", at: SourceLocation(file: file),
                          hint: first?.code == "xml.doctype" || first?.code == "xml.entity"
                            ? "spreadsheets never need a DTD or entities; the file was not written by a spreadsheet program"
                            : "open the file in Excel or LibreOffice and save it again as .xlsx, or export the statement as CSV")
        case .notAWorkbook:
            return .error("xlsx.workbook", "the file is a zip archive but not an Excel workbook (no xl/workbook.xml)", at: SourceLocation(file: file),
                          hint: "import the statement file itself: CSV, Excel .xlsx or Norma 43")
        case .cell(let ref, let what):
            return .error("xlsx.cell", "cell \(ref) cannot be read: \(what)", at: SourceLocation(file: file),
                          hint: "open the file in Excel or LibreOffice and save it again as .xlsx")
        }
    }
}

// MARK: - Part handlers

final class RelsHandler: XMLStreamHandler {
    var items: [(String, String, String)] = []
    func start(_ name: String, _ attributes: XMLAttributes, line: Int) -> Diagnostic? {
        let a = attributes.all
        if name == "Relationship" {
            var id = "", type = "", target = "", external = false
            for x in a {
                switch x.name { case "Id": id = x.value; case "Type": type = x.value; case "Target": target = x.value
                case "TargetMode": external = x.value == "External"; default: break }
            }
            if !external { items.append((id, type, target)) }
        }
        return nil
    }
    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Diagnostic? { nil }
    func end(_ name: String) -> Diagnostic? { nil }
}

final class WorkbookHandler: XMLStreamHandler {
    var sheets: [(name: String, hidden: Bool, rid: String)] = []
    var date1904 = false
    func start(_ name: String, _ attributes: XMLAttributes, line: Int) -> Diagnostic? {
        let a = attributes.all
        if name == "sheet" {
            var n = "", state = "", rid = ""
            for x in a { switch x.name { case "name": n = x.value; case "state": state = x.value; case "id": rid = x.value; default: break } }
            sheets.append((n, state == "hidden" || state == "veryHidden", rid))
        } else if name == "workbookPr" {
            for x in a where x.name == "date1904" { date1904 = x.value == "1" || x.value == "true" }
        }
        return nil
    }
    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Diagnostic? { nil }
    func end(_ name: String) -> Diagnostic? { nil }
}

final class SharedStringsHandler: XMLStreamHandler {
    var strings: [String] = []
    var current: [UInt8] = []
    var inT = false, inPhonetic = false
    func start(_ name: String, _ attributes: XMLAttributes, line: Int) -> Diagnostic? {
        let a = attributes.all
        switch name {
        case "si": current.removeAll(keepingCapacity: true)
        case "t": inT = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
        return nil
    }
    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Diagnostic? {
        if inT { current.append(contentsOf: bytes) }
        return nil
    }
    func end(_ name: String) -> Diagnostic? {
        switch name {
        case "si": strings.append(String(decoding: current, as: UTF8.self))
        case "t": inT = false
        case "rPh": inPhonetic = false
        default: break
        }
        return nil
    }
}

final class StylesHandler: XMLStreamHandler {
    var formats: [Int: String] = [:]
    var xfFormats: [Int] = []
    var inCellXfs = false
    func start(_ name: String, _ attributes: XMLAttributes, line: Int) -> Diagnostic? {
        let a = attributes.all
        switch name {
        case "numFmt":
            var id: Int?, code = ""
            for x in a { if x.name == "numFmtId" { id = Int(x.value) } else if x.name == "formatCode" { code = x.value } }
            if let id { formats[id] = code }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs:
            xfFormats.append(a.first { $0.name == "numFmtId" }.flatMap { Int($0.value) } ?? 0)
        default: break
        }
        return nil
    }
    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Diagnostic? { nil }
    func end(_ name: String) -> Diagnostic? { if name == "cellXfs" { inCellXfs = false }; return nil }
}

final class SheetHandler: XMLStreamHandler {
    let shared: [String]
    let dateStyles: [Bool]
    let date1904: Bool
    let sheet: String
    let file: String
    var rows: [XLSXSheet.Row] = []
    var problem: XLSXError?
    // The cell being read.
    var inRow = false
    var rowNumber = 0
    var rowHidden = false
    var cells: [(column: Int, value: XLSXCell)] = []
    var cellColumn = 0
    var cellType = CellType.n
    /// The `t` attribute of a cell; `other` is read as a number, as before.
    enum CellType { case s, n, str, inlineStr, b, e, d, other }
    var cellStyle = 0
    var buffer: [UInt8] = []
    var collecting = false
    var inInline = false, inPhonetic = false
    var hasValue = false

    init(shared: [String], dateStyles: [Bool], date1904: Bool, sheet: String, file: String) {
        self.shared = shared; self.dateStyles = dateStyles; self.date1904 = date1904; self.sheet = sheet; self.file = file
    }

    /// `C14` → column 3 (rows come from the `row` element).
    static func column(of ref: String) -> Int? {
        var c = 0
        for b in ref.utf8 {
            if b >= 65 && b <= 90 { c = c * 26 + Int(b - 64) } else if b >= 97 && b <= 122 { c = c * 26 + Int(b - 96) } else { break }
            if c > 16384 { return nil }
        }
        return c > 0 ? c : nil
    }

    static func rowNumber(of ref: String) -> Int? { Int(String(ref.drop { !$0.isNumber })) }

    /// Records the problem; the core's callers stop (libxml2's path with ``failure``).
    func fail(_ ref: String, _ what: String) -> Bool {
        problem = .cell("\(sheet)!\(ref)", what)
        failure = .error("xlsx.cell", what)
        return false
    }
    var failure: Diagnostic?

    /// The elements the sheet reader acts on, by local name (namespace prefixes are ignored).
    enum Element { case row, c, v, inlineString, t, phonetic, other }

    static func element(_ name: String) -> Element {
        switch name {
        case "row": .row
        case "c": .c
        case "v": .v
        case "is": .inlineString
        case "t": .t
        case "rPh": .phonetic
        default: .other
        }
    }

    /// Every element start goes through here: from libxml2 (`start(_:_:line:)`) or from
    /// ``SheetScanner``, with the raw values of the attributes the reader uses, so that both give
    /// the same rows by construction.
    static func cellType(_ t: UnsafeBufferPointer<UInt8>) -> CellType {
        if t.count == 1 {
            switch t[0] {
            case UInt8(ascii: "s"): return .s
            case UInt8(ascii: "n"): return .n
            case UInt8(ascii: "b"): return .b
            case UInt8(ascii: "e"): return .e
            case UInt8(ascii: "d"): return .d
            default: return .other
            }
        }
        if t.elementsEqual("str".utf8) { return .str }
        if t.elementsEqual("inlineStr".utf8) { return .inlineStr }
        return .other
    }

    func start(_ e: Element, r: UnsafeBufferPointer<UInt8>?, hidden: UnsafeBufferPointer<UInt8>?,
               t: UnsafeBufferPointer<UInt8>?, s: UnsafeBufferPointer<UInt8>?) -> Bool {
        switch e {
        case .row:
            let n = r.flatMap(SheetHandler.int)
            rowHidden = hidden.map { $0.first == UInt8(ascii: "1") || $0.first == UInt8(ascii: "t") } ?? false
            let number = n ?? (rowNumber + 1)
            if number <= rowNumber || number > 1_048_576 { return fail("row \(number)", "rows are out of order or beyond Excel's 1,048,576") }
            rowNumber = number
            inRow = true
            cells.removeAll(keepingCapacity: true)
        case .c:
            cellType = .n; cellStyle = 0; hasValue = false
            if let t { cellType = SheetHandler.cellType(t) }
            cellStyle = s.flatMap(SheetHandler.int) ?? 0
            if let refBytes = r {
                var col = 0, row = 0, i = 0
                while i < refBytes.count, refBytes[i] >= 65 && refBytes[i] <= 90 { col = col * 26 + Int(refBytes[i] - 64); i += 1; if col > 16384 { break } }
                while i < refBytes.count, refBytes[i] >= 48 && refBytes[i] <= 57, row < 10_000_000 { row = row * 10 + Int(refBytes[i] - 48); i += 1 }
                guard col > 0, col <= 16384, i == refBytes.count, row > 0 else {
                    let ref = String(decoding: refBytes, as: UTF8.self)
                    return fail(ref, "\"\(ref)\" is not a cell reference")
                }
                if row != rowNumber { return fail(String(decoding: refBytes, as: UTF8.self), "the cell lies outside its row \(rowNumber)") }
                if col <= (cells.last?.column ?? 0) { return fail(String(decoding: refBytes, as: UTF8.self), "cells are out of order") }
                cellColumn = col
            } else {
                cellColumn = (cells.last?.column ?? 0) + 1
            }
            if cellColumn > 16384 { return fail("column \(cellColumn)", "beyond Excel's 16,384 columns") }
            buffer.removeAll(keepingCapacity: true)
        case .v: collecting = true; hasValue = true
        case .inlineString: inInline = true; hasValue = true
        case .phonetic: inPhonetic = true
        case .t: if inInline && !inPhonetic { collecting = true }
        case .other: break
        }
        return true
    }

    func start(_ name: String, _ attributes: XMLAttributes, line: Int) -> Diagnostic? {
        let ok = switch SheetHandler.element(name) {
        case .row: start(.row, r: attributes.bytes("r"), hidden: attributes.bytes("hidden"), t: nil, s: nil)
        case .c: start(.c, r: attributes.bytes("r"), hidden: nil, t: attributes.bytes("t"), s: attributes.bytes("s"))
        case let e: start(e, r: nil, hidden: nil, t: nil, s: nil)
        }
        return ok ? nil : failure
    }

    /// A non-negative decimal integer of fewer than 19 digits (as `XMLAttributes.int`), or nil.
    static func int(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !b.isEmpty, b.count < 19 else { return nil }
        var n = 0
        for c in b { guard c >= 48 && c <= 57 else { return nil }; n = n * 10 + Int(c - 48) }
        return n
    }

    /// Text for the cell value being read (the scanner's entry; it never fails).
    @inline(__always) func collect(_ bytes: UnsafeBufferPointer<UInt8>) {
        if collecting { buffer.append(contentsOf: bytes) }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Diagnostic? {
        if collecting { buffer.append(contentsOf: bytes) }
        return nil
    }

    func end(_ name: String) -> Diagnostic? { end(SheetHandler.element(name)) ? nil : failure }

    func end(_ e: Element) -> Bool {
        switch e {
        case .v, .t: collecting = false
        case .inlineString: inInline = false
        case .phonetic: inPhonetic = false
        case .c:
            guard hasValue else { return true }
            // Fast paths for what nearly every cell is: a shared-string index, or a number (a date
            // serial when its style says so) whose digits need no trimming.
            if cellType == .s, let i = SheetHandler.digits(buffer), i < shared.count {
                cells.append((cellColumn, .text(shared[i])))
                return true
            }
            if cellType == .n, SheetHandler.isPlainNumber(buffer) {
                if cellStyle < dateStyles.count, dateStyles[cellStyle], let days = SheetHandler.digits(buffer), days < 2_958_466 {
                    if let (d, s) = XLSXWorkbook.date(days: days, seconds: 0, date1904: date1904) { cells.append((cellColumn, .date(d, seconds: s))); return true }
                } else if !(cellStyle < dateStyles.count && dateStyles[cellStyle]) {
                    cells.append((cellColumn, .number(String(decoding: buffer, as: UTF8.self))))
                    return true
                }
            }
            let raw = String(decoding: buffer, as: UTF8.self)
            var ref: String { "\(SheetHandler.letters(cellColumn))\(rowNumber)" }
            let value: XLSXCell
            switch cellType {
            case .s:
                guard let i = Int(raw.trimmingCharacters(in: .whitespaces)), i >= 0, i < shared.count else {
                    return fail(ref, "it names shared string \(raw), and the workbook has \(shared.count)")
                }
                value = .text(shared[i])
            case .inlineStr, .str: value = .text(raw)
            case .b: value = .bool(raw == "1" || raw == "true")
            case .e: value = .error(raw)
            case .d:
                // ISO 8601 date cells (strict Open XML): keep the text; the engine reads ISO dates.
                value = .text(raw)
            default:
                let t = SheetHandler.isPlainNumber(buffer) ? raw : raw.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { return true }
                guard SheetHandler.isPlainNumber(buffer) || Double(t) != nil else { return fail(ref, "\"\(t.prefix(40))\" is stored as a number but is not one") }
                if cellStyle < dateStyles.count, dateStyles[cellStyle] {
                    if let (d, s) = XLSXWorkbook.date(serial: t, date1904: date1904) { value = .date(d, seconds: s) } else {
                        return fail(ref, "the date serial number \(t) names no day")
                    }
                } else {
                    value = .number(t)
                }
            }
            cells.append((cellColumn, value))
        case .row:
            if !cells.isEmpty { rows.append(XLSXSheet.Row(number: rowNumber, hidden: rowHidden, cells: cells)) }
            inRow = false
        default: break
        }
        return true
    }

    /// The value of 1 to 9 decimal digits and nothing else, or nil.
    static func digits(_ b: [UInt8]) -> Int? {
        guard !b.isEmpty, b.count <= 9 else { return nil }
        var n = 0
        for c in b { guard c >= 48 && c <= 57 else { return nil }; n = n * 10 + Int(c - 48) }
        return n
    }

    /// `-123.45`, `7`, `1.5E-3`: what a number cell holds (checked without a String).
    static func isPlainNumber(_ b: [UInt8]) -> Bool {
        if b.isEmpty { return false }
        var i = 0
        if b[0] == 0x2D { i = 1 }
        var digits = 0, point = false
        while i < b.count {
            let c = b[i]
            if c >= 48 && c <= 57 { digits += 1 } else if c == 0x2E && !point { point = true } else { break }
            i += 1
        }
        if digits == 0 { return false }
        if i < b.count && (b[i] == 0x45 || b[i] == 0x65) {
            i += 1
            if i < b.count && (b[i] == 0x2B || b[i] == 0x2D) { i += 1 }
            let start = i
            while i < b.count && b[i] >= 48 && b[i] <= 57 { i += 1 }
            if i == start { return false }
        }
        return i == b.count
    }

    static func letters(_ col: Int) -> String {
        var c = col, s: [Character] = []
        while c > 0 { let r = (c - 1) % 26; s.insert(Character(UnicodeScalar(UInt8(65 + r))), at: 0); c = (c - 1) / 26 }
        return String(s)
    }
}
