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

    public init(paths: [String], dryRun: Bool = false, dateFormat: String? = nil, decimalMark: String? = nil,
                profile: String? = nil, profilesPath: String? = nil) {
        self.paths = paths; self.dryRun = dryRun; self.dateFormat = dateFormat; self.decimalMark = decimalMark
        self.profile = profile; self.profilesPath = profilesPath
    }
}

/// What an import did, file by file, and afterwards.
public struct ImportOutcome: Sendable {
    public var files: [FileImportSummary] = []
    public var totals = FileImportSummary.Totals()
    /// Payments matched to open invoices after the import.
    public var matchedPayments = 0
    public var failedFiles: Int { files.filter(\.failed).count }
    /// Stated balances the ledger does not reproduce, over every file.
    public var brokenBalances: Int { files.reduce(0) { $0 + $1.brokenBalances } }
}

/// The import use case: expands folders, reads each file into the ledger (one database transaction
/// per file), then matches new payments to open invoices.
public enum ImportFiles {
    /// Runs the import; `each` is told about every file as soon as it is done.
    public static func run(_ request: ImportRequest, ledger: LedgerLocation, environment: [String: String],
                           progress: (any ProgressReporter)? = nil, each: (FileImportSummary) -> Void = { _ in }) throws -> ImportOutcome {
        let files = try InputFiles.expand(request.paths)
        let (store, importer) = try prepare(request, ledger: ledger, environment: environment, progress: progress)
        var outcome = ImportOutcome()
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
                                    dryRun: request.dryRun, progress: progress)
        return (store, importer)
    }
}

/// Files and folders named by the user, expanded; the user's statement profiles.
public enum InputFiles {
    /// The extensions a folder's files are imported by (a file named on its own is always read).
    public static let importedExtensions: Set<String> = ["csv", "txt", "n43", "q43", "csb", "aeb", "xml", "xsig", "tsv", "sta", "mt940", "940", "942", "qif"]

    /// Each path as a file, or a folder's files whose extension is in `extensions` (in its
    /// subfolders too when `descend`), in path order.
    public static func expand(_ paths: [String], extensions: Set<String> = importedExtensions, descend: Bool = true) throws -> [URL] {
        var out: [URL] = []
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
                var found: [URL] = []
                for case let u as URL in e where (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                    if extensions.contains(u.pathExtension.lowercased()) { found.append(u) }
                }
                out += found.sorted { $0.path < $1.path }
            } else {
                out.append(URL(fileURLWithPath: path))
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
