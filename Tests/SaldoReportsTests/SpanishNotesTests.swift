import Foundation
import SaldoCore
import SaldoFX
import Testing

/// Notes other layers hand to the reports, in Spanish: missing rates (SaldoFX) by the catalog
/// directly, the forecaster's notes by their English templates.
@Suite struct SpanishNotesTests {
    @Test func missingRateNotesFollowTheCatalog() throws {
        var table = RateTable()
        let day = try #require(Day(iso: "2026-03-10"))
        table.beyondWindow = .provisional
        var converter = Converter(table: table, target: .EUR)
        _ = try? converter.convert(Money(minorUnits: 1000, currency: .USD), on: day)
        let m = converter.missing
        try #require(!m.isEmpty)
        #expect(m.notes(window: 7) == ["Provisional: 1 amount in USD on 2026-03-10 count as zero: there is no USD rate at all."])
        #expect(m.notes(window: 7, in: .shipped(.es)) == ["Provisional: 1 importe en USD el 10 mar 2026 cuenta como cero: no hay ningún tipo de cambio de USD."])
    }

    @Test func forecasterNotesHaveSpanishTemplates() {
        let L = Catalog.shipped(.es)
        let cases = [
            ("only 2 months of history: this is a rough guess built mostly from general assumptions; expect very wide intervals",
             "solo 2 meses de historial: es una estimación aproximada basada sobre todo en supuestos generales; cuenta con intervalos muy amplios"),
            ("only 8 months of history: intervals are wide", "solo 8 meses de historial: los intervalos son amplios"),
            ("Upwork: no income for the last 2 months; about 35% chance it pays next month",
             "Upwork: lleva 2 meses sin ingresos; probabilidad de que pague el mes que viene: 35 % aprox."),
            ("Outlier: started 1 month ago, so its amounts are uncertain", "Outlier: empezó hace 1 mes, así que sus importes son inciertos"),
        ]
        for (english, spanish) in cases { #expect(L.translating(english, keyPrefix: "forecast.engine_note.") == spanish) }
    }
}
