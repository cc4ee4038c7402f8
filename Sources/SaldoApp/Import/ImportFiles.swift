import Foundation
import SaldoCore
import SaldoImport
import SaldoInvoices
import SaldoReports
import SaldoStore

/// What the user asks an import to do.
public struct ImportRequest: Sendable {
    /// Files, or folders whose statement and invoice files are imported (sorted by path).
    public var paths: [String]
    /// Read and check everything, write nothing.
    public var dryRun = false
    /// The date order when a file is ambiguous (`dd/mm/yyyy`, `mm/dd/yyyy`, `yyyy-mm-dd`).
    public var dateFormat: String?
    /// The decimal mark when a file is ambiguous: `.` or `,`.
    public var decimalMark: String?
    /// A profile to use instead of detecting one.
    public var profile: String?
    /// A user profile file or folder; nil: the user's profile folder.
    public var profilesPath: String?
    /// How many of each file's first rows its summary lists, new or already in the ledger
    /// (``FileImportSummary/firstRows``): a preview shows what would be written.
    public var firstRows: Int

    public init(paths: [String], dryRun: Bool = false, dateFormat: String? = nil, decimalMark: String? = nil,
                profile: String? = nil, profilesPath: String? = nil, firstRows: Int = 0) {
        self.paths = paths; self.dryRun = dryRun; self.dateFormat = dateFormat; self.decimalMark = decimalMark
        self.profile = profile; self.profilesPath = profilesPath; self.firstRows = firstRows
    }
}

/// What an import did, file by file, and afterwards.
public struct ImportOutcome: Sendable {
    public var files: [FileImportSummary] = []
    public var totals = FileImportSummary.Totals()
    /// Payments matched to open invoices after the import.
    public var matchedPayments = 0
    public var failedFiles: Int { files.filter(\.failed).count }
    /// Files in the named folders left out because their names are not those of statements or
    /// invoices (a file named on its own is always read).
    public var skipped: [String] = []
    /// Named folders that held nothing to read (while others did).
    public var emptyFolders: [String] = []
    /// Stated balances the ledger does not reproduce, over every file.
    public var brokenBalances: Int { files.reduce(0) { $0 + $1.brokenBalances } }
}

/// The import use case: expands folders, reads each file into the ledger (one database transaction
/// per file), then matches new payments to open invoices.
public enum ImportFiles {
    /// Runs the import; `each` is told about every file as soon as it is done.
    public static func run(_ request: ImportRequest, ledger: LedgerLocation, environment: [String: String],
                           progress: (any ProgressReporter)? = nil, each: (FileImportSummary) -> Void = { _ in }) throws -> ImportOutcome {
        let inputs = try InputFiles.expansion(request.paths)
        if inputs.files.isEmpty, let folder = inputs.emptyFolders.first {
            // Nothing to read at all: saying "0 files" and exiting 0 would look like success.
            throw UserError("\(folder): no statement or invoice files in this folder", hint: inputs.skipped.isEmpty
                            ? "put the statements and e-invoices you downloaded there, or name the files themselves"
                            : "name a file on its own to read it whatever its name")
        }
        let files = inputs.files
        let (store, importer) = try prepare(request, ledger: ledger, environment: environment, progress: progress)
        var outcome = ImportOutcome()
        outcome.skipped = inputs.skipped.map(\.path)
        outcome.emptyFolders = inputs.emptyFolders
        for url in files {
            let summary = importer.importFile(url)
            outcome.files.append(summary)
            outcome.totals.add(summary)
            each(summary)
        }
        if !request.dryRun, outcome.totals.new > 0 {
            outcome.matchedPayments = try InvoiceMatching.matchOpenInvoices(store)
        }
        return outcome
    }

    /// Imports one file (`request.paths` is ignored) under `displayName`, the name summaries and
    /// problems show: a dry run and the real import of the same file take this one path, so a
    /// preview and the import after it cannot disagree.
    public static func one(_ file: URL, displayName: String, request: ImportRequest, ledger: LedgerLocation,
                           environment: [String: String], progress: (any ProgressReporter)? = nil) throws -> ImportOutcome {
        let (store, importer) = try prepare(request, ledger: ledger, environment: environment, progress: progress)
        var outcome = ImportOutcome()
        let summary = importer.importFile(file, displayName: displayName)
        outcome.files = [summary]
        outcome.totals.add(summary)
        if !request.dryRun, summary.new > 0 {
            outcome.matchedPayments = try InvoiceMatching.matchOpenInvoices(store)
        }
        return outcome
    }

    /// The ledger (in memory when a dry run finds none) and the importer a request asks for.
    static func prepare(_ request: ImportRequest, ledger: LedgerLocation, environment: [String: String],
                        progress: (any ProgressReporter)?) throws -> (any LedgerStore, FileImporter) {
        let userProfiles = try InputFiles.userProfiles(request.profilesPath, environment: environment)
        let store = try request.dryRun ? ledger.openForDryRun() : ledger.open(.create)
        var options = ImportOptions(dateFormat: request.dateFormat, decimalMark: request.decimalMark, profile: request.profile)
        // A file that states no currency (QIF) is in the ledger's base currency.
        options.currency = try Settings.get(.baseCurrency, in: store)
        let importer = FileImporter(store: store, options: options,
                                    userProfiles: userProfiles, invoiceOptions: InvoiceReadOptions(ownTaxIDs: try Settings.ownTaxIDs(in: store)),
                                    dryRun: request.dryRun, progress: progress, firstRows: request.firstRows)
        return (store, importer)
    }
}

/// Files and folders named by the user, expanded; the user's statement profiles.
public enum InputFiles {
    /// The extensions a folder's files are imported by (a file named on its own is always read, whatever
    /// its name): every format Saldo reads, by the names banks and platforms give their exports.
    public static let importedExtensions: Set<String> = [
        "csv", "txt", "tsv", "xlsx",                       // CSV and sheets
        "n43", "q43", "c43", "csb", "aeb", "aeb43",        // Norma 43
        "xml", "xsig", "camt",                             // camt.05x, e-invoices (UBL, CII, Facturae, CFDI)
        "ofx", "qfx", "qbo",                               // OFX 1.x and 2.x (Quicken, QuickBooks)
        "sta", "mt940", "940", "942", "swi",               // MT940 / MT942
        "qif",
    ]

    /// What a list of paths expands to: the files to read, and what the folders held besides.
    public struct Expansion: Sendable, Equatable {
        /// Files named on their own and the folders' files with a statement or invoice name, in order.
        public var files: [URL] = []
        /// Files in the folders whose names are not those of statements or invoices (`notes.pdf`):
        /// left out, and said so.
        public var skipped: [URL] = []
        /// Folders (as named) in which nothing at all was to be read.
        public var emptyFolders: [String] = []
    }

    /// Each path as a file, or a folder's files whose extension is in `extensions` (in its
    /// subfolders too when `descend`), in path order.
    public static func expand(_ paths: [String], extensions: Set<String> = importedExtensions, descend: Bool = true) throws -> [URL] {
        try expansion(paths, extensions: extensions, descend: descend).files
    }

    /// ``expand(_:extensions:descend:)`` with the files it left out and the folders that held nothing to read.
    public static func expansion(_ paths: [String], extensions: Set<String> = importedExtensions, descend: Bool = true) throws -> Expansion {
        var out = Expansion()
        let fm = FileManager.default
        for p in paths {
            let path = (p as NSString).expandingTildeInPath
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                throw UserError("\(p): no such file or folder", hint: "check the path")
            }
            if isDir.boolValue {
                guard let e = fm.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: [.isRegularFileKey],
                                               options: descend ? [.skipsHiddenFiles] : [.skipsHiddenFiles, .skipsSubdirectoryDescendants]) else { continue }
                var found: [URL] = [], skipped: [URL] = []
                for case let u as URL in e where (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                    if extensions.contains(u.pathExtension.lowercased()) { found.append(u) } else { skipped.append(u) }
                }
                if found.isEmpty { out.emptyFolders.append(p) }
                out.files += found.sorted { $0.path < $1.path }
                out.skipped += skipped.sorted { $0.path < $1.path }
            } else {
                out.files.append(URL(fileURLWithPath: path))
            }
        }
        return out
    }

    /// The profiles in `explicit` (a file or folder), else in `$XDG_CONFIG_HOME/saldo/profiles`.
    public static func userProfiles(_ explicit: String?, environment: [String: String]) throws -> [UserProfile] {
        if let p = explicit { return try UserProfile.load(from: URL(fileURLWithPath: (p as NSString).expandingTildeInPath)) }
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        let dir = config + "/saldo/profiles"
        guard FileManager.default.fileExists(atPath: dir) else { return [] }
        return try UserProfile.load(from: URL(fileURLWithPath: dir))
    }
}
