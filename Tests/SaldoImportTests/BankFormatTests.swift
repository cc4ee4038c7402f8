import Foundation
import Testing
import PropertyBased
import SaldoCore
import SaldoTestSupport
@testable import SaldoImport

/// camt and OFX: independent checks of every fixture (the totals SOURCES.md states, worked out by
/// hand from the files), dedup, batches, dispatch, hostile input and fuzzing.
@Suite struct BankFormatTests {
    /// What the ledger moved the statements' own accounts (`assets:<bank>`, a card's
    /// `liabilities:<issuer>`) by, per account, from the transactions themselves.
    static func assetChange(_ r: StatementReadResult) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for t in r.transactions {
            for p in t.postings where p.account.path.hasPrefix("assets:") && !p.account.path.hasPrefix("assets:transfers:") || p.account.path.hasPrefix("liabilities:") {
                out[p.account.path, default: 0] += p.amount.minorUnits
            }
        }
        return out
    }

    static func camt(_ entries: String, opening: String = "100.00", closing: String = "100.00", prolog: String = "", version: String = "053.001.04") -> Data {
        Data("""
        \(prolog)<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.\(version)"><BkToCstmrStmt><GrpHdr><MsgId>T</MsgId></GrpHdr>
        <Stmt><Id>S1</Id><Acct><Id><IBAN>DE02120300000000202051</IBAN></Id><Ccy>EUR</Ccy></Acct>
        <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">\(opening)</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-01</Dt></Dt></Bal>
        <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">\(closing)</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-31</Dt></Dt></Bal>
        \(entries)
        </Stmt></BkToCstmrStmt></Document>
        """.utf8)
    }

    static func entry(_ amount: String, _ cdi: String = "CRDT", ref: String? = nil, details: String = "") -> String {
        "<Ntry><Amt Ccy=\"EUR\">\(amount)</Amt><CdtDbtInd>\(cdi)</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-01-15</Dt></BookgDt>"
            + (ref.map { "<AcctSvcrRef>\($0)</AcctSvcrRef>" } ?? "") + "<NtryDtls>\(details)</NtryDtls></Ntry>"
    }

    // MARK: the fixtures, checked independently

    @Test func camtPostFinanceChainsAndBooksBatchesPerTransaction() throws {
        let r = try StatementFixtures.read("camt/viafintech-camt053-v04-postfinance-ch-batch-charges-reversals.xml")
        #expect(!r.isFatal)
        // 13 entries, 32 transaction details: every batch booked per transaction.
        #expect(r.transactions.count == 32)
        // SOURCES.md: credits +1810.56, debits -1272.95, net +537.61; 322152.16 + 537.61 = 322689.77.
        #expect(Self.assetChange(r).values.reduce(0, +) == 53761)
        #expect(r.balances.checked == 1 && r.balances.ledgerAgrees)
        #expect(r.balanceChecks.allSatisfy { $0.holds })
        // The two reversals reverse income; the six charge entries are fees.
        #expect(r.transactions.filter { $0.kind == .refund }.count == 2)
        #expect(r.transactions.filter { $0.kind == .fee }.count == 6)
        #expect(r.transactions.filter { $0.kind == .fee }.allSatisfy { $0.postings.contains { $0.account.path.hasPrefix("expenses:fees:") } })
        #expect(r.warnings.isEmpty)
    }

    @Test func camtForeignEntryKeepsItsPriceAndTheGapIsReported() throws {
        let r = try StatementFixtures.read("camt/viafintech-camt053-v08-ch-eur-entry-fx-unbalanced.xml")
        let fx = try #require(r.transactions.first { $0.postings.contains { $0.cost != nil } })
        let chf = try CurrencyCode("CHF"), eur = try CurrencyCode("EUR")
        #expect(fx.postings.contains { $0.account.path.hasPrefix("assets:") && $0.amount == Money(minorUnits: -1969, currency: chf) })
        #expect(fx.postings.contains { $0.amount == Money(minorUnits: 2097, currency: eur) && $0.cost == Money(minorUnits: 1969, currency: chf) })
        // SOURCES.md: 82721.95 + 563.25 - 19.69 = 83265.51, not 84515.25: the gap is 1249.74 CHF.
        // A closing balance not reached, not a gap between two rows.
        #expect(r.balances.closingBreaks == 1 && r.balances.gaps == 0 && !r.balances.ledgerAgrees)
        let w = try #require(r.warnings.first { $0.code == "import.balance" })
        #expect(w.message.contains("1,249.74 CHF is missing"))
        #expect(w.location?.line == 60)
    }

    @Test func camt052PreviousClosingAndTwoStatementsChain() throws {
        let r052 = try StatementFixtures.read("camt/viafintech-camt052-v02-de-vrbank-prcd-clbd.xml")
        #expect(Self.assetChange(r052).values.reduce(0, +) == 500)   // 2.00 + 3.00; 8.50 -> 13.50
        #expect(r052.balances.ledgerAgrees)
        let two = try StatementFixtures.read("camt/genkgo-camt053-v02-two-statements.xml")
        #expect(two.balanceChecks.count == 2 && two.balanceChecks.allSatisfy { $0.holds })
        #expect(two.balances.currencies.map(\.ledgerChange.minorUnits) == [885, -700])   // 18.15 -> 27.00 -> 20.00
    }

    @Test func camt054HasNoBalancesAndSaysSoWithoutAWarning() throws {
        let r = try StatementFixtures.read("camt/viafintech-camt054-v04-ch-batch-charges-reversals.xml")
        #expect(Self.assetChange(r).values.reduce(0, +) == 5903)   // credits 80.56, debits 21.53
        #expect(r.balanceChecks.isEmpty && r.warnings.isEmpty && !r.isFatal)
        #expect(r.problems.contains { $0.severity == .note && $0.code == "camt.no-balances" })
    }

    @Test func camtReversedBatchOwnFixtureChains() throws {
        let r = try StatementFixtures.read("camt/saldo-camt053-v02-reversal-batch.xml")
        #expect(r.transactions.count == 4)
        #expect(r.transactions.filter { $0.kind == .refund }.map { $0.postings[0].amount.minorUnits } == [-56405, -10000])
        #expect(r.balances.ledgerAgrees)
        #expect(r.transactions.first?.postings.contains { $0.account.path == "assets:abn-amro-6789" } == true)
    }

    /// Entry-level charges the bank included in a batch's amount (`ChrgInclInd` true) are a fee of
    /// the bank when the batch is split: 1000.00 + (100.00 + 200.00 − 1.50) − (100.00 + 50.00 + 0.90)
    /// = 1147.60, the closing balance. The 0.80 marked not included is a note, not a posting.
    @Test func camtBatchEntryChargesIncludedInTheTotalAreFees() throws {
        let r = try StatementFixtures.read("camt/saldo-camt053-v04-batch-included-charges.xml")
        #expect(!r.isFatal && r.warnings.isEmpty, "\(r.problems)")
        #expect(r.balances.ledgerAgrees && r.balances.checked == 1)
        #expect(r.transactions.count == 6)
        let fees = r.transactions.filter { $0.kind == .fee }
        #expect(fees.map { $0.postings.first { $0.account.path == "expenses:fees:postfinance-2957" }?.amount.minorUnits } == [150, 90])
        #expect(Self.assetChange(r) == ["assets:postfinance-2957": 29850 - 15090])
        #expect(r.problems.filter { $0.code == "camt.charges" }.count == 1)
        #expect(r.problems.first { $0.code == "camt.charges" }?.message.contains("0.80") == true)
    }

    /// camt .02 states entry charges without an inclusion indicator (`Ntry/Chrgs/Amt`): they are
    /// booked as a fee only when the entry equals its transactions plus the charges.
    @Test func camtV02EntryChargesBookedWhenTheArithmeticSaysIncluded() {
        let tx = { (a: String) in "<TxDtls><AmtDtls><TxAmt><Amt Ccy=\"EUR\">\(a)</Amt></TxAmt></AmtDtls></TxDtls>" }
        let charged = Self.entry("49.25", ref: "B1", details: tx("30.00") + tx("20.00"))
            .replacingOccurrences(of: "<NtryDtls>", with: "<Chrgs><TtlChrgsAndTaxAmt Ccy=\"EUR\">0.75</TtlChrgsAndTaxAmt><Amt Ccy=\"EUR\">0.75</Amt><CdtDbtInd>DBIT</CdtDbtInd></Chrgs><NtryDtls>")
        let r = StatementImporter.read(data: Self.camt(charged, closing: "149.25", version: "053.001.02"), fileName: "v02.xml")
        #expect(r.transactions.count == 3 && r.balances.ledgerAgrees && r.warnings.isEmpty, "\(r.problems)")
        #expect(r.transactions.last?.kind == .fee && r.transactions.last?.externalID == "B1/charges")
        // Charges that do not explain the difference leave the batch whole, with the warning.
        let off = charged.replacingOccurrences(of: ">0.75</Amt>", with: ">0.70</Amt>")
        let w = StatementImporter.read(data: Self.camt(off, closing: "149.25", version: "053.001.02"), fileName: "v02.xml")
        #expect(w.transactions.count == 1 && w.problems.contains { $0.code == "camt.batch" })
    }

    @Test(arguments: [
        ("ofx/ofxparse-ofx102-sgml-checking-usd-tabs-intu.ofx", 3, Int64(-5950)),
        ("ofx/ofxparse-ofx102-sgml-compact-lines-cad-est-tz.ofx", 3, Int64(-34527)),
        ("ofx/ofxparse-ofx203-creditcard-aud-unclosed-tags.ofx", 1, Int64(-550)),
        ("ofx/ofxparse-ofx200-xml-suncorp-aud-cdata-crlf.ofx", 1, Int64(-1685)),
        ("ofx/ofxparse-ofx211-xml-two-accounts-no-transactions.ofx", 0, Int64(0)),
        ("ofx/saldo-ofx211-bank-and-creditcard-repeated-banktranlist.ofx", 4, Int64(150000 - 1250 - 8000 - 4999)),
    ])
    func ofxTotalsMatchTheFile(_ f: String, _ count: Int, _ sum: Int64) throws {
        let r = try StatementFixtures.read(f)
        #expect(!r.isFatal)
        #expect(r.transactions.count == count)
        #expect(Self.assetChange(r).values.reduce(0, +) == sum)
        // Only a closing balance: said, and not counted as a check.
        #expect(r.balances.checked == 0)
        #expect(r.problems.contains { $0.code == "ofx.closing-only" })
    }

    /// A credit card's statement is money owed: booked on `liabilities:<issuer>-<last4>`, with the
    /// statement's signs (a purchase makes the balance more negative), never on an asset.
    @Test func creditCardStatementsAreLiabilities() throws {
        let r = try StatementFixtures.read("ofx/saldo-ofx211-bank-and-creditcard-repeated-banktranlist.ofx")
        let accounts = Set(r.transactions.flatMap(\.postings).map(\.account.path))
        #expect(accounts.contains { $0.hasPrefix("liabilities:") })
        #expect(accounts.filter { $0.hasPrefix("assets:") && !$0.hasPrefix("assets:transfers") }.count == 1)
        let anz = try StatementFixtures.read("ofx/ofxparse-ofx203-creditcard-aud-unclosed-tags.ofx")
        #expect(Self.assetChange(anz).keys.allSatisfy { $0.hasPrefix("liabilities:") } && Self.assetChange(anz).count == 1)
        // camt: an account of type CARD; its balances are checked against the liability.
        let card = String(decoding: Self.camt(Self.entry("25.00", "DBIT", ref: "C1"), opening: "-100.00", closing: "-125.00"), as: UTF8.self)
            .replacingOccurrences(of: "<Ccy>EUR</Ccy></Acct>", with: "<Tp><Cd>CARD</Cd></Tp><Ccy>EUR</Ccy></Acct>")
            .replacingOccurrences(of: ">-100.00</Amt><CdtDbtInd>CRDT", with: ">100.00</Amt><CdtDbtInd>DBIT")
            .replacingOccurrences(of: ">-125.00</Amt><CdtDbtInd>CRDT", with: ">125.00</Amt><CdtDbtInd>DBIT")
        let c = StatementImporter.read(data: Data(card.utf8), fileName: "card.xml")
        #expect(c.balances.ledgerAgrees && c.balances.checked == 1, "\(c.problems)")
        #expect(Self.assetChange(c) == ["liabilities:bank-2051": -2500])
        #expect(c.balanceChecks.first?.account.path == "liabilities:bank-2051")
    }

    @Test func ofxTwoStatementsAndTimeZonesAndCharset() throws {
        let two = try StatementFixtures.read("ofx/ofxparse-ofx211-xml-two-accounts-no-transactions.ofx")
        #expect(two.problems.filter { $0.code == "ofx.closing-only" }.count == 2)
        let cad = try StatementFixtures.read("ofx/ofxparse-ofx102-sgml-compact-lines-cad-est-tz.ofx")
        #expect(cad.transactions.first?.timeZone == "-05:00")
        #expect(cad.transactions.contains { $0.payee == "Joe's Bald Hairstyles" })
        // CHARSET:1252: a byte 0xE9 is é, not a broken character.
        let sgml = Data("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nCHARSET:1252\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>12345678<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260102<TRNAMT>-3.50<FITID>A1<NAME>Caf".utf8)
            + Data([0xE9]) + Data("</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>".utf8)
        let r = StatementImporter.read(data: sgml, fileName: "cp1252.ofx")
        #expect(!r.isFatal)
        #expect(r.transactions.first?.payee == "Café")
        // The card and bank of one file are separate accounts.
        let both = try StatementFixtures.read("ofx/saldo-ofx211-bank-and-creditcard-repeated-banktranlist.ofx")
        #expect(Set(Self.assetChange(both).keys) == ["assets:example-credit-union-1234", "liabilities:example-credit-union-4444"])
    }

    @Test func ofxCurrencyAggregateConvertsAtItsRateAndKeepsThePrice() throws {
        let sgml = "OFXHEADER:100\nCHARSET:1252\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>99887766<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
            + "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260102<TRNAMT>-10.00<FITID>F1<NAME>Hotel<CURRENCY><CURRATE>1.10<CURSYM>EUR</CURRENCY></STMTTRN>"
            + "</BANKTRANLIST><LEDGERBAL><BALAMT>89.00<DTASOF>20260103</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
        let r = StatementImporter.read(data: Data(sgml.utf8), fileName: "fx.ofx")
        let t = try #require(r.transactions.first)
        let usd = try CurrencyCode("USD"), eur = try CurrencyCode("EUR")
        #expect(t.postings.contains { $0.account.path == "assets:bank-7766" && $0.amount == Money(minorUnits: -1100, currency: usd) })
        #expect(t.postings.contains { $0.amount == Money(minorUnits: 1000, currency: eur) && $0.cost == Money(minorUnits: 1100, currency: usd) })
    }

    // MARK: dedup, batches

    @Test func reimportGivesTheSameKeysAndIdenticalRowsAreKept() throws {
        for f in StatementFixtures.files where f.hasPrefix("camt/") || f.hasPrefix("ofx/") {
            let a = try StatementFixtures.read(f), b = try StatementFixtures.read(f)
            let keys = a.transactions.compactMap(\.dedupKey)
            #expect(keys.count == a.transactions.count, "\(f)")
            #expect(Set(keys).count == keys.count, "\(f): keys are unique within the file")
            #expect(keys == b.transactions.compactMap(\.dedupKey), "\(f): the same keys on re-import")
        }
        // Two genuine identical entries without any reference are both booked.
        let twice = Self.entry("10.00") + Self.entry("10.00")
        let r = StatementImporter.read(data: Self.camt(twice, closing: "120.00"), fileName: "same.xml")
        #expect(r.transactions.count == 2 && Set(r.transactions.compactMap(\.dedupKey)).count == 2)
        #expect(r.balances.ledgerAgrees)
    }

    @Test func batchWhoseTransactionsDoNotAddUpIsBookedWholeWithAWarning() {
        let details = "<TxDtls><Amt Ccy=\"EUR\">60.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls><TxDtls><Amt Ccy=\"EUR\">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls>"
        let r = StatementImporter.read(data: Self.camt(Self.entry("100.00", ref: "R1", details: details), closing: "200.00"), fileName: "batch.xml")
        #expect(r.transactions.count == 1)
        #expect(r.balances.ledgerAgrees)
        let w = r.warnings.first { $0.code == "camt.batch" }
        #expect(w?.message.contains("add up to 90.00 EUR") == true)
        // When they add up, each transaction is booked.
        let ok = "<TxDtls><Amt Ccy=\"EUR\">60.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls><TxDtls><Amt Ccy=\"EUR\">40.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls>"
        let r2 = StatementImporter.read(data: Self.camt(Self.entry("100.00", ref: "R1", details: ok), closing: "200.00"), fileName: "batch.xml")
        #expect(r2.transactions.count == 2 && r2.warnings.isEmpty && r2.balances.ledgerAgrees)
    }

    @Test func includedChargesAreFeesAndPendingEntriesAreFiltered() {
        let charged = "<TxDtls><Amt Ccy=\"EUR\">99.30</Amt><CdtDbtInd>CRDT</CdtDbtInd><Chrgs><Rcrd><Amt Ccy=\"EUR\">0.70</Amt><CdtDbtInd>DBIT</CdtDbtInd><ChrgInclInd>true</ChrgInclInd></Rcrd></Chrgs></TxDtls>"
        let pending = "<Ntry><Amt Ccy=\"EUR\">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts><BookgDt><Dt>2026-01-16</Dt></BookgDt></Ntry>"
        let r = StatementImporter.read(data: Self.camt(Self.entry("99.30", ref: "C1", details: charged) + pending, closing: "199.30"), fileName: "chrg.xml")
        let t = r.transactions.first
        #expect(t?.postings.contains { $0.account.path.hasPrefix("expenses:fees:") && $0.amount.minorUnits == 70 } == true)
        #expect(t?.postings.contains { $0.account.path.hasPrefix("income:") && $0.amount.minorUnits == -10000 } == true)
        #expect(r.filtered.count == 1)
        #expect(r.balances.ledgerAgrees)
    }

    @Test func streamingPathHandsOverTheSameTransactions() throws {
        for f in ["camt/viafintech-camt053-v04-postfinance-ch-batch-charges-reversals.xml", "ofx/saldo-ofx211-bank-and-creditcard-repeated-banktranlist.ofx"] {
            let data = try Fixtures.data("statements/" + f)
            let collected = StatementImporter.read(data: data, fileName: "x")
            var sink = RecordingSink()
            let r = StatementImporter.read(data: data, fileName: "x", into: &sink)
            let streamed = sink.batches.flatMap(\.transactions)
            #expect(r.transactions.isEmpty && !r.isFatal)
            #expect(streamed.map(\.dedupKey) == collected.transactions.map(\.dedupKey))
            #expect(sink.ends == 1 && !sink.addedAfterEnd)
            // Pinned: each account was booked with a builder of its own, so index n named another
            // account in the next account's batch, and the ledger writer (which caches index -> id
            // within a file) would have booked the credit card's rows on the bank account.
            #expect(sink.batches.count >= 2 || f.hasPrefix("camt"))
            for (a, b) in zip(sink.batches, sink.batches.dropFirst()) { #expect(b.accounts.starts(with: a.accounts), "\(f)") }
        }
    }

    @Test func dispatchIsByContent() throws {
        #expect(StatementImporter.statementFormat(try Fixtures.data("statements/camt/genkgo-camt053-v02-two-statements.xml")) == .camt)
        #expect(StatementImporter.statementFormat(try Fixtures.data("statements/ofx/ofxparse-ofx200-xml-suncorp-aud-cdata-crlf.ofx")) == .ofx)
        #expect(StatementImporter.statementFormat(try Fixtures.data("statements/ofx/ofxparse-ofx102-sgml-checking-usd-tabs-intu.ofx")) == .ofx)
        #expect(!StatementImporter.isStatement(Data("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>".utf8)))
        #expect(!StatementImporter.isStatement(Data("Date,Description,Amount\n".utf8)))
    }

    // MARK: hostile input

    static let xxeFile = "<?xml version=\"1.0\"?><!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
    static let xxeURL = "<?xml version=\"1.0\"?><!DOCTYPE Document [<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]>"
    static let laughs = "<?xml version=\"1.0\"?><!DOCTYPE Document [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"

    @Test(arguments: ["file", "url", "laughs"])
    func camtWithADoctypeIsRefusedAndNothingIsRead(_ which: String) {
        let prolog = which == "file" ? Self.xxeFile : which == "url" ? Self.xxeURL : Self.laughs
        let ref = which == "laughs" ? "&d;" : "&x;"
        let data = Self.camt(Self.entry("1.00", ref: "R", details: "<TxDtls><AddtlTxInf>\(ref)</AddtlTxInf></TxDtls>"), closing: "101.00", prolog: prolog)
        let r = StatementImporter.read(data: data, fileName: "hostile.xml")
        #expect(r.isFatal)
        #expect(r.errors.first?.code == "xml.doctype")
        #expect(r.transactions.isEmpty)
    }

    @Test(arguments: ["file", "url", "laughs"])
    func ofx2WithADoctypeIsRefusedNotReadAsSGML(_ which: String) {
        let prolog = (which == "file" ? Self.xxeFile : which == "url" ? Self.xxeURL : Self.laughs).replacingOccurrences(of: "Document", with: "OFX")
        let ref = which == "laughs" ? "&d;" : "&x;"
        let data = Data((prolog + "<?OFX OFXHEADER=\"200\" VERSION=\"211\"?><OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD</CURDEF><BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260101</DTPOSTED><TRNAMT>-1</TRNAMT><FITID>1</FITID><NAME>\(ref)</NAME></STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>").utf8)
        let r = StatementImporter.read(data: data, fileName: "hostile.ofx")
        #expect(r.isFatal && r.errors.first?.code == "xml.doctype")
        #expect(r.transactions.isEmpty)
    }

    @Test func deepNestingGiganticTextAndTruncationAreRefused() {
        let deep = String(repeating: "<a>", count: 5000) + String(repeating: "</a>", count: 5000)
        let r1 = StatementImporter.read(data: Self.camt("<Ntry>\(deep)</Ntry>"), fileName: "deep.xml")
        #expect(r1.isFatal && r1.errors.first?.code == "xml.depth")
        let huge = String(repeating: "x", count: 2 * 1024 * 1024)
        let r2 = StatementImporter.read(data: Self.camt(Self.entry("1.00", details: "<TxDtls><AddtlTxInf>\(huge)</AddtlTxInf></TxDtls>"), closing: "101.00"), fileName: "huge.xml")
        #expect(r2.isFatal && r2.errors.first?.code == "xml.text")
        let whole = Self.camt(Self.entry("1.00") + Self.entry("2.00"), closing: "103.00")
        let r3 = StatementImporter.read(data: whole.prefix(whole.count - 60), fileName: "cut.xml")
        #expect(r3.isFatal && r3.transactions.isEmpty)
        #expect(r3.errors.first?.message.isEmpty == false)
        let ofx = try! Fixtures.data("statements/ofx/ofxparse-ofx200-xml-suncorp-aud-cdata-crlf.ofx")
        let r4 = StatementImporter.read(data: ofx.prefix(ofx.count / 2 + 40), fileName: "cut.ofx")
        #expect(r4.isFatal && r4.transactions.isEmpty)
        #expect(r4.errors.contains { $0.code == "ofx.truncated" || $0.code.hasPrefix("xml.") })
        let sgml = try! Fixtures.data("statements/ofx/ofxparse-ofx102-sgml-checking-usd-tabs-intu.ofx")
        let r5 = StatementImporter.read(data: sgml.prefix(sgml.count - 30), fileName: "cut1.ofx")
        #expect(r5.isFatal && r5.errors.first?.code == "ofx.truncated")
        let deepSGML = "OFXHEADER:100\n\n<OFX>" + String(repeating: "<STMTRS>", count: 200)
        let r6 = StatementImporter.read(data: Data(deepSGML.utf8), fileName: "deep.ofx")
        #expect(r6.isFatal && r6.errors.first?.code == "ofx.depth")
    }

    // MARK: fuzzing

    static let camtSeeds: [[UInt8]] = StatementFixtures.files.filter { $0.hasPrefix("camt/") }.compactMap { try? [UInt8](Fixtures.data("statements/" + $0)) }
    static let ofxSeeds: [[UInt8]] = StatementFixtures.files.filter { $0.hasPrefix("ofx/") }.compactMap { try? [UInt8](Fixtures.data("statements/" + $0)) }

    @Test func camtRandomEditsNeverTrap() async {
        let edits = zip(Gen.int(in: 0...1_000_000), Gen.int(in: 0...255), Gen.int(in: 0...2)).array(of: 1...12)
        await propertyCheck(count: 200, input: Gen.int(in: 0..<Self.camtSeeds.count), edits) { which, changes in
            let r = StatementImporter.read(data: Data(Fuzz.mutate(Self.camtSeeds[which], changes)), fileName: "fuzz.xml")
            if !r.isFatal { for t in r.transactions { #expect(throws: Never.self) { try t.validate() } } }
            for d in r.problems { #expect(!d.message.isEmpty) }
        }
    }

    @Test func ofxRandomEditsNeverTrap() async {
        let edits = zip(Gen.int(in: 0...1_000_000), Gen.int(in: 0...255), Gen.int(in: 0...2)).array(of: 1...12)
        await propertyCheck(count: 300, input: Gen.int(in: 0..<Self.ofxSeeds.count), edits) { which, changes in
            let r = StatementImporter.read(data: Data(Fuzz.mutate(Self.ofxSeeds[which], changes)), fileName: "fuzz.ofx")
            if !r.isFatal { for t in r.transactions { #expect(throws: Never.self) { try t.validate() } } }
            for d in r.problems { #expect(!d.message.isEmpty) }
        }
    }

    @Test func ofxRandomTagSoupNeverTraps() async {
        let alphabet: [String] = ["<OFX>", "</OFX>", "<STMTRS>", "</STMTRS>", "<BANKTRANLIST>", "</BANKTRANLIST>", "<STMTTRN>", "</STMTTRN>",
                                  "<CURDEF>USD", "<TRNAMT>-1.5", "<TRNAMT>9999999999999999999", "<DTPOSTED>20260101[-5:EST]", "<DTPOSTED>2026",
                                  "<FITID>1", "<NAME>&amp;&#0;&#x110000;&", "<LEDGERBAL>", "<BALAMT>1", "</LEDGERBAL>", "<", ">", "\n", "<CURRENCY><CURRATE>0<CURSYM>EUR</CURRENCY>",
                                  "<ORIGCURRENCY><CURRATE>0<CURSYM>EUR</ORIGCURRENCY>", "<CCSTMTRS>", "</CCSTMTRS>"]
        await propertyCheck(count: 300, input: Gen.int(in: 0..<alphabet.count).array(of: 0...60)) { idx in
            let body = "OFXHEADER:100\nCHARSET:1252\n\n" + idx.map { alphabet[$0] }.joined()
            let r = StatementImporter.read(data: Data(body.utf8), fileName: "soup.ofx")
            if !r.isFatal { for t in r.transactions { #expect(throws: Never.self) { try t.validate() } } }
        }
    }
}
