import SaldoCore

/// What a dated amount is for tax purposes.
public enum FactCategory: String, Sendable, Codable, CaseIterable {
    /// Activity income (positive), or a refund of it (negative).
    case income
    /// A deductible expense, fees included.
    case expense
    /// Income tax withheld by a client (IRPF/ISR retención).
    case withholding
    /// Output VAT charged to clients.
    case vatCharged = "vat_charged"
    /// Input VAT borne on expenses.
    case vatBorne = "vat_borne"
}

extension FactCategory {
    /// The category's place in the alphabetical order of the raw values (facts sort by it; a
    /// switch, not a table: the sort asks for it twice per comparison). `FactCategoryTests` checks
    /// it against the raw values.
    var nameOrder: Int {
        switch self {
        case .expense: return 0
        case .income: return 1
        case .vatBorne: return 2
        case .vatCharged: return 3
        case .withholding: return 4
        }
    }
}

/// One amount in the tax currency, with the facts the rules need.
public struct TaxFact: Sendable, Hashable {
    public var date: Day
    public var category: FactCategory
    /// In the tax currency, converted at `date` when it was in another currency.
    public var amount: Money
    /// Before conversion.
    public var original: Money
    /// For income: how VAT treats it, from the place-of-supply table (nil: client unknown, or no VAT rules).
    public var treatment: SupplyTreatment?
    public var client: String?
    public var clientCountry: String?
    /// For expenses: the transaction also carries input VAT (Modelo 303 box 28 base).
    public var withInputVAT: Bool
    /// For expenses: a social security contribution (Spain: cuota de autónomos).
    public var socialSecurity: Bool
    /// For income: income tax was withheld on it (Spain: the 70% test for Modelo 130).
    public var withheldAtSource: Bool
    public var invoiceNumber: String?
    public var description: String

    public init(date: Day, category: FactCategory, amount: Money, original: Money? = nil, treatment: SupplyTreatment? = nil,
                client: String? = nil, clientCountry: String? = nil, withInputVAT: Bool = false, socialSecurity: Bool = false,
                withheldAtSource: Bool = false, invoiceNumber: String? = nil, description: String = "") {
        self.date = date; self.category = category; self.amount = amount; self.original = original ?? amount
        self.treatment = treatment; self.client = client; self.clientCountry = clientCountry; self.withInputVAT = withInputVAT
        self.socialSecurity = socialSecurity; self.withheldAtSource = withheldAtSource
        self.invoiceNumber = invoiceNumber; self.description = description
    }
}

/// The ledger's tax-relevant amounts for one tax period, in the tax currency.
public struct TaxFacts: Sendable {
    public var currency: CurrencyCode
    /// The tax year (UK: 6 April to 5 April).
    public var period: Period
    public var facts: [TaxFact]
    /// Postings that could not be used (a failed conversion…), said plainly.
    public var problems: [Diagnostic]
    public var notes: [String]
    /// Some amounts were converted from another currency.
    public var converted: Bool

    public init(currency: CurrencyCode, period: Period, facts: [TaxFact] = [], problems: [Diagnostic] = [], notes: [String] = [], converted: Bool = false) {
        self.currency = currency; self.period = period; self.facts = facts; self.problems = problems; self.notes = notes; self.converted = converted
    }

    public func sum(_ category: FactCategory, in p: Period? = nil, where filter: (TaxFact) -> Bool = { _ in true }) -> Money {
        var total = Money.zero(currency)
        // By index, not `for f in facts`: copying each fact (retaining and releasing its strings)
        // cost more than the sum itself over a year of a large ledger, and returns sum many times.
        facts.withUnsafeBufferPointer { buf in
            for i in buf.indices where buf[i].category == category && (p?.contains(buf[i].date) ?? true) && filter(buf[i]) {
                total += buf[i].amount
            }
        }
        return total
    }

    public func income(in p: Period? = nil) -> Money { sum(.income, in: p) }
    public func expenses(in p: Period? = nil) -> Money { sum(.expense, in: p) }
    public func withheld(in p: Period? = nil) -> Money { sum(.withholding, in: p) }
    public func income(_ t: SupplyTreatment?, in p: Period? = nil) -> Money { sum(.income, in: p) { $0.treatment == t } }
    public func net(in p: Period? = nil) -> Money { income(in: p) - expenses(in: p) }

    /// Income of each month of the period (months with no income are absent).
    public func monthlyIncome() -> [YearMonth: Money] {
        var out: [YearMonth: Money] = [:]
        for f in facts where f.category == .income { out[f.date.yearMonth, default: .zero(currency)] += f.amount }
        return out
    }
    public func monthlyNet() -> [YearMonth: Money] {
        var out: [YearMonth: Money] = [:]
        for f in facts where f.category == .income || f.category == .expense {
            out[f.date.yearMonth, default: .zero(currency)] += f.category == .income ? f.amount : -f.amount
        }
        return out
    }
}

/// Turns ledger transactions and e-invoices into ``TaxFacts`` for one rule file's tax period.
///
/// - income: `income:*` postings (credits are income; debits, such as refunds, reduce it);
/// - expenses: `expenses:*` postings, fees included, except the profile's non-deductible accounts;
/// - withholding: `assets:tax:withheld` postings, or an invoice's withholding when its transaction has none;
/// - VAT: `liabilities:tax:vat-output` (charged) and `assets:tax:vat-input` (borne) postings;
/// - an invoice that is not in the ledger (no transaction with its dedup key or number) counts by itself.
///
/// Amounts in another currency go through `convert` at the transaction's date (the caller uses ECB rates).
public struct TaxFactsBuilder: Sendable {
    public var profile: TaxProfile
    public var rules: RuleFile
    public var convert: @Sendable (Money, Day) throws -> Money

    public init(profile: TaxProfile, rules: RuleFile, convert: @escaping @Sendable (Money, Day) throws -> Money) {
        self.profile = profile; self.rules = rules; self.convert = convert
    }

    static let withheldAccount = "assets:tax:withheld"
    static let vatOutputAccount = "liabilities:tax:vat-output"
    static let vatInputAccount = "assets:tax:vat-input"

    static func isUnder(_ a: Account, _ path: String) -> Bool { a.path == path || a.path.hasPrefix(path + ":") }

    /// The accounts whose postings make facts (each with every account under it), for a store that
    /// sums them: the query's `accounts`.
    public static let factAccounts = [Account.Root.income.rawValue, Account.Root.expenses.rawValue, withheldAccount, vatOutputAccount, vatInputAccount]
    /// What a fact needs to know of the other postings of its transaction, in this order: the
    /// query's `markers` (``PostingSum/markers``).
    public static let markerAccounts = [vatInputAccount, withheldAccount]

    /// `booked`: the invoices some ledger transaction carries, when `transactions` is only part of
    /// the ledger (the tax years asked for); nil: decided from `transactions`.
    /// `sums`: the other postings, summed by the store over ``factAccounts`` with ``markerAccounts``
    /// as markers (transactions that carry an invoice's dedup key or number come whole in
    /// `transactions`): they make the same facts as their transactions, summed.
    public func build(transactions: [Transaction], invoices: [Invoice], booked: BookedInvoiceReferences? = nil, sums: [PostingSum] = []) -> TaxFacts {
        let currency = rules.currency
        var out = TaxFacts(currency: currency, period: rules.period)
        var unknownClients: Set<String> = []
        var conversions = 0

        func toTax(_ m: Money, _ d: Day, _ what: String, _ loc: SourceLocation?) -> Money? {
            if m.currency == currency { return m }
            do {
                let c = try convert(m, d)
                guard c.currency == currency else {
                    out.problems.append(.error("tax.conversion", "\(what) on \(d): converting \(m) gave \(c), expected an amount in \(currency.code)", at: loc))
                    return nil
                }
                conversions += 1
                return c
            } catch {
                // The conversion error's own hint is replaced by this one: one hint per problem.
                let reason = "\(error)".components(separatedBy: "\n  hint:").first ?? "\(error)"
                out.problems.append(.error("tax.conversion", "\(what) on \(d): cannot convert \(m) to \(currency.code): \(reason)", at: loc,
                                           hint: "add exchange rates that cover this date; the amount is left out of the estimate"))
                return nil
            }
        }

        // Invoices that are in the ledger, by dedup key and by number.
        let txKeys = booked?.dedupKeys ?? Set(transactions.compactMap(\.dedupKey))
        let txIDs = booked?.numbers ?? Set(transactions.compactMap(\.externalID))
        var invoiceByKey: [String: Invoice] = [:]
        var invoiceByNumber: [String: Invoice] = [:]
        for inv in invoices {
            invoiceByKey[inv.dedupKey] = inv
            invoiceByNumber[inv.number] = inv
        }

        func clientInfo(tx: Transaction?, invoice: Invoice?) -> (ClientTaxInfo?, String?) {
            clientInfo(client: tx?.client, platform: tx?.platform, payee: tx?.payee, invoice: invoice)
        }
        func clientInfo(client: String?, platform: String?, payee: String?, invoice: Invoice?) -> (ClientTaxInfo?, String?) {
            for name in [client, platform, payee, invoice?.buyer.name, invoice?.buyer.taxID] {
                if let c = profile.client(named: name) { return (c, name) }
            }
            if let inv = invoice, inv.direction == .issued, let country = inv.buyer.country, !country.isEmpty {
                let hasID = !(inv.buyer.taxID ?? "").isEmpty
                return (ClientTaxInfo(country: country, isBusiness: hasID, hasValidVATID: hasID && EU.members.contains(country.uppercased())), inv.buyer.name)
            }
            if let d = profile.defaultClient { return (d, client ?? platform ?? invoice?.buyer.name) }
            return (nil, client ?? platform ?? payee ?? invoice?.buyer.name)
        }

        func treatment(_ c: ClientTaxInfo?, name: String?) -> SupplyTreatment? {
            guard let c else {
                if rules.jurisdiction == .es { unknownClients.insert(name ?? "(no client)") }
                return nil
            }
            return VATPlaceOfSupply.row(for: c, in: rules)?.treatment
        }

        for tx in transactions where out.period.contains(tx.date) {
            let invoice = tx.dedupKey.flatMap { invoiceByKey[$0] } ?? tx.externalID.flatMap { invoiceByNumber[$0] }
            let (client, clientName) = clientInfo(tx: tx, invoice: invoice)
            let hasInputVAT = tx.postings.contains { Self.isUnder($0.account, Self.vatInputAccount) }
            let withheldHere = tx.postings.contains { Self.isUnder($0.account, Self.withheldAccount) } || invoice?.withholding.isZero == false
            var hasWithheld = false
            for p in tx.postings {
                let a = p.account
                if a.root == .income {
                    guard let v = toTax(p.amount, tx.date, "income \"\(tx.description)\"", tx.source) else { continue }
                    out.facts.append(TaxFact(date: tx.date, category: .income, amount: -v, original: -p.amount, treatment: treatment(client, name: clientName),
                                             client: clientName, clientCountry: client?.country, withheldAtSource: withheldHere,
                                             invoiceNumber: invoice?.number, description: tx.description))
                } else if a.root == .expenses {
                    if profile.nonDeductibleAccounts.contains(where: { Self.isUnder(a, $0) }) { continue }
                    guard let v = toTax(p.amount, tx.date, "expense \"\(tx.description)\"", tx.source) else { continue }
                    let ss = profile.socialSecurityAccounts.contains { Self.isUnder(a, $0) }
                    out.facts.append(TaxFact(date: tx.date, category: .expense, amount: v, original: p.amount, withInputVAT: hasInputVAT,
                                             socialSecurity: ss, invoiceNumber: invoice?.number, description: tx.description))
                } else if Self.isUnder(a, Self.withheldAccount) {
                    hasWithheld = true
                    guard let v = toTax(p.amount, tx.date, "withholding \"\(tx.description)\"", tx.source) else { continue }
                    out.facts.append(TaxFact(date: tx.date, category: .withholding, amount: v, original: p.amount, client: clientName,
                                             invoiceNumber: invoice?.number, description: tx.description))
                } else if Self.isUnder(a, Self.vatOutputAccount) {
                    guard let v = toTax(p.amount, tx.date, "output VAT \"\(tx.description)\"", tx.source) else { continue }
                    out.facts.append(TaxFact(date: tx.date, category: .vatCharged, amount: -v, original: -p.amount, client: clientName,
                                             invoiceNumber: invoice?.number, description: tx.description))
                } else if Self.isUnder(a, Self.vatInputAccount) {
                    guard let v = toTax(p.amount, tx.date, "input VAT \"\(tx.description)\"", tx.source) else { continue }
                    out.facts.append(TaxFact(date: tx.date, category: .vatBorne, amount: v, original: p.amount, description: tx.description))
                }
            }
            // An invoice booked without its withholding posting still tells what was withheld.
            if let inv = invoice, !hasWithheld, inv.direction == .issued, !inv.withholding.isZero,
               let v = toTax(inv.withholding, tx.date, "withholding on invoice \(inv.number)", inv.source) {
                out.facts.append(TaxFact(date: tx.date, category: .withholding, amount: v, original: inv.withholding, client: clientName,
                                         invoiceNumber: inv.number, description: "withholding on invoice \(inv.number)"))
            }
        }

        // Summed postings: the facts of the loop above, one per sum. An amount in another currency is
        // `count` equal postings: each converted (and rounded) as above, then multiplied. A sum
        // converted already (``PostingSum/converted``) is in the tax currency and counts as converted.
        // What the sums' names say of their client, worked out once per payee, platform and client
        // met (the sums repeat a few names thousands of times).
        struct Names: Hashable { var client, platform, payee: String? }
        var known: [Names: (info: ClientTaxInfo?, name: String?, treatment: SupplyTreatment?)] = [:]
        func client(of sum: PostingSum) -> (info: ClientTaxInfo?, name: String?, treatment: SupplyTreatment?) {
            let key = Names(client: sum.client, platform: sum.platform, payee: sum.payee)
            if let k = known[key] { return k }
            let (info, name) = clientInfo(client: sum.client, platform: sum.platform, payee: sum.payee, invoice: nil)
            let k = (info, name, treatment(info, name: name))
            known[key] = k
            return k
        }
        // A sum's description (its account and count), made once per account and count: the sums
        // repeat a few of each thousands of times.
        struct Described: Hashable { var account: Account; var count: Int }
        var descriptions: [Described: String] = [:]
        for sum in sums where out.period.contains(sum.date) {
            let a = sum.account
            let what: String
            if let known = descriptions[Described(account: a, count: sum.count)] { what = known } else {
                what = "\(a.path) (\(sum.count) postings)"
                descriptions[Described(account: a, count: sum.count)] = what
            }
            /// The sum in the tax currency; `kind` names it in a problem ("income on …").
            func value(_ kind: String) -> Money? {
                if sum.amount.currency == currency {
                    if sum.converted { conversions += 1 }
                    return sum.amount
                }
                let what = kind + " on " + what
                guard let unit = sum.unit else {
                    out.problems.append(.error("tax.conversion", "\(what) on \(sum.date): \(sum.count) postings summed to \(sum.amount), which are not of one amount"))
                    return nil
                }
                guard let v = toTax(unit, sum.date, what, nil) else { return nil }
                let (m, overflow) = v.minorUnits.multipliedReportingOverflow(by: Int64(sum.count))
                guard !overflow else {
                    out.problems.append(.error("tax.conversion", "\(what) on \(sum.date): \(sum.count) postings of \(v) overflow"))
                    return nil
                }
                return Money(minorUnits: m, currency: currency)
            }
            if a.root == .income {
                guard let v = value("income") else { continue }
                let c = client(of: sum)
                out.facts.append(TaxFact(date: sum.date, category: .income, amount: -v, original: -sum.amount, treatment: c.treatment,
                                         client: c.name, clientCountry: c.info?.country, withheldAtSource: sum.marked(1), description: what))
            } else if a.root == .expenses {
                if profile.nonDeductibleAccounts.contains(where: { Self.isUnder(a, $0) }) { continue }
                guard let v = value("expense") else { continue }
                let ss = profile.socialSecurityAccounts.contains { Self.isUnder(a, $0) }
                out.facts.append(TaxFact(date: sum.date, category: .expense, amount: v, original: sum.amount, withInputVAT: sum.marked(0),
                                         socialSecurity: ss, description: what))
            } else if Self.isUnder(a, Self.withheldAccount) {
                let clientName = clientInfo(client: sum.client, platform: sum.platform, payee: sum.payee, invoice: nil).1
                guard let v = value("withholding") else { continue }
                out.facts.append(TaxFact(date: sum.date, category: .withholding, amount: v, original: sum.amount, client: clientName, description: what))
            } else if Self.isUnder(a, Self.vatOutputAccount) {
                let clientName = clientInfo(client: sum.client, platform: sum.platform, payee: sum.payee, invoice: nil).1
                guard let v = value("output VAT") else { continue }
                out.facts.append(TaxFact(date: sum.date, category: .vatCharged, amount: -v, original: -sum.amount, client: clientName, description: what))
            } else if Self.isUnder(a, Self.vatInputAccount) {
                guard let v = value("input VAT") else { continue }
                out.facts.append(TaxFact(date: sum.date, category: .vatBorne, amount: v, original: sum.amount, description: what))
            }
        }

        // Invoices not in the ledger count by themselves, at their issue date.
        for inv in invoices where out.period.contains(inv.issueDate) {
            if txKeys.contains(inv.dedupKey) || txIDs.contains(inv.number) { continue }
            if inv.status == .cancelled || inv.kind == .paymentReceipt { continue }
            let d = inv.issueDate
            let desc = "invoice \(inv.number)"
            if inv.direction == .issued {
                let (client, name) = clientInfo(tx: nil, invoice: inv)
                if let v = toTax(inv.net, d, desc, inv.source) {
                    out.facts.append(TaxFact(date: d, category: .income, amount: v, original: inv.net, treatment: treatment(client, name: name),
                                             client: name, clientCountry: client?.country, withheldAtSource: !inv.withholding.isZero,
                                             invoiceNumber: inv.number, description: desc))
                }
                if !inv.tax.isZero, let v = toTax(inv.tax, d, desc, inv.source) {
                    out.facts.append(TaxFact(date: d, category: .vatCharged, amount: v, original: inv.tax, client: name, invoiceNumber: inv.number, description: desc))
                }
                if !inv.withholding.isZero, let v = toTax(inv.withholding, d, desc, inv.source) {
                    out.facts.append(TaxFact(date: d, category: .withholding, amount: v, original: inv.withholding, client: name, invoiceNumber: inv.number, description: desc))
                }
            } else {
                if let v = toTax(inv.net, d, desc, inv.source) {
                    out.facts.append(TaxFact(date: d, category: .expense, amount: v, original: inv.net, withInputVAT: !inv.tax.isZero,
                                             invoiceNumber: inv.number, description: desc))
                }
                if !inv.tax.isZero, let v = toTax(inv.tax, d, desc, inv.source) {
                    out.facts.append(TaxFact(date: d, category: .vatBorne, amount: v, original: inv.tax, invoiceNumber: inv.number, description: desc))
                }
            }
        }

        // By date, then category in the order of their names (as before), compared as numbers; facts
        // of equal date and category keep the order they were made in (a stable sort). Sorted as
        // (key, position) pairs and then gathered once: moving the facts themselves through the
        // sort's merges copied (and retained and released) their strings many times over.
        out.facts = Self.sortedByDateAndCategory(out.facts)
        out.converted = conversions > 0
        if conversions > 0 {
            out.notes.append(LocalizedText("tax.note.converted", ["currency": currency.code]).english)
        }
        if !unknownClients.isEmpty {
            out.notes.append(LocalizedText("tax.note.unknown_place_of_supply", ["clients": unknownClients.sorted().joined(separator: ", ")]).english)
        }
        return out
    }
}

extension TaxFactsBuilder {
    /// `facts` by date, then category name, in a stable order (equal keys keep their order).
    static func sortedByDateAndCategory(_ facts: [TaxFact]) -> [TaxFact] {
        var keys: [(key: Int, at: Int)] = []
        keys.reserveCapacity(facts.count)
        var sorted = true
        for i in facts.indices {
            let k = facts[i].date.ordinal &* 8 &+ facts[i].category.nameOrder
            if let last = keys.last, last.key > k { sorted = false }
            keys.append((k, i))
        }
        if sorted { return facts }
        keys.sort { $0.key != $1.key ? $0.key < $1.key : $0.at < $1.at }
        return keys.map { facts[$0.at] }
    }
}

/// The VAT place-of-supply table (rule kind `place_of_supply`), implemented once.
public enum VATPlaceOfSupply {
    /// Where a client stands relative to the rule file's country.
    public static func location(of c: ClientTaxInfo, home: String) -> SupplyLocation {
        let country = c.country.uppercased()
        if country == home { return .domestic }
        return EU.members.contains(country) ? .eu : .nonEU
    }

    /// The first row of the table that matches the client, or nil when the file has no table.
    public static func row(for c: ClientTaxInfo, in rules: RuleFile) -> PlaceOfSupplyRow? {
        guard let r = rules.rules["vat.place_of_supply"], case .placeOfSupply(let t) = r.body else { return nil }
        let loc = location(of: c, home: rules.jurisdiction.countryCode)
        return t.rows.first { row in
            (row.location == .any || row.location == loc)
                && (row.business.map { $0 == c.isBusiness } ?? true)
                && (row.validVATID.map { $0 == c.hasValidVATID } ?? true)
        }
    }
}
