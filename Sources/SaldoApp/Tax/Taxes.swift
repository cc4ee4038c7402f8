import Foundation
import SaldoCore
import SaldoFX
import SaldoReports
import SaldoStore
import SaldoTax

/// What a tax computation is asked for; every field left nil comes from the settings.
public struct TaxRequest: Sendable {
    public var jurisdiction: Jurisdiction?
    /// A region name or ISO 3166-2 code.
    public var region: String?
    /// A taxpayer profile JSON file; nil: the stored `tax-profile`.
    public var profilePath: String?
    /// The user's own rule files, used before the shipped ones.
    public var ruleFiles: [String]
    /// Compute as of this day.
    public var today: Day
    /// Project the rest of the year with the income forecast (else the average month so far).
    public var useForecast: Bool

    public init(jurisdiction: Jurisdiction? = nil, region: String? = nil, profilePath: String? = nil, ruleFiles: [String] = [],
                today: Day, useForecast: Bool = true) {
        self.jurisdiction = jurisdiction; self.region = region; self.profilePath = profilePath; self.ruleFiles = ruleFiles
        self.today = today; self.useForecast = useForecast
    }
}

extension TaxRequest {
    /// The request from plain values, as a form or a query gives them: the jurisdiction as its
    /// code (es, us, gb; uk is gb), nil or empty to use the settings.
    public init(jurisdictionCode: String?, region: String? = nil, today: Day, useForecast: Bool = true) throws {
        var j: Jurisdiction?
        if let code = jurisdictionCode?.trimmingCharacters(in: .whitespaces).lowercased(), !code.isEmpty {
            guard let parsed = Jurisdiction(parsing: code) else {
                throw UserError("jurisdiction \"\(code)\" is not supported", hint: "the jurisdictions Saldo knows: \(Taxes.jurisdictionCodes.joined(separator: ", "))")
            }
            j = parsed
        }
        let r = region?.trimmingCharacters(in: .whitespaces)
        self.init(jurisdiction: j, region: r?.isEmpty == true ? nil : r, today: today, useForecast: useForecast)
    }
}

public enum TaxProfileLoader {
    public static func decode(_ data: Data, file: String) throws -> TaxProfile {
        do { return try JSONDecoder().decode(TaxProfile.self, from: data) } catch {
            throw UserError("\(file): not a valid tax profile: \(describeDecoding(error))", hint: "see the example in docs/tax.md (section 4)")
        }
    }
}

/// A JSON decoding error in Saldo's words (`error.decoding.*`, shown in the reader's language), the
/// decoder's own words kept only where Saldo has none (a file that is not JSON at all).
func describeDecoding(_ e: any Error) -> String {
    guard let d = e as? DecodingError else { return "\(e)" }
    func path(_ p: [any CodingKey]) -> String { p.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") }
    func said(_ key: String, _ c: DecodingError.Context, _ arguments: [String: String] = [:]) -> String {
        var arguments = arguments
        let p = path(c.codingPath)
        if !p.isEmpty { arguments["path"] = p }
        return LocalizedText("error.decoding." + key + (p.isEmpty ? "" : "_at"), arguments).english
    }
    func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Bool.Type: return "true_false"
        case is Int.Type, is Double.Type, is Decimal.Type: return "number"
        default: return "value"
        }
    }
    switch d {
    case .keyNotFound(let k, let c): return said("missing_key", c, ["key": k.stringValue])
    case .typeMismatch(let t, let c): return said("expected_" + kind(t), c)
    case .valueNotFound(let t, let c): return said("null_" + kind(t), c)
    case .dataCorrupted(let c): return c.codingPath.isEmpty ? LocalizedText("error.decoding.not_json", ["detail": c.debugDescription]).english : said("unreadable", c)
    @unknown default: return "\(d)"
    }
}

/// The tax use cases: inputs from the ledger, the settings, the profile and the forecast; then the
/// summary of a return, the calendar of payments, the monthly set-aside.
public enum Taxes {
    /// The jurisdictions Saldo computes, by code.
    public static var jurisdictionCodes: [String] { Jurisdiction.allCases.map(\.rawValue) }

    /// A jurisdiction's name (Spain, United States, United Kingdom), by code.
    public static func jurisdictionName(_ code: String) -> String? { Jurisdiction(parsing: code)?.name }

    /// Which tax years a computation reads; the ledger's transactions are read from the first of them on.
    public enum YearsNeeded: Sendable {
        /// Every transaction.
        case all
        /// One tax year; nil: the one containing the request's day.
        case year(Int?)
        /// The calendar's: last tax year and this one.
        case calendar
        /// An office's quarter-end of a calendar year's quarter: that year's tax year; in the UK
        /// (tax years from 6 April) from the calendar year before, for the tax year before too.
        case quarterEnd(Int)
    }

    /// Everything the engine needs, from the request and the ledger. Only the transactions of the
    /// tax years in `years` are read (a ledger of many years holds far more), with what the whole
    /// ledger says about which invoices are booked.
    public static func inputs(_ request: TaxRequest, store: any LedgerStore, years: YearsNeeded = .all) throws -> TaxInputs {
        // Every setting in one read (on PostgreSQL each read is a transaction of its own; a tax
        // computation asks for up to eight).
        let stored = Dictionary(try store.settings().map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        func setting(_ key: Setting) -> String? { stored[key.rawValue] }
        var taxProfile: TaxProfile
        if let p = request.profilePath {
            let path = (p as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: path) else { throw UserError("cannot read the tax profile \(p)") }
            taxProfile = try TaxProfileLoader.decode(data, file: p)
        } else if let stored = setting(.taxProfile) {
            taxProfile = try TaxProfileLoader.decode(Data(stored.utf8), file: "the stored tax profile")
        } else {
            let storedJurisdiction = setting(.jurisdiction).flatMap(Jurisdiction.init(parsing:))
            guard let j = request.jurisdiction ?? storedJurisdiction else {
                throw UserError("Saldo does not know your tax jurisdiction", hint: "name it (es, us or gb) or store it in the settings", fix: .chooseJurisdiction)
            }
            taxProfile = TaxProfile(jurisdiction: j)
            taxProfile.activityStart = setting(.activityStart).flatMap { Day(iso: $0) }
            taxProfile.newFreelancer = setting(.newFreelancer) == "yes"
            switch setting(.filingStatus) {
            case "married-joint": taxProfile.filingStatus = .joint
            case "married-separate": taxProfile.filingStatus = .separate
            case "head-of-household": taxProfile.filingStatus = .headOfHousehold
            default: break
            }
        }
        if let j = request.jurisdiction { taxProfile.jurisdiction = j }
        try applyLastYear(tax: setting(.lastYearTax), income: setting(.lastYearIncome),
                          to: &taxProfile)
        if taxProfile.region == nil, let r = setting(.region) {
            // A region stored for the user's own country does not follow a request that names another
            // jurisdiction ("what would the US take?"); with the stored jurisdiction a mismatch is an error.
            if request.jurisdiction == nil || (try? regionCode(r, jurisdiction: taxProfile.jurisdiction)) != nil { taxProfile.region = r }
        }
        if let r = request.region { taxProfile.region = r }
        if let r = taxProfile.region { taxProfile.region = try regionCode(r, jurisdiction: taxProfile.jurisdiction) }
        let ruleFiles = try request.ruleFiles.map { r -> RuleFile in
            // A problem in the file as a diagnostic: its line, column and JSON path, its code and hint, in the reader's language.
            do { return try TaxRules.load(contentsOf: URL(fileURLWithPath: (r as NSString).expandingTildeInPath)) }
            catch let e as RuleFileError { throw e.diagnostic } catch { throw UserError("\(error)") }
        }
        let day = request.today
        let target = taxCurrency(taxProfile.jurisdiction)
        let thisYear = TaxEngine.taxYear(containing: day, taxProfile.jurisdiction)
        let firstYear: Int? = switch years {
        case .all: nil
        case .year(let y): y ?? thisYear
        case .calendar: thisYear - 1
        case .quarterEnd(let y): taxProfile.jurisdiction == .gb ? y - 1 : y
        }
        let invoices = try store.invoices().map(\.invoice)
        let from = firstYear.map(TaxInputs.firstDayNeeded(forTaxYear:))
        let (transactions, sums, booked, rates) = try ledgerInputs(from: from, invoices: invoices, target: target, store: store)
        let convert: @Sendable (Money, Day) throws -> Money = { m, d in try rates.convert(m, to: target, on: d).amount }
        var forecast: [YearMonth: Money] = [:]
        var notes: [String] = []
        if request.useForecast {
            // A forecast that cannot be made leaves the projection to the average month, and says why.
            do { forecast = try Forecasts.projectedIncome(store: store, from: day, currency: target) } catch {
                notes.append(LocalizedText("tax.note.forecast_unavailable", ["reason": describeForecastFailure(error)]).english)
            }
        }
        return TaxInputs(transactions: transactions, invoices: invoices, convert: convert, profile: taxProfile, ruleFiles: ruleFiles,
                         forecast: forecast, today: day, notes: notes, bookedInvoices: booked, postingSums: sums)
    }

    /// What the engine reads of the ledger from `from` on (nil: all of it), and the exchange rates.
    ///
    /// Summed by the store (``LedgerStore/postingSums(_:)``): the postings that make tax facts, by
    /// day, account, currency, payee, platform, client and whether their transaction also books
    /// input VAT or withholding; amounts in other currencies than `target` only with equal amounts,
    /// so that converting `count` equal postings once gives what converting each did. Transactions
    /// that carry an invoice's dedup key or number come whole (their invoice decides their client
    /// and withholding). The rates are those the transactions would have chosen: their currencies
    /// and days, which the store tells without reading them.
    ///
    /// The sums are converted here, once each (``converted(_:target:rates:)``), and handed on in
    /// `target`. When a summed amount cannot be converted (no rate), every transaction is read
    /// instead, so that the problem names the transaction as it always did (`detailed` forces that path).
    static func ledgerInputs(from: Day?, invoices: [Invoice], target: CurrencyCode, store: any LedgerStore, detailed: Bool = false) throws
        -> (transactions: [Transaction], sums: [PostingSum], booked: BookedInvoiceReferences?, rates: RateTable) {
        func booked() throws -> BookedInvoiceReferences {
            let found = try store.bookedReferences(dedupKeys: Set(invoices.map(\.dedupKey)), numbers: Set(invoices.map(\.number)))
            return BookedInvoiceReferences(dedupKeys: found.dedupKeys, numbers: found.numbers)
        }
        if !detailed {
            let read = try store.postingSums(PostingSumQuery(
                from: from, accounts: TaxFactsBuilder.factAccounts, markers: TaxFactsBuilder.markerAccounts, summingCurrency: target,
                wholeDedupKeys: Set(invoices.map(\.dedupKey)), wholeExternalIDs: Set(invoices.map(\.number))))
            let rates = try ExchangeRates.table(currencies: read.currencies, first: read.firstDay, last: read.lastDay, invoices: invoices,
                                                target: target, store: store)
            if let sums = converted(read.sums, target: target, rates: rates) { return (read.whole.map(\.transaction), sums, try booked(), rates) }
        }
        // Every transaction read: with all of them at hand (no `from`), the engine tells booked invoices itself.
        let transactions = try from.map { try store.transactions(in: Period(start: $0, end: Day(year: 9999, month: 12, day: 31)!)) }
            ?? store.transactions()
        let all = transactions.map(\.transaction)
        // The bundled ECB history under the ledger's own rates, as reports use: no import of rates needed.
        let rates = try ExchangeRates.table(forTransactions: all, invoices: invoices, target: target, store: store)
        return (all, [], from == nil ? nil : try booked(), rates)
    }

    /// The sums in `target`, each converted once: an amount in another currency is `count` equal
    /// postings, each converted (and rounded) as alone, times `count`, exactly what the facts builder
    /// did with it; then the sums of one day, account, payee, platform, client and markers are added
    /// up whatever their currency (nothing a tax rule reads tells them apart: fewer facts, the same
    /// returns), marked ``PostingSum/converted`` when any part was converted. In the order first met.
    /// Nil when an amount cannot be converted (no rate within the window) or a total overflows.
    static func converted(_ sums: [PostingSum], target: CurrencyCode, rates: RateTable) -> [PostingSum]? {
        struct Key: Hashable {
            var day: Int, account: Account, payee: String?, platform: String?, client: String?, markers: UInt64
            /// Hashes the day, the markers and the names' lengths, not their bytes: only one day's
            /// keys are ever in the table, where names of equal length are few, and equality still
            /// compares every name. (Hashing four names per sum was 7% of an office's quarter-end.)
            func hash(into h: inout Hasher) {
                h.combine(day); h.combine(markers)
                h.combine(account.path.utf8.count)
                h.combine(payee?.utf8.count ?? -1); h.combine(platform?.utf8.count ?? -1); h.combine(client?.utf8.count ?? -1)
            }
        }
        var index: [Key: Int] = [:]   // one day's keys at a time (cleared at each new day)
        index.reserveCapacity(256)
        var out: [PostingSum] = []
        out.reserveCapacity(sums.count)
        var day = Int.min
        // One converter for all the sums: it resolves each currency's route once and keeps the last
        // day's quote (the sums come by day), where `RateTable.convert` looked both up for every sum
        // (a tenth of an office's quarter-end). Failing where a rate is missing, as `convert` does.
        var table = rates
        table.beyondWindow = .fail
        var converter = Converter(table: table, target: target)
        for s in sums {
            var value = s.amount.minorUnits, converted = false
            if s.amount.currency != target {
                guard let unit = s.unit, let v = try? converter.convert(unit, on: s.date), v.currency == target else { return nil }
                let (m, overflow) = v.minorUnits.multipliedReportingOverflow(by: Int64(s.count))
                guard !overflow else { return nil }
                value = m; converted = true
            }
            // The sums come by day: only one day's keys are kept at a time.
            let d = s.date.ordinal
            if d != day { index.removeAll(keepingCapacity: true); day = d }
            let key = Key(day: d, account: s.account, payee: s.payee, platform: s.platform, client: s.client, markers: s.markers)
            if let i = index[key] {
                let (total, overflow) = out[i].amount.minorUnits.addingReportingOverflow(value)
                guard !overflow else { return nil }
                out[i].amount = Money(minorUnits: total, currency: target)
                out[i].count += s.count
                out[i].converted = out[i].converted || converted
            } else {
                index[key] = out.count
                var n = s
                n.amount = Money(minorUnits: value, currency: target)
                n.converted = converted
                out.append(n)
            }
        }
        return out
    }

    /// The boxes or lines of a return (a quarter, or the whole year so far), its due date and amount.
    public static func summary(_ request: TaxRequest, year: Int?, quarter: Int?, store: any LedgerStore) throws -> TaxDocument {
        let inputs = try inputs(request, store: store, years: .year(year))
        let y = year ?? TaxEngine.taxYear(containing: inputs.today, inputs.profile.jurisdiction)
        do {
            let r = try TaxEngine.summary(inputs, year: y, quarter: quarter)
            return TaxDocument(table: r.table, result: r)
        } catch { throw taxError(error, inputs.profile.jurisdiction, year: y) }
    }

    /// A year Saldo ships no rules for, in the user's words (not the rule file's JSON path); any other
    /// engine error as it is.
    static func taxError(_ error: any Error, _ j: Jurisdiction, year: Int) -> UserError {
        if let e = error as? RuleFileError, e.path == "$", e.message.hasPrefix("expected shipped rules") {
            let have = ((try? TaxRules.builtIn()) ?? []).filter { $0.jurisdiction == j }.map(\.periodLabel).sorted()
            return UserError(LocalizedText("error.no_tax_rules_for_year", ["jurisdiction": j.name, "year": String(year), "years": have.joined(separator: ", ")]).english,
                             hint: LocalizedText("error.choose_tax_year").english)
        }
        return UserError("\(error)")
    }

    /// The next deadlines with estimated amounts.
    public static func calendar(_ request: TaxRequest, store: any LedgerStore) throws -> TaxDocument {
        let inputs = try inputs(request, store: store, years: .calendar)
        do {
            let r = try TaxEngine.calendar(inputs)
            return TaxDocument(table: r.table, result: r)
        } catch { throw UserError("\(error)") }
    }

    /// How much of each month's income to put aside so that the next payments are covered.
    public static func setAside(_ request: TaxRequest, year: Int?, store: any LedgerStore) throws -> TaxDocument {
        let inputs = try inputs(request, store: store, years: .year(year))
        do {
            let r = try TaxEngine.setAside(inputs, year: year)
            return TaxDocument(table: r.table, result: r)
        } catch { throw taxError(error, inputs.profile.jurisdiction, year: year ?? TaxEngine.taxYear(containing: inputs.today, inputs.profile.jurisdiction)) }
    }

    /// `last-year-tax` and `last-year-income` (amounts in the tax currency) fill the profile's prior-year
    /// figures it does not state: US total tax and AGI (the 100%/110% safe harbour), UK Self Assessment
    /// liability (payments on account), Spain's net activity income (Modelo 130 box 13).
    public static func applyLastYear(tax: String?, income: String?, to profile: inout TaxProfile) throws {
        let cur = taxCurrency(profile.jurisdiction)
        func money(_ text: String?, _ key: Setting) throws -> Money? {
            guard let text else { return nil }
            do { return try Money(ExactDecimal(text), currency: cur) } catch {
                throw UserError("the stored \(key.rawValue) \"\(text)\" is not an amount in \(cur.code)", hint: "store it as an amount, e.g. 12345.67", fix: .setSetting(key, example: "12345.67"))
            }
        }
        let t = try money(tax, .lastYearTax), i = try money(income, .lastYearIncome)
        switch profile.jurisdiction {
        case .us:
            if profile.priorYear.totalTax == nil { profile.priorYear.totalTax = t }
            if profile.priorYear.adjustedGrossIncome == nil { profile.priorYear.adjustedGrossIncome = i }
        case .gb:
            if profile.priorYear.selfAssessmentLiability == nil { profile.priorYear.selfAssessmentLiability = t }
        case .es:
            if profile.priorYear.netActivityIncome == nil { profile.priorYear.netActivityIncome = i }
        }
    }

    /// The ISO 3166-2 code the engine knows for a region name or code; refuses what it does not know,
    /// and a region of another country than the jurisdiction's.
    public static func regionCode(_ text: String, jurisdiction: Jurisdiction) throws -> String {
        guard let code = TaxRegion.code(for: text) else {
            throw UserError("region \"\(text)\" is not one Saldo knows",
                            hint: "use a name or ISO 3166-2 code: \(TaxRegion.acceptedList(country: jurisdiction == .us ? nil : jurisdiction.countryCode))")
        }
        guard TaxRegion.country(of: code) == jurisdiction.countryCode else {
            throw UserError("region \"\(text)\" (\(code)) is not in \(jurisdiction.name)",
                            hint: "set the jurisdiction to \(TaxRegion.country(of: code).lowercased()), or a region of \(jurisdiction.name)")
        }
        return code
    }
}

/// A forecast error in one line, without the hint meant for the forecast command.
func describeForecastFailure(_ error: any Error) -> String {
    if let u = error as? UserError { return u.message }
    return "\(error)"
}

public func taxCurrency(_ j: Jurisdiction) -> CurrencyCode {
    switch j { case .es: return .EUR; case .us: return .USD; case .gb: return .GBP }
}

