import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore

extension OutputFormat: ExpressibleByArgument {}

/// `--currency` and `--format`, shared by every report.
struct ReportOutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.currency"), valueName: Console.catalog.text("cli.option.code.value"))) var currency: String?
    @OptionGroup var output: DocumentOutput

    func currencyCode() throws -> CurrencyCode? {
        do { return try currency.map { try CurrencyCode($0) } } catch { throw UserError("--currency: \(error)") }
    }
}

/// `--format` and `-o/--output`, for every command whose output is a document.
struct DocumentOutput: ParsableArguments {
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.format"))) var format: OutputFormat = .table
    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(Console.catalog.text("cli.option.output"), valueName: Console.catalog.text("cli.option.file.value"))) var file: String?

    func emit(_ report: some ReportConvertible) throws { try emitReport(report, format: format, output: file) }
}

/// The one way every command writes a document: rendered in `format`, to standard output or to
/// `-o FILE`; colour only on a terminal (and never with NO_COLOR).
func emitReport(_ report: some ReportConvertible, format: OutputFormat, output: String?) throws {
    let console = Console.current
    // The one terminal rule (RenderOptions.terminal): colour only on a terminal, never in a file or a machine format.
    var options = RenderOptions.terminal(isTTY: console.isTerminal, environment: console.environment)
    if output != nil || format != .table { options.color = false }
    options.language = Console.language
    let text = render(report, format: format, options: options)
    if let o = output {
        try writeOutput(text, to: o)
        console.err(Console.catalog.text("cli.wrote_file", ["file": o]))
    } else {
        console.out(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    }
}

/// Writes what `-o/--output FILE` names: atomically, and private (0600) unless the file already
/// exists, which keeps its mode.
func writeOutput(_ text: String, to file: String) throws {
    do { try PrivateFiles.write(Data(text.utf8), to: (file as NSString).expandingTildeInPath) } catch {
        throw UserError(LocalizedText("error.cannot_write", ["file": file, "reason": error.reason]).english, hint: LocalizedText("error.check_folder").english)
    }
}

/// `--platform`, `--client`, `--account` filters, `--period`/`--from`/`--to` and `--currency`, as a request.
struct ReportFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.platform"), valueName: Console.catalog.text("cli.option.name.value"))) var platform: [String] = []
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.client"), valueName: Console.catalog.text("cli.option.name.value"))) var client: [String] = []
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.account"), valueName: Console.catalog.text("cli.option.account.value"))) var account: [String] = []

    func request(period: Period?, currency: CurrencyCode?) throws -> ReportRequest {
        let accounts = try account.map { a -> Account in
            do { return try Account(a) } catch { throw UserError("--account: \(error)") }
        }
        return ReportRequest(period: period, platforms: Set(platform), clients: Set(client), accounts: accounts, currency: currency)
    }
}

/// Notes about the rates a report used go to standard error: the report itself stays what it was.
func printRateNotes<R>(_ reported: Reported<R>) {
    let L = Console.catalog
    let command = L.text(reported.missingRates == nil ? "cli.rates.note_fix" : "cli.rates.note_fix_missing")
    for n in reported.rateNotes { Console.current.err(L.translating(n, keyPrefix: "rate_note.") + command) }
}

/// A day given as yyyy-mm-dd by the option `flag`.
func parseDay(_ text: String?, _ flag: String) throws -> Day? {
    guard let t = text else { return nil }
    guard let d = Day(iso: t), t.count == 10 else { throw UserError(LocalizedText("error.not_a_date", ["option": flag, "value": t]).english, hint: LocalizedText("error.write_iso_date").english) }
    return d
}

/// `--today` given as yyyy-mm-dd, else the system clock's today.
func resolveToday(_ today: String?) throws -> Day { try parseDay(today, "--today") ?? Clock.system.today }
