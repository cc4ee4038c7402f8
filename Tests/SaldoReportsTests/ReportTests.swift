import Foundation
import SaldoCore
import SaldoFX
import SaldoReports
import SaldoTestSupport
import Testing

private func day(_ s: String) -> Day { Day(iso: s) ?? Day(ordinal: 0) }
private func acct(_ s: String) -> Account { (try? Account(s)) ?? Account(.equity, "invalid") }
private func money(_ s: String, _ c: CurrencyCode) -> Money { (try? Money(ExactDecimal(s), currency: c)) ?? .zero(c) }

/// The base-currency figures against a computation written independently: the ECB CSV read
/// with plain string splitting, Foundation's `Decimal` for the division and banker's rounding.
@Suite struct IndependentCheck {
    struct ECBByHand {
        var rows: [String: [String: Decimal]] = [:]
        init(_ text: String) {
            let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = lines[0]
            for l in lines.dropFirst() {
                var r: [String: Decimal] = [:]
                for (i, cell) in l.enumerated().dropFirst() where i < header.count && !header[i].isEmpty && cell != "N/A" && !cell.isEmpty {
                    r[header[i]] = Decimal(string: cell, locale: Locale(identifier: "en_US_POSIX"))
                }
                rows[l[0]] = r
            }
        }
        /// Units per EUR on the day or the last earlier published day.
        func rate(_ c: String, _ d: Day) -> Decimal? {
            for back in 0...7 {
                if let r = rows[d.adding(days: -back).description]?[c] { return r }
            }
            return nil
        }
        func eur(_ amount: String, _ c: String, _ d: Day) -> Decimal {
            let a = Decimal(string: amount, locale: Locale(identifier: "en_US_POSIX")) ?? 0
            if c == "EUR" { return a }
            guard let r = rate(c, d) else { return .nan }
            var q = a / r
            var out = Decimal()
            NSDecimalRound(&out, &q, 2, .bankers)
            return out
        }
    }

    @Test func monthlyFiguresMatchAComputationByHand() throws {
        let ecb = ECBByHand(try Fixtures.text("ecb/eurofxref-hist-slice.csv"))
        // (date, account, amount, currency)
        let ledger: [(String, String, String, String)] = [
            ("2026-03-02", "income:upwork", "-500.00", "USD"), ("2026-03-02", "expenses:fees:upwork", "50.00", "USD"),
            ("2026-03-07", "income:acme", "-1234.56", "GBP"),                                     // Saturday
            ("2026-03-31", "income:garcia", "-800.00", "EUR"),
            ("2026-04-03", "income:prolific", "-99.99", "USD"),                                   // Good Friday
            ("2026-04-06", "income:prolific", "10.00", "USD"),                                    // Easter Monday, a refund
            ("2026-04-06", "expenses:fees:paypal", "0.37", "USD"),
            ("2026-05-17", "income:tokyo", "-150000", "JPY"), ("2026-05-17", "expenses:fees:wise", "1500", "JPY"), // Sunday
            ("2026-05-20", "income:zurich", "-3210.55", "CHF"), ("2026-05-21", "income:oslo", "-10000.00", "NOK"),
        ]
        var facts: [PostingFact] = []
        for (i, l) in ledger.enumerated() {
            let c = try CurrencyCode(l.3)
            facts.append(PostingFact(transactionID: Int64(i + 1), date: day(l.0), account: acct(l.1), amount: money(l.2, c), kind: .earning))
        }
        let report = try monthlyReport(facts, rates: ReportFixtures.rates(), currency: .EUR)
        var expected: [String: (gross: Decimal, fees: Decimal)] = [:]
        for l in ledger {
            let v = ecb.eur(l.2, l.3, day(l.0))
            let month = String(l.0.prefix(7))
            var e = expected[month] ?? (0, 0)
            if l.1.hasPrefix("income") { e.gross -= v } else { e.fees += v }
            expected[month] = e
        }
        #expect(report.months.map(\.month.description) == ["2026-03", "2026-04", "2026-05"])
        for (m, row) in report.months {
            let e = try #require(expected[m.description])
            #expect(Decimal(string: row.total.gross.decimalString) == e.gross, "gross \(m)")
            #expect(Decimal(string: row.total.fees.decimalString) == e.fees, "fees \(m)")
            #expect(Decimal(string: row.total.net.decimalString) == e.gross - e.fees, "net \(m)")
        }
        // Saturday, Good Friday, Easter Monday twice, Sunday twice: 6 of the 10 foreign amounts fell back.
        #expect(report.convertedAmounts == 10)
        #expect(report.fallbackAmounts == 6)
        // The original-currency sums are the plain sums.
        let usd = try #require(report.total.original.first { $0.gross.currency == .USD })
        #expect(usd.gross == money("589.99", .USD))
        #expect(usd.fees == money("50.37", .USD))
    }
}

@Suite struct MonthlyBehaviour {
    @Test func quartersAndYearsAddUp() throws {
        let r = try monthlyReport(ReportFixtures.demoFacts(), rates: ReportFixtures.rates(), currency: .EUR)
        #expect(r.months.count == 10)
        #expect(r.quarters.map(\.label) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
        let sum = r.months.reduce(Money.zero(.EUR)) { $0 + $1.row.total.net }
        #expect(sum == r.years[0].total.net)
        #expect(r.quarters.reduce(Money.zero(.EUR)) { $0 + $1.total.net } == sum)
        #expect(r.groups == ["Bank", "Prolific", "Upwork", "Wise"])
        // Per-group figures add up to the month's total.
        for (_, row) in r.months {
            #expect(row.byGroup.reduce(Money.zero(.EUR)) { $0 + $1.gross } == row.total.gross)
        }
        // August: no bank income, only the bank's fee.
        let aug = try #require(r.months.first { $0.month.month == 8 })
        #expect(aug.row.byGroup[0].net == money("-3.50", .EUR))
    }

    @Test func refundsReduceGross() throws {
        let facts = try ReportFixtures.demoFacts()
        let r = try monthlyReport(facts, rates: ReportFixtures.rates(), currency: .USD, by: .client,
                                  filter: ReportFilter(period: try Period.parse("2026-06"), clients: ["northwind inc"]))
        // 870.00 earned, 150.00 refunded; fees 87.00 − 15.00 (the withdrawal fee has no client).
        #expect(r.total.total.gross == money("720.00", .USD))
        #expect(r.total.total.fees == money("72.00", .USD))
        #expect(r.groups == ["Northwind Inc"])
    }

    @Test func filtersByPlatformAccountAndPeriod() throws {
        let facts = try ReportFixtures.demoFacts()
        let rates = try ReportFixtures.rates()
        let prolific = try monthlyReport(facts, rates: rates, currency: .EUR, filter: ReportFilter(platforms: ["prolific"]))
        #expect(prolific.groups == ["Prolific"])
        // Account filter keeps whole transactions: the Acme payments into Wise GBP, and the
        // GBP conversions' fees (which have no client).
        let gbp = try monthlyReport(facts, rates: rates, currency: .GBP, by: .client, filter: ReportFilter(accounts: [acct("assets:wise:gbp")]))
        #expect(gbp.groups == ["(no client)", "Acme Ltd"])
        #expect(gbp.total.byGroup[1].gross == money("20000.00", .GBP))
        #expect(gbp.total.byGroup[0].fees == money("73.80", .GBP))
        let q3 = try monthlyReport(facts, rates: rates, currency: .EUR, filter: ReportFilter(period: try Period.parse("2026-Q3")))
        #expect(q3.months.map(\.month.month) == [7, 8, 9])
        #expect(try monthlyReport([], rates: rates, currency: .EUR).months.isEmpty)
    }

    @Test func byCurrencyAndAccount() throws {
        let facts = try ReportFixtures.demoFacts()
        let rates = try ReportFixtures.rates()
        #expect(try monthlyReport(facts, rates: rates, currency: .EUR, by: .currency).groups == ["EUR", "GBP", "USD"])
        #expect(try monthlyReport(facts, rates: rates, currency: .EUR, by: .account).groups.first == "expenses:fees:santander")
    }

    @Test func aMissingRateIsAnErrorNotAZero() throws {
        let inr = try CurrencyCode("INR")
        let facts = [PostingFact(transactionID: 1, date: day("2026-02-02"), account: acct("income:client"), amount: money("-1000.00", inr), kind: .earning)]
        do {
            _ = try monthlyReport(facts, rates: ReportFixtures.rates(), currency: .EUR)
            Issue.record("expected a missing-rate error")
        } catch let e as RateError {
            #expect(e.description.contains("INR") && e.description.contains("2026-02-02") && e.description.contains("eurofxref-hist.zip"))
        }
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let r = try monthlyReport(ReportFixtures.demoFacts(), rates: ReportFixtures.rates(), currency: .EUR)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(render(r, format: .json).utf8)) as? [String: Any])
        #expect(obj["currency"] as? String == "EUR")
        let months = try #require(obj["months"] as? [[String: Any]])
        #expect(months.count == 10)
        #expect(months[0]["month"] as? String == "2026-01")
        #expect(months[0]["net"] as? String == "5013.45")
        let by = try #require(months[0]["by"] as? [String: [String: Any]])
        #expect(by["Prolific"]?["gross"] as? String == "263.93")
        for key in ["gross", "fees", "net"] { #expect(months[0][key] is String) }
    }
}

@Suite struct CurrenciesBehaviour {
    @Test func hiddenCostsOfTheDemo() throws {
        let r = try currenciesReport(ReportFixtures.demoFacts(), rates: ReportFixtures.rates(), currency: .EUR)
        #expect(r.conversions.count == 23)
        let paypal = try #require(r.platforms.first { $0.platform == "PayPal" })
        let wise = try #require(r.platforms.first { $0.platform == "Wise" })
        // PayPal's rate is 4 % worse than the ECB's and it states no fee; Wise: 0.40–0.45 % plus its fee.
        #expect(paypal.costPercent == (try ExactDecimal("4.00")))
        #expect(paypal.fees.isZero)
        let one = try ExactDecimal("1.00")
        #expect(wise.fees.isPositive && wise.costPercent < one)
        let low = try ExactDecimal("0.39"), high = try ExactDecimal("4.01")
        for c in r.conversions {
            #expect(c.hiddenCost.isPositive)
            #expect(c.spreadPercent >= low && c.spreadPercent <= high)
        }
        #expect(r.totalHiddenCost == r.conversions.reduce(Money.zero(.EUR)) { $0 + $1.hiddenCost })
        // Holdings: everything converted except the last GBP month.
        let gbp = try #require(r.currencies.first { $0.currency == .GBP })
        #expect(gbp.held == money("2000.00", .GBP))
        #expect(r.currencies.first { $0.currency == .USD }?.held.isZero == true)
        // A period keeps the conversions inside it and the holdings at its end.
        let q1 = try currenciesReport(ReportFixtures.demoFacts(), rates: ReportFixtures.rates(), currency: .EUR,
                                      filter: ReportFilter(period: try Period.parse("2026-Q1")))
        #expect(q1.conversions.count == 7)
        #expect(q1.currencies.first { $0.currency == .GBP }?.held == money("0.00", .GBP))
    }
}

@Suite struct RendererBehaviour {
    @Test func csvEscapesFormulasButKeepsNumbers() {
        let table = ReportTable(id: "t", columns: [ReportColumn("name"), ReportColumn("amount", "amount", .money(.EUR)), ReportColumn("note")],
                                rows: [ReportRow([.text("=HYPERLINK(\"http://x\",\"y\")"), .money(money("-12.50", .EUR)), .text("-12.50")]),
                                       ReportRow([.text("+1 555"), .money(money("3.00", .EUR)), .text("@SUM(A1)")]),
                                       ReportRow([.text("-x"), .money(money("0.00", .EUR)), .text("a,b")])])
        let csv = render(ReportDocument(title: "t", blocks: [.table(table)]), format: .csv)
        #expect(csv == """
        name,amount,note
        "'=HYPERLINK(""http://x"",""y"")",-12.50,-12.50
        '+1 555,3.00,'@SUM(A1)
        '-x,0.00,"a,b"

        """)
    }

    @Test func markdownAndHTMLEscapeText() {
        let table = ReportTable(id: "t", columns: [ReportColumn("name")], rows: [ReportRow([.text("<b>a|b</b>")])])
        let doc = ReportDocument(title: "A & B", blocks: [.table(table)])
        #expect(render(doc, format: .markdown).contains("\\<b\\>a\\|b\\</b\\>"))
        let html = render(doc, format: .html)
        #expect(html.contains("<td>&lt;b&gt;a|b&lt;/b&gt;</td>"))
        #expect(html.contains("<title>A &amp; B</title>"))
        // Self-contained: no scripts, no external resources.
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
    }

    @Test func asciiFanChartShowsBandsAndMedian() {
        let f = FanChart(title: "f", unit: "EUR", history: [("a", 10), ("b", 20)],
                         forecast: [FanChart.Point(label: "c", p10: 5, p50: 15, p90: 25)], floor: 8)
        let text = AsciiFanChart(chart: f, width: 40, height: 8).render()
        #expect(text.contains("●") && text.contains("░") && text.contains("·") && text.contains("-"))
        #expect(!text.contains("\u{1B}["))
    }
}

@Suite struct Speed {
    /// Monthly report over 1,000,000 facts (debug builds are several times slower than release;
    /// the bound here only catches accidental quadratic work).
    @Test func monthlyOverAMillionFacts() throws {
        let rates = try ReportFixtures.rates()
        let accounts = ["income:prolific", "income:upwork", "income:acme", "expenses:fees:upwork", "assets:paypal"].map(acct)
        let platforms = ["Prolific", "Upwork", "Wise", "PayPal", "Bank"]
        let currencies: [CurrencyCode] = [.USD, .GBP, .EUR, .CHF]
        let start = day("2024-01-02").ordinal
        var facts: [PostingFact] = []
        facts.reserveCapacity(1_000_000)
        for i in 0..<1_000_000 {
            facts.append(PostingFact(transactionID: Int64(i / 2), date: Day(ordinal: start + (i / 1000) % 1030),
                                     account: accounts[i % 5], amount: Money(minorUnits: Int64(-(i % 9973) - 1), currency: currencies[i % 4]),
                                     kind: .earning, platform: platforms[(i / 5) % 5]))
        }
        let clock = ContinuousClock()
        var report: MonthlyReport?
        let elapsed = try clock.measure { report = try monthlyReport(facts, rates: rates, currency: .EUR) }
        print("monthly report over 1,000,000 facts: \(elapsed)")
        #expect(report?.months.count == 33)
        #expect(elapsed < .seconds(60))
    }
}
