import Foundation
import SaldoCore
import SaldoFX
import Testing

/// `saldo rates update`'s one line in Spanish (it was English in Spanish output): made from the
/// `error.rates_update.*` templates, the network's own words kept only as a detail.
@Suite struct SpanishRateUpdateTests {
    @Test func theUpdatesLineReadsSpanish() {
        let es = Catalog.shipped(.es)
        let offline = ECBUpdate.summary(.offline(reason: "no answer"), newestKnown: Day(iso: "2026-10-30"))
        #expect(offline == "no connection (no answer): reports keep using the rates Saldo has, newest 2026-10-30")
        #expect(es.translating(offline, keyPrefix: "error.") == "sin conexión (no answer): los informes siguen usando los tipos que tiene Saldo; el más reciente es del 30 oct 2026",
                "\(es.translating(offline, keyPrefix: "error."))")
        let none = ECBUpdate.summary(.upToDate, newestKnown: nil)
        #expect(none == "already up to date: the ECB file has not changed since the last download (none yet)")
        #expect(es.translating(none, keyPrefix: "error.rates_update.").hasPrefix("ya está al día: "))
        let refused = ECBUpdate.summary(.refused([]), newestKnown: Day(iso: "2026-10-30"))
        #expect(refused == "nothing was stored: reports keep using the rates Saldo has, newest 2026-10-30")
        #expect(es.translating(refused, keyPrefix: "error.").hasPrefix("no se guardó nada: "))
    }
}
