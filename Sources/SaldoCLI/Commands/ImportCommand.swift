import ArgumentParser
import Foundation
import SaldoCore
import SaldoImport
import SaldoInvoices
import SaldoStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import statements (CSV, Norma 43) and e-invoices (UBL, CII, Facturae, CFDI) into the ledger.",
        discussion: prose("""
        Saldo recognises each file from its content (never its name): PayPal, Wise, Stripe, Revolut,
        Upwork, Payoneer, Norma 43 bank files, your own profiles, and XML e-invoices. Each file is one
        database transaction: a file with an error imports nothing. Importing the same or an
        overlapping file again adds nothing twice.

        Examples:
          saldo import ~/Downloads/paypal-2026.csv
          saldo import ~/Statements/          # every file in the folder and below
          saldo import wise.csv --dry-run             # show what would be imported
          saldo import bank.csv --profiles my-bank.json --decimal-mark comma
          saldo import invoices/*.xml --format json   # one JSON line per file

        Exit status: 0 imported, 1 a file could not be imported, 3 imported but a running balance did not match.
        """)
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
    enum Mark: String, ExpressibleByArgument, CaseIterable { case point, comma }

    @OptionGroup var ledger: LedgerOption
    @Argument(help: ArgumentHelp("Statement or invoice files, or folders.", valueName: "file-or-folder")) var paths: [String]
    @Flag(help: "Read and check everything, report what would be added, change nothing.") var dryRun = false
    @Option(help: "text or json (one object per file, one per line).") var format: Format = .text
    @Option(help: ArgumentHelp("Date format when a file is ambiguous, e.g. dd/mm/yyyy or mm/dd/yyyy.", valueName: "format")) var dateFormat: String?
    @Option(help: "Decimal mark when a file is ambiguous: point or comma.") var decimalMark: Mark?
    @Option(help: ArgumentHelp("Use this profile instead of detecting one (see `saldo profiles list`).", valueName: "name")) var profile: String?
    @Option(help: ArgumentHelp("A user profile file or folder (default: $XDG_CONFIG_HOME/saldo/profiles).", valueName: "path")) var profiles: String?
    @Flag(help: "Print every filtered row and every problem, not only a summary.") var verbose = false

    func run() throws {
        let console = Console.current
        let files = try InputFiles.expand(paths)
        let userProfiles = try InputFiles.userProfiles(profiles)
        let store = try dryRun ? ledger.openForDryRun() : ledger.open(.create)
        let own = Set((try store.setting(Setting.myTaxIDs.rawValue) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        var options = ImportOptions(dateFormat: dateFormat, decimalMark: decimalMark.map { $0 == .point ? "." : "," }, profile: profile)
        // A file that states no currency (QIF) is in the ledger's base currency.
        options.currency = try store.setting(Setting.baseCurrency.rawValue)
        let importer = FileImporter(store: store, options: options,
                                    userProfiles: userProfiles, invoiceOptions: InvoiceReadOptions(ownTaxIDs: own), dryRun: dryRun)
        var failed = 0, broken = 0
        var total = FileImportSummary.Totals()
        for url in files {
            let summary = importer.importFile(url)
            if summary.failed { failed += 1 }
            broken += summary.brokenBalances
            total.add(summary)
            switch format {
            case .json: console.out(summary.json())
            case .text: console.out(summary.text(verbose: verbose, console: console))
            }
        }
        if format == .text && files.count > 1 {
            console.out(console.styled("\(files.count) files: \(total.new) new, \(total.duplicates) already in the ledger, \(total.filtered) filtered, \(failed) not imported\(dryRun ? " (dry run: nothing was written)" : "")", .bold))
        }
        if !dryRun, total.new > 0 {
            let matched = try InvoiceMatching.matchOpenInvoices(store)
            if matched > 0 && format == .text { console.out("matched \(matched) payment\(matched == 1 ? "" : "s") to open invoices (see `saldo invoices list`)") }
        }
        if failed > 0 { throw ExitCode(ExitStatus.userError) }
        if broken > 0 { throw ExitCode(ExitStatus.problemsFound) }
    }
}

/// Files and folders named on the command line, expanded.
enum InputFiles {
    static func expand(_ paths: [String]) throws -> [URL] {
        var out: [URL] = []
        let fm = FileManager.default
        for p in paths {
            let path = (p as NSString).expandingTildeInPath
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                throw UserError("\(p): no such file or folder", hint: "check the path; `ls \(p)` shows what is there")
            }
            if isDir.boolValue {
                guard let e = fm.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else { continue }
                var found: [URL] = []
                for case let u as URL in e where (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                    if ["csv", "txt", "n43", "q43", "csb", "aeb", "xml", "xsig", "tsv"].contains(u.pathExtension.lowercased()) { found.append(u) }
                }
                out += found.sorted { $0.path < $1.path }
            } else {
                out.append(URL(fileURLWithPath: path))
            }
        }
        return out
    }

    static func userProfiles(_ explicit: String?) throws -> [UserProfile] {
        let env = Console.current.environment
        if let p = explicit {
            do { return try UserProfile.load(from: URL(fileURLWithPath: (p as NSString).expandingTildeInPath)) } catch { throw error }
        }
        let config = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (env["HOME"] ?? NSHomeDirectory()) + "/.config"
        let dir = config + "/saldo/profiles"
        guard FileManager.default.fileExists(atPath: dir) else { return [] }
        return try UserProfile.load(from: URL(fileURLWithPath: dir))
    }
}
