import ArgumentParser
import Foundation
import SaldoCore
import SaldoFX
import SaldoStore
import SaldoTax

/// Settings kept in the ledger, so they travel with it.
enum Setting: String, CaseIterable, ExpressibleByArgument {
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

    var help: String {
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

    func validate(_ value: String) throws -> String {
        let v = value.trimmingCharacters(in: .whitespaces)
        switch self {
        case .baseCurrency:
            do { return try CurrencyCode(v).code } catch { throw UserError("\(error)") }
        case .jurisdiction:
            let j = v.lowercased() == "uk" ? "gb" : v.lowercased()
            guard ["es", "us", "gb"].contains(j) else { throw UserError("jurisdiction \"\(v)\" is not supported", hint: "use es, us or gb") }
            return j
        case .activityStart:
            guard Day(iso: v) != nil, v.count == 10 else { throw UserError("\"\(v)\" is not a date", hint: "write it as yyyy-mm-dd") }
            return v
        case .filingStatus:
            let ok = ["single", "married-joint", "married-separate", "head-of-household"]
            guard ok.contains(v.lowercased()) else { throw UserError("filing status \"\(v)\" is not one of \(ok.joined(separator: ", "))") }
            return v.lowercased()
        case .newFreelancer:
            guard ["yes", "no"].contains(v.lowercased()) else { throw UserError("new-freelancer takes yes or no") }
            return v.lowercased()
        case .lastYearTax, .lastYearIncome:
            guard (try? ExactDecimal(v)) != nil else { throw UserError("\"\(v)\" is not an amount", hint: "write it like 12345.67") }
            return v
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

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Set once what reports and tax need: base currency, jurisdiction, region…",
        discussion: prose("""
        Settings are stored in the ledger. Keys: \(Setting.allCases.map(\.rawValue).joined(separator: ", ")).

        Examples:
          saldo config set base-currency EUR
          saldo config set jurisdiction es
          saldo config get base-currency
          saldo config list
        """),
        subcommands: [Set_.self, Get.self, List.self, Unset.self]
    )

    struct Set_: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a key.", discussion: "Example: saldo config set base-currency EUR")
        @OptionGroup var ledger: LedgerOption
        @Argument(help: "The key.") var key: Setting
        @Argument(help: "The value.") var value: String
        func run() throws {
            var v = try key.validate(value)
            let store = try ledger.open(.create)
            if key == .rateSource {   // one currency at a time: the others keep their source
                v = RateSourceChoice(stored: try store.setting(key.rawValue)).merged(with: RateSourceChoice(stored: v)).stored
            }
            try store.setSetting(key.rawValue, v)
            Console.current.out("\(key.rawValue) = \(v)")
        }
    }
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Print a key's value.", discussion: "Example: saldo config get base-currency")
        @OptionGroup var ledger: LedgerOption
        @Argument(help: "The key.") var key: Setting
        func run() throws {
            guard let v = try ledger.open(.existing).setting(key.rawValue) else {
                throw UserError("\(key.rawValue) is not set", hint: "saldo config set \(key.rawValue) VALUE (\(key.help))")
            }
            Console.current.out(v)
        }
    }
    struct Unset: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unset", abstract: "Remove a key.", discussion: "Example: saldo config unset region")
        @OptionGroup var ledger: LedgerOption
        @Argument(help: "The key.") var key: Setting
        func run() throws { try ledger.open(.existing).setSetting(key.rawValue, nil) }
    }
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List every key with its value.", discussion: "Example: saldo config list")
        @OptionGroup var ledger: LedgerOption
        func run() throws {
            let set = Dictionary(uniqueKeysWithValues: try ledger.open(.existing).settings().map { ($0.key, $0.value) })
            for k in Setting.allCases {
                Console.current.out(pad(k.rawValue, 16) + "  " + pad(set[k.rawValue] ?? "(not set)", 12) + "  " + Console.current.styled(k.help, .dim))
            }
        }
    }
}
