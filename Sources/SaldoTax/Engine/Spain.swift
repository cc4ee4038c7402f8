import SaldoCore

/// Modelo 130 (pago fraccionado IRPF, estimación directa), one quarter, boxes year to date.
public struct Modelo130: Codable, Hashable, Sendable {
    public var form = "130"
    public var year: Int
    public var quarter: Int
    public var period: String
    public var due: Day
    public var window_start: Day?
    public var currency: String
    /// Included in casilla 02 (the form has no box of its own); year to date, capped.
    public var gastos_dificil_justificacion: Amount
    public var casilla_01: Amount
    public var casilla_02: Amount
    public var casilla_03: Amount
    public var casilla_04: Amount
    public var casilla_05: Amount
    public var casilla_06: Amount
    public var casilla_07: Amount
    public var casilla_12: Amount
    public var casilla_13: Amount
    public var casilla_14: Amount
    public var casilla_15: Amount
    public var casilla_16: Amount
    public var casilla_17: Amount
    public var casilla_18: Amount
    public var casilla_19: Amount
    /// `a_ingresar`, `a_deducir` (negative in Q1–Q3), `negativa` (negative in Q4), `cero`.
    public var result: String
    /// What to pay: casilla 19 when positive, else 0.
    public var payable: Amount
}

/// Modelo 303 (IVA), one quarter.
public struct Modelo303: Codable, Hashable, Sendable {
    public var form = "303"
    public var year: Int
    public var quarter: Int
    public var period: String
    public var due: Day
    public var currency: String
    public var casilla_07: Amount
    public var casilla_09: Amount
    public var casilla_27: Amount
    public var casilla_28: Amount
    public var casilla_29: Amount
    public var casilla_45: Amount
    public var casilla_46: Amount
    public var casilla_59: Amount
    public var casilla_120: Amount
    public var casilla_110: Amount
    public var casilla_78: Amount
    public var casilla_87: Amount
    public var casilla_71: Amount
    /// `a_ingresar`, `a_compensar` (Q1–Q3), `a_compensar_o_devolver` (Q4), `sin_actividad`/`cero`.
    public var result: String
    public var payable: Amount
    /// Intra-EU B2B services for Modelo 349 (key S).
    public var modelo_349: [Modelo349Line]
    /// Income whose place of supply is not modelled (consumers) or unknown: not in any box.
    public var not_classified: Amount
}

public struct Modelo349Line: Codable, Hashable, Sendable {
    public var clave = "S"
    public var client: String
    public var country: String?
    public var base_imponible: Amount
}

/// The IRPF withholding an issued invoice should carry, against what it states.
public struct WithholdingCheck: Codable, Hashable, Sendable {
    public var invoice: String
    public var issue_date: Day
    public var client: String
    public var base_imponible: Amount
    public var iva: Amount
    /// `0.15`, `0.07`, or `0` when the client does not withhold (foreign clients, consumers).
    public var expected_rate: String
    public var expected_withholding: Amount
    public var stated_withholding: Amount
    public var matches: Bool
    /// Base + IVA − expected withholding: what the client should pay.
    public var expected_payable: Amount
}

/// The annual IRPF estimate (state scale plus one regional scale), a true-up view of the year.
public struct IRPFAnnual: Codable, Hashable, Sendable {
    public var year: Int
    public var currency: String
    public var rendimiento_neto_previo: Amount
    public var gastos_dificil_justificacion: Amount
    public var base_liquidable_general: Amount
    public var cuota_escala_estatal: Amount
    public var cuota_minimo_estatal: Amount
    public var cuota_integra_estatal: Amount
    public var region: String?
    public var cuota_escala_autonomica: Amount?
    public var cuota_minimo_autonomico: Amount?
    public var cuota_integra_autonomica: Amount?
    public var cuota_integra: Amount
    public var pagos_fraccionados: Amount
    public var retenciones: Amount
    /// Cuota íntegra − payments on account − withholdings (positive: to pay; negative: refund), before deductions.
    public var resultado_estimado: Amount
}

/// The RETA (cuota de autónomos) band for a projected net income.
public struct RETABand: Codable, Hashable, Sendable {
    public var year: Int
    public var currency: String
    public var annual_net_income: Amount
    public var contributions_paid: Amount
    public var generic_expense_rate: String
    public var monthly_income: Amount
    public var table: String
    public var band: Int
    public var band_from: String
    public var band_to: String?
    public var base_min: Amount
    public var base_max: Amount
    public var contribution_rate: String
    public var monthly_contribution_min: Amount
    public var monthly_contribution_max: Amount
}

/// Per-quarter inputs of the Modelo 130 (the quarter's own amounts, not year to date).
public struct QuarterFigures: Sendable, Hashable {
    public var income: Money
    public var expenses: Money
    public var withholding: Money
    public init(income: Money, expenses: Money, withholding: Money) {
        self.income = income; self.expenses = expenses; self.withholding = withholding
    }
}

/// Spain, estimación directa simplificada: Modelo 130, Modelo 303, withholding, annual IRPF, RETA band.
public enum SpainTax {
    static func year(_ r: RuleFile) -> Int { r.start.year }

    /// Gastos de difícil justificación on a year-to-date net (rule kind `capped_rate`).
    static func gdj(_ net: Money, _ rules: inout RuleReader) throws(RuleFileError) -> Money {
        let g = try rules.body("irpf.gdj", .cappedRate) { if case .cappedRate(let v) = $0 { return v } else { return nil } }
        guard net.isPositive else { return .zero(net.currency) }
        let cap = g.cap.money(net.currency, .halfUp)
        return Money.min(net.times(g.rate, g.rounding), cap)
    }

    /// The per-quarter box-13 deduction for last year's net activity income (nil when unknown).
    static func reduction(_ p: CumulativePrepaymentRule, profile: TaxProfile, year: Int, currency: CurrencyCode,
                          rules: inout RuleReader, notes: inout [String]) throws(RuleFileError) -> Money {
        guard let id = p.reductionRule else { return .zero(currency) }
        let table = try rules.body(id, .stepTable) { if case .stepTable(let v) = $0 { return v } else { return nil } }
        var prior = profile.priorYear.netActivityIncome
        if prior == nil, let s = profile.activityStart, s.year >= year {
            prior = .zero(currency)   // no activity last year counts as 0
        }
        guard let prior else {
            notes.append(LocalizedText("tax.note.es.box13_not_applied").english)
            return .zero(currency)
        }
        let v = table.value(at: prior.decimal) ?? ExactDecimal(0)
        return v.money(currency, .halfUp)
    }

    /// Modelo 130 for each quarter 1...`quarters.count`, from each quarter's own figures.
    public static func modelo130(quarters: [QuarterFigures], profile: TaxProfile, rules file: RuleFile) throws(RuleFileError) -> [Modelo130] {
        var reader = RuleReader(file)
        var notes: [String] = []
        return try modelo130(quarters: quarters, profile: profile, rules: &reader, notes: &notes)
    }

    static func modelo130(quarters: [QuarterFigures], profile: TaxProfile, rules: inout RuleReader, notes: inout [String]) throws(RuleFileError) -> [Modelo130] {
        let file = rules.file
        let cur = file.currency
        let p = try rules.body("irpf.modelo130", .cumulativePrepayment) { if case .cumulativePrepayment(let v) = $0 { return v } else { return nil } }
        let minor = try reduction(p, profile: profile, year: year(file), currency: cur, rules: &rules, notes: &notes)
        let zero = Money.zero(cur)
        var inc = zero, exp = zero, ret = zero, prevPositive07 = zero, pendingNegative = zero
        var out: [Modelo130] = []
        for (i, q) in quarters.prefix(4).enumerated() {
            inc += q.income; exp += q.expenses; ret += q.withholding
            let g = try gdj(inc - exp, &rules)
            let b01 = inc, b02 = exp + g, b03 = b01 - b02
            let b04 = b03.max0().times(p.rate, p.box04Rounding)
            let b05 = prevPositive07, b06 = ret
            let b07 = b04 - b05 - b06
            let b12 = b07.max0()
            let b13 = p.reductionLimitedToBox12 ? Money.min(minor, b12) : minor
            let b14 = b12 - b13
            let b15 = b14.isPositive ? Money.min(b14, pendingNegative) : zero
            let b16 = zero
            let b17 = b14 - b15 - b16
            let b18 = zero
            let b19 = b17 - b18
            pendingNegative -= b15
            if b19.isNegative { pendingNegative += -b19 }
            prevPositive07 += b07.max0() - b16
            let d = p.deadlines[i]
            let result = b19.isPositive ? "a_ingresar" : b19.isZero ? "cero" : (i < 3 ? "a_deducir" : "negativa")
            out.append(Modelo130(year: year(file), quarter: i + 1, period: "\(i + 1)T", due: d.due, window_start: d.windowStart, currency: cur.code,
                                 gastos_dificil_justificacion: Amount(g), casilla_01: Amount(b01), casilla_02: Amount(b02), casilla_03: Amount(b03),
                                 casilla_04: Amount(b04), casilla_05: Amount(b05), casilla_06: Amount(b06), casilla_07: Amount(b07),
                                 casilla_12: Amount(b12), casilla_13: Amount(b13), casilla_14: Amount(b14), casilla_15: Amount(b15),
                                 casilla_16: Amount(b16), casilla_17: Amount(b17), casilla_18: Amount(b18), casilla_19: Amount(b19),
                                 result: result, payable: Amount(b19.max0())))
        }
        return out
    }

    /// Income, expenses and withholding of each calendar quarter of `year`, in one pass over the
    /// facts (what `income(in:)`, `expenses(in:)` and `withheld(in:)` give per quarter; twelve
    /// passes cost a few percent of an office's quarter-end).
    static func quarterFigures(_ facts: TaxFacts, year: Int) -> [QuarterFigures] {
        let zero = Money.zero(facts.currency)
        var out = Array(repeating: QuarterFigures(income: zero, expenses: zero, withholding: zero), count: 4)
        facts.facts.withUnsafeBufferPointer { buf in
            for i in buf.indices where buf[i].date.year == year {
                let q = (buf[i].date.month - 1) / 3
                switch buf[i].category {
                case .income: out[q].income += buf[i].amount
                case .expense: out[q].expenses += buf[i].amount
                case .withholding: out[q].withholding += buf[i].amount
                default: break
                }
            }
        }
        return out
    }

    /// Modelo 303 for each quarter 1...`through`, carrying credits forward.
    static func modelo303(facts: TaxFacts, through: Int, profile: TaxProfile, rules: inout RuleReader, notes: inout [String]) throws(RuleFileError) -> [Modelo303] {
        let file = rules.file
        let cur = file.currency
        let y = year(file)
        let ret = try rules.body("vat.modelo303", .periodicReturn) { if case .periodicReturn(let v) = $0 { return v } else { return nil } }
        let table = try rules.body("vat.place_of_supply", .placeOfSupply) { if case .placeOfSupply(let v) = $0 { return v } else { return nil } }
        guard let subjectRow = table.rows.first(where: { $0.treatment == .subject }), let rateID = subjectRow.rateRule else {
            throw RuleFileError(file: file.fileName, path: "$.rules.vat.place_of_supply.rows", message: "expected a row with treatment \"subject\" and a rate_rule, found none")
        }
        let rate = try rules.rate(rateID)
        // Flag the points of the rows that the facts actually use.
        var usedTreatments = Set(facts.facts.compactMap(\.treatment))
        if facts.facts.contains(where: { $0.category == .vatBorne }) { usedTreatments.insert(.subject) }
        for row in table.rows where usedTreatments.contains(row.treatment) && !row.unconfirmed.isEmpty {
            notes.append(contentsOf: row.unconfirmed.map { LocalizedText("tax.note.unconfirmed_point", ["point": $0]).english })
        }
        var carried = profile.priorYear.vatCreditBroughtForward ?? .zero(cur)
        var out: [Modelo303] = []
        for q in 1...max(1, min(4, through)) {
            let p = Period.quarter(y, q)
            let b07 = facts.income(.subject, in: p)
            let b09 = b07.times(rate, .halfUp)
            let booked = facts.sum(.vatCharged, in: p)
            if booked != b09 && !(booked.isZero && b07.isZero) {
                notes.append(LocalizedText("tax.note.es.output_vat_differs", ["quarter": String(q), "booked_amount": HumanFormat.en.amount(booked), "computed_amount": HumanFormat.en.amount(b09)]).english)
            }
            let b27 = b09
            let b28 = facts.sum(.expense, in: p) { $0.withInputVAT }
            let b29 = facts.sum(.vatBorne, in: p)
            let b45 = b29
            let b46 = b27 - b45
            let b59 = facts.income(.reverseCharge, in: p)
            let b120 = facts.income(.notSubject, in: p)
            let b110 = carried
            let b78 = Money.min(b110, b46.max0())
            let b87 = b110 - b78 + (b46.isNegative ? -b46 : .zero(cur))
            let b71 = b46.isPositive ? b46 - b78 : b46
            carried = b87
            // Per client: the quarter's sum, and the country of its latest fact (on the same day, the
            // greatest country code, so that the order facts come in never decides it).
            var m349: [String: (country: String?, day: Day, sum: Money)] = [:]
            for i in facts.facts.indices where facts.facts[i].category == .income && facts.facts[i].treatment == .reverseCharge && p.contains(facts.facts[i].date) {
                let f = facts.facts[i]
                let k = f.client ?? "(unknown client)"
                guard let seen = m349[k] else { m349[k] = (f.clientCountry, f.date, f.amount); continue }
                let later = f.date > seen.day || (f.date == seen.day && (f.clientCountry ?? "") > (seen.country ?? ""))
                m349[k] = (later ? f.clientCountry : seen.country, max(f.date, seen.day), seen.sum + f.amount)
            }
            let lines = m349.keys.sorted().map { Modelo349Line(client: $0, country: m349[$0]?.country, base_imponible: Amount(m349[$0]?.sum ?? .zero(cur))) }
            let other = facts.sum(.income, in: p) { $0.treatment == nil || $0.treatment == .review }
            let d = ret.deadlines.first { $0.period == "Q\(q)" } ?? ret.deadlines[min(q, ret.deadlines.count) - 1]
            let result = b71.isPositive ? "a_ingresar" : b71.isNegative ? (q < 4 ? "a_compensar" : "a_compensar_o_devolver") : "cero"
            out.append(Modelo303(year: y, quarter: q, period: "\(q)T", due: d.due, currency: cur.code, casilla_07: Amount(b07), casilla_09: Amount(b09),
                                 casilla_27: Amount(b27), casilla_28: Amount(b28), casilla_29: Amount(b29), casilla_45: Amount(b45), casilla_46: Amount(b46),
                                 casilla_59: Amount(b59), casilla_120: Amount(b120), casilla_110: Amount(b110), casilla_78: Amount(b78),
                                 casilla_87: Amount(b87), casilla_71: Amount(b71), result: result, payable: Amount(b71.max0()),
                                 modelo_349: lines, not_classified: Amount(other)))
        }
        if out.contains(where: { !$0.casilla_59.money.isZero }) {
            notes.append(LocalizedText("tax.note.es.reverse_charge").english)
        }
        if out.contains(where: { !$0.casilla_120.money.isZero }) {
            notes.append(LocalizedText("tax.note.es.outside_eu").english)
        }
        if out.contains(where: { !$0.not_classified.money.isZero }) {
            notes.append(LocalizedText("tax.note.es.unclassified_income").english)
        }
        if let a = ret.annualSummaryForm { notes.append(LocalizedText("tax.note.es.annual_vat_summary", ["form": a]).english) }
        return out
    }

    /// The IRPF withholding each issued invoice should carry.
    static func withholdingChecks(invoices: [Invoice], facts: TaxFacts, profile: TaxProfile, rules: inout RuleReader) throws(RuleFileError) -> [WithholdingCheck] {
        let w = try rules.body("irpf.withholding", .withholding) { if case .withholding(let v) = $0 { return v } else { return nil } }
        var out: [WithholdingCheck] = []
        for inv in invoices where inv.direction == .issued && facts.period.contains(inv.issueDate) && inv.status != .cancelled && inv.kind != .paymentReceipt {
            let known = profile.client(named: inv.buyer.name) ?? profile.client(named: inv.buyer.taxID)
            let country = (known?.country ?? inv.buyer.country ?? "").uppercased()
            let withholds = known?.withholdsIncomeTax ?? (country == "ES" && !(inv.buyer.taxID ?? "").isEmpty)
            var rate = ExactDecimal(0)
            if country == "ES" && withholds && profile.activityClass == .profesional {
                rate = w.rate
                if profile.newFreelancer, let s = profile.activityStart, inv.issueDate.year - s.year <= w.reducedYearsAfterStart {
                    rate = w.reducedRate
                }
            }
            let expected = inv.net.times(rate, .halfUp)
            out.append(WithholdingCheck(invoice: inv.number, issue_date: inv.issueDate, client: inv.buyer.name, base_imponible: Amount(inv.net),
                                        iva: Amount(inv.tax), expected_rate: rate.normalized.description, expected_withholding: Amount(expected),
                                        stated_withholding: Amount(inv.withholding), matches: expected == inv.withholding,
                                        expected_payable: Amount(inv.net + inv.tax - expected)))
        }
        return out
    }

    /// The annual IRPF on a net activity income before the gastos de difícil justificación.
    static func annual(netBeforeGDJ: Money, paid130: Money, withheld: Money, profile: TaxProfile, rules: inout RuleReader, notes: inout [String]) throws(RuleFileError) -> IRPFAnnual {
        let cur = rules.file.currency
        let g = try gdj(netBeforeGDJ, &rules)
        let base = (netBeforeGDJ - g).max0()
        func scale(_ id: String) throws(RuleFileError) -> (Money, Money) {
            let (b, list) = try rules.brackets(id)
            var minimum = Money.zero(cur)
            if let m = b.minimumRule { minimum = try rules.amount(m).money(cur, .halfUp) }
            let onBase = Marginal.tax(list, on: base, rounding: b.rounding)
            let onMin = Marginal.tax(list, on: Money.min(minimum, base), rounding: b.rounding)
            return (onBase, onMin)
        }
        let (sb, sm) = try scale("irpf.state_scale")
        var rb: Money?, rm: Money?
        if let region = profile.region {
            let id = "irpf.regional.\(region).scale"
            if rules.file.rules[id] != nil {
                (rb, rm) = try scale(id)
            } else {
                notes.append(LocalizedText("tax.note.es.no_regional_scale", ["region": region, "file": rules.file.fileName]).english)
            }
        } else {
            notes.append(LocalizedText("tax.note.es.no_region").english)
        }
        let state = sb - sm
        let regional = rb.flatMap { b in rm.map { b - $0 } }
        let total = state + (regional ?? .zero(cur))
        return IRPFAnnual(year: year(rules.file), currency: cur.code, rendimiento_neto_previo: Amount(netBeforeGDJ), gastos_dificil_justificacion: Amount(g),
                          base_liquidable_general: Amount(base), cuota_escala_estatal: Amount(sb), cuota_minimo_estatal: Amount(sm),
                          cuota_integra_estatal: Amount(state), region: profile.region, cuota_escala_autonomica: rb.map(Amount.init),
                          cuota_minimo_autonomico: rm.map(Amount.init), cuota_integra_autonomica: regional.map(Amount.init), cuota_integra: Amount(total),
                          pagos_fraccionados: Amount(paid130), retenciones: Amount(withheld), resultado_estimado: Amount(total - paid130 - withheld))
    }

    /// Public form of the annual estimate, for a given net activity income before the GDJ.
    public static func annualIRPF(netBeforeGDJ: Money, paid130: Money? = nil, withheld: Money? = nil, profile: TaxProfile, rules file: RuleFile) throws(RuleFileError) -> IRPFAnnual {
        var reader = RuleReader(file)
        var notes: [String] = []
        let z = Money.zero(file.currency)
        return try annual(netBeforeGDJ: netBeforeGDJ, paid130: paid130 ?? z, withheld: withheld ?? z, profile: profile, rules: &reader, notes: &notes)
    }

    /// The RETA band for an annual net activity income (after deducting the contributions) plus the contributions paid.
    public static func retaBand(annualNet: Money, contributionsPaid: Money, profile: TaxProfile, rules file: RuleFile) throws(RuleFileError) -> RETABand {
        var reader = RuleReader(file)
        return try retaBand(annualNet: annualNet, contributionsPaid: contributionsPaid, profile: profile, rules: &reader)
    }

    static func retaBand(annualNet: Money, contributionsPaid: Money, profile: TaxProfile, rules: inout RuleReader) throws(RuleFileError) -> RETABand {
        let cur = rules.file.currency
        let t = try rules.body("ss.reta", .contributionBands) { if case .contributionBands(let v) = $0 { return v } else { return nil } }
        let g = profile.societario ? t.genericExpenseRateSocietario : t.genericExpenseRate
        let yearly = (annualNet + contributionsPaid).decimal * (ExactDecimal(1) - g)
        let monthly = yearly.divided(by: ExactDecimal(12), places: cur.exponent, rule: .halfUp)
        let row = t.rows.first { monthly > $0.from && ($0.to.map { monthly <= $0 } ?? true) } ?? t.rows[0]
        return RETABand(year: year(rules.file), currency: cur.code, annual_net_income: Amount(annualNet), contributions_paid: Amount(contributionsPaid),
                        generic_expense_rate: g.description, monthly_income: Amount(monthly.money(cur, .halfUp)), table: row.table, band: row.band,
                        band_from: row.from.description, band_to: row.to?.description,
                        base_min: Amount(row.baseMin.money(cur, .halfUp)), base_max: Amount(row.baseMax.money(cur, .halfUp)),
                        contribution_rate: t.contributionRate.description,
                        monthly_contribution_min: Amount((row.baseMin * t.contributionRate).money(cur, .halfUp)),
                        monthly_contribution_max: Amount((row.baseMax * t.contributionRate).money(cur, .halfUp)))
    }
}
