/// Where a value came from: a file and, as far as known, its physical line, column,
/// record number and field name.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var record: Int?
    public var field: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, record: Int? = nil, field: String? = nil) {
        self.file = file; self.line = line; self.column = column; self.record = record; self.field = field
    }

    /// `statement.csv:214:5 (Gross)`.
    public var description: String {
        var s = file
        if let l = line { s += ":\(l)"; if let c = column { s += ":\(c)" } }
        if let f = field { s += " (\(f))" }
        return s
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

    public init(_ severity: Severity, code: String, _ message: String, at location: SourceLocation? = nil, hint: String? = nil) {
        self.severity = severity; self.code = code; self.message = message; self.location = location; self.hint = hint
    }

    public static func error(_ code: String, _ message: String, at location: SourceLocation? = nil, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, code: code, message, at: location, hint: hint)
    }
    public static func warning(_ code: String, _ message: String, at location: SourceLocation? = nil, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, code: code, message, at: location, hint: hint)
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
