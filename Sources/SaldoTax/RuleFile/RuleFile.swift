import SaldoCore

/// The tax jurisdictions Saldo knows how to compute.
public enum Jurisdiction: String, Sendable, Codable, CaseIterable {
    case es, us, gb

    /// Accepts `es`, `us`, `gb` and `uk`, in any case.
    public init?(parsing text: String) {
        let t = text.lowercased()
        if t == "uk" { self = .gb; return }
        self.init(rawValue: t)
    }
    public var countryCode: String { rawValue.uppercased() }
    public var name: String {
        switch self {
        case .es: return "Spain"
        case .us: return "United States"
        case .gb: return "United Kingdom"
        }
    }
}

/// How well a figure was checked when the rule file was written.
public enum Verification: String, Sendable, Codable, CaseIterable {
    /// Read on an official site or in the statute.
    case official
    /// Official text quoted by a third party.
    case officialViaSecondary = "official_via_secondary"
    /// From a maintained open-source parameter set (PolicyEngine, OCA) that cites the official source.
    case openSourceModel = "open_source_model"
    /// Accountancy firm, professional body or press.
    case secondary
    /// Not verified.
    case unconfirmed

    /// Confirmed from an official source (directly or quoted verbatim).
    public var isConfirmed: Bool { self == .official || self == .officialViaSecondary }
}

/// The legal state of a file or a rule.
public enum RuleStatus: String, Sendable, Codable, CaseIterable {
    case enacted, announced, provisional, projected
}

public enum PeriodKind: String, Sendable, Codable, CaseIterable {
    case calendarYear = "calendar_year"
    case ukTaxYear = "uk_tax_year"
    case fiscalYear = "fiscal_year"
}

/// One parsed, validated rule file: one jurisdiction, one tax period.
public struct RuleFile: Sendable {
    public var fileName: String
    public var id: String
    public var jurisdiction: Jurisdiction
    public var scopeNote: String?
    public var periodKind: PeriodKind
    public var periodLabel: String
    /// First and last day of the tax period (both included).
    public var start: Day
    public var end: Day
    public var currency: CurrencyCode
    public var status: RuleStatus
    public var lastReviewed: Day?
    public var notes: [String]
    /// Rules by id (`irpf.modelo130`), in file order in `ruleOrder`.
    public var rules: [String: Rule]
    public var ruleOrder: [String]

    /// The tax period as a `Period` (end exclusive).
    public var period: Period { Period(start: start, end: end.adding(days: 1), label: periodLabel) }

    /// The rule with this id, or an error naming the file and the path where it was expected.
    public func rule(_ id: String) throws(RuleFileError) -> Rule {
        guard let r = rules[id] else {
            throw RuleFileError(file: fileName, path: "$.rules." + id,
                                message: "expected a rule \"\(id)\", found nothing",
                                hint: "the \(jurisdiction.name) computations need this rule; see docs/tax.md for the required rules")
        }
        return r
    }
}

/// One rule: what it is (`body`, one of a closed set of kinds), and where its figures come from.
public struct Rule: Sendable {
    public var id: String
    public var title: String
    public var body: RuleBody
    public var verification: Verification
    /// Overrides the file's status when set.
    public var status: RuleStatus?
    public var sources: [String]
    public var notes: String?
    /// Specific points of this rule that are not confirmed (shown with any result that uses it).
    public var unconfirmed: [String]
    /// The path of the rule inside its file.
    public var path: String
}

/// A value that is either the same for every taxpayer or depends on a key such as filing status.
public enum Keyed<Value: Sendable>: Sendable {
    case single(Value)
    case byKey(key: String, [String: Value])

    public func value(for key: String) -> Value? {
        switch self {
        case .single(let v): return v
        case .byKey(_, let d): return d[key]
        }
    }
}

/// A bracket of a marginal scale: the part of the base above `from` and up to `to` (nil: no top)
/// is taxed at `rate`.
public struct Bracket: Sendable, Hashable {
    public var from: ExactDecimal
    public var to: ExactDecimal?
    public var rate: ExactDecimal
}

public enum BracketRounding: String, Sendable, CaseIterable {
    /// Exact sum of every slice, rounded once half-up to the cent.
    case exact
    /// Each completed bracket rounded to cents first, as the Spanish legal tables publish the
    /// cumulative tax at each bracket start.
    case cumulativeTableCents = "cumulative_table_cents"
}

public struct BracketsRule: Sendable {
    public var brackets: Keyed<[Bracket]>
    public var rounding: BracketRounding
    /// A rule of kind `amount` taxed on the same scale and subtracted (Spain: mínimo personal).
    public var minimumRule: String?
}

public struct CappedRateRule: Sendable {
    public var rate: ExactDecimal
    public var cap: ExactDecimal
    public var rounding: RoundingRule
}

public struct StepRow: Sendable, Hashable {
    public var from: ExactDecimal?
    public var to: ExactDecimal?
    public var value: ExactDecimal
}

public struct StepTableRule: Sendable {
    /// Lower bound exclusive, upper bound inclusive.
    public var rows: [StepRow]
    public func value(at x: ExactDecimal) -> ExactDecimal? {
        rows.first { ($0.from.map { x > $0 } ?? true) && ($0.to.map { x <= $0 } ?? true) }?.value
    }
}

public struct AllowanceRule: Sendable {
    public var amount: ExactDecimal
    /// Reduced by `reductionPerUnitOver` for each unit of income above `threshold`.
    public var taperThreshold: ExactDecimal?
    public var taperReductionPerUnit: ExactDecimal?
}

/// A filing deadline of a quarterly or annual return.
public struct Deadline: Sendable, Hashable, Codable {
    /// `Q1`…`Q4`, or a name.
    public var period: String
    public var windowStart: Day?
    /// The date in the law.
    public var nominalDue: Day
    /// After the weekend and national-holiday roll (regional holidays may move it further).
    public var due: Day
}

public struct CumulativePrepaymentRule: Sendable {
    public var rate: ExactDecimal
    /// The step table (by prior-year net income) of the per-quarter reduction.
    public var reductionRule: String?
    /// Box 13 limited to box 12 (one reading of the AEAT form, unconfirmed); default false.
    public var reductionLimitedToBox12: Bool = false
    /// How box 04 is rounded to cents.
    public var box04Rounding: RoundingRule
    /// How other computed boxes are rounded to cents.
    public var rounding: RoundingRule
    public var deadlines: [Deadline]
}

public struct WithholdingRule: Sendable {
    public var rate: ExactDecimal
    public var reducedRate: ExactDecimal
    /// The reduced rate applies in the start year and this many following years.
    public var reducedYearsAfterStart: Int
}

public enum SupplyLocation: String, Sendable, Codable, CaseIterable {
    case domestic, eu, nonEU = "non_eu", any
}

public enum SupplyTreatment: String, Sendable, Codable, CaseIterable {
    /// Taxed at home: output VAT charged.
    case subject
    /// Not subject at home; the business customer self-accounts (intra-EU reverse charge).
    case reverseCharge = "reverse_charge"
    /// Not subject because the service is supplied outside the territory.
    case notSubject = "not_subject"
    /// Not modelled (consumers): needs review.
    case review
}

public struct PlaceOfSupplyRow: Sendable {
    public var location: SupplyLocation
    public var business: Bool?
    public var validVATID: Bool?
    public var treatment: SupplyTreatment
    public var rateRule: String?
    public var legend: String?
    public var report: [String]
    public var unconfirmed: [String]
}

public struct PlaceOfSupplyRule: Sendable {
    public var rows: [PlaceOfSupplyRow]
}

public struct PeriodicReturnRule: Sendable {
    public var deadlines: [Deadline]
    public var annualSummaryForm: String?
}

public struct ContributionBand: Sendable, Hashable {
    public var table: String
    public var band: Int
    public var from: ExactDecimal
    public var to: ExactDecimal?
    public var baseMin: ExactDecimal
    public var baseMax: ExactDecimal
}

public struct ContributionBandsRule: Sendable {
    public var genericExpenseRate: ExactDecimal
    public var genericExpenseRateSocietario: ExactDecimal
    public var rows: [ContributionBand]
    public var contributionRate: ExactDecimal
    public var flatRateNewPerMonth: ExactDecimal?
}

public struct SETaxRule: Sendable {
    public var netEarningsFactor: ExactDecimal
    public var minimumNetEarnings: ExactDecimal
    public var socialSecurityRate: ExactDecimal
    public var wageBase: ExactDecimal
    public var medicareRate: ExactDecimal
    public var additionalMedicareRate: ExactDecimal
    public var additionalMedicareThreshold: Keyed<ExactDecimal>
    public var deductionShare: ExactDecimal
}

public struct QBIRule: Sendable {
    public var rate: ExactDecimal
    public var threshold: Keyed<ExactDecimal>
    public var phaseInRange: Keyed<ExactDecimal>
    public var minimumQBI: ExactDecimal?
    public var minimumDeduction: ExactDecimal?
}

public struct Installment: Sendable, Hashable {
    public var period: String
    public var nominalDue: Day
    public var due: Day
    public var share: ExactDecimal
}

public struct SafeHarbourRule: Sendable {
    public var currentYearShare: ExactDecimal
    public var priorYearShare: ExactDecimal
    public var highIncomePriorYearShare: ExactDecimal
    public var highIncomeAGI: Keyed<ExactDecimal>
    public var minBalanceDue: ExactDecimal
    public var installments: [Installment]
}

public struct PaymentsOnAccountRule: Sendable {
    public var share: ExactDecimal
    public var minimumLiability: ExactDecimal
    public var atSourceShare: ExactDecimal
    /// This tax year's payments on account and its balancing payment.
    public var firstDue: Day
    public var secondDue: Day
    public var balancingDue: Day

    public init(share: ExactDecimal, minimumLiability: ExactDecimal, atSourceShare: ExactDecimal, firstDue: Day, secondDue: Day, balancingDue: Day) {
        self.share = share; self.minimumLiability = minimumLiability; self.atSourceShare = atSourceShare
        self.firstDue = firstDue; self.secondDue = secondDue; self.balancingDue = balancingDue
    }
}

public struct FlatWeeklyRule: Sendable {
    public var smallProfitsThreshold: ExactDecimal
    public var weeklyRate: ExactDecimal
    public var weeks: Int
}

public struct ThresholdItem: Sendable {
    public enum Comparison: String, Sendable, CaseIterable { case atLeast = ">=", over = ">" }
    public var form: String
    public var amount: ExactDecimal
    public var comparison: Comparison
    public var transactionsOver: Int?
    public var scope: String?
}

public struct ReportingThresholdRule: Sendable {
    public var items: [ThresholdItem]
}

public struct PhaseIn: Sendable, Hashable {
    public var from: Day
    public var threshold: ExactDecimal
    /// The tax year whose return is measured, `2024-25`.
    public var measuredOn: String
}

public struct QuarterlyUpdate: Sendable, Hashable {
    public var period: String
    public var to: Day
    public var due: Day
}

public struct ReportingObligationRule: Sendable {
    public var phaseIn: [PhaseIn]
    public var quarterlyUpdates: [QuarterlyUpdate]
    public var finalDeclarationDue: Day?
}

/// The closed set of rule kinds. Each is implemented once in the engine; an unknown kind in a file
/// is refused when the file is loaded.
public enum RuleBody: Sendable {
    case brackets(BracketsRule)
    case cappedRate(CappedRateRule)
    case rate(ExactDecimal)
    case amount(Keyed<ExactDecimal>)
    case stepTable(StepTableRule)
    case allowance(AllowanceRule)
    case cumulativePrepayment(CumulativePrepaymentRule)
    case withholding(WithholdingRule)
    case placeOfSupply(PlaceOfSupplyRule)
    case periodicReturn(PeriodicReturnRule)
    case contributionBands(ContributionBandsRule)
    case seTax(SETaxRule)
    case qbi(QBIRule)
    case safeHarbour(SafeHarbourRule)
    case paymentsOnAccount(PaymentsOnAccountRule)
    case flatWeekly(FlatWeeklyRule)
    case reportingThreshold(ReportingThresholdRule)
    case reportingObligation(ReportingObligationRule)

    public var kind: RuleKind {
        switch self {
        case .brackets: return .brackets
        case .cappedRate: return .cappedRate
        case .rate: return .rate
        case .amount: return .amount
        case .stepTable: return .stepTable
        case .allowance: return .allowance
        case .cumulativePrepayment: return .cumulativePrepayment
        case .withholding: return .withholding
        case .placeOfSupply: return .placeOfSupply
        case .periodicReturn: return .periodicReturn
        case .contributionBands: return .contributionBands
        case .seTax: return .seTax
        case .qbi: return .qbi
        case .safeHarbour: return .safeHarbour
        case .paymentsOnAccount: return .paymentsOnAccount
        case .flatWeekly: return .flatWeekly
        case .reportingThreshold: return .reportingThreshold
        case .reportingObligation: return .reportingObligation
        }
    }
}

public enum RuleKind: String, Sendable, CaseIterable {
    case brackets
    case cappedRate = "capped_rate"
    case rate
    case amount
    case stepTable = "step_table"
    case allowance
    case cumulativePrepayment = "cumulative_prepayment"
    case withholding
    case placeOfSupply = "place_of_supply"
    case periodicReturn = "periodic_return"
    case contributionBands = "contribution_bands"
    case seTax = "se_tax"
    case qbi
    case safeHarbour = "safe_harbour"
    case paymentsOnAccount = "payments_on_account"
    case flatWeekly = "flat_weekly"
    case reportingThreshold = "reporting_threshold"
    case reportingObligation = "reporting_obligation"
}
