import SaldoCore

/// Choices the user can make on the command line (`saldo import --date-format … --decimal-mark …`).
public struct ImportOptions: Sendable, Equatable {
    /// `dd/mm/yyyy`, `mm/dd/yyyy`, `yyyy-mm-dd`, `dd.mm.yyyy`, or `dmy`/`mdy`/`ymd`: settles ambiguous dates.
    public var dateFormat: String?
    /// `.` or `,`: settles an ambiguous decimal mark.
    public var decimalMark: String?
    /// Forces a profile by name instead of detecting it.
    public var profile: String?
    /// The currency of a file that states none (QIF), as an ISO 4217 code; EUR when not given.
    public var currency: String?
    /// The conversion legs the ledger holds on their own (from the ledger): a leg of this file
    /// that links to one still waiting is paired with it; one seen again is known.
    public var conversionLegs: [ConversionLeg] = []
    /// Files with at least this many rows have them mapped on two threads (tests lower or raise it).
    var parallelRows = CSVStatementReader.parallelRows
    /// Files of at least this many bytes are scanned on two threads (tests lower or raise it).
    var parallelScanBytes = CSVStatementReader.parallelScanBytes
    /// Set when the text comes from a spreadsheet whose amounts are numeric cells, rendered with this
    /// decimal mark: no guess is needed.
    var sheetNumbers: NumberNotation?

    public init(dateFormat: String? = nil, decimalMark: String? = nil, profile: String? = nil) {
        self.dateFormat = dateFormat; self.decimalMark = decimalMark; self.profile = profile
    }
}

/// A row of the file that was read but deliberately not imported, with the reason.
public struct FilteredRow: Sendable, Hashable {
    public var location: SourceLocation
    public var reason: String
    /// The row's day, amount and description when it has them, so that a page or terminal can
    /// write them as its language does (`14 jul 2025 -13,21 € …`; see SaldoReports' `summary(in:)`).
    public var day: Day?
    public var amount: Money?
    public var detail: String?
    /// The row's own text, for a row without a date and amount (a footer, a label in the date column).
    public var text: String

    /// A row with a day, an amount and a description.
    public init(location: SourceLocation, reason: String, day: Day, amount: Money, detail: String) {
        self.location = location; self.reason = reason; self.day = day; self.amount = amount; self.detail = detail; self.text = ""
    }

    /// A row that has no date and amount: its text as the file has it.
    public init(location: SourceLocation, reason: String, text: String) {
        self.location = location; self.reason = reason; self.text = text
    }

    /// A short summary of the row as machine output writes it (`2025-07-14 -13.21 EUR Einbehaltung für
    /// offene Autorisierung`), or the row's text when it has no date and amount.
    public var summary: String {
        guard let day, let amount else { return text }
        let s = "\(day) \(amount.decimalString) \(amount.currency.code) \(detail ?? "")"
        // Trimmed by hand: Foundation's trimming bridges through NSString (slow for 20k filtered rows).
        guard s.last == " " || s.last == "\t" else { return s }
        return String(s.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

/// Everything read from one statement file. Nothing here has touched a database.
public struct StatementReadResult: Sendable {
    public var file: String
    /// The profile that claimed the file (`paypal-activity`, `norma43`, a user profile's name), or nil.
    public var profile: String?
    /// The encoding detected (`UTF-8 with BOM`…), when the file could be decoded.
    public var encoding: String?
    /// Balanced transactions in booking order, each with `dedupKey`, `source` and `kind`.
    public var transactions: [Transaction]
    public var filtered: [FilteredRow]
    public var problems: [Diagnostic]
    public var balanceChecks: [BalanceCheck]
    /// What the comparison of the ledger with the stated balances found.
    public var balances = BalanceSummary()
    /// Conversion legs booked on their own against ``ConversionLeg/suspense`` (their other leg was
    /// not in the file), and the ledger's lone legs that this file paired (with `pairedBy` set).
    public var conversionLegs: [ConversionLeg] = []
    /// Conversions this file completed with a leg an earlier import booked on its own.
    public var conversionsCompleted = 0
    /// Data rows read (after the header).
    public var rowCount: Int
    /// Seconds spent in each phase of reading (decode, scan, map, order, book), for benchmarks.
    public var phases: [(name: String, seconds: Double)] = []
    /// How the file's dates were read (`dd/mm/yyyy`, `mm/dd/yyyy`, `yyyy-mm-dd`) and what said so;
    /// nil when no date order was decided (the file has no CSV date column, or reading stopped before).
    public var dateOrder: ConventionDecision?
    /// The decimal mark amounts were read with (`.` or `,`) and what said so; nil when none was decided.
    public var decimalMark: ConventionDecision?

    public init(file: String, profile: String? = nil, encoding: String? = nil, transactions: [Transaction] = [],
                filtered: [FilteredRow] = [], problems: [Diagnostic] = [], balanceChecks: [BalanceCheck] = [], rowCount: Int = 0) {
        self.file = file; self.profile = profile; self.encoding = encoding; self.transactions = transactions
        self.filtered = filtered; self.problems = problems; self.balanceChecks = balanceChecks; self.rowCount = rowCount
    }

    /// A fatal problem (any error) means nothing of this file may be imported.
    public var isFatal: Bool { problems.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { problems.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { problems.filter { $0.severity == .warning } }
}

/// A convention decided once for a whole file (date order, decimal mark), with the evidence that
/// decided it, so that a user can see why and override it (`--date-format`, `--decimal-mark`).
public struct ConventionDecision: Sendable, Equatable, Hashable {
    /// What decided it, strongest first: the order in which the evidence is consulted.
    public enum Basis: String, Sendable, Hashable {
        /// `--date-format` or `--decimal-mark`.
        case option
        /// A value that fits only one reading: a day above 12, `1.234,56`.
        case values
        /// The profile fixes it (`wise-statement` writes DD-MM-YYYY, a user profile's `dateFormat`).
        case profile
        /// Nothing in the file is ambiguous (ISO dates, amounts without decimals): any reading gives the same.
        case nothingAmbiguous
        /// How the values are written: dotted dates are day-first.
        case writing
        /// The export's header language and layout (Spanish headers; English PayPal with a US time zone).
        case language
        /// The rows are in date order under only one reading.
        case rowOrder
        /// The running balances add up under only one reading.
        case runningBalances
    }
    /// `dd/mm/yyyy`, `mm/dd/yyyy`, `yyyy-mm-dd`; or `.`, `,`.
    public var value: String
    /// A short plain-English phrase: `a date with day 29 (line 4)`, `Spanish headers (PayPal ES)`.
    public var evidence: String
    public var basis: Basis

    public init(value: String, evidence: String, basis: Basis) {
        self.value = value; self.evidence = evidence; self.basis = basis
    }

    /// Whether Saldo inferred it from how the file is written rather than from an option, the
    /// profile or a value that allows only one reading: worth showing, since the user may disagree.
    public var wasInferred: Bool { [.writing, .language, .rowOrder, .runningBalances].contains(basis) }
}
