/// A JSON value, the one type Saldo writes and reads JSON with: object keys kept in the order they
/// were given (so output is stable byte for byte: goldens, diffs, scripts) and numbers kept as their
/// exact text (so decimals never go through `Double`). ``JSONParser`` reads one, with the position
/// of every value.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number written exactly as given (already valid JSON number text).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    public static func int(_ v: Int) -> JSONValue { .number(String(v)) }
    /// Amounts are decimal strings, never JSON numbers, so no reader turns them into floats.
    public static func money(_ m: Money) -> JSONValue { .string(m.decimalString) }
    public static func decimal(_ d: ExactDecimal) -> JSONValue { .string(d.description) }
    public static func optional(_ v: JSONValue?) -> JSONValue { v ?? .null }
    /// Builds an object from `(key, value)` pairs in order.
    public static func obj(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(pairs.map { JSONMember($0.0, $0.1) }) }

    /// Pretty text, two-space indent, keys in the given order, a final newline at the top level.
    public func serialized() -> String {
        var out = ""
        write(&out, indent: 0)
        out += "\n"
        return out
    }

    /// The whole value on one line, no spaces, no final newline: one record of a JSON-lines stream.
    public func line() -> String {
        var out = ""
        writeLine(&out)
        return out
    }

    func writeLine(_ out: inout String) {
        switch self {
        case .null, .bool, .number, .string: write(&out, indent: 0)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() { if i > 0 { out += "," }; v.writeLine(&out) }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, m) in members.enumerated() {
                if i > 0 { out += "," }
                JSONValue.quote(m.key, into: &out)
                out += ":"
                m.value.writeLine(&out)
            }
            out += "}"
        }
    }

    func write(_ out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent)
        let pad1 = String(repeating: "  ", count: indent + 1)
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            // Arrays of scalars stay on one line.
            if a.allSatisfy({ $0.isScalar }) {
                out += "["
                for (i, v) in a.enumerated() { if i > 0 { out += ", " }; v.write(&out, indent: indent + 1) }
                out += "]"
                return
            }
            out += "[\n"
            for (i, v) in a.enumerated() {
                out += pad1
                v.write(&out, indent: indent + 1)
                out += i == a.count - 1 ? "\n" : ",\n"
            }
            out += pad + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, m) in members.enumerated() {
                out += pad1
                JSONValue.quote(m.key, into: &out)
                out += ": "
                m.value.write(&out, indent: indent + 1)
                out += i == members.count - 1 ? "\n" : ",\n"
            }
            out += pad + "}"
        }
    }

    var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var value: JSONValue
    public init(_ key: String, _ value: JSONValue) { self.key = key; self.value = value }
}

extension JSONValue {
    /// How a value is named in "found …" messages.
    public var foundDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let t): return "the number \(t)"
        case .string(let s): return "\"\(s)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The member `key` of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    /// The member `key` of an object, or null.
    public func objectValue(_ key: String) -> JSONValue { self[key] ?? .null }
}
