import SaldoCore
import SaldoFX

/// What to keep of the ledger for a report. Empty sets mean "everything".
public struct ReportFilter: Sendable {
    /// Only facts dated inside the period.
    public var period: Period?
    /// Platform names, compared without regard to case or spacing (`PayPal` = `paypal`).
    public var platforms: Set<String>
    /// Client names, compared the same way.
    public var clients: Set<String>
    /// Only transactions that touch one of these accounts or accounts under them.
    public var accounts: [Account]

    public init(period: Period? = nil, platforms: Set<String> = [], clients: Set<String> = [], accounts: [Account] = []) {
        self.period = period
        self.platforms = Set(platforms.map(Account.normalizeComponent))
        self.clients = Set(clients.map(Account.normalizeComponent))
        self.accounts = accounts
    }

    /// Applies every filter; account filters keep whole transactions.
    func apply(_ facts: [PostingFact]) -> [PostingFact] {
        if period == nil && platforms.isEmpty && clients.isEmpty && accounts.isEmpty { return facts }
        var keepTx: Set<Int64>?
        if !accounts.isEmpty {
            var s = Set<Int64>()
            for f in facts where accounts.contains(where: { f.account.isUnder($0) }) { s.insert(f.transactionID) }
            keepTx = s
        }
        return facts.filter { f in
            if let p = period, !p.contains(f.date) { return false }
            if !platforms.isEmpty && !platforms.contains(Account.normalizeComponent(platformName(f))) { return false }
            if !clients.isEmpty && !clients.contains(Account.normalizeComponent(f.client ?? "")) { return false }
            if let k = keepTx, !k.contains(f.transactionID) { return false }
            return true
        }
    }

    var isEmpty: Bool { period == nil && platforms.isEmpty && clients.isEmpty && accounts.isEmpty }
}

/// The platform a fact belongs to: its own `platform`, else the institution in its account
/// (`income:upwork` → `upwork`, `expenses:fees:paypal` → `paypal`), else `other`.
func platformName(_ f: PostingFact) -> String {
    if let p = f.platform, !p.isEmpty { return p }
    let c = f.account.components
    if c.count >= 3 && c[0] == "expenses" && c[1] == "fees" { return c[2] }
    if c.count >= 2 { return c[1] }
    return "other"
}

/// Gross earnings, fees and net in one currency.
public struct EarningsFigures: Hashable, Sendable {
    /// Income postings with the sign flipped: earnings positive, refunds and chargebacks negative.
    public var gross: Money
    /// Postings on `expenses:fees:*` (a refunded fee is negative).
    public var fees: Money
    public var net: Money { gross - fees }

    public init(gross: Money, fees: Money) { self.gross = gross; self.fees = fees }
    public static func zero(_ c: CurrencyCode) -> EarningsFigures { EarningsFigures(gross: .zero(c), fees: .zero(c)) }
    public var isZero: Bool { gross.isZero && fees.isZero }
    static func + (a: EarningsFigures, b: EarningsFigures) -> EarningsFigures { EarningsFigures(gross: a.gross + b.gross, fees: a.fees + b.fees) }
}

/// How the monthly report splits each month.
public enum MonthlyGrouping: String, CaseIterable, Sendable {
    case platform, client, currency, account
}

/// `saldo report monthly`: per month, gross, fees and net in the base currency, split by
/// platform (or client, currency, account), with quarter and year totals and the sums in the
/// original currencies.
public struct MonthlyReport: Sendable {
    public struct Row: Sendable {
        /// `2026-01`, `2026-Q1`, `2026` or `total`.
        public var label: String
        public var total: EarningsFigures
        /// Per group, in ``MonthlyReport/groups`` order; a group without activity is zero.
        public var byGroup: [EarningsFigures]
        /// Sums in each original currency, sorted by currency code (non-zero only).
        public var original: [EarningsFigures]
    }

    public var currency: CurrencyCode
    public var grouping: MonthlyGrouping
    public var period: Period?
    /// Group names (platforms, clients…), sorted by name.
    public var groups: [String]
    public var months: [(month: YearMonth, row: Row)]
    public var quarters: [Row]
    public var years: [Row]
    public var total: Row
    /// Amounts in another currency that were converted, and how many of them used an earlier day's rate.
    public var convertedAmounts: Int
    public var fallbackAmounts: Int
    /// The rate table's fallback limit in days (how far back an earlier rate may be used).
    public var fallbackLimit: Int
    /// Show the sums in the original currencies in tables and CSV (`--show-original`). JSON always has them.
    public var showOriginal: Bool = false
    /// Rates that were missing beyond the window: those amounts are provisional.
    public var missingRates = MissingRates()
    /// Months holding at least one provisional amount.
    public var provisionalMonths: Set<YearMonth> = []
}

extension MonthlyReport: RateCaveats {
    public var rateWindow: Int { fallbackLimit }
}

/// Builds the monthly report from posting facts.
///
/// Each fact in another currency is converted on its own day (the last earlier published
/// rate when none was published that day) and rounded once; month, quarter and year figures are
/// sums of those converted amounts, so they add up exactly.
public func monthlyReport(_ facts: [PostingFact], rates: RateTable, currency: CurrencyCode,
                          by grouping: MonthlyGrouping = .platform, filter: ReportFilter = ReportFilter()) throws(RateError) -> MonthlyReport {
    let selected = filter.apply(facts)
    var converter = Converter(table: rates, target: currency)
    var provisionalMonths = Set<YearMonth>()

    // Classify each fact once (income, fee, other) and find the months with activity.
    var kinds = [UInt8](repeating: 0, count: selected.count)
    var minIndex = Int.max, maxIndex = Int.min
    for i in selected.indices {
        let a = selected[i].account
        let k: UInt8 = isIncome(a) ? 1 : isFee(a) ? 2 : 0
        guard k != 0 else { continue }
        kinds[i] = k
        let d = selected[i].date
        let m = d.year * 12 + d.month - 1
        if m < minIndex { minIndex = m }
        if m > maxIndex { maxIndex = m }
    }
    let monthCount = minIndex <= maxIndex ? maxIndex - minIndex + 1 : 0

    var groupIndex: [String: Int] = [:]
    var groupNames: [String] = []
    // Accumulators, flat: [group × month] gross and fees in base minor units,
    // [currency × month] in original minor units.
    var gross: [Int64] = [], fees: [Int64] = []
    var currencies: [CurrencyCode] = []
    var oGross: [Int64] = [], oFees: [Int64] = []
    var lastKey = "", lastGroup = -1
    var accountPlatform: [String: String] = [:]   // for facts without a platform

    for i in selected.indices where kinds[i] != 0 {
        let income = kinds[i] == 1
        let date = selected[i].date
        let amount = selected[i].amount
        let m = date.year * 12 + date.month - 1 - minIndex
        let key: String
        switch grouping {
        case .platform:
            if let p = selected[i].platform, !p.isEmpty { key = p }
            else if let k = accountPlatform[selected[i].account.path] { key = k }
            else { key = platformName(selected[i]); accountPlatform[selected[i].account.path] = key }
        case .client: key = selected[i].client ?? "(no client)"
        case .currency: key = amount.currency.code
        case .account: key = selected[i].account.path
        }
        let g: Int
        if lastGroup >= 0 && key == lastKey { g = lastGroup }
        else if let i = groupIndex[key] { g = i } else {
            g = groupNames.count; groupIndex[key] = g; groupNames.append(key)
            gross += [Int64](repeating: 0, count: monthCount); fees += [Int64](repeating: 0, count: monthCount)
        }
        lastKey = key; lastGroup = g
        var ci = -1
        for (i, c) in currencies.enumerated() where c == amount.currency { ci = i; break }
        if ci < 0 {
            ci = currencies.count; currencies.append(amount.currency)
            oGross += [Int64](repeating: 0, count: monthCount); oFees += [Int64](repeating: 0, count: monthCount)
        }
        let (converted, provisional) = try converter.convertMarking(selected[i])
        let base = converted.minorUnits
        if provisional { provisionalMonths.insert(date.yearMonth) }
        if income {
            gross[g * monthCount + m] -= base
            oGross[ci * monthCount + m] -= amount.minorUnits
        } else {
            fees[g * monthCount + m] += base
            oFees[ci * monthCount + m] += amount.minorUnits
        }
    }

    // Order groups and currencies by name.
    let order = groupNames.indices.sorted { groupNames[$0] < groupNames[$1] }
    let corder = currencies.indices.sorted { currencies[$0] < currencies[$1] }

    func row(_ label: String, _ months: Range<Int>) -> MonthlyReport.Row {
        var byGroup: [EarningsFigures] = []
        var tg: Int64 = 0, tf: Int64 = 0
        for g in order {
            var a: Int64 = 0, b: Int64 = 0
            for m in months { a += gross[g * monthCount + m]; b += fees[g * monthCount + m] }
            tg += a; tf += b
            byGroup.append(EarningsFigures(gross: Money(minorUnits: a, currency: currency), fees: Money(minorUnits: b, currency: currency)))
        }
        var original: [EarningsFigures] = []
        for c in corder {
            var a: Int64 = 0, b: Int64 = 0
            for m in months { a += oGross[c * monthCount + m]; b += oFees[c * monthCount + m] }
            if a != 0 || b != 0 {
                original.append(EarningsFigures(gross: Money(minorUnits: a, currency: currencies[c]), fees: Money(minorUnits: b, currency: currencies[c])))
            }
        }
        return MonthlyReport.Row(label: label, total: EarningsFigures(gross: Money(minorUnits: tg, currency: currency), fees: Money(minorUnits: tf, currency: currency)),
                                 byGroup: byGroup, original: original)
    }

    var months: [(YearMonth, MonthlyReport.Row)] = []
    var quarters: [MonthlyReport.Row] = []
    var years: [MonthlyReport.Row] = []
    if monthCount > 0 {
        for i in 0..<monthCount {
            let ym = YearMonth(year: (minIndex + i) / 12, month: (minIndex + i) % 12 + 1)
            months.append((ym, row(ym.description, i..<(i + 1))))
        }
        // Quarters and years over the months present.
        var i = 0
        while i < monthCount {
            let ym = months[i].0
            var j = i
            while j < monthCount && months[j].0.year == ym.year && months[j].0.quarter == ym.quarter { j += 1 }
            quarters.append(row("\(ym.year)-Q\(ym.quarter)", i..<j))
            i = j
        }
        i = 0
        while i < monthCount {
            let y = months[i].0.year
            var j = i
            while j < monthCount && months[j].0.year == y { j += 1 }
            years.append(row(String(y), i..<j))
            i = j
        }
    }
    return MonthlyReport(currency: currency, grouping: grouping, period: filter.period,
                         groups: order.map { groupNames[$0] },
                         months: months.map { (month: $0.0, row: $0.1) }, quarters: quarters, years: years,
                         total: row("total", 0..<monthCount),
                         convertedAmounts: converter.convertedCount, fallbackAmounts: converter.fallbackCount,
                         fallbackLimit: rates.fallbackLimit, missingRates: converter.missing, provisionalMonths: provisionalMonths)
}

@inline(__always) func isIncome(_ a: Account) -> Bool { rootIs(a.path, "income") }

@inline(__always) func isFee(_ a: Account) -> Bool { rootIs(a.path, "expenses:fees") }

/// True if `path` is `prefix` or starts with `prefix:` (byte comparison, no allocation).
@inline(__always) func rootIs(_ path: String, _ prefix: StaticString) -> Bool {
    var s = path
    return s.withUTF8 { b in
        let n = prefix.utf8CodeUnitCount
        guard b.count >= n else { return false }
        let p = prefix.utf8Start
        for i in 0..<n where b[i] != p[i] { return false }
        return b.count == n || b[n] == UInt8(ascii: ":")
    }
}

// MARK: Document

extension MonthlyReport: ReportConvertible {
    func groupTitle(_ L: Catalog) -> String { L("report.group.title.\(grouping.rawValue)") }

    func conversionNote(_ L: Catalog) -> String {
        L.plural("report.monthly.note.conversion", count: convertedAmounts,
                 ["currency": currency.code, "fallback": L.format.integer(fallbackAmounts), "days": String(fallbackLimit)])
    }

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        // Income without a client is grouped under "(no client)" (also its JSON key); people read it in their language.
        func groupName(_ g: String) -> String { grouping == .client && g == "(no client)" ? L("report.group.no_client") : g }
        let c = currency
        let args = ["currency": c.code, "group": L("report.group.noun.\(grouping.rawValue)")]
        let total_ = L("report.row.total")
        let cur = ColumnKind.money(c)
        var blocks: [ReportBlock] = []

        // Summary: months with quarter and year subtotals.
        var summary: [ReportRow] = []
        for (qi, q) in quarters.enumerated() {
            for (m, r) in months where "\(m.year)-Q\(m.quarter)" == q.label {
                summary.append(ReportRow([.month(m), .money(r.total.gross), .money(r.total.fees), .money(r.total.net)]))
            }
            summary.append(ReportRow([.text(L.format.periodLabel(q.label)), .money(q.total.gross), .money(q.total.fees), .money(q.total.net)], style: .subtotal))
            let y = q.label.prefix(4)
            let nextYear = qi + 1 < quarters.count ? quarters[qi + 1].label.prefix(4) : nil
            if nextYear != y, let yr = years.first(where: { $0.label == String(y) }) {
                summary.append(ReportRow([.text(yr.label), .money(yr.total.gross), .money(yr.total.fees), .money(yr.total.net)], style: .total))
            }
        }
        if years.count > 1 {
            summary.append(ReportRow([.text(total_), .money(total.total.gross), .money(total.total.fees), .money(total.total.net)], style: .total))
        }
        blocks.append(.table(ReportTable(id: "summary", title: L("report.monthly.table.summary", args),
                                         columns: [ReportColumn("period", L("report.column.period"), .text), ReportColumn("gross", L("report.column.gross_in", args), cur),
                                                   ReportColumn("fees", L("report.column.fees_in", args), cur), ReportColumn("net", L("report.column.net_in", args), cur)],
                                         rows: summary, audience: .people)))

        // Net per group and month (wide).
        if !groups.isEmpty {
            var rows: [ReportRow] = []
            for (m, r) in months { rows.append(ReportRow([.month(m)] + r.byGroup.map { .money($0.net) } + [.money(r.total.net)])) }
            for q in quarters { rows.append(ReportRow([.text(L.format.periodLabel(q.label))] + q.byGroup.map { .money($0.net) } + [.money(q.total.net)], style: .subtotal)) }
            for y in years { rows.append(ReportRow([.text(y.label)] + y.byGroup.map { .money($0.net) } + [.money(y.total.net)], style: .total)) }
            blocks.append(.table(ReportTable(id: "net_by_\(grouping.rawValue)", title: L("report.monthly.table.net_by", args),
                                             columns: [ReportColumn("period", L("report.column.period"))] + groups.map { ReportColumn($0, groupName($0), cur) } + [ReportColumn("total", L("report.column.total"), cur)],
                                             rows: rows, audience: .people)))

            // Per group over the whole report: gross, fees, net.
            var grows: [ReportRow] = []
            for (i, g) in groups.enumerated() {
                let f = total.byGroup[i]
                grows.append(ReportRow([.text(groupName(g)), .money(f.gross), .money(f.fees), .money(f.net)]))
            }
            grows.append(ReportRow([.text(total_), .money(total.total.gross), .money(total.total.fees), .money(total.total.net)], style: .total))
            blocks.append(.table(ReportTable(id: "by_\(grouping.rawValue)", title: L("report.monthly.table.by_group", args),
                                             columns: [ReportColumn(grouping.rawValue, groupTitle(L)), ReportColumn("gross", L("report.column.gross_in", args), cur),
                                                       ReportColumn("fees", L("report.column.fees_in", args), cur), ReportColumn("net", L("report.column.net_in", args), cur)],
                                             rows: grows, audience: .people)))
        }

        // Original currencies.
        if showOriginal {
        var orows: [ReportRow] = []
        for (m, r) in months {
            for o in r.original { orows.append(ReportRow([.month(m), .text(o.gross.currency.code), .money(o.gross), .money(o.fees), .money(o.net)])) }
        }
        for o in total.original { orows.append(ReportRow([.text(total_), .text(o.gross.currency.code), .money(o.gross), .money(o.fees), .money(o.net)], style: .total)) }
        blocks.append(.table(ReportTable(id: "original", title: L("report.monthly.table.original"),
                                         columns: [ReportColumn("period", L("report.column.period")), ReportColumn("currency", L("report.column.currency")),
                                                   ReportColumn("gross", L("report.column.gross"), .money(nil)), ReportColumn("fees", L("report.column.fees"), .money(nil)), ReportColumn("net", L("report.column.net"), .money(nil))],
                                         rows: orows, audience: .people)))
        }

        // Chart: monthly net stacked by group.
        if !groups.isEmpty {
            let series = groups.enumerated().map { i, g in ChartSeries(groupName(g), months.map { $0.row.byGroup[i].net.decimal.approximateDouble }) }
            blocks.insert(.chart(.stackedBars(StackedBarChart(title: L("report.monthly.chart.net", args), unit: c.code,
                                                              categories: months.map { L.format.month($0.month) }, series: series))), at: 1)
        }

        // The machine table: one row per period and group, plus the group "total".
        var long: [ReportRow] = []
        func add(_ kind: String, _ r: Row) {
            for (i, g) in groups.enumerated() where !r.byGroup[i].isZero {
                let f = r.byGroup[i]
                long.append(ReportRow([.text(kind), .text(r.label), .text(g), .text(c.code), .money(f.gross), .money(f.fees), .money(f.net)]))
            }
            long.append(ReportRow([.text(kind), .text(r.label), .text("total"), .text(c.code), .money(r.total.gross), .money(r.total.fees), .money(r.total.net)]))
        }
        for (_, r) in months { add("month", r) }
        for q in quarters { add("quarter", q) }
        for y in years { add("year", y) }
        blocks.append(.table(ReportTable(id: "monthly", columns: [
            ReportColumn("level"), ReportColumn("period"), ReportColumn(grouping.rawValue), ReportColumn("currency"),
            ReportColumn("gross", "gross", cur), ReportColumn("fees", "fees", cur), ReportColumn("net", "net", cur),
        ], rows: long, audience: .machines)))
        if showOriginal {
        var olong: [ReportRow] = []
        for (m, r) in months {
            for o in r.original { olong.append(ReportRow([.text("month"), .text(m.description), .text(o.gross.currency.code), .money(o.gross), .money(o.fees), .money(o.net)])) }
        }
        blocks.append(.table(ReportTable(id: "original_currencies", columns: [
            ReportColumn("level"), ReportColumn("period"), ReportColumn("currency"),
            ReportColumn("gross", "gross", .money(nil)), ReportColumn("fees", "fees", .money(nil)), ReportColumn("net", "net", .money(nil)),
        ], rows: olong, audience: .machines)))
        }

        var subtitle = L("report.monthly.subtitle", args)
        if let p = period { subtitle += L("report.subtitle.period", ["period": L.format.periodLabel(p.label)]) }
        if let b = missingRates.block(L) { blocks.append(b) }
        return ReportDocument(title: L("report.monthly.title"), subtitle: subtitle, notes: [conversionNote(L)] + missingRates.notes(window: fallbackLimit, in: L)
            + (provisionalMonths.isEmpty ? [] : [L("report.monthly.note.provisional_months", ["months": provisionalMonths.sorted().map { L.format.month($0) }.joined(separator: ", ")])]),
            blocks: blocks, json: json())
    }

    func figuresJSON(_ f: EarningsFigures) -> [(String, JSONValue)] {
        [("gross", .money(f.gross)), ("fees", .money(f.fees)), ("net", .money(f.net))]
    }

    func rowJSON(_ key: String, _ label: String, _ r: Row) -> JSONValue {
        var by: [(String, JSONValue)] = []
        for (i, g) in groups.enumerated() where !r.byGroup[i].isZero { by.append((g, .obj(figuresJSON(r.byGroup[i])))) }
        let original: [(String, JSONValue)] = r.original.map { ($0.gross.currency.code, .obj(figuresJSON($0))) }
        return .obj([(key, .string(label))] + figuresJSON(r.total) + [("by", .obj(by)), ("original", .obj(original))])
    }

    /// Schema `saldo.report.monthly` version 1 (docs/reports.md).
    public func json() -> JSONValue {
        var periodJSON: JSONValue = .null
        if let p = period { periodJSON = .obj([("label", .string(p.label)), ("from", .string(p.start.description)), ("to", .string(p.lastDay.description))]) }
        return .obj([
            ("report", .string("monthly")),
            ("schema", .int(1)),
            ("currency", .string(currency.code)),
            ("by", .string(grouping.rawValue)),
            ("period", periodJSON),
            ("months", .array(months.map { rowJSON("month", $0.month.description, $0.row) })),
            ("quarters", .array(quarters.map { rowJSON("quarter", $0.label, $0) })),
            ("years", .array(years.map { rowJSON("year", $0.label, $0) })),
            ("total", .obj(figuresJSON(total.total) + [("by", rowJSON("label", "total", total).byMember), ("original", rowJSON("label", "total", total).originalMember)])),
            ("conversion", .obj([("source", .string("ECB reference rates")), ("amounts_converted", .int(convertedAmounts)),
                                 ("amounts_with_earlier_rate", .int(fallbackAmounts)), ("fallback_limit_days", .int(fallbackLimit))]
                                + missingRates.jsonMembers() + [("provisional_months", .array(provisionalMonths.sorted().map { .string($0.description) }))])),
        ])
    }
}

extension JSONValue {
    var byMember: JSONValue { member("by") ?? .null }
    var originalMember: JSONValue { member("original") ?? .null }
    func member(_ k: String) -> JSONValue? {
        if case .object(let ms) = self { return ms.first { $0.key == k }?.value }
        return nil
    }
}
