import Foundation

/// A JSON value as the central banks' APIs send it, with numbers kept as their text (so a rate such
/// as `4.8542` stays the exact decimal it was written as, never a binary floating-point number) and
/// every value's line, for diagnostics.
///
/// Only what rate files need: no duplicate-key checks, no surrogate pairs beyond what `String`
/// decodes, nesting limited to ``maximumDepth``.
indirect enum JSONText: Sendable {
    case object([(key: String, value: JSONNode)])
    case array([JSONNode])
    case string(String)
    case number(String)
    case bool(Bool)
    case null
}

struct JSONNode: Sendable {
    var value: JSONText
    var line: Int

    subscript(key: String) -> JSONNode? {
        if case .object(let members) = value { return members.first { $0.key == key }?.value }
        return nil
    }
    var array: [JSONNode]? { if case .array(let a) = value { return a }; return nil }
    /// A string's text, or a number's text (APIs write rates both ways).
    var text: String? {
        switch value {
        case .string(let s), .number(let s): return s
        default: return nil
        }
    }
    var isNull: Bool { if case .null = value { return true }; return false }
}

struct JSONSyntaxError: Error, Sendable {
    var line: Int
    var expected: String
    var found: String
}

enum JSONReader {
    static let maximumDepth = 64

    static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONNode {
        var p = Parser(bytes: [UInt8](data))
        if p.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { p.pos = 3 }
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.pos < p.bytes.count { throw p.error("the end of the document") }
        return v
    }

    struct Parser {
        let bytes: [UInt8]
        var pos = 0
        var line = 1

        func error(_ expected: String) -> JSONSyntaxError {
            if pos >= bytes.count { return JSONSyntaxError(line: line, expected: expected, found: "the end of the file (the file is cut short)") }
            let end = min(bytes.count, pos + 12)
            let s = String(decoding: bytes[pos..<end], as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            return JSONSyntaxError(line: line, expected: expected, found: "\"\(s)\"")
        }

        mutating func skipSpace() {
            while pos < bytes.count {
                let b = bytes[pos]
                if b == 0x0A { line += 1 } else if b != 0x20 && b != 0x09 && b != 0x0D { return }
                pos += 1
            }
        }

        mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONNode {
            skipSpace()
            guard depth < JSONReader.maximumDepth else { throw error("at most \(JSONReader.maximumDepth) levels of nesting") }
            guard pos < bytes.count else { throw error("a value") }
            let at = line
            switch bytes[pos] {
            case 0x7B: // {
                pos += 1
                var members: [(key: String, value: JSONNode)] = []
                skipSpace()
                if pos < bytes.count && bytes[pos] == 0x7D { pos += 1; return JSONNode(value: .object(members), line: at) }
                while true {
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == 0x22 else { throw error("a member name in quotes") }
                    let k = try string()
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == 0x3A else { throw error("\":\"") }
                    pos += 1
                    members.append((k, try value(depth: depth + 1)))
                    skipSpace()
                    guard pos < bytes.count else { throw error("\",\" or \"}\"") }
                    if bytes[pos] == 0x2C { pos += 1; continue }
                    if bytes[pos] == 0x7D { pos += 1; return JSONNode(value: .object(members), line: at) }
                    throw error("\",\" or \"}\"")
                }
            case 0x5B: // [
                pos += 1
                var items: [JSONNode] = []
                skipSpace()
                if pos < bytes.count && bytes[pos] == 0x5D { pos += 1; return JSONNode(value: .array(items), line: at) }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard pos < bytes.count else { throw error("\",\" or \"]\"") }
                    if bytes[pos] == 0x2C { pos += 1; continue }
                    if bytes[pos] == 0x5D { pos += 1; return JSONNode(value: .array(items), line: at) }
                    throw error("\",\" or \"]\"")
                }
            case 0x22:
                return JSONNode(value: .string(try string()), line: at)
            case 0x74: try literal("true"); return JSONNode(value: .bool(true), line: at)
            case 0x66: try literal("false"); return JSONNode(value: .bool(false), line: at)
            case 0x6E: try literal("null"); return JSONNode(value: .null, line: at)
            case 0x2D, 0x30...0x39:
                let start = pos
                pos += 1
                while pos < bytes.count, (0x30...0x39).contains(bytes[pos]) || [0x2E, 0x65, 0x45, 0x2B, 0x2D].contains(bytes[pos]) { pos += 1 }
                return JSONNode(value: .number(String(decoding: bytes[start..<pos], as: UTF8.self)), line: at)
            default:
                throw error("a JSON value")
            }
        }

        mutating func literal(_ word: String) throws(JSONSyntaxError) {
            let w = Array(word.utf8)
            guard pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w else { throw error(word) }
            pos += w.count
        }

        mutating func string() throws(JSONSyntaxError) -> String {
            pos += 1 // opening quote
            var out: [UInt8] = []
            while pos < bytes.count {
                let b = bytes[pos]
                if b == 0x22 { pos += 1; return String(decoding: out, as: UTF8.self) }
                if b == 0x0A { throw error("a closing quote before the end of the line") }
                if b == 0x5C {
                    guard pos + 1 < bytes.count else { break }
                    let e = bytes[pos + 1]
                    pos += 2
                    switch e {
                    case 0x6E: out.append(0x0A)
                    case 0x74: out.append(0x09)
                    case 0x72: out.append(0x0D)
                    case 0x62: out.append(0x08)
                    case 0x66: out.append(0x0C)
                    case 0x75:
                        guard pos + 4 <= bytes.count, let u = UInt32(String(decoding: bytes[pos..<pos + 4], as: UTF8.self), radix: 16) else { throw error("four hex digits after \\u") }
                        pos += 4
                        out += Array(String(Character(Unicode.Scalar(u) ?? "\u{FFFD}")).utf8)
                    default: out.append(e)
                    }
                    continue
                }
                out.append(b)
                pos += 1
            }
            throw error("a closing quote")
        }
    }
}
