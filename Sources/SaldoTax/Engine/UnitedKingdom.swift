import SaldoCore

/// The self-employment page (SA103S) boxes Saldo fills.
public struct SA103S: Codable, Hashable, Sendable {
    /// Turnover.
    public var box_9: Amount
    /// Trading income allowance claimed instead of expenses.
    public var box_10_1: Amount
    /// Total allowable expenses (0 when the trading allowance is claimed).
    public var box_20: Amount
    /// Net profit.
    public var box_21: Amount
}

public struct UKPayment: Codable, Hashable, Sendable {
    public var what: String
    public var due: Day
    public var amount: Amount
}

/// A UK sole trader's tax year.
public struct UKYear: Codable, Hashable, Sendable {
    public var tax_year: String
    public var currency: String
    public var residence: String
    public var sa103s: SA103S
    /// `none`, `full_relief` (income ≤ allowance: nothing to report for trading), `partial_relief` (allowance instead of expenses).
    public var trading_allowance: String
    public var trading_profit: Amount
    public var personal_allowance: Amount
    public var taxable_income: Amount
    public var income_tax: Amount
    public var class4_nic: Amount
    /// Voluntary Class 2 (profits under the small profits threshold); 0 when credited automatically.
    public var class2_voluntary: Amount
    /// Income tax + Class 4: the Self Assessment liability that payments on account are based on.
    public var total_liability: Amount
    public var payments: [UKPayment]
    public var mtd: MTDStatus?
}

public struct MTDStatus: Codable, Hashable, Sendable {
    /// The first day MTD for Income Tax applies, if any threshold is met by the figures known.
    public var mandatory_from: Day?
    public var measured_on: String?
    public var quarterly_updates: [MTDUpdate]
    public var final_declaration_due: Day?
    public var note: String
}

public struct MTDUpdate: Codable, Hashable, Sendable {
    public var period: String
    public var period_end: Day
    public var due: Day
}

/// United Kingdom, self-employed: income tax (rUK and Scotland), Class 4, trading allowance,
/// payments on account, MTD.
public enum UKTax {
    /// The tax year from gross trading income and expenses (the trading allowance is chosen when it helps).
    public static func year(turnover: Money, expenses: Money, profile: TaxProfile, rules file: RuleFile) throws(RuleFileError) -> UKYear {
        var reader = RuleReader(file)
        var notes: [String] = []
        return try year(turnover: turnover, expenses: expenses, profile: profile, rules: &reader, notes: &notes)
    }

    static func year(turnover: Money, expenses: Money, profile: TaxProfile, rules: inout RuleReader, notes: inout [String]) throws(RuleFileError) -> UKYear {
        let file = rules.file
        let cur = file.currency
        let zero = Money.zero(cur)
        let ta = try rules.body("it.trading_allowance", .allowance) { if case .allowance(let v) = $0 { return v } else { return nil } }
        let allowance = ta.amount.money(cur, .halfUp)
        var mode = "none"
        var profit: Money
        var box20 = expenses, box10_1 = zero
        if turnover <= allowance {
            mode = "full_relief"; profit = zero; box20 = zero
            notes.append(LocalizedText("tax.note.gb.within_trading_allowance", ["allowance_amount": HumanFormat.en.amount(allowance)]).english)
        } else if expenses < allowance {
            mode = "partial_relief"; profit = turnover - allowance; box20 = zero; box10_1 = allowance
            notes.append(LocalizedText("tax.note.gb.trading_allowance_claimed", ["allowance_amount": HumanFormat.en.amount(allowance), "expenses_amount": HumanFormat.en.amount(expenses)]).english)
        } else {
            profit = turnover - expenses
        }
        if profit.isNegative {
            notes.append(LocalizedText("tax.note.gb.trading_loss", ["loss_amount": HumanFormat.en.amount((-profit))]).english)
            profit = zero
        }
        let pa = try rules.body("it.personal_allowance", .allowance) { if case .allowance(let v) = $0 { return v } else { return nil } }
        var paAmount = pa.amount
        if let th = pa.taperThreshold, let per = pa.taperReductionPerUnit, profit.decimal > th {
            paAmount = ExactDecimal.max(ExactDecimal(0), pa.amount - (profit.decimal - th) * per)
            notes.append(LocalizedText("tax.note.gb.personal_allowance_taper", ["threshold_amount": HumanFormat.en.grouped(th)]).english)
        }
        let personal = paAmount.money(cur, .halfUp)
        let taxable = (profit - personal).max0()
        let residence = profile.region == "GB-SCT" ? "GB-SCT" : "default"
        let ratesID = file.rules["it.rates.\(residence)"] != nil ? "it.rates.\(residence)" : "it.rates.default"
        if residence == "GB-SCT" && ratesID == "it.rates.default" {
            notes.append(LocalizedText("tax.note.gb.no_scottish_rates", ["file": file.fileName]).english)
        }
        let (rb, rates) = try rules.brackets(ratesID)
        let it = Marginal.tax(rates, on: taxable, rounding: rb.rounding)
        let (cb, c4) = try rules.brackets("nic.class4")
        let class4 = Marginal.tax(c4, on: profit, rounding: cb.rounding)
        var class2 = zero
        if let r = rules.optionalRule("nic.class2"), case .flatWeekly(let c2) = r.body {
            if profit.decimal < c2.smallProfitsThreshold {
                class2 = (c2.weeklyRate * ExactDecimal(c2.weeks)).money(cur, .halfUp)
                notes.append(LocalizedText("tax.note.gb.voluntary_class2", ["threshold_amount": HumanFormat.en.grouped(c2.smallProfitsThreshold), "class2_amount": HumanFormat.en.amount(class2)]).english)
            }
        }
        let total = it + class4
        let poa = try rules.body("sa.payments_on_account", .paymentsOnAccount) { if case .paymentsOnAccount(let v) = $0 { return v } else { return nil } }
        let payments = paymentsOnAccount(poa, liability: total, priorYear: profile.priorYear, currency: cur, notes: &notes)
        let mtd = mtdStatus(profile: profile, currentTurnover: turnover, rules: &rules)
        if let m = mtd, m.mandatory_from != nil { notes.append(m.note) }
        return UKYear(tax_year: file.periodLabel, currency: cur.code, residence: residence == "GB-SCT" ? "GB-SCT" : "rUK",
                      sa103s: SA103S(box_9: Amount(turnover), box_10_1: Amount(box10_1), box_20: Amount(box20), box_21: Amount(profit)),
                      trading_allowance: mode, trading_profit: Amount(profit), personal_allowance: Amount(personal), taxable_income: Amount(taxable),
                      income_tax: Amount(it), class4_nic: Amount(class4), class2_voluntary: Amount(class2), total_liability: Amount(total),
                      payments: payments, mtd: mtd)
    }

    /// The payments for a year's liability: this year's payments on account (from last year's liability),
    /// the balancing payment, and next year's two payments on account.
    public static func paymentsOnAccount(_ rule: PaymentsOnAccountRule, liability: Money, priorYear: PriorYearFigures, currency cur: CurrencyCode,
                                         notes: inout [String]) -> [UKPayment] {
        var out: [UKPayment] = []
        let zero = Money.zero(cur)
        func required(_ basis: Money, atSource: ExactDecimal?) -> Bool {
            basis.decimal >= rule.minimumLiability && (atSource.map { $0 <= rule.atSourceShare } ?? true)
        }
        // This year's payments on account: as made, or as due from last year's liability.
        var paid = zero
        if let made = priorYear.paymentsOnAccountMade {
            paid = made
        } else if let prior = priorYear.selfAssessmentLiability, required(prior, atSource: priorYear.shareCollectedAtSource) {
            let each = prior.times(rule.share, .halfUp)
            out.append(UKPayment(what: "first payment on account", due: rule.firstDue, amount: Amount(each)))
            out.append(UKPayment(what: "second payment on account", due: rule.secondDue, amount: Amount(each)))
            paid = each + each
        } else if priorYear.selfAssessmentLiability == nil {
            notes.append(LocalizedText("tax.note.gb.no_prior_liability").english)
        }
        let balancing = liability - paid
        let nextRequired = required(liability, atSource: nil)
        let next = nextRequired ? liability.times(rule.share, .halfUp) : zero
        var atBalancing = balancing.max0() + next
        if balancing.isNegative {
            notes.append(LocalizedText("tax.note.gb.overpaid_on_account", ["excess_amount": HumanFormat.en.amount((-balancing))]).english)
            atBalancing = Money.max(zero, next + balancing)
        }
        out.append(UKPayment(what: "balancing payment" + (nextRequired ? " + first payment on account for next year" : ""), due: rule.balancingDue, amount: Amount(atBalancing)))
        if nextRequired {
            out.append(UKPayment(what: "second payment on account for next year", due: rule.secondDue.adding(months: 12), amount: Amount(next)))
        } else {
            notes.append(LocalizedText("tax.note.gb.no_payments_on_account", ["minimum_amount": HumanFormat.en.grouped(rule.minimumLiability)]).english)
        }
        return out
    }

    /// When MTD for Income Tax applies, from gross qualifying income by tax year.
    public static func mtdStatus(qualifyingIncome: [String: Money], rules file: RuleFile) -> MTDStatus? {
        var reader = RuleReader(file)
        return mtdStatus(qualifyingIncome: qualifyingIncome, rules: &reader)
    }

    static func mtdStatus(profile: TaxProfile, currentTurnover: Money, rules: inout RuleReader) -> MTDStatus? {
        var q = profile.priorYear.qualifyingIncome
        if q[rules.file.periodLabel] == nil { q[rules.file.periodLabel] = currentTurnover }
        return mtdStatus(qualifyingIncome: q, rules: &rules)
    }

    static func mtdStatus(qualifyingIncome: [String: Money], rules: inout RuleReader) -> MTDStatus? {
        guard let r = rules.optionalRule("mtd.itsa"), case .reportingObligation(let o) = r.body else { return nil }
        let file = rules.file
        for p in o.phaseIn {
            guard let income = qualifyingIncome[p.measuredOn], income.decimal > p.threshold else { continue }
            let applies = p.from <= file.start
            let updates = applies ? o.quarterlyUpdates.map { MTDUpdate(period: $0.period, period_end: $0.to, due: $0.due) } : []
            let note = applies
                ? LocalizedText("tax.note.gb.mtd_applies", ["income_amount": HumanFormat.en.amount(income), "tax_year": p.measuredOn, "threshold_amount": HumanFormat.en.grouped(p.threshold)]).english
                : LocalizedText("tax.note.gb.mtd_will_apply", ["from_date": "\(p.from)", "income_amount": HumanFormat.en.amount(income), "tax_year": p.measuredOn,
                                                                "threshold_amount": HumanFormat.en.grouped(p.threshold)]).english
            return MTDStatus(mandatory_from: p.from, measured_on: p.measuredOn, quarterly_updates: updates,
                             final_declaration_due: applies ? o.finalDeclarationDue : nil, note: note)
        }
        return MTDStatus(mandatory_from: nil, measured_on: nil, quarterly_updates: [], final_declaration_due: nil,
                         note: LocalizedText("tax.note.gb.mtd_not_met").english)
    }
}
