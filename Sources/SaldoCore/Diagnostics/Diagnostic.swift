/// Where a value came from: a file and, as far as known, its physical line, column,
/// record number and field name.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var record: Int?
    public var field: String?
    /// The worksheet, for a spreadsheet: `line` is then the row and `column` the column (1 = A).
    public var sheet: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, record: Int? = nil, field: String? = nil, sheet: String? = nil) {
        self.file = file; self.line = line; self.column = column; self.record = record; self.field = field; self.sheet = sheet
    }

    /// `statement.csv:214:5 (Gross)`; in a spreadsheet `statement.xlsx:Sheet1!C14 (Importe)`.
    public var description: String {
        if let sheet {
            var s = file + ":" + SourceLocation.quotedSheet(sheet)
            if let l = line { s += column.map { "!\(SourceLocation.columnLetters($0))\(l)" } ?? " row \(l)" }
            if let f = field { s += " (\(f))" }
            return s
        }
        var s = file
        if let l = line { s += ":\(l)"; if let c = column { s += ":\(c)" } }
        if let f = field { s += " (\(f))" }
        return s
    }
}

extension SourceLocation {
    /// `3` → `C`, `28` → `AB`.
    public static func columnLetters(_ column: Int) -> String {
        var c = column, out: [Character] = []
        while c > 0 { let r = (c - 1) % 26; out.insert(Character(UnicodeScalar(UInt8(65 + r))), at: 0); c = (c - 1) / 26 }
        return String(out)
    }

    /// A sheet name as Excel writes it in a reference: quoted when it holds anything but letters, digits and `_`.
    static func quotedSheet(_ name: String) -> String {
        name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? name : "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// A problem found while reading or checking data, phrased for the user:
/// where, what was expected, what was found, and what to do.
public struct Diagnostic: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case note, warning, error
        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.note, .warning, .error]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public var severity: Severity
    /// A stable identifier for the kind of problem, e.g. `csv.amount`, `xml.doctype`, `ledger.unbalanced`.
    public var code: String
    public var message: String
    public var location: SourceLocation?
    public var hint: String?
    /// The values in `message` by name (`raw`, `expected`…), for front ends that show the message
    /// in another language from the catalog entry `diag.<code>` (or `diag.<code>.<variant>`);
    /// empty where the message has none or they were not given (the front end then reads them
    /// back from the English message). Encoded only when not empty.
    public var arguments: [String: String] = [:]

    public init(_ severity: Severity, code: String, _ message: String, at location: SourceLocation? = nil, hint: String? = nil,
                arguments: [String: String] = [:]) {
        self.severity = severity; self.code = code; self.message = message; self.location = location; self.hint = hint
        self.arguments = arguments
    }

    enum CodingKeys: String, CodingKey { case severity, code, message, location, hint, arguments }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        severity = try c.decode(Severity.self, forKey: .severity)
        code = try c.decode(String.self, forKey: .code)
        message = try c.decode(String.self, forKey: .message)
        location = try c.decodeIfPresent(SourceLocation.self, forKey: .location)
        hint = try c.decodeIfPresent(String.self, forKey: .hint)
        arguments = try c.decodeIfPresent([String: String].self, forKey: .arguments) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(severity, forKey: .severity)
        try c.encode(code, forKey: .code)
        try c.encode(message, forKey: .message)
        try c.encodeIfPresent(location, forKey: .location)
        try c.encodeIfPresent(hint, forKey: .hint)
        if !arguments.isEmpty { try c.encode(arguments, forKey: .arguments) }
    }

    public static func error(_ code: String, _ message: String, at location: SourceLocation? = nil, hint: String? = nil,
                             arguments: [String: String] = [:]) -> Diagnostic {
        Diagnostic(.error, code: code, message, at: location, hint: hint, arguments: arguments)
    }
    public static func warning(_ code: String, _ message: String, at location: SourceLocation? = nil, hint: String? = nil,
                               arguments: [String: String] = [:]) -> Diagnostic {
        Diagnostic(.warning, code: code, message, at: location, hint: hint, arguments: arguments)
    }

    /// `statement.csv:214:5 (Gross): expected an amount, found "1.234,5O"` and, on a second line, the hint.
    public var description: String {
        var s = ""
        if let l = location { s += "\(l): " }
        if severity == .warning { s += "warning: " }
        s += message
        if let h = hint { s += "\n  hint: \(h)" }
        return s
    }
}

/// An error made of several diagnostics (for example every bad row in a file).
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ d: [Diagnostic]) { diagnostics = d }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
