import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
import SaldoStore

/// `saldo`: the root command.
public struct SaldoCommand: ParsableCommand {
    public init() {}

    /// Shown in the help only: `SaldoCLI.run` takes `--lang` out of the arguments before parsing.
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.lang"), valueName: Console.catalog.text("cli.option.lang.value")))
    var lang: String?

    /// Read when the command is parsed, after `SaldoCLI.run` has chosen the language.
    public static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "saldo",
        abstract: Console.catalog.text("cli.saldo.abstract"),
        discussion: prose(Console.catalog.text("cli.saldo.discussion")),
        version: "0.1.0",
        subcommands: [
            ImportCommand.self, RatesCommand.self, ReportCommand.self, InvoicesCommand.self, ForecastCommand.self,
            TaxCommand.self, ExportCommand.self, AccountsCommand.self, ProfilesCommand.self, ConfigCommand.self,
            ServeCommand.self, OfficeCommand.self, DemoCommand.self, BenchCommand.self, OverviewCommand.self, TransactionsCommand.self,
            LedgerCommand.self,
        ]
    ) }
}

/// Runs `saldo` with arguments and returns the exit status; what it prints goes to `Console.current`.
public enum SaldoCLI {
    public static func main() -> Never {
        exit(run(Array(CommandLine.arguments.dropFirst())))
    }

    public static func run(_ arguments: [String]) -> Int32 {
        let console = Console.current
        // The global --lang is taken out before parsing (it may stand before or after the command);
        // the application layer resolves it with the environment.
        let language: Language, remaining: [String]
        do {
            let taken = try LanguageChoice.take("--lang", from: arguments)
            language = LanguageChoice.resolve(explicit: taken.language, environment: console.environment)
            remaining = taken.remaining
        } catch let e as UserError {
            // A --lang Saldo does not speak: say so in the environment's language.
            let fallback = LanguageChoice.resolve(explicit: nil, environment: console.environment)
            Console.$language.withValue(fallback) { console.err(console.styled("error: ", .red) + CLIText.describe(e)) }
            return ExitStatus.usage
        } catch { return ExitStatus.usage }
        return Console.$language.withValue(language) { runParsed(remaining) }
    }

    static func runParsed(_ arguments: [String]) -> Int32 {
        let console = Console.current
        do {
            var command = try SaldoCommand.parseAsRoot(arguments)
            try command.run()
            return ExitStatus.ok
        } catch let e as ExitCode {
            return e.rawValue
        } catch let e as DiagnosticsError {
            console.err(e.text(in: Console.catalog))
            return ExitStatus.userError
        } catch let e as UserError {
            console.err(console.styled("error: ", .red) + CLIText.describe(e))
            return ExitStatus.userError
        } catch let e as PeriodError {
            // Only a --period the user typed makes one: wrong usage, as a bad --format is.
            console.err(console.styled("error: ", .red) + Console.catalog.translating("\(e)", keyPrefix: "error."))
            return ExitStatus.usage
        } catch let e where e is NotAvailable || e is StoreError || e is Diagnostic
                            || e is MoneyError || e is LedgerError {
            console.err(console.styled("error: ", .red) + ((e as? Diagnostic)?.text(in: Console.catalog) ?? Console.catalog.translating("\(e)", keyPrefix: "error.")))
            return ExitStatus.userError
        } catch {
            let code = SaldoCommand.exitCode(for: error)
            let message = CLIText.parserText(SaldoCommand.fullMessage(for: error))
            if code == .success {
                if !message.isEmpty { console.out(message) }
                return ExitStatus.ok
            }
            if !message.isEmpty { console.err(message) }
            if let hint = CLIText.formatHint(SaldoCommand.fullMessage(for: error), arguments: arguments)
                ?? CLIText.subcommandHint(SaldoCommand.fullMessage(for: error), arguments: arguments) { console.err(hint) }
            if code == .validationFailure { return ExitStatus.usage }
            // Errors the commands did not anticipate (I/O and the like) are the user's environment's.
            return code.rawValue == 1 ? ExitStatus.userError : code.rawValue
        }
    }

    /// Runs in-process with captured output: for tests.
    public static func capture(_ arguments: [String], environment: [String: String] = [:]) -> (status: Int32, out: String, err: String) {
        let console = Console(capturingWith: environment)
        let status = Console.$current.withValue(console) { run(arguments) }
        return (status, console.capturedOut, console.capturedErr)
    }
}

/// `--ledger PATH`: which ledger file a command works on.
struct LedgerOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(Console.catalog.text("cli.option.ledger"), discussion: Console.catalog.text("cli.option.ledger.discussion"), valueName: Console.catalog.text("cli.option.path.value")))
    var ledger: String?

    var location: LedgerLocation { LedgerLocation.resolve(explicit: ledger, environment: Console.current.environment) }
    var resolvedPath: String { location.path }

    /// `--ledger ""` (an unset shell variable, say) is a mistake, not the current folder.
    func validate() throws {
        if let ledger, ledger.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(Console.catalog.text("cli.error.ledger_empty"))
        }
    }

    /// Opens the ledger (see ``LedgerLocation/open(_:)``); a missing ledger's message says where
    /// the path came from.
    func open(_ mode: LedgerOpenMode) throws -> any LedgerStore {
        let l = location
        do { return try l.open(mode) } catch var e as UserError where e.fix == .startLedger {
            e.message += LocalizedText(l.origin == .given ? "error.path_origin.given" : l.origin == .environment ? "error.path_origin.environment" : "error.path_origin.default").english
            throw e
        }
    }

    func openForDryRun() throws -> any LedgerStore { try location.openForDryRun() }
}

/// `--ledger PATH` and `--read-database URL`: for commands that only read (reports, the overview,
/// the web app, whose changes still go to the ledger): with a PostgreSQL ledger, what is read comes
/// from a read-only replica of its database.
struct ReadLedgerOption: ParsableArguments {
    @OptionGroup var ledger: LedgerOption
    @Option(name: .long, help: ArgumentHelp(Console.catalog.text("cli.option.read_database"), valueName: "URL"))
    var readDatabase: String?

    var location: LedgerLocation {
        var l = ledger.location
        l.readDatabase = readDatabase
        return l
    }
    var resolvedPath: String { ledger.resolvedPath }

    func open(_ mode: LedgerOpenMode) throws -> any LedgerStore {
        guard readDatabase != nil else { return try ledger.open(mode) }
        return try location.open(mode)
    }
}

/// `--period`, `--from`, `--to`.
struct PeriodOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.period"), valueName: Console.catalog.text("cli.option.period.value")))
    var period: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.from"), valueName: Console.catalog.text("cli.option.date.value")))
    var from: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.to"), valueName: Console.catalog.text("cli.option.date.value")))
    var to: String?

    func resolve() throws -> Period? { try PeriodChoice.resolve(period: period, from: from, to: to) }
}

extension SaldoCommand {
    /// Every command that runs (not the groups holding them), as the words that name it
    /// (`["report", "monthly"]`): tests go through all of them.
    static var runnableCommands: [[String]] {
        func walk(_ command: any ParsableCommand.Type, _ words: [String]) -> [[String]] {
            let subcommands = command.configuration.subcommands
            if subcommands.isEmpty { return [words] }
            return subcommands.flatMap { walk($0, words + [$0.configuration.commandName ?? "\($0)".lowercased()]) }
        }
        return walk(SaldoCommand.self, [])
    }

    /// Every command below the root, groups included (`["report"]`, `["report", "monthly"]`).
    static var everyCommand: [[String]] {
        func walk(_ command: any ParsableCommand.Type, _ words: [String]) -> [[String]] {
            [words] + command.configuration.subcommands.flatMap { walk($0, words + [$0.configuration.commandName ?? "\($0)".lowercased()]) }
        }
        return walk(SaldoCommand.self, []).filter { !$0.isEmpty }
    }
}
