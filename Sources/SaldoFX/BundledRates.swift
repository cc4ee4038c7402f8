import Foundation
import SaldoCore

/// The ECB euro foreign exchange reference rates shipped with Saldo (`ECB/eurofxref-hist.zip`, the
/// ECB's own `eurofxref-hist.csv`, unmodified, deflated; source: European Central Bank), so that a
/// report converts without `saldo rates import` for any day from 1999-01-04 to ``lastDay``.
///
/// Read with the same zip and CSV readers as an imported file. The archive is inflated once per
/// process, on first use; each call parses only the columns and rows it is asked for.
/// Rebuild it with `scripts/make-ecb-bundle.py` (and update ``lastDay``).
public enum BundledECBRates {
    /// The source name bundled rates carry (imported ECB files carry ``ecbSourceName``).
    public static let sourceName = "ECB (bundled)"
    public static let firstDay = Day(year: 1999, month: 1, day: 4)!
    /// The newest day in the bundle; a test checks it against the file.
    public static let lastDay = Day(year: 2026, month: 10, day: 30)!
    public static let resourceName = "eurofxref-hist.zip"

    /// The CSV inside the archive, or why it cannot be read (a broken install).
    static let csv: Result<Data, RateBundleError> = {
        guard let url = Bundle.module.url(forResource: "eurofxref-hist", withExtension: "zip", subdirectory: "ECB")
                ?? Bundle.module.url(forResource: "eurofxref-hist", withExtension: "zip"),
              let zip = try? Data(contentsOf: url) else {
            return .failure(RateBundleError(reason: "\(resourceName) is missing from Saldo's resources"))
        }
        do {
            guard let entry = try ZipArchive.entries(zip).first(where: { $0.name.lowercased().hasSuffix(".csv") }) else {
                return .failure(RateBundleError(reason: "\(resourceName) holds no CSV"))
            }
            return .success(entry.data)
        } catch {
            return .failure(RateBundleError(reason: "\(resourceName): \(error)"))
        }
    }()

    /// Units of each currency per euro, `EUR→X` with source ``sourceName``; only `currencies`
    /// (all when nil) and only days in `days` (all when nil).
    public static func rates(currencies: Set<CurrencyCode>? = nil, days: ClosedRange<Day>? = nil) throws(RateBundleError) -> [ExchangeRate] {
        if let currencies, currencies.subtracting([.EUR]).isEmpty { return [] }
        if let days, days.upperBound < firstDay || days.lowerBound > lastDay { return [] }
        let data: Data
        switch csv {
        case .success(let d): data = d
        case .failure(let e): throw e
        }
        let r = ECBCSVReader.read(data, file: resourceName, source: sourceName, currencies: currencies, days: days)
        if let e = r.errors.first { throw RateBundleError(reason: e.description) }
        return r.rates
    }
}

extension BundledECBRates {
    /// The currencies the bundle has a column for (current ISO 4217 codes; some, such as RUB, stop early).
    public static func currencies() throws(RateBundleError) -> Set<CurrencyCode> {
        let data: Data
        switch csv {
        case .success(let d): data = d
        case .failure(let e): throw e
        }
        let header = data.prefix { $0 != 0x0A && $0 != 0x0D }
        return Set(String(decoding: header, as: UTF8.self).split(separator: ",").dropFirst()
            .compactMap { try? CurrencyCode(String($0).trimmingCharacters(in: .whitespaces)) })
    }
}

/// The bundled rates could not be read: Saldo's installation is incomplete.
public struct RateBundleError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "the ECB rates bundled with Saldo cannot be read: \(reason)" }
}

extension RateTable {
    /// The rates converting amounts in `currencies` on the days `days` need: the bundled ECB history
    /// for those currencies and days, with `ledger` (the ledger's own rates) added over it, so that
    /// where both have a rate for a pair and day the ledger's wins. EUR is added to `currencies`:
    /// cross rates go through it.
    public static func ledgerOverBundled(_ ledger: [ExchangeRate], currencies: Set<CurrencyCode>, days: ClosedRange<Day>,
                                         fallbackLimit: Int = 7) throws(RateBundleError) -> RateTable {
        var table = RateTable(try BundledECBRates.rates(currencies: currencies.union([.EUR]), days: days), fallbackLimit: fallbackLimit)
        table.add(ledger)
        return table
    }

    /// The newest day with a rate for `currency` (as base or quote), if any.
    public func newestDay(of currency: CurrencyCode) -> Day? { coverage(of: currency)?.upperBound }
}

/// Says, in one line, that amounts dated after the newest rate were converted at that older rate
/// (within the fallback limit; beyond it conversion fails with ``RateError/missingRate``).
public struct RateFreshness: Sendable, Equatable {
    /// The newest rate among those the amounts needed.
    public var newest: Day
    /// The latest day an amount needed a rate for.
    public var latestNeeded: Day
    public var fallbackLimit: Int
    public var bundledOnly: Bool

    /// `lastDayByCurrency`: per currency converted (other than `base`), the last day an amount in
    /// it is converted. Nil when every such day has a rate on it or after it, or when only a weekend
    /// separates the newest rate from the days (the ECB publishes nothing then).
    public init?(table: RateTable, lastDayByCurrency: [CurrencyCode: Day], base: CurrencyCode) {
        var newest: Day?, latest: Day?
        var allBundled = true
        for (c, last) in lastDayByCurrency where c != base {
            for x in [c, base] where x != .EUR {
                guard let n = table.newestDay(of: x), n < last else { continue }
                if newest == nil || n < newest! { newest = n }
                if latest == nil || last > latest! { latest = last }
                if table.rates(base: .EUR, quote: x, from: n, to: n).first?.source != BundledECBRates.sourceName { allBundled = false }
            }
        }
        guard let newest, let latest else { return nil }
        // Only a weekend after the newest rate: nothing newer was published.
        guard stride(from: newest.adding(days: 1), through: latest, by: 1).contains(where: { !$0.isWeekend }) else { return nil }
        self.newest = newest; self.latestNeeded = latest; self.fallbackLimit = table.fallbackLimit; self.bundledOnly = allBundled
    }

    public var message: String {
        "note: the newest exchange rate is from \(newest)\(bundledOnly ? " (the ECB history bundled with Saldo)" : ""); amounts up to \(latestNeeded) "
            + "were converted at the last earlier rate (at most \(fallbackLimit) days back); for newer rates run `saldo rates import FILE` (e.g. eurofxref-hist.zip from the ECB)"
    }
}
