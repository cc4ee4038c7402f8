import ArgumentParser
import Foundation
import SaldoCore
import SaldoFX
import SaldoForecast
import SaldoReports
import SaldoStore
import SaldoTax

extension Jurisdiction: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

enum TaxProfileLoader {
    static func decode(_ data: Data, file: String) throws -> TaxProfile {
        do { return try JSONDecoder().decode(TaxProfile.self, from: data) } catch {
            throw UserError("\(file): not a valid tax profile: \(describeDecoding(error))", hint: "see the example in docs/tax.md (section 4)")
        }
    }
}

func describeDecoding(_ e: any Error) -> String {
    guard let d = e as? DecodingError else { return "\(e)" }
    func path(_ p: [any CodingKey]) -> String { p.isEmpty ? "" : " at " + p.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") }
    switch d {
    case .keyNotFound(let k, let c): return "missing key \"\(k.stringValue)\"" + path(c.codingPath)
    case .typeMismatch(_, let c), .valueNotFound(_, let c): return c.debugDescription + path(c.codingPath)
    case .dataCorrupted(let c): return c.debugDescription + path(c.codingPath)
    @unknown default: return "\(d)"
    }
}

/// What every tax command shares: the taxpayer, the rules, the ledger in the tax currency.
struct TaxOptions: ParsableArguments {
    @Option(help: "es, us or gb (default: `saldo config get jurisdiction`).") var jurisdiction: Jurisdiction?
    @Option(help: ArgumentHelp("Region: a name or ISO 3166-2 code (madrid or ES-MD, scotland or GB-SCT).", valueName: "region")) var region: String?
    @Option(help: ArgumentHelp("A taxpayer profile JSON file (default: `saldo config set tax-profile FILE`).", valueName: "file")) var profile: String?
    @Option(help: ArgumentHelp("Your own rule file, used before the shipped ones.", valueName: "file")) var rules: [String] = []
    @Option(help: ArgumentHelp("Compute as of this day (yyyy-mm-dd; default: today).", valueName: "date")) var today: String?
    @Flag(help: "Don't project the rest of the year with the income forecast (use the average month so far).") var noForecast = false

    func inputs(_ store: LedgerStore) throws -> TaxInputs {
        var taxProfile: TaxProfile
        if let p = profile {
            let path = (p as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: path) else { throw UserError("cannot read the tax profile \(p)") }
            taxProfile = try TaxProfileLoader.decode(data, file: p)
        } else if let stored = try store.setting(Setting.taxProfile.rawValue) {
            taxProfile = try TaxProfileLoader.decode(Data(stored.utf8), file: "the stored tax profile")
        } else {
            let stored = try store.setting(Setting.jurisdiction.rawValue).flatMap(Jurisdiction.init(parsing:))
            guard let j = jurisdiction ?? stored else {
                throw UserError("Saldo does not know your tax jurisdiction", hint: "pass --jurisdiction es|us|gb, or set it once: saldo config set jurisdiction es")
            }
            taxProfile = TaxProfile(jurisdiction: j)
            taxProfile.activityStart = try store.setting(Setting.activityStart.rawValue).flatMap { Day(iso: $0) }
            taxProfile.newFreelancer = try store.setting(Setting.newFreelancer.rawValue) == "yes"
            switch try store.setting(Setting.filingStatus.rawValue) {
            case "married-joint": taxProfile.filingStatus = .joint
            case "married-separate": taxProfile.filingStatus = .separate
            case "head-of-household": taxProfile.filingStatus = .headOfHousehold
            default: break
            }
        }
        if let j = jurisdiction { taxProfile.jurisdiction = j }
        try Self.applyLastYear(tax: try store.setting(Setting.lastYearTax.rawValue), income: try store.setting(Setting.lastYearIncome.rawValue),
                               to: &taxProfile)
        if taxProfile.region == nil, let r = try store.setting(Setting.region.rawValue) { taxProfile.region = r }
        if let r = region { taxProfile.region = r }
        if let r = taxProfile.region { taxProfile.region = try Self.regionCode(r, jurisdiction: taxProfile.jurisdiction) }
        let ruleFiles = try rules.map { r -> RuleFile in
            do { return try TaxRules.load(contentsOf: URL(fileURLWithPath: (r as NSString).expandingTildeInPath)) } catch { throw UserError("\(error)") }
        }
        let day = try resolveToday(today)
        let rates = try store.rateTable()
        let target = taxCurrency(taxProfile.jurisdiction)
        let convert: @Sendable (Money, Day) throws -> Money = { m, d in try rates.convert(m, to: target, on: d).amount }
        let transactions = try store.transactions().map(\.transaction)
        let invoices = try store.invoices().map(\.invoice)
        var forecast: [YearMonth: Money] = [:]
        var notes: [String] = []
        if !noForecast {
            // A forecast that cannot be made leaves the projection to the average month, and says why.
            do { forecast = try projectedIncome(store, from: day, currency: target) } catch {
                notes.append("Estimated without the income forecast (the months ahead use the average month so far): the forecast failed: \(describeForecastFailure(error))")
            }
        }
        return TaxInputs(transactions: transactions, invoices: invoices, convert: convert, profile: taxProfile, ruleFiles: ruleFiles,
                         forecast: forecast, today: day, notes: notes)
    }

    /// `last-year-tax` and `last-year-income` (amounts in the tax currency) fill the profile's prior-year
    /// figures it does not state: US total tax and AGI (the 100%/110% safe harbour), UK Self Assessment
    /// liability (payments on account), Spain's net activity income (Modelo 130 box 13).
    static func applyLastYear(tax: String?, income: String?, to profile: inout TaxProfile) throws {
        let cur = taxCurrency(profile.jurisdiction)
        func money(_ text: String?, _ key: Setting) throws -> Money? {
            guard let text else { return nil }
            do { return try Money(ExactDecimal(text), currency: cur) } catch {
                throw UserError("the stored \(key.rawValue) \"\(text)\" is not an amount in \(cur.code)", hint: "saldo config set \(key.rawValue) 12345.67")
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
    static func regionCode(_ text: String, jurisdiction: Jurisdiction) throws -> String {
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

    /// The forecast's median monthly income for the months from `day`'s month to the end of the year.
    func projectedIncome(_ store: LedgerStore, from day: Day, currency: CurrencyCode) throws -> [YearMonth: Money] {
        let horizon = 12 - day.month + 1
        let so = try ForecastCommand.SeriesOptions.parse(["--today", day.description, "--currency", currency.code])
        let (streams, history, _) = try so.series(store)
        guard history.count >= 3 else { return [:] }
        let f = try IncomeForecaster(paths: 2_000, horizon: horizon).forecast(streams: streams)
        var out: [YearMonth: Money] = [:]
        for (i, q) in f.baseline.months.enumerated() {
            out[history.last!.adding(i + 1)] = Money(minorUnits: Int64((min(9e15, max(0, q.p50.isFinite ? q.p50 : 0)) * 100).rounded()), currency: currency)
        }
        return out
    }
}

/// A forecast error in one line, without the hint meant for the forecast command.
func describeForecastFailure(_ error: any Error) -> String {
    if let u = error as? UserError { return u.message }
    return "\(error)"
}

func taxCurrency(_ j: Jurisdiction) -> CurrencyCode {
    switch j { case .es: return .EUR; case .us: return .USD; case .gb: return .GBP }
}

struct TaxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tax",
        abstract: "Quarterly tax estimates (ES Modelo 130/303, US SE and estimated tax, UK Self Assessment), deadlines and a monthly set-aside.",
        discussion: prose("""
        Figures come from your ledger, converted to the tax currency at each transaction's date with
        the ECB rate, and from Saldo's rule files (Sources/SaldoTax/Rules). Every output is an
        estimate, not tax advice, and names the figures not confirmed from an official source.

        Examples:
          saldo config set jurisdiction es
          saldo config set tax-profile ~/tax-profile.json   # clients, last year
          saldo tax summary --year 2026 --quarter 3
          saldo tax summary --jurisdiction us --year 2026 --format json
          saldo tax calendar
          saldo tax set-aside --format markdown
        """),
        subcommands: [Summary.self, Calendar.self, SetAside.self],
        defaultSubcommand: Summary.self
    )

    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "summary", abstract: "The boxes or lines of the return, its due date and the amount.",
            discussion: "Example: saldo tax summary --jurisdiction es --year 2026 --quarter 3")
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var tax: TaxOptions
        @Option(help: "Tax year (the UK's 2026 is 6 April 2026 to 5 April 2027; default: the current one).") var year: Int?
        @Option(help: "Quarter 1-4 (default: the whole year so far).") var quarter: Int?
        @OptionGroup var output: DocumentOutput

        func validate() throws {
            if let q = quarter, !(1...4).contains(q) { throw ValidationError("--quarter must be 1, 2, 3 or 4") }
        }

        func run() throws {
            let store = try ledger.open(.existing)
            let inputs = try tax.inputs(store)
            let y = year ?? TaxEngine.taxYear(containing: inputs.today, inputs.profile.jurisdiction)
            let result: TaxSummary
            do { result = try TaxEngine.summary(inputs, year: y, quarter: quarter) } catch { throw UserError("\(error)") }
            try emitTax(result.table, json: result, to: output)
        }
    }

    struct Calendar: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "calendar", abstract: "The next tax deadlines with estimated amounts.",
            discussion: "Example: saldo tax calendar --format csv")
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var tax: TaxOptions
        @OptionGroup var output: DocumentOutput

        func run() throws {
            let store = try ledger.open(.existing)
            let result: TaxCalendar
            do { result = try TaxEngine.calendar(try tax.inputs(store)) } catch let e as RuleFileError { throw UserError("\(e)") }
            try emitTax(result.table, json: result, to: output)
        }
    }

    struct SetAside: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-aside", abstract: "How much of each month's income to put aside so the next payments are covered.",
            discussion: "Example: saldo tax set-aside --year 2026")
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var tax: TaxOptions
        @Option(help: "Tax year (default: the current one).") var year: Int?
        @OptionGroup var output: DocumentOutput

        func run() throws {
            let store = try ledger.open(.existing)
            let result: SetAsidePlan
            do { result = try TaxEngine.setAside(try tax.inputs(store), year: year) } catch let e as RuleFileError { throw UserError("\(e)") }
            try emitTax(result.table, json: result, to: output)
        }
    }
}

/// Tax results: the JSON is the result itself (boxes named as on the forms); the other formats render its table.
func emitTax(_ table: TaxTable, json: some Encodable, to output: DocumentOutput) throws {
    if output.format == .json {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try enc.encode(json), as: UTF8.self)
        if let o = output.file { try writeOutput(text + "\n", to: o); Console.current.err("wrote \(o)") } else { Console.current.out(text) }
        return
    }
    let cur = (try? CurrencyCode(table.currency)) ?? .EUR
    var blocks: [ReportBlock] = []
    for s in table.sections {
        let rows = s.rows.map { r -> ReportRow in
            let amount: ReportCell = r.amount.flatMap { try? ExactDecimal($0) }.flatMap { try? Money($0, currency: cur) }.map { .money($0) } ?? (r.text.map { .text($0) } ?? .empty)
            return ReportRow([.text(r.label), .text(r.box ?? ""), amount])
        }
        blocks.append(.table(ReportTable(id: Account.normalizeComponent(s.title), title: s.title,
                                         columns: [ReportColumn("label", "What"), ReportColumn("box", "Box/line"), ReportColumn("amount", "Amount \(cur.code)", .money(cur))],
                                         rows: rows)))
    }
    // Each figure not confirmed from an official source is its own note, not one wall of text.
    let notes = table.notes + table.unconfirmed.map { "unconfirmed: " + $0 }
    try output.emit(ReportDocument(title: table.title, notes: notes, blocks: blocks))
}
