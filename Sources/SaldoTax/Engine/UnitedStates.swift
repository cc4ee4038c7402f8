import SaldoCore

/// Schedule SE, short form of the lines Saldo fills.
public struct ScheduleSE: Codable, Hashable, Sendable {
    /// Net profit (Schedule C).
    public var line_2: Amount
    /// Net earnings from self-employment (× 92.35%).
    public var line_4a: Amount
    /// Maximum earnings subject to social security (the wage base).
    public var line_7: Amount
    /// Social security part (12.4% up to the wage base).
    public var line_10: Amount
    /// Medicare part (2.9%).
    public var line_11: Amount
    /// Self-employment tax.
    public var line_12: Amount
    /// Deduction for one-half of self-employment tax.
    public var line_13: Amount
}

/// The 1040-ES Estimated Tax Worksheet lines.
public struct Form1040ESWorksheet: Codable, Hashable, Sendable {
    public var line_1: Amount
    public var line_2a: Amount
    public var line_2b: Amount
    public var line_2c: Amount
    public var line_3: Amount
    public var line_4: Amount
    public var line_5: Amount
    public var line_6: Amount
    public var line_7: Amount
    public var line_8: Amount
    public var line_9: Amount
    public var line_10: Amount
    public var line_11a: Amount
    public var line_11b: Amount
    public var line_11c: Amount
    public var line_12a: Amount
    /// Prior-year tax × 100% (110% above the AGI threshold); absent when last year's tax is unknown.
    public var line_12b: Amount?
    public var line_12c: Amount
    public var line_13: Amount
    public var line_14a: Amount
    public var line_14b: Amount
    /// The first installment (the first share of line 14a).
    public var line_15: Amount
}

public struct EstimatedPayment: Codable, Hashable, Sendable {
    public var period: String
    public var due: Day
    public var amount: Amount
}

/// A US sole proprietor's federal year.
public struct USYear: Codable, Hashable, Sendable {
    public var year: Int
    public var currency: String
    public var filing_status: String
    public var net_profit: Amount
    public var schedule_se: ScheduleSE
    /// Form 8959 (not part of the SE-tax deduction).
    public var additional_medicare_tax: Amount
    public var adjusted_gross_income: Amount
    public var standard_deduction: Amount
    public var taxable_income_before_qbi: Amount
    /// Form 8995 line 15 / 8995-A line 39.
    public var qbi_deduction: Amount
    public var taxable_income: Amount
    public var income_tax: Amount
    /// Income tax + SE tax + additional Medicare tax.
    public var total_tax: Amount
    public var form_1040es: Form1040ESWorksheet
    /// Required annual payment split into installments; empty when none is required.
    public var estimated_payments: [EstimatedPayment]
    public var estimated_payments_required: Bool
}

public struct InformationReturnCheck: Codable, Hashable, Sendable {
    public var form: String
    public var expected: Bool
    public var reason: String
}

/// United States, federal, sole proprietor: SE tax, income tax with standard deduction and QBI,
/// estimated payments with the safe harbour.
public enum USTax {
    /// The year for a Schedule C net profit (income − expenses), with `withheld` income tax already paid.
    public static func year(netProfit: Money, withheld: Money? = nil, profile: TaxProfile, rules file: RuleFile) throws(RuleFileError) -> USYear {
        var reader = RuleReader(file)
        var notes: [String] = []
        return try year(netProfit: netProfit, withheld: withheld ?? .zero(file.currency), profile: profile, rules: &reader, notes: &notes)
    }

    static func year(netProfit: Money, withheld: Money, profile: TaxProfile, rules: inout RuleReader, notes: inout [String]) throws(RuleFileError) -> USYear {
        let file = rules.file
        let cur = file.currency
        let status = profile.filingStatus.rawValue
        let zero = Money.zero(cur)
        let se = try rules.body("se_tax", .seTax) { if case .seTax(let v) = $0 { return v } else { return nil } }
        let profit = netProfit
        var ne = profit.decimal * se.netEarningsFactor
        if ne < se.minimumNetEarnings { ne = ExactDecimal(0) }
        let ss = ExactDecimal.min(ne, se.wageBase) * se.socialSecurityRate
        let med = ne * se.medicareRate
        let seTax = (ss + med).money(cur, .halfUp)
        guard let addlThreshold = se.additionalMedicareThreshold.value(for: status) else {
            throw RuleFileError(file: file.fileName, path: "$.rules.se_tax.additional_medicare_threshold", message: "expected a value for \(status), found none")
        }
        let addl = (ExactDecimal.max(ExactDecimal(0), ne - addlThreshold) * se.additionalMedicareRate).money(cur, .halfUp)
        let half = seTax.times(se.deductionShare, .halfUp)
        let agi = profit - half
        let std = try rules.amount("fit.standard_deduction", key: status).money(cur, .halfUp)
        let tiBefore = (agi - std).max0()

        let q = try rules.body("qbi", .qbi) { if case .qbi(let v) = $0 { return v } else { return nil } }
        let qbi = (profit - half).max0()
        var tentative = qbi.decimal * q.rate
        if let start = q.threshold.value(for: status), let range = q.phaseInRange.value(for: status), tiBefore.decimal > start, !range.isZero {
            let frac = ExactDecimal.min(ExactDecimal(1), (tiBefore.decimal - start).divided(by: range, places: 12, rule: .halfEven))
            let keep = ExactDecimal(1) - frac
            // No W-2 wages or UBIA: the deduction phases down to 0 over the range; an SSTB's QBI is cut too.
            tentative = (tentative * keep).trimmed
            if profile.specifiedServiceBusiness { tentative = (tentative * keep).trimmed }
            notes.append(LocalizedText(profile.specifiedServiceBusiness ? "tax.note.us.qbi_phase_out.sstb" : "tax.note.us.qbi_phase_out").english)
        }
        var qbid = ExactDecimal.max(ExactDecimal(0), ExactDecimal.min(tentative, tiBefore.decimal * q.rate)).money(cur, .halfUp)
        if let minQBI = q.minimumQBI, let floor = q.minimumDeduction, qbi.decimal >= minQBI {
            qbid = Money.max(qbid, floor.money(cur, .halfUp))
        }
        let ti = (tiBefore - qbid).max0()
        let (br, list) = try rules.brackets("fit.brackets", key: status)
        let fit = Marginal.tax(list, on: ti, rounding: br.rounding)
        let total = fit + seTax + addl

        // 1040-ES worksheet and the safe harbour.
        let sh = try rules.body("estimated_tax", .safeHarbour) { if case .safeHarbour(let v) = $0 { return v } else { return nil } }
        let l12a = total.times(sh.currentYearShare, .halfUp)
        var l12b: Money?
        if let prior = profile.priorYear.totalTax {
            var share = sh.priorYearShare
            if let agiPrior = profile.priorYear.adjustedGrossIncome, let limit = sh.highIncomeAGI.value(for: status), agiPrior.decimal > limit {
                share = sh.highIncomePriorYearShare
                notes.append(LocalizedText("tax.note.us.high_income_safe_harbour", ["limit_amount": HumanFormat.en.grouped(limit), "share_number": share.normalized.description]).english)
            }
            l12b = prior.times(share, .halfUp)
        } else {
            notes.append(LocalizedText("tax.note.us.no_prior_year_tax").english)
        }
        let l12c = l12b.map { Money.min(l12a, $0) } ?? l12a
        let l14a = (l12c - withheld).max0()
        let l14b = total - withheld
        let required = l14b.decimal >= sh.minBalanceDue
        var payments: [EstimatedPayment] = []
        if required {
            var allocated = zero
            for (i, inst) in sh.installments.enumerated() {
                let amount = i == sh.installments.count - 1 ? l14a - allocated : l14a.times(inst.share, .halfUp)
                allocated += amount
                payments.append(EstimatedPayment(period: inst.period, due: inst.due, amount: Amount(amount)))
            }
        } else {
            notes.append(LocalizedText("tax.note.us.no_estimated_payments", ["minimum_amount": HumanFormat.en.grouped(sh.minBalanceDue), "currency": cur.code]).english)
        }
        let ws = Form1040ESWorksheet(line_1: Amount(agi), line_2a: Amount(std), line_2b: Amount(qbid), line_2c: Amount(std + qbid),
                                     line_3: Amount(ti), line_4: Amount(fit), line_5: Amount(zero), line_6: Amount(fit), line_7: Amount(zero),
                                     line_8: Amount(fit), line_9: Amount(seTax), line_10: Amount(addl), line_11a: Amount(total), line_11b: Amount(zero),
                                     line_11c: Amount(total), line_12a: Amount(l12a), line_12b: l12b.map(Amount.init), line_12c: Amount(l12c),
                                     line_13: Amount(withheld), line_14a: Amount(l14a), line_14b: Amount(l14b),
                                     line_15: payments.first?.amount ?? Amount(zero))
        let sched = ScheduleSE(line_2: Amount(profit), line_4a: Amount(ne.money(cur, .halfUp)), line_7: Amount(se.wageBase.money(cur, .halfUp)),
                               line_10: Amount(ss.money(cur, .halfUp)), line_11: Amount(med.money(cur, .halfUp)), line_12: Amount(seTax), line_13: Amount(half))
        if ne.isZero && profit.isPositive {
            notes.append(LocalizedText("tax.note.us.no_se_tax", ["minimum_amount": HumanFormat.en.grouped(se.minimumNetEarnings), "currency": cur.code]).english)
        }
        return USYear(year: file.start.year, currency: cur.code, filing_status: status, net_profit: Amount(profit), schedule_se: sched,
                      additional_medicare_tax: Amount(addl), adjusted_gross_income: Amount(agi), standard_deduction: Amount(std),
                      taxable_income_before_qbi: Amount(tiBefore), qbi_deduction: Amount(qbid), taxable_income: Amount(ti), income_tax: Amount(fit),
                      total_tax: Amount(total), form_1040es: ws, estimated_payments: payments, estimated_payments_required: required)
    }

    /// The safe-harbour required annual payment and its installments, from both years' totals.
    public static func requiredAnnualPayment(currentYearTax: Money, priorYearTax: Money, priorYearAGI: Money, filingStatus: FilingStatus,
                                             rules file: RuleFile) throws(RuleFileError) -> (required: Money, installments: [EstimatedPayment]) {
        var reader = RuleReader(file)
        let sh = try reader.body("estimated_tax", .safeHarbour) { if case .safeHarbour(let v) = $0 { return v } else { return nil } }
        let cur = file.currency
        var share = sh.priorYearShare
        if let limit = sh.highIncomeAGI.value(for: filingStatus.rawValue), priorYearAGI.decimal > limit { share = sh.highIncomePriorYearShare }
        let req = Money.min(currentYearTax.times(sh.currentYearShare, .halfUp), priorYearTax.times(share, .halfUp))
        var allocated = Money.zero(cur)
        var out: [EstimatedPayment] = []
        for (i, inst) in sh.installments.enumerated() {
            let a = i == sh.installments.count - 1 ? req - allocated : req.times(inst.share, .halfUp)
            allocated += a
            out.append(EstimatedPayment(period: inst.period, due: inst.due, amount: Amount(a)))
        }
        return (req, out)
    }

    /// Which information returns a payer should issue for `amount` paid in `count` transactions.
    /// `throughSettlementOrganisation`: paid through a platform or card network (1099-K) rather than directly (1099-NEC).
    public static func informationReturns(amount: Money, transactions count: Int, throughSettlementOrganisation: Bool,
                                          rules file: RuleFile) throws(RuleFileError) -> [InformationReturnCheck] {
        var reader = RuleReader(file)
        let t = try reader.body("info_returns", .reportingThreshold) { if case .reportingThreshold(let v) = $0 { return v } else { return nil } }
        var out: [InformationReturnCheck] = []
        for item in t.items {
            let isK = item.transactionsOver != nil
            guard isK == throughSettlementOrganisation else { continue }
            let overAmount = item.comparison == .atLeast ? amount.decimal >= item.amount : amount.decimal > item.amount
            let overCount = item.transactionsOver.map { count > $0 } ?? true
            let expected = overAmount && overCount
            var reason = "\(amount.decimalString) \(amount.currency.code) \(overAmount ? "meets" : "is under") the \(item.comparison.rawValue) \(item.amount.normalized) threshold"
            if let n = item.transactionsOver { reason += "; \(count) transactions \(overCount ? "are" : "are not") over \(n)" }
            out.append(InformationReturnCheck(form: item.form, expected: expected, reason: reason + ". The income is taxable either way."))
        }
        return out
    }
}
