import Foundation
import SaldoCore

/// Everything a tax command needs from the ledger and the user.
public struct TaxInputs: Sendable {
    public var transactions: [Transaction]
    public var invoices: [Invoice]
    /// Converts an amount to the tax currency at a date (the caller uses ECB rates).
    public var convert: @Sendable (Money, Day) throws -> Money
    public var profile: TaxProfile
    /// The user's own rule files (`--rules FILE`), used before the shipped ones for their jurisdiction and period.
    public var ruleFiles: [RuleFile]
    /// Forecast income for months not yet in the ledger, in the tax currency.
    public var forecast: [YearMonth: Money]
    /// The day the estimate is made (months after it are projected).
    public var today: Day
    /// What the caller must say about how it gathered these inputs (a forecast that could not be made,
    /// say); every result lists them among its notes.
    public var notes: [String]
    /// Which invoices some ledger transaction carries (by dedup key or number), when `transactions`
    /// is only part of the ledger; nil: decided from `transactions` themselves.
    public var bookedInvoices: BookedInvoiceReferences?
    /// The rest of the ledger's postings as the store sums them (``TaxFactsBuilder/sumsQuery``):
    /// the same facts as their transactions give, read without reading each transaction.
    /// `transactions` then holds only those that carry an invoice's dedup key or number.
    public var postingSums: [PostingSum]

    public init(transactions: [Transaction], invoices: [Invoice] = [], convert: @escaping @Sendable (Money, Day) throws -> Money,
                profile: TaxProfile, ruleFiles: [RuleFile] = [], forecast: [YearMonth: Money] = [:], today: Day, notes: [String] = [],
                bookedInvoices: BookedInvoiceReferences? = nil, postingSums: [PostingSum] = []) {
        self.transactions = transactions; self.invoices = invoices; self.convert = convert; self.profile = profile
        self.ruleFiles = ruleFiles; self.forecast = forecast; self.today = today; self.notes = notes
        self.bookedInvoices = bookedInvoices; self.postingSums = postingSums
    }

    /// The first day whose transactions a computation for tax years `firstYear` on can need: the
    /// start of the calendar year, which no tax year (the UK's starts on 6 April) starts before.
    public static func firstDayNeeded(forTaxYear firstYear: Int) -> Day {
        Day(year: firstYear, month: 1, day: 1)!
    }
}

/// The invoices that ledger transactions carry: an invoice whose dedup key or number is here is
/// counted through its transaction, not by itself.
public struct BookedInvoiceReferences: Sendable, Hashable {
    public var dedupKeys: Set<String>
    public var numbers: Set<String>
    public init(dedupKeys: Set<String>, numbers: Set<String>) { self.dedupKeys = dedupKeys; self.numbers = numbers }
}

/// A Spanish quarter or year: the returns and the annual views.
public struct SpainSummary: Codable, Hashable, Sendable {
    public var modelo_130: [Modelo130]
    public var modelo_303: [Modelo303]
    public var withholding_on_invoices: [WithholdingCheck]
    /// On the projected year (ledger so far plus forecast).
    public var irpf_annual: IRPFAnnual
    public var reta: RETABand
    /// Share of this year's income so far that had IRPF withheld (the 70% test of RIRPF art. 109 uses last year's).
    public var share_of_income_with_withholding: String
}

/// One payment or filing deadline.
public struct TaxDue: Codable, Hashable, Sendable {
    public var date: Day
    public var jurisdiction: String
    /// The form or payment: `Modelo 130`, `Form 1040-ES`, `Self Assessment`, `MTD update`.
    public var form: String
    public var period: String
    public var what: String
    /// Estimated amount to pay; absent for filings that pay nothing (MTD updates).
    public var amount: Amount?
    public var currency: String
}

/// `saldo tax summary`.
public struct TaxSummary: Codable, Sendable {
    public var jurisdiction: String
    public var tax_year: String
    public var quarter: Int?
    public var currency: String
    public var rules_file: String
    public var rules_status: String
    public var spain: SpainSummary?
    public var united_states: USYear?
    public var united_kingdom: UKYear?
    /// The next payment after `today`, with its estimate.
    public var next_due: TaxDue?
    /// Every deadline of the tax year with its estimate (later quarters on the projected year).
    public var deadlines: [TaxDue] = []
    public var notes: [String]
    public var unconfirmed: [FigureFlag]
    public var problems: [String]
    public var disclaimer: String

    /// Rows for table, Markdown and HTML renderers.
    public var table: TaxTable { TaxTables.summary(self) }
}

/// `saldo tax calendar`.
public struct TaxCalendar: Codable, Sendable {
    public var today: Day
    public var items: [TaxDue]
    public var notes: [String]
    public var unconfirmed: [FigureFlag]
    public var disclaimer: String
    public var table: TaxTable { TaxTables.calendar(self) }
}

public struct SetAsideMonth: Codable, Hashable, Sendable {
    public var month: YearMonth
    public var income: Amount
    /// `ledger`, `forecast` or `average` (no forecast: the average month so far).
    public var source: String
    /// Income tax (and contributions) share of this month's income.
    public var income_tax_part: Amount
    /// VAT collected minus VAT borne this month (Spain), set aside in full.
    public var vat_part: Amount
    public var set_aside: Amount
    public var cumulative: Amount
}

public struct SetAsideDue: Codable, Hashable, Sendable {
    public var due: TaxDue
    /// Set aside from the start of the tax year up to the due date, minus earlier payments.
    public var set_aside_by_then: Amount
    public var covered: Bool
}

/// `saldo tax set-aside`.
public struct SetAsidePlan: Codable, Sendable {
    public var tax_year: String
    public var currency: String
    public var projected_income: Amount
    public var projected_tax: Amount
    /// projected_tax / projected_income, to 4 decimals (display only; amounts use the exact ratio).
    public var rate: String
    public var months: [SetAsideMonth]
    public var upcoming: [SetAsideDue]
    public var notes: [String]
    public var unconfirmed: [FigureFlag]
    public var disclaimer: String
    public var table: TaxTable { TaxTables.setAside(self) }
}

/// The three calls the CLI makes.
public enum TaxEngine {
    /// The rule file for a jurisdiction and tax year: the user's first, else the shipped one.
    /// For the UK, `year` is the year the tax year starts (2026 → 2026-27).
    public static func rules(_ j: Jurisdiction, year: Int, inputs: TaxInputs) throws(RuleFileError) -> RuleFile {
        if let f = inputs.ruleFiles.first(where: { $0.jurisdiction == j && $0.start.year == year }) { return f }
        return try TaxRules.builtIn(j, year: year)
    }

    /// The tax year that contains `day` (UK: 6 April to 5 April).
    public static func taxYear(containing day: Day, _ j: Jurisdiction) -> Int {
        guard j == .gb else { return day.year }
        guard let start = Day(year: day.year, month: 4, day: 6) else { return day.year }
        return day < start ? day.year - 1 : day.year
    }

    /// Facts for a rule file's period from the inputs.
    public static func facts(_ inputs: TaxInputs, rules: RuleFile) -> TaxFacts {
        TaxFactsBuilder(profile: inputs.profile, rules: rules, convert: inputs.convert)
            .build(transactions: inputs.transactions, invoices: inputs.invoices, booked: inputs.bookedInvoices, sums: inputs.postingSums)
    }

    /// `saldo tax summary --jurisdiction J --year Y [--quarter Q]`.
    public static func summary(_ inputs: TaxInputs, year: Int, quarter: Int? = nil) throws(RuleFileError) -> TaxSummary {
        let j = inputs.profile.jurisdiction
        let file = try rules(j, year: year, inputs: inputs)
        let actual = facts(inputs, rules: file)
        let (projected, projNotes) = Projection.project(actual, today: inputs.today, forecast: inputs.forecast)
        var reader = RuleReader(file)
        var notes = actual.notes
        var s = TaxSummary(jurisdiction: j.rawValue, tax_year: file.periodLabel, quarter: quarter, currency: file.currency.code, rules_file: file.fileName,
                           rules_status: file.status.rawValue, notes: [], unconfirmed: [], problems: actual.problems.map(\.description),
                           disclaimer: estimateDisclaimer)
        var dues: [TaxDue] = []
        switch j {
        case .es:
            let q = quarter ?? 4
            guard (1...4).contains(q) else {
                throw RuleFileError(file: file.fileName, path: "$", message: "expected a quarter from 1 to 4, found \(q)")
            }
            // The year's four Modelo 130 returns, computed once: each quarter's depends only on the
            // quarters before it, so the first q are the quarter's own (computing them twice, as
            // before, also said the box 13 note twice).
            let full130 = try SpainTax.modelo130(quarters: SpainTax.quarterFigures(actual, year: file.start.year), profile: inputs.profile, rules: &reader, notes: &notes)
            let m130 = Array(full130.prefix(q))
            let m303 = try SpainTax.modelo303(facts: actual, through: q, profile: inputs.profile, rules: &reader, notes: &notes)
            let checks = try SpainTax.withholdingChecks(invoices: inputs.invoices, facts: actual, profile: inputs.profile, rules: &reader)
            if checks.contains(where: { !$0.matches }) {
                notes.append(LocalizedText("tax.note.es.withholding_differs").english)
            }
            let paid = full130.prefix(q).reduce(Money.zero(file.currency)) { $0 + $1.payable.money }
            let annual = try SpainTax.annual(netBeforeGDJ: projected.net(), paid130: paid, withheld: actual.withheld(), profile: inputs.profile, rules: &reader, notes: &notes)
            let ss = projected.sum(.expense) { $0.socialSecurity }
            let g = try SpainTax.gdj(projected.net(), &reader)
            let reta = try SpainTax.retaBand(annualNet: projected.net() - g, contributionsPaid: ss, profile: inputs.profile, rules: &reader)
            if ss.isZero {
                notes.append(LocalizedText("tax.note.es.no_reta_contributions", ["accounts": inputs.profile.socialSecurityAccounts.joined(separator: ", ")]).english)
            }
            if inputs.profile.exemptFromModelo130 {
                notes.append(LocalizedText("tax.note.es.exempt_130").english)
            }
            let income = actual.income(), withheldIncome = actual.sum(.income) { $0.withheldAtSource }
            let share = income.isPositive ? withheldIncome.decimal.divided(by: income.decimal, places: 4, rule: .halfUp) : ExactDecimal(0)
            if inputs.profile.activityClass == .profesional && income.isPositive {
                let pct = (share * ExactDecimal(100)).rounded(to: 1, rule: .halfUp)
                notes.append(share >= (try? ExactDecimal("0.70")) ?? ExactDecimal(1)
                    ? LocalizedText("tax.note.es.withheld_share_exempt", ["share_percent": pct.description]).english
                    : LocalizedText("tax.note.es.withheld_share_required", ["share_percent": pct.description]).english)
            }
            s.spain = SpainSummary(modelo_130: m130, modelo_303: m303, withholding_on_invoices: checks, irpf_annual: annual, reta: reta,
                                   share_of_income_with_withholding: share.description)
            // Deadlines of the whole year, on the projected year (the same as the ledger for past quarters).
            var quiet: [String] = []
            let p130 = try SpainTax.modelo130(quarters: SpainTax.quarterFigures(projected, year: file.start.year), profile: inputs.profile, rules: &reader, notes: &quiet)
            let p303 = try SpainTax.modelo303(facts: projected, through: 4, profile: inputs.profile, rules: &reader, notes: &quiet)
            dues = DueDates.spainDues(m130: p130, m303: p303, currency: file.currency)
        case .us:
            let y = try USTax.year(netProfit: projected.net(), withheld: actual.withheld(), profile: inputs.profile, rules: &reader, notes: &notes)
            s.united_states = y
            dues = y.estimated_payments.map { TaxDue(date: $0.due, jurisdiction: "us", form: "Form 1040-ES", period: $0.period, what: "estimated tax payment", amount: $0.amount, currency: file.currency.code) }
        case .gb:
            let y = try UKTax.year(turnover: projected.income(), expenses: projected.expenses(), profile: inputs.profile, rules: &reader, notes: &notes)
            s.united_kingdom = y
            dues = DueDates.ukDues(y, currency: file.currency)
        }
        notes += projNotes
        notes += inputs.notes
        s.deadlines = dues
        s.next_due = dues.filter { $0.date >= inputs.today && ($0.amount.map { $0.money.isPositive } ?? false) }.min { $0.date < $1.date }
        s.notes = notes
        s.unconfirmed = reader.flags()
        return s
    }

    /// `saldo tax calendar`: the deadlines from `today` on, with estimated amounts (this tax year and the end of the last one).
    public static func calendar(_ inputs: TaxInputs) throws(RuleFileError) -> TaxCalendar {
        let j = inputs.profile.jurisdiction
        let thisYear = taxYear(containing: inputs.today, j)
        var items: [TaxDue] = []
        var notes: [String] = []
        var flags: [FigureFlag] = []
        var missing: RuleFileError?
        for y in [thisYear - 1, thisYear] {
            do { _ = try rules(j, year: y, inputs: inputs) } catch {
                // No rules for a year: its deadlines cannot be listed (said in a note, or an error if no year has rules).
                if y == thisYear { missing = error }
                continue
            }
            let s = try summary(inputs, year: y, quarter: j == .es ? 4 : nil)
            let upcoming = s.deadlines.filter { $0.date >= inputs.today }
            guard !upcoming.isEmpty else { continue }
            items += upcoming
            for n in s.notes where !notes.contains(n) { notes.append(n) }
            for f in s.unconfirmed where !flags.contains(f) { flags.append(f) }
        }
        for n in inputs.notes where !notes.contains(n) { notes.append(n) }
        if let missing {
            if items.isEmpty { throw missing }
            notes.append(LocalizedText("tax.note.no_rules_yet", ["year": "\(thisYear)", "reason": missing.message, "previous_year": "\(thisYear - 1)"]).english)
        }
        items.sort { ($0.date, $0.form) < ($1.date, $1.form) }
        return TaxCalendar(today: inputs.today, items: items, notes: notes, unconfirmed: flags, disclaimer: estimateDisclaimer)
    }

    /// `saldo tax set-aside`: how much of each month's income to put aside for this tax year.
    public static func setAside(_ inputs: TaxInputs, year: Int? = nil) throws(RuleFileError) -> SetAsidePlan {
        let j = inputs.profile.jurisdiction
        let y = year ?? taxYear(containing: inputs.today, j)
        let file = try rules(j, year: y, inputs: inputs)
        let actual = facts(inputs, rules: file)
        let (projected, projNotes) = Projection.project(actual, today: inputs.today, forecast: inputs.forecast)
        let summaryInputs = SummaryOnFacts(facts: projected)
        let (tax, flags, notes) = try summaryInputs.annualTax(file: file, profile: inputs.profile)
        let cur = file.currency
        let income = projected.income()
        var months: [SetAsideMonth] = []
        var cumulative = Money.zero(cur)
        let sourceByMonth = Projection.sources(actual, today: inputs.today, forecast: inputs.forecast, period: file.period)
        for m in file.period.months {
            let mp = Period.month(m)
            let inc = projected.income(in: mp)
            let part = income.isPositive ? inc.converted(times: tax.decimal, over: income.decimal, to: cur, rule: .halfUp) : .zero(cur)
            let vat = j == .es ? (projected.sum(.vatCharged, in: mp) - projected.sum(.vatBorne, in: mp)).max0() : .zero(cur)
            let total = part.max0() + vat
            cumulative += total
            months.append(SetAsideMonth(month: m, income: Amount(inc), source: sourceByMonth[m] ?? "ledger", income_tax_part: Amount(part.max0()),
                                        vat_part: Amount(vat), set_aside: Amount(total), cumulative: Amount(cumulative)))
        }
        let cal = try calendar(inputs)
        var upcoming: [SetAsideDue] = []
        var paidBefore = Money.zero(cur)
        // Payments of this tax year due before today are assumed made from the set-aside.
        let s = try summary(inputs, year: y, quarter: j == .es ? 4 : nil)
        for d in s.deadlines where d.date < inputs.today { paidBefore += d.amount?.money ?? .zero(cur) }
        for d in cal.items where d.currency == cur.code {
            guard let a = d.amount, a.money.isPositive else { continue }
            let by = months.filter { $0.month.first <= d.date }.last?.cumulative.money ?? .zero(cur)
            let available = by - paidBefore
            upcoming.append(SetAsideDue(due: d, set_aside_by_then: Amount(available), covered: available >= a.money))
            paidBefore += a.money
        }
        let rateText = income.isPositive ? tax.decimal.divided(by: income.decimal, places: 4, rule: .halfUp).description : "0"
        var allNotes = notes + projNotes + inputs.notes
        if j == .gb {
            allNotes.append("UK payments fall due after the tax year (31 January, 31 July): money set aside this year pays the balancing payment and the payments on account.")
        }
        return SetAsidePlan(tax_year: file.periodLabel, currency: cur.code, projected_income: Amount(income), projected_tax: Amount(tax), rate: rateText,
                            months: months, upcoming: upcoming, notes: allNotes, unconfirmed: flags, disclaimer: estimateDisclaimer)
    }
}

/// The income-tax amount of a whole year, on given facts.
struct SummaryOnFacts {
    let facts: TaxFacts

    func annualTax(file: RuleFile, profile: TaxProfile) throws(RuleFileError) -> (Money, [FigureFlag], [String]) {
        var reader = RuleReader(file)
        var notes: [String] = []
        let tax: Money
        switch file.jurisdiction {
        case .es:
            let m = try SpainTax.modelo130(quarters: SpainTax.quarterFigures(facts, year: file.start.year), profile: profile, rules: &reader, notes: &notes)
            tax = m.reduce(Money.zero(file.currency)) { $0 + $1.payable.money }
            notes.append(LocalizedText("tax.note.es.set_aside_covers").english)
        case .us:
            let y = try USTax.year(netProfit: facts.net(), withheld: facts.withheld(), profile: profile, rules: &reader, notes: &notes)
            tax = (y.total_tax.money - facts.withheld()).max0()
        case .gb:
            let y = try UKTax.year(turnover: facts.income(), expenses: facts.expenses(), profile: profile, rules: &reader, notes: &notes)
            tax = y.total_liability.money
        }
        return (tax, reader.flags(), notes)
    }
}

/// Months after `today` are filled from the forecast, else from the average month so far.
enum Projection {
    /// Months to project: those after today's month, and today's month when the ledger has no income in it yet.
    static func futureMonths(_ facts: TaxFacts, today: Day) -> [YearMonth] {
        let period = facts.period
        let withIncome = Set(facts.facts.filter { $0.category == .income }.map(\.date.yearMonth))
        return period.months.filter { m in
            guard period.contains(Day(year: m.year, month: m.month, day: 15) ?? m.first) else { return false }
            if m.first > today { return true }
            return m == today.yearMonth && !withIncome.contains(m)
        }
    }

    static func sources(_ facts: TaxFacts, today: Day, forecast: [YearMonth: Money], period: Period) -> [YearMonth: String] {
        var out: [YearMonth: String] = [:]
        for m in futureMonths(facts, today: today) { out[m] = forecast[m] != nil ? "forecast" : "average" }
        return out
    }

    static func project(_ facts: TaxFacts, today: Day, forecast: [YearMonth: Money]) -> (TaxFacts, [String]) {
        let future = futureMonths(facts, today: today)
        guard !future.isEmpty else { return (facts, []) }
        var out = facts
        let cur = facts.currency
        // The average over complete months so far (or over the months begun, early in the year).
        let complete = facts.period.months.filter { $0.last < today && !future.contains($0) }
        let elapsed = complete.isEmpty ? facts.period.months.filter { $0.first <= today && !future.contains($0) } : complete
        // Which months have elapsed, by month number (year × 12 + month − 1) from the first: one
        // pass over the facts below reads it for each, where a set of months was hashed per fact
        // and per sum (four passes; a few percent of an office's quarter-end).
        let numbers = elapsed.map { $0.year * 12 + $0.month - 1 }
        let firstNumber = numbers.min() ?? 0
        var isElapsed = [Bool](repeating: false, count: max(0, (numbers.max() ?? -1) - firstNumber + 1))
        for n in numbers { isElapsed[n - firstNumber] = true }
        // Social security contributions are a fixed monthly amount; other expenses follow income.
        var incomeSoFar = Money.zero(cur), contributionsSoFar = Money.zero(cur), expensesSoFar = Money.zero(cur)
        // The main VAT treatment so far, for projected income.
        var byTreatment: [SupplyTreatment?: Money] = [:]
        facts.facts.withUnsafeBufferPointer { buf in
            for f in buf.indices where buf[f].category == .income || buf[f].category == .expense {
                let n = buf[f].date.year * 12 + buf[f].date.month - 1 - firstNumber
                let inElapsed = n >= 0 && n < isElapsed.count && isElapsed[n]
                if buf[f].category == .income {
                    byTreatment[buf[f].treatment, default: .zero(cur)] += buf[f].amount
                    if inElapsed { incomeSoFar += buf[f].amount }
                } else if inElapsed {
                    if buf[f].socialSecurity { contributionsSoFar += buf[f].amount } else { expensesSoFar += buf[f].amount }
                }
            }
        }
        func perMonth(_ m: Money) -> Money {
            elapsed.isEmpty ? .zero(cur) : m.decimal.divided(by: ExactDecimal(elapsed.count), places: cur.exponent, rule: .halfUp).money(cur, .halfUp)
        }
        let avg = perMonth(incomeSoFar), contributions = perMonth(contributionsSoFar)
        let main = byTreatment.max { $0.value < $1.value }?.key ?? nil
        var forecastMonths: [YearMonth] = [], averageMonths: [YearMonth] = []
        for m in future {
            let day = Day(year: m.year, month: m.month, day: 15) ?? m.first
            let inc: Money
            if let f = forecast[m], f.currency == cur { inc = f; forecastMonths.append(m) } else { inc = avg; averageMonths.append(m) }
            if !contributions.isZero {
                out.facts.append(TaxFact(date: day, category: .expense, amount: contributions, socialSecurity: true, description: "projected contributions \(m)"))
            }
            guard !inc.isZero else { continue }
            out.facts.append(TaxFact(date: day, category: .income, amount: inc, treatment: main, description: "projected income \(m)"))
            if incomeSoFar.isPositive && expensesSoFar.isPositive {
                let e = inc.converted(times: expensesSoFar.decimal, over: incomeSoFar.decimal, to: cur, rule: .halfUp)
                out.facts.append(TaxFact(date: day, category: .expense, amount: e, description: "projected expenses \(m)"))
            }
        }
        var notes: [String] = []
        func list(_ ms: [YearMonth]) -> String { ms.map(\.description).joined(separator: ", ") }
        if !forecastMonths.isEmpty { notes.append(LocalizedText("tax.note.projected_forecast", ["months": list(forecastMonths)]).english) }
        if !averageMonths.isEmpty {
            notes.append(LocalizedText("tax.note.projected_average", ["income_amount": HumanFormat.en.amount(avg), "currency": cur.code, "months": list(averageMonths)]).english)
        }
        if !contributions.isZero {
            notes.append(LocalizedText("tax.note.projected_contributions", ["amount": "\(contributions.decimalString) \(cur.code)"]).english)
        }
        return (out, notes)
    }
}

enum DueDates {
    static func spainDues(m130: [Modelo130], m303: [Modelo303], currency: CurrencyCode) -> [TaxDue] {
        var out: [TaxDue] = []
        for m in m130 {
            out.append(TaxDue(date: m.due, jurisdiction: "es", form: "Modelo 130", period: "\(m.year)-Q\(m.quarter)",
                              what: "IRPF pago fraccionado (\(m.result.replacingOccurrences(of: "_", with: " ")))", amount: m.payable, currency: currency.code))
        }
        for m in m303 {
            out.append(TaxDue(date: m.due, jurisdiction: "es", form: "Modelo 303", period: "\(m.year)-Q\(m.quarter)",
                              what: "IVA (\(m.result.replacingOccurrences(of: "_", with: " ")))", amount: m.payable, currency: currency.code))
        }
        return out.sorted { ($0.date, $0.form) < ($1.date, $1.form) }
    }

    static func ukDues(_ y: UKYear, currency: CurrencyCode) -> [TaxDue] {
        var out = y.payments.map { TaxDue(date: $0.due, jurisdiction: "gb", form: "Self Assessment", period: y.tax_year, what: $0.what, amount: $0.amount, currency: currency.code) }
        for u in y.mtd?.quarterly_updates ?? [] {
            out.append(TaxDue(date: u.due, jurisdiction: "gb", form: "MTD update", period: "\(y.tax_year) \(u.period)", what: "quarterly update to \(u.period_end) (a report, no payment)", amount: nil, currency: currency.code))
        }
        return out.sorted { $0.date < $1.date }
    }
}
