import Foundation
import SaldoCore
import SaldoTestSupport
import Testing
@testable import SaldoTax

/// The words of a Spanish tax result come from the catalog (issue #15): each title, section and
/// row of the Spanish forms has a key, and each note is a filled `tax.note.*` template, so the
/// Spanish documents have no English sentence left beyond the rule files' own points.
@Suite struct TaxWordsTests {
    let engine = EngineTests()

    func tables() throws -> [TaxTable] {
        let forecast: [YearMonth: Money] = [YearMonth(year: 2026, month: 11): try L.money("3000.00"), YearMonth(year: 2026, month: 12): try L.money("1000.00")]
        let inputs = try engine.demoInputs(today: "2026-10-05", forecast: forecast)
        return [try TaxEngine.summary(inputs, year: 2026, quarter: 3).table, try TaxEngine.summary(inputs, year: 2026).table,
                try TaxEngine.calendar(inputs).table, try TaxEngine.setAside(inputs).table,
                try TaxEngine.setAside(engine.demoInputs(today: "2026-10-05")).table]
    }

    @Test func everySpanishTitleSectionAndRowHasAKey() throws {
        for table in try tables() {
            #expect(table.titleText?.english == table.title)
            for s in table.sections {
                #expect(s.titleText?.english == s.title, "section \(s.title)")
                for r in s.rows {
                    #expect(r.labelText?.english == r.label, "row \(r.label)")
                    let es = r.labelText.map { $0.text(in: .shipped(.es)) }
                    #expect(es != nil && !(es ?? "").isEmpty)
                }
            }
        }
    }

    @Test func everyNoteIsAFilledTemplateWithASpanishText() throws {
        let es = Catalog.shipped(.es)
        for table in try tables() {
            for note in table.notes {
                let found = Catalog.recognize(note, keyPrefix: "tax.note.")
                #expect(found != nil, "no template makes: \(note)")
                #expect(es.translating(note, keyPrefix: "tax.note.") != note, "not translated: \(note)")
            }
            for flag in table.unconfirmedFlags {
                for point in flag.points where point.hasPrefix("verification: ") || point.hasPrefix("status: ") {
                    #expect(es.translating(point, keyPrefix: "tax.flag.") != point)
                }
            }
        }
    }

    @Test func englishLabelsAreWhatTheyWere() throws {
        let s = try tables()[0]
        let m130 = try #require(s.sections.first)
        #expect(m130.title == "Modelo 130, 2026-Q3 (due 2026-10-20)")
        #expect(m130.rows.map(\.label).prefix(3) == ["Income, year to date", "Expenses, year to date (incl. 0.00 of hard-to-justify expenses)", "Net income"]
                || m130.rows[1].label.hasPrefix("Expenses, year to date (incl. "))
        #expect(s.title == "Spain 2026, Q3: tax estimate")
        #expect(s.notes.last == estimateDisclaimer)
        #expect(estimateDisclaimer.hasPrefix("Estimate only, not tax advice"))
    }
}
