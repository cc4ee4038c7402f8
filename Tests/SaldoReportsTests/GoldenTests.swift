import Foundation
import SaldoCore
import SaldoFX
import SaldoReports
import SaldoTestSupport
import Testing

/// Every report in every format on the demo ledger, against goldens in fixtures/reports.
@Suite struct GoldenTests {
    static let extensions: [OutputFormat: String] = [.table: "txt", .csv: "csv", .json: "json", .markdown: "md", .html: "html"]

    func check(_ doc: some ReportConvertible, _ name: String) {
        for f in OutputFormat.allCases {
            let path = "reports/\(name).\(GoldenTests.extensions[f] ?? f.rawValue)"
            let diff = Fixtures.compareGolden(render(doc, format: f), path)
            #expect(diff == nil, "\(diff ?? "")")
        }
    }

    @Test func monthlyByPlatform() throws {
        let r = try monthlyReport(ReportFixtures.demoFacts(), rates: ReportFixtures.rates(), currency: .EUR)
        check(r, "monthly")
    }

    @Test func monthlyByClientForAQuarter() throws {
        var r = try monthlyReport(ReportFixtures.demoFacts(), rates: ReportFixtures.rates(), currency: .EUR, by: .client,
                                  filter: ReportFilter(period: try Period.parse("2026-Q2")))
        r.showOriginal = true
        check(r, "monthly-by-client-q2")
    }

    @Test func currencies() throws {
        let r = try currenciesReport(ReportFixtures.demoFacts(), rates: ReportFixtures.rates(), currency: .EUR)
        check(r, "currencies")
    }

    @Test func balances() throws {
        let r = try balancesReport(ReportFixtures.demoFacts(), checks: ReportFixtures.balanceChecks(), rates: ReportFixtures.rates(), currency: .EUR)
        check(r, "balances")
    }

    @Test func ratesListing() throws {
        let t = try ReportFixtures.rates()
        let usd = SaldoReports.ratesListing(t, currency: .USD, from: Day(year: 2026, month: 10, day: 1), to: Day(year: 2026, month: 10, day: 30))
        #expect(usd.rows.count == 22)
        #expect(usd.rows.last?.rate == (try ExactDecimal("1.1172")))
        check(usd, "rates-usd")
        // A pair the ECB does not publish is computed through the euro: 1 USD = 0.8338 / 1.1172 GBP.
        let cross = SaldoReports.ratesListing(t, currency: .GBP, base: .USD, from: Day(year: 2026, month: 10, day: 30))
        #expect(cross.rows.map(\.rate) == [try ExactDecimal("0.746330")])
        #expect(SaldoReports.ratesListing(t, currency: .USD, from: Day(year: 2027, month: 1, day: 1)).rows.isEmpty)
        // A long history still fits a terminal.
        let long = render(SaldoReports.ratesListing(t, currency: .USD), format: .table, options: RenderOptions(width: 100))
        let lines = long.components(separatedBy: "\n")
        #expect(lines.prefix(20).allSatisfy { $0.count <= 110 })
    }

    /// The generic document model as the forecast output will use it: a fan chart and a table.
    @Test func forecastShapedDocument() {
        check(SampleDocuments.forecast(), "forecast-document")
    }

    @Test func terminalOptionsFollowNoColor() {
        #expect(RenderOptions.terminal(isTTY: true, environment: [:]).color)
        #expect(!RenderOptions.terminal(isTTY: false, environment: [:]).color)
        #expect(!RenderOptions.terminal(isTTY: true, environment: ["NO_COLOR": "1"]).color)
        #expect(RenderOptions.terminal(isTTY: true, environment: ["NO_COLOR": ""]).color)
        #expect(!RenderOptions.terminal(isTTY: true, environment: ["TERM": "dumb"]).color)
        #expect(RenderOptions.terminal(isTTY: true, environment: ["COLUMNS": "132"]).width == 132)
    }

    @Test func colourOnlyWhenAsked() throws {
        let r = try monthlyReport(ReportFixtures.demoFacts(), rates: ReportFixtures.rates(), currency: .EUR)
        #expect(!render(r, format: .table).contains("\u{1B}["))
        #expect(render(r, format: .table, options: RenderOptions(color: true)).contains("\u{1B}[1m"))
    }
}

enum SampleDocuments {
    /// A next-quarter forecast as SaldoForecast's output would be shown.
    static func forecast() -> ReportDocument {
        let history: [(label: String, value: Double)] = [("2026-05", 4210), ("2026-06", 3650), ("2026-07", 4480), ("2026-08", 2890), ("2026-09", 4720), ("2026-10", 4105)]
        let points = [FanChart.Point(label: "2026-11", p10: 2650, p50: 3980, p90: 5120),
                      FanChart.Point(label: "2026-12", p10: 2310, p50: 3870, p90: 5390),
                      FanChart.Point(label: "2027-01", p10: 2050, p50: 3790, p90: 5610)]
        let money = { (s: String) -> ReportCell in .money((try? Money(ExactDecimal(s), currency: .EUR)) ?? .zero(.EUR)) }
        let table = ReportTable(id: "months", title: "Next quarter, net income in EUR",
                                columns: [ReportColumn("month", "Month", .month), ReportColumn("p10", "P10", .money(.EUR)),
                                          ReportColumn("p50", "P50", .money(.EUR)), ReportColumn("p90", "P90", .money(.EUR)),
                                          ReportColumn("p_below_floor", "Below floor", .percent)],
                                rows: [ReportRow([.month(YearMonth(year: 2026, month: 11)), money("2650.00"), money("3980.00"), money("5120.00"), .percent(ExactDecimal(significand: 85, scale: 1))]),
                                       ReportRow([.month(YearMonth(year: 2026, month: 12)), money("2310.00"), money("3870.00"), money("5390.00"), .percent(ExactDecimal(significand: 124, scale: 1))]),
                                       ReportRow([.month(YearMonth(year: 2027, month: 1)), money("2050.00"), money("3790.00"), money("5610.00"), .percent(ExactDecimal(significand: 161, scale: 1))]),
                                       ReportRow([.text("quarter"), money("8420.00"), money("11640.00"), money("14980.00"), .percent(ExactDecimal(significand: 42, scale: 1))], style: .total)])
        return ReportDocument(title: "Income forecast", subtitle: "Next quarter, all platforms, EUR",
                              notes: ["An estimate from 10 months of history and 10,000 simulated paths; not advice."],
                              blocks: [.chart(.fan(FanChart(title: "Net income per month (EUR)", unit: "EUR", history: history, forecast: points, floor: 3000))),
                                       .table(table)])
    }
}
