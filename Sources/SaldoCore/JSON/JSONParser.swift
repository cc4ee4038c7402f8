/// Where each value of a parsed JSON text starts, by its path (`$`, `$.rules.vat`, `$.items[3]`,
/// `$["key with spaces"]`): rule-file errors name the line and column.
public struct JSONPositions: Sendable {
    var table: [String: (line: Int, column: Int)] = [:]
    public init() {}
    public func line(_ path: String) -> Int? { table[path]?.line }
    public func column(_ path: String) -> Int? { table[path]?.column }

    /// The path of an object member.
    public static func child(_ path: String, _ key: String) -> String {
        let simple = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "$" }
        return simple ? "\(path).\(key)" : "\(path)[\"\(key)\"]"
    }

    /// The path of an array item.
    public static func item(_ path: String, _ index: Int) -> String { "\(path)[\(index)]" }
}

/// A syntax error in a JSON text, with its position.
public struct JSONSyntaxError: Error, Sendable {
    public var message: String
    public var line: Int
    public var column: Int
}

/// A small strict JSON parser (RFC 8259): no comments, no trailing commas, no duplicate keys,
/// nesting at most 200 deep; numbers kept as written.
public struct JSONParser {
    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    private var positions = JSONPositions()

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The value, and where each of its values starts.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> (value: JSONValue, positions: JSONPositions) {
        var p = JSONParser(bytes)
        // Skip a UTF-8 byte order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { p.i = 3; p.lineStart = 3 }
        p.skipSpace()
        let v = try p.value("$")
        p.skipSpace()
        if p.i < bytes.count { throw p.error("expected the end of the file after the top-level value") }
        return (v, p.positions)
    }

    private var column: Int { i - lineStart + 1 }

    private func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, line: line, column: column)
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A: i += 1; line += 1; lineStart = i
            default: return
            }
        }
    }

    private var foundHere: String {
        guard i < bytes.count else { return "the end of the file" }
        let b = bytes[i]
        if b >= 0x20 && b < 0x7F { return "'\(Character(UnicodeScalar(b)))'" }
        return "byte 0x\(String(b, radix: 16))"
    }

    private mutating func value(_ path: String) throws(JSONSyntaxError) -> JSONValue {
        guard i < bytes.count else { throw error("expected a value, found the end of the file") }
        positions.table[path] = (line, column)
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(path)
        case UInt8(ascii: "["): return try array(path)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        default:
            throw error("expected a value, found \(foundHere)")
        }
    }

    private mutating func literal(_ word: String) throws(JSONSyntaxError) {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else {
            throw error("expected a value, found \(foundHere)")
        }
        i += w.count
    }

    private mutating func number() throws(JSONSyntaxError) -> String {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digits(_ p: inout JSONParser) -> Int {
            var n = 0
            while p.i < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.i]) { p.i += 1; n += 1 }
            return n
        }
        if digits(&self) == 0 { throw error("expected digits in a number, found \(foundHere)") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            if digits(&self) == 0 { throw error("expected digits after the decimal point, found \(foundHere)") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            if digits(&self) == 0 { throw error("expected digits in the exponent, found \(foundHere)") }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        i += 1 // opening quote
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw error("expected a closing '\"', found the end of the file") }
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                i += 1
                guard i < bytes.count else { throw error("expected an escape, found the end of the file") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw error("expected the second half of a UTF-16 surrogate pair")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("expected a low surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("\\u escape is not a Unicode scalar") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    i -= 1
                    throw error("expected an escape such as \\n or \\u00e9, found \(foundHere)")
                }
            default:
                if b < 0x20 { throw error("expected a character, found a control byte inside a string (write it as an escape)") }
                out.append(b)
                i += 1
            }
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("expected four hex digits after \\u") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("expected four hex digits after \\u, found \(foundHere)")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > 200 { throw error("nesting deeper than 200 levels") }
    }

    private mutating func array(_ path: String) throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value(JSONPositions.item(path, items.count)))
            skipSpace()
            guard i < bytes.count else { throw error("expected ',' or ']', found the end of the file") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw error("expected ',' or ']', found \(foundHere)")
        }
    }

    private mutating func object(_ path: String) throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        var members: [JSONMember] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a key in double quotes, found \(foundHere)") }
            let (kl, kc) = (line, column)
            let key = try string()
            if members.contains(where: { $0.key == key }) {
                throw JSONSyntaxError(message: "duplicate key \"\(key)\"", line: kl, column: kc)
            }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after the key, found \(foundHere)") }
            i += 1
            skipSpace()
            members.append(JSONMember(key, try value(JSONPositions.child(path, key))))
            skipSpace()
            guard i < bytes.count else { throw error("expected ',' or '}', found the end of the file") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw error("expected ',' or '}', found \(foundHere)")
        }
    }
}
