import Foundation
import SaldoCLI
import SaldoCore
import SaldoTestSupport
import Testing

/// Errors, hints and rate notes in Spanish (issue #15, second part): the same exit status and
/// layout in both languages; English stays as it always was.
@Suite struct SpanishErrorTests {
    @Test func aMissingLedgerInSpanishSaysWhereThePathCameFromAndHowToStartOne() {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("none.sqlite").path
        let es = SaldoCLI.capture(["--lang", "es", "report", "monthly", "--ledger", path])
        #expect(es.status == 1)
        #expect(es.err == "error: no hay ningún libro en \(path): todavía no se ha anotado nada ahí (la ruta viene de --ledger)\n"
                + "  sugerencia: `saldo import FICHERO` crea un libro a partir de un extracto o una factura electrónica; `saldo demo --keep` crea un libro de demostración para probar\n",
                "\(es.err)")
        let en = SaldoCLI.capture(["report", "monthly", "--ledger", path], environment: ["LANG": "C.UTF-8"])
        #expect(en.status == 1)
        #expect(en.err == "error: there is no ledger at \(path): nothing has been recorded there yet (the path comes from --ledger)\n"
                + "  hint: `saldo import FILE` creates a ledger from a statement or e-invoice; `saldo demo --keep` builds a demo ledger to try\n",
                "\(en.err)")
    }

    @Test func anErrorWithoutATemplateStaysAsWrittenButTheHintLabelIsSpanish() throws {
        // The path origin of the environment, and a message no template makes (shown as it is).
        let path = Fixtures.temporaryDirectory().appendingPathComponent("none2.sqlite").path
        let r = SaldoCLI.capture(["report", "monthly"], environment: ["LANG": "es_ES.UTF-8", "SALDO_LEDGER": path])
        #expect(r.err.contains("(la ruta viene de $SALDO_LEDGER)"), "\(r.err)")
        #expect(r.err.contains("\n  sugerencia: "))
        #expect(!r.err.contains("hint:"))
    }

    @Test func rateNotesAreRecognizedInSpanish() {
        let L = Catalog.shipped(.es)
        let english = LocalizedText("rate_note.freshness_bundled", ["newest_date": "2026-11-03", "latest_date": "2026-11-14", "days": "7"]).english
        #expect(english.hasPrefix("note: the newest exchange rate is from 2026-11-03 (the ECB history bundled with Saldo)"))
        #expect(L.translating(english, keyPrefix: "rate_note.").hasPrefix("nota: el tipo de cambio más reciente es del 3 nov 2026 (el historial del BCE incluido con Saldo); los importes hasta el 14 nov 2026"))
        let provisional = LocalizedText("rate_note.provisional.other", ["count": "3", "window": "7", "fix": "USD rates for 2026-01-02"]).english
        #expect(provisional == "note: 3 amounts are provisional: no exchange rate within 7 days\n  hint: add USD rates for 2026-01-02")
        #expect(L.translating(provisional, keyPrefix: "rate_note.") == "nota: 3 importes son provisionales: no hay tipo de cambio en 7 días\n  sugerencia: añade USD rates for 2026-01-02")
    }
}
