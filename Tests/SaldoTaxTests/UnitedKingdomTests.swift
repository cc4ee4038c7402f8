import SaldoCore
import Testing
@testable import SaldoTax

/// The UK vectors of tax-rules.md (UK-1 … UK-7), from ledger data where they allow.
@Suite struct UnitedKingdomTests {
    func gbp(_ s: String) throws -> Money { try L.money(s, .GBP) }

    /// Turnover earned across the tax year that starts in `year` (some in the calendar year after).
    func ledger(year: Int, turnover: String, expenses: String) throws -> [Transaction] {
        let parts = try gbp(turnover).allocated(into: 2)
        var txs = [
            try L.earning("\(year)-05-10", parts[0].decimalString, .GBP),
            try L.earning("\(year + 1)-03-20", parts[1].decimalString, .GBP),   // still in the tax year (to 5 April)
            try L.earning("\(year + 1)-04-06", "999.00", .GBP),                   // next tax year: left out
            try L.earning("\(year)-04-05", "777.00", .GBP),                       // previous tax year: left out
        ]
        if try !gbp(expenses).isZero { txs.append(try L.expense("\(year)-09-01", expenses, .GBP)) }
        return txs
    }

    func year(_ y: Int, turnover: String, expenses: String = "0.00", scottish: Bool = false, prior: PriorYearFigures = PriorYearFigures()) throws -> TaxSummary {
        let p = TaxProfile(jurisdiction: .gb, region: scottish ? "GB-SCT" : nil, priorYear: prior)
        let inputs = TaxInputs(transactions: try ledger(year: y, turnover: turnover, expenses: expenses), convert: L.identity, profile: p,
                               today: try L.day("\(y + 1)-04-10"))
        return try TaxEngine.summary(inputs, year: y)
    }

    @Test func uk1PaymentsOnAccountGovUKExample() throws {
        // GOV.UK's example for 2021-22: bill 3,000, payments on account made 2 × 900.
        let rule = PaymentsOnAccountRule(share: try ExactDecimal("0.5"), minimumLiability: ExactDecimal(1000), atSourceShare: try ExactDecimal("0.8"),
                                         firstDue: try L.day("2022-01-31"), secondDue: try L.day("2022-07-31"), balancingDue: try L.day("2023-01-31"))
        var notes: [String] = []
        let p = UKTax.paymentsOnAccount(rule, liability: try gbp("3000.00"), priorYear: PriorYearFigures(paymentsOnAccountMade: try gbp("1800.00")),
                                        currency: .GBP, notes: &notes)
        #expect(p.map(\.due.description) == ["2023-01-31", "2023-07-31"])
        #expect(p.map(\.amount.s) == ["2700.00", "1500.00"])
        // If the 2022-23 bill is 3,500, the balancing payment of 500 is due on 31 Jan 2024.
        let next = PaymentsOnAccountRule(share: rule.share, minimumLiability: rule.minimumLiability, atSourceShare: rule.atSourceShare,
                                         firstDue: try L.day("2023-01-31"), secondDue: try L.day("2023-07-31"), balancingDue: try L.day("2024-01-31"))
        let q = UKTax.paymentsOnAccount(next, liability: try gbp("3500.00"), priorYear: PriorYearFigures(paymentsOnAccountMade: try gbp("3000.00")),
                                        currency: .GBP, notes: &notes)
        #expect(q[0].due.description == "2024-01-31" && q[0].amount.s == "2250.00")   // 500 balancing + 1,750 first payment on account
    }

    @Test func uk2England40k() throws {
        let s = try year(2025, turnover: "45000.00", expenses: "5000.00")
        let y = try #require(s.united_kingdom)
        #expect(y.sa103s.box_9.s == "45000.00" && y.sa103s.box_20.s == "5000.00" && y.sa103s.box_21.s == "40000.00")
        #expect(y.personal_allowance.s == "12570.00")
        #expect(y.taxable_income.s == "27430.00")
        #expect(y.income_tax.s == "5486.00")
        #expect(y.class4_nic.s == "1645.80")
        #expect(y.class2_voluntary.s == "0.00")
        #expect(y.total_liability.s == "7131.80")
        // First year in Self Assessment: no payments on account for 2025-26.
        #expect(y.payments.map(\.due.description) == ["2027-01-31", "2027-07-31"])
        #expect(y.payments.map(\.amount.s) == ["10697.70", "3565.90"])
        // 45,000 of 2025-26 turnover is over the 30,000 threshold: MTD from 6 April 2027, not yet this year.
        #expect(y.mtd?.mandatory_from?.description == "2027-04-06")
        #expect(y.mtd?.quarterly_updates.isEmpty == true)
    }

    @Test func uk3Scotland40k() throws {
        let y = try #require(try year(2025, turnover: "41000.00", expenses: "1000.00", scottish: true).united_kingdom)
        #expect(y.residence == "GB-SCT")
        #expect(y.income_tax.s == "5582.82")
        #expect(y.class4_nic.s == "1645.80")
        #expect(y.total_liability.s == "7228.62")
    }

    @Test func uk4TaperAndMTD() throws {
        let prior = PriorYearFigures(qualifyingIncome: ["2024-25": try gbp("105000.00")])
        let s = try year(2026, turnover: "111000.00", expenses: "1000.00", prior: prior)
        let y = try #require(s.united_kingdom)
        #expect(y.personal_allowance.s == "7570.00")
        #expect(y.taxable_income.s == "102430.00")
        #expect(y.income_tax.s == "33432.00")
        #expect(y.class4_nic.s == "3456.60")
        #expect(y.total_liability.s == "36888.60")
        let mtd = try #require(y.mtd)
        #expect(mtd.mandatory_from?.description == "2026-04-06")
        #expect(mtd.quarterly_updates.map(\.due.description) == ["2026-08-07", "2026-11-07", "2027-02-07", "2027-05-07"])
        #expect(mtd.final_declaration_due?.description == "2028-01-31")
        // Scottish 2026-27 bands are unconfirmed; rUK ones are official.
        #expect(!s.unconfirmed.contains { $0.rule == "it.rates.default" })
    }

    @Test func uk5TradingAllowance() throws {
        let a = try #require(try year(2025, turnover: "900.00").united_kingdom)
        #expect(a.trading_allowance == "full_relief" && a.trading_profit.s == "0.00" && a.total_liability.s == "0.00")
        let sb = try year(2025, turnover: "3000.00", expenses: "400.00")
        let b = try #require(sb.united_kingdom)
        #expect(b.trading_allowance == "partial_relief")
        #expect(b.sa103s.box_10_1.s == "1000.00" && b.sa103s.box_20.s == "0.00")
        #expect(b.trading_profit.s == "2000.00")
        #expect(b.income_tax.s == "0.00" && b.class4_nic.s == "0.00")
        #expect(b.class2_voluntary.s == "182.00")
        #expect(sb.notes.contains { $0.contains("voluntary Class 2") })
    }

    @Test func uk6MTDMandation() throws {
        let r = try L.rules("gb-2026-27.json")
        let a = try #require(UKTax.mtdStatus(qualifyingIncome: ["2024-25": gbp("55000.00")], rules: r))
        #expect(a.mandatory_from?.description == "2026-04-06")
        #expect(a.quarterly_updates.first?.period_end.description == "2026-07-05")
        #expect(a.quarterly_updates.first?.due.description == "2026-08-07")
        let b = try #require(UKTax.mtdStatus(qualifyingIncome: ["2024-25": gbp("45000.00"), "2025-26": gbp("35000.00")], rules: r))
        #expect(b.mandatory_from?.description == "2027-04-06" && b.quarterly_updates.isEmpty)
        let c = try #require(UKTax.mtdStatus(qualifyingIncome: ["2025-26": gbp("25000.00"), "2026-27": gbp("25000.00")], rules: r))
        #expect(c.mandatory_from?.description == "2028-04-06")
        // Gross turnover, not profit: 52,000 of turnover with 20,000 of profit is in from 2026, using the ledger's turnover.
        let prior = PriorYearFigures(qualifyingIncome: ["2024-25": try gbp("52000.00")])
        let d = try #require(try year(2026, turnover: "52000.00", expenses: "32000.00", prior: prior).united_kingdom)
        #expect(d.trading_profit.s == "20000.00")
        #expect(d.mtd?.mandatory_from?.description == "2026-04-06")
    }

    @Test func uk7Scotland2026() throws {
        let s = try year(2026, turnover: "31000.00", expenses: "1000.00", scottish: true)
        let y = try #require(s.united_kingdom)
        #expect(y.taxable_income.s == "17430.00")
        #expect(y.income_tax.s == "3451.07")
        #expect(y.class4_nic.s == "1045.80")
        #expect(y.total_liability.s == "4496.87")
        #expect(s.unconfirmed.contains { $0.rule == "it.rates.GB-SCT" && $0.verification == "unconfirmed" })
    }

    @Test func paymentsOnAccountFromLastYearsLiability() throws {
        // Last year's liability 7,131.80 → two payments on account of 3,565.90 for 2026-27.
        let prior = PriorYearFigures(selfAssessmentLiability: try gbp("7131.80"))
        let y = try #require(try year(2026, turnover: "41000.00", expenses: "1000.00", prior: prior).united_kingdom)
        #expect(y.payments.map(\.due.description) == ["2027-01-31", "2027-07-31", "2028-01-31", "2028-07-31"])
        // Balancing for 2026-27: 7,131.80 − 7,131.80 = 0, plus next year's first payment on account 3,565.90.
        #expect(y.payments.map(\.amount.s) == ["3565.90", "3565.90", "3565.90", "3565.90"])
    }
}
