import Foundation
import SaldoCore

/// Reads rule files: the ones shipped with Saldo and a user's own (`--rules FILE`).
/// Every problem is a ``RuleFileError`` naming the file, the JSON path and what was expected.
public enum TaxRules {
    /// The rule file format this version of Saldo reads.
    public static let formatVersion = "1"

    /// Parses and validates one rule file. `fileName` is used in error messages.
    public static func load(data: Data, fileName: String) throws(RuleFileError) -> RuleFile {
        let root: (value: JSONValue, positions: JSONPositions)
        do {
            root = try JSONParser.parse(Array(data))
        } catch {
            throw RuleFileError(file: fileName, path: "$", message: "not valid JSON: \(error.message) (line \(error.line), column \(error.column))",
                                line: error.line, column: error.column)
        }
        return try decodeFile(Cursor(value: root.value, path: "$", file: fileName, positions: root.positions))
    }

    /// Reads a rule file from disk.
    public static func load(contentsOf url: URL) throws(RuleFileError) -> RuleFile {
        let name = url.lastPathComponent
        guard let data = try? Data(contentsOf: url) else {
            throw RuleFileError(file: url.path, path: "$", message: "expected a readable rule file, found nothing at this path")
        }
        return try load(data: data, fileName: name)
    }

    /// The names of the rule files shipped with Saldo.
    public static var builtInFileNames: [String] {
        guard let dir = Bundle.module.url(forResource: "Rules", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { $0.hasSuffix(".json") && $0 != "schema.json" && $0 != "sources.json" }.sorted()
    }

    /// The remarks of the shipped rule files (`unconfirmed`) with their Spanish (`unconfirmed_es`),
    /// by the English text, wherever they stand in a file (a rule, a row of a rule).
    public static let spanishRemarks: [String: String] = {
        var out: [String: String] = [:]
        func walk(_ v: JSONValue) {
            switch v {
            case .object(let members):
                if case .array(let en)? = v["unconfirmed"], case .array(let es)? = v["unconfirmed_es"], en.count == es.count {
                    for (e, s) in zip(en, es) { if case .string(let a) = e, case .string(let b) = s { out[a] = b } }
                }
                for m in members { walk(m.value) }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        for name in builtInFileNames {
            if let data = builtInData(name), let root = try? JSONParser.parse(Array(data)) { walk(root.value) }
        }
        return out
    }()

    /// A rule file's remark in `language`: the Spanish one for Spanish where the file gives it,
    /// else the remark as written.
    public static func remark(_ english: String, in language: Language) -> String {
        language == .es ? spanishRemarks[english] ?? english : english
    }

    /// The raw bytes of a shipped file in `Rules/` (a rule file, `schema.json` or `sources.json`).
    public static func builtInData(_ name: String) -> Data? {
        guard let dir = Bundle.module.url(forResource: "Rules", withExtension: nil) else { return nil }
        return try? Data(contentsOf: dir.appendingPathComponent(name))
    }

    /// Every shipped rule file, parsed (once per process).
    public static func builtIn() throws(RuleFileError) -> [RuleFile] {
        try shipped.get()
    }

    private static let shipped = Result<[RuleFile], RuleFileError> { () throws(RuleFileError) in try loadShipped() }

    private static func loadShipped() throws(RuleFileError) -> [RuleFile] {
        var out: [RuleFile] = []
        for name in builtInFileNames {
            guard let d = builtInData(name) else { throw RuleFileError(file: name, path: "$", message: "expected a shipped rule file, found nothing") }
            out.append(try load(data: d, fileName: name))
        }
        return out
    }

    /// The shipped rule file for a jurisdiction and tax year. For the UK, `year` is the year the
    /// tax year starts in (2026 → 2026-27, 6 April 2026 to 5 April 2027).
    public static func builtIn(_ jurisdiction: Jurisdiction, year: Int) throws(RuleFileError) -> RuleFile {
        let files = try builtIn()
        if let f = files.first(where: { $0.jurisdiction == jurisdiction && $0.start.year == year }) { return f }
        let have = files.filter { $0.jurisdiction == jurisdiction }.map(\.periodLabel).joined(separator: ", ")
        throw RuleFileError(file: "\(jurisdiction.rawValue)-\(year).json", path: "$",
                            message: "expected shipped rules for \(jurisdiction.name) \(year), found none (available: \(have.isEmpty ? "none" : have))",
                            hint: "give your own rule file for it")
    }

    // MARK: - file

    static let fileKeys: Set<String> = ["$schema", "format_version", "id", "jurisdiction", "period", "currency", "status", "last_reviewed", "notes", "rules"]

    static func decodeFile(_ c: Cursor) throws(RuleFileError) -> RuleFile {
        try c.onlyKeys(fileKeys)
        let fv = try c.field("format_version")
        let version = try fv.string()
        guard version == formatVersion else { throw fv.fail("expected format version \"\(formatVersion)\", found \"\(version)\"") }
        let idC = try c.field("id")
        let id = try idC.string()
        let j = try c.field("jurisdiction")
        try j.onlyKeys(["country", "subdivision", "scope_note"])
        let countryC = try j.field("country")
        let country = try countryC.string()
        guard let jurisdiction = Jurisdiction(rawValue: country.lowercased()), country == country.uppercased() else {
            throw countryC.fail("expected one of \"ES\", \"US\", \"GB\", found \"\(country)\"")
        }
        let p = try c.field("period")
        try p.onlyKeys(["kind", "label", "start", "end"])
        let kind = try p.field("kind").oneOf(PeriodKind.self)
        let label = try p.field("label").string()
        let start = try p.field("start").day()
        let endC = try p.field("end")
        let end = try endC.day()
        if end < start { throw endC.fail("expected a date on or after the start \(start), found \"\(end)\"") }
        if kind == .ukTaxYear && !(start.month == 4 && start.day == 6 && end == Day(year: start.year + 1, month: 4, day: 5)) {
            throw p.fail("expected a UK tax year from 6 April to 5 April, found \(start) to \(end)")
        }
        if kind == .calendarYear && !(start.month == 1 && start.day == 1 && end == Day(year: start.year, month: 12, day: 31)) {
            throw p.fail("expected a calendar year from 1 January to 31 December, found \(start) to \(end)")
        }
        let prefix = "\(jurisdiction.rawValue)-\(label)"
        if id != prefix { throw idC.fail("expected \"\(prefix)\" (country and period label), found \"\(id)\"") }
        let curC = try c.field("currency")
        let curText = try curC.string()
        guard let currency = try? CurrencyCode(curText), currency.code == curText else {
            throw curC.fail("expected an ISO 4217 currency code such as \"EUR\", found \"\(curText)\"")
        }
        let status = try c.field("status").oneOf(RuleStatus.self)
        let reviewed = try c.optional("last_reviewed")?.day()
        let notes = try c.optional("notes")?.strings() ?? []
        let rulesC = try c.field("rules")
        var rules: [String: Rule] = [:]
        var order: [String] = []
        try collectRules(rulesC, prefix: "", currency: currency, into: &rules, order: &order)
        let file = RuleFile(fileName: c.file, id: id, jurisdiction: jurisdiction, scopeNote: try j.optional("scope_note")?.string(),
                            periodKind: kind, periodLabel: label, start: start, end: end, currency: currency, status: status,
                            lastReviewed: reviewed, notes: notes, rules: rules, ruleOrder: order)
        try checkReferences(file)
        try requireRules(file)
        return file
    }

    /// A node under `rules` is either a rule (an object with `kind`) or a group of nodes.
    static func collectRules(_ c: Cursor, prefix: String, currency: CurrencyCode, into rules: inout [String: Rule], order: inout [String]) throws(RuleFileError) {
        let members = try c.members()
        if members.isEmpty { throw c.fail("expected a rule (an object with \"kind\") or a group of rules, found an empty object") }
        for (key, child) in members {
            let id = prefix.isEmpty ? key : prefix + "." + key
            guard case .object = child.value else {
                throw child.expected("a rule (an object with \"kind\") or a group of rules")
            }
            if child.value["kind"] != nil {
                rules[id] = try decodeRule(child, id: id, currency: currency)
                order.append(id)
            } else {
                try collectRules(child, prefix: id, currency: currency, into: &rules, order: &order)
            }
        }
    }

    static let commonKeys: Set<String> = ["kind", "title", "verification", "status", "sources", "notes", "unconfirmed", "unconfirmed_es"]

    static func decodeRule(_ c: Cursor, id: String, currency: CurrencyCode) throws(RuleFileError) -> Rule {
        let kind = try c.field("kind").oneOf(RuleKind.self)
        let title = try c.field("title").string()
        let verification = try c.field("verification").oneOf(Verification.self)
        let status = try c.optional("status")?.oneOf(RuleStatus.self)
        let sources = try c.optional("sources")?.strings() ?? []
        let notes = try c.optional("notes")?.string()
        let unconfirmed = try c.optional("unconfirmed")?.strings() ?? []
        try checkSpanishRemarks(c, count: unconfirmed.count)
        try c.onlyKeys(commonKeys.union(kindKeys[kind] ?? []))
        let body = try decodeBody(kind, c, currency: currency)
        return Rule(id: id, title: title, body: body, verification: verification, status: status,
                    sources: sources, notes: notes, unconfirmed: unconfirmed, path: c.path)
    }

    /// `unconfirmed_es`: the same remarks in Spanish, one for each English one (shown to Spanish
    /// readers in place of the English remark, see ``TaxRules/remark(_:in:)``).
    static func checkSpanishRemarks(_ c: Cursor, count: Int) throws(RuleFileError) {
        guard let es = try c.optional("unconfirmed_es") else { return }
        let n = try es.strings().count
        if n != count { throw es.fail("expected one Spanish remark for each of the \(count) in \"unconfirmed\", found \(n)") }
    }

    /// The keys each kind accepts besides the common ones (a misspelt key is an error, not ignored).
    static let kindKeys: [RuleKind: Set<String>] = [
        .brackets: ["by", "brackets", "rounding", "minimum_rule", "base"],
        .cappedRate: ["rate", "cap", "cap_per", "base", "rounding"],
        .rate: ["rate", "base"],
        .amount: ["by", "amount"],
        .stepTable: ["rows", "interval", "per", "input"],
        .allowance: ["amount", "taper", "modes"],
        .cumulativePrepayment: ["rate", "reduction_rule", "reduction_limited_to_box12", "box04_rounding", "rounding", "deadlines", "accumulation", "boxes", "deadline_roll"],
        .withholding: ["rate", "reduced_rate", "reduced_years_after_start", "base", "applies_to", "reduced_applies_to"],
        .placeOfSupply: ["rows", "inputs"],
        .periodicReturn: ["deadlines", "boxes", "annual_summary_form", "negative_result", "deadline_roll"],
        .contributionBands: ["generic_expense_rate", "generic_expense_rate_societario", "rows", "interval", "contribution_rate", "contribution_parts", "computable_income", "base_choice", "flat_rate_new_per_month", "flat_rate_new_months"],
        .seTax: ["net_earnings_factor", "minimum_net_earnings", "social_security_rate", "social_security_wage_base", "medicare_rate", "additional_medicare_rate", "additional_medicare_threshold", "deduction_share", "base"],
        .qbi: ["rate", "threshold", "phase_in_range", "minimum_deduction", "qbi_definition"],
        .safeHarbour: ["current_year_share", "prior_year_share", "high_income_prior_year_share", "high_income_prior_year_agi", "min_balance_due", "installments", "deadline_roll"],
        .paymentsOnAccount: ["share", "minimum_liability", "at_source_share", "first_due", "second_due", "balancing_due", "basis"],
        .flatWeekly: ["small_profits_threshold", "weekly_rate", "weeks", "compulsory"],
        .reportingThreshold: ["items"],
        .reportingObligation: ["phase_in", "quarterly_updates", "final_declaration_due", "qualifying_income"],
    ]

    static let filingStatusKeys = ["SINGLE", "JOINT", "SEPARATE", "HEAD_OF_HOUSEHOLD"]

    /// A value, or an object keyed by filing status with a value for every status.
    static func keyed<T>(_ c: Cursor, by: String?, _ read: (Cursor) throws(RuleFileError) -> T) throws(RuleFileError) -> Keyed<T> {
        guard let by else { return .single(try read(c)) }
        guard by == "filing_status" else { throw c.fail("expected \"by\" to be \"filing_status\", found \"\(by)\"") }
        var d: [String: T] = [:]
        for (k, v) in try c.members() {
            guard filingStatusKeys.contains(k) else {
                throw v.fail("unexpected key \"\(k)\"; expected one of \(filingStatusKeys.joined(separator: ", "))")
            }
            d[k] = try read(v)
        }
        for k in filingStatusKeys where d[k] == nil {
            throw c.fail("expected a value for \(k), found nothing")
        }
        return .byKey(key: by, d)
    }

    static func brackets(_ c: Cursor) throws(RuleFileError) -> [Bracket] {
        var out: [Bracket] = []
        let items = try c.nonEmptyItems()
        for (n, b) in items.enumerated() {
            try b.onlyKeys(["from", "to", "rate"])
            let from = try b.field("from").decimal()
            let to = try b.optional("to")?.decimal()
            let rate = try b.field("rate").rate()
            if let prev = out.last {
                guard let pto = prev.to, pto == from else {
                    throw (try b.field("from")).fail("expected \"\(prev.to?.description ?? "nothing")\" (the previous bracket's \"to\"), found \"\(from)\"")
                }
            } else if !from.isZero {
                throw (try b.field("from")).fail("expected \"0\" for the first bracket, found \"\(from)\"")
            }
            if let to, to <= from { throw (try b.field("to")).fail("expected a value above \"from\" (\(from)), found \"\(to)\"") }
            if to == nil && n != items.count - 1 { throw (try b.field("to")).fail("expected a number for every bracket but the last, found null") }
            out.append(Bracket(from: from, to: to, rate: rate))
        }
        if let top = out.last?.to { throw items[items.count - 1].fail("expected the last bracket to have \"to\": null (no top), found \"\(top)\"") }
        return out
    }

    static func deadlines(_ c: Cursor) throws(RuleFileError) -> [Deadline] {
        var out: [Deadline] = []
        for d in try c.nonEmptyItems() {
            try d.onlyKeys(["period", "window_start", "nominal_due", "due"])
            let nominal = try d.field("nominal_due").day()
            let dueC = try d.field("due")
            let due = try dueC.day()
            if due < nominal { throw dueC.fail("expected a date on or after nominal_due \(nominal), found \"\(due)\"") }
            out.append(Deadline(period: try d.field("period").string(), windowStart: try d.optional("window_start")?.day(), nominalDue: nominal, due: due))
        }
        return out
    }

    static func rounding(_ c: Cursor?) throws(RuleFileError) -> RoundingRule {
        guard let c else { return .halfUp }
        return try c.oneOf(RoundingRule.self)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    static func decodeBody(_ kind: RuleKind, _ c: Cursor, currency: CurrencyCode) throws(RuleFileError) -> RuleBody {
        switch kind {
        case .brackets:
            let by = try c.optional("by")?.string()
            let br = try keyed(try c.field("brackets"), by: by, brackets)
            let r = try c.optional("rounding")?.oneOf(BracketRounding.self) ?? .exact
            return .brackets(BracketsRule(brackets: br, rounding: r, minimumRule: try c.optional("minimum_rule")?.string()))
        case .cappedRate:
            return .cappedRate(CappedRateRule(rate: try c.field("rate").rate(), cap: try c.field("cap").decimal(),
                                               rounding: try rounding(c.optional("rounding"))))
        case .rate:
            return .rate(try c.field("rate").rate())
        case .amount:
            let by = try c.optional("by")?.string()
            return .amount(try keyed(try c.field("amount"), by: by) { (x: Cursor) throws(RuleFileError) in try x.decimal() })
        case .stepTable:
            var rows: [StepRow] = []
            for r in try c.field("rows").nonEmptyItems() {
                try r.onlyKeys(["from", "to", "value"])
                rows.append(StepRow(from: try r.optional("from")?.decimal(), to: try r.optional("to")?.decimal(), value: try r.field("value").decimal()))
            }
            let iv = try c.field("interval")
            guard try iv.string() == "from_exclusive_to_inclusive" else {
                throw iv.fail("expected \"from_exclusive_to_inclusive\", found \(iv.value.foundDescription)")
            }
            return .stepTable(StepTableRule(rows: rows))
        case .allowance:
            var a = AllowanceRule(amount: try c.field("amount").decimal())
            if let t = try c.optional("taper") {
                try t.onlyKeys(["threshold", "reduction_per_unit_over", "income"])
                a.taperThreshold = try t.field("threshold").decimal()
                a.taperReductionPerUnit = try t.field("reduction_per_unit_over").rate()
            }
            return .allowance(a)
        case .cumulativePrepayment:
            var r = CumulativePrepaymentRule(rate: try c.field("rate").rate(), reductionRule: try c.optional("reduction_rule")?.string(),
                                             box04Rounding: try rounding(c.optional("box04_rounding")), rounding: try rounding(c.optional("rounding")),
                                             deadlines: try deadlines(try c.field("deadlines")))
            r.reductionLimitedToBox12 = try c.optional("reduction_limited_to_box12")?.bool() ?? false
            if r.deadlines.count != 4 { throw (try c.field("deadlines")).fail("expected four deadlines (Q1 to Q4), found \(r.deadlines.count)") }
            return .cumulativePrepayment(r)
        case .withholding:
            return .withholding(WithholdingRule(rate: try c.field("rate").rate(), reducedRate: try c.field("reduced_rate").rate(),
                                                 reducedYearsAfterStart: try c.field("reduced_years_after_start").int()))
        case .placeOfSupply:
            var rows: [PlaceOfSupplyRow] = []
            for r in try c.field("rows").nonEmptyItems() {
                try r.onlyKeys(["client", "treatment", "rate_rule", "legend", "report", "unconfirmed", "unconfirmed_es", "notes"])
                try checkSpanishRemarks(r, count: try r.optional("unconfirmed")?.strings().count ?? 0)
                let cl = try r.field("client")
                try cl.onlyKeys(["location", "business", "valid_vat_id"])
                rows.append(PlaceOfSupplyRow(location: try cl.field("location").oneOf(SupplyLocation.self), business: try cl.optional("business")?.bool(),
                                             validVATID: try cl.optional("valid_vat_id")?.bool(), treatment: try r.field("treatment").oneOf(SupplyTreatment.self),
                                             rateRule: try r.optional("rate_rule")?.string(), legend: try r.optional("legend")?.string(),
                                             report: try r.optional("report")?.strings() ?? [], unconfirmed: try r.optional("unconfirmed")?.strings() ?? []))
                if rows.last?.treatment == .subject && rows.last?.rateRule == nil {
                    throw r.fail("expected \"rate_rule\" for a row whose treatment is \"subject\", found nothing")
                }
            }
            return .placeOfSupply(PlaceOfSupplyRule(rows: rows))
        case .periodicReturn:
            let d = try deadlines(try c.field("deadlines"))
            return .periodicReturn(PeriodicReturnRule(deadlines: d, annualSummaryForm: try c.optional("annual_summary_form")?.string()))
        case .contributionBands:
            var rows: [ContributionBand] = []
            for r in try c.field("rows").nonEmptyItems() {
                try r.onlyKeys(["table", "band", "from", "to", "base_min", "base_max"])
                let b = ContributionBand(table: try r.field("table").string(), band: try r.field("band").int(), from: try r.field("from").decimal(),
                                         to: try r.optional("to")?.decimal(), baseMin: try r.field("base_min").decimal(), baseMax: try r.field("base_max").decimal())
                if b.baseMax < b.baseMin { throw (try r.field("base_max")).fail("expected at least base_min (\(b.baseMin)), found \"\(b.baseMax)\"") }
                if let prev = rows.last, prev.to != b.from {
                    throw (try r.field("from")).fail("expected \"\(prev.to?.description ?? "nothing")\" (the previous band's \"to\"), found \"\(b.from)\"")
                }
                rows.append(b)
            }
            return .contributionBands(ContributionBandsRule(
                genericExpenseRate: try c.field("generic_expense_rate").rate(),
                genericExpenseRateSocietario: try c.field("generic_expense_rate_societario").rate(),
                rows: rows, contributionRate: try c.field("contribution_rate").rate(),
                flatRateNewPerMonth: try c.optional("flat_rate_new_per_month")?.decimal()))
        case .seTax:
            return .seTax(SETaxRule(
                netEarningsFactor: try c.field("net_earnings_factor").rate(), minimumNetEarnings: try c.field("minimum_net_earnings").decimal(),
                socialSecurityRate: try c.field("social_security_rate").rate(), wageBase: try c.field("social_security_wage_base").decimal(),
                medicareRate: try c.field("medicare_rate").rate(), additionalMedicareRate: try c.field("additional_medicare_rate").rate(),
                additionalMedicareThreshold: try keyed(try c.field("additional_medicare_threshold"), by: "filing_status") { (x: Cursor) throws(RuleFileError) in try x.decimal() },
                deductionShare: try c.field("deduction_share").rate()))
        case .qbi:
            let dec = { (x: Cursor) throws(RuleFileError) -> ExactDecimal in try x.decimal() }
            var q = QBIRule(rate: try c.field("rate").rate(), threshold: try keyed(try c.field("threshold"), by: "filing_status", dec),
                            phaseInRange: try keyed(try c.field("phase_in_range"), by: "filing_status", dec))
            if let m = try c.optional("minimum_deduction") {
                try m.onlyKeys(["min_qbi", "amount"])
                q.minimumQBI = try m.field("min_qbi").decimal()
                q.minimumDeduction = try m.field("amount").decimal()
            }
            return .qbi(q)
        case .safeHarbour:
            var inst: [Installment] = []
            for i in try c.field("installments").nonEmptyItems() {
                try i.onlyKeys(["period", "nominal_due", "due", "share"])
                inst.append(Installment(period: try i.field("period").string(), nominalDue: try i.field("nominal_due").day(),
                                        due: try i.field("due").day(), share: try i.field("share").rate()))
            }
            return .safeHarbour(SafeHarbourRule(
                currentYearShare: try c.field("current_year_share").rate(), priorYearShare: try c.field("prior_year_share").decimal(),
                highIncomePriorYearShare: try c.field("high_income_prior_year_share").decimal(),
                highIncomeAGI: try keyed(try c.field("high_income_prior_year_agi"), by: "filing_status") { (x: Cursor) throws(RuleFileError) in try x.decimal() },
                minBalanceDue: try c.field("min_balance_due").decimal(), installments: inst))
        case .paymentsOnAccount:
            return .paymentsOnAccount(PaymentsOnAccountRule(
                share: try c.field("share").rate(), minimumLiability: try c.field("minimum_liability").decimal(),
                atSourceShare: try c.field("at_source_share").rate(), firstDue: try c.field("first_due").day(),
                secondDue: try c.field("second_due").day(), balancingDue: try c.field("balancing_due").day()))
        case .flatWeekly:
            return .flatWeekly(FlatWeeklyRule(smallProfitsThreshold: try c.field("small_profits_threshold").decimal(),
                                               weeklyRate: try c.field("weekly_rate").decimal(), weeks: try c.field("weeks").int()))
        case .reportingThreshold:
            var items: [ThresholdItem] = []
            for i in try c.field("items").nonEmptyItems() {
                try i.onlyKeys(["form", "amount", "comparison", "transactions_over", "scope"])
                let cmpC = try i.field("comparison")
                guard let cmp = ThresholdItem.Comparison(rawValue: try cmpC.string()) else { throw cmpC.expected("\">=\" or \">\"") }
                items.append(ThresholdItem(form: try i.field("form").string(), amount: try i.field("amount").decimal(), comparison: cmp,
                                           transactionsOver: try i.optional("transactions_over")?.int(), scope: try i.optional("scope")?.string()))
            }
            return .reportingThreshold(ReportingThresholdRule(items: items))
        case .reportingObligation:
            var phase: [PhaseIn] = []
            for p in try c.field("phase_in").nonEmptyItems() {
                try p.onlyKeys(["from", "threshold", "measured_on"])
                phase.append(PhaseIn(from: try p.field("from").day(), threshold: try p.field("threshold").decimal(), measuredOn: try p.field("measured_on").string()))
            }
            var updates: [QuarterlyUpdate] = []
            for u in try c.optional("quarterly_updates")?.items() ?? [] {
                try u.onlyKeys(["period", "to", "due"])
                updates.append(QuarterlyUpdate(period: try u.field("period").string(), to: try u.field("to").day(), due: try u.field("due").day()))
            }
            return .reportingObligation(ReportingObligationRule(phaseIn: phase, quarterlyUpdates: updates,
                                                                 finalDeclarationDue: try c.optional("final_declaration_due")?.day()))
        }
    }

    /// Rule references (`minimum_rule`, `reduction_rule`, `rate_rule`) must name a rule of the right kind.
    static func checkReferences(_ f: RuleFile) throws(RuleFileError) {
        func check(_ ref: String, from rule: Rule, field: String, kind: RuleKind) throws(RuleFileError) {
            guard let target = f.rules[ref] else {
                throw RuleFileError(file: f.fileName, path: rule.path + "." + field, message: "expected the id of a rule in this file, found \"\(ref)\"")
            }
            guard target.body.kind == kind else {
                throw RuleFileError(file: f.fileName, path: rule.path + "." + field,
                                    message: "expected a rule of kind \"\(kind.rawValue)\", found \"\(ref)\" of kind \"\(target.body.kind.rawValue)\"")
            }
        }
        for id in f.ruleOrder {
            guard let r = f.rules[id] else { continue }
            switch r.body {
            case .brackets(let b): if let m = b.minimumRule { try check(m, from: r, field: "minimum_rule", kind: .amount) }
            case .cumulativePrepayment(let p): if let m = p.reductionRule { try check(m, from: r, field: "reduction_rule", kind: .stepTable) }
            case .placeOfSupply(let p):
                for (i, row) in p.rows.enumerated() {
                    if let rr = row.rateRule {
                        let holder = Rule(id: r.id, title: r.title, body: r.body, verification: r.verification, status: r.status, sources: r.sources,
                                          notes: r.notes, unconfirmed: r.unconfirmed, path: r.path + ".rows[\(i)]")
                        try check(rr, from: holder, field: "rate_rule", kind: .rate)
                    }
                }
            default: break
            }
        }
    }

    /// The rules each jurisdiction's computations need, with their kinds.
    public static func requiredRules(_ j: Jurisdiction) -> [(id: String, kind: RuleKind)] {
        switch j {
        case .es:
            return [("irpf.gdj", .cappedRate), ("irpf.modelo130", .cumulativePrepayment), ("irpf.withholding", .withholding),
                    ("irpf.state_scale", .brackets), ("vat.place_of_supply", .placeOfSupply), ("vat.modelo303", .periodicReturn),
                    ("ss.reta", .contributionBands)]
        case .us:
            return [("fit.brackets", .brackets), ("fit.standard_deduction", .amount), ("se_tax", .seTax), ("qbi", .qbi),
                    ("estimated_tax", .safeHarbour)]
        case .gb:
            return [("it.personal_allowance", .allowance), ("it.rates.default", .brackets), ("nic.class4", .brackets),
                    ("it.trading_allowance", .allowance), ("sa.payments_on_account", .paymentsOnAccount)]
        }
    }

    static func requireRules(_ f: RuleFile) throws(RuleFileError) {
        for (id, kind) in requiredRules(f.jurisdiction) {
            guard let r = f.rules[id] else {
                throw RuleFileError(file: f.fileName, path: "$.rules." + id, message: "expected a rule of kind \"\(kind.rawValue)\", found nothing",
                                    hint: "\(f.jurisdiction.name) rule files need: " + requiredRules(f.jurisdiction).map(\.id).joined(separator: ", "))
            }
            guard r.body.kind == kind else {
                throw RuleFileError(file: f.fileName, path: r.path + ".kind", message: "expected \"\(kind.rawValue)\", found \"\(r.body.kind.rawValue)\"")
            }
        }
    }
}
