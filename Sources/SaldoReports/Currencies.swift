import SaldoCore
import SaldoFX

/// `saldo report currencies`: per currency what was earned, converted and is still held; per
/// conversion the platform's implied rate against the ECB reference of that day and what the
/// difference cost in the base currency; totals by platform.
public struct CurrenciesReport: Sendable {
    public struct CurrencyRow: Sendable, Hashable {
        public var currency: CurrencyCode
        /// Income postings in this currency, sign flipped (earnings positive).
        public var earned: Money
        /// `earned` converted at each amount's day.
        public var earnedBase: Money
        /// Fee postings in this currency.
        public var fees: Money
        /// Sold in conversions (positive).
        public var convertedOut: Money
        /// Bought in conversions (positive).
        public var convertedIn: Money
        /// Balance of `assets:*` in this currency at ``CurrenciesReport/asOf`` (all history up to that day).
        public var held: Money
        /// `held` at the ECB rate of ``CurrenciesReport/asOf``.
        public var heldBase: Money
    }

    public struct Conversion: Sendable, Hashable {
        public var date: Day
        public var transactionID: Int64
        public var platform: String
        public var sold: Money
        public var bought: Money
        /// Units of `bought` per unit of `sold` that the platform gave (6 decimals).
        public var impliedRate: ExactDecimal
        /// The ECB reference for the same pair that day (through the euro; 6 decimals).
        public var referenceRate: ExactDecimal
        /// How much worse the platform's rate was than the reference, in percent (2 decimals; negative if better).
        public var spreadPercent: ExactDecimal
        /// `sold` at the ECB rate of the day, in the base currency.
        public var soldBase: Money
        /// `sold` at the ECB rate minus `bought` at the ECB rate, both in the base currency: what the rate cost.
        public var hiddenCost: Money
        /// Fee postings in the same transaction, in the base currency.
        public var fees: Money
        /// The ECB rate came from an earlier day (none published on this one).
        public var usedFallback: Bool
        /// No official rate within the window: the reference rate and the costs are provisional.
        public var provisional: Bool = false
        public var totalCost: Money { hiddenCost + fees }
    }

    public struct PlatformTotals: Sendable, Hashable {
        public var platform: String
        public var conversions: Int
        /// Sold amounts at the ECB rate, in the base currency.
        public var soldBase: Money
        public var hiddenCost: Money
        public var fees: Money
        public var totalCost: Money { hiddenCost + fees }
        /// Total cost as a percentage of the amount sold (2 decimals).
        public var costPercent: ExactDecimal
    }

    public var currency: CurrencyCode
    public var period: Period?
    /// The day holdings are counted and valued.
    public var asOf: Day?
    public var currencies: [CurrencyRow]
    public var conversions: [Conversion]
    public var platforms: [PlatformTotals]
    public var totalHiddenCost: Money
    public var totalFees: Money
    public var convertedAmounts: Int
    public var fallbackAmounts: Int
    /// Rates that were missing beyond the window: those amounts are provisional.
    public var missingRates = MissingRates()
    public var rateWindow: Int = 7
}

extension CurrenciesReport: RateCaveats {}

extension CurrenciesReport {
    /// The amounts sold in conversions, valued at the official rate of each day, in the base currency;
    /// minus ``totalHiddenCost`` it is what they fetched at the rate the platform actually gave.
    public var soldAtOfficialRate: Money { Money(minorUnits: platforms.reduce(0) { $0 + $1.soldBase.minorUnits }, currency: currency) }
}

/// Builds the currencies report. Conversions are the postings with a `cost` (`@@`) in
/// transactions of kind `.conversion`: a negative posting with a cost sold its amount for the
/// cost; a positive one bought its amount for the cost.
public func currenciesReport(_ facts: [PostingFact], rates: RateTable, currency: CurrencyCode,
                             filter: ReportFilter = ReportFilter()) throws(RateError) -> CurrenciesReport {
    var periodless = filter
    periodless.period = nil
    let all = periodless.apply(facts)
    let selected = filter.period.map { p in all.filter { p.contains($0.date) } } ?? all
    var converter = Converter(table: rates, target: currency)
    let zero = Money.zero(currency)

    struct Acc { var earned: Int64 = 0; var earnedBase: Int64 = 0; var fees: Int64 = 0; var out: Int64 = 0; var inn: Int64 = 0; var held: Int64 = 0 }
    var acc: [CurrencyCode: Acc] = [:]

    // Holdings: every asset posting up to the end of the period (or all).
    let end = filter.period?.end
    var asOf: Day?
    for f in all where f.account.root == .assets {
        if let e = end, f.date >= e { continue }
        acc[f.amount.currency, default: Acc()].held += f.amount.minorUnits
        if asOf == nil || f.date > asOf! { asOf = f.date }
    }

    var feesByTx: [Int64: Int64] = [:]
    var conversionTx = Set<Int64>()
    for f in selected where f.kind == .conversion { conversionTx.insert(f.transactionID) }

    for f in selected {
        if isIncome(f.account) {
            let b = try converter.convertMarking(f).amount.minorUnits
            acc[f.amount.currency, default: Acc()].earned -= f.amount.minorUnits
            acc[f.amount.currency, default: Acc()].earnedBase -= b
        } else if isFee(f.account) {
            acc[f.amount.currency, default: Acc()].fees += f.amount.minorUnits
            if conversionTx.contains(f.transactionID) {
                feesByTx[f.transactionID, default: 0] += try converter.convertMarking(f).amount.minorUnits
            }
        }
        if asOf.map({ f.date > $0 }) ?? true { asOf = f.date }
    }

    var conversions: [CurrenciesReport.Conversion] = []
    var feesCounted = Set<Int64>()
    for f in selected where f.kind == .conversion {
        guard let cost = f.cost, cost.currency != f.amount.currency, !f.amount.isZero, !cost.isZero else { continue }
        let sold = f.amount.isNegative ? f.amount.magnitude : cost.magnitude
        let bought = f.amount.isNegative ? cost.magnitude : f.amount.magnitude
        acc[sold.currency, default: Acc()].out += sold.minorUnits
        acc[bought.currency, default: Acc()].inn += bought.minorUnits
        let (soldBase, p1) = try converter.convertMarking(sold, on: f.date)
        let (boughtBase, p2) = try converter.convertMarking(bought, on: f.date)
        let q: RateQuote
        do { q = try rates.quote(from: sold.currency, to: bought.currency, on: f.date) } catch {
            guard rates.beyondWindow == .provisional else { throw error }
            q = rates.nearestQuote(from: sold.currency, to: bought.currency, on: f.date)
                ?? RateQuote(from: sold.currency, to: bought.currency, numerator: bought.decimal, denominator: sold.decimal, publishedOn: f.date, usedFallback: true)
        }
        let implied = ratio(bought.decimal, sold.decimal, places: 6)
        // spread = 1 − (bought/sold) / (reference); computed on 12-decimal values, shown with 2.
        let given = ratio(ratio(bought.decimal, sold.decimal, places: 12), q.value(places: 12), places: 12)
        let spread = ((ExactDecimal(1) - given) * ExactDecimal(100)).rounded(to: 2)
        var fee = zero
        if !feesCounted.contains(f.transactionID) {
            feesCounted.insert(f.transactionID)
            fee = Money(minorUnits: feesByTx[f.transactionID] ?? 0, currency: currency)
        }
        conversions.append(CurrenciesReport.Conversion(
            date: f.date, transactionID: f.transactionID, platform: platformName(f), sold: sold, bought: bought,
            impliedRate: implied, referenceRate: q.value(places: 6), spreadPercent: spread, soldBase: soldBase,
            hiddenCost: soldBase - boughtBase, fees: fee, usedFallback: q.usedFallback, provisional: p1 || p2))
    }
    conversions.sort { ($0.date, $0.transactionID) < ($1.date, $1.transactionID) }

    var platformNames: [String] = []
    var pt: [String: (Int, Int64, Int64, Int64)] = [:]
    for c in conversions {
        if pt[c.platform] == nil { platformNames.append(c.platform); pt[c.platform] = (0, 0, 0, 0) }
        pt[c.platform]!.0 += 1
        pt[c.platform]!.1 += c.soldBase.minorUnits
        pt[c.platform]!.2 += c.hiddenCost.minorUnits
        pt[c.platform]!.3 += c.fees.minorUnits
    }
    let platforms = platformNames.sorted().map { p -> CurrenciesReport.PlatformTotals in
        let (n, sold, hidden, fees) = pt[p] ?? (0, 0, 0, 0)
        let pct = ratio(ExactDecimal(significand: Int128(hidden + fees) * 100, scale: 0), ExactDecimal(significand: Int128(sold), scale: 0), places: 2)
        return CurrenciesReport.PlatformTotals(platform: p, conversions: n, soldBase: Money(minorUnits: sold, currency: currency),
                                               hiddenCost: Money(minorUnits: hidden, currency: currency), fees: Money(minorUnits: fees, currency: currency), costPercent: pct)
    }

    var rows: [CurrenciesReport.CurrencyRow] = []
    for c in acc.keys.sorted() {
        let a = acc[c]!
        let held = Money(minorUnits: a.held, currency: c)
        var heldBase = Money(minorUnits: a.held, currency: currency)
        if c != currency {
            heldBase = a.held == 0 || asOf == nil ? zero : try converter.convertMarking(held, on: asOf!).amount
        }
        rows.append(CurrenciesReport.CurrencyRow(
            currency: c, earned: Money(minorUnits: a.earned, currency: c), earnedBase: Money(minorUnits: a.earnedBase, currency: currency),
            fees: Money(minorUnits: a.fees, currency: c), convertedOut: Money(minorUnits: a.out, currency: c),
            convertedIn: Money(minorUnits: a.inn, currency: c), held: held, heldBase: heldBase))
    }
    return CurrenciesReport(currency: currency, period: filter.period, asOf: asOf, currencies: rows, conversions: conversions, platforms: platforms,
                            totalHiddenCost: Money(minorUnits: platforms.reduce(0) { $0 + $1.hiddenCost.minorUnits }, currency: currency),
                            totalFees: Money(minorUnits: platforms.reduce(0) { $0 + $1.fees.minorUnits }, currency: currency),
                            convertedAmounts: converter.convertedCount, fallbackAmounts: converter.fallbackCount,
                            missingRates: converter.missing, rateWindow: rates.fallbackLimit)
}

extension CurrenciesReport: ReportConvertible {
    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        let c = currency
        let args = ["currency": c.code]
        let cur = ColumnKind.money(c)
        var blocks: [ReportBlock] = []
        blocks.append(.table(ReportTable(id: "currencies", title: L("report.currencies.table.currencies"),
            columns: [ReportColumn("currency", L("report.column.currency")), ReportColumn("earned", L("report.currencies.column.earned"), .money(nil)), ReportColumn("earned_base", L("report.currencies.column.earned_in", args), cur),
                      ReportColumn("fees", L("report.column.fees"), .money(nil)), ReportColumn("converted_out", L("report.currencies.column.converted_out"), .money(nil)),
                      ReportColumn("converted_in", L("report.currencies.column.converted_in"), .money(nil)), ReportColumn("held", L("report.currencies.column.held"), .money(nil)), ReportColumn("held_base", L("report.currencies.column.held_in", args), cur)],
            rows: currencies.map { r in ReportRow([.text(r.currency.code), .money(r.earned), .money(r.earnedBase), .money(r.fees), .money(r.convertedOut),
                                                  .money(r.convertedIn), .money(r.held), .money(r.heldBase)]) })))
        let earnedTotal = currencies.filter { !$0.earnedBase.isZero }
        if !earnedTotal.isEmpty {
            blocks.append(.chart(.bars(BarChart(title: L("report.currencies.chart.mix", args), unit: c.code, labels: earnedTotal.map(\.currency.code),
                                                values: earnedTotal.map { $0.earnedBase.decimal.approximateDouble }))))
        }
        blocks.append(.table(ReportTable(id: "conversions", title: L("report.currencies.table.conversions"),
            columns: [ReportColumn("date", L("report.column.date"), .date), ReportColumn("platform", L("report.column.platform")), ReportColumn("sold", L("report.currencies.column.sold"), .money(nil)),
                      ReportColumn("bought", L("report.currencies.column.bought"), .money(nil)), ReportColumn("implied_rate", L("report.currencies.column.rate_given"), .number),
                      ReportColumn("ecb_rate", L("report.currencies.column.ecb_rate"), .number), ReportColumn("spread_percent", L("report.currencies.column.spread"), .percent),
                      ReportColumn("hidden_cost", L("report.currencies.column.hidden_cost_in", args), cur), ReportColumn("fees", L("report.column.fees_in", args), cur), ReportColumn("earlier_rate", L("report.currencies.column.earlier_rate"), .flag)],
            rows: conversions.map { v in ReportRow([.date(v.date), .text(v.platform), .money(v.sold), .money(v.bought), .number(v.impliedRate),
                                                   .number(v.referenceRate), .percent(v.spreadPercent), .money(v.hiddenCost), .money(v.fees), .flag(v.usedFallback)]) })))
        var prow = platforms.map { p in ReportRow([.text(p.platform), .integer(p.conversions), .money(p.soldBase), .money(p.hiddenCost), .money(p.fees), .money(p.totalCost), .percent(p.costPercent)]) }
        let soldAll = Money(minorUnits: platforms.reduce(0) { $0 + $1.soldBase.minorUnits }, currency: c)
        let totalCost = totalHiddenCost + totalFees
        let pctAll = ratio(ExactDecimal(significand: Int128(totalCost.minorUnits) * 100, scale: 0), ExactDecimal(significand: Int128(soldAll.minorUnits), scale: 0), places: 2)
        prow.append(ReportRow([.text(L("report.row.total")), .integer(conversions.count), .money(soldAll), .money(totalHiddenCost), .money(totalFees), .money(totalCost), .percent(pctAll)], style: .total))
        blocks.append(.table(ReportTable(id: "conversion_cost", title: L("report.currencies.table.cost", args),
            columns: [ReportColumn("platform", L("report.column.platform")), ReportColumn("conversions", L("report.currencies.column.conversions"), .number), ReportColumn("sold_base", L("report.currencies.column.sold_in", args), cur),
                      ReportColumn("hidden_cost", L("report.currencies.column.hidden_cost"), cur), ReportColumn("fees", L("report.column.fees"), cur), ReportColumn("total_cost", L("report.currencies.column.total_cost"), cur),
                      ReportColumn("cost_percent", L("report.currencies.column.cost"), .percent)],
            rows: prow)))
        if !platforms.isEmpty {
            blocks.append(.chart(.stackedBars(StackedBarChart(title: L("report.currencies.chart.cost", args), unit: c.code, categories: platforms.map(\.platform),
                series: [ChartSeries(L("report.currencies.series.hidden"), platforms.map { $0.hiddenCost.decimal.approximateDouble }),
                         ChartSeries(L("report.currencies.series.fees"), platforms.map { $0.fees.decimal.approximateDouble })]))))
        }
        var notes = [L("report.currencies.note.hidden_cost", args)]
        notes.append(L("report.currencies.note.converted", ["count": L.format.integer(convertedAmounts), "currency": c.code, "fallback": L.format.integer(fallbackAmounts)])
                     + (asOf.map { L("report.currencies.note.holdings_as_of", ["date": L.format.date($0)]) } ?? ""))
        if !conversions.isEmpty {
            let received = Money(minorUnits: soldAll.minorUnits - totalHiddenCost.minorUnits, currency: c)
            // Grouped as the tables write amounts (81,333.85 EUR / 81.333,85 €).
            notes.append(L("report.currencies.note.official_vs_got", ["official": L.format.money(soldAll), "got": L.format.money(received)]))
        }
        notes += missingRates.notes(window: rateWindow, in: L)
        var subtitle = L("report.subtitle.in_currency", args)
        if let p = period { subtitle += L("report.subtitle.period", ["period": L.format.periodLabel(p.label)]) }
        if let b = missingRates.block(L) { blocks.append(b) }
        return ReportDocument(title: L("report.currencies.title"), subtitle: subtitle, notes: notes, blocks: blocks, json: json())
    }

    /// Schema `saldo.report.currencies` version 1 (docs/reports.md).
    public func json() -> JSONValue {
        func amount(_ m: Money) -> JSONValue { .obj([("amount", .money(m)), ("currency", .string(m.currency.code))]) }
        return .obj([
            ("report", .string("currencies")),
            ("schema", .int(1)),
            ("currency", .string(currency.code)),
            ("period", period.map { .obj([("label", .string($0.label)), ("from", .string($0.start.description)), ("to", .string($0.lastDay.description))]) } ?? .null),
            ("as_of", asOf.map { .string($0.description) } ?? .null),
            ("currencies", .array(currencies.map { r in .obj([
                ("currency", .string(r.currency.code)), ("earned", .money(r.earned)), ("earned_base", .money(r.earnedBase)), ("fees", .money(r.fees)),
                ("converted_out", .money(r.convertedOut)), ("converted_in", .money(r.convertedIn)), ("held", .money(r.held)), ("held_base", .money(r.heldBase)),
            ]) })),
            ("conversions", .array(conversions.map { v in .obj([
                ("date", .string(v.date.description)), ("transaction", .number(String(v.transactionID))), ("platform", .string(v.platform)),
                ("sold", amount(v.sold)), ("bought", amount(v.bought)), ("implied_rate", .decimal(v.impliedRate)), ("ecb_rate", .decimal(v.referenceRate)),
                ("spread_percent", .decimal(v.spreadPercent)), ("hidden_cost", .money(v.hiddenCost)), ("fees", .money(v.fees)),
                ("total_cost", .money(v.totalCost)), ("earlier_rate", .bool(v.usedFallback)), ("provisional", .bool(v.provisional)),
            ]) })),
            ("platforms", .array(platforms.map { p in .obj([
                ("platform", .string(p.platform)), ("conversions", .int(p.conversions)), ("sold_base", .money(p.soldBase)),
                ("hidden_cost", .money(p.hiddenCost)), ("fees", .money(p.fees)), ("total_cost", .money(p.totalCost)), ("cost_percent", .decimal(p.costPercent)),
            ]) })),
            ("totals", .obj([("hidden_cost", .money(totalHiddenCost)), ("fees", .money(totalFees)), ("total_cost", .money(totalHiddenCost + totalFees)),
                             // What was converted at the official rate, and what it fetched at the rate actually got.
                             ("sold_at_official_rate", .money(soldAtOfficialRate)), ("received_at_rate_got", .money(soldAtOfficialRate - totalHiddenCost))])),
            ("conversion", .obj([("source", .string("ECB reference rates")), ("amounts_converted", .int(convertedAmounts)), ("amounts_with_earlier_rate", .int(fallbackAmounts))]
                                 + missingRates.jsonMembers())),
        ])
    }
}
