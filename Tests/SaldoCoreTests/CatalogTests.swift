import Foundation
import Testing
@testable import SaldoCore

@Suite("Catalog: one per language, same keys and placeholders")
struct CatalogTests {
    @Test func everyKeyExistsInEveryLanguage() throws {
        let english = try Catalog.loadEntries(.en)
        #expect(!english.isEmpty, "the English catalog did not load")
        for language in Language.allCases where language != .en {
            let other = try Catalog.loadEntries(language)
            let missing = Set(english.keys).subtracting(other.keys).sorted()
            let extra = Set(other.keys).subtracting(english.keys).sorted()
            #expect(missing.isEmpty, "missing in \(language.rawValue): \(missing)")
            #expect(extra.isEmpty, "only in \(language.rawValue), not in en: \(extra)")
        }
    }

    @Test func placeholdersAgreeBetweenLanguages() throws {
        let english = try Catalog.loadEntries(.en)
        for language in Language.allCases where language != .en {
            let other = try Catalog.loadEntries(language)
            for (key, text) in english {
                guard let translated = other[key] else { continue }
                #expect(Catalog.placeholders(in: text) == Catalog.placeholders(in: translated),
                        "\(language.rawValue) \(key): \(Catalog.placeholders(in: translated).sorted()) vs en \(Catalog.placeholders(in: text).sorted())")
            }
        }
    }

    @Test func pluralsComeInPairs() throws {
        for language in Language.allCases {
            let entries = try Catalog.loadEntries(language)
            for key in entries.keys where key.hasSuffix(".one") {
                let stem = String(key.dropLast(4))
                #expect(entries[stem + ".other"] != nil, "\(language.rawValue): \(key) has no .other")
            }
        }
    }

    @Test func theChecksThemselvesCatchAMismatch() {
        #expect(Catalog.placeholders(in: "{count} rows in {file}") == ["count", "file"])
        #expect(Catalog.placeholders(in: "{count} filas") != Catalog.placeholders(in: "{count} filas en {fichero}"))
        #expect(Catalog.placeholders(in: "JSON {\"a\": 1} braces") == [])
    }

    @Test func fillsPlaceholdersAndPlurals() {
        let es = Catalog.shipped(.es)
        #expect(es.plural("common.rows", count: 1) == "1 fila")
        #expect(es.plural("common.rows", count: 3) == "3 filas")
        #expect(Catalog.fill("{a} and {b} and {c}", ["a": "1", "b": "{a}"]) == "1 and {a} and {c}")
        let fallback = Catalog(language: .es, entries: [:])
        #expect(fallback.text("common.language.en") == "English")
        #expect(fallback.text("no.such.key") == "no.such.key")
    }

    @Test(arguments: [
        (nil, [:], Language.en),
        ("es", [:], .es),
        ("en", ["SALDO_LANG": "es"], .en),
        (nil, ["SALDO_LANG": "es", "LANG": "en_US.UTF-8"], .es),
        (nil, ["LANG": "es_ES.UTF-8"], .es),
        (nil, ["LANG": "es_MX"], .es),
        (nil, ["LC_ALL": "en_GB.UTF-8", "LANG": "es_AR.UTF-8"], .en),
        (nil, ["LC_MESSAGES": "es_CO.UTF-8", "LANG": "C"], .es),
        (nil, ["LANG": "C.UTF-8"], .en),
        (nil, ["LANG": "fr_FR.UTF-8"], .en),
    ] as [(String?, [String: String], Language)])
    func resolvesTheLanguage(explicit: String?, environment: [String: String], expected: Language) {
        #expect(Language.resolve(explicit: explicit, environment: environment) == expected)
    }

    @Test func readsAcceptLanguage() {
        #expect(Language.preferred(acceptLanguage: "es-ES,es;q=0.9,en;q=0.8") == .es)
        #expect(Language.preferred(acceptLanguage: "fr-FR,en;q=0.5,es;q=0.7") == .es)
        #expect(Language.preferred(acceptLanguage: "fr, de") == nil)
        #expect(Language.preferred(acceptLanguage: "es;q=0, en") == .en)
    }
}
