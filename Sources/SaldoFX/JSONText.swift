import Foundation
import SaldoCore

/// A value of a central bank's JSON answer, read with SaldoCore's `JSONParser` (the one JSON type:
/// numbers kept as their exact text, so a rate such as `4.8542` stays the decimal it was written as),
/// with its line for diagnostics.
struct JSONNode: Sendable {
    let value: JSONValue
    let path: String
    let positions: JSONPositions

    var line: Int { positions.line(path) ?? 1 }

    subscript(key: String) -> JSONNode? {
        value[key].map { JSONNode(value: $0, path: JSONPositions.child(path, key), positions: positions) }
    }
    var array: [JSONNode]? {
        guard case .array(let a) = value else { return nil }
        return a.indices.map { JSONNode(value: a[$0], path: JSONPositions.item(path, $0), positions: positions) }
    }
    /// A string's text, or a number's text (APIs write rates both ways).
    var text: String? {
        switch value {
        case .string(let s), .number(let s): return s
        default: return nil
        }
    }
    var isNull: Bool { if case .null = value { return true }; return false }
}

enum JSONReader {
    /// The answer's root value, or where and why it is not JSON.
    static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONNode {
        let (value, positions) = try JSONParser.parse(Array(data))
        return JSONNode(value: value, path: "$", positions: positions)
    }
}
