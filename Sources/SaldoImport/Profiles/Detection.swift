import SaldoCore

/// How one profile fits one candidate header row.
public struct HeaderFit: Sendable {
    public var profile: String
    /// 1-based record number of the candidate header row.
    public var headerRecord: Int
    public var headerLine: Int
    /// Role → field index (0-based) for every column found.
    public var columns: [ColumnRole: Int]
    /// Required columns not found, by their first (English) name.
    public var missing: [String]
    /// Forbidden headers present.
    public var forbidden: [String]
    public var found: Int
    public var claims: Bool { missing.isEmpty && forbidden.isEmpty }
}

enum HeaderMatcher {
    /// Compares a profile with a header row (already normalised).
    static func fit(_ p: StatementProfile, header: [String], record: Int, line: Int) -> HeaderFit {
        var columns: [ColumnRole: Int] = [:]
        var missing: [String] = []
        var found = 0
        for spec in p.columns {
            let names = spec.names.map(HeaderText.normalize)
            // The first alias found wins, so a profile can prefer one column over another.
            if let i = names.lazy.compactMap({ n in header.firstIndex(of: n) }).first {
                if columns[spec.role] == nil { columns[spec.role] = i; found += 1 }
            } else if spec.required && columns[spec.role] == nil {
                if !p.columns.contains(where: { $0.role == spec.role && $0 != spec && header.contains(where: Set($0.names.map(HeaderText.normalize)).contains) }) {
                    missing.append(spec.names.first ?? spec.role.rawValue)
                }
            }
        }
        let forbidden = p.forbiddenHeaders.filter { header.contains(HeaderText.normalize($0)) }
        return HeaderFit(profile: p.name, headerRecord: record, headerLine: line, columns: columns, missing: missing, forbidden: forbidden, found: found)
    }

    /// The first header row (among `candidates`) that `p` claims, or the closest miss.
    static func best(_ p: StatementProfile, candidates: [(record: Int, line: Int, header: [String])]) -> HeaderFit? {
        var closest: HeaderFit?
        for c in candidates {
            let f = fit(p, header: c.header, record: c.record, line: c.line)
            if f.claims { return f }
            if closest == nil || (f.found - f.missing.count) > (closest!.found - closest!.missing.count) { closest = f }
        }
        return closest
    }
}

/// What `saldo profiles check FILE` prints: which profile claims the file and why, or why none does.
public struct ProfileCheckReport: Sendable {
    public var file: String
    /// The claiming profile, if exactly one (or a user profile) claims the file.
    public var matched: String?
    /// Every profile that claims the file.
    public var claimants: [String]
    /// One line per reason, ready to print (English; see ``localizedExplanation(in:)``).
    public var explanation: [String]
    /// The lines of ``explanation`` that are a problem with the file itself, by their English text.
    var diagnostics: [String: Diagnostic] = [:]

    public init(file: String, matched: String?, claimants: [String], explanation: [String]) {
        self.file = file; self.matched = matched; self.claimants = claimants; self.explanation = explanation
    }

    /// Adds a problem with the file as a line of the explanation.
    mutating func append(_ d: Diagnostic) {
        explanation.append(d.description)
        diagnostics[d.description] = d
    }

    /// ``explanation`` in the catalog's language: each line from its `profile_check.*` template
    /// (profile, column and sheet names as the files write them), a problem with the file as its
    /// diagnostic reads in that language.
    public func localizedExplanation(in L: Catalog) -> [String] {
        guard L.language != .en else { return explanation }
        return explanation.map { line in
            if let d = diagnostics[line] { return d.text(in: L) }
            guard var t = Catalog.recognize(line, keyPrefix: "profile_check.") else { return line }
            if t.key == "profile_check.xlsx", let sheets = t.arguments["sheets"] {
                // `"Sheet1", "Old" (hidden)`: each sheet as it is, its hidden mark in the language.
                t.arguments["sheets"] = sheets.components(separatedBy: ", ").map { s in
                    Catalog.recognize(s, keyPrefix: "profile_check.sheet_hidden").map { L.text($0.key, $0.arguments) } ?? s
                }.joined(separator: ", ")
                return L.text(t.key, L.localizing(t.arguments))
            }
            return L.translating(line, keyPrefix: "profile_check.")
        }
    }
}
