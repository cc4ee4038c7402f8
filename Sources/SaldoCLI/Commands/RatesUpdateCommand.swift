import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore

/// `saldo rates update`: the ECB's current rates, downloaded, checked and stored (`Rates.update`).
struct RatesUpdateCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "update", abstract: Console.catalog.text("cli.help.rates.update.abstract"),
        discussion: prose(Console.catalog.text("cli.help.rates.update.discussion"))) }

    @OptionGroup var ledger: LedgerOption
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.ratesupdate.download_from_this_address_instead"), valueName: "url")) var url: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.ratesupdate.give_up_after_this_many"), valueName: "seconds")) var timeout: Double = 30
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.ratesupdate.check_dates_as_of_this"), valueName: "date")) var today: String?

    func run() throws {
        let console = Console.current
        let r = try Rates.update(url: url, environment: console.environment, timeout: timeout, today: try resolveToday(today), store: ledger.open(.existing))
        console.out(Console.catalog.translating(r.summary, keyPrefix: "error.rates_update."))
    }
}
