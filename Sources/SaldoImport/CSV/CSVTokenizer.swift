import SaldoCore

/// One field of a record: a byte range of the decoded file and where it starts.
public struct CSVField: Sendable, Equatable {
    /// Byte offsets into the decoded (UTF-8) text, end excluded, quotes removed.
    public var start: Int
    public var end: Int
    /// Physical line (1-based) the field starts on.
    public var line: Int
    /// The field was written inside double quotes.
    public var quoted: Bool
    /// The field contains doubled quotes (`""`) that must be collapsed when read as text.
    public var escapedQuotes: Bool
    public var isEmpty: Bool { end <= start }
}

/// A record being read: its fields, its first physical line and its number (1-based, counting
/// every record of the file including preamble and header).
public struct CSVRecord: Sendable {
    public var fields: [CSVField] = []
    public var line: Int = 0
    public var number: Int = 0
    public init() {}
    public var count: Int { fields.count }
}

/// A syntax error in the CSV text.
public struct CSVSyntaxError: Error, Sendable {
    public var line: Int
    public var column: Int
    public var message: String
    public var hint: String
}

/// An RFC 4180 tokenizer over UTF-8 bytes that streams records into a reusable buffer.
///
/// Accepts what real exports do: CRLF or LF (or a lone CR), quoted fields with embedded
/// delimiters, doubled quotes and newlines, spaces between a closing quote and the delimiter,
/// a space before an opening quote, and quotes inside unquoted fields (kept as text).
public struct CSVTokenizer: Sendable {
    public let bytes: ByteBuffer
    public let delimiter: UInt8
    public private(set) var position = 0
    public private(set) var line = 1
    public private(set) var recordNumber = 0

    public init(bytes: [UInt8], delimiter: UInt8) {
        self.init(buffer: ByteBuffer(bytes), delimiter: delimiter)
    }

    public init(buffer bytes: ByteBuffer, delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
    }

    /// A tokenizer that starts at byte `position` (the start of a line) and counts lines and
    /// records from there, as if the text began at it (used to read the second half of a large
    /// file on another thread; the caller shifts the numbers afterwards).
    init(buffer bytes: ByteBuffer, delimiter: UInt8, startingAt position: Int) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.position = position
    }

    public var isAtEnd: Bool { position >= bytes.count }

    /// Reads the next record into `record`; returns false at the end of the text.
    public mutating func next(into record: inout CSVRecord) throws(CSVSyntaxError) -> Bool {
        let n = bytes.count
        if position >= n { return false }
        record.fields.removeAll(keepingCapacity: true)
        recordNumber += 1
        record.line = line
        record.number = recordNumber
        let d = delimiter
        var pos = position
        var ln = line
        var failure: CSVSyntaxError?
        bytes.withUnsafeBufferPointer { p in
            fieldLoop: while true {
                // A space before an opening quote: `a, "b"`.
                var q = pos
                while q < n && p[q] == 0x20 { q += 1 }
                if q < n && p[q] == 0x22 && q > pos && d != 0x20 { pos = q }
                if pos < n && p[pos] == 0x22 {
                    let fieldLine = ln
                    let openColumn = record.fields.count + 1
                    pos += 1
                    let start = pos
                    var escaped = false
                    var end = -1
                    while pos < n {
                        let c = p[pos]
                        if c == 0x22 {
                            if pos + 1 < n && p[pos + 1] == 0x22 { escaped = true; pos += 2; continue }
                            end = pos; pos += 1; break
                        }
                        if c == 0x0A { ln += 1 } else if c == 0x0D && !(pos + 1 < n && p[pos + 1] == 0x0A) { ln += 1 }
                        pos += 1
                    }
                    if end < 0 {
                        failure = CSVSyntaxError(line: fieldLine, column: openColumn,
                                                 message: "a quoted field opened here is never closed",
                                                 hint: "the file is cut short or a quote is missing; re-export it or fix the quote on this line")
                        return
                    }
                    while pos < n && (p[pos] == 0x20 || p[pos] == 0x09) && p[pos] != d { pos += 1 }
                    record.fields.append(CSVField(start: start, end: end, line: fieldLine, quoted: true, escapedQuotes: escaped))
                    if pos >= n { break fieldLoop }
                    let c = p[pos]
                    if c == d {
                        pos += 1
                        if pos >= n { record.fields.append(CSVField(start: n, end: n, line: ln, quoted: false, escapedQuotes: false)); break fieldLoop }
                        continue fieldLoop
                    }
                    if c == 0x0A { pos += 1; ln += 1; break fieldLoop }
                    if c == 0x0D { pos += 1; if pos < n && p[pos] == 0x0A { pos += 1 }; ln += 1; break fieldLoop }
                    let found = String(decoding: [c], as: UTF8.self)
                    failure = CSVSyntaxError(line: ln, column: record.fields.count,
                                             message: "expected a delimiter or the end of the line after a closing quote, found \"\(found)\"",
                                             hint: "a quote inside a quoted field must be doubled (\"\"); fix the quoting on this line or re-export the file")
                    return
                } else {
                    let start = pos
                    while pos < n {
                        let c = p[pos]
                        if c == d || c == 0x0A || c == 0x0D { break }
                        pos += 1
                    }
                    record.fields.append(CSVField(start: start, end: pos, line: ln, quoted: false, escapedQuotes: false))
                    if pos >= n { break fieldLoop }
                    let c = p[pos]
                    if c == d {
                        pos += 1
                        if pos >= n { record.fields.append(CSVField(start: n, end: n, line: ln, quoted: false, escapedQuotes: false)); break fieldLoop }
                        continue fieldLoop
                    }
                    if c == 0x0A { pos += 1; ln += 1; break fieldLoop }
                    pos += 1
                    if pos < n && p[pos] == 0x0A { pos += 1 }
                    ln += 1
                    break fieldLoop
                }
            }
        }
        position = pos
        line = ln
        if let f = failure { position = n; throw f }
        return true
    }

    /// The text of a field, with doubled quotes collapsed.
    public func text(_ f: CSVField) -> String {
        if f.end <= f.start { return "" }
        let s = bytes.withUnsafeBufferPointer { p in
            String(decoding: UnsafeBufferPointer(rebasing: p[f.start..<f.end]), as: UTF8.self)
        }
        return f.escapedQuotes ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    /// The text of a field, trimmed of spaces and tabs at both ends.
    public func trimmedText(_ f: CSVField) -> String {
        let r = trimmedRange(f)
        if r.isEmpty { return "" }
        let s = bytes.withUnsafeBufferPointer { p in String(decoding: UnsafeBufferPointer(rebasing: p[r]), as: UTF8.self) }
        return f.escapedQuotes ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    /// The bytes of a field without the spaces and tabs at both ends.
    public func trimmedRange(_ f: CSVField) -> Range<Int> {
        bytes.withUnsafeBufferPointer { p in
            var a = f.start, b = f.end
            while a < b && (p[a] == 0x20 || p[a] == 0x09) { a += 1 }
            while b > a && (p[b - 1] == 0x20 || p[b - 1] == 0x09) { b -= 1 }
            return a..<max(a, b)
        }
    }

    /// Guesses the delimiter among `,` `;` tab `|` from the first records: the candidate that gives
    /// the most records sharing the same (largest) field count wins.
    public static func sniffDelimiter(_ bytes: [UInt8]) -> UInt8 { sniffDelimiter(ByteBuffer(bytes)) }

    public static func sniffDelimiter(_ bytes: ByteBuffer) -> UInt8 {
        let sample = bytes.prefix(64 * 1024)
        var best: (delim: UInt8, score: Int, width: Int) = (0x2C, -1, 0)
        for cand: UInt8 in [0x2C, 0x3B, 0x09, 0x7C] {
            var t = CSVTokenizer(buffer: sample, delimiter: cand)
            var rec = CSVRecord()
            var counts: [Int: Int] = [:]
            var read = 0
            while read < 40 {
                guard let more = try? t.next(into: &rec), more else { break }
                read += 1
                if rec.count > 1 { counts[rec.count, default: 0] += 1 }
            }
            guard let mode = counts.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { continue }
            let score = mode.value * 1000 + mode.key
            if score > best.score { best = (cand, score, mode.key) }
        }
        return best.delim
    }
}
