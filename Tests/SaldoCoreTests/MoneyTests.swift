import Testing
import PropertyBased
import SaldoCore

@Suite struct MoneyParsingTests {
    let eur = CurrencyCode.EUR

    @Test(arguments: [
        ("1,234.56", NumberNotation.point, Int64(123456)),
        ("1.234,56", NumberNotation.comma, 123456),
        ("-1 234,56", NumberNotation.comma, -123456),
        ("-1\u{00A0}234,56", NumberNotation.comma, -123456),
        ("(12.00)", NumberNotation.point, -1200),
        ("12.00-", NumberNotation.point, -1200),
        ("€12.50", NumberNotation.point, 1250),
        ("-€12.50", NumberNotation.point, -1250),
        ("12,50 €", NumberNotation.comma, 1250),
        ("12.50 EUR", NumberNotation.point, 1250),
        ("+0.5", NumberNotation.point, 50),
        (".5", NumberNotation.point, 50),
        ("1'234.50", NumberNotation.point, 123450),
        ("1234", NumberNotation.point, 123400),
        ("−3,10", NumberNotation.comma, -310),
    ])
    func parsesNotations(_ text: String, _ notation: NumberNotation, _ minor: Int64) throws {
        #expect(try Money(parsing: text, currency: eur, notation: notation).minorUnits == minor)
    }

    @Test(arguments: ["", "abc", "1.2.3", "12,3456.00", "1,23.00", "12..5", "--5", "5 6", "1.234,5O", "0x10", "1e3"])
    func refusesGarbage(_ text: String) {
        #expect(throws: MoneyError.self) { try Money(parsing: text, currency: .EUR, notation: .point) }
    }

    @Test func refusesTooManyDecimals() throws {
        #expect(throws: MoneyError.tooManyDecimals("1.234", currency: "EUR", allowed: 2)) {
            try Money(parsing: "1.234", currency: .EUR, notation: .point)
        }
        #expect(throws: MoneyError.tooManyDecimals("5.5", currency: "JPY", allowed: 0)) {
            try Money(parsing: "5.5", currency: .JPY, notation: .point)
        }
        // Zeros beyond the currency's decimals lose nothing and are accepted.
        #expect(try Money(parsing: "1.2300", currency: .EUR, notation: .point).minorUnits == 123)
    }

    @Test func refusesUnknownCurrency() {
        #expect(throws: MoneyError.unknownCurrency("XYZ")) { try CurrencyCode("XYZ") }
        #expect(throws: MoneyError.unknownCurrency("usa")) { try CurrencyCode("usa") }
        #expect(throws: MoneyError.currencyMismatch("USD", "EUR")) { try Money(parsing: "12.00 USD", currency: .EUR, notation: .point) }
    }

    /// Retired codes whose rates are in the ECB's history (HRK) are read, with when and by what they
    /// were replaced; other withdrawn codes (DEM) stay unknown.
    @Test func retiredCodesAreReadWithTheirSuccessor() throws {
        let hrk = try CurrencyCode("hrk")
        #expect(hrk.code == "HRK" && hrk.exponent == 2)
        #expect(hrk.retirement?.replacedBy == "EUR" && hrk.retirement?.since == Day(year: 2023, month: 1, day: 1)!)
        #expect(hrk.retirement?.lastDay == Day(year: 2022, month: 12, day: 31)!)
        #expect(try CurrencyCode("TRL").exponent == 0 && CurrencyCode("TRL").retirement?.replacedBy == "TRY")
        #expect(try CurrencyCode("BGN").retirement?.since == Day(year: 2026, month: 1, day: 1)!)
        #expect(CurrencyCode.EUR.retirement == nil && CurrencyCode.USD.retirement == nil)
        #expect(try Money(parsing: "1,234.50 HRK").minorUnits == 123_450)
        #expect(throws: MoneyError.unknownCurrency("DEM")) { try CurrencyCode("DEM") }
    }

    @Test func exponents() throws {
        #expect(try CurrencyCode("EUR").exponent == 2)
        #expect(try CurrencyCode("jpy").exponent == 0)
        #expect(try CurrencyCode("KWD").exponent == 3)
        #expect(try CurrencyCode("CLF").exponent == 4)
        #expect(try Money(parsing: "1.234 KWD").minorUnits == 1234)
        #expect(try Money(parsing: "1,234 JPY").minorUnits == 1234)
    }

    @Test func formatting() throws {
        let m = Money(minorUnits: -123456789, currency: .EUR)
        #expect(m.decimalString == "-1234567.89")
        #expect(m.formatted() == "-1,234,567.89")
        #expect(m.formatted(notation: .comma) == "-1.234.567,89")
        #expect(Money(minorUnits: 5, currency: .EUR).decimalString == "0.05")
        #expect(Money(minorUnits: -5, currency: .EUR).formatted() == "-0.05")
        #expect(Money(minorUnits: 1234, currency: .JPY).formatted() == "1,234")
        #expect(Money(minorUnits: 1, currency: try CurrencyCode("KWD")).description == "0.001 KWD")
    }
}

@Suite struct MoneyPropertyTests {
    static let currencies = ["EUR", "USD", "JPY", "KWD", "GBP", "CLF"].map { try! CurrencyCode($0) }

    @Test func formatParseRoundTrip() async {
        await propertyCheck(count: 2000, input: Gen.int64(in: -9_999_999_999_999...9_999_999_999_999), Gen.int(in: 0...5), Gen.bool, Gen.bool) { minor, ci, comma, grouping in
            let c = Self.currencies[ci]
            let m = Money(minorUnits: minor, currency: c)
            let notation: NumberNotation = comma ? .comma : .point
            let text = m.formatted(notation: notation, grouping: grouping)
            #expect((try? Money(parsing: text, currency: c, notation: notation)) == m, "\(text)")
            let parenthesised = m.isNegative ? "(" + m.magnitude.formatted(notation: notation) + ")" : text
            #expect((try? Money(parsing: parenthesised, currency: c, notation: notation)) == m, "\(parenthesised)")
            let spaced = m.formatted(notation: notation).replacingOccurrences(of: notation.decimalMark == "," ? "." : ",", with: " ")
            #expect((try? Money(parsing: spaced, currency: c, notation: notation)) == m, "\(spaced)")
            #expect((try? Money(parsing: m.description)) == m)
        }
    }

    @Test func additionAndNegation() async {
        await propertyCheck(count: 1000, input: Gen.int64(in: -1_000_000_000_000...1_000_000_000_000), Gen.int64(in: -1_000_000_000_000...1_000_000_000_000)) { a, b in
            let x = Money(minorUnits: a, currency: .USD), y = Money(minorUnits: b, currency: .USD)
            #expect(x + y == y + x)
            #expect(x + y - y == x)
            #expect(-(-x) == x)
            #expect(x + (-x) == .zero(.USD))
            #expect((try? x.adding(y)) == x + y)
            #expect(MoneyBag([x, y, -x]).nonZero == (y.isZero ? [] : [y]))
        }
    }

    @Test func addingDifferentCurrenciesIsRefused() {
        #expect(throws: MoneyError.currencyMismatch("USD", "EUR")) { try Money(minorUnits: 1, currency: .USD).adding(.zero(.EUR)) }
    }

    /// Conversion rounds once, half to even, and agrees with a slow reference on exact ratios.
    @Test func conversionRoundsHalfEven() async {
        await propertyCheck(count: 2000, input: Gen.int64(in: -10_000_000_000...10_000_000_000), Gen.int(in: 1...9_999_999), Gen.int(in: 0...6)) { minor, sig, scale in
            let rate = ExactDecimal(significand: Int128(sig), scale: scale)
            let m = Money(minorUnits: minor, currency: .USD)
            let eur = m.converted(by: rate, to: .EUR)
            // Reference: the exact product in 10^-(2+scale) units, then to cents by hand.
            let exact = Int128(minor) * Int128(sig)          // in 10^-(2+scale)
            let unit = pow10(scale)
            let q = exact / unit, r = exact % unit
            var expected = q
            let twice = abs(r) * 2
            if twice > unit || (twice == unit && q % 2 != 0) { expected += exact < 0 ? -1 : 1 }
            #expect(Int128(eur.minorUnits) == expected)
            // Dividing by the rate undoes multiplying by it, to within one minor unit.
            let back = eur.converted(dividingBy: rate, to: .USD)
            if sig >= unit { #expect(abs(back.minorUnits - minor) <= Int64(1 + (unit / Int128(sig)))) }
        }
    }

    @Test func roundingRules() {
        let r = RoundingRule.halfEven
        #expect(r.divide(125, by: 10) == 12)
        #expect(r.divide(135, by: 10) == 14)
        #expect(r.divide(-125, by: 10) == -12)
        #expect(RoundingRule.halfUp.divide(125, by: 10) == 13)
        #expect(RoundingRule.halfUp.divide(-125, by: 10) == -13)
        #expect(RoundingRule.down.divide(-129, by: 10) == -12)
        #expect(RoundingRule.up.divide(121, by: 10) == 13)
        #expect(ExactDecimal(significand: 12345, scale: 3).rounded(to: 2) == ExactDecimal(significand: 1234, scale: 2))
    }

    @Test func allocationSumsExactly() async {
        await propertyCheck(count: 500, input: Gen.int64(in: -1_000_000...1_000_000), Gen.int(in: 1...12)) { minor, parts in
            let m = Money(minorUnits: minor, currency: .EUR)
            let split = m.allocated(into: parts)
            #expect(split.reduce(Money.zero(.EUR), +) == m)
            #expect((split.map(\.minorUnits).max()! - split.map(\.minorUnits).min()!) <= 1)
        }
    }

    @Test func crossRateThroughEUR() throws {
        // 100.00 USD → GBP with USD 1.0856/EUR and GBP 0.8523/EUR: 100 / 1.0856 * 0.8523 = 78.509580…
        let gbp = Money(minorUnits: 10000, currency: .USD).converted(times: try ExactDecimal("0.8523"), over: try ExactDecimal("1.0856"), to: .GBP)
        #expect(gbp == Money(minorUnits: 7851, currency: .GBP))
        #expect(Money(minorUnits: 10000, currency: .USD).converted(dividingBy: try ExactDecimal("1.0856"), to: .EUR).minorUnits == 9211)
    }
}
