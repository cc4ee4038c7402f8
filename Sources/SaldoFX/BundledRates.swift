import Foundation
import SaldoCore
import SaldoZip

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
            guard let entry = try ZipReader.files(zip).first(where: { $0.name.lowercased().hasSuffix(".csv") }) else {
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
    /// The currencies the bundle has a column for: current ISO 4217 codes (some, such as RUB, stop
    /// early) and the retired ones (HRK, CYP…: ``CurrencyTable/retired``), whose rates end when they did.
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

extension BundledECBRates {
    /// The newest day the bundle has a rate of `currency` on: ``lastDay`` for a currency the ECB
    /// still publishes, an earlier day for one it stopped publishing (RUB after 1 March 2022) or
    /// that is no longer in use (HRK: 30 December 2022); nil when it has none.
    public static func lastDay(of currency: CurrencyCode) throws(RateBundleError) -> Day? {
        if currency == .EUR { return lastDay }
        guard try currencies().contains(currency) else { return nil }
        // The ECB lists the newest day first: a currency still published has a rate in the last weeks.
        if let recent = try rates(currencies: [currency], days: lastDay.adding(days: -14)...lastDay).map(\.date).max() { return recent }
        return try rates(currencies: [currency]).map(\.date).max()
    }
}

/// The bundled rates could not be read: Saldo's installation is incomplete.
public struct RateBundleError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "the ECB rates bundled with Saldo cannot be read: \(reason)" }
}

extension RateTable {
    /// The rates converting amounts in `currencies` dated within `days` need: the ledger's own rates
    /// (`ledger`, which should reach back a few days before `days` for fallbacks), and for each
    /// currency the ledger does not cover, the bundled ECB history of that currency from
    /// ``fallbackLimit`` days before `days` on, with the ledger's rates added over it, so that where
    /// both have a rate for a pair and day the ledger's wins. EUR is added: cross rates go through it.
    ///
    /// The ledger covers a currency when its EUR rates for it start on or before the first day (or
    /// the bundle's first), reach the last day (or the bundle's last) and leave no gap longer than
    /// ``longestECBGap`` days (Maundy Thursday to Easter Tuesday): then the bundle holds nothing the
    /// ledger lacks and is not read.
    ///
    /// With a `choice`, a currency chosen from a bank (`ARS=bcra`) keeps only that bank's rates and,
    /// like every currency the ECB does not publish, is converted through the dollar: the dollar's
    /// rates are then read from the bundle too when the ledger does not cover them.
    public static func ledgerOverBundled(_ ledger: [ExchangeRate], currencies: Set<CurrencyCode>, days: ClosedRange<Day>,
                                         fallbackLimit: Int = 7, choice: RateSourceChoice = RateSourceChoice()) throws(RateBundleError) -> RateTable {
        var needed = currencies
        // Only when the ledger leaves a currency uncovered (or a source is chosen) is the bundle's list read.
        if !choice.byCurrency.isEmpty || currencies.contains(where: { $0 != .EUR && !RateTable.anchors.contains($0) && !covers(ledger, $0, days) }) {
            let ecb = try BundledECBRates.currencies()
            if currencies.contains(where: { needsAnchor($0, choice: choice, ecb: ecb) }) { needed.formUnion(RateTable.anchors) }
            // A currency chosen from a bank or not published by the ECB is never read from the bundle.
            needed = needed.filter { c in RateTable.anchors.contains(c) || !needsAnchor(c, choice: choice, ecb: ecb) }
        }
        var missing = Set<CurrencyCode>()
        for c in needed where c != .EUR && !covers(ledger, c, days) { missing.insert(c) }
        var table = RateTable(fallbackLimit: fallbackLimit)
        if !missing.isEmpty {
            // From the bundle's last day at the latest, so that a missing rate can say which is the last earlier one.
            let from = min(days.lowerBound.adding(days: -fallbackLimit), BundledECBRates.lastDay)
            table.add(choice.select(try BundledECBRates.rates(currencies: missing, days: from...max(days.upperBound, from))))
        }
        table.add(choice.select(ledger))
        return table
    }

    /// The longest run of days without an ECB rate between two published ones: Thursday before Good
    /// Friday to the Tuesday after Easter Monday.
    public static let longestECBGap = 5

    static func covers(_ ledger: [ExchangeRate], _ c: CurrencyCode, _ days: ClosedRange<Day>) -> Bool {
        let ordinals = ledger.lazy.filter { ($0.base == .EUR && $0.quote == c) || ($0.base == c && $0.quote == .EUR) }.map(\.date.ordinal).sorted()
        guard let first = ordinals.first, let last = ordinals.last else { return false }
        guard first <= max(days.lowerBound, BundledECBRates.firstDay).ordinal,
              last >= min(days.upperBound, BundledECBRates.lastDay).ordinal else { return false }
        for (a, b) in zip(ordinals, ordinals.dropFirst()) where b - a > longestECBGap && b > days.lowerBound.ordinal && a < days.upperBound.ordinal { return false }
        return true
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

    /// In English, made from the catalog's `rate_note.freshness*` template (front ends recognize it
    /// there to show it in their language).
    public var message: String {
        LocalizedText(bundledOnly ? "rate_note.freshness_bundled" : "rate_note.freshness",
                      ["newest_date": newest.description, "latest_date": latestNeeded.description, "days": String(fallbackLimit)]).english
    }
}
