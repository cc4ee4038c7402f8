import Foundation
import SaldoCore
import Testing
@testable import SaldoReports

/// Amounts on charts are written as the tables write amounts: their cents kept (left out only when
/// zero), never rounded to whole units; the currency's own minor units; the page's language.
@Suite struct ChartMoneyTests {
    @Test func centsAreKeptAndDroppedOnlyWhenZero() {
        #expect(ChartNumber.englishMoney(1500.50, unit: "EUR") == "1,500.50")
        #expect(ChartNumber.englishMoney(1500, unit: "EUR") == "1,500")
        #expect(ChartNumber.englishMoney(3239.55, unit: "EUR") == "3,239.55")
        #expect(ChartNumber.englishMoney(-33.55, unit: "EUR") == "-33.55")
        #expect(ChartNumber.englishMoney(0.004, unit: "EUR") == "0")
        #expect(ChartNumber.englishMoney(-0.004, unit: "EUR") == "0")
        #expect(ChartNumber.englishMoney(12.5, unit: "JPY") == "13", "yen have no minor unit")
        #expect(ChartNumber.englishMoney(1.2345, unit: "KWD") == "1.235", "three decimals in dinars")
        #expect(ChartNumber.englishMoney(7.1, unit: "XYZ") == "7.10", "an unknown unit has two decimals")
        #expect(ChartNumber.englishMoney(.nan, unit: "EUR") == "–")
    }

    @Test func spanishWritesThemTheSpanishWay() {
        RenderContext.$catalog.withValue(.shipped(.es)) {
            #expect(ChartNumber.money(1500.50, unit: "EUR") == "1.500,50")
            #expect(ChartNumber.money(21052.78, unit: "EUR") == "21.052,78")
        }
    }

    @Test func aFanOfAmountsLabelsItsFloorWithCentsAndOneOfRatesKeepsItsDecimals() {
        let amounts = FanChart(title: "t", unit: "EUR", history: [("2026-01", 1000), ("2026-02", 1200)],
                               forecast: [.init(label: "2026-03", p10: 900.25, p50: 1100.5, p90: 1300)], floor: 1500.50)
        let svg = SVGCharts.fan(amounts, id: 0)
        #expect(svg.contains(">floor 1,500.50</text>"), "\(svg)")
        #expect(svg.contains("P10 900.25, P50 1,100.50, P90 1,300 EUR"))
        let rates = FanChart(title: "r", unit: "USD", history: [("d1", 1.0834), ("d2", 1.0912)], forecast: [], includesZero: false)
        #expect(SVGCharts.fan(rates, id: 1).contains("d1: 1.1 USD"), "rates are not money")
    }
}
