import Foundation
import SaldoCore
import SaldoFX
import SaldoTestSupport
import Testing

/// The ECB history shipped as a resource of SaldoFX (`Sources/SaldoFX/ECB/eurofxref-hist.zip`).
@Suite struct BundledRatesTests {
    @Test func theWholeBundleLoads() throws {
        let all = try BundledECBRates.rates()
        // Every cell of the 41 columns that is not N/A (31 current ISO codes, 10 retired ones: HRK,
        // CYP, EEK, LTL, LVL, MTL, ROL, SIT, SKK, TRL), over 7,126 days (counted with Python).
        #expect(all.count == 221_702)
        #expect(Set(all.map(\.date)).count == 7126)
        #expect(all.map(\.date).min() == BundledECBRates.firstDay)
        #expect(all.map(\.date).max() == BundledECBRates.lastDay)
        #expect(all.allSatisfy { $0.base == .EUR && $0.source == BundledECBRates.sourceName })
        #expect(try BundledECBRates.currencies().count == 41)
    }

    /// Retired currencies are read like the others, to the day the ECB stopped (HRK: 30 Dec 2022),
    /// as is a currency the ECB stopped publishing (RUB: 1 Mar 2022); they were skipped, so a
    /// ledger's HRK amounts had no rate and `rates show HRK` said the code was unknown.
    @Test func retiredCurrenciesAreReadToTheirLastDay() throws {
        let hrk = try CurrencyCode("HRK")
        #expect(try BundledECBRates.currencies().contains(hrk))
        #expect(try BundledECBRates.lastDay(of: hrk) == d("2022-12-30"))
        #expect(try BundledECBRates.lastDay(of: CurrencyCode("RUB")) == d("2022-03-01"))
        #expect(try BundledECBRates.lastDay(of: CurrencyCode("BGN")) == d("2025-12-31"))
        #expect(try BundledECBRates.lastDay(of: .USD) == BundledECBRates.lastDay)
        #expect(try BundledECBRates.lastDay(of: .MXN) == BundledECBRates.lastDay)
        #expect(try BundledECBRates.lastDay(of: CurrencyCode("ARS")) == nil)
        let t = RateTable(try BundledECBRates.rates(currencies: [hrk], days: d("2022-12-30")...d("2023-01-31")))
        #expect(t.rates(base: .EUR, quote: hrk, from: d("2022-12-30"), to: d("2023-01-31")).map(\.rate) == [dec("7.5365")])
    }

    @Test func knownRatesAreExactlyAsInTheCSV() throws {
        let t = RateTable(try BundledECBRates.rates())
        #expect(t.rates(base: .EUR, quote: .USD, from: d("2026-10-30"), to: d("2026-10-30")).map(\.rate) == [dec("1.1172")])
        #expect(t.rates(base: .EUR, quote: .JPY, from: d("1999-01-04"), to: d("1999-01-04")).map(\.rate) == [dec("133.73")])
        #expect(t.rates(base: .EUR, quote: .GBP, from: d("2026-10-29"), to: d("2026-10-29")).map(\.rate) == [dec("0.83578")])
    }

    @Test func readsOnlyTheCurrenciesAndDaysAskedFor() throws {
        let r = try BundledECBRates.rates(currencies: [.USD, .EUR], days: d("2026-10-26")...d("2026-11-10"))
        #expect(Set(r.map(\.quote)) == [.USD])
        #expect(r.map(\.date).sorted() == ["2026-10-26", "2026-10-27", "2026-10-28", "2026-10-29", "2026-10-30"].map(d))
        #expect(try BundledECBRates.rates(currencies: [.EUR], days: d("2026-01-01")...d("2026-02-01")).isEmpty)
        #expect(try BundledECBRates.rates(currencies: [.USD], days: d("1990-01-01")...d("1998-12-31")).isEmpty)
    }

    /// The bundle agrees with the ECB slice in fixtures, which was cut from the same file.
    @Test func agreesWithTheFixtureSlice() throws {
        let slice = try sliceTable()
        let bundled = RateTable(try BundledECBRates.rates(currencies: Set(slice.currencies), days: d("2024-01-02")...d("2026-10-30")))
        for c in slice.currencies where c != .EUR {
            #expect(slice.rates(base: .EUR, quote: c).map(\.rate) == bundled.rates(base: .EUR, quote: c).map(\.rate), "\(c)")
        }
    }

    @Test func ledgerRatesWinOverBundledOnes() throws {
        let mine = ExchangeRate(date: d("2026-10-30"), base: .EUR, quote: .USD, rate: dec("1.2"), source: "my-bank.csv")
        let t = try RateTable.ledgerOverBundled([mine], currencies: [.USD], days: d("2026-10-20")...d("2026-10-30"))
        #expect(try t.convert(m("120.00", .USD), to: .EUR, on: d("2026-10-30")).amount == m("100.00", .EUR))
        // A day the ledger does not hold comes from the bundle: 100 / 1.113 = 89.847…
        #expect(try t.convert(m("100.00", .USD), to: .EUR, on: d("2026-10-29")).amount == m("89.85", .EUR))
        #expect(t.rates(base: .EUR, quote: .USD, from: d("2026-10-29")).map(\.source) == [BundledECBRates.sourceName, "my-bank.csv"])
    }

    /// A ledger holding the ECB's own rates for the days a report needs does not read the bundle;
    /// one with a longer gap gets it filled from the bundle.
    @Test func theBundleIsReadOnlyWhereTheLedgerLeavesAGap() throws {
        let slice = try sliceTable().rates(base: .EUR, quote: .USD)
        let days = d("2026-03-02")...d("2026-06-30")
        let full = try RateTable.ledgerOverBundled(slice, currencies: [.USD, .EUR], days: days)
        #expect(!full.rates(base: .EUR, quote: .USD).contains { $0.source == BundledECBRates.sourceName })
        let holed = slice.filter { !($0.date >= d("2026-04-06") && $0.date <= d("2026-04-20")) }
        let filled = try RateTable.ledgerOverBundled(holed, currencies: [.USD, .EUR], days: days)
        let april = filled.rates(base: .EUR, quote: .USD, from: d("2026-04-06"), to: d("2026-04-20"))
        #expect(!april.isEmpty && april.allSatisfy { $0.source == BundledECBRates.sourceName })
        #expect(april.map(\.rate) == slice.filter { $0.date >= d("2026-04-06") && $0.date <= d("2026-04-20") }.map(\.rate))
        // Rates that end before the report's last day are not enough either.
        let early = slice.filter { $0.date <= d("2026-05-29") }
        #expect(try RateTable.ledgerOverBundled(early, currencies: [.USD], days: days).rates(base: .EUR, quote: .USD, from: d("2026-06-01")).first?.source == BundledECBRates.sourceName)
    }

    @Test func freshnessNoteOnlyWhenAWeekdayHasNoRate() throws {
        let t = try RateTable.ledgerOverBundled([], currencies: [.USD], days: d("2026-10-20")...d("2026-11-03"))
        // Saturday after Friday's rate: the ECB publishes nothing on weekends; no note.
        #expect(RateFreshness(table: t, lastDayByCurrency: [.USD: d("2026-10-31")], base: .EUR) == nil)
        #expect(RateFreshness(table: t, lastDayByCurrency: [.USD: d("2026-10-30")], base: .EUR) == nil)
        let note = try #require(RateFreshness(table: t, lastDayByCurrency: [.USD: d("2026-11-03")], base: .EUR))
        #expect(note.newest == d("2026-10-30") && note.latestNeeded == d("2026-11-03") && note.bundledOnly)
        #expect(!note.message.contains("\n"))
        #expect(note.message.contains("eurofxref-hist.zip") && !note.message.contains("saldo "))
        // Within the fallback limit the conversion works; beyond it, it still fails (the window is not widened).
        #expect(try t.convert(m("100.00", .USD), to: .EUR, on: d("2026-11-03")).usedFallback)
        #expect(throws: RateError.self) { try t.convert(m("100.00", .USD), to: .EUR, on: d("2026-11-09")) }
    }

    @Test func missingRateHintIsNotRepeatedInItsMessage() throws {
        let e = RateError.missingRate(currency: .USD, other: .EUR, date: d("2026-11-15"), lastEarlier: d("2026-10-30"), limit: 7)
        let hint = try #require(e.hint)
        #expect(!e.message.contains(hint))
        #expect(e.description.components(separatedBy: "hint:").count == 2)
    }
}
