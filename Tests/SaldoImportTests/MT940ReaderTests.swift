import Foundation
import Testing
import PropertyBased
import SaldoCore
import SaldoTestSupport
@testable import SaldoImport

/// MT940/MT942: the samples' own arithmetic (from /shared SOURCES.md, computed there with Python
/// `Decimal` straight from the files), the `:61:` and `:86:` details, and hostile input.
@Suite struct MT940ReaderTests {
    static func read(_ name: String) throws -> StatementReadResult { try StatementFixtures.read("mt940/" + name) }
    static func read(text: String, name: String = "test.sta", options: ImportOptions = ImportOptions()) -> StatementReadResult {
        StatementImporter.read(data: Data(text.utf8), fileName: name, options: options)
    }
    /// What the ledger holds on `assets:…` per currency, in minor units.
    static func assetChange(_ r: StatementReadResult) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for t in r.transactions { for p in t.postings where p.account.root == .assets { out[p.amount.currency.code, default: 0] += p.amount.minorUnits } }
        return out
    }

    @Test func asnBankDailyStatementsChainEveryDay() throws {
        let r = try Self.read("wolph-asnb-mt940-nl-swift-blocks-daily.sta")
        #expect(r.profile == "mt940")
        #expect(!r.isFatal && r.warnings.isEmpty)
        #expect(r.transactions.count == 8)
        // 31 statements, each checked; first opening 444.29, last closing 501.23, +56.94 in total.
        #expect(r.balanceChecks.count == 31)
        #expect(r.balanceChecks.filter { !$0.holds }.isEmpty)
        #expect(r.balances.ledgerAgrees)
        // One summary for the account: 444.29 + 56.94 = 501.23 over the 31 days.
        #expect(r.balances.currencies.map { [$0.opening.minorUnits, $0.ledgerChange.minorUnits, $0.closing.minorUnits] } == [[44429, 5694, 50123]])
        #expect(Self.assetChange(r) == ["EUR": 5694])
        #expect(r.balanceChecks.last?.stated == Money(minorUnits: 50123, currency: .EUR))
        #expect(r.transactions.allSatisfy { $0.postings[0].account.path == "assets:asn-bank-9999" })
    }

    @Test func betterplaceSecondStatementBreaksByTheSamplesOwnDifference() throws {
        let r = try Self.read("wolph-betterplace-mt940-de-sepa-structured86-two-statements.sta")
        #expect(r.balanceChecks.count == 2)
        #expect(r.balanceChecks[0].holds)
        #expect(r.balanceChecks[0].stated == Money(minorUnits: 112_525_040, currency: .EUR))
        // Statement 2: -1970431.87 + (-2501917.30) = -4472349.17; the file states -4472049.09 (+300.08).
        #expect(r.balanceChecks[1].computed == Money(minorUnits: -447_234_917, currency: .EUR))
        #expect(r.balanceChecks[1].stated.minorUnits - r.balanceChecks[1].computed.minorUnits == 30008)
        #expect(r.warnings.count == 1 && r.warnings[0].location?.line == 55)
        // Two accounts ending in the same four digits stay two ledger accounts.
        let accounts = Set(r.transactions.map { $0.postings[0].account.path })
        #expect(accounts.count == 2)
        // `15000,` (no decimals) and `1125250,4` (one) read as whole cents.
        #expect(r.transactions.contains { $0.postings[0].amount == Money(minorUnits: 1_500_000, currency: .EUR) })
    }

    @Test func structuredGermanDetailsBecomePayeeAndDescription() throws {
        let r = try Self.read("wolph-betterplace-mt940-de-sepa-structured86-two-statements.sta")
        let first = try #require(r.transactions.first { $0.externalID == "0724710333343453" })
        // ?32 KARL + ?33 "        KAUFMANN": one name; SVWZ+ is the description; EREF+ and ?31 kept.
        #expect(first.payee == "KARL KAUFMANN")
        #expect(first.description.hasPrefix("GUTSCHRIFT: Verw CTSc-01 BC-PPP TFNr 22 004"))
        #expect(first.description.contains("EREF EndToEndId TFNR 22 004 00001"))
        #expect(first.description.contains("IBAN DE14508800500194785000"))
        #expect(first.kind == .earning)
    }

    @Test func abnAmroIntermediateBalancesAndGapsAreReportedWithLines() throws {
        let r = try Self.read("wolph-jejik-mt940-abnamro-nl-multi-statement.sta")
        #expect(r.transactions.count == 10)
        // Entries -321.44 and -24.49 (SOURCES.md); the edited balances do not chain.
        #expect(Self.assetChange(r) == ["EUR": -34593])
        #expect(r.balanceChecks.map(\.computed.minorUnits) == [291_484, 285_235])
        let gap = try #require(r.warnings.first { $0.message.contains("do not chain") })
        #expect(gap.location?.line == 35 && gap.message.contains("line 27"))
        // Two statements' closing balances are not reached, and the two do not chain (a gap between them).
        #expect(r.balances.closingBreaks == 2 && r.balances.gaps == 1)
    }

    @Test func ingOldHeaderLinesAndTrailingSummary() throws {
        let r = try Self.read("wolph-jejik-mt940-ing-nl-old-header-lines.sta")
        #expect(r.transactions.count == 7)
        #expect(Self.assetChange(r) == ["EUR": -4559])
        #expect(r.transactions.allSatisfy { $0.postings[0].account.path == "assets:ing-4567" })
        #expect(r.balanceChecks.count == 1 && r.balanceChecks[0].stated.minorUnits - r.balanceChecks[0].computed.minorUnits == 4906)
    }

    @Test func mt942TotalsAgreeAndNoFalseBalanceWarning() throws {
        let r = try StatementFixtures.read("mt942/wolph-mbank-mt942-pl-interim-90d-90c.sta")
        #expect(r.profile == "mt942")
        #expect(!r.isFatal)
        #expect(r.warnings.isEmpty)
        #expect(r.problems.contains { $0.code == "mt942.no-balances" && $0.severity == .note })
        #expect(Self.assetChange(r) == ["PLN": 3])
        #expect(r.balanceChecks.isEmpty)
    }

    @Test func mt942TotalsThatDisagreeWarn() {
        let text = """
        :20:X
        :25:PL29114010810000267002001002
        :28C:1/1
        :34F:PLN0
        :13D:1701191815+0100
        :61:1701190119CN0,01NTRFNONREF//A1
        :86:one
        :90D:0PLN0,00
        :90C:2PLN0,02
        -
        """
        let r = Self.read(text: text)
        let w = r.warnings.first { $0.code == "mt940.totals" }
        #expect(w?.location?.line == 9)
        #expect(w?.message.contains("states 2 credit entries") == true)
    }

    @Test func raiffeisenIsReadAsCP852() throws {
        let r = try Self.read("wolph-raiffeisen-mt940-hu-huf-non-utf8-forward-balances.sta")
        #expect(r.encoding == TextEncoding.cp852.rawValue)
        #expect(r.transactions.first?.description.hasPrefix("Csoportos átutalás jóváírása") == true)
        #expect(r.transactions.contains { $0.description.hasPrefix("Bankon belüli átutalás") })
        // HUF entries -1012213.50; the sample does not chain (+1123264.00).
        #expect(Self.assetChange(r) == ["HUF": -101_221_350])
        #expect(r.balanceChecks.count == 1 && r.balanceChecks[0].stated.minorUnits - r.balanceChecks[0].computed.minorUnits == 112_326_400)
        #expect(r.transactions[0].postings[0].account.path == "assets:raiffeisen-0002")
    }

    @Test func windows1252TextStaysWindows1252() {
        // German in Windows-1252: ä ö ü ß read as such, not as CP852 letters.
        let bytes: [UInt8] = [0x47, 0x65, 0x62, 0xFC, 0x68, 0x72, 0x20, 0x66, 0xFC, 0x72, 0x20, 0x53, 0x74, 0x72, 0x61, 0xDF, 0x65, 0x20, 0x42, 0xE4, 0x63, 0x6B, 0x65, 0x72, 0x20, 0x4B, 0xF6, 0x6C, 0x6E]
        #expect(TextDecoding.legacyEncoding(Data(bytes)) == .windows1252)
        let text = String(decoding: TextDecoding.decodeLegacy(Data(bytes)).bytes.array, as: UTF8.self)
        #expect(text == "Gebühr für Straße Bäcker Köln")
    }

    @Test func reversalsReverseAndEntryDatesRollOverTheYear() {
        let text = """
        :20:REV
        :25:NL81ASNB0001234567
        :28C:1
        :60F:C191231EUR100,00
        :61:1912310102RD25,00NTRFNONREF//B1
        :86:reversed direct debit
        :61:1912310102RC10,00NTRFNONREF//B2
        :86:reversed credit
        :61:2001020102DR5,NCHGNONREF//B3
        :86:account fee
        :62F:C200102EUR110,00
        -
        """
        let r = Self.read(text: text)
        #expect(!r.isFatal)
        #expect(r.transactions.map(\.date.description) == ["2020-01-02", "2020-01-02", "2020-01-02"])
        let byID = Dictionary(uniqueKeysWithValues: r.transactions.map { ($0.externalID ?? "", $0) })
        #expect(byID["B1"]?.postings[0].amount.minorUnits == 2500)    // RD: a debit reversed, money back
        #expect(byID["B2"]?.postings[0].amount.minorUnits == -1000)   // RC: a credit reversed, money out
        #expect(byID["B1"]?.kind == .refund && byID["B2"]?.kind == .refund)
        #expect(byID["B3"]?.kind == .fee && byID["B3"]?.postings[1].account.path == "expenses:fees:asn-bank-4567")
        #expect(r.balanceChecks.first?.holds == true)
    }

    @Test func categoryRulesSeeTheCounterpartyName() {
        let text = """
        :20:R
        :25:DE12500105170648489890/EUR
        :60F:C250101EUR0,00
        :61:2501150115CR1200,00NTRFNONREF//X1
        :86:166?00GUTSCHRIFT?20EREF+INV-7?21SVWZ+Invoice 2025-007?32ACME?33 WIDGETS GMBH?31DE02120300000000202051
        :62F:C250115EUR1200,00
        -
        """
        let rule = CategoryRule(pattern: "acme widgets", field: "payee", client: "Acme", account: "income:consulting")
        let user = UserProfile(profile: nil, rules: [rule], source: "test")
        let r = StatementImporter.read(data: Data(text.utf8), fileName: "r.sta", userProfiles: [user])
        let t = r.transactions.first
        #expect(t?.payee == "ACME WIDGETS GMBH")
        #expect(t?.postings[1].account.path == "income:consulting")
        #expect(t?.client == "Acme")
        #expect(t?.description == "GUTSCHRIFT: Invoice 2025-007 | EREF INV-7 | IBAN DE02120300000000202051")
    }

    @Test func dutchSlashDetailsGivePayeeAndRemittance() {
        let text = """
        :20:P
        :25:NL20INGB0001234567
        :60F:C250301EUR10,00
        :61:2503030303C250,00NTRFNONREF//Z1
        :86:/TRTP/SEPA OVERBOEKING/IBAN/NL91ABNA0417164300/BIC/ABNANL2A/NAME/Studio Vos/REMI/Factuur 2025-12/EREF/NOTPROVIDED
        :62F:C250303EUR260,00
        -
        """
        let r = Self.read(text: text)
        #expect(r.transactions.first?.payee == "Studio Vos")
        #expect(r.transactions.first?.description == "SEPA OVERBOEKING: Factuur 2025-12 | IBAN NL91ABNA0417164300 | EREF NOTPROVIDED")
        #expect(r.transactions.first?.postings[0].account.path == "assets:ing-4567")
        #expect(r.balances.ledgerAgrees)
    }

    // MARK: hostile input

    @Test func aMissingEndOfBlockIsReportedWithItsLine() {
        let text = "{1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{3:}{4:\n:20:1\n:25:NL81ASNB9999999999\n:28C:1/1\n:60F:C200101EUR444,29\n:61:2001010101D65,00NOVBNL47\n:86:x\n:62F:C200101EUR379,29\n"
            + "{1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{3:}{4:\n:20:2\n:25:NL81ASNB9999999999\n:60F:C200102EUR379,29\n:62F:C200102EUR379,29\n"
        let r = Self.read(text: text)
        #expect(r.isFatal)
        #expect(r.errors.map { $0.location?.line } == [9, 13])
        #expect(r.errors.allSatisfy { $0.code == "mt940.envelope" && $0.message.contains("-}") })
    }

    @Test func aTruncatedStatementSaysWhatIsMissing() {
        let text = ":20:1\n:25:NL81ASNB9999999999\n:28C:1/1\n:60F:C200101EUR444,29\n:61:2001010101D65,00NOVB\n:86:Betaling\n:61:20010"
        let r = Self.read(text: text)
        let bad = r.errors.first { $0.code == "mt940.entry" }
        #expect(bad?.location?.line == 7)
        #expect(r.warnings.contains { $0.message.contains("no closing balance") })
    }

    @Test func aGiganticDetailsFieldIsCutNotFatal() {
        let huge = String(repeating: "X", count: 4_000_000)
        let lines = String(repeating: "more text\n", count: 100_000)
        let text = ":20:1\n:25:NL81ASNB9999999999\n:60F:C200101EUR1,00\n:61:2001010101C1,00NTRF\n:86:\(huge)\n\(lines):62F:C200101EUR2,00\n-\n"
        let r = Self.read(text: text)
        #expect(!r.isFatal)
        #expect(r.transactions.count == 1)
        #expect((r.transactions.first?.description.count ?? 0) <= 2001)
        #expect(r.balanceChecks.first?.holds == true)
    }

    @Test func binaryGarbageAfterAHeaderIsAClearError() {
        var bytes = Array(":20:1\n:25:NL81ASNB9999999999\n:60F:C200101EUR1,00\n".utf8)
        var g = SystemRandomNumberGenerator()
        for _ in 0..<5000 { bytes.append(UInt8.random(in: 0...255, using: &g)) }
        let r = StatementImporter.read(data: Data(bytes), fileName: "garbage.sta")
        #expect(r.isFatal || r.transactions.isEmpty)
        #expect(!r.problems.isEmpty)
        for d in r.problems { #expect(!d.message.isEmpty) }
    }

    @Test func binaryLinesInsideAStatementAreNamed() {
        var bytes = Array(":20:1\n:25:NL81ASNB9999999999\n:60F:C200101EUR1,00\n:61:2001010101C1,00NTRF\n:86:ok\n".utf8)
        bytes += [0x02, 0x9F, 0x12, 0x41, 0x0A]
        bytes += Array(":62F:C200101EUR2,00\n-\n".utf8)
        let r = StatementImporter.read(data: Data(bytes + Array(repeating: 0x41, count: 200)), fileName: "g.sta")
        let e = r.errors.first { $0.code == "mt940.binary" }
        #expect(e?.location?.line == 6)
        let q = Array("!Type:Bank\nD01/31/2025\nT1\n".utf8) + [0x07, 0x08, 0x0A] + Array("^\n".utf8) + Array(repeating: 0x20, count: 200)
        let qr = StatementImporter.read(data: Data(q), fileName: "g.qif")
        #expect(qr.errors.first { $0.code == "qif.binary" }?.location?.line == 4)
    }

    @Test func theStreamingPathHandsOverTheSameTransactions() throws {
        let data = try Fixtures.data("statements/mt940/wolph-asnb-mt940-nl-swift-blocks-daily.sta")
        var sink = RecordingSink()
        let r = StatementImporter.read(data: data, fileName: "a.sta", into: &sink)
        let keys = sink.batches.flatMap(\.transactions).map { $0.dedupKey ?? "" }
        #expect(sink.ends == 1 && !sink.addedAfterEnd)
        let collected = StatementImporter.read(data: data, fileName: "a.sta")
        #expect(r.transactions.isEmpty && r.profile == "mt940")
        #expect(keys == collected.transactions.map { $0.dedupKey ?? "" })
        #expect(Set(keys).count == keys.count)
    }

    @Test func detectionIgnoresTheExtension() throws {
        let data = try Fixtures.data("statements/mt940/wolph-jejik-mt940-ing-nl-old-header-lines.sta")
        #expect(StatementImporter.read(data: data, fileName: "export.csv").profile == "mt940")
        #expect(!MT940Reader.looksLikeMT940(Array("Date,Amount\n2025-01-01,:20:\n".utf8)))
        #expect(ProfileRegistry.check(data: data, fileName: "export.csv").matched == "mt940")
        let qif = try Fixtures.data("statements/qif/nerdbank-qif-bom-tags-then-bank-no-final-newline.qif")
        #expect(ProfileRegistry.check(data: qif, fileName: "x.txt").matched == "qif")
        #expect(StatementImporter.read(data: qif, fileName: "x.txt").profile == "qif")
        #expect(Set(ProfileRegistry.list().map(\.name)).isSuperset(of: ["mt940", "mt942", "qif"]))
        #expect(ProfileRegistry.show("mt940")?.contains(":60F:") == true && ProfileRegistry.show("qif")?.contains("!Option") == true)
    }

    @Test func randomEditsNeverTrap() async {
        let seeds = StatementFixtures.files.filter { $0.hasPrefix("mt940/") || $0.hasPrefix("mt942/") }.compactMap { try? [UInt8](Fixtures.data("statements/" + $0)) }
        let edits = zip(Gen.int(in: 0...1_000_000), Gen.int(in: 0...255), Gen.int(in: 0...2)).array(of: 1...16)
        await propertyCheck(count: 300, input: Gen.int(in: 0..<seeds.count), edits) { which, changes in
            let bytes = Fuzz.mutate(seeds[which], changes)
            let r = StatementImporter.read(data: Data(bytes), fileName: "fuzz.sta")
            if !r.isFatal { for t in r.transactions { #expect(throws: Never.self) { try t.validate() } } }
            let keys = r.transactions.compactMap(\.dedupKey)
            #expect(Set(keys).count == keys.count)
            for d in r.problems { #expect(!d.message.isEmpty) }
        }
    }

    @Test func randomFieldsNeverTrap() async {
        let pieces = [":20:", ":25:", ":60F:", ":62F:", ":61:", ":86:", ":90D:", ":34F:", "-}", "{4:", "?20", "?32", "C", "D", "RC", "EUR", "200101", "0101",
                      "1,00", ",", "99999999999999999,99", "NTRF", "//", "\n", " ", "X"]
        await propertyCheck(count: 400, input: Gen.int(in: 0..<pieces.count).array(of: 0...120)) { idx in
            let text = ":20:F\n:25:NL81ASNB0000000001\n" + idx.map { pieces[$0] }.joined()
            let r = Self.read(text: text)
            for d in r.problems { #expect(!d.message.isEmpty) }
        }
    }
}
