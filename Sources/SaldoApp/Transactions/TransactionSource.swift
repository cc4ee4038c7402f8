import Foundation
import SaldoCore
import SaldoImport
import SaldoStore

/// Where a transaction came from: its statement file and line, with the lines around it from the
/// copy the ledger keeps of every imported file (the web app links each row here).
public struct TransactionSourceDocument: Sendable {
    public struct Line: Sendable, Equatable {
        public var number: Int
        public var text: String
        /// The transaction's own line.
        public var isTheRow: Bool
    }

    /// What can be shown of the file.
    public enum Content: Sendable, Equatable {
        /// The lines around the transaction's (text files: CSV, Norma 43, MT940, OFX, QIF, XML).
        case lines([Line])
        /// A spreadsheet (or another binary file): no lines to show; the copy can be downloaded.
        case binary(kind: String)
        /// The ledger keeps no copy of this file, and why.
        case notKept(reason: String)
    }

    public var transactionID: Int64
    public var fileName: String?
    public var line: Int?
    public var format: String?
    public var importedAt: String?
    public var sha256: String?
    public var keptBytes: Int?
    /// The text encoding the lines were read in (utf-8, utf-16, windows-1252).
    public var encoding: String?
    public var content: Content

    /// The API's answer (keys stable, like every `--format json` document).
    public func json() -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("transaction_id", .number(String(transactionID))),
            ("file", fileName.map(JSONValue.string) ?? .null),
            ("line", line.map { .number(String($0)) } ?? .null),
            ("format", format.map(JSONValue.string) ?? .null),
            ("imported_at", importedAt.map(JSONValue.string) ?? .null),
            ("sha256", sha256.map(JSONValue.string) ?? .null),
            ("kept_bytes", keptBytes.map { .number(String($0)) } ?? .null),
        ]
        switch content {
        case .lines(let lines):
            members.append(("content", .string("lines")))
            members.append(("encoding", encoding.map(JSONValue.string) ?? .null))
            members.append(("lines", .array(lines.map { l in
                .obj([("number", .number(String(l.number))), ("text", .string(l.text)), ("is_the_row", .bool(l.isTheRow))])
            })))
        case .binary(let kind):
            members.append(("content", .string(kind)))
        case .notKept(let reason):
            members.append(("content", .string("not-kept")))
            members.append(("reason", .string(reason)))
        }
        return .obj(members)
    }
}

extension Transactions {
    /// Where transaction `id` came from, with `context` lines either side of its own.
    public static func source(id: Int64, context: Int = 8, store: any LedgerStore) throws -> TransactionSourceDocument {
        guard let o = try store.origin(ofTransaction: id) else { throw StoreError.notFound("there is no transaction \(id) in this ledger") }
        var doc = TransactionSourceDocument(transactionID: id, fileName: o.fileName, line: o.line, format: o.format, importedAt: o.importedAt,
                                            sha256: o.sha256, keptBytes: o.keptBytes, content: .notKept(reason: ""))
        guard let sha = o.sha256, o.keptBytes != nil else {
            doc.content = .notKept(reason: o.batchID == nil
                ? "this transaction was recorded without a statement file"
                : "the ledger keeps no copy of this file: it was imported before Saldo kept a copy of every statement; import it again to keep one (nothing is added twice)")
            return doc
        }
        let excerpt = try SourceExcerpt.read(around: o.line, context: context) { body in try store.readOriginal(sha256: sha, body) }
        doc.encoding = excerpt.encoding
        doc.content = excerpt.content
        return doc
    }

    /// The kept copy of transaction `id`'s statement file: its name (as imported, without folders)
    /// and bytes.
    public static func original(id: Int64, store: any LedgerStore) throws -> (fileName: String, bytes: Data) {
        guard let o = try store.origin(ofTransaction: id) else { throw StoreError.notFound("there is no transaction \(id) in this ledger") }
        guard let sha = o.sha256, o.keptBytes != nil else { throw StoreError.notFound("the ledger keeps no copy of the file transaction \(id) came from") }
        var bytes = Data()
        try store.readOriginal(sha256: sha) { chunk in bytes.append(contentsOf: chunk); return true }
        let name = (o.batchFileName ?? o.fileName).map { URL(fileURLWithPath: $0).lastPathComponent } ?? "statement"
        return (name, bytes)
    }
}

/// Lines of a kept file around one line, read in chunks without loading the file.
enum SourceExcerpt {
    /// `chunks` calls its argument with each chunk of the file in order (false stops it). The
    /// file's first line (a CSV's column names) comes too when it is not among them.
    static func read(around line: Int?, context: Int,
                     chunks: ((UnsafeRawBufferPointer) throws -> Bool) throws -> Bool) throws -> (content: TransactionSourceDocument.Content, encoding: String?) {
        var head: [UInt8] = []
        var lines: [(number: Int, bytes: [UInt8])] = []
        var current: [UInt8] = []
        var number = 1
        let target = line ?? 1
        let first = max(1, target - context), last = target + context
        func wanted(_ n: Int) -> Bool { n == 1 || (n >= first && n <= last) }
        var lastByte: UInt8 = 0
        var binary: String?
        _ = try chunks { chunk in
            if head.count < 8 { head += chunk.prefix(8 - head.count) }
            if binary == nil, head.count >= 4 {
                if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { binary = "spreadsheet"; return false }
                if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { binary = "spreadsheet"; return false }
                if head.starts(with: Array("%PDF".utf8)) { binary = "pdf"; return false }
            }
            for b in chunk {
                // \n, \r\n and a lone \r end a line.
                if b == 0x0A {
                    if lastByte != 0x0D { if wanted(number) { lines.append((number, current)) }; number += 1 }
                    current = []
                } else if b == 0x0D {
                    if wanted(number) { lines.append((number, current)) }
                    number += 1
                    current = []
                } else if wanted(number) && current.count < 4_000 {
                    current.append(b)
                }
                lastByte = b
                if number > last { return false }
            }
            return true
        }
        if let binary { return (.binary(kind: binary), nil) }
        if number <= last && !current.isEmpty && wanted(number) { lines.append((number, current)) }
        // UTF-16 (some bank exports) cannot be cut into lines byte by byte: offered as a download.
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return (.binary(kind: "utf-16"), "utf-16") }
        if let f = lines.first, f.number == 1, f.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { lines[0].bytes = Array(f.bytes.dropFirst(3)) }
        // The excerpt in the encoding the import detects: UTF-8, else the legacy code page that
        // reads best (Windows-1252 or DOS Latin-2), decoded by the same code as the import.
        let joined = Data(lines.map(\.bytes).joined(separator: [0x0A]))
        let text: String, encoding: String
        if let utf8 = String(validating: joined, as: UTF8.self) {
            (text, encoding) = (utf8, "utf-8")
        } else {
            let d = TextDecoding.decodeLegacy(joined)
            (text, encoding) = (String(decoding: d.bytes.data, as: UTF8.self), d.encoding.rawValue.lowercased())
        }
        let decoded = text.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [TransactionSourceDocument.Line] = []
        for (l, t) in zip(lines, decoded) {
            out.append(.init(number: l.number, text: String(t), isTheRow: line != nil && l.number == target))
        }
        return (.lines(out), encoding)
    }
}
