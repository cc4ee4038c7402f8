import SaldoCore
import SaldoForecast
import SaldoTax

/// The overview of a ledger on one day (the web app's Overview page and its API): schema
/// `saldo.overview` version 1 (docs/reports.md). Each part is either there or says why it is not
/// and what to do; one part that cannot be computed never hides the others.
public struct OverviewDocument: ReportConvertible, Sendable {
    /// Why a part is missing and what to do about it.
    public struct Unavailable: Sendable, Hashable {
        public var reason: String
        public var hint: String?
        /// What to do, by name (`import-statements`, `choose-jurisdiction`, …), for a page to offer.
        public var fix: String?
        /// The period the fix is about (`see-reports`: the latest year with earnings).
        public var fixPeriod: String?
        public init(reason: String, hint: String? = nil, fix: String? = nil, fixPeriod: String? = nil) {
            self.reason = reason; self.hint = hint; self.fix = fix; self.fixPeriod = fixPeriod
        }
    }

    public enum Part<T: Sendable>: Sendable {
        case available(T)
        case unavailable(Unavailable)
        public var value: T? { if case .available(let v) = self { return v } else { return nil } }
        public var unavailable: Unavailable? { if case .unavailable(let u) = self { return u } else { return nil } }
    }

    /// Gross, fees and net over one span (this month, this quarter, the year to date).
    public struct Card: Sendable {
        /// `month`, `quarter` or `year_to_date`.
        public var id: String
        /// `2026-11`, `2026-Q4`, `2026`.
        public var label: String
        public var from: Day
        public var to: Day
        public var figures: EarningsFigures
        public init(id: String, label: String, from: Day, to: Day, figures: EarningsFigures) {
            self.id = id; self.label = label; self.from = from; self.to = to; self.figures = figures
        }
    }

    public struct Earnings: Sendable {
        public var cards: [Card]
        /// The monthly report the cards come from (the last twelve months to today, by platform).
        public var monthly: MonthlyReport
        public init(cards: [Card], monthly: MonthlyReport) { self.cards = cards; self.monthly = monthly }
    }

    public struct TaxPayment: Sendable {
        /// The next deadline with a payment, after today; nil when the calendar has none left.
        public var next: TaxDue?
        /// Rules behind the estimate that are not confirmed against the official source.
        public var unconfirmed: [FigureFlag]
        public var notes: [String]
        public init(next: TaxDue?, unconfirmed: [FigureFlag], notes: [String]) { self.next = next; self.unconfirmed = unconfirmed; self.notes = notes }
    }

    public struct OverdueInvoice: Sendable, Hashable {
        public var number: String
        public var client: String
        public var issued: Day
        public var due: Day
        public var daysPastDue: Int
        public var outstanding: Money
        public init(number: String, client: String, issued: Day, due: Day, daysPastDue: Int, outstanding: Money) {
            self.number = number; self.client = client; self.issued = issued; self.due = due; self.daysPastDue = daysPastDue; self.outstanding = outstanding
        }
    }

    public var today: Day
    public var currency: CurrencyCode
    public var earnings: Part<Earnings>
    public var tax: Part<TaxPayment>
    public var forecast: Part<ForecastDocument>
    public var overdueInvoices: Part<[OverdueInvoice]>
    /// Statement balances that do not agree with the ledger (the balances report's failed checks).
    public var balanceMismatches: Part<[BalancesReport.Check]>
    /// How many balances the imported statements stated (0: nothing to agree or disagree with yet).
    public var balanceChecks: Int

    public init(today: Day, currency: CurrencyCode, earnings: Part<Earnings>, tax: Part<TaxPayment>, forecast: Part<ForecastDocument>,
                overdueInvoices: Part<[OverdueInvoice]>, balanceMismatches: Part<[BalancesReport.Check]>, balanceChecks: Int = 0) {
        self.today = today; self.currency = currency; self.earnings = earnings; self.tax = tax; self.forecast = forecast
        self.overdueInvoices = overdueInvoices; self.balanceMismatches = balanceMismatches; self.balanceChecks = balanceChecks
    }

    // MARK: JSON

    static func partJSON<T>(_ part: Part<T>, _ body: (T) -> [(String, JSONValue)]) -> JSONValue {
        switch part {
        case .available(let v): return .obj([("available", .bool(true))] + body(v))
        case .unavailable(let u):
            return .obj([("available", .bool(false)), ("reason", .string(u.reason)), ("hint", u.hint.map(JSONValue.string) ?? .null),
                         ("fix", u.fix.map(JSONValue.string) ?? .null)] + (u.fixPeriod.map { [("fix_period", JSONValue.string($0))] } ?? []))
        }
    }

    static func figuresJSON(_ f: EarningsFigures) -> [(String, JSONValue)] {
        [("gross", .money(f.gross)), ("fees", .money(f.fees)), ("net", .money(f.net))]
    }

    public func json() -> JSONValue {
        .obj([
            ("report", .string("overview")),
            ("schema", .int(1)),
            ("today", .string(today.description)),
            ("currency", .string(currency.code)),
            ("earnings", Self.partJSON(earnings) { e in
                [("cards", .array(e.cards.map { c in
                    .obj([("id", .string(c.id)), ("label", .string(c.label)), ("from", .string(c.from.description)), ("to", .string(c.to.description))]
                         + Self.figuresJSON(c.figures))
                })), ("monthly", e.monthly.json())]
            }),
            ("next_tax_payment", Self.partJSON(tax) { t in
                [("payment", t.next.map { d in
                    .obj([("date", .string(d.date.description)), ("form", .string(d.form)), ("period", .string(d.period)), ("what", .string(d.what)),
                          ("amount", d.amount.map { .string($0.description) } ?? .null), ("currency", .string(d.currency)),
                          ("unconfirmed", .bool(!t.unconfirmed.isEmpty))])
                } ?? .null),
                 ("unconfirmed_rules", .array(t.unconfirmed.map { .obj([("rule", .string($0.rule)), ("title", .string($0.title)), ("status", .string($0.status))]) })),
                 ("notes", .array(t.notes.map(JSONValue.string)))]
            }),
            ("forecast", Self.partJSON(forecast) { f in [("forecast", f.document().json ?? .null)] }),
            ("overdue_invoices", Self.partJSON(overdueInvoices) { list in
                [("count", .int(list.count)), ("invoices", .array(list.map { i in
                    .obj([("number", .string(i.number)), ("client", .string(i.client)), ("issued", .string(i.issued.description)),
                          ("due", .string(i.due.description)), ("days_past_due", .int(i.daysPastDue)),
                          ("outstanding", .money(i.outstanding)), ("currency", .string(i.outstanding.currency.code))])
                }))]
            }),
            ("balance_mismatches", Self.partJSON(balanceMismatches) { list in
                [("checked", .int(balanceChecks)), ("count", .int(list.count)), ("checks", .array(list.map { c in
                    .obj([("account", .string(c.account.path)), ("date", .string(c.date.description)), ("currency", .string(c.stated.currency.code)),
                          ("stated", .money(c.stated)), ("computed", .money(c.computed)), ("difference", .money(c.difference)),
                          ("source", c.location.map { .string($0.description) } ?? .null)])
                }))]
            }),
        ])
    }

    /// The forecast's next months together (P10, P50, P90), and the chance of falling below the
    /// floor a month, as the forecast's own tables round them (cents).
    public struct ForecastSummary: Sendable {
        public var p10: Money, p50: Money, p90: Money
        public var months: Int
        public var floor: Money?
        /// In percent, e.g. 12.34.
        public var chanceBelowFloor: ExactDecimal?
    }

    public var forecastSummary: ForecastSummary? {
        guard let f = forecast.value else { return nil }
        func m(_ v: Double) -> Money { estimatedAmount(v, in: f.currency) }
        let b = f.forecast.baseline
        return ForecastSummary(p10: m(b.quarter.p10), p50: m(b.quarter.p50), p90: m(b.quarter.p90), months: f.future.count,
                               floor: f.forecast.floor.map(m), chanceBelowFloor: b.pBelowFloor.map { estimate($0 * 100) })
    }

    // MARK: Charts, for pages

    /// The monthly report's stacked bars (net per month by platform), alone, in `L`'s language.
    public func earningsChart(in L: Catalog = .shipped(.en)) -> ReportDocument? {
        earnings.value.flatMap { Self.charts(of: $0.monthly.document(in: L)) }
    }

    /// The forecast's fan (history, P10/P50/P90, the floor), alone, in `L`'s language.
    public func forecastChart(in L: Catalog = .shipped(.en)) -> ReportDocument? {
        forecast.value.flatMap { Self.charts(of: $0.document(in: L)) }
    }

    private static func charts(of d: ReportDocument) -> ReportDocument? {
        let charts = d.blocks.filter { if case .chart = $0 { return true } else { return false } }
        return charts.isEmpty ? nil : ReportDocument(title: "", blocks: charts)
    }

    // MARK: Document (table, CSV, Markdown, HTML)

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        let cur = ColumnKind.money(currency)
        let c = currency.code
        var blocks: [ReportBlock] = []
        func missing(_ title: String, _ u: Unavailable) {
            blocks.append(.heading(title))
            let reason = L.translating(u.reason, keyPrefix: "error."), hint = u.hint.map { L.translating($0, keyPrefix: "error.") }
            blocks.append(.paragraph(reason + (hint.map { " (\($0))" } ?? "")))
        }
        switch earnings {
        case .available(let e):
            blocks.append(.table(ReportTable(id: "earnings", title: L.text("overview.table.earnings", ["currency": c]), columns: [
                ReportColumn("period", L.text("report.column.period")), ReportColumn("gross", L.text("report.column.gross_in", ["currency": c]), cur),
                ReportColumn("fees", L.text("report.column.fees_in", ["currency": c]), cur),
                ReportColumn("net", L.text("report.column.net_in", ["currency": c]), cur),
            ], rows: e.cards.map { ReportRow([.text(L.language == .en ? $0.label : HumanFormat(L.language).periodLabel($0.label)), .money($0.figures.gross), .money($0.figures.fees), .money($0.figures.net)]) })))
            if let chart = earningsChart(in: L) { blocks += chart.blocks }
        case .unavailable(let u): missing(L.text("web.overview.earnings"), u)
        }
        switch tax {
        case .available(let t):
            blocks.append(.heading(L.text("web.overview.tax")))
            if let d = t.next {
                let args = ["form": d.form, "period": "\(d.period)", "date": "\(d.date)", "currency": "\(d.currency)"]
                let line = d.amount.map { LocalizedText("overview.tax.next", args.merging(["amount": "\($0)"]) { a, _ in a }) }
                    ?? LocalizedText("overview.tax.next_nothing", args)
                blocks.append(.paragraph(line.text(in: L) + (t.unconfirmed.isEmpty ? "" : L.text("overview.tax.unconfirmed_suffix"))))
            } else {
                blocks.append(.paragraph(L.text("overview.tax.none")))
            }
        case .unavailable(let u): missing(L.text("web.overview.tax"), u)
        }
        switch forecast {
        case .available:
            if let chart = forecastChart(in: L) { blocks += chart.blocks }
        case .unavailable(let u): missing(L.text("web.overview.forecast"), u)
        }
        if case .available(let list) = overdueInvoices, !list.isEmpty {
            blocks.append(.table(ReportTable(id: "overdue_invoices", title: L.text("web.overview.overdue"), columns: [
                ReportColumn("number", L.text("overview.column.invoice")), ReportColumn("client", L.text("invoice.column.client")),
                ReportColumn("due", L.text("invoice.column.due"), .date),
                ReportColumn("days_past_due", L.text("overview.column.days_late"), .number), ReportColumn("outstanding", L.text("invoice.column.outstanding"), .money(nil)),
            ], rows: list.map { ReportRow([.text($0.number), .text($0.client), .date($0.due), .integer($0.daysPastDue), .money($0.outstanding)]) })))
        }
        if case .available(let list) = balanceMismatches, !list.isEmpty {
            blocks.append(.table(ReportTable(id: "balance_mismatches", title: L.text("overview.table.balance_mismatches"), columns: [
                ReportColumn("account", L.text("report.column.account")), ReportColumn("date", L.text("report.column.date"), .date),
                ReportColumn("stated", L.text("report.balances.column.stated"), .money(nil)),
                ReportColumn("computed", L.text("report.balances.column.computed"), .money(nil)), ReportColumn("difference", L.text("report.balances.column.difference"), .money(nil)),
            ], rows: list.map { ReportRow([.text($0.account.path), .date($0.date), .money($0.stated), .money($0.computed), .money($0.difference)]) })))
        }
        return ReportDocument(title: L.text("web.nav.overview"), subtitle: LocalizedText("overview.subtitle", ["date": "\(today)", "currency": c]).text(in: L),
                              blocks: blocks, json: json())
    }
}
