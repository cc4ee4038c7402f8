import Foundation
import SaldoCore
import SaldoFX
import SaldoTestSupport
import Testing

let ARS = (try? CurrencyCode("ARS")) ?? .USD
let COP = (try? CurrencyCode("COP")) ?? .USD
let CLP = (try? CurrencyCode("CLP")) ?? .USD
let BRL = (try? CurrencyCode("BRL")) ?? .USD
let PEN = (try? CurrencyCode("PEN")) ?? .USD

/// Each central bank profile reads a fixture in the layout its API publishes.
@Suite struct CentralBankReaderTests {
    func read(_ p: RateSourceProfile, _ file: String) throws -> RateFileContents {
        let data = try Fixtures.data("rates/\(file)")
        #expect(RateSourceProfile.detect(data) == p, "\(file) detected as \(String(describing: RateSourceProfile.detect(data)))")
        let r = p.read(data, file: file)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.rates.allSatisfy { $0.source == p.sourceName })
        return r
    }

    @Test func bcra() throws {
        let r = try read(.bcra, "bcra-cotizaciones-usd.json")
        #expect(r.rates.count == 5)
        #expect(r.rates.allSatisfy { $0.base == .USD && $0.quote == ARS })
        #expect(r.rates.first == ExchangeRate(date: d("2026-10-30"), base: .USD, quote: ARS, rate: dec("1455.75"), source: "BCRA"))
        #expect(r.rates.last?.rate == dec("1444.5"))
    }

    @Test func trmCoversEveryDayOfItsValidity() throws {
        let r = try read(.trm, "trm-datos-gov-co.json")
        // Saturday 31 October to Tuesday 3 November is one TRM: four days, then three single days.
        #expect(r.rates.count == 7)
        #expect(r.rates.filter { $0.rate == dec("3893.45") }.map(\.date) == [d("2026-10-31"), d("2026-11-01"), d("2026-11-02"), d("2026-11-03")])
        #expect(r.rates.allSatisfy { $0.base == .USD && $0.quote == COP })
    }

    @Test func banxicoFIX() throws {
        let r = try read(.banxico, "banxico-sie-sf43718.json")
        #expect(r.rates.count == 5)   // N/E is no value
        #expect(r.rates.first == ExchangeRate(date: d("2026-10-26"), base: .USD, quote: .MXN, rate: dec("18.4321"), source: "Banxico"))
    }

    @Test func bancoCentralDeChile() throws {
        let r = try read(.bcch, "bcch-bde-f073.json")
        #expect(r.rates.map(\.date) == [d("2026-10-26"), d("2026-10-27"), d("2026-10-28"), d("2026-10-30")])
        #expect(r.rates.last?.rate == dec("943.07") && r.rates.last?.quote == CLP)
    }

    @Test func ptaxSellingRateKeptExact() throws {
        let r = try read(.ptax, "ptax-olinda-cotacaodolarperiodo.json")
        #expect(r.rates.count == 5)
        #expect(r.rates[3] == ExchangeRate(date: d("2026-10-29"), base: .USD, quote: BRL, rate: dec("5.4026"), source: "PTAX"))
    }

    @Test func bcrp() throws {
        let r = try read(.bcrp, "bcrp-pd04638pd.json")
        #expect(r.rates.map(\.date) == [d("2026-10-26"), d("2026-10-27"), d("2026-10-29"), d("2026-10-30")])
        #expect(r.rates.first?.rate == dec("3.412") && r.rates.first?.quote == PEN)
    }

    @Test func bcuDollarBillete() throws {
        let r = try read(.bcu, "bcu-awsbcucotizaciones.xml")
        // The cable rate (2224) of the 28th is left out: the billete (2225) is the reference.
        #expect(r.rates.map(\.rate) == [dec("39.874"), dec("39.912"), dec("39.951")])
        #expect(r.rates.allSatisfy { $0.base == .USD && $0.quote.code == "UYU" })
        let failed = RateSourceProfile.bcu.read(Data("<Envelope><respuestastatus><status>0</status><mensaje>Fecha invalida</mensaje></respuestastatus></Envelope>".utf8), file: "u.xml")
        #expect(failed.errors.map(\.code) == ["fx.bcu.status"])
        #expect(RateSourceProfile.bcu.read(Data("<Envelope><datoscotizaciones>".utf8), file: "u.xml").errors.first?.code == "fx.bcu.xml")
    }

    @Test func badFilesSayWhereAndWhat() {
        // Cut short: the line where it ends.
        let cut = RateSourceProfile.bcra.read(Data("{\"status\":200,\n\"results\":[{\"fecha\":\"2026-10-30\",".utf8), file: "bcra.json")
        #expect(cut.rates.isEmpty)
        #expect(cut.errors.first?.code == "fx.bcra.json")
        #expect(cut.errors.first?.location?.line == 2)
        #expect(cut.errors.first?.message.contains("the end of the file") == true)
        // A bad date and a bad rate: each named with line and field, the rest read.
        let text = "{\"bmx\":{\"series\":[{\"idSerie\":\"SF43718\",\"datos\":[\n{\"fecha\":\"2026-10-26\",\"dato\":\"18.4\"},\n{\"fecha\":\"27/10/2026\",\"dato\":\"18,4\"},\n{\"fecha\":\"28/10/2026\",\"dato\":\"18.45\"}]}]}}"
        let b = RateSourceProfile.banxico.read(Data(text.utf8), file: "fix.json")
        #expect(b.rates.count == 1)
        #expect(b.errors.map(\.description) == [
            "fix.json:2 (fecha): expected a date dd/mm/yyyy, found \"2026-10-26\"; the day was left out",
            "fix.json:3 (dato): expected a positive rate such as 1234.56, found \"18,4\"; the day was left out",
        ])
        // An API error answer.
        let e = RateSourceProfile.bcch.read(Data("{\"Codigo\":-5,\"Descripcion\":\"Invalid username or password\",\"Series\":{}}".utf8), file: "c.json")
        #expect(e.errors.map(\.code) == ["fx.bcch.status"])
        // Nothing in it.
        #expect(RateSourceProfile.ptax.read(Data("{\"value\":[]}".utf8), file: "p.json").errors.map(\.code) == ["fx.ptax.empty"])
    }

    @Test func detectionIsUnambiguousOrNil() throws {
        #expect(RateSourceProfile.detect(try Fixtures.data("ecb/eurofxref-daily-2025-05-09.xml")) == nil)
        #expect(RateSourceProfile.detect(Data("date,base,quote,rate\n".utf8)) == nil)
        #expect(RateSourceProfile.detect(Data("{}".utf8)) == nil)
    }

    @Test func profilesByNameAndAlias() {
        #expect(RateSourceProfile.named("BCRA") == .bcra)
        #expect(RateSourceProfile.named("banrep") == .trm)
        #expect(RateSourceProfile.named("bcb") == .ptax)
        #expect(RateSourceProfile.named("nope") == nil)
    }
}

/// Choosing sources per currency, and cross rates through the dollar computed once, rounded once.
@Suite struct RateSourceChoiceTests {
    @Test func parsesMergesAndRefuses() throws {
        let c = try RateSourceChoice(parsing: "ars=BCRA, MXN = banxico")
        #expect(c.stored == "ARS=bcra,MXN=banxico")
        #expect(c.merged(with: try RateSourceChoice(parsing: "MXN=ecb")).stored == "ARS=bcra,MXN=ecb")
        #expect(throws: DiagnosticsError.self) { try RateSourceChoice(parsing: "ARS=banxico") }
        #expect(throws: DiagnosticsError.self) { try RateSourceChoice(parsing: "ARS=ecb") }
        #expect(throws: DiagnosticsError.self) { try RateSourceChoice(parsing: "ARS") }
        #expect(throws: DiagnosticsError.self) { try RateSourceChoice(parsing: "ARS=central") }
        #expect(RateSourceChoice(stored: "garbage").byCurrency.isEmpty)
    }

    static func table(choice: RateSourceChoice = RateSourceChoice()) throws -> RateTable {
        let bcra = RateSourceProfile.bcra.read(try Fixtures.data("rates/bcra-cotizaciones-usd.json"), file: "b.json").rates
        let fix = RateSourceProfile.banxico.read(try Fixtures.data("rates/banxico-sie-sf43718.json"), file: "x.json").rates
        return try RateTable.ledgerOverBundled(bcra + fix, currencies: [ARS, .MXN, .EUR], days: d("2026-10-26")...d("2026-10-30"), choice: choice)
    }

    @Test func pesosCrossThroughTheDollar() throws {
        let t = try Self.table()
        // 1 EUR = 1.1572 USD on 2026-10-30 (bundled ECB); 1 USD = 1455.75 ARS (BCRA).
        let usd = try #require(BundledECBRates.rates(currencies: [.USD], days: d("2026-10-30")...d("2026-10-30")).first?.rate)
        let q = try t.quote(from: ARS, to: .EUR, on: d("2026-10-30"))
        #expect(q.numerator == ExactDecimal(1))
        #expect(q.denominator == dec("1455.75") * usd)
        let got = try t.convert(m("1000000.00", ARS), to: .EUR, on: d("2026-10-30")).amount
        #expect(got == m("1000000.00", ARS).converted(times: ExactDecimal(1), over: dec("1455.75") * usd, to: .EUR))
    }

    @Test func theChosenSourceWins() throws {
        // Without a choice MXN uses the ECB's own euro rate; with MXN=banxico, FIX through the dollar.
        let ecb = try Self.table().quote(from: .MXN, to: .EUR, on: d("2026-10-30"))
        let fix = try Self.table(choice: RateSourceChoice([.MXN: .banxico])).quote(from: .MXN, to: .EUR, on: d("2026-10-30"))
        let usd = try #require(BundledECBRates.rates(currencies: [.USD], days: d("2026-10-30")...d("2026-10-30")).first?.rate)
        #expect(fix.denominator == dec("18.4876") * usd)
        #expect(ecb.denominator != fix.denominator)
    }

    /// Property: for any amount and rates, ARS→EUR through USD equals the amount × 1 / (ARS per USD ×
    /// USD per EUR) rounded once, half to even (`Money.converted(times:over:)`), whatever two
    /// roundings would give.
    @Test func crossRateRoundsOnce() throws {
        var seed: UInt64 = 0x5A1D0
        func next(_ n: UInt64) -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return (seed >> 33) % n }
        var differsFromTwoRoundings = 0
        for _ in 0..<500 {
            let ars = ExactDecimal(significand: Int128(100_000 + next(200_000_000)), scale: Int(next(5)))        // 1.00000 … 2,000,000
            let usd = ExactDecimal(significand: Int128(5_000 + next(20_000)), scale: 4)                          // 0.5 … 2.5
            let day = d("2026-03-02")
            var t = RateTable()
            t.add([ExchangeRate(date: day, base: .USD, quote: ARS, rate: ars, source: "BCRA"),
                   ExchangeRate(date: day, base: .EUR, quote: .USD, rate: usd, source: "ECB")])
            let amount = Money(minorUnits: Int64(next(10_000_000_000)), currency: ARS)
            let got = try t.convert(amount, to: .EUR, on: day).amount
            #expect(got == amount.converted(times: ExactDecimal(1), over: ars * usd, to: .EUR))
            let twice = amount.converted(dividingBy: ars, to: .USD).converted(dividingBy: usd, to: .EUR)
            if twice != got { differsFromTwoRoundings += 1 }
            // And back: EUR→ARS multiplies by the same product.
            let eur = Money(minorUnits: Int64(next(1_000_000_00)), currency: .EUR)
            #expect(try t.convert(eur, to: ARS, on: day).amount == eur.converted(times: ars * usd, over: ExactDecimal(1), to: ARS))
        }
        #expect(differsFromTwoRoundings > 0)   // the property is not vacuous: rounding twice differs
    }
}

/// Beyond the window a report goes on: nearest rate, provisional, and what to add.
@Suite struct ProvisionalConversionTests {
    @Test func beyondTheWindowIsProvisional() throws {
        var t = try sliceTable()
        t.beyondWindow = .provisional
        var c = Converter(table: t, target: .EUR)
        // 2026-11-20 is 21 days after the slice's last rate (2026-10-30).
        let (a, p) = try c.convertMarking(m("100.00", .USD), on: d("2026-11-20"))
        #expect(p)
        #expect(a == (try t.convert(m("100.00", .USD), to: .EUR, on: d("2026-10-30")).amount))
        _ = try c.convertMarking(m("50.00", .USD), on: d("2026-11-25"))
        // Within the window: not provisional.
        let (_, p2) = try c.convertMarking(m("10.00", .USD), on: d("2026-11-02"))
        #expect(!p2)
        #expect(c.fallbackCount == 1)
        #expect(c.missing.gaps == [MissingRates.Gap(currency: .USD, from: d("2026-11-20"), to: d("2026-11-25"), amounts: 2, unconverted: 0, lastEarlier: d("2026-10-30"))])
        #expect(c.missing.fix.hasPrefix("USD rates for 2026-11-20 to 2026-11-25 (newer ECB reference rates"))
        #expect(c.missing.notes(window: 7) == ["Provisional: 2 amounts in USD from 2026-11-20 to 2026-11-25 had no rate within 7 days (the last earlier is from 2026-10-30) and were converted at the nearest rate."])
    }

    @Test func aCurrencyWithNoSourceCountsAsZeroAndSaysWhereToGetIt() throws {
        var t = try sliceTable()
        t.beyondWindow = .provisional
        var c = Converter(table: t, target: .EUR)
        let (a, p) = try c.convertMarking(m("5000.00", ARS), on: d("2026-03-02"))
        #expect(p && a == .zero(.EUR))
        #expect(c.missing.unconvertedAmounts == 1)
        #expect(c.missing.fix.contains("Banco Central de la República Argentina") && c.missing.fix.contains("bcra"))
    }

    @Test func failingStaysTheDefault() throws {
        var c = Converter(table: try sliceTable(), target: .EUR)
        #expect(throws: RateError.self) { try c.convertMarking(m("100.00", .USD), on: d("2026-11-20")) }
    }
}

/// Every diagnostic SaldoFX can produce says its problem and its fix apart: no message contains its
/// own hint.
@Suite struct FXDiagnosticHintTests {
    static func all() throws -> [Diagnostic] {
        var out: [Diagnostic] = []
        let today = d("2026-12-05")
        out.append(RateError.missingRate(currency: .USD, other: .EUR, date: d("2026-11-20"), lastEarlier: d("2026-10-30"), limit: 7).diagnostic)
        out.append(RateError.missingRate(currency: ARS, other: .EUR, date: d("2026-11-20"), lastEarlier: nil, limit: 7).diagnostic)
        out.append(RateError.overflow(amount: m("1.00", .USD), target: .EUR).diagnostic)
        // ECB readers.
        out += ECBCSVReader.read(Data(), file: "e.csv").diagnostics
        out += ECBCSVReader.read(Data("Fecha;USD\n".utf8), file: "e.csv").diagnostics
        out += ECBCSVReader.read(Data("Date,USD,CYP,\n2026-10-30,1.1x,N/A,9,\nx,1,\n".utf8), file: "e.csv").diagnostics
        out += PlainRateCSVReader.read(Data(), file: "p.csv").diagnostics
        out += PlainRateCSVReader.read(Data("a,b\n".utf8), file: "p.csv").diagnostics
        out += PlainRateCSVReader.read(Data("date,base,quote,rate\nx,EUR,USD,1\n2026-01-01,XXX,USD,1\n2026-01-01,EUR,EUR,1\n2026-01-01,EUR,USD,-1\n".utf8), file: "p.csv").diagnostics
        out += RateFileReader.read(Data([0x50, 0x4B, 0x03, 0x04, 0, 0]), file: "z.zip").contents.diagnostics
        for xml in ["<a/>", "<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\" xmlns=\"http://www.ecb.int/vocabulary/2002-08-01/eurofxref\"><Cube><Cube time=\"x\"><Cube currency=\"U1D\" rate=\"1,1\"/></Cube><Cube time=\"2026-01-02\"><Cube currency=\"U1D\" rate=\"1.1\"/><Cube currency=\"USD\" rate=\"1,1\"/></Cube></Cube></gesmes:Envelope>",
                    "<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\"/>"] {
            do { _ = try ECBXMLReader.read(Data(xml.utf8), file: "x.xml") } catch { out += error.diagnostics }
        }
        // The update's checks.
        for (body, type) in [(Data(), nil), (Data("<html></html>".utf8), "text/html"), (Data("{}".utf8), nil), (Data("<gesmes:Envelope".utf8), nil),
                             (try Fixtures.data("ecb/eurofxref-daily-2025-05-09.xml"), nil)] as [(Data, String?)] {
            if case .failure(let e) = ECBUpdate.check(body, contentType: type, file: "u.xml", today: d("2020-01-01")) { out += e.diagnostics }
        }
        out.append(ECBUpdate.checkURL(URL(string: "http://example.org/")!)!)
        struct Fixed: RateFetcher { var r: RateDownloadResponse; func fetch(_: RateDownloadRequest) -> RateDownloadResponse { r } }
        for s in [404, 500] {
            if case .refused(let d) = ECBUpdate.run(url: URL(string: "https://example.org/x.xml")!, validators: nil, fetcher: Fixed(r: .status(s)), today: today) { out += d }
        }
        // The bank readers and the source choice.
        for p in RateSourceProfile.allCases {
            out += p.read(Data("{".utf8), file: "b.json").diagnostics
            out += p.read(Data("{}".utf8), file: "b.json").diagnostics
            out += p.read(Data("[{\"unidad\":\"USD\"},{\"vigenciadesde\":\"x\",\"vigenciahasta\":\"2026-01-01\",\"valor\":\"1\"},{\"vigenciadesde\":\"2026-01-01T00:00:00.000\",\"vigenciahasta\":\"2026-03-01T00:00:00.000\",\"valor\":\"1\"}]".utf8), file: "b.json").diagnostics
        }
        out += RateSourceProfile.bcra.read(Data("{\"status\":400,\"errorMessages\":[\"fecha inválida\"]}".utf8), file: "b.json").diagnostics
        out += RateSourceProfile.bcra.read(Data("{\"results\":[{\"fecha\":\"x\"},{\"fecha\":\"2026-01-02\",\"detalle\":[{\"codigoMoneda\":\"USD\",\"tipoCotizacion\":\"abc\"}]}]}".utf8), file: "b.json").diagnostics
        out += RateSourceProfile.banxico.read(Data("{\"bmx\":{\"series\":[{\"idSerie\":\"SF1\"}]}}".utf8), file: "b.json").diagnostics
        out += RateSourceProfile.bcch.read(Data("{\"Codigo\":-5,\"Descripcion\":\"x\"}".utf8), file: "b.json").diagnostics
        out += RateSourceProfile.bcch.read(Data("{\"Codigo\":0,\"Series\":{\"seriesId\":\"X\"}}".utf8), file: "b.json").diagnostics
        for text in ["ARS", "ARS=banxico", "ARS=ecb", "ARS=zzz"] {
            do { _ = try RateSourceChoice(parsing: text) } catch { out += error.diagnostics }
        }
        return out
    }

    @Test func noMessageRepeatsItsHint() throws {
        let all = try Self.all()
        let codes = Set(all.map(\.code))
        // Every code the brief lists is reached at least once.
        for c in ["fx.missing-rate", "fx.overflow", "fx.ecb-csv.empty", "fx.ecb-csv.header", "fx.ecb-csv.rate", "fx.ecb-csv.date", "fx.rate-csv.header",
                  "fx.zip", "ecb.format", "ecb.date", "ecb.currency", "ecb.rate", "fx.update.empty", "fx.update.not-rates", "fx.update.incomplete",
                  "fx.update.date", "fx.update.url", "fx.update.status", "fx.bcra.json", "fx.bcra.status", "fx.bcra.date", "fx.bcra.rate",
                  "fx.trm.unit", "fx.trm.validity", "fx.banxico.series", "fx.bcch.status", "fx.bcch.series", "fx.ptax.layout",
                  "fx.rate-source.syntax", "fx.rate-source.currency", "fx.rate-source.unknown"] {
            #expect(codes.contains(c), "not reached: \(c)")
        }
        #expect(all.count > 40)
        for d in all {
            if let h = d.hint {
                #expect(!h.isEmpty)
                #expect(!d.message.contains(h), "\(d.code): the message repeats its hint: \(d.description)")
                #expect(!d.message.lowercased().contains("hint:"), "\(d.code): \(d.message)")
                #expect(!h.contains("saldo ") && !h.contains(" --"), "\(d.code): the library names a command: \(h)")
            }
        }
    }
}
