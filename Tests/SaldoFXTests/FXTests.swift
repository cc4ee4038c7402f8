import Foundation
import SaldoCore
import SaldoFX
import SaldoZip
import SaldoTestSupport
import Testing

func d(_ s: String) -> Day { Day(iso: s) ?? Day(ordinal: 0) }
func dec(_ s: String) -> ExactDecimal { (try? ExactDecimal(s)) ?? ExactDecimal(0) }
func m(_ s: String, _ c: CurrencyCode) -> Money { (try? Money(ExactDecimal(s), currency: c)) ?? .zero(c) }

/// The ECB slice shipped in fixtures (2024-01-02 … 2026-10-30, ten currencies).
func sliceTable() throws -> RateTable {
    let r = ECBCSVReader.read(try Fixtures.data("ecb/eurofxref-hist-slice.csv"), file: "eurofxref-hist-slice.csv")
    return RateTable(r.rates)
}

@Suite struct ECBCSVTests {
    @Test func readsTheSlice() throws {
        let r = ECBCSVReader.read(try Fixtures.data("ecb/eurofxref-hist-slice.csv"), file: "eurofxref-hist-slice.csv")
        #expect(r.diagnostics.isEmpty)
        // 724 business days × 10 currencies, no N/A in this slice.
        #expect(r.rates.count == 7240)
        let t = RateTable(r.rates)
        #expect(t.currencies.map(\.code) == ["BRL", "CHF", "DKK", "EUR", "GBP", "JPY", "MXN", "NOK", "PLN", "SEK", "USD"])
        #expect(t.coverage(of: .USD) == d("2024-01-02")...d("2026-10-30"))
        let last = t.rates(base: .EUR, quote: .GBP, from: d("2026-10-30"))
        #expect(last.map(\.rate) == [dec("0.8338")])
        #expect(last.first?.source == "ECB")
        #expect(t.rates(base: .EUR, quote: .JPY, from: d("2026-10-29"), to: d("2026-10-29")).first?.rate == dec("175.92"))
    }

    @Test func layoutDetailsAndBadCells() {
        // Header with a retired currency (read, all N/A) and a code Saldo does not know (skipped with
        // a note), N/A, empty lines, CRLF, a BOM and two bad cells.
        let text = "\u{FEFF}Date,USD,CYP,JPY,XAU,\r\n2026-10-30,1.1172,N/A,175.68,N/A,\r\n\r\n2026-10-29,1.1x3,N/A,175.92,N/A,\r\n29/10/2026,1.1,N/A,170,N/A,\r\n"
        let r = ECBCSVReader.read(Data(text.utf8), file: "hist.csv")
        #expect(r.rates.count == 3)
        #expect(r.diagnostics.contains { $0.severity == .note && $0.message.hasSuffix(": XAU") })
        let errors = r.errors.map(\.description)
        #expect(errors == [
            "hist.csv:4:12 (USD): expected a positive rate such as 1.0856 or N/A, found \"1.1x3\"; the rate was left out",
            "hist.csv:5:1 (Date): expected a date yyyy-mm-dd, found \"29/10/2026\"; the row was left out",
        ])
    }

    @Test func dailyFileDateForm() {
        let r = ECBCSVReader.read(Data("Date, USD, JPY, \n30 October 2026, 1.1172, 175.68, \n".utf8), file: "eurofxref.csv")
        #expect(r.errors.isEmpty)
        #expect(r.rates.map(\.date) == [d("2026-10-30"), d("2026-10-30")])
        #expect(r.rates.map(\.rate) == [dec("1.1172"), dec("175.68")])
    }

    @Test func notTheECBLayout() {
        let r = ECBCSVReader.read(Data("Fecha;USD\n".utf8), file: "x.csv")
        #expect(r.rates.isEmpty)
        #expect(r.errors.first?.code == "fx.ecb-csv.header")
        #expect(ECBCSVReader.read(Data(), file: "empty.csv").errors.first?.code == "fx.ecb-csv.empty")
    }
}

@Suite struct PlainRateCSVTests {
    @Test func readsPairsWithSources() throws {
        let text = "date,base,quote,rate,source\n2026-03-02,USD,MXN,17.1234,banxico\n2026-03-03,usd,mxn,17.2,\n"
        let r = PlainRateCSVReader.read(Data(text.utf8), file: "mx.csv")
        #expect(r.errors.isEmpty)
        #expect(r.rates.map(\.source) == ["banxico", "mx.csv"])
        let t = RateTable(r.rates)
        // Direct pair.
        #expect(try t.convert(m("100.00", .USD), to: .MXN, on: d("2026-03-02")).amount == m("1712.34", .MXN))
        // The inverse pair divides: 1000 MXN / 17.2 = 58.1395… USD.
        #expect(try t.convert(m("1000.00", .MXN), to: .USD, on: d("2026-03-03")).amount == m("58.14", .USD))
    }

    @Test func badRowsAreDiagnosed() {
        let text = "rate,quote,base,date\n1.1,USD,EUR,2026-03-02\nabc,USD,EUR,2026-03-03\n1.1,XYZ,EUR,2026-03-04\n-1,USD,EUR,2026-03-05\n"
        let r = PlainRateCSVReader.read(Data(text.utf8), file: "r.csv")
        #expect(r.rates.count == 1)
        #expect(r.errors.map(\.description) == [
            "r.csv:3:1 (rate): expected a positive decimal rate such as 1.0856 (decimal point, no grouping), found \"abc\"; the row was left out",
            "r.csv:4:5 (quote): expected an ISO 4217 currency code such as USD, found \"XYZ\"; the row was left out",
            "r.csv:5:1 (rate): expected a positive decimal rate such as 1.0856 (decimal point, no grouping), found \"-1\"; the row was left out",
        ])
        let h = PlainRateCSVReader.read(Data("day,from,to,value\n".utf8), file: "h.csv")
        #expect(h.errors.first?.message.contains("missing date, base, quote, rate") == true)
    }

    @Test func readerChoosesTheLayout() throws {
        #expect(RateFileReader.read(Data("date,base,quote,rate\n2026-03-02,USD,MXN,17.1\n".utf8), file: "a.csv").contents.rates.count == 1)
        #expect(RateFileReader.read(try Fixtures.data("ecb/eurofxref-hist-slice.csv"), file: "s.csv").contents.rates.count == 7240)
    }
}

@Suite struct ConversionTests {
    @Test func exactConversionsOnTheDay() throws {
        let t = try sliceTable()
        let day = d("2026-10-30")
        // 100 / 1.1172 = 89.50948… → 89.51
        let usd = try t.convert(m("100.00", .USD), to: .EUR, on: day)
        #expect(usd.amount == m("89.51", .EUR))
        #expect(!usd.usedFallback)
        #expect(usd.amount == m("100.00", .USD).converted(dividingBy: dec("1.1172"), to: .EUR))
        // EUR → USD multiplies.
        #expect(try t.convert(m("89.51", .EUR), to: .USD, on: day).amount == m("100.00", .USD))
        // JPY has no minor unit: 10000 / 175.68 = 56.9216… EUR; 100 USD × 175.68 / 1.1172 = 15725.03 → 15725 JPY.
        #expect(try t.convert(m("10000", .JPY), to: .EUR, on: day).amount == m("56.92", .EUR))
        #expect(try t.convert(m("100.00", .USD), to: .JPY, on: day).amount == m("15725", .JPY))
        #expect(try t.convert(m("12.34", .EUR), to: .EUR, on: day).amount == m("12.34", .EUR))
    }

    @Test func crossRateThroughTheEuroRoundsOnce() throws {
        let t = try sliceTable()
        // 100 GBP × 1.1172 / 0.8338 = 133.98896… USD
        let r = try t.convert(m("100.00", .GBP), to: .USD, on: d("2026-10-30"))
        #expect(r.amount == m("133.99", .USD))
        #expect(r.amount == m("100.00", .GBP).converted(times: dec("1.1172"), over: dec("0.8338"), to: .USD))
        let q = try t.quote(from: .GBP, to: .USD, on: d("2026-10-30"))
        #expect(q.value(places: 6) == dec("1.339890"))

        // One rounding, not two: 0.01 GBP at GBP 0.8 and USD 1.2 per EUR is 0.015 USD → 0.02 (half-even),
        // where rounding through EUR first would give 0.0125 → 0.01 EUR → 0.012 → 0.01 USD.
        let day = d("2026-01-05")
        let small = RateTable([ExchangeRate(date: day, base: .EUR, quote: .GBP, rate: dec("0.8"), source: "test"),
                               ExchangeRate(date: day, base: .EUR, quote: .USD, rate: dec("1.2"), source: "test")])
        #expect(try small.convert(m("0.01", .GBP), to: .USD, on: day).amount == m("0.02", .USD))
        // Half-even ties: 0.03 GBP → 0.045 USD → 0.04.
        #expect(try small.convert(m("0.03", .GBP), to: .USD, on: day).amount == m("0.04", .USD))
    }

    @Test func weekendAndHolidayFallback() throws {
        let t = try sliceTable()
        // Saturday 2026-10-31 uses Friday's rate.
        let sat = try t.convert(m("100.00", .USD), to: .EUR, on: d("2026-10-31"))
        #expect(sat.amount == m("89.51", .EUR))
        #expect(sat.usedFallback)
        // Easter Monday 2026-04-06 (a TARGET holiday) and Good Friday fall back to Thursday 2026-04-02: 250 / 1.1525.
        let q = try t.quote(from: .USD, to: .EUR, on: d("2026-04-06"))
        #expect(q.publishedOn == d("2026-04-02"))
        #expect(q.usedFallback)
        #expect(try t.convert(m("250.00", .USD), to: .EUR, on: d("2026-04-06")).amount == m("216.92", .EUR))
        // Within the limit (7 days after the last rate) still converts; beyond it is an error.
        #expect(try t.convert(m("1.00", .USD), to: .EUR, on: d("2026-11-06")).usedFallback)
        #expect(throws: RateError.self) { try t.convert(m("1.00", .USD), to: .EUR, on: d("2026-11-07")) }
    }

    @Test func missingRateErrorSaysWhatAndHow() throws {
        let t = try sliceTable()
        do {
            _ = try t.convert(m("100.00", .USD), to: .EUR, on: d("2026-11-15"))
            Issue.record("expected a missing-rate error")
        } catch {
            #expect(error == .missingRate(currency: .USD, other: .EUR, date: d("2026-11-15"), lastEarlier: d("2026-10-30"), limit: 7))
            let text = error.description
            #expect(text.contains("USD") && text.contains("2026-11-15"))
            #expect(text.contains("last earlier rate is from 2026-10-30, 16 days before"))
            #expect(text.contains("eurofxref-hist.zip and import it"))
            #expect(!text.contains("saldo "))   // the library names no commands
            #expect(text.contains("Saldo bundles them up to 2026-10-30"))
            #expect(error.diagnostic.code == "fx.missing-rate")
        }
        // A currency with no rates at all, and a day before the first rate.
        let inr = try CurrencyCode("INR")
        do {
            _ = try t.convert(m("100.00", .EUR), to: inr, on: d("2026-05-04"))
            Issue.record("expected a missing-rate error")
        } catch {
            #expect(error.message == "no exchange rate EUR→INR for INR on 2026-05-04: no rate for INR was published on or before that day in the imported rates")
        }
        #expect(throws: RateError.self) { try t.convert(m("1.00", .GBP), to: .EUR, on: d("2023-12-29")) }
        // Never a silent zero, also for an empty table.
        #expect(throws: RateError.self) { try RateTable().convert(m("1.00", .USD), to: .EUR, on: d("2026-01-05")) }
    }

    @Test func converterCountsFallbacks() throws {
        var c = Converter(table: try sliceTable(), target: .EUR)
        _ = try c.convert(m("10.00", .USD), on: d("2026-10-30"))   // Friday
        _ = try c.convert(m("10.00", .USD), on: d("2026-10-31"))   // Saturday
        _ = try c.convert(m("10.00", .GBP), on: d("2026-11-01"))   // Sunday
        _ = try c.convert(m("10.00", .EUR), on: d("2026-11-01"))   // no conversion
        #expect(c.convertedCount == 3)
        #expect(c.fallbackCount == 2)
    }

    @Test func laterImportReplacesTheSameDay() {
        let day = d("2026-01-05")
        var t = RateTable([ExchangeRate(date: day, base: .EUR, quote: .USD, rate: dec("1.1"), source: "a")])
        let new = t.add([ExchangeRate(date: day, base: .EUR, quote: .USD, rate: dec("1.2"), source: "b"),
                         ExchangeRate(date: d("2026-01-06"), base: .EUR, quote: .USD, rate: dec("1.3"), source: "b")])
        #expect(new == 1)
        #expect(t.count == 2)
        #expect(t.allRates.map(\.source) == ["b", "b"])
        #expect(t.allRates.first?.rate == dec("1.2"))
    }

    @Test func perEURTuplesAsFromTheXMLReader() throws {
        var t = RateTable()
        t.addPerEUR([(date: d("2025-05-09"), currency: .USD, perEUR: dec("1.1223"))])
        #expect(try t.convert(m("112.23", .USD), to: .EUR, on: d("2025-05-09")).amount == m("100.00", .EUR))
    }

    @Test func ratioNeverTraps() {
        #expect(ratio(dec("1.1172"), dec("0.8338"), places: 6) == dec("1.339890"))
        #expect(ratio(dec("1"), dec("0"), places: 4) == dec("0"))
        // 18-digit rates with 12 decimals on both legs: still a number, close to the exact one.
        let big = ExactDecimal(significand: 999_999_999_999_999_999, scale: 12) * ExactDecimal(significand: 999_999_999_999_999_999, scale: 12)
        let r = ratio(big, ExactDecimal(significand: 3, scale: 12), places: 6)
        #expect(r == dec("333333333333333332666666.666667"))
    }

    @Test func overflowIsAnErrorNotATrap() {
        let day = d("2026-01-05")
        let t = RateTable([ExchangeRate(date: day, base: .EUR, quote: .JPY, rate: dec("999999999"), source: "t")])
        #expect(throws: RateError.self) { try t.convert(Money(minorUnits: Int64.max / 2, currency: .EUR), to: .JPY, on: day) }
    }
}

@Suite struct ZipTests {
    // Made with Python's zipfile: the first 40 rows of the slice, deflated (dynamic Huffman).
    static let deflated = "UEsDBBQAAAAIANyRfF1PxUi2xwQAADsNAAASAAAAZXVyb2Z4cmVmLWhpc3QuY3N2VZbNbiQ3DITv+yy9DYkiReq6cX4Qb5xFFgGSYw55g7w/QlbJHo0vho2eb1isItkv//z37/Xn95fr129/Xy+vr9fPX75d376+Xd9/fL1++OWn6+331+vLH1+v3/56uz5Jk/m5t8+jXf3u3eXqbveMy2/1YVe7Y4y49NaWv3q7l0f+c/Wl9dfocs27zSWX5Odl+AMpC8gBYj4A4gTRvJBjbeRa9UVLRMAc3a78hM1xST49Zz+gQSipMUHVDqqHoVC1q/e72QRUHVB1QEfzguZH5gF1QI2VOpkC5jSKFyB9FzoWmBFgTlEw4yBOECOr9XknGUgHMuSjnfnMCCJ1FFIti5+3mFC7+Kl9ALqo3TqhQe3CjlJ7H50NhXads+qcml+VLjWRU7sUVNqzeFbqXsy5yOwCZu9gprREmiuRKfGB7ECOTIh7fp7IucUbmIMeLaf69Cqhll9RdQ5BP2f+fkARUIFJCdUDmu5AvE+2NPsEkyDeRCF+pGcF9b4e0I6IihCaeXuI12pJQSvA+VBTQCfUW/4UNKlMUxw2dXgvNgANOWzSEYQCqdTuSH2FyO6sDvmccRpfosujALGxoZhNzXo+eD4BHOVlIgzNnE7dtg7TuzJJu5mLQD1LrOAX1DDuA+mcbUC2ZN+TaSdxnIFfzKYNEPPpw525SOyUPTFDM/sFZD+z2YXQzjLH2UnlCglmc23pG7pgj0WHdmunPY2eZxePIBk2iGbkAGU6+/RNhXrvNL0F1I91RL5xLQWhjfOefYVFi+k0BmkhSEMmmQ71PQrZNQ71jVsph7BaGnuHbNsVJtU0JVOEzLbILONtGbIpMk4msznzQY/nvVQTDd9BVKF0I9IDyPQVyH6s+bbDyWmXOMt0gXIukFxqu52YITenSQqTxtBjfzZ5DGbGaR3Hw9qASe6kLg4R6gyejpio06Kd0rmVVkC67swjTDacSPo+uD2VCyScSOyklPAepbb20RxmQAp3p0G6KaNUnX4Qnfeu8cA1d5b5cYuSyav5ztR+jKZ53xYhSUMI5UoKx2yuTuioY/qAIp7DqZ2um5C5N9JGNiMT1z2QztUZeKmr+0DC9jxjiVz3KX023ZszHgapYimFQjhz1J+FYyeNmU2PbMom0vIVk3FHlTK5OXXnPRYcivxr3Ss+7nBBsZa0EpdQeWKyyJ13x3HjXffMW/KsmrDuyNeTA4hglrkF7E9VciMpVdcjIGJ3RKYvkV5Tn91y8QOJYGYgi/iUIQLptnAXKV+ZIldS8vKtqnB2GtODFQK39MzPnvCxB6dvr4UV7i5m55OZa9kOJlaRYhFHft+x3S2Qc16LfF3ZTGy3Wk9VZa2ILHOMQzWvpNWMJTLiSbeikcykxFau222+dI06J2jlqd0I5Xrbb4c76EZ3WKaSyEVEoMJtX37MDe+kGXWbnLqNa113ymPvDCKn8w2WzJMIs62MK+I8TlruAURy7/QaySLaLrKhSmGZedWPlHfsoVktzVls6zhptjZUeHzWTpGwTO4Mk6Dn5zzyTtZbBCpdT5VSe98nTTe1Ka8vX7VlIexz6VEqD+Wsxmap57vRdr37fu/AQNYZqkJ1e84y5zGQvJKz9CXw/UrOXSaRjWVOIvl65I5VZE6m5fd9+h9QSwECFAMUAAAACADckXxdT8VItscEAAA7DQAAEgAAAAAAAAAAAAAAgAEAAAAAZXVyb2Z4cmVmLWhpc3QuY3N2UEsFBgAAAAABAAEAQAAAAPcEAAAAAA=="
    // A stored (uncompressed) plain rate CSV.
    static let stored = "UEsDBBQAAAAAANyRfF1FP1oJMAAAADAAAAAJAAAAcmF0ZXMuY3N2ZGF0ZSxiYXNlLHF1b3RlLHJhdGUKMjAyNi0wMy0wMixVU0QsTVhOLDE3LjEyMzQKUEsBAhQDFAAAAAAA3JF8XUU/WgkwAAAAMAAAAAkAAAAAAAAAAAAAAIABAAAAAHJhdGVzLmNzdlBLBQYAAAAAAQABADcAAABXAAAAAAA="
    // A tiny deflated file (fixed Huffman codes).
    static let fixedCodes = "UEsDBBQAAAAIANyRfF1VsoEHHwAAAB0AAAANAAAAZXVyb2Z4cmVmLmNzdnNJLEnVCQ120eEyMjAy0zU00DU20DHUMzQ0N9LhAgBQSwECFAMUAAAACADckXxdVbKBBx8AAAAdAAAADQAAAAAAAAAAAAAAgAEAAAAAZXVyb2Z4cmVmLmNzdlBLBQYAAAAAAQABADsAAABKAAAAAAA="

    @Test func deflatedECBFile() throws {
        let data = try #require(Data(base64Encoded: ZipTests.deflated))
        #expect(ZipReader.looksLikeZip(data))
        let entries = try ZipReader.files(data)
        #expect(entries.map(\.name) == ["eurofxref-hist.csv"])
        let slice = try Fixtures.text("ecb/eurofxref-hist-slice.csv")
        let first41 = slice.split(separator: "\n", omittingEmptySubsequences: false).prefix(41).joined(separator: "\n") + "\n"
        #expect(String(decoding: entries[0].data, as: UTF8.self) == first41)
        let r = RateFileReader.read(data, file: "eurofxref-hist.zip")
        #expect(r.contents.errors.isEmpty)
        #expect(r.contents.rates.count == 400)
    }

    @Test func storedAndFixedEntries() throws {
        let s = RateFileReader.read(try #require(Data(base64Encoded: ZipTests.stored)), file: "rates.zip")
        #expect(s.contents.rates.map(\.rate) == [dec("17.1234")])
        let f = try ZipReader.files(try #require(Data(base64Encoded: ZipTests.fixedCodes)))
        #expect(String(decoding: f[0].data, as: UTF8.self) == "Date,USD,\n2026-10-30,1.1172,\n")
    }

    @Test func damagedArchivesAreErrorsNotCrashes() throws {
        let data = try #require(Data(base64Encoded: ZipTests.deflated))
        // Cut short, and every byte of the compressed stream flipped in turn: never a trap.
        #expect(throws: ZipError.self) { try ZipReader.files(data.prefix(data.count / 2)) }
        for i in stride(from: 60, to: data.count - 120, by: 7) {
            var bad = data
            bad[i] ^= 0x5A
            _ = try? ZipReader.files(bad)
        }
        let r = RateFileReader.read(data.prefix(200), file: "cut.zip")
        #expect(r.contents.errors.first?.code == "fx.zip")
        #expect(r.contents.errors.first?.hint == "unzip the archive and import the CSV inside it")
    }
}

@Suite struct ReaderRobustness {
    /// Deterministic pseudo-random bytes and mutations of real files: readers return
    /// diagnostics, never trap.
    @Test func garbageNeverCrashes() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        let alphabet = Array("0123456789.,-N/A\n\r\"Date,USD,base,quote,rate éß".utf8)
        let slice = try Fixtures.data("ecb/eurofxref-hist-slice.csv").prefix(3000)
        for round in 0..<300 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(next() % 400)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            } else {
                bytes = Array(slice)
                for _ in 0..<8 { bytes[Int(next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: next()) }
            }
            let data = Data(bytes)
            _ = ECBCSVReader.read(data, file: "f.csv")
            _ = PlainRateCSVReader.read(data, file: "f.csv")
            _ = RateFileReader.read(Data([0x50, 0x4B, 0x03, 0x04]) + data, file: "f.zip")
        }
    }
}
