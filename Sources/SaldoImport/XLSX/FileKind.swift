import Foundation
import SaldoCore
import SaldoZip

/// What a file is, from its first bytes (never its name): statements Saldo reads (text, .xlsx),
/// and files people pick by mistake, each with a message saying what it is and what to export instead.
public enum FileKind: String, Sendable, Equatable {
    case text, xlsx
    case xls, pdf, png, jpeg, gif, webp, heic, ods, numbers, zip

    static let exports = "export the statement as CSV, Excel (.xlsx), camt.053, OFX, MT940, QIF or Norma 43 from the bank or platform"

    /// The kind of `data`. A zip archive is looked into (its entry names only) to tell an .xlsx from
    /// an OpenDocument or Numbers file or any other archive.
    public static func sniff(_ data: Data) -> FileKind {
        let head = [UInt8](data.prefix(16))
        func starts(_ sig: [UInt8], at o: Int = 0) -> Bool { head.count >= o + sig.count && Array(head[o..<(o + sig.count)]) == sig }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .xls }
        if starts(Array("%PDF".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF8".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("ftyp".utf8), at: 4), head.count >= 12 {
            let brand = String(decoding: head[8..<12], as: UTF8.self)
            if ["heic", "heix", "hevc", "heim", "heis", "mif1", "msf1", "avif"].contains(brand) { return .heic }
        }
        if ZipReader.looksLikeZip(data) {
            // Names only: nothing is inflated here except an OpenDocument `mimetype` (a few bytes).
            guard var z = try? ZipReader(data: data) else {
                // Damaged: when its first entry is a part of a workbook, the xlsx reader explains; else it is an archive.
                let first = data.count > 30 ? String(decoding: data.dropFirst(30).prefix(20), as: UTF8.self) : ""
                return ["[Content_Types]", "_rels/", "xl/", "docProps/"].contains { first.hasPrefix($0) } ? .xlsx : .zip
            }
            if XLSXWorkbook.isWorkbook(z) { return .xlsx }
            if z.contains("mimetype"), let m = try? z.data(of: "mimetype"), String(decoding: m.prefix(100), as: UTF8.self).contains("opendocument") { return .ods }
            if z.entries.contains(where: { $0.name.hasPrefix("Index/") && $0.name.hasSuffix(".iwa") }) { return .numbers }
            return .zip
        }
        return .text
    }

    /// The problem to report for a file that is not a statement Saldo reads; nil for text and .xlsx.
    public func diagnostic(file: String) -> Diagnostic? {
        let at = SourceLocation(file: file)
        switch self {
        case .text, .xlsx: return nil
        case .xls:
            return .error("import.xls", "this is a legacy Excel 97-2003 workbook (.xls), which Saldo does not read", at: at,
                          hint: "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx) or CSV, or export the statement as CSV from the bank")
        case .pdf:
            return .error("import.pdf", "this is a PDF document; a PDF statement is meant for printing and holds no data Saldo can read reliably", at: at, hint: Self.exports)
        case .png, .jpeg, .gif, .webp, .heic:
            return .error("import.image", "this is an image (\(rawValue.uppercased())), not a statement file", at: at, hint: Self.exports)
        case .ods:
            return .error("import.ods", "this is an OpenDocument spreadsheet (.ods), which Saldo does not read", at: at,
                          hint: "save it from LibreOffice as Excel Workbook (.xlsx) or CSV, or \(Self.exports)")
        case .numbers:
            return .error("import.numbers", "this is an Apple Numbers document, which Saldo does not read", at: at,
                          hint: "in Numbers choose File › Export To › Excel or CSV, or \(Self.exports)")
        case .zip:
            return .error("import.zip", "this is a zip archive (or a damaged one), not a statement and not an Excel workbook", at: at,
                          hint: "unzip it and import the statement files inside; \(Self.exports)")
        }
    }
}
