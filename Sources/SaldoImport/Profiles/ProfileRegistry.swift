import Foundation
import SaldoCore

/// A profile as `saldo profiles list` shows it.
public struct ProfileSummary: Sendable, Equatable {
    public var name: String
    public var title: String
    public var institution: String
    /// `built-in` or the user profile's file name.
    public var origin: String

    /// The title in the catalog's language: a built-in profile's from `profile.title.<name>`; a
    /// user profile's as its file writes it.
    public func title(in L: Catalog) -> String {
        guard origin == "built-in", L.language != .en, let t = L.entries["profile.title.\(name)"] else { return title }
        return t
    }
}

/// The profiles known to Saldo (built-in and the user's), for `saldo profiles list|show|check`.
public enum ProfileRegistry {
    /// Detection order: user layouts first (a claiming user profile wins), then the built-ins.
    static func candidates(userProfiles: [UserProfile], forced: String?) -> [StatementProfile] {
        let all = userProfiles.compactMap(\.profile) + BuiltinProfiles.all
        if let f = forced { return all.filter { $0.name == f } }
        return all
    }

    public static func list(userProfiles: [UserProfile] = []) -> [ProfileSummary] {
        userProfiles.compactMap { u in u.profile.map { ProfileSummary(name: $0.name, title: $0.title, institution: $0.institution, origin: u.source) } }
            + BuiltinProfiles.all.map { ProfileSummary(name: $0.name, title: $0.title, institution: $0.institution, origin: "built-in") }
            + [ProfileSummary(name: Norma43Reader.profileName, title: Norma43Reader.title, institution: "the bank named in the file", origin: "built-in")]
            + bankTextFormatSummaries
    }

    public static func profile(named name: String, userProfiles: [UserProfile] = []) -> StatementProfile? {
        (userProfiles.compactMap(\.profile) + BuiltinProfiles.all).first { $0.name == name }
    }

    /// A readable description of a profile: columns (required ones marked), conventions, rules, in
    /// the catalog's language. The profile's own words (column names, statuses, rule values, the
    /// role and kind identifiers a profile file uses) stay as the profile writes them.
    public static func show(_ name: String, userProfiles: [UserProfile] = [], in L: Catalog = .shipped(.en)) -> String? {
        if name == Norma43Reader.profileName {
            return "norma43: \(L.has("profile.title.norma43") ? L.text("profile.title.norma43") : Norma43Reader.title)\n"
                + ["detected", "accounts", "dates", "dedup"].map { "  " + L.text("profiles.show.norma43.\($0)") }.joined(separator: "\n")
        }
        if let text = bankTextFormatShow(name, in: L) { return text }
        guard let p = profile(named: name, userProfiles: userProfiles) else { return nil }
        let inferred = L.text("profiles.show.inferred")
        let institution = Account.normalizeComponent(p.institution)
        var s = "\(p.name): \(L.has("profile.title.\(p.name)") ? L.text("profile.title.\(p.name)") : p.title)\n"
        s += "  " + L.text("profiles.show.institution", ["institution": p.institution, "asset": "assets:\(institution)", "fees": "expenses:fees:\(institution)"]) + "\n"
        s += "  " + L.text("profiles.show.columns") + "\n"
        for c in p.columns {
            s += "    \(c.required ? "*" : " ") \(c.role.rawValue): \(c.names.map { "\"\($0)\"" }.joined(separator: ", "))\n"
        }
        if !p.forbiddenHeaders.isEmpty { s += "  " + L.text("profiles.show.forbidden", ["headers": p.forbiddenHeaders.joined(separator: ", ")]) + "\n" }
        s += "  " + L.text(p.invertSign ? "profiles.show.amounts_inverted" : "profiles.show.amounts", ["model": p.amountModel.rawValue, "sign": p.feeSign.rawValue]) + "\n"
        s += "  " + L.text("profiles.show.conventions", ["mark": p.decimalMark ?? inferred, "order": p.dateOrder?.rawValue ?? inferred])
            + (p.currency.map { "; " + L.text("profiles.show.currency", ["currency": $0]) } ?? "") + "\n"
        if !p.completedStatuses.isEmpty { s += "  " + L.text("profiles.show.statuses", ["statuses": p.completedStatuses.joined(separator: ", ")]) + "\n" }
        for r in p.classRules {
            let values = r.values.map { "\"\($0)\"" }.joined(separator: " | ")
            let sign = r.sign.map { " " + L.text("profiles.show.rule_sign", ["sign": "\($0)"]) } ?? ""
            s += "  " + L.text("profiles.show.rule", ["field": r.field.rawValue, "match": r.match.rawValue, "values": values + sign, "kind": r.kind.rawValue]) + "\n"
        }
        for r in p.categoryRules {
            let parts = [r.platform.map { L.text("profiles.show.category_platform", ["name": $0]) }, r.client.map { L.text("profiles.show.category_client", ["name": $0]) },
                         r.account.map { L.text("profiles.show.category_account", ["name": $0]) }].compactMap { $0 }
            s += "  " + L.text("profiles.show.category", ["pattern": r.pattern, "target": parts.joined(separator: ", ")]) + "\n"
        }
        s += "  " + L.text(p.uniqueIDs ? "profiles.show.ids_unique" : "profiles.show.ids_reused") + "\n"
        if !p.evidence.isEmpty { s += "  " + L.text("profiles.show.evidence", ["evidence": p.evidence]) + "\n" }
        s += "  " + L.text("profiles.show.required_note")
        return s
    }

    /// Which profile claims the file and why, or why none does.
    public static func check(data: Data, fileName: String, userProfiles: [UserProfile] = []) -> ProfileCheckReport {
        var report = ProfileCheckReport(file: fileName, matched: nil, claimants: [], explanation: [])
        switch FileKind.sniff(data) {
        case .text: break
        case .xlsx: return checkSheet(data: data, fileName: fileName, userProfiles: userProfiles)
        case let other:
            if let d = other.diagnostic(file: fileName) { report.append(d) } else { report.explanation = [other.rawValue] }
            return report
        }
        if let format = StatementImporter.statementFormat(data) {
            let name = StatementImporter.bankProfileName(data, format)
            report.matched = name
            report.claimants = [name]
            report.explanation.append(format == .camt
                ? "\(name) claims it: the document's namespace is ISO 20022 \(name) (a bank statement, read by its structure, not by columns)"
                : "\(name) claims it: the file starts with an OFX \(name == "ofx-2" ? "2 XML" : "1 SGML") header (a bank or card statement, read by its structure, not by columns)")
            return report
        }
        let decoded: TextDecoding.Decoded
        switch TextDecoding.decode(data, file: fileName) {
        case .failure(let d): report.explanation = []; report.append(d); return report
        case .success(let d): decoded = d
        }
        report.explanation.append("encoding: \(decoded.encoding.rawValue)")
        if Norma43Reader.looksLikeNorma43(decoded.bytes.prefix(4096).array) {
            report.matched = Norma43Reader.profileName
            report.claimants = [Norma43Reader.profileName]
            report.explanation.append("norma43 claims it: the first record is an account header (11) and the lines are Norma 43 records of 80 characters")
            return report
        }
        if let (format, why) = bankTextFormatClaim(decoded.bytes) {
            report.matched = format; report.claimants = [format]; report.explanation.append(why)
            return report
        }
        let delimiter = CSVTokenizer.sniffDelimiter(decoded.bytes)
        let name = [0x2C: "comma", 0x3B: "semicolon", 0x09: "tab", 0x7C: "pipe"][delimiter] ?? "?"
        report.explanation.append("delimiter: \(name)")
        let tokenizer = CSVTokenizer(buffer: decoded.bytes, delimiter: delimiter)
        let headerCands: [StatementImporter.HeaderCandidate]
        do { headerCands = try StatementImporter.headerCandidates(tokenizer) } catch {
            report.append(StatementImporter.syntax(error, fileName))
            return report
        }
        let cands = headerCands.map { (record: $0.record, line: $0.line, header: $0.normalized) }
        let profiles = ProfileRegistry.candidates(userProfiles: userProfiles, forced: nil)
        let userCount = userProfiles.compactMap(\.profile).count
        for (i, p) in profiles.enumerated() {
            guard let f = HeaderMatcher.best(p, candidates: cands) else { continue }
            if f.claims {
                report.claimants.append(p.name)
                let roles = f.columns.keys.map(\.rawValue).sorted().joined(separator: ", ")
                report.explanation.append("\(p.name) claims it: header on line \(f.headerLine)\(f.headerRecord > 1 ? " (after \(f.headerRecord - 1) preamble line(s))" : ""), every required column found; columns used: \(roles)")
                if i < userCount && report.matched == nil { report.matched = p.name }
            } else {
                var why: [String] = []
                if !f.missing.isEmpty { why.append("missing required column(s) \(f.missing.map { "\"\($0)\"" }.joined(separator: ", "))") }
                if !f.forbidden.isEmpty { why.append("has \(f.forbidden.map { "\"\($0)\"" }.joined(separator: ", ")), which rules this layout out") }
                report.explanation.append("\(p.name) does not: \(why.joined(separator: "; ")) (best header candidate: line \(f.headerLine))")
            }
        }
        if report.matched == nil && report.claimants.count == 1 { report.matched = report.claimants.first }
        if report.claimants.isEmpty {
            report.explanation.append("no profile claims this file; write a user profile (docs/profiles.md) or name the profile to read it with")
        } else if report.claimants.count > 1 && report.matched == nil {
            report.explanation.append("several profiles claim this file; name the one to read it with")
        }
        return report
    }

    /// The same explanation for an .xlsx file: which sheet is read and how its cells were written.
    static func checkSheet(data: Data, fileName: String, userProfiles: [UserProfile]) -> ProfileCheckReport {
        var report = ProfileCheckReport(file: fileName, matched: nil, claimants: [], explanation: [])
        var wb: XLSXWorkbook
        do { wb = try XLSXWorkbook(data: data, file: fileName) } catch {
            report.explanation = []
            report.append(error.diagnostic(file: fileName))
            return report
        }
        report.explanation.append("Excel workbook (.xlsx), \(wb.date1904 ? "1904" : "1900") date system; sheets: "
            + wb.sheets.map { "\"\($0.name)\"\($0.hidden ? " (hidden)" : "")" }.joined(separator: ", "))
        switch XLSXStatement.choose(&wb, options: ImportOptions(), userProfiles: userProfiles) {
        case .failure(let d): report.append(d); return report
        case .success(let r):
            report.explanation.append("reading sheet \"\(r.sheet)\" (the first visible sheet a profile claims, or the one a user profile names); line numbers below are its row numbers")
            report.explanation.append(r.notation != nil ? "amounts: numeric cells (no decimal mark to guess); dates: date cells are read as dates"
                                      : "amounts: some are text (decided by the same evidence as CSV); dates: date cells are read as dates")
            var inner = check(data: r.csv, fileName: fileName, userProfiles: userProfiles)
            inner.explanation = report.explanation + inner.explanation.filter { !$0.hasPrefix("encoding:") && !$0.hasPrefix("delimiter:") }
            inner.diagnostics.merge(report.diagnostics) { a, _ in a }
            return inner
        }
    }
}
