import Testing
import SaldoCore

@Suite struct LedgerModelTests {
    func acct(_ s: String) -> Account { try! Account(s) }

    @Test func accountsNormaliseAndRefuse() throws {
        #expect(try Account(" Assets:PayPal ").path == "assets:paypal")
        #expect(Account(.expenses, "fees", "Wise").path == "expenses:fees:wise")
        #expect(Account(.income, "Prolific Academic Ltd.").path == "income:prolific-academic-ltd")
        #expect(Account(.assets, "bank", "ING España").path == "assets:bank:ing-espana")
        #expect(throws: LedgerError.self) { try Account("cash:wallet") }
        #expect(throws: LedgerError.self) { try Account("assets::paypal") }
        #expect(throws: LedgerError.self) { try Account("assets:pay pal;") }
        #expect(acct("income:upwork:client-a").isUnder(acct("income")))
        #expect(!acct("income:upworkers").isUnder(acct("income:upwork")))
    }

    @Test func anAccountsRootIsItsPathsFirstPart() throws {
        for root in Account.Root.allCases {
            for text in [root.rawValue, root.rawValue + ":x", "  \(root.rawValue.uppercased()):Some_Bank:Sub ", root.rawValue + ":" + Account.Root.allCases.map(\.rawValue).joined(separator: ":")] {
                let a = try Account(text)
                #expect(a.root == root, "\(text)")
                #expect(a.root.rawValue == String(a.path.prefix { $0 != ":" }), "\(text)")
            }
            #expect(Account(root, "PayPal Europe").root == root)
        }
    }

    @Test func balancedTransactionPasses() throws {
        let t = Transaction(date: Day(iso: "2026-03-02")!, description: "Study payment", kind: .earning, postings: [
            Posting(acct("assets:paypal"), Money(minorUnits: 7975, currency: .USD)),
            Posting(acct("expenses:fees:paypal"), Money(minorUnits: 425, currency: .USD)),
            Posting(acct("income:prolific"), Money(minorUnits: -8400, currency: .USD)),
        ])
        try t.validate()
    }

    @Test func unbalancedTransactionIsRefusedWithItsResidual() {
        let t = Transaction(date: Day(iso: "2026-03-02")!, description: "Study payment", kind: .earning, postings: [
            Posting(acct("assets:paypal"), Money(minorUnits: 7975, currency: .USD)),
            Posting(acct("income:prolific"), Money(minorUnits: -8400, currency: .USD)),
        ])
        #expect(throws: LedgerError.unbalanced(date: "2026-03-02", description: "Study payment", residual: "-4.25 USD")) { try t.validate() }
        #expect("\(LedgerError.unbalanced(date: "2026-03-02", description: "Study payment", residual: "-4.25 USD"))"
            == "transaction on 2026-03-02 (\"Study payment\") does not balance: the postings leave -4.25 USD; add the missing posting or a conversion price")
    }

    @Test func conversionBalancesThroughItsCost() throws {
        let t = Transaction(date: Day(iso: "2026-03-05")!, description: "Convert", kind: .conversion, postings: [
            Posting(acct("assets:paypal"), Money(minorUnits: -10000, currency: .USD), cost: Money(minorUnits: 9015, currency: .EUR)),
            Posting(acct("assets:paypal"), Money(minorUnits: 9015, currency: .EUR)),
        ])
        try t.validate()
        var wrong = t
        wrong.postings[1].amount = Money(minorUnits: 9000, currency: .EUR)
        #expect(throws: LedgerError.self) { try wrong.validate() }
        var noCost = t
        noCost.postings[0].cost = nil
        #expect(throws: LedgerError.self) { try noCost.validate() }
    }

    @Test func days() {
        let d = Day(iso: "2024-02-29")!
        #expect(d.adding(days: 1).description == "2024-03-01")
        #expect(Day(ordinal: d.ordinal) == d)
        #expect(Day(iso: "1970-01-01")!.ordinal == 0)
        #expect(Day(iso: "2026-11-28")!.weekday == 6) // a Saturday
        #expect(Day(iso: "2026-02-29") == nil)
        #expect(Day(iso: "2026-01-31")!.adding(months: 1).description == "2026-02-28")
        for o in stride(from: -800_000, to: 800_000, by: 997) { #expect(Day(ordinal: o).ordinal == o) }
    }

    @Test func periods() throws {
        #expect(try Period.parse("2026-Q3").start.description == "2026-07-01")
        #expect(try Period.parse("2026-Q3").end.description == "2026-10-01")
        #expect(try Period.parse("2026").months.count == 12)
        #expect(try Period.parse("2026-02").lastDay.description == "2026-02-28")
        #expect(try Period.parse("2026-01..2026-06").end.description == "2026-07-01")
        #expect(throws: PeriodError.invalid("2026-Q5")) { try Period.parse("2026-Q5") }
        // Pinned (tester): a reversed range was an empty period, so reports said "no earnings".
        #expect(throws: PeriodError.reversed("2026-06..2026-01")) { try Period.parse("2026-06..2026-01") }
        #expect(try Period.parse("2026-06..2026-06").lastDay.description == "2026-06-30")
        #expect(try Period.parse("2026-07-15..2026-07-15").end.description == "2026-07-16")
    }

    @Test func diagnosticsReadLikeCompilerErrors() {
        let d = Diagnostic.error("csv.amount", "expected an amount, found \"1.234,5O\"",
                                 at: SourceLocation(file: "statement.csv", line: 214, column: 5, field: "Gross"),
                                 hint: "fix the cell, or pass --decimal-mark comma")
        #expect(d.description == "statement.csv:214:5 (Gross): expected an amount, found \"1.234,5O\"\n  hint: fix the cell, or pass --decimal-mark comma")
    }

    @Test func journalWriterEscapes() {
        let t = Transaction(date: Day(iso: "2026-01-02")!, description: "Fee; see | note", kind: .fee, postings: [
            Posting(acct("expenses:fees:wise"), Money(minorUnits: 150, currency: .EUR)),
            Posting(acct("assets:wise"), Money(minorUnits: -150, currency: .EUR)),
        ], payee: "Wise \"Ltd\"", platform: "Wise")
        let h = JournalWriter.hledger([t])
        #expect(h.contains("2026-01-02 * Wise \"Ltd\" | Fee, see / note  ; kind:fee, platform:Wise"))
        let b = JournalWriter.beancount([t])
        #expect(b.contains("2026-01-02 * \"Wise \\\"Ltd\\\"\" \"Fee; see | note\""))
        #expect(b.contains("2026-01-02 open Expenses:Fees:Wise"))
    }
}
