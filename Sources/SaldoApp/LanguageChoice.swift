import SaldoCore
import SaldoReports

/// The language a front end speaks for one run: an explicit choice (the command line's global
/// language option, taken out of the arguments before they are parsed, so it may stand anywhere
/// before `--`), else the environment (``Language/resolve(explicit:environment:)``).
public enum LanguageChoice {
    /// The arguments without the language option, and the language it names (nil when absent).
    /// A value Saldo does not speak is an error that names the languages it does.
    public static func take(_ option: String, from arguments: [String]) throws -> (language: Language?, remaining: [String]) {
        var remaining: [String] = []
        var language: Language?
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { remaining += arguments[i...]; break }
            var value: String?
            if a == option {
                guard i + 1 < arguments.count else { throw unknown(nil, option) }
                value = arguments[i + 1]; i += 2
            } else if a.hasPrefix(option + "=") {
                value = String(a.dropFirst(option.count + 1)); i += 1
            } else { remaining.append(a); i += 1; continue }
            guard let v = value, let l = Language.parse(v), v.count <= 20 else { throw unknown(value, option) }
            language = l
        }
        return (language, remaining)
    }

    static func unknown(_ value: String?, _ option: String) -> UserError {
        let spoken = Language.allCases.map(\.rawValue).joined(separator: ", ")
        return UserError(value.map { "\(option) \($0): Saldo does not speak this language" } ?? "\(option) needs a language",
                         hint: "choose one of \(spoken)")
    }

    /// The language of one run: the explicit choice, else `SALDO_LANG`, `LC_ALL`, `LC_MESSAGES`, `LANG`, else English.
    public static func resolve(explicit: Language?, environment: [String: String]) -> Language {
        Language.resolve(explicit: explicit?.rawValue, environment: environment)
    }
}

extension ImportOutcome {
    /// "16 files: 3 new, …" after several files, in the catalog's language.
    public func totalsLine(dryRun: Bool, catalog L: Catalog = .shipped(.en)) -> String {
        let n = { (i: Int) in HumanFormat(L.language).integer(i) }
        return L.plural("import.totals", count: files.count, ["count": n(files.count), "new": n(totals.new), "duplicates": n(totals.duplicates),
                                                             "filtered": n(totals.filtered), "failed": n(failedFiles)])
            + (dryRun ? L.text("import.totals.dry_run") : "")
    }
}
