import SaldoApp
import SaldoReports
import SaldoCore

/// How the command line says what the application layer leaves to the front end: the commands
/// that fix a problem.
enum CLIText {
    /// The message and what to do: the command that fixes it when the error names a fix, else its hint.
    static func describe(_ e: UserError) -> String {
        guard let hint = e.fix.map(command) ?? e.hint else { return e.message }
        return "\(e.message)\n  hint: \(hint)"
    }

    static func command(_ fix: Fix) -> String {
        switch fix {
        case .startLedger: return "`saldo import FILE` creates a ledger from a statement or e-invoice; `saldo demo --keep` builds a demo ledger to try"
        case .importStatements: return "import a statement first: saldo import FILE"
        case .setSetting(let key, let example): return "saldo config set \(key.rawValue) \(example)"
        case .importRates: return "import the rates: `saldo rates import FILE` (ECB files, or a CSV with columns date,base,quote,rate)"
        case .chooseProfile: return "choose one with --profile NAME"
        case .chooseJurisdiction: return "pass --jurisdiction es|us|gb, or set it once: saldo config set jurisdiction es"
        }
    }
}

extension CLIText {
    /// Hints that name the command or option fixing a problem, by diagnostic code: the libraries
    /// say what to do in domain words, the command line says which command does it.
    static let commandHints: [String: String] = [
        "import.rates": "use `saldo rates import FILE`",
    ]

    /// The summary with each problem's hint followed by the command that does it.
    static func withCommands(_ summary: FileImportSummary) -> FileImportSummary {
        var s = summary
        s.problems = s.problems.map { d in
            var d = d
            if let extra = commandHints[d.code] { d.hint = d.hint.map { "\($0): \(extra)" } ?? extra }
            else if d.code == "xml.unknown", d.hint?.contains("exchange rates") == true { d.hint = (d.hint ?? "") + ": use `saldo rates import FILE`" }
            return d
        }
        return s
    }
}

/// Exit statuses: 0 ok, 1 user or input error, 2 usage error, 3 done with caveats or problems found
/// (a balance that does not agree).
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let userError: Int32 = 1
    public static let usage: Int32 = 2
    public static let problemsFound: Int32 = 3
}
