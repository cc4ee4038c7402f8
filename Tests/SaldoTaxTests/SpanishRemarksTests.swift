import Foundation
import SaldoCore
import Testing
@testable import SaldoTax

/// The rule files' remarks (`unconfirmed`, shown in the "unconfirmed" notes) come with their Spanish
/// (`unconfirmed_es`), and the US and UK notes are catalog templates like the Spanish ones.
@Suite struct SpanishRemarksTests {
    /// Every object of a shipped rule file that has remarks, with its path.
    func remarkHolders() throws -> [(file: String, en: [JSONValue], es: [JSONValue]?)] {
        var out: [(String, [JSONValue], [JSONValue]?)] = []
        for name in TaxRules.builtInFileNames {
            let data = try #require(TaxRules.builtInData(name))
            func walk(_ v: JSONValue) {
                switch v {
                case .object(let members):
                    if case .array(let en)? = v["unconfirmed"] {
                        if case .array(let es)? = v["unconfirmed_es"] { out.append((name, en, es)) } else { out.append((name, en, nil)) }
                    }
                    for m in members { walk(m.value) }
                case .array(let items): items.forEach(walk)
                default: break
                }
            }
            walk(try JSONParser.parse(Array(data)).value)
        }
        return out
    }

    @Test func everyRemarkOfTheShippedRulesHasItsSpanish() throws {
        let holders = try remarkHolders()
        #expect(holders.count >= 10, "found \(holders.count) rules with remarks")
        for h in holders {
            #expect(h.es?.count == h.en.count, "\(h.file): \(h.en) has no Spanish beside it (unconfirmed_es)")
            for case .string(let english) in h.en {
                let spanish = TaxRules.remark(english, in: .es)
                #expect(spanish != english, "\(h.file): \(english)")
                #expect(TaxRules.remark(english, in: .en) == english)
            }
        }
    }

    @Test func aRuleWithMoreOrFewerSpanishRemarksIsRefused() throws {
        var text = String(decoding: try #require(TaxRules.builtInData("us-2026.json")), as: UTF8.self)
        let english = "\"Form 1040-ES was not opened; rule and dates from secondary sources.\""
        #expect(text.contains(english))
        text = text.replacingOccurrences(of: english, with: english + ", \"A second remark.\"")
        #expect(throws: RuleFileError.self) { try TaxRules.load(data: Data(text.utf8), fileName: "us-2026.json") }
        do {
            _ = try TaxRules.load(data: Data(text.utf8), fileName: "us-2026.json")
        } catch {
            #expect(error.message.contains("expected one Spanish remark for each of the 2"), "\(error)")
        }
    }

    @Test func usAndUKNotesAreCatalogTemplates() {
        let es = Catalog.shipped(.es)
        let note = LocalizedText("tax.note.us.no_se_tax", ["minimum_amount": "400", "currency": "USD"]).english
        #expect(note == "Net earnings from self-employment are under 400 USD: no self-employment tax.")
        #expect(es.translating(note, keyPrefix: "tax.note.") == "Los rendimientos netos del trabajo por cuenta propia son inferiores a 400 USD: no hay self-employment tax.")
        let uk = LocalizedText("tax.note.gb.trading_loss", ["loss_amount": "1234.50"]).english
        #expect(es.translating(uk, keyPrefix: "tax.note.").hasPrefix("El año tiene unas pérdidas de la actividad de 1.234,50"))
    }
}
