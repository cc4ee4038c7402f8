import SaldoCore

/// Choices the user can make on the command line (`saldo import --date-format … --decimal-mark …`).
public struct ImportOptions: Sendable, Equatable {
    /// `dd/mm/yyyy`, `mm/dd/yyyy`, `yyyy-mm-dd`, `dd.mm.yyyy`, or `dmy`/`mdy`/`ymd`: settles ambiguous dates.
    public var dateFormat: String?
    /// `.` or `,`: settles an ambiguous decimal mark.
    public var decimalMark: String?
    /// Forces a profile by name instead of detecting it.
    public var profile: String?
    /// The conversion legs the ledger holds on their own (from the ledger): a leg of this file
    /// that links to one still waiting is paired with it; one seen again is known.
    public var conversionLegs: [ConversionLeg] = []
    /// Files with at least this many rows have them mapped on two threads (tests lower or raise it).
    var parallelRows = CSVStatementReader.parallelRows
    /// Files of at least this many bytes are scanned on two threads (tests lower or raise it).
    var parallelScanBytes = CSVStatementReader.parallelScanBytes

    public init(dateFormat: String? = nil, decimalMark: String? = nil, profile: String? = nil) {
        self.dateFormat = dateFormat; self.decimalMark = decimalMark; self.profile = profile
    }
}

/// A row of the file that was read but deliberately not imported, with the reason.
public struct FilteredRow: Sendable, Hashable {
    public var location: SourceLocation
    public var reason: String
    /// A short human summary of the row (`2025-07-14 -13.21 EUR Einbehaltung für offene Autorisierung`).
    public var summary: String
    public init(location: SourceLocation, reason: String, summary: String) {
        self.location = location; self.reason = reason; self.summary = summary
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
