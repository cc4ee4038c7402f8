import Foundation
import SaldoCore
import SaldoFX
import SaldoStore
import SaldoTax

/// Settings kept in the ledger, so they travel with it.
public enum Setting: String, CaseIterable, Sendable {
    case baseCurrency = "base-currency"
    case jurisdiction
    case region
    case activityStart = "activity-start"
    case filingStatus = "filing-status"
    case myTaxIDs = "my-tax-ids"
    case newFreelancer = "new-freelancer"
    case lastYearTax = "last-year-tax"
    case lastYearIncome = "last-year-income"
    case taxProfile = "tax-profile"
    case rateSource = "rate-source"

    /// The values `filing-status` (US) and `new-freelancer` take; the web page offers them as
    /// choices in words.
    public static let filingStatuses = ["single", "married-joint", "married-separate", "head-of-household"]
    public static let newFreelancerValues = ["yes", "no"]

    /// What the key is for, in one line.
    public var help: String {
        switch self {
        case .baseCurrency: return "currency reports convert to (ISO 4217, e.g. EUR)"
        case .jurisdiction: return "tax jurisdiction: es, us or gb"
        case .region: return "region within it, a name or ISO 3166-2 code (e.g. madrid or ES-MD, cataluña; scotland or GB-SCT for gb)"
        case .activityStart: return "date the self-employed activity started (yyyy-mm-dd)"
        case .filingStatus: return "US filing status: single, married-joint, married-separate, head-of-household"
        case .myTaxIDs: return "your own tax ids, comma-separated (decides whether an invoice is issued or received)"
        case .newFreelancer: return "yes if you qualify for Spain's reduced 7% IRPF withholding"
        case .lastYearTax: return "last year's total tax in the tax currency (US safe harbour, UK payments on account); a tax profile's own figure wins"
        case .lastYearIncome: return "last year's net activity income (ES Modelo 130 box 13) or adjusted gross income (US 110% safe harbour), in the tax currency"
        case .taxProfile: return "a taxpayer profile JSON file (clients' countries for VAT, prior-year figures; see docs/tax.md); its content is stored"
        case .rateSource: return "which source converts a currency, e.g. ARS=bcra (also trm, banxico, bcch, ptax, bcrp, bcu, ecb); default: the ECB where it publishes the currency"
        }
    }

    /// The value as stored (normalised), or a ``UserError`` saying what is wrong with it.
    public func validate(_ value: String) throws -> String {
        let v = value.trimmingCharacters(in: .whitespaces)
        switch self {
        case .baseCurrency:
            let code: CurrencyCode
            do { code = try CurrencyCode(v) } catch { throw UserError("\(error)") }
            // Every report defaults to it, this year's too: a currency no longer in use (HRK) cannot be it.
            if let r = code.retirement { throw RetiredCurrencies.notInUse(code, r) }
            return code.code
        case .jurisdiction:
            let j = v.lowercased() == "uk" ? "gb" : v.lowercased()
            guard ["es", "us", "gb"].contains(j) else { throw UserError("jurisdiction \"\(v)\" is not supported", hint: "use es, us or gb") }
            return j
        case .activityStart:
            guard Day(iso: v) != nil, v.count == 10 else { throw UserError("\"\(v)\" is not a date", hint: "write it as yyyy-mm-dd") }
            return v
        case .filingStatus:
            let ok = Setting.filingStatuses
            guard ok.contains(v.lowercased()) else { throw UserError("filing status \"\(v)\" is not one of \(ok.joined(separator: ", "))") }
            return v.lowercased()
        case .newFreelancer:
            guard Setting.newFreelancerValues.contains(v.lowercased()) else { throw UserError("new-freelancer takes yes or no") }
            return v.lowercased()
        case .lastYearTax, .lastYearIncome:
            if (try? ExactDecimal(v)) != nil { return v }
            // As Spanish writes it, 12345,67 or 12.345,67: stored with a point. Only with two
            // decimals after the comma, so "1,234" keeps the reading it always had (English
            // groups: 1234) and "12,3" is refused.
            if let comma = v.lastIndex(of: ","), v.distance(from: comma, to: v.endIndex) == 3,
               let d = try? AmountText.parse(v, notation: .comma) { return d.description }
            throw UserError("\"\(v)\" is not an amount", hint: "write it like 12345.67 (or 12345,67)")
        case .region:
            // Stored as the code the engine knows; a name that is not in the table is refused, never guessed.
            guard let code = TaxRegion.code(for: v) else {
                throw UserError("region \"\(v)\" is not one Saldo knows", hint: "use a name or ISO 3166-2 code: \(TaxRegion.acceptedList())")
            }
            return code
        case .rateSource:
            do { return try RateSourceChoice(parsing: v).stored } catch {
                throw UserError(error.diagnostics.map(\.message).joined(separator: "; "), hint: error.diagnostics.compactMap(\.hint).first)
            }
        case .myTaxIDs:
            return v
        case .taxProfile:
            let path = (v as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: path) else { throw UserError("cannot read the tax profile \(v)") }
            _ = try TaxProfileLoader.decode(data, file: v)
            return String(decoding: data, as: UTF8.self)
        }
    }
}

/// Reading and writing the settings kept in the ledger.
public enum Settings {
    /// Validates and stores a value; returns what was stored.
    @discardableResult
    public static func set(_ key: Setting, _ value: String, in store: any LedgerStore) throws -> String {
        var v = try key.validate(value)
        if key == .rateSource {   // one currency at a time: the others keep their source
            v = RateSourceChoice(stored: try store.setting(key.rawValue)).merged(with: RateSourceChoice(stored: v)).stored
        }
        try store.setSetting(key.rawValue, v)
        return v
    }

    /// A taxpayer profile given as its JSON text (pasted or uploaded), checked by the same loader
    /// as a profile file: the text to store, or a ``UserError`` saying where it is wrong.
    public static func validateProfile(content: String, name: String = "the tax profile") throws -> String {
        let bytes = Array(content.utf8)
        guard !bytes.isEmpty else { throw UserError("\(name) is empty", hint: "paste or upload the profile's JSON (see docs/tax.md, section 4)") }
        do { _ = try JSONParser.parse(bytes) } catch {
            throw UserError("\(name): line \(error.line), column \(error.column): \(error.message)", hint: "the profile must be JSON (see docs/tax.md, section 4)")
        }
        _ = try TaxProfileLoader.decode(Data(bytes), file: name)
        return content
    }

    /// Changes several settings at once (nil removes one): every value is checked first, so a bad
    /// one changes nothing; the error names its key. `taxProfileIsContent`: the `tax-profile` value
    /// is the profile's JSON itself, not a file name. Returns what was stored, key by key.
    @discardableResult
    public static func apply(_ changes: [(key: Setting, value: String?)], taxProfileIsContent: Bool = false,
                             in store: any LedgerStore) throws -> [(key: Setting, value: String?)] {
        var checked: [(key: Setting, value: String?)] = []
        for (key, value) in changes {
            guard let value else { checked.append((key, nil)); continue }
            do {
                if key == .taxProfile && taxProfileIsContent {
                    checked.append((key, try validateProfile(content: value)))
                } else {
                    checked.append((key, try key.validate(value)))
                }
            } catch let e as UserError {
                throw UserError("\(key.rawValue): \(e.message)", hint: e.hint ?? key.help, fix: e.fix)
            }
        }
        var stored: [(key: Setting, value: String?)] = []
        for (key, value) in checked {
            if let value {
                var v = value
                if key == .rateSource { v = RateSourceChoice(stored: try store.setting(key.rawValue)).merged(with: RateSourceChoice(stored: v)).stored }
                try store.setSetting(key.rawValue, v)
                stored.append((key, v))
            } else {
                try store.setSetting(key.rawValue, nil)
                stored.append((key, nil))
            }
        }
        return stored
    }

    public static func get(_ key: Setting, in store: any LedgerStore) throws -> String? { try store.setting(key.rawValue) }

    public static func unset(_ key: Setting, in store: any LedgerStore) throws { try store.setSetting(key.rawValue, nil) }

    /// Every key with its value (nil when not set), in the order of ``Setting/allCases``.
    public static func list(in store: any LedgerStore) throws -> [(key: Setting, value: String?)] {
        let set = Dictionary(uniqueKeysWithValues: try store.settings().map { ($0.key, $0.value) })
        return Setting.allCases.map { ($0, set[$0.rawValue]) }
    }

    /// The report currency: the one asked for, else the `base-currency` setting, else EUR.
    public static func baseCurrency(_ asked: CurrencyCode?, in store: any LedgerStore) throws -> CurrencyCode {
        if let c = asked { return c }
        if let c = try store.setting(Setting.baseCurrency.rawValue) { return try CurrencyCode(c) }
        return .EUR
    }

    /// Your own tax ids (`my-tax-ids`), which decide whether an invoice is issued or received.
    public static func ownTaxIDs(in store: any LedgerStore) throws -> Set<String> {
        Set((try store.setting(Setting.myTaxIDs.rawValue) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }
}
