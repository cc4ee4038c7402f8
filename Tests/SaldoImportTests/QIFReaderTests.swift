import Foundation
import Testing
import PropertyBased
import SaldoCore
import SaldoTestSupport
@testable import SaldoImport

/// QIF: sections, splits, transfers, the date order by the CSV evidence rules, and damaged input.
@Suite struct QIFReaderTests {
    static func read(_ text: String, name: String = "test.qif", options: ImportOptions = ImportOptions()) -> StatementReadResult {
        StatementImporter.read(data: Data(text.utf8), fileName: name, options: options)
    }
    static func sum(_ r: StatementReadResult, _ account: String) -> Int64 {
        r.transactions.flatMap(\.postings).filter { $0.account.path == account }.reduce(0) { $0 + $1.amount.minorUnits }
    }

    @Test func nerdbankSampleAddsUpToItsOwnTotal() throws {
        let r = try StatementFixtures.read("qif/nerdbank-qif-bom-tags-then-bank-no-final-newline.qif")
        #expect(r.profile == "qif" && r.encoding == "UTF-8 with BOM")
        #expect(!r.isFatal && r.warnings.isEmpty)
        // 29 transactions, +21349 (SOURCES.md: salary, bonuses, gifts, card payments).
        #expect(r.transactions.count == 29)
        #expect(Self.sum(r, "assets:bank") == 2_134_900)
        #expect(Self.sum(r, "income:salary") == -1_800_000)
        #expect(Self.sum(r, "liabilities:credit-card") == 240_100)
        #expect(r.problems.contains { $0.code == "qif.list" && $0.location?.line == 1 })
        #expect(r.problems.contains { $0.code == "qif.no-balances" })
    }

    @Test func dayFirstAndMonthFirstLayoutsGiveTheSameLedger() throws {
        // The OCA layout (5 rows, -1,896.09, `3/3/13` and `4/3/13` ambiguous on purpose), written anew.
        let dmy = "!Type:Bank\nD12/8/13\nT-1,000.00\nPDelta PC\n^\nD15/8/13\nT-75.46\nPWalts Drugs\n^\nD3/3/13\nT-379.00\nPEpic Technologies\n^\nD4/3/13\nT-20.28\nPLocal Supermarket\n^\nD3/3/13\nT-421.35\nPWater Utility\n^\n"
        let mdy = "!Type:Bank\nD8/12/13\nT-1,000.00\nPDelta PC\n^\nD8/15/13\nT-75.46\nPWalts Drugs\n^\nD3/3/13\nT-379.00\nPEpic Technologies\n^\nD3/4/13\nT-20.28\nPLocal Supermarket\n^\nD3/3/13\nT-421.35\nPWater Utility\n^\n"
        let a = Self.read(dmy), b = Self.read(mdy)
        #expect(a.dateOrder?.value == "dd/mm/yyyy" && a.dateOrder?.basis == .values)
        #expect(b.dateOrder?.value == "mm/dd/yyyy")
        #expect(Self.sum(a, "assets:bank") == -189_609 && Self.sum(b, "assets:bank") == -189_609)
        #expect(a.transactions.map(\.date) == b.transactions.map(\.date))
        #expect(a.transactions.map(\.dedupKey) == b.transactions.map(\.dedupKey))
    }

    @Test func ambiguousDatesAskAndTheChosenOrderSettlesThem() throws {
        let r = try StatementFixtures.read("qif/saldo-qif-bank-ambiguous-dates.qif")
        #expect(r.isFatal && r.errors.first?.code == "qif.date-format")
        #expect(r.errors.first?.hint?.contains("--") == false)
        let ok = try StatementFixtures.read("qif/saldo-qif-bank-ambiguous-dates.qif", options: ImportOptions(dateFormat: "dd/mm/yyyy"))
        #expect(!ok.isFatal && ok.transactions.map(\.date.description) == ["2025-04-03", "2025-03-04"])
        #expect(ok.dateOrder?.basis == .option)
        // The file's own option line decides as well.
        let opt = Self.read("!Option:DMY\n!Type:Bank\nD3/4/25\nT-10.00\n^\n")
        #expect(opt.transactions.first?.date.description == "2025-04-03")
        // Records in date order only one way round decide it (as CSV rows do).
        let ordered = Self.read("!Type:Bank\nD1/2/25\nT-1\n^\nD2/3/25\nT-1\n^\nD3/1/25\nT-1\n^\n")
        #expect(ordered.dateOrder?.basis == .rowOrder && ordered.dateOrder?.value == "mm/dd/yyyy")
    }

    @Test func apostropheYearsAndCardAccounts() throws {
        let r = try StatementFixtures.read("qif/saldo-qif-ccard-mdy-apostrophe-years.qif")
        #expect(r.transactions.map(\.date.description) == ["2025-01-05", "2025-01-06", "2025-02-01"])
        #expect(Self.sum(r, "liabilities:credit-card") == 0)
        #expect(r.transactions.last?.kind == .transfer)
        #expect(QIFReader.dateParts("1/ 5'04").map { QIFReader.day($0, .mdy)?.description } == "2004-01-05")
        #expect(QIFReader.dateParts("12/31/99").map { QIFReader.day($0, .mdy)?.description } == "1999-12-31")
        #expect(QIFReader.dateParts("2008-01-05").map { QIFReader.day($0, .dmy)?.description } == "2008-01-05")
    }

    @Test func commaDecimalsWithThousandsAndIdenticalRowsKept() throws {
        let r = try StatementFixtures.read("qif/saldo-qif-bank-dmy-comma-thousands.qif")
        #expect(r.decimalMark?.value == ",")
        #expect(Self.sum(r, "assets:bank") == -125_000 + 350_000 - 4290 - 1200 - 1200)
        let keys = r.transactions.compactMap(\.dedupKey)
        #expect(Set(keys).count == 5)
        #expect(keys.filter { $0.contains("banco") }.map { $0.suffix(2) } == ["#1", "#2"])
        #expect(r.transactions.first?.externalID == "1001")
    }

    @Test func accountsSplitsTransfersAndSkippedSections() throws {
        let r = try StatementFixtures.read("qif/saldo-qif-accounts-splits-dmy-invst-memorized.qif")
        #expect(!r.isFatal)
        // The split is one transaction with three postings.
        let split = try #require(r.transactions.first { $0.payee == "Mercado Central" })
        #expect(split.postings.map(\.account.path) == ["assets:household-cash", "liabilities:travel-card", "expenses:household:groceries"])
        #expect(split.postings.map(\.amount.minorUnits) == [-9600, 6000, 3600])
        #expect(split.description.contains("Fuel top-up; Weekly shop"))
        // Each transfer once, though both accounts list it.
        #expect(r.filtered.count == 2)
        #expect(Self.sum(r, "assets:household-cash") == -840 + 25000 - 9600)
        #expect(Self.sum(r, "liabilities:travel-card") == -25000 + 6000 - 4510)
        // Investments refused with a warning; lists skipped with notes.
        #expect(r.warnings.map(\.code) == ["qif.investment"])
        #expect(r.problems.filter { $0.code == "qif.list" }.count == 3)
    }

    @Test func splitsThatDoNotAddUpAreBookedAndReported() {
        let r = Self.read("!Type:Bank\nD01/31/2025\nT-100.00\nPShop\nSFood\n$-60.00\nSHome\n$-30.00\n^\n")
        let t = r.transactions.first
        #expect(t?.postings.count == 4)
        #expect(t?.postings.last?.account.path == "expenses:uncategorized" && t?.postings.last?.amount.minorUnits == 1000)
        #expect(r.warnings.first?.code == "qif.split")
    }

    @Test func splitsBeyondWhatAnAmountHoldsAreAnErrorNotATrap() {
        let big = String(repeating: "S\n$-900000000000000\n", count: 200)
        let r = Self.read("!Type:Bank\nD01/31/2025\nT900000000000000\n\(big)^\n!Type:Bank\nD01/31/2025\nT-900000000000000\nS\n$900000000000000\nS\n$900000000000000\n^\n")
        #expect(r.isFatal)
        #expect(r.errors.allSatisfy { $0.code == "qif.amount" || $0.code == "qif.split" })
    }

    @Test func theCurrencyOptionIsUsed() {
        var o = ImportOptions()
        o.currency = "GBP"
        let r = Self.read("!Type:Bank\nD01/31/2025\nT12.50\n^\n", options: o)
        #expect(r.transactions.first?.postings.first?.amount == Money(minorUnits: 1250, currency: try! CurrencyCode("GBP")))
        #expect(!r.problems.contains { $0.code == "qif.currency" })
    }

    @Test func damagedRecordsNameTheirLine() {
        let r = Self.read("!Type:Bank\nD01/31/2025\nTabc\n^\nD99/99/2025\nT1\n^\nT5\n^\n")
        #expect(r.isFatal)
        #expect(r.errors.map(\.code) == ["qif.amount", "qif.date", "qif.date"])
        #expect(r.errors.map { $0.location?.line } == [3, 5, 8])
    }

    @Test func userRulesCategoriseUncategorisedRows() {
        let rule = CategoryRule(pattern: "acme", field: "payee", client: "Acme", account: "income:consulting")
        let r = StatementImporter.read(data: Data("!Type:Bank\nD01/31/2025\nT900.00\nPACME Ltd\n^\n".utf8), fileName: "r.qif",
                                       userProfiles: [UserProfile(profile: nil, rules: [rule], source: "test")])
        #expect(r.transactions.first?.postings.last?.account.path == "income:consulting")
        #expect(r.transactions.first?.client == "Acme")
    }

    @Test func randomEditsNeverTrap() async {
        let seeds = StatementFixtures.files.filter { $0.hasPrefix("qif/") }.compactMap { try? [UInt8](Fixtures.data("statements/" + $0)) }
        let edits = zip(Gen.int(in: 0...1_000_000), Gen.int(in: 0...255), Gen.int(in: 0...2)).array(of: 1...16)
        await propertyCheck(count: 300, input: Gen.int(in: 0..<seeds.count), edits) { which, changes in
            let bytes = Fuzz.mutate(seeds[which], changes)
            let r = StatementImporter.read(data: Data(bytes), fileName: "fuzz.qif")
            if !r.isFatal { for t in r.transactions { #expect(throws: Never.self) { try t.validate() } } }
            let keys = r.transactions.compactMap(\.dedupKey)
            #expect(Set(keys).count == keys.count)
            for d in r.problems { #expect(!d.message.isEmpty) }
        }
    }

    @Test func randomRecordsNeverTrap() async {
        let pieces = ["!Type:Bank\n", "!Type:CCard\n", "!Account\n", "!Type:Invst\n", "!Option:DMY\n", "D", "T", "U", "P", "L", "S", "$", "E", "N", "^\n", "\n",
                      "1/2/25", "31/12/2025", "1/ 5'04", "-1,234.56", "12,50", "[Cash]", "Food:Lunch", "99999999999999999999", "x", "'", "/"]
        await propertyCheck(count: 400, input: Gen.int(in: 0..<pieces.count).array(of: 0...120)) { idx in
            let r = Self.read("!Type:Bank\n" + idx.map { pieces[$0] }.joined())
            let keys = r.transactions.compactMap(\.dedupKey)
            #expect(Set(keys).count == keys.count)
            for d in r.problems { #expect(!d.message.isEmpty) }
        }
    }
}
