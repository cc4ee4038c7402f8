import Foundation
import SaldoCore

/// Which source converts which currency: the ledger setting `rate-source`, e.g. `ARS=bcra,MXN=banxico`.
///
/// A currency without a choice uses every rate the ledger and the bundled ECB history hold for it
/// (the ECB's for the currencies the ECB publishes). A choice keeps, for that currency, only the
/// rates of the chosen profile: `MXN=banxico` converts pesos through Banxico's FIX against the
/// dollar and the dollar's ECB rate against the euro, never the ECB's own peso rate.
public struct RateSourceChoice: Sendable, Equatable {
    public var byCurrency: [CurrencyCode: RateSourceProfile]

    /// The ledger setting's key.
    public static let settingKey = "rate-source"

    public init(_ byCurrency: [CurrencyCode: RateSourceProfile] = [:]) { self.byCurrency = byCurrency }

    /// The stored setting (nil or unreadable: no choice).
    public init(stored: String?) {
        self.init()
        if let s = stored, let c = try? RateSourceChoice(parsing: s) { self = c }
    }

    /// `ARS=bcra,MXN=banxico` (spaces and case do not matter). A profile must publish the currency:
    /// the ECB for the currencies it publishes, a bank for its own.
    public init(parsing text: String) throws(DiagnosticsError) {
        var out: [CurrencyCode: RateSourceProfile] = [:]
        var problems: [Diagnostic] = []
        let names = RateSourceProfile.allCases.map(\.rawValue).joined(separator: ", ")
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, let c = try? CurrencyCode(kv[0].uppercased()) else {
                problems.append(.error("fx.rate-source.syntax", "expected CURRENCY=source such as ARS=bcra, found \"\(part.trimmingCharacters(in: .whitespaces))\"",
                                       hint: "sources: \(names)"))
                continue
            }
            guard let p = RateSourceProfile.named(kv[1]) else {
                problems.append(.error("fx.rate-source.unknown", "expected one of the rate sources \(names), found \"\(kv[1])\" for \(c)",
                                       hint: "for rates from elsewhere, import a CSV with columns date,base,quote,rate and leave \(c) without a chosen source"))
                continue
            }
            if let own = p.currency, own != c {
                problems.append(.error("fx.rate-source.currency", "expected a source that publishes \(c), found \(p.rawValue), which publishes \(own)",
                                       hint: RateSourceChoice.whereToGet(c)))
                continue
            }
            if p == .ecb, c != .EUR, let ecb = try? BundledECBRates.currencies(), !ecb.contains(c) {
                problems.append(.error("fx.rate-source.currency", "expected a source that publishes \(c), found ecb, which does not publish it",
                                       hint: RateSourceChoice.whereToGet(c)))
                continue
            }
            out[c] = p
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        byCurrency = out
    }

    /// As stored: sorted by currency, `ARS=bcra,MXN=banxico`.
    public var stored: String {
        byCurrency.keys.sorted().map { "\($0)=\(byCurrency[$0]!.rawValue)" }.joined(separator: ",")
    }

    /// This choice with `other`'s entries over it (setting one currency keeps the others).
    public func merged(with other: RateSourceChoice) -> RateSourceChoice {
        RateSourceChoice(byCurrency.merging(other.byCurrency) { _, new in new })
    }

    /// The currency a rate is about: the side that is neither the euro nor a cross anchor (the
    /// dollar), else its quote. `USD→ARS` is about ARS, `EUR→USD` about USD.
    static func subject(_ r: ExchangeRate) -> CurrencyCode {
        if r.base == .EUR { return r.quote }
        if r.quote == .EUR { return r.base }
        if RateTable.anchors.contains(r.base) { return r.quote }
        if RateTable.anchors.contains(r.quote) { return r.base }
        return r.quote
    }

    /// The rates to convert with: for every currency with a choice, only its chosen source's.
    public func select(_ rates: [ExchangeRate]) -> [ExchangeRate] {
        if byCurrency.isEmpty { return rates }
        return rates.filter { r in byCurrency[RateSourceChoice.subject(r)].map { $0.produced(r.source) } ?? true }
    }

    /// Where rates for `c` come from, in domain words, for hints.
    public static func whereToGet(_ c: CurrencyCode) -> String {
        if let p = RateSourceProfile.allCases.first(where: { $0.currency == c }) {
            return "\(p.title): save its API's answer and import it with the rate source \(p.rawValue)"
        }
        if c == .EUR || ((try? BundledECBRates.currencies())?.contains(c) ?? false) {
            return "newer ECB reference rates: download them from the ECB (eurofxref-hist-90d.xml or eurofxref-hist.zip)"
        }
        return "no source Saldo knows publishes \(c): a CSV with columns date,base,quote,rate from your bank"
    }
}

extension RateTable {
    /// Whether converting `c` needs a rate against a cross anchor (the dollar): a currency the ECB does
    /// not publish, or one whose chosen source is a bank.
    static func needsAnchor(_ c: CurrencyCode, choice: RateSourceChoice, ecb: Set<CurrencyCode>) -> Bool {
        if c == .EUR || RateTable.anchors.contains(c) { return false }
        if let p = choice.byCurrency[c] { return p != .ecb }
        return !ecb.contains(c)
    }
}
