import SaldoCore
import SaldoFX

/// A report whose amounts may be provisional because rates were missing (``MissingRates``): the
/// front end says once which rates to add and ends with "done with caveats".
public protocol RateCaveats {
    var missingRates: MissingRates { get }
    /// How many days back an earlier rate may be used (the window beyond which amounts are provisional).
    var rateWindow: Int { get }
}

extension MissingRates {
    /// The `conversion` object's members every report's JSON carries: how many amounts are
    /// provisional and, per currency, the rates that were missing.
    func jsonMembers() -> [(String, JSONValue)] {
        [("amounts_provisional", .int(provisionalAmounts)),
         ("amounts_unconverted", .int(unconvertedAmounts)),
         ("missing_rates", .array(gaps.map { g in .obj([
            ("currency", .string(g.currency.code)), ("from", .string(g.from.description)), ("to", .string(g.to.description)),
            ("amounts", .int(g.amounts)), ("unconverted", .int(g.unconverted)),
            ("last_earlier_rate", g.lastEarlier.map { .string($0.description) } ?? .null),
         ]) }))]
    }
}

extension MissingRates {
    /// A table of the rates that were missing, for every format (CSV shows tables, not notes);
    /// nil when none was.
    func block(_ L: Catalog = .shipped(.en)) -> ReportBlock? {
        guard !isEmpty else { return nil }
        return .table(ReportTable(id: "missing_rates", title: L("report.missing_rates.title"),
            columns: [ReportColumn("currency", L("report.column.currency")), ReportColumn("from", L("report.column.from"), .date), ReportColumn("to", L("report.column.to"), .date),
                      ReportColumn("amounts_provisional", L("report.missing_rates.column.provisional"), .number), ReportColumn("amounts_unconverted", L("report.missing_rates.column.zero"), .number),
                      ReportColumn("last_earlier_rate", L("report.missing_rates.column.last_earlier"))],
            rows: gaps.map { g in ReportRow([.text(g.currency.code), .date(g.from), .date(g.to), .integer(g.amounts), .integer(g.unconverted),
                                             .text(g.lastEarlier?.description ?? L("report.missing_rates.none"))]) }))
    }
}
