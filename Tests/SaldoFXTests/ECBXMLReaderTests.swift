import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
import SaldoFX

@Suite("ECB XML reader")
struct ECBXMLReaderTests {
    @Test func dailyFile() throws {
        let rates = try ECBXMLReader.read(contentsOf: Fixtures.url("ecb/eurofxref-daily-2025-05-09.xml"))
        #expect(rates.count == 30)
        #expect(Set(rates.map(\.date)) == [Day(year: 2025, month: 5, day: 9)!])
        let usd = try #require(rates.first { $0.currency == .USD })
        #expect(usd.perEUR == (try ExactDecimal("1.1252")))
        #expect(rates.first { $0.currency == .JPY }?.perEUR.description == "163.36")
        #expect(rates.first { $0.currency.code == "BGN" }?.perEUR.description == "1.9558")
        #expect(rates.first { $0.currency == .GBP }?.perEUR.description == "0.84770")
    }

    @Test func ninetyDayHistory() throws {
        let url = Fixtures.url("ecb/eurofxref-hist-90d-2018-06-29.xml")
        let rates = try ECBXMLReader.read(contentsOf: url)
        let days = Set(rates.map(\.date))
        #expect(days.count == 63)
        #expect(rates.first?.date == Day(year: 2018, month: 6, day: 29))
        #expect(days.min() == Day(year: 2018, month: 4, day: 3))
        #expect(rates.first { $0.date == Day(year: 2018, month: 6, day: 29) && $0.currency == .USD }?.perEUR.description == "1.1658")
        #expect(rates.contains { $0.currency.code == "RUB" })
        // HRK (replaced by the euro in 2023) is read like the others: a ledger can hold HRK amounts.
        let (r2, skipped) = try ECBXMLReader.readSkipping(contentsOf: url)
        #expect(skipped.isEmpty && r2.count == rates.count)
        #expect(rates.first { $0.date == Day(year: 2018, month: 6, day: 29) && $0.currency.code == "HRK" } != nil)
    }

    @Test func decimalCommaAndForeignRootAreRefused() {
        let edited = """
        <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
        <Cube><Cube time='2026-03-13'><Cube currency='USD' rate='1,1476'/></Cube></Cube></gesmes:Envelope>
        """
        #expect(throws: DiagnosticsError.self) { try ECBXMLReader.read(Array(edited.utf8), file: "edited.xml") }
        do { _ = try ECBXMLReader.read(Array(edited.utf8), file: "edited.xml") } catch {
            #expect(error.diagnostics.first?.code == "ecb.rate")
            #expect(error.diagnostics.first?.description.hasPrefix("edited.xml:2") == true)
        }
        do { _ = try ECBXMLReader.read(Array("<Invoice/>".utf8), file: "x.xml") } catch {
            #expect(error.diagnostics.first?.code == "ecb.format")
        }
    }
}
