import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore

/// `saldo rates update`: the ECB's current rates, downloaded, checked and stored (`Rates.update`).
struct RatesUpdateCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "update", abstract: Console.catalog.text("cli.help.rates.update.abstract"),
        discussion: prose("""
        Downloads eurofxref-hist-90d.xml from the ECB over HTTPS (the whole history, eurofxref-hist.zip,
        when the rates Saldo has are older than that), asking only for a file newer than the last one
        downloaded (ETag / If-Modified-Since). The file is checked before anything is stored, and
        stored in one transaction; offline, nothing changes and reports keep using the rates Saldo has.

        Examples:
          saldo rates update
          saldo rates update --url https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip
        The address can also be set with $SALDO_ECB_URL.
        """)) }

    @OptionGroup var ledger: LedgerOption
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.ratesupdate.download_from_this_address_instead"), valueName: "url")) var url: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.ratesupdate.give_up_after_this_many"), valueName: "seconds")) var timeout: Double = 30
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.ratesupdate.check_dates_as_of_this"), valueName: "date")) var today: String?

    func run() throws {
        let console = Console.current
        let r = try Rates.update(url: url, environment: console.environment, timeout: timeout, today: try resolveToday(today), store: ledger.open(.existing))
        console.out(r.summary)
    }
}
