import Foundation
import SaldoCore

/// Turns results into label / box / amount rows for the renderers.
///
/// Every label, title and value text is a catalog key (`tax.*`) with its arguments; the English
/// label is the English catalog's text, so English output is what it always was. Row labels of the
/// US and UK forms are the forms' own line names and stay English (like the Spanish forms' names).
enum TaxTables {
    static func flagLines(_ f: [FigureFlag]) -> [String] { f.map(\.line) }
    static func T(_ key: String, _ arguments: [String: String] = [:]) -> LocalizedText { LocalizedText(key, arguments) }

    /// A rate as a percentage, the number only ("0.15" → "15", "0.1370" → "13.7"): the catalog's
    /// templates add the sign as each language writes it (15% / 15 %).
    static func percent(_ rate: String) -> String {
        guard let r = try? ExactDecimal(rate) else { return rate }
        return (r * ExactDecimal(100)).normalized.description
    }

    static func summary(_ s: TaxSummary) -> TaxTable {
        var sections: [TaxSection] = []
        var title = T("tax.title.estimate")
        if let es = s.spain {
            title = s.quarter.map { T("tax.title.spain_quarter", ["year": s.tax_year, "quarter": String($0)]) } ?? T("tax.title.spain", ["year": s.tax_year])
            for m in es.modelo_130 where s.quarter == nil || m.quarter == s.quarter {
                sections.append(TaxSection(T("tax.es.130.title", ["period": "\(m.year)-Q\(m.quarter)", "due": m.due.description]), [
                    TaxRow(T("tax.es.130.income_ytd"), box: "01", amount: m.casilla_01.money),
                    TaxRow(T("tax.es.130.expenses_ytd", ["gdj_amount": m.gastos_dificil_justificacion.text]), box: "02", amount: m.casilla_02.money),
                    TaxRow(T("tax.es.130.net_income"), box: "03", amount: m.casilla_03.money),
                    TaxRow(T("tax.es.130.box04"), box: "04", amount: m.casilla_04.money),
                    TaxRow(T("tax.es.130.earlier_payments"), box: "05", amount: m.casilla_05.money),
                    TaxRow(T("tax.es.130.withholdings_ytd"), box: "06", amount: m.casilla_06.money),
                    TaxRow(T("tax.es.130.prepayment"), box: "07", amount: m.casilla_07.money),
                    TaxRow(T("tax.es.130.sum_of_sections"), box: "12", amount: m.casilla_12.money),
                    TaxRow(T("tax.es.130.low_income_deduction"), box: "13", amount: m.casilla_13.money),
                    TaxRow(T("tax.es.130.difference"), box: "14", amount: m.casilla_14.money),
                    TaxRow(T("tax.es.130.negative_earlier"), box: "15", amount: m.casilla_15.money),
                    TaxRow(T("tax.es.130.housing_loan"), box: "16", amount: m.casilla_16.money),
                    TaxRow(T("tax.es.130.total"), box: "17", amount: m.casilla_17.money),
                    TaxRow(T("tax.es.result", ["result": m.result.replacingOccurrences(of: "_", with: " ")]), box: "19", amount: m.casilla_19.money),
                ]))
            }
            for m in es.modelo_303 where s.quarter == nil || m.quarter == s.quarter {
                var rows = [
                    TaxRow(T("tax.es.303.base_21"), box: "07", amount: m.casilla_07.money),
                    TaxRow(T("tax.es.303.output_vat_21"), box: "09", amount: m.casilla_09.money),
                    TaxRow(T("tax.es.303.total_output_vat"), box: "27", amount: m.casilla_27.money),
                    TaxRow(T("tax.es.303.base_purchases"), box: "28", amount: m.casilla_28.money),
                    TaxRow(T("tax.es.303.deductible_input_vat"), box: "29", amount: m.casilla_29.money),
                    TaxRow(T("tax.es.303.total_deductible"), box: "45", amount: m.casilla_45.money),
                    TaxRow(T("tax.es.303.general_result"), box: "46", amount: m.casilla_46.money),
                    TaxRow(T("tax.es.303.intra_eu_services"), box: "59", amount: m.casilla_59.money),
                    TaxRow(T("tax.es.303.not_subject"), box: "120", amount: m.casilla_120.money),
                    TaxRow(T("tax.es.303.credit_earlier"), box: "110", amount: m.casilla_110.money),
                    TaxRow(T("tax.es.303.credit_applied"), box: "78", amount: m.casilla_78.money),
                    TaxRow(T("tax.es.303.credit_forward"), box: "87", amount: m.casilla_87.money),
                    TaxRow(T("tax.es.result", ["result": m.result.replacingOccurrences(of: "_", with: " ")]), box: "71", amount: m.casilla_71.money),
                ]
                for l in m.modelo_349 { rows.append(TaxRow(T("tax.es.303.modelo349", ["client": l.client]), box: "349", amount: l.base_imponible.money)) }
                sections.append(TaxSection(T("tax.es.303.title", ["period": "\(m.year)-Q\(m.quarter)", "due": m.due.description]), rows))
            }
            let a = es.irpf_annual
            var rows = [
                TaxRow(T("tax.es.annual.net_before_gdj"), amount: a.rendimiento_neto_previo.money),
                TaxRow(T("tax.es.annual.gdj"), amount: a.gastos_dificil_justificacion.money),
                TaxRow(T("tax.es.annual.taxable_base"), amount: a.base_liquidable_general.money),
                TaxRow(T("tax.es.annual.state_tax"), amount: a.cuota_integra_estatal.money),
            ]
            if let r = a.cuota_integra_autonomica { rows.append(TaxRow(T("tax.es.annual.regional_tax", ["region": a.region ?? ""]), amount: r.money)) }
            rows += [
                TaxRow(T("tax.es.annual.total_tax"), amount: a.cuota_integra.money),
                TaxRow(T("tax.es.annual.paid_130"), amount: a.pagos_fraccionados.money),
                TaxRow(T("tax.es.annual.withheld"), amount: a.retenciones.money),
                TaxRow(T("tax.es.annual.result"), amount: a.resultado_estimado.money),
            ]
            sections.append(TaxSection(T("tax.es.annual.title", ["year": String(a.year)]), rows))
            let r = es.reta
            sections.append(TaxSection(T("tax.es.reta.title", ["year": String(r.year)]), [
                TaxRow(T("tax.es.reta.monthly_income"), amount: r.monthly_income.money),
                TaxRow(T("tax.es.reta.band"), text: T("tax.es.reta.band_value", ["table": r.table, "band": String(describing: r.band)])),
                TaxRow(T("tax.es.reta.base_min"), amount: r.base_min.money),
                TaxRow(T("tax.es.reta.base_max"), amount: r.base_max.money),
                TaxRow(T("tax.es.reta.contribution_min"), amount: r.monthly_contribution_min.money),
                TaxRow(T("tax.es.reta.contribution_max"), amount: r.monthly_contribution_max.money),
            ]))
            if !es.withholding_on_invoices.isEmpty {
                sections.append(TaxSection(T("tax.es.withholding.title"), es.withholding_on_invoices.map {
                    let args = ["invoice": $0.invoice, "client": $0.client, "rate": Self.percent($0.expected_rate), "stated_amount": $0.stated_withholding.text]
                    let key = ($0.expected_rate == "0" ? "tax.es.withholding.row_none" : "tax.es.withholding.row") + ($0.matches ? "" : "_differs")
                    return TaxRow(T(key, args), amount: $0.expected_withholding.money)
                }))
            }
        }
        if let us = s.united_states {
            title = T("tax.title.us", ["year": s.tax_year])
            sections.append(TaxSection(T("tax.us.se.title"), [
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
            sections.append(TaxSection(T("tax.us.1040es.title"), rows))
            sections.append(TaxSection(T("tax.us.payments.title"), us.estimated_payments.map { TaxRow(T("tax.row.period_due", ["period": $0.period, "due": $0.due.description]), box: "1040-ES", amount: $0.amount.money) }))
        }
        if let uk = s.united_kingdom {
            title = T("tax.title.gb", ["year": s.tax_year])
            sections.append(TaxSection(T("tax.gb.sa103s.title"), [
                TaxRow("Turnover", box: "9", amount: uk.sa103s.box_9.money),
                TaxRow("Trading income allowance", box: "10.1", amount: uk.sa103s.box_10_1.money),
                TaxRow("Total allowable expenses", box: "20", amount: uk.sa103s.box_20.money),
                TaxRow("Net profit", box: "21", amount: uk.sa103s.box_21.money),
            ]))
            sections.append(TaxSection(T("tax.gb.tax.title", ["residence": uk.residence]), [
                TaxRow("Personal allowance", amount: uk.personal_allowance.money),
                TaxRow("Taxable income", amount: uk.taxable_income.money),
                TaxRow("Income tax", amount: uk.income_tax.money),
                TaxRow("Class 4 National Insurance", amount: uk.class4_nic.money),
                TaxRow("Total (income tax + Class 4)", amount: uk.total_liability.money),
                TaxRow("Voluntary Class 2 (optional, not in the total)", amount: uk.class2_voluntary.money),
            ]))
            sections.append(TaxSection(T("tax.gb.payments.title"), uk.payments.map { TaxRow(T("tax.row.what_due", ["what": $0.what, "due": $0.due.description]), amount: $0.amount.money) }))
            if let m = uk.mtd, !m.quarterly_updates.isEmpty {
                sections.append(TaxSection(T("tax.gb.mtd.title"), m.quarterly_updates.map { TaxRow(T("tax.gb.mtd.row", ["period": $0.period, "end_date": $0.period_end.description]), text: T("tax.row.due", ["due": $0.due.description])) }))
            }
        }
        if let d = s.next_due {
            sections.append(TaxSection(T("tax.next_payment.title"), [TaxRow(T("tax.next_payment.row", ["form": d.form, "period": d.period, "due": d.date.description]), amount: d.amount?.money)]))
        }
        var notes = s.notes
        notes += s.problems
        notes.append(s.disclaimer)
        return TaxTable(title: title.english, currency: s.currency, sections: sections, notes: notes, unconfirmed: flagLines(s.unconfirmed),
                        titleText: title, unconfirmedFlags: s.unconfirmed)
    }

    static func calendar(_ c: TaxCalendar) -> TaxTable {
        let cur = c.items.first?.currency ?? ""
        let rows = c.items.map {
            TaxRow(T("tax.calendar.row", ["date": $0.date.description, "form": $0.form, "period": $0.period, "what": $0.what]), box: $0.form,
                   amount: $0.amount?.money, text: $0.amount == nil ? T("tax.calendar.filing_only") : nil)
        }
        let title = T("tax.calendar.title", ["date": c.today.description])
        return TaxTable(title: title.english, currency: cur, sections: [TaxSection(T("tax.calendar.section"), rows)],
                        notes: c.notes + [c.disclaimer], unconfirmed: flagLines(c.unconfirmed), titleText: title, unconfirmedFlags: c.unconfirmed)
    }

    static func setAside(_ p: SetAsidePlan) -> TaxTable {
        let months = p.months.map {
            let source = ["ledger", "forecast", "average"].contains($0.source) ? $0.source : "other"
            return TaxRow(T("tax.set_aside.month_\(source)" + ($0.vat_part.money.isZero ? "" : "_vat"),
                            ["month": $0.month.description, "source": $0.source, "income_amount": $0.income.text, "vat_amount": $0.vat_part.text]),
                          amount: $0.set_aside.money)
        }
        let dues = p.upcoming.map {
            TaxRow(T($0.covered ? "tax.set_aside.due" : "tax.set_aside.due_short",
                     ["date": $0.due.date.description, "form": $0.due.form, "period": $0.due.period, "due_amount": $0.due.amount?.text ?? "",
                      "set_aside_amount": $0.set_aside_by_then.text]), amount: $0.due.amount?.money)
        }
        let title = T("tax.set_aside.title", ["year": p.tax_year, "rate": Self.percent(p.rate)])
        return TaxTable(title: title.english, currency: p.currency,
                        sections: [TaxSection(T("tax.set_aside.months"), months), TaxSection(T("tax.set_aside.payments"), dues)],
                        notes: p.notes + [p.disclaimer], unconfirmed: flagLines(p.unconfirmed), titleText: title, unconfirmedFlags: p.unconfirmed)
    }
}
