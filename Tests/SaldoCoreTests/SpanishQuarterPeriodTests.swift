import Testing
import SaldoCore

/// A quarter written as Spanish reports and the AEAT write it (`3T 2026`) is a period, so a reader
/// can type what a report showed them; it is the same period as `2026-Q3`, with the same label.
@Suite struct SpanishQuarterPeriodTests {
    @Test func spanishQuarterFormsAreTheQuarter() throws {
        let q3 = try Period.parse("2026-Q3")
        for text in ["3T 2026", "3t 2026", "3T2026", " 3T  2026 ", "2026-3T", "2026-T3", "2026-t3"] {
            let p = try Period.parse(text)
            #expect(p == q3, "\(text)")
            #expect(p.label == "2026-Q3", "\(text)")
        }
        let range = try Period.parse("1T 2026..2T 2026")
        #expect(range.start.description == "2026-01-01" && range.end.description == "2026-07-01")
    }

    @Test func whatIsNotAQuarterIsRefused() {
        for text in ["5T 2026", "0T 2026", "3T 26", "3T 20266", "T 2026", "2026-5T", "2026-T0", "3X 2026", "3T-2026"] {
            #expect(throws: PeriodError.invalid(text)) { try Period.parse(text) }
        }
        #expect(throws: PeriodError.reversed("4T 2026..1T 2026")) { try Period.parse("4T 2026..1T 2026") }
    }
}
