import Foundation
import SaldoCore

/// A profile written by the user in JSON (schema: fixtures/profiles/profile.schema.json,
/// documentation: docs/profiles.md). It can describe a CSV layout, carry categorisation rules,
/// or both. A file with rules and no columns adds its rules to every import.
public struct UserProfile: Sendable, Equatable {
    /// The layout, when the file describes one (`columns` present).
    public var profile: StatementProfile?
    public var rules: [CategoryRule]
    /// Where it was loaded from.
    public var source: String

    public init(profile: StatementProfile?, rules: [CategoryRule], source: String) {
        self.profile = profile; self.rules = rules; self.source = source
    }

    /// The JSON document as written.
    struct File: Decodable {
        var name: String
        var title: String?
        var institution: String?
        var columns: [String: Names]?
        var required: [String]?
        var forbiddenHeaders: [String]?
        var amounts: String?
        var feeSign: String?
        var invertSign: Bool?
        var decimalMark: String?
        var dateFormat: String?
        var currency: String?
        var completedStatuses: [String]?
        var classRules: [ClassRule]?
        var rules: [CategoryRule]?
        var uniqueIDs: Bool?
        var incomeFromCounterparty: Bool?
        var sheet: String?
        var card: Bool?

        enum Names: Decodable {
            case one(String), many([String])
            init(from decoder: any Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let s = try? c.decode(String.self) { self = .one(s) } else { self = .many(try c.decode([String].self)) }
            }
            var list: [String] { switch self { case .one(let s): return [s]; case .many(let a): return a } }
        }
    }

    /// Decodes one profile document; every mistake is reported with the file name.
    public static func decode(_ data: Data, source: String) throws(DiagnosticsError) -> UserProfile {
        let f: File
        do { f = try JSONDecoder().decode(File.self, from: data) } catch {
            throw DiagnosticsError([.error("profile.json", "not a valid profile: \(describe(error))", at: SourceLocation(file: source),
                                           hint: "see docs/profiles.md and fixtures/profiles/profile.schema.json")])
        }
        var problems: [Diagnostic] = []
        let loc = SourceLocation(file: source)
        for r in f.rules ?? [] {
            if let a = r.account, (try? Account(a)) == nil {
                problems.append(.error("profile.rule", "rule \"\(r.pattern)\": \"\(a)\" is not an account name", at: loc,
                                       hint: "use a path such as income:prolific or expenses:software"))
            }
            if r.pattern.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.error("profile.rule", "a rule has an empty pattern", at: loc, hint: "give each rule a payee or description text to look for"))
            }
        }
        var layout: StatementProfile?
        if let cols = f.columns, !cols.isEmpty {
            var specs: [ColumnSpec] = []
            let required = Set(f.required ?? Array(cols.keys))
            for (key, names) in cols.sorted(by: { $0.key < $1.key }) {
                guard let role = ColumnRole(rawValue: key) else {
                    problems.append(.error("profile.column", "unknown column role \"\(key)\"", at: loc,
                                           hint: "roles: " + ColumnRole.allCases.map(\.rawValue).joined(separator: ", ")))
                    continue
                }
                specs.append(ColumnSpec(role, names.list, required: required.contains(key)))
            }
            let model: AmountModel
            switch f.amounts ?? "amount" {
            case "amount": model = .amountIncludingFee
            case let s: 
                if let m = AmountModel(rawValue: s) { model = m } else {
                    problems.append(.error("profile.amounts", "unknown amounts model \"\(s)\"", at: loc,
                                           hint: "use amount, grossFeeNet, amountIncludingFee, amountPlusFee, creditDebit or transferDirection"))
                    model = .amountIncludingFee
                }
            }
            let roles = Set(specs.map(\.role))
            let needs: [ColumnRole]
            switch model {
            case .grossFeeNet: needs = [.date, .gross]
            case .amountIncludingFee, .amountPlusFee: needs = [.date, .amount]
            case .creditDebit: needs = [.date, .credit, .debit]
            case .transferDirection: needs = [.date, .direction, .sourceAmount, .sourceCurrency, .targetAmount, .targetCurrency]
            }
            for n in needs where !roles.contains(n) {
                problems.append(.error("profile.column", "the \(model.rawValue) layout needs a \"\(n.rawValue)\" column", at: loc,
                                       hint: "add \"\(n.rawValue)\": \"Header name\" to columns"))
            }
            if !roles.contains(.currency) && f.currency == nil && model != .transferDirection {
                problems.append(.error("profile.currency", "the profile has neither a currency column nor a fixed \"currency\"", at: loc,
                                       hint: "add \"currency\": \"EUR\" or a currency column"))
            }
            if let c = f.currency, (try? CurrencyCode(c)) == nil {
                problems.append(.error("profile.currency", "unknown currency code \"\(c)\"", at: loc, hint: "use an ISO 4217 code such as EUR"))
            }
            var order: DateOrder?
            if let df = f.dateFormat {
                if let c = DateConvention.parseOption(df) { order = c.order } else {
                    problems.append(.error("profile.date", "\"\(df)\" is not a date format", at: loc, hint: "use dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd"))
                }
            }
            if let m = f.decimalMark, m != "." && m != "," {
                problems.append(.error("profile.decimal", "decimalMark must be \".\" or \",\", found \"\(m)\"", at: loc))
            }
            var p = StatementProfile(
                name: f.name, title: f.title ?? f.name, institution: f.institution ?? f.name, columns: specs,
                forbiddenHeaders: f.forbiddenHeaders ?? [], amountModel: model,
                feeSign: f.feeSign.flatMap(FeeSign.init(rawValue:)) ?? .negative, decimalMark: f.decimalMark, dateOrder: order,
                currency: f.currency, completedStatuses: f.completedStatuses ?? [], classRules: f.classRules ?? [],
                uniqueIDs: f.uniqueIDs ?? true, incomeFromCounterparty: f.incomeFromCounterparty ?? true,
                categoryRules: f.rules ?? [], evidence: "user profile \(source)")
            p.invertSign = f.invertSign ?? false
            p.sheet = f.sheet
            p.card = f.card ?? false
            layout = p
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return UserProfile(profile: layout, rules: layout == nil ? (f.rules ?? []) : [], source: source)
    }

    /// Loads a profile file, or every `*.json` file of a folder (sorted by name).
    public static func load(from url: URL) throws(DiagnosticsError) -> [UserProfile] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
            throw DiagnosticsError([.error("profile.missing", "no profile file or folder at \(url.path)", at: SourceLocation(file: url.path))])
        }
        var files: [URL] = [url]
        if isDir.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            files = names.filter { $0.hasSuffix(".json") }.sorted().map { url.appendingPathComponent($0) }
        }
        var out: [UserProfile] = []
        var problems: [Diagnostic] = []
        for f in files {
            guard let data = try? Data(contentsOf: f) else {
                problems.append(.error("profile.read", "cannot read \(f.path)", at: SourceLocation(file: f.path)))
                continue
            }
            do { out.append(try decode(data, source: f.lastPathComponent)) } catch { problems.append(contentsOf: error.diagnostics) }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return out
    }

    static func describe(_ e: any Error) -> String {
        guard let d = e as? DecodingError else { return "\(e)" }
        switch d {
        case .keyNotFound(let k, let c): return "missing key \"\(k.stringValue)\"" + path(c.codingPath)
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "wrong type" + path(c.codingPath) + ": " + c.debugDescription
        case .dataCorrupted(let c): return c.debugDescription + path(c.codingPath)
        @unknown default: return "\(d)"
        }
    }
    static func path(_ p: [any CodingKey]) -> String { p.isEmpty ? "" : " at " + p.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") }
}
