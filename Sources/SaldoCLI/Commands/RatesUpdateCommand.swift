import ArgumentParser
import Foundation
import SaldoCore
import SaldoFX
import SaldoStore

/// `saldo rates update`: the ECB's current rates, downloaded, checked and stored (the logic is
/// `ECBUpdate` in SaldoFX; this is the call site).
struct RatesUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Download the ECB's current reference rates into the ledger.",
        discussion: prose("""
        Downloads eurofxref-hist-90d.xml from the ECB over HTTPS (the whole history, eurofxref-hist.zip,
        when the rates Saldo has are older than that), asking only for a file newer than the last one
        downloaded (ETag / If-Modified-Since). The file is checked before anything is stored, and
        stored in one transaction; offline, nothing changes and reports keep using the rates Saldo has.

        Examples:
          saldo rates update
          saldo rates update --url https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip
        The address can also be set with $SALDO_ECB_URL.
        """))

    @OptionGroup var ledger: LedgerOption
    @Option(help: ArgumentHelp("Download from this address instead (https; default: the ECB's, or $SALDO_ECB_URL).", valueName: "url")) var url: String?
    @Option(help: ArgumentHelp("Give up after this many seconds.", valueName: "seconds")) var timeout: Double = ECBUpdate.defaultTimeout
    @Option(help: ArgumentHelp("Check dates as of this day (yyyy-mm-dd; default: today).", valueName: "date")) var today: String?

    func run() throws {
        let console = Console.current
        let now = try resolveToday(today)
        let store = try ledger.open(.existing)
        func newest() throws -> Day? {
            let ecb = try store.rateSources().filter { $0.source == ecbSourceName }.map(\.last).max()
            return [ecb, BundledECBRates.lastDay].compactMap { $0 }.max()
        }
        let before = try newest()
        let address: URL
        if let text = url ?? console.environment[ECBUpdate.urlEnvironmentVariable].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let u = URL(string: text), u.scheme != nil else { throw UserError("\(text) is not an address", hint: "give it as https://…") }
            address = u
        } else {
            address = ECBUpdate.defaultURL(newestKnown: before, today: now)
        }
        guard timeout > 0 else { throw UserError("--timeout \(timeout) is not a number of seconds", hint: "give a positive number, e.g. 30") }
        let validators = RateValidators(stored: try store.setting(ECBUpdate.validatorsSetting))
        let outcome = ECBUpdate.run(url: address, validators: validators, fetcher: URLSessionRateFetcher(), timeout: timeout, today: now)
        switch outcome {
        case .downloaded(let rates, let v, _):
            let (new, _) = try store.addRates(rates, settings: [ECBUpdate.validatorsSetting: v.stored])
            console.out(ECBUpdate.summary(outcome, newestKnown: try newest(), added: new))
        case .upToDate:
            console.out(ECBUpdate.summary(outcome, newestKnown: before))
        case .offline:
            throw UserError(ECBUpdate.summary(outcome, newestKnown: before), hint: "connect and run `saldo rates update` again, or import a downloaded file with `saldo rates import FILE`")
        case .refused(let problems):
            for p in problems { console.err(p.description) }
            throw UserError(ECBUpdate.summary(outcome, newestKnown: before))
        }
    }
}
