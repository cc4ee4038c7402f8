import SaldoCore
import Testing
@testable import SaldoTax

/// The US vectors of tax-rules.md (US-1 … US-7), from ledger data where they allow.
@Suite struct UnitedStatesTests {
    func usd(_ s: String) throws -> Money { try L.money(s, .USD) }

    /// A year with `income` earned over the year and `expenses` spent, giving the vector's net profit.
    func ledger(year: Int, income: String, expenses: String) throws -> [Transaction] {
        let total = try usd(income)
        let parts = total.allocated(into: 4)
        var txs: [Transaction] = []
        for (i, p) in parts.enumerated() {
            txs.append(try L.earning("\(year)-0\(i * 3 + 1)-15", p.decimalString, .USD, client: "Client \(i)"))
        }
        txs.append(try L.expense("\(year)-02-01", expenses, .USD, account: "expenses:equipment"))
        return txs
    }

    func year(_ y: Int, income: String, expenses: String, status: FilingStatus = .single, prior: PriorYearFigures = PriorYearFigures()) throws -> TaxSummary {
        let p = TaxProfile(jurisdiction: .us, filingStatus: status, priorYear: prior)
        let inputs = TaxInputs(transactions: try ledger(year: y, income: income, expenses: expenses), convert: L.identity, profile: p,
                               today: try L.day("\(y + 1)-01-10"))
        return try TaxEngine.summary(inputs, year: y)
    }

    @Test func us1Single50k() throws {
        let y = try #require(try year(2025, income: "62000.00", expenses: "12000.00").united_states)
        #expect(y.net_profit.s == "50000.00")
        #expect(y.schedule_se.line_4a.s == "46175.00")
        #expect(y.schedule_se.line_10.s == "5725.70")
        #expect(y.schedule_se.line_11.s == "1339.08")
        #expect(y.schedule_se.line_12.s == "7064.78")
        #expect(y.schedule_se.line_13.s == "3532.39")
        #expect(y.adjusted_gross_income.s == "46467.61")
        #expect(y.standard_deduction.s == "15750.00")
        #expect(y.taxable_income_before_qbi.s == "30717.61")
        #expect(y.qbi_deduction.s == "6143.52")
        #expect(y.taxable_income.s == "24574.09")
        #expect(y.income_tax.s == "2710.39")
        #expect(y.total_tax.s == "9775.17")
        #expect(y.total_tax.money.times(try ExactDecimal("0.25"), .halfUp).decimalString == "2443.79")
        #expect(y.form_1040es.line_11c.s == "9775.17" && y.form_1040es.line_3.s == "24574.09")
    }

    @Test func us2Single250k() throws {
        let y = try #require(try year(2025, income: "260000.00", expenses: "10000.00").united_states)
        #expect(y.schedule_se.line_4a.s == "230875.00")
        #expect(y.schedule_se.line_10.s == "21836.40")
        #expect(y.schedule_se.line_11.s == "6695.38")
        #expect(y.schedule_se.line_12.s == "28531.78")
        #expect(y.additional_medicare_tax.s == "277.88")
        #expect(y.schedule_se.line_13.s == "14265.89")
        #expect(y.adjusted_gross_income.s == "235734.11")
        #expect(y.taxable_income_before_qbi.s == "219984.11")
        #expect(y.qbi_deduction.s == "25757.15")
        #expect(y.taxable_income.s == "194226.96")
        #expect(y.income_tax.s == "39461.47")
        #expect(y.total_tax.s == "68271.13")
    }

    @Test func us3Joint2026() throws {
        let y = try #require(try year(2026, income: "130000.00", expenses: "10000.00", status: .joint).united_states)
        #expect(y.schedule_se.line_4a.s == "110820.00")
        #expect(y.schedule_se.line_12.s == "16955.46")
        #expect(y.schedule_se.line_13.s == "8477.73")
        #expect(y.adjusted_gross_income.s == "111522.27")
        #expect(y.standard_deduction.s == "32200.00")
        #expect(y.taxable_income_before_qbi.s == "79322.27")
        #expect(y.qbi_deduction.s == "15864.45")
        #expect(y.taxable_income.s == "63457.82")
        #expect(y.income_tax.s == "7118.94")
        #expect(y.total_tax.s == "24074.40")
    }

    @Test func us4Single2026() throws {
        let y = try #require(try year(2026, income: "50000.00", expenses: "0.00").united_states)
        #expect(y.schedule_se.line_12.s == "7064.78")
        #expect(y.adjusted_gross_income.s == "46467.61")
        #expect(y.standard_deduction.s == "16100.00")
        #expect(y.qbi_deduction.s == "6073.52")
        #expect(y.taxable_income.s == "24294.09")
        #expect(y.income_tax.s == "2667.29")
        #expect(y.total_tax.s == "9732.07")
    }

    @Test func us5BelowTheSEFloor() throws {
        let s = try year(2025, income: "420.00", expenses: "0.00")
        let y = try #require(s.united_states)
        #expect(y.schedule_se.line_4a.s == "0.00")
        #expect(y.schedule_se.line_12.s == "0.00")
        #expect(y.income_tax.s == "0.00")
        #expect(y.total_tax.s == "0.00")
        #expect(!y.estimated_payments_required && y.estimated_payments.isEmpty)
        #expect(s.notes.contains { $0.contains("under 400") })
    }

    @Test func us6aSafeHarbourFromLastYear() throws {
        // 2025 was US-1 (total 9,775.17, AGI 46,467.61); 2026 is US-4 (9,732.07).
        let prior = PriorYearFigures(totalTax: try usd("9775.17"), adjustedGrossIncome: try usd("46467.61"))
        let s = try year(2026, income: "50000.00", expenses: "0.00", prior: prior)
        let y = try #require(s.united_states)
        #expect(y.form_1040es.line_12a.s == "8758.86")
        #expect(y.form_1040es.line_12b?.s == "9775.17")
        #expect(y.form_1040es.line_12c.s == "8758.86")
        #expect(y.estimated_payments.map(\.amount.s) == ["2189.72", "2189.72", "2189.72", "2189.70"])
        #expect(y.estimated_payments.map(\.due.description) == ["2026-04-15", "2026-06-15", "2026-09-15", "2027-01-15"])
        #expect(y.form_1040es.line_15.s == "2189.72")
        // The same through the direct call.
        let direct = try USTax.requiredAnnualPayment(currentYearTax: usd("9732.07"), priorYearTax: usd("9775.17"), priorYearAGI: usd("46467.61"),
                                                     filingStatus: .single, rules: L.rules("us-2026.json"))
        #expect(direct.required.decimalString == "8758.86")
    }

    @Test func us6bHighIncomeUses110Percent() throws {
        let r = try USTax.requiredAnnualPayment(currentYearTax: usd("80000.00"), priorYearTax: usd("68271.13"), priorYearAGI: usd("235734.11"),
                                                filingStatus: .single, rules: L.rules("us-2026.json"))
        #expect(r.required.decimalString == "72000.00")
        #expect(r.installments.map(\.amount.s) == ["18000.00", "18000.00", "18000.00", "18000.00"])
        // The prior-year leg is 110% = 75,098.24 (not the lesser one here).
        #expect(try usd("68271.13").times(try ExactDecimal("1.10"), .halfUp).decimalString == "75098.24")
    }

    @Test func us6cNoPaymentsUnderOneThousand() throws {
        let s = try year(2026, income: "5000.00", expenses: "0.00")
        let y = try #require(s.united_states)
        #expect(y.total_tax.money < (try usd("1000.00")))
        #expect(!y.estimated_payments_required && y.estimated_payments.isEmpty)
        #expect(s.notes.contains { $0.contains("no estimated payments are required") })
    }

    @Test func us2025JuneInstallmentRollsToMonday() throws {
        let y = try #require(try year(2025, income: "62000.00", expenses: "12000.00").united_states)
        #expect(y.estimated_payments.map(\.due.description) == ["2025-04-15", "2025-06-16", "2025-09-15", "2026-01-15"])
    }

    @Test func us7InformationReturns() throws {
        let r25 = try L.rules("us-2025.json"), r26 = try L.rules("us-2026.json")
        let nec25 = try USTax.informationReturns(amount: usd("1500.00"), transactions: 1, throughSettlementOrganisation: false, rules: r25)
        #expect(nec25.map(\.form) == ["1099-NEC"] && nec25[0].expected)
        let nec26 = try USTax.informationReturns(amount: usd("1500.00"), transactions: 1, throughSettlementOrganisation: false, rules: r26)
        #expect(!nec26[0].expected && nec26[0].reason.contains("taxable"))
        for r in [r25, r26] {
            let k150 = try USTax.informationReturns(amount: usd("25000.00"), transactions: 150, throughSettlementOrganisation: true, rules: r)
            #expect(k150.map(\.form) == ["1099-K"] && !k150[0].expected)
            let k250 = try USTax.informationReturns(amount: usd("25000.00"), transactions: 250, throughSettlementOrganisation: true, rules: r)
            #expect(k250[0].expected)
        }
    }

    @Test func usFiguresAreFlaggedAsNotOfficial() throws {
        let s = try year(2025, income: "62000.00", expenses: "12000.00")
        #expect(s.unconfirmed.contains { $0.rule == "fit.brackets" && $0.verification == "open_source_model" })
        #expect(s.unconfirmed.contains { $0.rule == "estimated_tax" })
    }
}
