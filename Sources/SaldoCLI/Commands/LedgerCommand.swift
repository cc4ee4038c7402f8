import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore

/// `saldo ledger copy`: a whole ledger into an empty one, on either engine (SaldoApp's `LedgerCopy`).
struct LedgerCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "ledger",
        abstract: Console.catalog.text("cli.help.ledger.abstract"),
        discussion: prose(Console.catalog.text("cli.help.ledger.discussion")),
        subcommands: [Copy.self]
    ) }

    struct Copy: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "copy",
            abstract: Console.catalog.text("cli.help.ledger.copy.abstract"),
            discussion: prose(Console.catalog.text("cli.help.ledger.copy.discussion"))
        ) }
        @Option(name: .customLong("from"), help: ArgumentHelp(Console.catalog.text("cli.option.ledger_copy.from"), valueName: Console.catalog.text("cli.option.path.value"))) var from: String?
        /// `--ledger` works too, as every other command names the ledger it works on (not with --from).
        @OptionGroup var ledger: LedgerOption
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.ledger_copy.to"), valueName: Console.catalog.text("cli.option.path.value"))) var to: String

        func validate() throws {
            if from != nil && ledger.ledger != nil { throw ValidationError(Console.catalog.text("cli.error.ledger_copy.from_and_ledger")) }
        }

        func run() throws {
            let env = Console.current.environment
            let source = LedgerLocation.resolve(explicit: from ?? ledger.ledger, environment: env)
            let s: LedgerCopy.Summary
            do {
                s = try LedgerCopy.copy(from: source, to: LedgerLocation.resolve(explicit: to, environment: env))
            } catch var e as UserError where e.fix == .startLedger {
                // No ledger to copy: say where its path came from, as every command does.
                e.message += LocalizedText(from != nil ? "error.path_origin.copy_from" : source.origin == .given ? "error.path_origin.given" : source.origin == .environment ? "error.path_origin.environment" : "error.path_origin.default").english
                throw e
            }
            let L = Console.catalog
            func counted(_ what: String, _ n: Int) -> String { L.plural("cli.ledger.copy.count.\(what)", count: n) }
            Console.current.out(L.text("cli.ledger.copy.done", [
                "transactions": counted("transactions", s.transactions), "statements": counted("statements", s.statements),
                "kept": counted("kept", s.keptFiles), "invoices": counted("invoices", s.invoices), "rates": counted("rates", s.rates),
                "settings": counted("settings", s.settings), "from": s.from, "to": s.to,
            ]))
        }
    }
}
