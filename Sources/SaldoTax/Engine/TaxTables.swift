import Foundation
import SaldoCore

/// Turns results into label / box / amount rows for the renderers.
enum TaxTables {
    static func flagLines(_ f: [FigureFlag]) -> [String] { f.map(\.line) }

    static func summary(_ s: TaxSummary) -> TaxTable {
        var sections: [TaxSection] = []
        var title = "Tax estimate"
        if let es = s.spain {
            title = "Spain \(s.tax_year)" + (s.quarter.map { ", Q\($0)" } ?? "") + ": tax estimate"
            for m in es.modelo_130 where s.quarter == nil || m.quarter == s.quarter {
                sections.append(TaxSection("Modelo 130, \(m.year) \(m.period) (due \(m.due))", [
                    TaxRow("Income, year to date", box: "01", amount: m.casilla_01.money),
                    TaxRow("Expenses, year to date (incl. \(m.gastos_dificil_justificacion) of hard-to-justify expenses)", box: "02", amount: m.casilla_02.money),
                    TaxRow("Net income", box: "03", amount: m.casilla_03.money),
                    TaxRow("20% of box 03", box: "04", amount: m.casilla_04.money),
                    TaxRow("Earlier quarters' payments", box: "05", amount: m.casilla_05.money),
                    TaxRow("Withholdings, year to date", box: "06", amount: m.casilla_06.money),
                    TaxRow("Prepayment", box: "07", amount: m.casilla_07.money),
                    TaxRow("Sum of sections", box: "12", amount: m.casilla_12.money),
                    TaxRow("Deduction for low income (art. 110.3.c RIRPF)", box: "13", amount: m.casilla_13.money),
                    TaxRow("Difference", box: "14", amount: m.casilla_14.money),
                    TaxRow("Negative results of earlier quarters", box: "15", amount: m.casilla_15.money),
                    TaxRow("Housing-loan deduction", box: "16", amount: m.casilla_16.money),
                    TaxRow("Total", box: "17", amount: m.casilla_17.money),
                    TaxRow("Result (\(m.result.replacingOccurrences(of: "_", with: " ")))", box: "19", amount: m.casilla_19.money),
                ]))
            }
            for m in es.modelo_303 where s.quarter == nil || m.quarter == s.quarter {
                var rows = [
                    TaxRow("Base at 21%", box: "07", amount: m.casilla_07.money),
                    TaxRow("Output IVA at 21%", box: "09", amount: m.casilla_09.money),
                    TaxRow("Total output IVA", box: "27", amount: m.casilla_27.money),
                    TaxRow("Base of domestic purchases", box: "28", amount: m.casilla_28.money),
                    TaxRow("Deductible input IVA", box: "29", amount: m.casilla_29.money),
                    TaxRow("Total deductible", box: "45", amount: m.casilla_45.money),
                    TaxRow("General regime result", box: "46", amount: m.casilla_46.money),
                    TaxRow("Intra-EU services, reverse charge (informative)", box: "59", amount: m.casilla_59.money),
                    TaxRow("Not subject: place of supply outside Spain (informative)", box: "120", amount: m.casilla_120.money),
                    TaxRow("Credit from earlier periods", box: "110", amount: m.casilla_110.money),
                    TaxRow("Credit applied", box: "78", amount: m.casilla_78.money),
                    TaxRow("Credit carried forward", box: "87", amount: m.casilla_87.money),
                    TaxRow("Result (\(m.result.replacingOccurrences(of: "_", with: " ")))", box: "71", amount: m.casilla_71.money),
                ]
                for l in m.modelo_349 { rows.append(TaxRow("Modelo 349 key S: \(l.client)", box: "349", amount: l.base_imponible.money)) }
                sections.append(TaxSection("Modelo 303, \(m.year) \(m.period) (due \(m.due))", rows))
            }
            let a = es.irpf_annual
            var rows = [
                TaxRow("Net activity income before hard-to-justify expenses", amount: a.rendimiento_neto_previo.money),
                TaxRow("Hard-to-justify expenses (5%, at most 2,000)", amount: a.gastos_dificil_justificacion.money),
                TaxRow("General taxable base", amount: a.base_liquidable_general.money),
                TaxRow("State tax (scale on base − scale on personal minimum)", amount: a.cuota_integra_estatal.money),
            ]
            if let r = a.cuota_integra_autonomica { rows.append(TaxRow("Regional tax (\(a.region ?? ""))", amount: r.money)) }
            rows += [
                TaxRow("Total tax", amount: a.cuota_integra.money),
                TaxRow("Modelo 130 payments so far", amount: a.pagos_fraccionados.money),
                TaxRow("Withholdings so far", amount: a.retenciones.money),
                TaxRow("Estimated result of the annual return (+ to pay, − refund)", amount: a.resultado_estimado.money),
            ]
            sections.append(TaxSection("Annual IRPF estimate \(a.year) (projected year)", rows))
            let r = es.reta
            sections.append(TaxSection("Cuota de autónomos (RETA) \(r.year)", [
                TaxRow("Monthly income for the band", amount: r.monthly_income.money),
                TaxRow("Band", text: "\(r.table) \(r.band)"),
                TaxRow("Minimum base", amount: r.base_min.money),
                TaxRow("Maximum base", amount: r.base_max.money),
                TaxRow("Monthly contribution at the minimum base", amount: r.monthly_contribution_min.money),
                TaxRow("Monthly contribution at the maximum base", amount: r.monthly_contribution_max.money),
            ]))
            if !es.withholding_on_invoices.isEmpty {
                sections.append(TaxSection("IRPF withheld on invoices", es.withholding_on_invoices.map {
                    TaxRow("\($0.invoice) \($0.client) (\($0.expected_rate == "0" ? "no withholding" : $0.expected_rate))" + ($0.matches ? "" : " — invoice states \($0.stated_withholding)"),
                           amount: $0.expected_withholding.money)
                }))
            }
        }
        if let us = s.united_states {
            title = "United States \(s.tax_year): federal tax estimate"
            sections.append(TaxSection("Self-employment tax (Schedule SE)", [
                TaxRow("Net profit", box: "SE 2", amount: us.schedule_se.line_2.money),
                TaxRow("Net earnings from self-employment (92.35%)", box: "SE 4a", amount: us.schedule_se.line_4a.money),
                TaxRow("Social security part", box: "SE 10", amount: us.schedule_se.line_10.money),
                TaxRow("Medicare part", box: "SE 11", amount: us.schedule_se.line_11.money),
                TaxRow("Self-employment tax", box: "SE 12", amount: us.schedule_se.line_12.money),
                TaxRow("Deductible half", box: "SE 13", amount: us.schedule_se.line_13.money),
                TaxRow("Additional Medicare tax", box: "8959", amount: us.additional_medicare_tax.money),
            ]))
            let w = us.form_1040es
            var rows = [
                TaxRow("Adjusted gross income", box: "1040-ES 1", amount: w.line_1.money),
                TaxRow("Standard deduction", box: "1040-ES 2a", amount: w.line_2a.money),
                TaxRow("QBI deduction", box: "1040-ES 2b", amount: w.line_2b.money),
                TaxRow("Taxable income", box: "1040-ES 3", amount: w.line_3.money),
                TaxRow("Income tax", box: "1040-ES 4", amount: w.line_4.money),
                TaxRow("Self-employment tax", box: "1040-ES 9", amount: w.line_9.money),
                TaxRow("Other taxes (additional Medicare)", box: "1040-ES 10", amount: w.line_10.money),
                TaxRow("Total estimated tax", box: "1040-ES 11c", amount: w.line_11c.money),
                TaxRow("90% of this year's tax", box: "1040-ES 12a", amount: w.line_12a.money),
            ]
            if let b = w.line_12b { rows.append(TaxRow("Last year's tax (100% or 110%)", box: "1040-ES 12b", amount: b.money)) }
            rows += [
                TaxRow("Required annual payment", box: "1040-ES 12c", amount: w.line_12c.money),
                TaxRow("Withholding", box: "1040-ES 13", amount: w.line_13.money),
                TaxRow("To pay in estimated tax", box: "1040-ES 14a", amount: w.line_14a.money),
            ]
            sections.append(TaxSection("Estimated tax (Form 1040-ES worksheet)", rows))
            sections.append(TaxSection("Estimated payments", us.estimated_payments.map { TaxRow("\($0.period), due \($0.due)", box: "1040-ES", amount: $0.amount.money) }))
        }
        if let uk = s.united_kingdom {
            title = "United Kingdom \(s.tax_year): Self Assessment estimate"
            sections.append(TaxSection("Self-employment (SA103S)", [
                TaxRow("Turnover", box: "9", amount: uk.sa103s.box_9.money),
                TaxRow("Trading income allowance", box: "10.1", amount: uk.sa103s.box_10_1.money),
                TaxRow("Total allowable expenses", box: "20", amount: uk.sa103s.box_20.money),
                TaxRow("Net profit", box: "21", amount: uk.sa103s.box_21.money),
            ]))
            sections.append(TaxSection("Tax (\(uk.residence) rates)", [
                TaxRow("Personal allowance", amount: uk.personal_allowance.money),
                TaxRow("Taxable income", amount: uk.taxable_income.money),
                TaxRow("Income tax", amount: uk.income_tax.money),
                TaxRow("Class 4 National Insurance", amount: uk.class4_nic.money),
                TaxRow("Total (income tax + Class 4)", amount: uk.total_liability.money),
                TaxRow("Voluntary Class 2 (optional, not in the total)", amount: uk.class2_voluntary.money),
            ]))
            sections.append(TaxSection("Payments", uk.payments.map { TaxRow("\($0.what), due \($0.due)", amount: $0.amount.money) }))
            if let m = uk.mtd, !m.quarterly_updates.isEmpty {
                sections.append(TaxSection("Making Tax Digital quarterly updates", m.quarterly_updates.map { TaxRow("\($0.period) to \($0.period_end)", text: "due \($0.due)") }))
            }
        }
        if let d = s.next_due {
            sections.append(TaxSection("Next payment", [TaxRow("\(d.form) \(d.period), due \(d.date)", amount: d.amount?.money)]))
        }
        var notes = s.notes
        notes += s.problems
        notes.append(s.disclaimer)
        return TaxTable(title: title, currency: s.currency, sections: sections, notes: notes, unconfirmed: flagLines(s.unconfirmed))
    }

    static func calendar(_ c: TaxCalendar) -> TaxTable {
        let cur = c.items.first?.currency ?? ""
        let rows = c.items.map { TaxRow("\($0.date): \($0.form) \($0.period), \($0.what)", box: $0.form, amount: $0.amount?.money, text: $0.amount == nil ? "filing only" : nil) }
        return TaxTable(title: "Tax calendar from \(c.today)", currency: cur, sections: [TaxSection("Next deadlines", rows)],
                        notes: c.notes + [c.disclaimer], unconfirmed: flagLines(c.unconfirmed))
    }

    static func setAside(_ p: SetAsidePlan) -> TaxTable {
        let months = p.months.map { TaxRow("\($0.month) (\($0.source)): income \($0.income)" + ($0.vat_part.money.isZero ? "" : ", of which IVA \($0.vat_part)"), amount: $0.set_aside.money) }
        let dues = p.upcoming.map { TaxRow("\($0.due.date) \($0.due.form) \($0.due.period): \($0.due.amount?.description ?? "") due, \($0.set_aside_by_then) set aside by then" + ($0.covered ? "" : " (short)"), amount: $0.due.amount?.money) }
        return TaxTable(title: "Monthly set-aside, tax year \(p.tax_year) (rate \(p.rate) of income)", currency: p.currency,
                        sections: [TaxSection("Set aside each month", months), TaxSection("Next payments", dues)],
                        notes: p.notes + [p.disclaimer], unconfirmed: flagLines(p.unconfirmed))
    }
}
