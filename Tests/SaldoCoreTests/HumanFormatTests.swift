import Testing
@testable import SaldoCore

@Suite("HumanFormat: money, dates and percentages per language")
struct HumanFormatTests {
    func money(_ units: Int64, _ code: String) -> Money { Money(minorUnits: units, currency: try! CurrencyCode(code)) }

    @Test func spanishMoneyAsTheBriefWritesIt() {
        let es = HumanFormat.es
        #expect(es.money(money(123456, "EUR")) == "1.234,56 €")
        #expect(es.money(money(-1200, "USD")) == "-12,00 US$")
        #expect(es.money(money(1234, "JPY")) == "1.234 JPY")
        #expect(es.money(money(5, "GBP")) == "0,05 £")
        #expect(es.money(money(-123456789, "MXN")) == "-1.234.567,89 MXN")
        #expect(es.amount(money(100000000, "EUR")) == "1.000.000,00")
        #expect(es.money(money(0, "EUR")) == "0,00 €")
    }

    @Test func englishMoneyIsWhatSaldoAlwaysShowed() {
        for (units, code) in [(123456, "EUR"), (-1200, "USD"), (1234, "JPY"), (5, "GBP"), (-123456789, "MXN"), (0, "EUR")] as [(Int64, String)] {
            let m = money(units, code)
            #expect(HumanFormat.en.amount(m) == m.formatted())
            #expect(HumanFormat.en.money(m) == m.formatted(withCode: true))
        }
    }

    /// SplitMix64, seeded: the same "random" amounts on every run.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func spanishMoneyTextReadsBackToTheSameMinorUnits() throws {
        var rng = Seeded(state: 15)
        let codes = ["EUR", "USD", "GBP", "JPY", "MXN", "KWD", "CHF", "ARS"]
        for _ in 0..<5000 {
            let magnitude = [Int64(10), 1000, 1_000_000, 1_000_000_000_000, Int64.max / 2][Int.random(in: 0..<5, using: &rng)]
            let units = Int64.random(in: -magnitude...magnitude, using: &rng)
            let m = money(units, codes[Int.random(in: 0..<codes.count, using: &rng)])
            for format in [HumanFormat.es, HumanFormat.en] {
                let text = format.money(m)
                #expect(format.parseMoney(text) == m, "\(text)")
                #expect(format.parseMoney(format.amount(m), currency: m.currency) == m, "\(format.amount(m))")
            }
        }
        #expect(HumanFormat.es.parseMoney("1,234.56 €") == nil)
        #expect(HumanFormat.es.parseMoney("12.34,56 €") == nil)
        #expect(HumanFormat.es.parseMoney("1.234,5 €") == nil)
    }

    @Test func datesMonthsAndPercentages() {
        let day = Day(year: 2026, month: 12, day: 5)!
        #expect(HumanFormat.es.date(day) == "5 dic 2026")
        #expect(HumanFormat.es.date(day, .short) == "05/12/2026")
        #expect(HumanFormat.en.date(day) == "2026-12-05")
        let month = YearMonth(year: 2026, month: 12)
        #expect(HumanFormat.es.month(month) == "dic 2026")
        #expect(HumanFormat.es.month(month, .long) == "diciembre de 2026")
        #expect(HumanFormat.es.month(YearMonth(year: 2026, month: 9)) == "sept 2026")
        #expect(HumanFormat.en.month(month) == "2026-12")
        let pct = try! ExactDecimal("12.5")
        #expect(HumanFormat.es.percent(pct) == "12,5 %")
        #expect(HumanFormat.en.percent(pct) == "12.5%")
        #expect(HumanFormat.es.number(try! ExactDecimal("-12345.0823")) == "-12.345,0823")
        #expect(HumanFormat.es.integer(12345) == "12.345")
        #expect(HumanFormat.es.integer(1234) == "1234")
        #expect(HumanFormat.es.localizedChartNumber("-1,234.5") == "-1.234,5")
    }
}
