import Testing
import SaldoCore

struct LocalizedTextTests {
    @Test func englishIsTheTemplateFilledAsWritten() {
        // An amount given with its code is money: in Spanish with the currency's sign, as every amount.
        let t = LocalizedText("tax.note.projected_contributions", ["amount": "1294.00 EUR"])
        #expect(t.english == "Social security contributions projected at the monthly average so far (1294.00 EUR).")
        #expect(t.text(in: .shipped(.en)) == t.english)
        #expect(t.text(in: .shipped(.es)) == "Cuotas a la Seguridad Social proyectadas con la media mensual hasta ahora (1.294,00 €).")
    }

    @Test func argumentsAreLocalizedByTheirNames() {
        let es = Catalog.shipped(.es)
        let out = es.localizing(["gdj_amount": "1547.72", "due": "2026-10-20", "months": "2026-11, 2026-12", "period": "2026-Q3",
                                 "status": "provisional", "verification": "secondary", "client": "1547.72", "year": "2026"])
        #expect(out["gdj_amount"] == "1.547,72")
        #expect(out["due"] == "20 oct 2026")
        #expect(out["months"] == "nov 2026, dic 2026")
        #expect(out["period"] == "3T 2026")
        #expect(out["verification"] == "secundaria")
        #expect(out["client"] == "1547.72")   // not an amount by its name
        #expect(out["year"] == "2026")
        #expect(Catalog.shipped(.en).localizing(["gdj_amount": "1547.72", "due": "2026-10-20"]) == ["gdj_amount": "1547.72", "due": "2026-10-20"])
    }

    @Test func recognizesTheTemplateAnEnglishTextWasMadeFrom() throws {
        let english = LocalizedText("tax.note.es.no_regional_scale", ["region": "ES-VC", "file": "es-2026.json"]).english
        let found = try #require(Catalog.recognize(english, keyPrefix: "tax.note."))
        #expect(found.key == "tax.note.es.no_regional_scale")
        #expect(found.arguments == ["region": "ES-VC", "file": "es-2026.json"])
        #expect(Catalog.shipped(.es).translating(english, keyPrefix: "tax.note.").hasPrefix("No hay escala autonómica del IRPF para ES-VC en es-2026.json"))
    }

    @Test func aTextNoTemplateMakesStaysAsItIs() {
        #expect(Catalog.recognize("Something else entirely.", keyPrefix: "tax.note.") == nil)
        #expect(Catalog.shipped(.es).translating("Something else entirely.", keyPrefix: "tax.note.") == "Something else entirely.")
        // A template's literal tail must match: a truncated text is not recognized.
        #expect(Catalog.recognize("Only 23.8% of this year's income had IRPF withheld", keyPrefix: "tax.note.") == nil)
    }

    @Test func aRepeatedPlaceholderMustTakeTheSameTextEachTime() {
        let parts = TemplateProbe.match("{a} and {a}", "x and y")
        #expect(parts == nil)
        #expect(TemplateProbe.match("{a} and {a}", "x y and x y") == ["a": "x y"])
    }
}
