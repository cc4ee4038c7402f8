import Testing
import SaldoApp
import SaldoCore

@Suite struct LanguageChoiceTests {
    @Test func theOptionIsTakenOutWhereverItStands() throws {
        let a = try LanguageChoice.take("--lang", from: ["--lang", "es", "report", "monthly"])
        #expect(a.language == .es && a.remaining == ["report", "monthly"])
        let b = try LanguageChoice.take("--lang", from: ["report", "monthly", "--lang=en_GB.UTF-8", "--period", "2026"])
        #expect(b.language == .en && b.remaining == ["report", "monthly", "--period", "2026"])
        let c = try LanguageChoice.take("--lang", from: ["import", "--", "--lang", "es"])
        #expect(c.language == nil && c.remaining == ["import", "--", "--lang", "es"])
        let d = try LanguageChoice.take("--lang", from: ["--lang", "en", "demo", "--lang", "es"])
        #expect(d.language == .es, "the last one wins, as with any option")
    }

    @Test func aLanguageSaldoDoesNotSpeakIsRefusedWithTheChoices() {
        for bad in [["--lang", "fr"], ["--lang"], ["--lang="], ["demo", "--lang", "demo"]] {
            #expect(throws: UserError.self) { try LanguageChoice.take("--lang", from: bad) }
        }
        do { _ = try LanguageChoice.take("--lang", from: ["--lang", "fr"]) } catch let e as UserError {
            #expect(e.message.contains("fr") && e.hint?.contains("en, es") == true)
        } catch { Issue.record("\(error)") }
    }

    @Test func theExplicitChoiceWinsOverTheEnvironment() {
        #expect(LanguageChoice.resolve(explicit: .en, environment: ["LANG": "es_ES.UTF-8"]) == .en)
        #expect(LanguageChoice.resolve(explicit: nil, environment: ["LANG": "es_ES.UTF-8"]) == .es)
        #expect(LanguageChoice.resolve(explicit: nil, environment: [:]) == .en)
    }

    @Test func quartersAndPeriodsInSpanish() {
        let es = HumanFormat.es
        #expect(es.periodLabel("2026-Q3") == "3T 2026")
        #expect(es.periodLabel("2026") == "2026")
        #expect(es.periodLabel("2026-07") == "jul 2026")
        #expect(es.periodLabel("2026-01..2026-06") == "ene 2026..jun 2026")
        #expect(es.periodLabel("2026-12-05") == "5 dic 2026")
        #expect(es.periodLabel("total") == "total")
        #expect(HumanFormat.en.periodLabel("2026-Q3") == "2026-Q3")
    }
}
