import SaldoCore

/// A problem the user can fix (bad input, missing data). `message` says what is wrong and `hint`
/// what to do, in domain words; `fix`, when set, names the action so that each front end can say it
/// its own way (the CLI as a command line, the web app as a link).
public struct UserError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var hint: String?
    public var fix: Fix?
    public init(_ message: String, hint: String? = nil, fix: Fix? = nil) { self.message = message; self.hint = hint; self.fix = fix }
    public var description: String { hint.map { "\(message)\n  hint: \($0)" } ?? message }
}

/// What the user can do about a ``UserError``, independent of the front end.
public enum Fix: Sendable, Equatable {
    /// There is no ledger yet: import a statement or e-invoice, or build the demo ledger.
    case startLedger
    /// The ledger holds nothing for what was asked: import statements.
    case importStatements
    /// A setting is missing or wrong: set it (an example value is given).
    case setSetting(Setting, example: String)
    /// Exchange rates are missing: import them (or reinstall, when the bundled history is unreadable).
    case importRates
    /// Several statement profiles claim a file: choose one.
    case chooseProfile
    /// The tax jurisdiction is unknown: name it for this request or set it once.
    case chooseJurisdiction
    /// Several invoices share a number: say which (seller, kind or issue date).
    case chooseInvoice
    /// What was asked has nothing, but this period has: look at its reports (`2023`).
    case seeReports(period: String)
}

extension Fix {
    /// The period a fix is about (``seeReports(period:)``), for a page to link to.
    public var period: String? { if case .seeReports(let p) = self { return p } else { return nil } }

    /// A stable name for the fix (`start-ledger`, `set-base-currency`), by which the web app's problem
    /// details and pages offer it.
    public var name: String {
        switch self {
        case .startLedger: return "start-ledger"
        case .importStatements: return "import-statements"
        case .setSetting(let s, _): return "set-\(s.rawValue)"
        case .importRates: return "import-rates"
        case .chooseProfile: return "choose-profile"
        case .chooseJurisdiction: return "choose-jurisdiction"
        case .chooseInvoice: return "choose-invoice"
        case .seeReports: return "see-reports"
        }
    }
}

/// A capability that is announced but not part of this build.
public struct NotAvailable: Error, CustomStringConvertible, Sendable {
    public var what: String
    public init(_ what: String) { self.what = what }
    public var description: String { "\(what) is not available in this version of Saldo yet." }
}
