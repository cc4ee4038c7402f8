import SaldoCore
import SaldoFX

/// `saldo report balances`: per account and currency the balance at a day, the value of what is
/// held (assets and liabilities) in the base currency, and the running-balance checks from imports.
public struct BalancesReport: Sendable {
    public struct Row: Sendable, Hashable {
        public var account: Account
        public var balance: Money
        /// For assets and liabilities: the balance at the ECB rate of ``BalancesReport/asOf``.
        public var baseValue: Money?
        /// Balance checks for this account and currency, and how many of them failed.
        public var checks: Int
        public var failedChecks: Int
    }

    public struct Check: Sendable, Hashable {
        public var account: Account
        public var date: Day
        public var stated: Money
        public var computed: Money
        public var difference: Money { stated - computed }
        public var holds: Bool { stated == computed }
        public var location: SourceLocation?
    }

    public var currency: CurrencyCode
    /// Balances include every fact up to and including this day.
    public var asOf: Day?
    public var rows: [Row]
    public var checks: [Check]
    /// Assets and liabilities in the base currency, and their sum.
    public var assets: Money
    public var liabilities: Money
    public var netWorth: Money { assets + liabilities }
    public var convertedAmounts: Int
    public var fallbackAmounts: Int
    /// Rates that were missing beyond the window: those values are provisional.
    public var missingRates = MissingRates()
    public var rateWindow: Int = 7
}

extension BalancesReport: RateCaveats {}

/// Builds the balances report at `asOf` (default: the period's last day if a period is given,
/// else the day of the last fact). Zero balances are left out.
public func balancesReport(_ facts: [PostingFact], checks: [BalanceCheck] = [], rates: RateTable, currency: CurrencyCode,
                           filter: ReportFilter = ReportFilter(), asOf: Day? = nil) throws(RateError) -> BalancesReport {
    var f2 = filter
    f2.period = nil
    let selected = f2.apply(facts)
    var day = asOf ?? filter.period?.lastDay
    if day == nil { day = selected.map(\.date).max() }
    struct Key: Hashable { var account: Account; var currency: CurrencyCode }
    var sums: [Key: Int64] = [:]
    for f in selected {
        if let d = day, f.date > d { continue }
        sums[Key(account: f.account, currency: f.amount.currency), default: 0] += f.amount.minorUnits
    }
    let keptChecks = checks.filter { c in
        (day.map { c.date <= $0 } ?? true) && (filter.accounts.isEmpty || filter.accounts.contains { c.account.isUnder($0) })
    }.sorted { ($0.account, $0.date, $0.stated.currency) < ($1.account, $1.date, $1.stated.currency) }
    var checkCount: [Key: (Int, Int)] = [:]
    for c in keptChecks {
        let k = Key(account: c.account, currency: c.stated.currency)
        checkCount[k, default: (0, 0)].0 += 1
        if !c.holds { checkCount[k, default: (0, 0)].1 += 1 }
        if sums[k] == nil { sums[k] = 0 }
    }
    var converter = Converter(table: rates, target: currency)
    var rows: [BalancesReport.Row] = []
    var assets: Int64 = 0, liabilities: Int64 = 0
    for k in sums.keys.sorted(by: { ($0.account, $0.currency) < ($1.account, $1.currency) }) {
        let v = sums[k] ?? 0
        let cc = checkCount[k] ?? (0, 0)
        if v == 0 && cc.0 == 0 { continue }
        let m = Money(minorUnits: v, currency: k.currency)
        var base: Money?
        if k.account.root == .assets || k.account.root == .liabilities, let d = day {
            let b = v == 0 ? Money.zero(currency) : try converter.convertMarking(m, on: d).amount
            base = b
            if k.account.root == .assets { assets += b.minorUnits } else { liabilities += b.minorUnits }
        }
        rows.append(BalancesReport.Row(account: k.account, balance: m, baseValue: base, checks: cc.0, failedChecks: cc.1))
    }
    return BalancesReport(currency: currency, asOf: day, rows: rows,
                          checks: keptChecks.map { BalancesReport.Check(account: $0.account, date: $0.date, stated: $0.stated, computed: $0.computed, location: $0.location) },
                          assets: Money(minorUnits: assets, currency: currency), liabilities: Money(minorUnits: liabilities, currency: currency),
                          convertedAmounts: converter.convertedCount, fallbackAmounts: converter.fallbackCount,
                          missingRates: converter.missing, rateWindow: rates.fallbackLimit)
}

extension BalancesReport: ReportConvertible {
    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        let c = currency
        let args = ["currency": c.code]
        var blocks: [ReportBlock] = []
        var rs = rows.map { r in
            ReportRow([.text(r.account.path), .text(r.balance.currency.code), .money(r.balance), r.baseValue.map { .money($0) } ?? .empty,
                       r.checks == 0 ? .text("") : .text(r.failedChecks == 0 ? L.plural("report.balances.checks_ok", count: r.checks)
                                                                      : L("report.balances.checks_failed", ["failed": String(r.failedChecks), "count": String(r.checks)]))])
        }
        rs.append(ReportRow([.text(L("report.balances.row.assets")), .text(c.code), .empty, .money(assets), .empty], style: .subtotal))
        rs.append(ReportRow([.text(L("report.balances.row.liabilities")), .text(c.code), .empty, .money(liabilities), .empty], style: .subtotal))
        rs.append(ReportRow([.text(L("report.balances.row.net_worth")), .text(c.code), .empty, .money(netWorth), .empty], style: .total))
        blocks.append(.table(ReportTable(id: "balances", title: asOf.map { L("report.balances.table.on", ["date": L.format.date($0)]) } ?? L("report.balances.title"),
            columns: [ReportColumn("account", L("report.column.account")), ReportColumn("currency", L("report.column.currency")), ReportColumn("balance", L("report.balances.column.balance"), .money(nil)),
                      ReportColumn("value_base", L("report.balances.column.value_in", args), .money(c)), ReportColumn("checks", L("report.balances.column.checks"))],
            rows: rs)))
        if !checks.isEmpty {
            blocks.append(.table(ReportTable(id: "checks", title: L("report.balances.table.checks"),
                columns: [ReportColumn("account", L("report.column.account")), ReportColumn("date", L("report.column.date"), .date), ReportColumn("stated", L("report.balances.column.stated"), .money(nil)),
                          ReportColumn("computed", L("report.balances.column.computed"), .money(nil)), ReportColumn("difference", L("report.balances.column.difference"), .money(nil)),
                          ReportColumn("holds", L("report.balances.column.holds"), .flag), ReportColumn("source", L("report.column.source"))],
                rows: checks.map { k in ReportRow([.text(k.account.path), .date(k.date), .money(k.stated), .money(k.computed), .money(k.difference),
                                                   .flag(k.holds), .text(k.location?.description ?? "")]) })))
        }
        let failed = checks.filter { !$0.holds }.count
        var notes: [String] = []
        if !checks.isEmpty {
            notes.append(failed == 0 ? L("report.balances.note.all_hold", ["count": String(checks.count)])
                                     : L("report.balances.note.some_fail", ["failed": String(failed), "count": String(checks.count)]))
        }
        notes.append(L("report.balances.note.valued", ["currency": c.code, "date": asOf.map { L.format.date($0) } ?? L("report.balances.the_last_day"),
                                                       "fallback": L.format.integer(fallbackAmounts), "count": L.format.integer(convertedAmounts)]))
        notes += missingRates.notes(window: rateWindow, in: L)
        if let b = missingRates.block(L) { blocks.append(b) }
        return ReportDocument(title: L("report.balances.title"), subtitle: asOf.map { L("report.balances.subtitle", ["date": L.format.date($0), "currency": c.code]) }, notes: notes, blocks: blocks, json: json())
    }

    /// Schema `saldo.report.balances` version 1 (docs/reports.md).
    public func json() -> JSONValue {
        .obj([
            ("report", .string("balances")),
            ("schema", .int(1)),
            ("currency", .string(currency.code)),
            ("as_of", asOf.map { .string($0.description) } ?? .null),
            ("accounts", .array(rows.map { r in .obj([
                ("account", .string(r.account.path)), ("currency", .string(r.balance.currency.code)), ("balance", .money(r.balance)),
                ("value_base", r.baseValue.map { .money($0) } ?? .null), ("checks", .int(r.checks)), ("failed_checks", .int(r.failedChecks)),
            ]) })),
            ("checks", .array(checks.map { k in .obj([
                ("account", .string(k.account.path)), ("date", .string(k.date.description)), ("currency", .string(k.stated.currency.code)),
                ("stated", .money(k.stated)), ("computed", .money(k.computed)), ("difference", .money(k.difference)), ("holds", .bool(k.holds)),
                ("source", k.location.map { .string($0.description) } ?? .null),
            ]) })),
            ("totals", .obj([("assets", .money(assets)), ("liabilities", .money(liabilities)), ("net_worth", .money(netWorth))])),
            ("conversion", .obj([("source", .string("ECB reference rates")), ("amounts_converted", .int(convertedAmounts)), ("amounts_with_earlier_rate", .int(fallbackAmounts))]
                                + missingRates.jsonMembers())),
        ])
    }
}
