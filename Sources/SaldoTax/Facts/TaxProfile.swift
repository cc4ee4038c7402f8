import SaldoCore

/// US filing status (the keys used in rule files).
public enum FilingStatus: String, Sendable, Codable, CaseIterable {
    case single = "SINGLE"
    case joint = "JOINT"
    case separate = "SEPARATE"
    case headOfHousehold = "HEAD_OF_HOUSEHOLD"
}

/// Spain: whether the activity is professional (IAE section 2: withholding applies) or business.
public enum ActivityClass: String, Sendable, Codable, CaseIterable {
    case profesional, empresarial
}

/// What the VAT place-of-supply rules need to know about a client.
public struct ClientTaxInfo: Sendable, Codable, Hashable {
    /// ISO 3166 alpha-2 country where the client is established.
    public var country: String
    /// A business (B2B) rather than a consumer.
    public var isBusiness: Bool
    /// Holds a VAT number valid in VIES (intra-EU reverse charge).
    public var hasValidVATID: Bool
    /// A Spanish payer that must withhold IRPF on professional invoices.
    public var withholdsIncomeTax: Bool

    enum CodingKeys: String, CodingKey {
        case country, isBusiness = "is_business", hasValidVATID = "has_valid_vat_id", withholdsIncomeTax = "withholds_income_tax"
    }

    public init(country: String, isBusiness: Bool = true, hasValidVATID: Bool = false, withholdsIncomeTax: Bool = false) {
        self.country = country.uppercased(); self.isBusiness = isBusiness
        self.hasValidVATID = hasValidVATID; self.withholdsIncomeTax = withholdsIncomeTax
    }
}

/// Last year's figures that this year's rules use.
public struct PriorYearFigures: Sendable, Codable, Hashable {
    /// Spain: previous year's net activity income (Modelo 130 box 13); 0 if there was no activity.
    public var netActivityIncome: Money?
    /// US: total tax on last year's return (income tax + SE tax + additional Medicare).
    public var totalTax: Money?
    /// US: last year's adjusted gross income (the 110% safe-harbour test).
    public var adjustedGrossIncome: Money?
    /// UK: last year's Self Assessment liability (income tax + Class 4), the basis of payments on account.
    public var selfAssessmentLiability: Money?
    /// UK: share of last year's tax collected at source (PAYE), as a fraction.
    public var shareCollectedAtSource: ExactDecimal?
    /// UK: payments on account already made towards this tax year.
    public var paymentsOnAccountMade: Money?
    /// UK MTD: gross qualifying income (turnover + property) by tax year label, `2024-25`.
    public var qualifyingIncome: [String: Money]
    /// Spain: IVA credit ("a compensar") carried into the first quarter.
    public var vatCreditBroughtForward: Money?

    public init(netActivityIncome: Money? = nil, totalTax: Money? = nil, adjustedGrossIncome: Money? = nil,
                selfAssessmentLiability: Money? = nil, shareCollectedAtSource: ExactDecimal? = nil,
                paymentsOnAccountMade: Money? = nil, qualifyingIncome: [String: Money] = [:], vatCreditBroughtForward: Money? = nil) {
        self.netActivityIncome = netActivityIncome; self.totalTax = totalTax; self.adjustedGrossIncome = adjustedGrossIncome
        self.selfAssessmentLiability = selfAssessmentLiability; self.shareCollectedAtSource = shareCollectedAtSource
        self.paymentsOnAccountMade = paymentsOnAccountMade; self.qualifyingIncome = qualifyingIncome
        self.vatCreditBroughtForward = vatCreditBroughtForward
    }
}

/// Money in JSON as `"1234.50 EUR"` (the form Saldo prints). Kept here until `Money` is `Codable` in SaldoCore.
struct MoneyText: Codable, Hashable, Sendable {
    var money: Money
    init(_ m: Money) { money = m }
    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { money = try Money(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected an amount such as \"1234.50 EUR\", found \"\(text)\""))
        }
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(money.description)
    }
}

extension PriorYearFigures {
    enum CodingKeys: String, CodingKey {
        case netActivityIncome = "net_activity_income", totalTax = "total_tax", adjustedGrossIncome = "adjusted_gross_income"
        case selfAssessmentLiability = "self_assessment_liability", shareCollectedAtSource = "share_collected_at_source"
        case paymentsOnAccountMade = "payments_on_account_made", qualifyingIncome = "qualifying_income"
        case vatCreditBroughtForward = "vat_credit_brought_forward"
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func m(_ k: CodingKeys) throws -> Money? { try c.decodeIfPresent(MoneyText.self, forKey: k)?.money }
        self.init(netActivityIncome: try m(.netActivityIncome), totalTax: try m(.totalTax), adjustedGrossIncome: try m(.adjustedGrossIncome),
                  selfAssessmentLiability: try m(.selfAssessmentLiability),
                  shareCollectedAtSource: try c.decodeIfPresent(ExactDecimal.self, forKey: .shareCollectedAtSource),
                  paymentsOnAccountMade: try m(.paymentsOnAccountMade),
                  qualifyingIncome: (try c.decodeIfPresent([String: MoneyText].self, forKey: .qualifyingIncome) ?? [:]).mapValues(\.money),
                  vatCreditBroughtForward: try m(.vatCreditBroughtForward))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(netActivityIncome.map(MoneyText.init), forKey: .netActivityIncome)
        try c.encodeIfPresent(totalTax.map(MoneyText.init), forKey: .totalTax)
        try c.encodeIfPresent(adjustedGrossIncome.map(MoneyText.init), forKey: .adjustedGrossIncome)
        try c.encodeIfPresent(selfAssessmentLiability.map(MoneyText.init), forKey: .selfAssessmentLiability)
        try c.encodeIfPresent(shareCollectedAtSource, forKey: .shareCollectedAtSource)
        try c.encodeIfPresent(paymentsOnAccountMade.map(MoneyText.init), forKey: .paymentsOnAccountMade)
        if !qualifyingIncome.isEmpty { try c.encode(qualifyingIncome.mapValues(MoneyText.init), forKey: .qualifyingIncome) }
        try c.encodeIfPresent(vatCreditBroughtForward.map(MoneyText.init), forKey: .vatCreditBroughtForward)
    }
}

/// The taxpayer's facts that the rules need, set once (`saldo config`) and overridable per command.
public struct TaxProfile: Sendable, Codable, Hashable {
    public var jurisdiction: Jurisdiction
    /// ISO 3166-2 region: `ES-MD` (selects the Spanish regional scale), `GB-SCT` (Scottish rates).
    public var region: String?
    /// First day of the activity.
    public var activityStart: Day?
    public var filingStatus: FilingStatus
    public var priorYear: PriorYearFigures
    /// Spain: new professional entitled to the 7% withholding (start year and two more, no professional
    /// activity in the year before the start, communicated to the payers).
    public var newFreelancer: Bool
    public var activityClass: ActivityClass
    /// Spain: a "societario" autónomo (3% generic expense for the RETA band instead of 7%).
    public var societario: Bool
    /// US: the activity is a specified service trade or business (QBI phases out fully above the threshold).
    public var specifiedServiceBusiness: Bool
    /// Spain: exempt from Modelo 130 (70% of last year's professional income had withholding).
    public var exemptFromModelo130: Bool
    /// Clients and platforms by name (matched case-insensitively against a transaction's client,
    /// platform or payee, and an invoice's buyer name or tax id).
    public var clients: [String: ClientTaxInfo]
    /// Used for income whose client is unknown; nil leaves such income unclassified for VAT.
    public var defaultClient: ClientTaxInfo?
    /// Expense accounts that are not deductible (their sub-accounts too).
    public var nonDeductibleAccounts: [String]
    /// Expense account(s) holding social security contributions (Spain: the cuota de autónomos).
    public var socialSecurityAccounts: [String]

    public init(jurisdiction: Jurisdiction, region: String? = nil, activityStart: Day? = nil, filingStatus: FilingStatus = .single,
                priorYear: PriorYearFigures = PriorYearFigures(), newFreelancer: Bool = false, activityClass: ActivityClass = .profesional,
                societario: Bool = false, specifiedServiceBusiness: Bool = false, exemptFromModelo130: Bool = false,
                clients: [String: ClientTaxInfo] = [:], defaultClient: ClientTaxInfo? = nil,
                nonDeductibleAccounts: [String] = TaxProfile.defaultNonDeductible,
                socialSecurityAccounts: [String] = ["expenses:social-security"]) {
        self.jurisdiction = jurisdiction; self.region = region; self.activityStart = activityStart
        self.filingStatus = filingStatus; self.priorYear = priorYear; self.newFreelancer = newFreelancer
        self.activityClass = activityClass; self.societario = societario; self.specifiedServiceBusiness = specifiedServiceBusiness
        self.exemptFromModelo130 = exemptFromModelo130; self.clients = clients; self.defaultClient = defaultClient
        self.nonDeductibleAccounts = nonDeductibleAccounts; self.socialSecurityAccounts = socialSecurityAccounts
    }

    enum CodingKeys: String, CodingKey {
        case jurisdiction, region, activityStart = "activity_start", filingStatus = "filing_status", priorYear = "prior_year"
        case newFreelancer = "new_freelancer", activityClass = "activity_class", societario
        case specifiedServiceBusiness = "specified_service_business", exemptFromModelo130 = "exempt_from_modelo130"
        case clients, defaultClient = "default_client", nonDeductibleAccounts = "non_deductible_accounts"
        case socialSecurityAccounts = "social_security_accounts"
    }

    /// Keys a profile of `jurisdiction` must state, besides `jurisdiction`: only those of its own rules
    /// where no default is safe (the US filing status picks the brackets; Spain's `new_freelancer` picks
    /// the expected withholding rate). Every other key has the default of `init`, and keys of other
    /// jurisdictions are never required.
    public static func requiredKeys(for jurisdiction: Jurisdiction) -> [String] {
        switch jurisdiction {
        case .es: return [CodingKeys.newFreelancer.rawValue]
        case .us: return [CodingKeys.filingStatus.rawValue]
        case .gb: return []
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let j = try c.decode(Jurisdiction.self, forKey: .jurisdiction)
        for k in TaxProfile.requiredKeys(for: j) where !c.contains(CodingKeys(rawValue: k)!) {
            throw DecodingError.keyNotFound(CodingKeys(rawValue: k)!, .init(codingPath: c.codingPath,
                debugDescription: "a \(j.rawValue) profile needs \"\(k)\""))
        }
        let d = TaxProfile(jurisdiction: j)
        self.init(jurisdiction: j,
                  region: try c.decodeIfPresent(String.self, forKey: .region),
                  activityStart: try c.decodeIfPresent(Day.self, forKey: .activityStart),
                  filingStatus: try c.decodeIfPresent(FilingStatus.self, forKey: .filingStatus) ?? d.filingStatus,
                  priorYear: try c.decodeIfPresent(PriorYearFigures.self, forKey: .priorYear) ?? d.priorYear,
                  newFreelancer: try c.decodeIfPresent(Bool.self, forKey: .newFreelancer) ?? d.newFreelancer,
                  activityClass: try c.decodeIfPresent(ActivityClass.self, forKey: .activityClass) ?? d.activityClass,
                  societario: try c.decodeIfPresent(Bool.self, forKey: .societario) ?? d.societario,
                  specifiedServiceBusiness: try c.decodeIfPresent(Bool.self, forKey: .specifiedServiceBusiness) ?? d.specifiedServiceBusiness,
                  exemptFromModelo130: try c.decodeIfPresent(Bool.self, forKey: .exemptFromModelo130) ?? d.exemptFromModelo130,
                  clients: try c.decodeIfPresent([String: ClientTaxInfo].self, forKey: .clients) ?? d.clients,
                  defaultClient: try c.decodeIfPresent(ClientTaxInfo.self, forKey: .defaultClient),
                  nonDeductibleAccounts: try c.decodeIfPresent([String].self, forKey: .nonDeductibleAccounts) ?? d.nonDeductibleAccounts,
                  socialSecurityAccounts: try c.decodeIfPresent([String].self, forKey: .socialSecurityAccounts) ?? d.socialSecurityAccounts)
    }

    /// Income tax paid, VAT settled and private spending are not business expenses.
    public static let defaultNonDeductible = ["expenses:personal", "expenses:tax:income", "expenses:tax:vat"]

    /// The client facts for a name, if the profile knows it.
    public func client(named name: String?) -> ClientTaxInfo? {
        guard let n = name?.lowercased(), !n.isEmpty else { return nil }
        if let c = clients.first(where: { $0.key.lowercased() == n })?.value { return c }
        return nil
    }
}

/// EU member states (ISO 3166 alpha-2; Greece is `GR` in ISO, `EL` in VAT numbers: both accepted).
public enum EU {
    public static let members: Set<String> = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE",
                                              "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]
}
