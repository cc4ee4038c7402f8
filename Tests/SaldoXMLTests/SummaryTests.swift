import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
import SaldoInvoices

func eur(_ s: String) -> Money { (try? Money(ExactDecimal(s), currency: .EUR)) ?? .zero(.EUR) }
func day(_ s: String) -> Day { Day(iso: s) ?? Day(year: 2000, month: 1, day: 1)! }

func sale(_ number: String, buyer: String, issue: String, due: String?, payable: String, currency: CurrencyCode = .EUR,
          kind: InvoiceKind = .invoice, prepaid: String = "0") -> Invoice {
    let m = { (s: String) in (try? Money(ExactDecimal(s), currency: currency)) ?? .zero(currency) }
    return Invoice(number: number, typeCode: kind == .creditNote ? "381" : "380", kind: kind, issueDate: day(issue), dueDate: due.map(day),
                   seller: Party(name: "Me", taxID: "ES12345678Z"), buyer: Party(name: buyer), currency: currency,
                   net: m(payable), tax: .zero(currency), withholding: .zero(currency), total: m(payable) + m(prepaid),
                   prepaid: m(prepaid), payable: m(payable), format: "ubl")
}

@Suite("Invoice summary, payment matching, JSON rows")
struct SummaryTests {
    let today = day("2026-06-30")

    @Test func agingOutstandingOverdueAndDSO() {
        let a = sale("A1", buyer: "Acme", issue: "2026-06-20", due: "2026-07-20", payable: "100.00")      // current
        let b = sale("A2", buyer: "Acme", issue: "2026-05-01", due: "2026-06-10", payable: "200.00")      // 20 days late
        let c = sale("A3", buyer: "Acme", issue: "2026-03-01", due: "2026-03-31", payable: "300.00")      // 91 days late
        let d = sale("A4", buyer: "Acme", issue: "2026-04-01", due: "2026-05-01", payable: "400.00")      // paid
        let cn = sale("C1", buyer: "Acme", issue: "2026-06-25", due: nil, payable: "-50.00", kind: .creditNote)
        let other = sale("B1", buyer: "Beta", issue: "2026-06-01", due: "2026-07-01", payable: "80.00", currency: .USD)
        let pays = [InvoicePayment(invoiceKey: d.dedupKey, date: day("2026-05-02"), amount: eur("400.00")),
                    InvoicePayment(invoiceKey: b.dedupKey, date: day("2026-06-15"), amount: eur("50.00")),
                    InvoicePayment(invoiceKey: a.dedupKey, date: day("2026-07-15"), amount: eur("100.00"))]  // after today: ignored
        let s = InvoiceSummary.compute(invoices: [a, b, c, d, cn, other], payments: pays, today: today)
        #expect(s.clients.map { "\($0.client) \($0.currency)" } == ["Acme EUR", "Beta USD"])
        let acme = s.clients[0]
        #expect(acme.invoiceCount == 5)
        #expect(acme.issued == eur("950.00"))
        #expect(acme.paid == eur("450.00"))
        #expect(acme.outstanding == eur("500.00"))
        // The open credit note (-50) is set against the oldest amount due (A3, 91 days late), not
        // against "current" by its own due date: Overdue is the buckets past due added up.
        #expect(acme.overdue == eur("400.00"))
        #expect(acme.aging.current == eur("100.00"))
        #expect(acme.aging.days1to30 == eur("150.00"))
        #expect(acme.aging.over90 == eur("250.00"))
        #expect(acme.aging.days31to60.isZero && acme.aging.days61to90.isZero)
        #expect(acme.nextDueDates == [day("2026-07-20")])
        // DSO = 500 outstanding / 950 sales in the last 365 days × 365 = 192.1 → 192.
        #expect(acme.daysSalesOutstanding == 192)
        #expect(s.totals.map(\.currency) == [.EUR, .USD])
        #expect(s.totals[1].outstanding.description == "80.00 USD")
        #expect(InvoiceSummary.position(of: b, payments: pays, today: today).status == .partiallyPaid)
        #expect(InvoiceSummary.position(of: d, payments: pays, today: today).status == .paid)
        #expect(InvoiceSummary.position(of: a, payments: pays, today: today).status == .open)
    }

    @Test func matcherProposesExplainedMatches() {
        let inv = sale("F-2026-052", buyer: "Liffey Games Ltd", issue: "2026-05-04", due: "2026-06-03", payable: "1452.00", currency: .USD)
        let inv2 = sale("F-2026-053", buyer: "Tulip Apps B.V.", issue: "2026-05-10", due: "2026-06-09", payable: "363.00")
        let usd = { (s: String) in (try? Money(ExactDecimal(s), currency: .USD)) ?? .zero(.USD) }
        let candidates = [
            PaymentCandidate(id: "wise-1", date: day("2026-05-28"), amount: usd("1437.00"), counterparty: "LIFFEY GAMES LIMITED", reference: "INV F-2026-052"),
            PaymentCandidate(id: "wise-2", date: day("2026-05-29"), amount: usd("1452.00"), counterparty: "Someone Else", reference: "refund"),
            PaymentCandidate(id: "bank-1", date: day("2026-06-09"), amount: eur("363.00"), counterparty: "TULIP APPS", reference: "payment"),
            PaymentCandidate(id: "bank-2", date: day("2026-06-09"), amount: eur("500.00"), counterparty: "TULIP APPS", reference: "too much"),
            PaymentCandidate(id: "bank-3", date: day("2026-12-30"), amount: eur("363.00"), counterparty: "TULIP APPS", reference: "too late"),
        ]
        let m = PaymentMatcher().propose(openInvoices: [inv, inv2], candidates: candidates)
        #expect(m.map(\.paymentID) == ["wise-1", "bank-1"])
        #expect(m[0].shortfall.description == "15.00 USD")
        #expect(m[0].explanation.contains("invoice number in the payment reference"))
        #expect(m[0].explanation.contains("15.00 USD less, taken as fees"))
        #expect(m[1].explanation.contains("exact amount") && m[1].explanation.contains("paid on the due date"))
        #expect(m.allSatisfy { $0.score >= 0.5 && $0.score <= 1 })
        #expect(NameSimilarity.score("LIFFEY GAMES LIMITED", "Liffey Games Ltd") == 1)
        #expect(NameSimilarity.score("Foo", "Bar") == 0)
    }

    @Test func candidatesComeFromIncomingAssetPostings() throws {
        let t = Transaction(date: day("2026-06-01"), description: "Transfer from TULIP APPS", kind: .payment, postings: [
            Posting(Account(.assets, "bank"), eur("363.00")), Posting(Account(.assets, "receivable", "tulip"), eur("-363.00")),
        ], payee: "TULIP APPS", dedupKey: "bank:42")
        let c = PaymentCandidate.from(t)
        #expect(c.count == 1 && c[0].amount == eur("363.00") && c[0].id == "bank:42" && c[0].counterparty == "TULIP APPS")
    }

    @Test func jsonRowHasEveryFieldWithCurrencyDecimals() throws {
        let r = InvoiceReader.read(contentsOf: Fixtures.url("invoices/ubl/saldo-ubl-usd-taxcurrency-eur.xml"))
        let inv = try #require(r.invoices.first).invoice
        let row = InvoiceRow(inv, today: day("2026-05-10"))
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let json = try #require(String(data: try enc.encode(row), encoding: .utf8))
        for key in ["number", "type_code", "issue_date", "due_date", "currency", "net", "vat", "gross", "prepaid", "payable",
                    "withholding", "seller", "buyer", "status", "source"] {
            #expect(json.contains("\"\(key)\":"), "missing \(key)")
        }
        #expect(json.contains("\"net\":\"1200.00\"") && json.contains("\"vat_in_accounting_currency\":\"223.96\""))
        #expect(json.contains("\"status\":\"open\"") && json.contains("\"withholding\":\"0.00\""))
        let jpy = Invoice(number: "J1", typeCode: "380", kind: .invoice, issueDate: day("2026-01-01"), seller: Party(name: "a"), buyer: Party(name: "b"),
                          currency: .JPY, net: Money(minorUnits: 1500, currency: .JPY), tax: .zero(.JPY), withholding: .zero(.JPY),
                          total: Money(minorUnits: 1500, currency: .JPY), prepaid: .zero(.JPY), payable: Money(minorUnits: 1500, currency: .JPY), format: "ubl")
        let j = try #require(String(data: try enc.encode(InvoiceRow(jpy, today: day("2026-01-02"))), encoding: .utf8))
        #expect(j.contains("\"gross\":\"1500\"") && j.contains("\"due_date\":null"))
    }

    @Test func directionFollowsOwnTaxIDs() throws {
        let url = Fixtures.url("invoices/ubl/saldo-ubl-usd-taxcurrency-eur.xml")
        let asSeller = InvoiceReader.read(contentsOf: url, options: InvoiceReadOptions(ownTaxIDs: ["12345678Z"])).invoices[0]
        #expect(asSeller.invoice.direction == .issued)
        let asBuyer = InvoiceReader.read(contentsOf: url, options: InvoiceReadOptions(ownTaxIDs: ["IE 6388047V"])).invoices[0]
        #expect(asBuyer.invoice.direction == .received)
        let t = try #require(asBuyer.transaction)
        #expect(t.postings.map(\.account.path) == ["liabilities:payable:lucia-freelance-design", "assets:tax:vat-input", "expenses:lucia-freelance-design"])
        #expect(throws: Never.self) { try t.validate() }
        let neither = InvoiceReader.read(contentsOf: url, options: InvoiceReadOptions(ownTaxIDs: ["B00000000"])).invoices[0]
        #expect(neither.invoice.direction == .issued && neither.invoice.problems.contains { $0.code == "invoice.direction" })
    }

    @Test func reimportGivesTheSameDedupKey() {
        let url = Fixtures.url("invoices/cii/mustang-ZF2PushCreditNote-381.xml")
        let a = InvoiceReader.read(contentsOf: url).invoices.map(\.invoice.dedupKey)
        let b = InvoiceReader.read(contentsOf: url).invoices.map(\.invoice.dedupKey)
        #expect(a == b && a.count == 1)
        #expect(a[0].contains("|123|381|2020-12-22"))
    }
}

@Suite("The four invoices of the issue's acceptance list")
struct AcceptanceInvoicesTests {
    func one(_ path: String) throws -> ImportedInvoice {
        try #require(InvoiceReader.read(contentsOf: Fixtures.url("invoices/\(path)"), file: path).invoices.first)
    }

    @Test func summaryAndLedgerOfTheFour() throws {
        let irpf = try one("facturae/gobl-3.2.2-invoice-vat-irpf.xml")           // Facturae with IRPF
        let credit = try one("cii/mustang-ZF2PushCreditNote-381.xml")           // CII credit note
        let foreign = try one("ubl/saldo-ubl-usd-taxcurrency-eur.xml")          // UBL USD, VAT accounting currency EUR
        let cfdi = try one("cfdi/saldo-cfdi40-usd-isr-iva-retenciones.xml")     // CFDI with ISR and IVA withheld

        // Ledger: each balances in its own currency, with the expected accounts.
        func lines(_ d: ImportedInvoice) -> [String] { d.transaction?.postings.map { "\($0.account) \($0.amount)" } ?? [] }
        #expect(lines(irpf) == ["assets:receivable:moniward-sl 4480.62 EUR", "liabilities:tax:vat-output -843.92 EUR",
                                "assets:tax:withheld 600.30 EUR", "income:moniward-sl -4237.00 EUR"])
        #expect(lines(credit).contains("liabilities:tax:vat-output 0.57 EUR"))
        #expect(credit.invoice.kind == .creditNote && credit.invoice.payable.description == "-3.57 EUR")
        #expect(lines(foreign) == ["assets:receivable:liffey-games-ltd 1452.00 USD", "liabilities:tax:vat-output -252.00 USD",
                                   "income:liffey-games-ltd -1200.00 USD"])
        #expect(foreign.invoice.taxInAccountingCurrency?.description == "223.96 EUR")
        #expect(lines(cfdi) == ["assets:receivable:software-del-pacifico 1906.67 USD", "liabilities:tax:vat-output -320.00 USD",
                                "assets:tax:withheld 200.00 USD", "assets:tax:vat-withheld 213.33 USD", "income:software-del-pacifico -2000.00 USD"])
        #expect(cfdi.invoice.taxInAccountingCurrency?.description == "5488.74 MXN")
        for d in [irpf, credit, foreign, cfdi] { #expect(throws: Never.self) { try d.transaction?.validate() } }

        // Summary on 2026-07-01 with the USD invoice paid less a 15.00 fee.
        let invoices = [irpf, credit, foreign, cfdi].map(\.invoice)
        let paid = InvoicePayment(invoiceKey: foreign.invoice.dedupKey, date: Day(year: 2026, month: 5, day: 28)!,
                                  amount: try Money(ExactDecimal("1437.00"), currency: .USD))
        let s = InvoiceSummary.compute(invoices: invoices, payments: [paid], today: Day(year: 2026, month: 7, day: 1)!)
        let byClient = Dictionary(uniqueKeysWithValues: s.clients.map { ("\($0.client)|\($0.currency)", $0) })
        let moniward = try #require(byClient["Moniward Sl|EUR"])
        #expect(moniward.outstanding.description == "4480.62 EUR" && moniward.aging.over90.description == "4480.62 EUR")
        let liffey = try #require(byClient["Liffey Games Ltd|USD"])
        #expect(liffey.paid.description == "1437.00 USD" && liffey.outstanding.description == "15.00 USD" && liffey.overdue.description == "15.00 USD")
        let pacifico = try #require(byClient["SOFTWARE DEL PACIFICO|USD"])
        #expect(pacifico.outstanding.description == "1906.67 USD" && pacifico.aging.over90.description == "1906.67 USD")
        #expect(s.clients.contains { $0.outstanding.description == "-3.57 EUR" })
        #expect(s.totals.first { $0.currency == .USD }?.outstanding.description == "1921.67 USD")
    }
}


/// SplitMix64: the same invoice sets on every run, so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Invoice summary: overdue, aging, clients, payment receipts")
struct SummaryConsistencyTests {
    let today = day("2026-12-07")

    /// Pinned from the tester's ledger (peppol Snippet1 invoice 6,125.00 with 1,000.00 prepaid and its
    /// credit note -1,656.25, both long past due): Overdue was 6,125.00 against 4,468.75 outstanding.
    @Test func anOpenCreditNoteLowersOverdueToo() {
        let inv = sale("Snippet1", buyer: "Buyer Official Name", issue: "2017-11-13", due: "2017-12-01", payable: "6125.00", prepaid: "1000.00")
        let cn = sale("Snippet1", buyer: "Buyer Official Name", issue: "2017-11-13", due: "2017-12-13", payable: "-1656.25", kind: .creditNote)
        let s = InvoiceSummary.compute(invoices: [inv, cn], payments: [], today: today)
        let c = s.clients[0]
        #expect(c.outstanding == eur("4468.75"))
        #expect(c.overdue == eur("4468.75"))
        #expect(c.aging.over90 == eur("4468.75"))
        #expect(s.totals[0].overdue == eur("4468.75"))
    }

    /// Over generated invoice sets (invoices, credit notes, payments, several clients and
    /// currencies): in every row the buckets add up to Outstanding, Overdue is the buckets past due
    /// added up, never negative and never more than Outstanding (nothing is overdue for a client in
    /// credit), and only "current" can be negative, when the whole row is.
    @Test func overdueIsTheBucketsPastDueAndNeverMoreThanOutstanding() {
        var rng = SeededGenerator(state: 20261207)
        let clients = ["Acme", "Beta", "Gamma"]
        for round in 0..<400 {
            var invoices: [Invoice] = [], payments: [InvoicePayment] = []
            for n in 0..<Int.random(in: 1...12, using: &rng) {
                let issue = today.adding(days: -Int.random(in: 0...400, using: &rng))
                let due = Bool.random(using: &rng) ? issue.adding(days: Int.random(in: 0...60, using: &rng)).description : nil
                let credit = Int.random(in: 0..<4, using: &rng) == 0
                let cents = Int.random(in: 1...500_000, using: &rng)
                let amount = (credit ? "-" : "") + "\(cents / 100).\(String(format: "%02d", cents % 100))"
                let inv = sale("N\(n)", buyer: clients.randomElement(using: &rng)!, issue: issue.description, due: due, payable: amount,
                               currency: Bool.random(using: &rng) ? .EUR : .USD, kind: credit ? .creditNote : .invoice)
                invoices.append(inv)
                if !credit && Bool.random(using: &rng) {
                    let paid = Int.random(in: 1...cents, using: &rng)
                    payments.append(InvoicePayment(invoiceKey: inv.dedupKey, date: issue.adding(days: Int.random(in: 0...90, using: &rng)),
                                                   amount: Money(minorUnits: Int64(paid), currency: inv.currency)))
                }
            }
            let s = InvoiceSummary.compute(invoices: invoices, payments: payments, today: today)
            for row in s.clients + s.totals {
                let a = row.aging
                let sum = a.current.minorUnits + a.days1to30.minorUnits + a.days31to60.minorUnits + a.days61to90.minorUnits + a.over90.minorUnits
                let context = "round \(round), \(row.client) \(row.currency): \(row)"
                #expect(sum == row.outstanding.minorUnits, "\(context)")
                #expect(row.overdue == a.overdue, "\(context)")
                #expect(!row.overdue.isNegative, "\(context)")
                #expect(row.overdue.minorUnits <= max(row.outstanding.minorUnits, 0), "\(context)")
                #expect(!a.days1to30.isNegative && !a.days31to60.isNegative && !a.days61to90.isNegative && !a.over90.isNegative, "\(context)")
                if a.current.isNegative { #expect(row.outstanding.isNegative && row.overdue.isZero, "\(context)") }
            }
            // The totals are the clients' issued, paid and outstanding added up.
            for t in s.totals {
                let rows = s.clients.filter { $0.currency == t.currency }
                #expect(t.outstanding.minorUnits == rows.reduce(0) { $0 + $1.outstanding.minorUnits })
                #expect(t.issued.minorUnits == rows.reduce(0) { $0 + $1.issued.minorUnits })
            }
        }
    }

    /// A CFDI payment receipt (type P) records money received against other invoices: nothing
    /// outstanding, never overdue (it was listed as 1,500.00 MXN outstanding, "overdue 1796d").
    @Test func aPaymentReceiptIsNeverOutstandingOrOverdue() throws {
        let r = InvoiceReader.read(contentsOf: Fixtures.url("invoices/cfdi/satcfdi-cfdv40-ejemplo-synthetic.xml"))
        let receipt = try #require(r.invoices.first { $0.invoice.kind == .paymentReceipt }?.invoice)
        let p = InvoiceSummary.position(of: receipt, payments: [], today: today)
        #expect(p.outstanding.isZero && !p.isOverdue && !p.isPayable)
        let row = InvoiceRow(receipt, today: today)
        #expect(row.outstanding == "0.00")
    }

    /// One row per client: a buyer written without a tax id joins the client with that name and a
    /// tax id; the name shown is the one most invoices use (the Facturae files of tax id B12345674:
    /// three "Comercial de Ejemplo, S.A.", one "receptor").
    @Test func oneRowPerClientUnderTheNameItsInvoicesUse() {
        func inv(_ n: String, _ name: String, _ taxID: String?, _ issue: String) -> Invoice {
            var i = sale(n, buyer: name, issue: issue, due: nil, payable: "100.00")
            i.buyer = Party(name: name, taxID: taxID)
            return i
        }
        let s = InvoiceSummary.compute(invoices: [
            inv("1", "Kunden AG Mitte", nil, "2013-03-05"), inv("2", "Kunden AG Mitte", "DE136695976", "2018-03-05"),
            inv("3", "receptor", "B12345674", "2013-01-17"), inv("4", "Comercial de Ejemplo, S.A.", "B12345674", "2013-04-30"),
            inv("5", "Comercial de Ejemplo, S.A.", "B12345674", "2026-01-15"), inv("6", "Comercial de Ejemplo, S.A.", "B12345674", "2026-01-15"),
        ], payments: [], today: today)
        #expect(s.clients.map(\.client) == ["Comercial de Ejemplo, S.A.", "Kunden AG Mitte"])
        #expect(s.clients.map(\.invoiceCount) == [4, 2])
        #expect(s.clients.map(\.clientTaxID) == ["B12345674", "DE136695976"])
    }
}

/// Pinned (tester): the import summary and the web's "Read as" showed a UBL invoice's specification
/// identifier raw (`urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0`),
/// which also made the Import page scroll sideways on a phone.
@Suite struct InvoiceSpecificationNameTests {
    @Test func identifiersReadAsTheNamesPeopleKnow() {
        let cases: [(String, InvoiceFormat?, String)] = [
            ("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", .ubl, "Peppol BIS Billing 3.0 (UBL)"),
            ("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0", .cii, "XRechnung 3.0 (CII)"),
            ("urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_1.2", .ubl, "XRechnung 1.2 (UBL)"),
            ("urn:factur-x.eu:1p0:minimum", .cii, "Factur-X MINIMUM"),
            ("urn:factur-x.eu:1p0:basicwl", .cii, "Factur-X BASIC WL"),
            ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", .cii, "Factur-X BASIC"),
            ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", .cii, "Factur-X EXTENDED"),
            ("urn:cen.eu:en16931:2017", .ubl, "EN 16931 (UBL)"),
            ("urn:cen.eu:en16931:2017", .cii, "EN 16931 (CII)"),
            ("Facturae 3.2.2", .facturae, "Facturae 3.2.2"),
            ("CFDI 4.0", .cfdi, "CFDI 4.0"),
            ("urn:example:unknown", .ubl, "urn:example:unknown"),
        ]
        for (id, format, name) in cases { #expect(InvoiceSpecification.displayName(id, format: format) == name, "\(id)") }
    }
}
