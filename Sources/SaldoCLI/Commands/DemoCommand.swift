import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore

public struct DemoCommand: ParsableCommand {
    public init() {}
    /// Read when the command is parsed, after `SaldoCLI.run` has chosen the language.
    public static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "demo",
        abstract: Console.catalog.text("cli.demo.abstract"),
        discussion: prose(Console.catalog.text("cli.demo.discussion"))
    ) }

    @Flag(help: ArgumentHelp(Console.catalog.text("cli.demo.option.keep"))) var keep = false
    @Option(help: ArgumentHelp(Console.catalog.text("cli.demo.option.today"), valueName: Console.catalog.text("cli.option.date.value"))) var today: String = "2026-11-15"

    public static var demoFolder: URL? { Demo.folder }

    /// Builds the demo ledger at `path` (for tests and benchmarks); returns what the import printed.
    public static func buildLedger(at path: String) throws -> String {
        var out = ""
        let outcome = try Demo.buildLedger(at: path) { out += CLIText.importText($0, verbose: false, color: false) + "\n" }
        out += ImportCommand.totalsLine(outcome, dryRun: false, color: false) + "\n"
        return out
    }

    public func run() throws {
        let console = Console.current
        let L = Console.catalog
        guard let folder = Demo.folder else { throw UserError(LocalizedText("error.bundled_demo_data_missing").english, hint: LocalizedText("error.rebuild_with_swift_build").english) }
        let day = try parseDay(today, "--today") ?? Demo.today
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("saldo-demo-\(UUID().uuidString.prefix(8))")
        // 0700: with --keep the ledger stays in a shared temporary folder.
        do { try PrivateFiles.createFolder(dir.path) } catch { throw UserError(LocalizedText("error.cannot_create", ["error": "\(error)"]).english) }
        let ledgerPath = dir.appendingPathComponent("ledger.sqlite").path
        defer { if !keep { try? FileManager.default.removeItem(at: dir) } }
        func heading(_ s: String) { console.out("\n" + console.styled("━━ " + s + " " + String(repeating: "━", count: max(0, 76 - s.count)), .bold)) }
        func show(_ doc: some ReportConvertible) throws { try emitReport(doc, format: .table, output: nil) }
        // File names print short, relative to the demo folder (without changing the working
        // directory, which the whole process shares: tests run the demo beside other commands).
        func short(_ summary: FileImportSummary) -> FileImportSummary {
            var s = summary
            let cwd = FileManager.default.currentDirectoryPath + "/"
            let relative = folder.path.hasPrefix(cwd) ? String(folder.path.dropFirst(cwd.count)) : folder.path
            for prefix in [folder.path + "/", relative + "/"] where s.file.hasPrefix(prefix) { s.file = String(s.file.dropFirst(prefix.count)); break }
            return s
        }

        console.out(console.styled(L.text("demo.title"), .bold) + ": " + L.text("demo.intro"))
        console.out(L.text("demo.temporary", ["date": HumanFormat(L.language).date(day)]))

        heading(L.text("demo.step.import"))
        let outcome = try Demo.buildLedger(at: ledgerPath, environment: console.environment) {
            console.out(CLIText.importText(short($0), verbose: false, color: console.useColor))
        }
        console.out(ImportCommand.totalsLine(outcome, dryRun: false, color: console.useColor))
        let store = try LedgerLocation(path: ledgerPath).open(.existing)
        let year = try Period.parse("2026")

        heading(L.text("demo.step.monthly"))
        let monthly = try Reports.monthly(ReportRequest(period: year), store: store)
        try show(monthly.report); printRateNotes(monthly)

        heading(L.text("demo.step.currencies"))
        let currencies = try Reports.currencies(ReportRequest(period: year), store: store)
        try show(currencies.report); printRateNotes(currencies)

        heading(L.text("demo.step.invoices"))
        try show(Invoices.summary(today: day, store: store))

        heading(L.text("demo.step.forecast"))
        try show(Forecasts.next(Forecasts.history(today: day, store: store), floor: 3000))

        heading(L.text("demo.step.tax"))
        try show(Taxes.calendar(TaxRequest(today: day), store: store))

        console.out("")
        if keep {
            console.out(L.text("demo.kept", ["path": ledgerPath]))
            console.out("  saldo report monthly --ledger \(ledgerPath) --format html -o demo.html")
            console.out("  saldo export --ledger \(ledgerPath) --format hledger")
        } else {
            console.out(L.text("demo.keep_hint"))
        }
    }
}
