import SaldoCore

/// A problem in a rule file: which file, where inside it (a JSON path such as
/// `$.rules.irpf.state_scale.brackets[2].rate`), and what was expected and found.
///
/// `description` is `es-2026.json: $.rules.irpf.state_scale.brackets[2].rate: expected a decimal string, found true`.
public struct RuleFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// JSON path inside the file, `$` for the whole document.
    public var path: String
    public var message: String
    public var line: Int?
    public var column: Int?
    public var hint: String?

    public init(file: String, path: String, message: String, line: Int? = nil, column: Int? = nil, hint: String? = nil) {
        self.file = file; self.path = path; self.message = message; self.line = line; self.column = column; self.hint = hint
    }

    public var description: String { "\(file): \(path): \(message)" }

    /// The same problem as a `Diagnostic`, located at the line and column of the value.
    public var diagnostic: Diagnostic {
        .error("tax.rules", message, at: SourceLocation(file: file, line: line, column: column, field: path),
               hint: hint ?? "fix the rule file (its format is described in docs/tax.md and Rules/schema.json)")
    }
}

/// A read position inside a parsed rule file: a value plus the JSON path that leads to it.
struct Cursor {
    let value: JSONValue
    let path: String
    let file: String
    let positions: JSONPositions

    /// Where this value starts in the file.
    var line: Int? { positions.line(path) }
    var column: Int? { positions.column(path) }

    func fail(_ message: String, hint: String? = nil) -> RuleFileError {
        RuleFileError(file: file, path: path, message: message, line: line, column: column, hint: hint)
    }
    func expected(_ what: String) -> RuleFileError {
        fail("expected \(what), found \(value.foundDescription)")
    }

    static func childPath(_ path: String, _ key: String) -> String { JSONPositions.child(path, key) }

    // MARK: objects

    func members() throws(RuleFileError) -> [(key: String, value: Cursor)] {
        guard case .object(let m) = value else { throw expected("an object") }
        return m.map { ($0.key, Cursor(value: $0.value, path: Cursor.childPath(path, $0.key), file: file, positions: positions)) }
    }

    /// Refuses keys that are not in `allowed` (a typo in a key would otherwise be ignored silently).
    func onlyKeys(_ allowed: Set<String>) throws(RuleFileError) {
        for (k, c) in try members() where !allowed.contains(k) {
            throw RuleFileError(file: file, path: c.path, message: "unexpected key \"\(k)\"; expected one of \(allowed.sorted().joined(separator: ", "))",
                                line: c.line, column: c.column)
        }
    }

    func optional(_ key: String) throws(RuleFileError) -> Cursor? {
        guard case .object(let m) = value else { throw expected("an object") }
        guard let v = m.first(where: { $0.key == key })?.value else { return nil }
        if case .null = v { return nil }
        return Cursor(value: v, path: Cursor.childPath(path, key), file: file, positions: positions)
    }

    func field(_ key: String) throws(RuleFileError) -> Cursor {
        guard let c = try optional(key) else {
            guard case .object(let m) = value else { throw expected("an object") }
            let p = Cursor.childPath(path, key)
            if m.contains(where: { $0.key == key }) {
                throw RuleFileError(file: file, path: p, message: "expected a value, found null", line: line, column: column)
            }
            throw RuleFileError(file: file, path: p, message: "expected a value, found nothing (the key is missing)", line: line, column: column)
        }
        return c
    }

    // MARK: arrays

    func items() throws(RuleFileError) -> [Cursor] {
        guard case .array(let a) = value else { throw expected("an array") }
        return a.enumerated().map { Cursor(value: $0.element, path: JSONPositions.item(path, $0.offset), file: file, positions: positions) }
    }

    func nonEmptyItems() throws(RuleFileError) -> [Cursor] {
        let a = try items()
        if a.isEmpty { throw fail("expected a non-empty array, found an empty array") }
        return a
    }

    // MARK: scalars

    var isNull: Bool { if case .null = value { return true }; return false }

    func string() throws(RuleFileError) -> String {
        guard case .string(let s) = value else { throw expected("a string") }
        return s
    }

    func bool() throws(RuleFileError) -> Bool {
        guard case .bool(let b) = value else { throw expected("true or false") }
        return b
    }

    func int() throws(RuleFileError) -> Int {
        guard case .number(let t) = value, let v = Int(t) else { throw expected("a whole number") }
        return v
    }

    /// A decimal written as a string, `"0.21"` or `"12450.00"`: never a JSON number, so that no
    /// reader anywhere turns it into a binary float.
    func decimal() throws(RuleFileError) -> ExactDecimal {
        guard case .string(let s) = value else {
            if case .number(let t) = value {
                throw fail("expected a decimal string, found the number \(t)", hint: "write decimals in quotes, \"\(t)\", so they stay exact")
            }
            throw expected("a decimal string")
        }
        guard !s.isEmpty, s.first != "+", s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
              let d = try? ExactDecimal(s) else {
            throw fail("expected a decimal string such as \"0.21\" or \"12450.00\", found \"\(s)\"")
        }
        // Bounds that keep every product of rule figures and amounts exact in Int128.
        if d.scale > 8 { throw fail("expected at most 8 decimals, found \"\(s)\"") }
        if d.significand.magnitude >= UInt128(pow10(12 + d.scale)) { throw fail("expected a value under 1000000000000, found \"\(s)\"") }
        return d
    }

    /// A decimal between 0 and 1 inclusive (a rate or share).
    func rate() throws(RuleFileError) -> ExactDecimal {
        let d = try decimal()
        if d.isNegative || d > ExactDecimal(1) {
            throw fail("expected a rate between \"0\" and \"1\" (\"0.21\" means 21%), found \"\(d)\"")
        }
        return d
    }

    /// A non-negative amount in `currency` (no more decimals than the currency has).
    func money(_ currency: CurrencyCode) throws(RuleFileError) -> Money {
        let d = try decimal()
        guard let m = try? Money(d, currency: currency) else {
            throw fail("expected an amount in \(currency.code) with at most \(currency.exponent) decimals, found \"\(d)\"")
        }
        return m
    }

    func day() throws(RuleFileError) -> Day {
        guard case .string(let s) = value else { throw expected("a date string yyyy-mm-dd") }
        guard s.count == 10, let d = Day(iso: s) else { throw fail("expected a date yyyy-mm-dd, found \"\(s)\"") }
        return d
    }

    func oneOf<T: RawRepresentable>(_ type: T.Type) throws(RuleFileError) -> T where T.RawValue == String, T: CaseIterable {
        let all = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        guard case .string(let s) = value else { throw expected("one of \(all)") }
        guard let v = T(rawValue: s) else { throw fail("expected one of \(all), found \"\(s)\"") }
        return v
    }

    func strings() throws(RuleFileError) -> [String] {
        var out: [String] = []
        for c in try items() { out.append(try c.string()) }
        return out
    }
}
