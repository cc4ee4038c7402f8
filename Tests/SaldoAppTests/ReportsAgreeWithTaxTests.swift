import Foundation
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore
import SaldoTestSupport
import Testing

/// What a quarter's report says was earned is what the quarter adds to Modelo 130's box 01, to
/// the cent. They used to differ (the demo's first quarter of 2026: 10,979.97 EUR in the report,
/// 10,979.98 in box 01) because a report converted each day's summed dollars once and the tax
/// each posting; each day total now keeps the amounts it sums (`daily_total.parts`), which a
/// report converts one by one.
@Suite struct ReportsAgreeWithTaxTests {
    @Test func everyQuarterOfTheDemoAgrees() throws {
        try compareQuarters()
    }

    func compareQuarters() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("demo.sqlite").path
        _ = try Demo.buildLedger(at: path)
        let store = try LedgerLocation(path: path).open(.existing)
        let tax = try Taxes.summary(TaxRequest(today: Demo.today), year: 2026, quarter: nil, store: store)
        // Box 01 of each quarter's Modelo 130 (year to date), in order.
        let box01 = try tax.table.sections.compactMap { s in s.rows.first { $0.box == "01" }?.amount }
            .map { try Money(ExactDecimal($0), currency: .EUR) }
        #expect(box01.count == 4)
        var before = Money.zero(.EUR)
        for (q, ytd) in box01.enumerated() {
            let report = try Reports.monthly(ReportRequest(period: try Period.parse("2026-Q\(q + 1)"), currency: .EUR), store: store).report
            #expect(report.total.total.gross == ytd - before, "2026-Q\(q + 1): report \(report.total.total.gross), box 01 \(ytd) − \(before)")
            before = ytd
        }
        // And the year.
        let year = try Reports.monthly(ReportRequest(period: try Period.parse("2026"), currency: .EUR), store: store).report
        #expect(year.total.total.gross == box01.last)
    }
}
