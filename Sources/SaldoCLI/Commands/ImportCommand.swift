import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore

struct ImportCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "import",
        abstract: Console.catalog.text("cli.help.import.abstract"),
        discussion: prose(Console.catalog.text("cli.help.import.discussion"))
    ) }

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
    enum Mark: String, ExpressibleByArgument, CaseIterable { case point, comma }

    @OptionGroup var ledger: LedgerOption
    @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.import.statement_or_invoice_files_or"), valueName: "file-or-folder")) var paths: [String]
    @Flag(help: ArgumentHelp(Console.catalog.text("cli.option.import.read_and_check_everything_report"))) var dryRun = false
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.import.text_or_json_one_object"))) var format: Format = .text
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.import.date_format_when_a_file"), valueName: "format")) var dateFormat: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.import.decimal_mark_when_a_file"))) var decimalMark: Mark?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.import.use_this_profile_instead_of"), valueName: "name")) var profile: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.import.a_user_profile_file_or"), valueName: "path")) var profiles: String?
    @Flag(help: ArgumentHelp(Console.catalog.text("cli.option.import.print_every_filtered_row_and"))) var verbose = false
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.import.lock_timeout"), valueName: "seconds"))
    var lockTimeout: Double = 30

    func run() throws {
        let console = Console.current
        let request = ImportRequest(paths: paths, dryRun: dryRun, dateFormat: dateFormat, decimalMark: decimalMark.map { $0 == .point ? "." : "," },
                                    profile: profile, profilesPath: profiles)
        // Each file's summary as soon as it is done (a long import shows progress file by file).
        var location = ledger.location
        location.lockTimeout = lockTimeout
        let outcome = try ImportFiles.run(request, ledger: location, environment: console.environment,
                                          progress: console.isTerminal ? console : nil) { summary in
            try? emitReport(CLIText.importDocument([summary], verbose: verbose, color: console.useColor, json: format == .json), format: format == .json ? .json : .table, output: nil)
        }
        if format == .text && outcome.files.count > 1 { console.out(Self.totalsLine(outcome, dryRun: dryRun, color: console.useColor)) }
        for line in Self.leftOutNotes(outcome) { console.err(console.styled(Console.catalog.text("render.note_prefix"), .yellow) + line) }
        if outcome.matchedPayments > 0 && format == .text {
            console.out(Console.catalog.plural("cli.import.matched_payments", count: outcome.matchedPayments))
        }
        if outcome.failedFiles > 0 { throw ExitCode(ExitStatus.userError) }
        if outcome.brokenBalances > 0 { throw ExitCode(ExitStatus.problemsFound) }
    }

    /// What the named folders held that was not read: files by other names (a few named), folders
    /// with nothing to read. A folder's PDF left out in silence would look like a statement imported.
    static func leftOutNotes(_ outcome: ImportOutcome, shown: Int = 5) -> [String] {
        let L = Console.catalog
        var notes = outcome.emptyFolders.map { L.text("cli.import.empty_folder", ["folder": $0]) }
        if !outcome.skipped.isEmpty {
            var names = outcome.skipped.prefix(shown).joined(separator: ", ")
            if outcome.skipped.count > shown { names += " " + L.text("cli.import.more_names", ["count": String(outcome.skipped.count - shown)]) }
            notes.append(L.plural("cli.import.skipped", count: outcome.skipped.count, ["names": names]))
        }
        return notes
    }

    /// "16 files: 3 new, …" after several files.
    static func totalsLine(_ outcome: ImportOutcome, dryRun: Bool, color: Bool) -> String {
        let line = outcome.totalsLine(dryRun: dryRun, catalog: Console.catalog)
        return color ? "\u{1B}[1m\(line)\u{1B}[0m" : line
    }
}
