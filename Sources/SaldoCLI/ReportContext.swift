import ArgumentParser
import Foundation
import SaldoCore
import SaldoFX
import SaldoReports
import SaldoStore

extension OutputFormat: ExpressibleByArgument {}

/// `--currency` and `--format`, shared by every report.
struct ReportOutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Report currency (default: `saldo config get base-currency`, else EUR).", valueName: "code")) var currency: String?
    @OptionGroup var output: DocumentOutput

    func baseCurrency(_ store: LedgerStore) throws -> CurrencyCode {
        if let c = currency { do { return try CurrencyCode(c) } catch { throw UserError("--currency: \(error)") } }
        if let c = try store.setting(Setting.baseCurrency.rawValue) { return try CurrencyCode(c) }
        return .EUR
    }

    func emit(_ report: some ReportConvertible) throws { try output.emit(report) }
}

/// `--format` and `-o/--output`, for every command whose output is a document.
struct DocumentOutput: ParsableArguments {
    @Option(help: "table, csv, json, markdown or html.") var format: OutputFormat = .table
    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var file: String?

    func emit(_ report: some ReportConvertible) throws { try emitReport(report, format: format, output: file) }
}

/// Renders and writes to standard output or a file; colour only on a terminal (and never with NO_COLOR).
func emitReport(_ report: some ReportConvertible, format: OutputFormat, output: String?) throws {
        let console = Console.current
        let text = render(report, format: format, options: RenderOptions(color: output == nil && format == .table && console.useColor,
                                                                            width: Int(console.environment["COLUMNS"] ?? "") ?? 100))
        if let o = output {
            try writeOutput(text, to: o)
            console.err("wrote \(o)")
        } else {
            console.out(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
}

/// Writes what `-o/--output FILE` names, for every command: atomically, and private (0600) unless
/// the file already exists, which keeps its mode.
func writeOutput(_ text: String, to file: String) throws {
    do { try PrivateFiles.write(Data(text.utf8), to: (file as NSString).expandingTildeInPath) } catch {
        throw UserError("cannot write \(file): \(error.reason)", hint: "check that its folder exists and that you may write there")
    }
}

/// `--platform`, `--client`, `--account` filters.
struct ReportFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this platform (repeat for several).", valueName: "name")) var platform: [String] = []
    @Option(help: ArgumentHelp("Only this client (repeat for several).", valueName: "name")) var client: [String] = []
    @Option(help: ArgumentHelp("Only transactions touching this account or one under it (repeat for several).", valueName: "account")) var account: [String] = []

    func filter(period: Period?) throws -> ReportFilter {
        let accounts = try account.map { a -> Account in
            do { return try Account(a) } catch { throw UserError("--account: \(error)") }
        }
        return ReportFilter(period: period, platforms: Set(platform), clients: Set(client), accounts: accounts)
    }
}

extension LedgerStore {
    /// Every stored rate as a table for conversion.
    func rateTable() throws -> RateTable {
        RateTable(try rates())
    }

    /// The rates converting `facts` to `base` need: their currencies, their days (and the ten days
    /// before the first, for fallbacks), from the bundled ECB history with the ledger's own rates over
    /// it. Loading a full ECB history would cost more than the report.
    func rateTable(for facts: [PostingFact], base: CurrencyCode) throws -> RateTable {
        guard let first = facts.map(\.date).min(), let last = facts.map(\.date).max() else { return RateTable() }
        var currencies: Set<CurrencyCode> = [base, .EUR]   // cross rates go through the euro
        for f in facts { currencies.insert(f.amount.currency); if let c = f.cost { currencies.insert(c.currency) } }
        if currencies.subtracting([.EUR]) == [base] || currencies == [.EUR] { return RateTable() }
        let from = first.adding(days: -10)
        let ledger = try rates(currencies: currencies.union(RateTable.anchors), from: from, to: last)
        let choice = RateSourceChoice(stored: try setting(RateSourceChoice.settingKey))
        do { return try RateTable.ledgerOverBundled(ledger, currencies: currencies, days: first...last, choice: choice) } catch {
            throw UserError("\(error)", hint: "reinstall Saldo, or import the rates yourself: `saldo rates import eurofxref-hist.zip`")
        }
    }
}

/// Per currency other than `base`, the last day an amount in it (or its cost) is dated: what the
/// freshness note compares with the newest rate.
func lastDayByCurrency(_ facts: [PostingFact], base: CurrencyCode) -> [CurrencyCode: Day] {
    var out: [CurrencyCode: Day] = [:]
    for f in facts {
        for c in [f.amount.currency, f.cost?.currency].compactMap({ $0 }) where c != base {
            if let d = out[c], d >= f.date { continue }
            out[c] = f.date
        }
    }
    return out
}

/// Prints, once, that amounts after the newest rate used an older one (standard error: the report
/// itself stays what it was).
func printFreshnessNote(_ table: RateTable, facts: [PostingFact], base: CurrencyCode, report: Any? = nil) {
    // Amounts beyond the window: said once, with the rates to add; the command ends with status 3.
    if let r = report as? RateCaveats, !r.missingRates.isEmpty {
        let m = r.missingRates
        Console.current.err("note: \(m.provisionalAmounts) amount\(m.provisionalAmounts == 1 ? " is" : "s are") provisional: no exchange rate within \(r.rateWindow) days"
                            + "\n  hint: add \(m.fix); then `saldo rates update` (ECB currencies) or `saldo rates import FILE [--source PROFILE]`")
        return
    }
    if let note = RateFreshness(table: table, lastDayByCurrency: lastDayByCurrency(facts, base: base), base: base) {
        Console.current.err(note.message + " (`saldo rates update`, or `saldo rates import FILE`)")
    }
}

/// A missing rate as a user error: the message and its hint, each once (the error's description
/// already carries the hint, so it is not used as the message).
func reportError(_ e: RateError) -> UserError {
    UserError(e.message, hint: e.hint.map { $0 + " (`saldo rates update`, or `saldo rates import FILE [--source PROFILE]`)" })
}
