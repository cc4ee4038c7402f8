import Foundation
import SaldoCore
import SaldoTestSupport
import SaldoZip
import Testing
@testable import SaldoImport

/// .xlsx statements: the reader's cell kinds, the engine's decisions on sheets, the shipped
/// profiles against independently computed totals, hostile archives, and mutations.
@Suite struct XLSXTests {
    static func read(_ path: String, options: ImportOptions = ImportOptions(), userProfiles: [UserProfile] = []) throws -> StatementReadResult {
        let data = try Fixtures.data(path)
        return StatementImporter.read(data: data, fileName: (path as NSString).lastPathComponent, options: options, userProfiles: userProfiles)
    }

    /// Net change of `assets:<institution>` per currency, from the booked transactions.
    static func assetChange(_ r: StatementReadResult, _ account: String) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for t in r.transactions { for p in t.postings where p.account.path == account { out[p.amount.currency.code, default: 0] += p.amount.minorUnits } }
        return out
    }

    @Test func cellKindsSharedInlineRichBooleanErrorDatesAndSparseCells() throws {
        var wb = try XLSXWorkbook(data: try Fixtures.data("xlsx/features.xlsx"), file: "features.xlsx")
        #expect(wb.sheets.map(\.name) == ["Notes", "Data sheet"])
        #expect(wb.sheets.map(\.hidden) == [true, false])
        #expect(!wb.date1904)
        let s = try wb.sheet(wb.sheets[1])
        #expect(s.rows.map(\.number) == [1, 3, 4, 5, 6, 7])
        #expect(s.rows.map(\.hidden) == [false, false, false, false, true, false])
        let r4 = s.rows[2].cells
        #expect(r4.map(\.column) == [1, 2, 3, 4, 6])
        #expect(r4[0].value == .date(Day(year: 2025, month: 1, day: 1)!, seconds: 0))   // serial 45658, built-in format 14
        #expect(r4[1].value == .text("Bold and plain"))                                // rich runs joined, phonetic run dropped
        #expect(r4[2].value == .number("-10.5"))
        #expect(r4[3].value == .bool(true))
        #expect(r4[4].value == .text("F4, far right"))
        let r5 = s.rows[3].cells
        #expect(r5[0].value == .date(Day(year: 2025, month: 1, day: 2)!, seconds: 18 * 3600))   // custom yyyy-mm-dd hh:mm:ss
        #expect(r5[1].value == .text("two\nlines, \"quoted\""))
        #expect(s.rows[4].cells[0].value == .date(Day(year: 2025, month: 1, day: 3)!, seconds: 0))  // custom d/m/yyyy
        #expect(s.rows[4].cells[3].value == .error("#N/A"))
        #expect(s.rows[5].cells[0].value == .number("45661"))   // general format: a number, not a date
    }

    @Test func renderingKeepsRowsAsLinesAndNumbersInFull() throws {
        var wb = try XLSXWorkbook(data: try Fixtures.data("xlsx/features.xlsx"), file: "features.xlsx")
        let r = XLSXStatement.render(try wb.sheet(wb.sheets[1]))
        let lines = String(decoding: r.csv, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "Exported 2026")
        #expect(lines[1] == "")
        #expect(lines[3] == "2025-01-01,Bold and plain,-10.5,TRUE,,\"F4, far right\"")
        #expect(lines[4] == "2025-01-02 18:00:00,\"two lines, \"\"quoted\"\"\",23012.17,FALSE")
        #expect(lines[5] == "2025-01-03,hidden row,0.0045,#N/A")
        #expect(lines[6] == "45661,a plain number,1000")
        #expect(r.notation == .point && r.hiddenRows == 1)
    }

    @Test func canonicalNumbersAndAmountTexts() {
        #expect(XLSXStatement.canonicalNumber("23012.170000000002") == "23012.17")
        #expect(XLSXStatement.canonicalNumber("0.30000000000000004") == "0.3")
        #expect(XLSXStatement.canonicalNumber("-1.5E-2") == "-0.015")
        #expect(XLSXStatement.canonicalNumber("4814769000000000") == "4814769000000000")
        #expect(XLSXStatement.canonicalNumber("9.9999999999999999") == "10")
        #expect(XLSXStatement.canonicalNumber("1E+500") == "1E+500")
        #expect(XLSXStatement.amountMark("-50,00") == ",")
        #expect(XLSXStatement.amountMark("+31070,11") == ",")
        #expect(XLSXStatement.amountMark("1.234,56") == ",")
        #expect(XLSXStatement.amountMark("-1,234.56") == ".")
        #expect(XLSXStatement.amountMark("12.50 EUR") == nil)
        #expect(XLSXStatement.amountMark("01/04/20") == nil)
    }

    /// The renderer writes numbers that are already canonical as they are, without rebuilding
    /// them; that shortcut must never change what is written.
    @Test func canonicalShortcutAgreesWithCanonicalNumber() {
        let fixed = ["526.06", "-130.76", "43831", "0", "0.5", "-0.05", "100", "123456789012345", "1.23456789012345",
                     "-0", "01", "5.", "1.50", "0.0", "1E3", "+5", "1234567890123456", "0.0000000000000001", "-", "", ".5", "1..2", "1.2.3"]
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789.-E+ ")
        var samples = fixed
        for _ in 0..<20_000 {
            let n = Int.random(in: 1...18, using: &rng)
            samples.append(String((0..<n).map { _ in Int.random(in: 0..<10, using: &rng) < 8 ? alphabet[Int.random(in: 0..<10, using: &rng)] : alphabet.randomElement(using: &rng)! }))
        }
        for s in samples where XLSXStatement.isCanonical(s) {
            #expect(XLSXStatement.canonicalNumber(s) == s, "shortcut taken for \(s)")
        }
        for s in ["526.06", "-130.76", "43831", "0", "0.5", "-0.05", "100", "123456789012345"] { #expect(XLSXStatement.isCanonical(s), "\(s)") }
        for s in ["-0", "01", "5.", "1.50", "1E3", "+5", "1234567890123456", ".5"] { #expect(!XLSXStatement.isCanonical(s), "\(s)") }
    }

    /// Whole date serials are read from their digits; they name the same day as the general path.
    @Test func wholeSerialShortcutAgreesWithTheGeneralPath() {
        for system in [false, true] {
            for days in Array(0...800) + Array(stride(from: 800, to: 2_958_466, by: 997)) + [2_958_465] {
                let general = XLSXWorkbook.date(serial: String(days), date1904: system)
                let short = XLSXWorkbook.date(days: days, seconds: 0, date1904: system)
                #expect(general?.0 == short?.0 && general?.1 == short?.1, "serial \(days), 1904: \(system)")
            }
        }
        #expect(SheetHandler.digits(Array("45658".utf8)) == 45658)
        #expect(SheetHandler.digits(Array(" 12".utf8)) == nil)
        #expect(SheetHandler.digits(Array("1234567890".utf8)) == nil)
        #expect(SheetHandler.digits([]) == nil)
    }

    @Test func bothDateSystemsAndTheLotusLeapDay() throws {
        #expect(XLSXWorkbook.date(serial: "1", date1904: false)?.0 == Day(year: 1900, month: 1, day: 1))
        #expect(XLSXWorkbook.date(serial: "59", date1904: false)?.0 == Day(year: 1900, month: 2, day: 28))
        #expect(XLSXWorkbook.date(serial: "60", date1904: false) == nil)    // 29 February 1900 never was
        #expect(XLSXWorkbook.date(serial: "61", date1904: false)?.0 == Day(year: 1900, month: 3, day: 1))
        #expect(XLSXWorkbook.date(serial: "45225", date1904: false)?.0 == Day(year: 2023, month: 10, day: 26))
        #expect(XLSXWorkbook.date(serial: "0.99999999", date1904: true)?.0 == Day(year: 1904, month: 1, day: 2))
        #expect(XLSXWorkbook.date(serial: "-1", date1904: false) == nil)
        var wb = try XLSXWorkbook(data: try Fixtures.data("xlsx/date1904.xlsx"), file: "date1904.xlsx")
        #expect(wb.date1904)
        let s = try wb.sheet(wb.sheets[0])
        #expect(s.rows[1].cells[0].value == .date(Day(year: 1904, month: 1, day: 1)!, seconds: 0))
        #expect(s.rows[2].cells[0].value == .date(Day(year: 2025, month: 1, day: 1)!, seconds: 0))   // 44196 + 1462 = 45658 in the 1900 system
        #expect(XLSXWorkbook.isDateFormat(id: 164, code: "[Red]#,##0.00") == false)
        #expect(XLSXWorkbook.isDateFormat(id: 164, code: "\"d\"0.00") == false)
        #expect(XLSXWorkbook.isDateFormat(id: 165, code: "dd/mm/yy") == true)
        #expect(XLSXWorkbook.isDateFormat(id: 22, code: nil) == true)
    }

    /// Santander "Cuenta Online": preamble, header on row 7, newest first; the balances chain and the
    /// ledger's change equals last balance − first balance + first movement (computed here from the generator's numbers).
    @Test func santanderCuentaOnline() throws {
        let r = try Self.read("statements/xlsx/santander-es-cuenta-online.xlsx")
        #expect(r.profile == "santander-es-xlsx")
        #expect(!r.isFatal)
        #expect(r.transactions.count == 4)
        #expect(r.balances.ledgerAgrees)
        // 1850.00 − 24.19 − 3.00 − 500.00
        #expect(Self.assetChange(r, "assets:santander") == ["EUR": 132_281])
        #expect(r.decimalMark?.basis == .values && r.decimalMark?.evidence == "amounts stored as numbers in the sheet")
        #expect(r.transactions.first { $0.description.hasPrefix("COMISION") }?.kind == .fee)
    }

    /// DNB Mastercard (MIT sample): Inn 5119.00 and Ut 6441.69 of which the carried-over 5000.00 is skipped.
    @Test func dnbMastercardTotalsFromSOURCES() throws {
        let r = try Self.read("statements/xlsx/dnb-mastercard.xlsx")
        #expect(r.profile == "dnb-mastercard")
        #expect(!r.isFatal, "\(r.problems)")
        #expect(r.transactions.count == 8 && r.filtered.count == 1)
        // Inn − Ut without the carried-over row: 5119.00 − 1441.69.
        // A card: booked on the liability (money owed), not on an asset.
        #expect(Self.assetChange(r, "liabilities:dnb-mastercard") == ["NOK": 367_731])
        #expect(!r.transactions.flatMap(\.postings).contains { $0.account.path == "assets:dnb-mastercard" })
        #expect(r.filtered.first?.location.description == "dnb-mastercard.xlsx:transaksjonsliste row 2")
    }

    /// Text amounts with a decimal comma and balances outside the table: the start balance below the
    /// table plus the movements equals the end balance above it (numbers from the generator).
    @Test func bankDebitCreditTextAmounts() throws {
        let r = try Self.read("statements/xlsx/bank-debit-credit-labels.xlsx")
        #expect(r.profile == "bank-debit-credit-labels")
        #expect(!r.isFatal, "\(r.problems)")
        #expect(r.decimalMark?.value == "," && r.decimalMark?.basis == .values)
        let change = Self.assetChange(r, "assets:bank")["EUR"] ?? 0
        #expect(change == 148_210)
        #expect(46_000 + change == 194_210)   // +460,00 + movements = +1.942,10
        #expect(r.filtered.map(\.summary) == ["Balance at start of period"])
    }

    /// Adyen settlement details: the rows of a batch net to zero (3 sales − fee − payout).
    @Test func adyenBatchNetsToZero() throws {
        let r = try Self.read("statements/xlsx/adyen-settlement-details.xlsx")
        #expect(r.profile == "adyen-settlement-details")
        #expect(!r.isFatal, "\(r.problems)")
        #expect(r.transactions.count == 5)
        #expect(Self.assetChange(r, "assets:adyen") == ["USD": 0])
        #expect(r.transactions.map(\.kind).filter { $0 == .payout }.count == 1)
    }

    /// The per-row fees (Commission, Markup, Scheme Fees, Interchange) are booked as fees, the gross
    /// (net + fees, in the net currency) as income: 100.00 − 3.50, 50 GBP × 1.2654 = 63.27 − 2.24,
    /// 20.00 − 0.70 (numbers from the generator), and the batch still nets to zero.
    @Test func adyenRowFeesAreBookedAsFees() throws {
        let r = try Self.read("statements/xlsx/adyen-settlement-details.xlsx")
        func sum(_ account: String) -> Int64 {
            r.transactions.flatMap(\.postings).filter { $0.account.path == account }.reduce(0) { $0 + $1.amount.minorUnits }
        }
        let sales = r.transactions.filter { $0.kind == .earning }
        #expect(sales.map { t in t.postings.first { $0.account.path == "expenses:fees:adyen" }?.amount.minorUnits } == [350, 224, 70])
        #expect(sales.map { t in t.postings.first { $0.account.path == "income:adyen" }?.amount.minorUnits } == [-10000, -6327, -2000])
        #expect(sum("income:adyen") == -18327)
        #expect(sum("expenses:fees:adyen") == 644 + 410)   // row fees plus the Fee row
        #expect(sum("assets:adyen") == 0)
    }

    /// The same layout saved as CSV, with a refund that carries a fee: the refund's gross is the net
    /// debit minus the fee (−50.35 + 0.35 = −50.00 back to the customer), the fee still a fee, and
    /// a row whose fee cell is not a number is reported at its cell, not booked.
    @Test func adyenFeesOnARefundAndABadFeeCell() throws {
        let csv = """
        Company Account,Psp Reference,Creation Date,Type,Net Currency,Net Debit (NC),Net Credit (NC),Commission (NC),Markup (NC),Scheme Fees (NC),Interchange (NC),Batch Number
        EXAMPLECO,2001,2026-05-01 10:00:00,Settled,EUR,,97.00,1.00,1.50,0.20,0.30,9
        EXAMPLECO,2002,2026-05-02 10:00:00,Refunded,EUR,50.35,,0.35,,,,9
        EXAMPLECO,2003,2026-05-03 10:00:00,Settled,EUR,,10.00,n/a,,,,9
        """
        let r = StatementImporter.read(data: Data(csv.utf8), fileName: "adyen.csv")
        #expect(r.profile == "adyen-settlement-details")
        let sale = try #require(r.transactions.first { $0.externalID == "2001" })
        #expect(sale.postings.map(\.amount.minorUnits).sorted() == [-10000, 300, 9700])
        let refund = try #require(r.transactions.first { $0.externalID == "2002" })
        #expect(refund.postings.first { $0.account.path == "assets:adyen" }?.amount.minorUnits == -5035)
        #expect(refund.postings.first { $0.account.path == "expenses:fees:adyen" }?.amount.minorUnits == 35)
        #expect(refund.postings.map(\.amount.minorUnits).reduce(0, +) == 0 && refund.postings.contains { $0.amount.minorUnits == 5000 })
        #expect(!r.transactions.contains { $0.externalID == "2003" })
        #expect(r.problems.contains { $0.severity == .error && $0.location?.field == "Commission (NC)" && $0.location?.line == 4 }, "\(r.problems)")
    }

    @Test func aUserProfileNamesItsSheet() throws {
        let json = """
        {"name": "my-sheet", "sheet": "Data sheet", "columns": {"date": "Day", "description": "Text", "amount": "Value"}, "currency": "EUR"}
        """
        let p = try UserProfile.decode(Data(json.utf8), source: "my-sheet.json")
        #expect(p.profile?.sheet == "Data sheet")
        let r = try Self.read("xlsx/features.xlsx", userProfiles: [p])
        #expect(r.profile == "my-sheet")
        #expect(r.encoding == "xlsx (sheet Data sheet)")
        // Row 7's date is a plain number: reported at its cell.
        let bad = try #require(r.problems.first { $0.code == "csv.date" })
        #expect(bad.location?.description == "features.xlsx:'Data sheet'!A7 (Day)")
        let wrong = try UserProfile.decode(Data(json.replacingOccurrences(of: "Data sheet", with: "Nope").utf8), source: "x.json")
        let r2 = try Self.read("xlsx/features.xlsx", userProfiles: [wrong])
        #expect(r2.problems.first?.code == "xlsx.sheet")
        #expect(r2.problems.first?.message.contains("\"Notes\", \"Data sheet\"") == true)
    }

    /// A user profile says its statement is a card's: the same rows land on a liability.
    @Test func aUserProfileCanSayItIsACard() throws {
        let json = """
        {"name": "my-card", "institution": "My Card", "card": true, "sheet": "Data sheet", "columns": {"date": "Day", "description": "Text", "amount": "Value"}, "currency": "EUR"}
        """
        let p = try UserProfile.decode(Data(json.utf8), source: "my-card.json")
        #expect(p.profile?.card == true)
        let r = try Self.read("xlsx/features.xlsx", userProfiles: [p])
        let accounts = Set(r.transactions.flatMap(\.postings).map(\.account.path))
        #expect(accounts.contains("liabilities:my-card") && !accounts.contains("assets:my-card"), "\(accounts)")
    }

    @Test(arguments: [
        ("legacy.xls", "import.xls", "save it as Excel Workbook (.xlsx) or CSV"),
        ("statement.pdf", "import.pdf", "export the statement as CSV"),
        ("photo.png", "import.image", "export the statement as CSV"),
        ("photo.heic", "import.image", "export the statement as CSV"),
        ("sheet.ods", "import.ods", "save it from LibreOffice"),
        ("sheet.numbers", "import.numbers", "Export To"),
        ("statements.zip", "import.zip", "unzip it"),
    ])
    func otherFileKindsSayWhatTheyAre(_ f: String, _ code: String, _ hint: String) throws {
        // The name says nothing: every file is read as "upload.csv".
        let data = try Fixtures.data("xlsx/kinds/" + f)
        let r = StatementImporter.read(data: data, fileName: "upload.csv")
        #expect(r.problems.count == 1)
        #expect(r.problems.first?.code == code)
        #expect(r.problems.first?.hint?.contains(hint) == true)
        #expect(r.problems.first?.description.contains("closest profile") == false)
        let check = ProfileRegistry.check(data: data, fileName: "upload.csv")
        #expect(check.matched == nil && check.explanation.joined().contains(r.problems[0].message))
    }

    @Test func profilesCheckExplainsTheSheet() throws {
        let report = ProfileRegistry.check(data: try Fixtures.data("statements/xlsx/santander-es-cuenta-online.xlsx"), fileName: "s.xlsx")
        #expect(report.matched == "santander-es-xlsx")
        #expect(report.explanation.contains { $0.contains("reading sheet \"Sheet1\"") })
        #expect(report.explanation.contains { $0.contains("santander-es-xlsx claims it: header on line 7 (after 6 preamble line(s))") })
    }

    @Test(arguments: [
        ("bomb-ratio.xlsx", "xlsx.zip", "inflates to more than 512 MiB"),
        ("bomb-declared-small.xlsx", "xlsx.zip", "more than the 2048 bytes its directory entry declares"),
        ("name-traversal.xlsx", "xlsx.zip", "points outside the archive"),
        ("name-absolute.xlsx", "xlsx.zip", "points outside the archive"),
        ("name-backslash.xlsx", "xlsx.zip", "points outside the archive"),
        ("many-entries.xlsx", "xlsx.zip", "more than the 10000 accepted"),
        ("gigantic-cell.xlsx", "xlsx.xml", "longer than 131072 bytes"),
        ("xxe-sheet.xlsx", "xlsx.xml", "DOCTYPE"),
        ("billion-laughs-shared-strings.xlsx", "xlsx.xml", "DOCTYPE"),
        ("truncated.xlsx", "xlsx.zip", "cut short"),
    ])
    func hostileWorkbooksAreRefusedQuickly(_ f: String, _ code: String, _ words: String) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let r = try Self.read("xlsx/hostile/" + f)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        #expect(r.problems.count == 1)
        #expect(r.problems.first?.code == code)
        #expect(r.problems.first?.message.contains(words) == true, "\(r.problems)")
        #expect(r.problems.first?.hint != nil)
        #expect(r.transactions.isEmpty)
        #expect(seconds < 5, "\(f) took \(seconds) s")
    }

    /// Random mutations of valid workbooks (bytes flipped, ranges cut, bytes inserted) never trap and
    /// always end in transactions or diagnostics.
    @Test func fuzzMutationsNeverCrash() throws {
        let seeds = try ["statements/xlsx/santander-es-cuenta-online.xlsx", "statements/xlsx/dnb-mastercard.xlsx", "xlsx/features.xlsx"]
            .map { [UInt8](try Fixtures.data($0)) }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Int { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return Int(state % 1_000_000_007) }
        for round in 0..<600 {
            var b = seeds[round % seeds.count]
            switch round % 4 {
            case 0: for _ in 0..<(1 + next() % 8) { b[next() % b.count] ^= UInt8(1 + next() % 255) }
            case 1: let a = next() % b.count; b.removeSubrange(a..<min(b.count, a + 1 + next() % 64))
            case 2: b.insert(contentsOf: (0..<(1 + next() % 16)).map { _ in UInt8(next() % 256) }, at: next() % b.count)
            default: b = Array(b.prefix(next() % b.count))
            }
            let r = StatementImporter.read(data: Data(b), fileName: "m.xlsx")
            #expect(!r.transactions.isEmpty || !r.problems.isEmpty || r.rowCount == 0)
        }
    }
}
