import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
import SaldoReports

/// `--today`: the day outstanding and overdue amounts are computed for.
struct TodayOption: ParsableArguments {
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.invoices.compute_as_of_this_day"), valueName: "date")) var today: String?
    func resolve() throws -> Day { try resolveToday(today) }
}

extension Invoices.StatusFilter: ExpressibleByArgument {}
extension Invoices.DocumentKind: ExpressibleByArgument {}

/// `--seller`, `--kind`, `--issued`: which invoice a number names when several share it.
struct InvoiceChoiceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.invoices.seller_name_or_tax_id"), valueName: "seller")) var seller: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.invoices.kind"), valueName: "kind")) var kind: Invoices.DocumentKind?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.invoices.issued"), valueName: "date")) var issued: String?
    func issuedDay() throws -> Day? { try parseDay(issued, "--issued") }
}

struct InvoicesCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "invoices",
        abstract: Console.catalog.text("cli.help.invoices.abstract"),
        discussion: prose(Console.catalog.text("cli.help.invoices.discussion")),
        subcommands: [List.self, Summary.self, Link.self, Unlink.self, Match.self],
        defaultSubcommand: Summary.self
    ) }

    struct List: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "list", abstract: Console.catalog.text("cli.help.invoices.list.abstract"),
            discussion: example("saldo invoices list --status overdue --format csv")) }
        @OptionGroup var ledger: ReadLedgerOption
        @OptionGroup var periodOptions: PeriodOptions
        @OptionGroup var todayOption: TodayOption
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.invoices.all_open_anything_outstanding_overdue"))) var status: Invoices.StatusFilter = .all
        @OptionGroup var output: DocumentOutput

        func run() throws {
            try output.emit(Invoices.list(status: status, period: try periodOptions.resolve(),
                                          today: try todayOption.resolve(), store: ledger.open(.existing)))
        }
    }

    struct Summary: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "summary", abstract: Console.catalog.text("cli.help.invoices.summary.abstract"),
            discussion: example("saldo invoices summary --today 2026-11-15 --format markdown")) }
        @OptionGroup var ledger: ReadLedgerOption
        @OptionGroup var todayOption: TodayOption
        @OptionGroup var output: DocumentOutput

        func run() throws {
            try output.emit(Invoices.summary(today: try todayOption.resolve(), store: ledger.open(.existing)))
        }
    }

    struct Link: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "link", abstract: Console.catalog.text("cli.help.invoices.link.abstract"),
            discussion: example(Console.catalog.text("cli.help.invoices.link.example"))) }
        @OptionGroup var ledger: LedgerOption
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.invoices.invoice_number"))) var number: String
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.invoices.transaction_id_see_saldo_export"))) var transaction: Int64
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.invoices.amount_it_pays_in_the"), valueName: "amount")) var amount: String?
        @OptionGroup var choice: InvoiceChoiceOptions

        func run() throws {
            let outcome = try Invoices.linkChecked(number: number, seller: choice.seller, kind: choice.kind, issued: try choice.issuedDay(),
                                                   transaction: transaction, amount: amount, store: ledger.open(.existing))
            Console.current.out(LocalizedText("cli.invoices.linked", ["number": number, "transaction": "\(transaction)", "amount": "\(outcome.amount)"]).text(in: Console.catalog))
            for w in outcome.warnings { Console.current.err(Console.current.styled(Console.catalog.text("diag.label.warning"), .yellow) + w.text(in: Console.catalog)) }
        }
    }

    struct Unlink: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "unlink", abstract: Console.catalog.text("cli.help.invoices.unlink.abstract"),
            discussion: example("saldo invoices unlink LMS-2026-008 702")) }
        @OptionGroup var ledger: LedgerOption
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.invoices.invoice_number"))) var number: String
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.invoices.transaction_id_without_it_every"))) var transaction: Int64?
        @OptionGroup var choice: InvoiceChoiceOptions

        func run() throws {
            let n = try Invoices.unlink(number: number, seller: choice.seller, kind: choice.kind, issued: try choice.issuedDay(),
                                        transaction: transaction, store: ledger.open(.existing))
            Console.current.out(Console.catalog.plural("cli.invoices.unlinked", count: n, ["number": number]))
        }
    }

    struct Match: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "match", abstract: Console.catalog.text("cli.help.invoices.match.abstract"),
            discussion: example("saldo invoices match")) }
        @OptionGroup var ledger: LedgerOption
        func run() throws {
            let (n, matches) = try Invoices.match(store: ledger.open(.existing))
            Console.current.out(Console.catalog.plural("cli.invoices.matched_payments", count: n))
            for m in matches { Console.current.out("\(m.invoice) ← #\(m.transaction) \(m.date): \(Console.catalog.translatingClauses(m.explanation, keyPrefix: "match."))") }
        }
    }
}

