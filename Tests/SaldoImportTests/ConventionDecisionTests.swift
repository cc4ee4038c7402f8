import Foundation
import Testing
import SaldoCore
@testable import SaldoImport

/// Issue #12: the date order and the decimal mark are decided from evidence, strongest first:
/// `--date-format`/`--decimal-mark`; values that fit only one reading (conflicting ones are an
/// error); the profile; the export's language and layout; the row order; the running balances;
/// otherwise the import stops and asks. The result says which evidence decided.
@Suite struct ConventionDecisionTests {
    static let spanish = "Fecha,Hora,Zona horaria,Nombre,Tipo,Estado,Divisa,Bruto,Tarifa,Neto,Id. de transacción,Saldo"
    static let english = "Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,Transaction ID,Balance"
    static let german = "Datum,Uhrzeit,Zeitzone,Name,Typ,Status,Währung,Brutto,Gebühr,Netto,Transaktionscode,Guthaben"

    /// One PayPal activity row: date, time zone, status, currency, amount (gross = net, no fee), balance.
    static func row(_ date: String, _ zone: String, _ status: String, _ gross: String, _ balance: String, id: Int, currency: String = "EUR") -> String {
        "\(date),10:00:00,\(zone),Client,Payment,\(status),\(currency),\"\(gross)\",\"0\",\"\(gross)\",ID\(id),\"\(balance)\""
    }

    static func spanishFile(_ rows: [(String, String, String)]) -> String {
        ([spanish] + rows.enumerated().map { row($0.element.0, "CET", "Completado", $0.element.1, $0.element.2, id: $0.offset) }).joined(separator: "\n") + "\n"
    }

    static func englishFile(zone: String, _ rows: [(String, String, String)]) -> String {
        ([english] + rows.enumerated().map { row($0.element.0, zone, "Completed", $0.element.1, $0.element.2, id: $0.offset, currency: "USD") }).joined(separator: "\n") + "\n"
    }

    func read(_ csv: String, _ options: ImportOptions = ImportOptions()) -> StatementReadResult {
        StatementImporter.read(data: Data(csv.utf8), fileName: "t.csv", options: options)
    }

    func days(_ r: StatementReadResult) -> [String] { r.transactions.map { "\($0.date)" }.sorted() }

    // MARK: dates

    @Test func languageDecidesWhenEveryDateFitsBothOrders() {
        // Spanish PayPal writes the day first; 2/1 and 3/1 are 2 and 3 January. Grouped by
        // currency, the rows are not in date order either way.
        let csv = ([Self.spanish,
                    Self.row("2/3/2020", "CET", "Completado", "12,50", "12,50", id: 1, currency: "GBP"),
                    Self.row("2/1/2020", "CET", "Completado", "100,00", "100,00", id: 2),
                    Self.row("3/1/2020", "CET", "Completado", "-40,00", "60,00", id: 3)]).joined(separator: "\n")
        let r = read(csv)
        #expect(!r.isFatal, "\(r.problems)")
        #expect(r.dateOrder == ConventionDecision(value: "dd/mm/yyyy", evidence: "Spanish headers (PayPal ES)", basis: .language))
        #expect(days(r) == ["2020-01-02", "2020-01-03", "2020-03-02"])
        #expect(r.dateOrder?.wasInferred == true)
    }

    @Test func englishPayPalWithAUSTimeZoneIsMonthFirst() {
        let r = read(Self.englishFile(zone: "PDT", [("6/4/2016", "10.00", "10.00"), ("6/9/2016", "5.00", "15.00")]))
        #expect(!r.isFatal, "\(r.problems)")
        #expect(r.dateOrder == ConventionDecision(value: "mm/dd/yyyy", evidence: "English PayPal with US time zone (PDT)", basis: .language))
        #expect(days(r) == ["2016-06-04", "2016-06-09"])
    }

    @Test func aDateThatFitsOneOrderWinsOverTheLanguage() {
        // Spanish headers, but 1/13/2020 can only be month-first.
        let r = read(Self.spanishFile([("1/13/2020", "10,00", "10,00"), ("2/1/2020", "5,00", "15,00")]))
        #expect(!r.isFatal, "\(r.problems)")
        #expect(r.dateOrder?.value == "mm/dd/yyyy")
        #expect(r.dateOrder?.basis == .values)
        #expect(r.dateOrder?.evidence == "a date with day 13 second (line 2: \"1/13/2020\")")
        #expect(days(r) == ["2020-01-13", "2020-02-01"])
        let dmy = read(Self.spanishFile([("2/1/2020", "10,00", "10,00"), ("29/1/2020", "5,00", "15,00")]))
        #expect(dmy.dateOrder == ConventionDecision(value: "dd/mm/yyyy", evidence: "a date with day 29 first (line 3: \"29/1/2020\")", basis: .values))
        #expect(dmy.dateOrder?.wasInferred == false)
    }

    @Test func conflictingDatesAreStillAnError() {
        let r = read(Self.spanishFile([("13/1/2020", "10,00", "10,00"), ("1/14/2020", "5,00", "15,00")]))
        #expect(r.isFatal)
        #expect(r.errors.contains { $0.code == "csv.date-format" && $0.message.contains("both day-first") })
        #expect(r.dateOrder == nil)
    }

    @Test func nothingSettlesItThenTheImportAsksForDateFormat() {
        // English headers with a European time zone: the language does not tell; the rows are in
        // date order under both readings and the balances add up under both.
        for zone in ["CET", ""] {
            let r = read(Self.englishFile(zone: zone, [("6/4/2016", "10.00", "10.00"), ("6/9/2016", "5.00", "15.00")]))
            #expect(r.isFatal, "zone \(zone)")
            let e = r.errors.first { $0.code == "csv.date-format" }
            #expect(e?.message.contains("cannot tell the date order") == true)
            #expect(e?.hint?.contains("dd/mm/yyyy or mm/dd/yyyy") == true)
            #expect(r.dateOrder == nil)
        }
        // One row outside the US is enough to not call it a US export.
        let mixed = read(Self.englishFile(zone: "PDT", [("6/4/2016", "10.00", "10.00"), ("6/9/2016", "5.00", "15.00")])
            .replacingOccurrences(of: "6/9/2016,10:00:00,PDT", with: "6/9/2016,10:00:00,CET"))
        #expect(mixed.isFatal)
        #expect(mixed.errors.contains { $0.code == "csv.date-format" })
    }

    @Test func dateFormatOptionWinsOverEverything() {
        let csv = Self.spanishFile([("2/1/2020", "10,00", "10,00"), ("3/1/2020", "5,00", "15,00")])
        let r = read(csv, ImportOptions(dateFormat: "mm/dd/yyyy"))
        #expect(!r.isFatal, "\(r.problems)")
        #expect(r.dateOrder == ConventionDecision(value: "mm/dd/yyyy", evidence: "the date format asked for", basis: .option))
        #expect(days(r) == ["2020-02-01", "2020-03-01"])
    }

    @Test func theLanguageComesBeforeTheRowOrder() {
        // In date order only when read month-first (Jan 2, Jan 3, Feb 1), but Spanish: day-first.
        let r = read(Self.spanishFile([("1/2/2020", "10,00", "10,00"), ("1/3/2020", "5,00", "15,00"), ("2/1/2020", "1,00", "16,00")]))
        #expect(r.dateOrder?.basis == .language)
        #expect(days(r) == ["2020-01-02", "2020-02-01", "2020-03-01"])
    }

    @Test func theRowOrderDecidesWhenTheLanguageCannot() {
        // 2/1, 3/1, 1/2 are in order only day-first (2 Jan, 3 Jan, 1 Feb).
        let r = read(Self.englishFile(zone: "CET", [("2/1/2020", "10.00", "10.00"), ("3/1/2020", "5.00", "15.00"), ("1/2/2020", "1.00", "16.00")]))
        #expect(!r.isFatal, "\(r.problems)")
        #expect(r.dateOrder == ConventionDecision(value: "dd/mm/yyyy", evidence: "rows are in date order only when read day-first", basis: .rowOrder))
    }

    @Test func theRunningBalancesDecideWhenNothingElseDoes() {
        // Not in date order either way (1 Feb, 2 Jan, 1 Mar / Jan 2, Feb 1, Jan 3); booked by date,
        // the balances chain day-first (2 Jan 100, 1 Feb 150, 1 Mar 120) and break month-first.
        let csv = Self.englishFile(zone: "CET", [("1/2/2020", "50.00", "150.00"), ("2/1/2020", "100.00", "100.00"), ("1/3/2020", "-30.00", "120.00")])
        let r = read(csv)
        #expect(!r.isFatal, "\(r.problems)")
        #expect(r.dateOrder == ConventionDecision(value: "dd/mm/yyyy", evidence: "running balances add up only when read day-first", basis: .runningBalances))
        #expect(r.balanceChecks.allSatisfy { $0.holds })
        // The same rows with the balances of the month-first reading (Jan 2 50, Jan 3 20, Feb 1 120).
        let m = read(Self.englishFile(zone: "CET", [("1/2/2020", "50.00", "50.00"), ("2/1/2020", "100.00", "120.00"), ("1/3/2020", "-30.00", "20.00")]))
        #expect(m.dateOrder?.value == "mm/dd/yyyy")
        #expect(m.dateOrder?.basis == .runningBalances)
    }

    @Test func theProfileAndUnambiguousDatesAreRecordedToo() {
        let iso = read(Self.englishFile(zone: "CET", [("2020-01-02", "10.00", "10.00")]))
        #expect(iso.dateOrder == ConventionDecision(value: "yyyy-mm-dd", evidence: "dates written year first", basis: .nothingAmbiguous))
        let dotted = read(Self.englishFile(zone: "CET", [("02.01.2020", "10.00", "10.00"), ("03.01.2020", "1.00", "11.00")]))
        #expect(dotted.dateOrder?.basis == .writing)
        #expect(days(dotted) == ["2020-01-02", "2020-01-03"])
    }

    // MARK: decimal mark

    @Test func decimalMarkEvidence() {
        // Values first: "12,50" settles a comma, whatever the headers.
        let es = read(Self.spanishFile([("13/1/2020", "12,50", "12,50")]))
        #expect(es.decimalMark == ConventionDecision(value: ",", evidence: "an amount written \"12,50\" (line 2)", basis: .values))
        // Only "1.000" (three decimals or a thousands group?) and whole numbers: German headers say comma.
        let de = read([Self.german, Self.row("13.01.2020", "CET", "Abgeschlossen", "1.000", "1.000", id: 1)].joined(separator: "\n"))
        #expect(!de.isFatal, "\(de.problems)")
        #expect(de.decimalMark == ConventionDecision(value: ",", evidence: "German headers (PayPal DE)", basis: .language))
        #expect(de.transactions.first?.postings.first?.amount.minorUnits == 100_000)
        // English with a US time zone: a point, so "1,000" is a thousand.
        let us = read(Self.englishFile(zone: "PST", [("1/13/2020", "1,000", "1,000")]))
        #expect(us.decimalMark == ConventionDecision(value: ".", evidence: "English PayPal with US time zone (PST)", basis: .language))
        #expect(us.transactions.first?.postings.first?.amount.minorUnits == 100_000)
        // English elsewhere: nothing settles it.
        let gb = read(Self.englishFile(zone: "GMT", [("13/1/2020", "1,000", "1,000")]))
        #expect(gb.isFatal)
        #expect(gb.errors.contains { $0.code == "csv.decimal-mark" && ($0.hint ?? "").contains("a point or a comma") })
        #expect(gb.decimalMark == nil)
        // The option wins.
        let opt = read(Self.englishFile(zone: "GMT", [("13/1/2020", "1,000", "1,000")]), ImportOptions(decimalMark: ","))
        #expect(opt.decimalMark == ConventionDecision(value: ",", evidence: "the decimal mark asked for", basis: .option))
        #expect(opt.transactions.first?.postings.first?.amount.minorUnits == 100)
    }

    // MARK: header language

    @Test func headerLanguage() {
        func lang(_ header: String) -> HeaderLanguage? { HeaderLanguage.detect(header.split(separator: ",").map(String.init)) }
        #expect(lang(Self.spanish) == .es)
        #expect(lang(Self.english) == .en)
        #expect(lang(Self.german) == .de)
        #expect(lang("Date,Heure,Fuseau horaire,Nom,Type,État,Devise,Avant commission,Frais,Net,Solde") == .fr)
        #expect(lang("Data,Orario,Fuso orario,Nome,Tipo,Stato,Valuta,Lordo,Tariffa,Netto,Saldo") == .it)
        // Too little to tell, or a tie.
        #expect(lang("Date") == nil)
        #expect(lang("Fecha,Hora,Datum,Uhrzeit") == nil)
    }

    /// The evidence's line numbers survive a file scanned in two halves.
    @Test func evidenceLinesFromTheSecondHalf() {
        var rows: [(String, String, String)] = []
        for i in 0..<400 { rows.append(("\(1 + i % 12)/\(1 + i % 12)/2020", "1", "\(i + 1)")) }
        rows.append(("29/1/2020", "1,5", "401,5"))
        let csv = Self.spanishFile(rows)
        var options = ImportOptions()
        options.parallelScanBytes = 1
        let two = read(csv, options)
        let one = read(csv)
        #expect(one.dateOrder?.evidence == "a date with day 29 first (line 402: \"29/1/2020\")")
        #expect(one.decimalMark?.evidence == "an amount written \"1,5\" (line 402)")
        #expect(two.dateOrder == one.dateOrder)
        #expect(two.decimalMark == one.decimalMark)
    }
}
