import Testing
import SaldoCore
import SaldoImport
import SaldoReports

/// A filtered row as a person reads it (`import --verbose`, the Import page): the day and amount as
/// the language writes them, grouped; a row without a date or amount (a footer, a label) as the file has it.
@Suite struct FilteredRowTextTests {
    @Test func dayAndAmountFollowTheLanguage() {
        let row = FilteredRow(location: SourceLocation(file: "x.csv", line: 9), reason: "memo",
                              day: Day(year: 2026, month: 3, day: 1)!, amount: Money(minorUnits: -123450, currency: .USD), detail: "Hold")
        #expect(row.summary(in: .es) == "1 mar 2026 -1.234,50 US$ Hold")
        #expect(row.summary(in: .en) == "2026-03-01 -1,234.50 USD Hold")
        #expect(row.summary == "2026-03-01 -1234.50 USD Hold", "machine text, derived from the same fields")
    }

    @Test func aRowWithoutDateOrAmountStaysAsWritten() {
        let row = FilteredRow(location: SourceLocation(file: "x.csv", line: 40), reason: "no date", text: "Total;;;;")
        #expect(row.summary(in: .es) == "Total;;;;" && row.summary(in: .en) == "Total;;;;")
    }
}
