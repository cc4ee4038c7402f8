import Foundation
import Testing
@testable import SaldoApp
import SaldoCore
import SaldoFX
import SaldoReports
import SaldoStore
import SaldoTax
import SaldoTestSupport

/// The tax engine fed the store's posting sums (`postingSums`, what `Taxes.inputs` reads) gives
/// exactly what it gives fed every transaction: the facts (summed by everything a rule reads of
/// them), every return of every quarter and year, the calendar and the set-aside, notes and
/// problems included, on varied random ledgers and on the demo ledger, on every engine.
@Suite struct TaxSumsEquivalenceTests {
    static let profiles: [TaxProfile] = {
        let clients: [String: ClientTaxInfo] = [
            "Acme": ClientTaxInfo(country: "ES", isBusiness: true, hasValidVATID: true, withholdsIncomeTax: true),
            "Bergmann GmbH": ClientTaxInfo(country: "DE", isBusiness: true, hasValidVATID: true),
            "Upwork": ClientTaxInfo(country: "US", isBusiness: true),
            "Ana": ClientTaxInfo(country: "ES", isBusiness: false),
        ]
        var es = TaxProfile(jurisdiction: .es, clients: clients, nonDeductibleAccounts: ["expenses:personal"])
        es.priorYear.netActivityIncome = Money(minorUnits: 2_000_000, currency: .EUR)
        var esDefault = TaxProfile(jurisdiction: .es, clients: ["Acme": clients["Acme"]!], defaultClient: ClientTaxInfo(country: "FR", isBusiness: true, hasValidVATID: true))
        esDefault.newFreelancer = true; esDefault.activityStart = Day(year: 2025, month: 3, day: 1)
        return [es, esDefault, TaxProfile(jurisdiction: .us, clients: clients), TaxProfile(jurisdiction: .gb, region: "GB-SCT")]
    }()

    /// A random ledger of `count` transactions over 2025 and most of 2026 (the bundled rates
    /// reach 30 October 2026), and invoices: some booked by their transaction, some paid by a
    /// transaction naming their number, some alone, cancelled ones.
    static func ledger(seed: UInt64, count: Int) -> (transactions: [Transaction], invoices: [(Invoice, Transaction?)]) {
        var g = SplitMix(state: seed)
        func pick<T>(_ xs: [T]) -> T { xs.randomElement(using: &g)! }
        func a(_ s: String) -> Account { try! Account(s) }
        let start = Day(year: 2025, month: 1, day: 1)!
        // Few days and few distinct amounts, so that sums gather many postings.
        func day() -> Day { start.adding(days: Int.random(in: 0..<660, using: &g) / 7 * 7) }
        func amount() -> Int64 { pick([500, 1000, 1250, 2000, 9999, 12345, 100_000]) * (Bool.random(using: &g) ? 1 : Int64.random(in: 1...3, using: &g)) }
        let names: [String?] = [nil, "Acme", "Bergmann GmbH", "Upwork", "Ana", "Someone Else", "acme"]
        let currencies: [CurrencyCode] = [.EUR, .EUR, .USD, .GBP, .JPY]
        var txs: [Transaction] = []
        for i in 0..<count {
            let c = pick(currencies), d = day(), gross = amount()
            let m = { (v: Int64) in Money(minorUnits: v, currency: c) }
            var ps: [Posting] = []
            var kind = TransactionKind.other
            switch Int.random(in: 0..<9, using: &g) {
            case 0, 1, 2:   // a payment, maybe with a fee, maybe with VAT or withholding
                kind = .earning
                let fee = Bool.random(using: &g) ? gross / 20 : 0
                ps = [Posting(a("income:" + pick(["work", "platform:upwork", "sales"])), m(-gross))]
                var bank = gross - fee
                if fee != 0 { ps.append(Posting(a("expenses:fees:" + pick(["paypal", "wise"])), m(fee))) }
                switch Int.random(in: 0..<4, using: &g) {
                case 0: ps.append(Posting(a("liabilities:tax:vat-output"), m(-gross * 21 / 100))); bank += gross * 21 / 100
                case 1: ps.append(Posting(a("assets:tax:withheld"), m(gross * 15 / 100))); bank -= gross * 15 / 100
                default: break
                }
                ps.append(Posting(a("assets:" + pick(["paypal", "bank"])), m(bank)))
            case 3:         // a refund
                kind = .refund
                ps = [Posting(a("income:work"), m(gross / 2)), Posting(a("assets:paypal"), m(-gross / 2))]
            case 4:         // an expense, maybe with input VAT, maybe personal or social security
                kind = .expense
                let acct = pick(["expenses:software", "expenses:personal", "expenses:social-security", "expenses:travel:train"])
                ps = [Posting(a(acct), m(gross))]
                var paid = gross
                if Bool.random(using: &g) { ps.append(Posting(a("assets:tax:vat-input" + pick(["", ":es"])), m(gross * 21 / 100))); paid += gross * 21 / 100 }
                ps.append(Posting(a("assets:bank"), m(-paid)))
            case 5:         // a conversion with a cost
                kind = .conversion
                ps = [Posting(a("assets:wise:eur"), Money(minorUnits: gross, currency: .EUR), cost: Money(minorUnits: gross * 110, currency: .JPY)),
                      Posting(a("assets:wise:jpy"), Money(minorUnits: -gross * 110, currency: .JPY))]
            case 6:         // a withdrawal
                kind = .payout
                ps = [Posting(a("assets:bank"), m(gross)), Posting(a("assets:paypal"), m(-gross))]
            case 7:         // income and an expense in one, zero amounts too
                ps = [Posting(a("income:work"), m(-gross)), Posting(a("expenses:fees:paypal"), m(0)), Posting(a("assets:paypal"), m(gross))]
            default:        // output VAT paid to the tax office
                ps = [Posting(a("liabilities:tax:vat-output"), m(gross)), Posting(a("assets:bank"), m(-gross))]
            }
            txs.append(Transaction(date: d, description: "t\(i)", kind: kind, postings: ps, payee: pick(names), platform: pick(names),
                                   client: pick(names), externalID: Int.random(in: 0..<6, using: &g) == 0 ? "F-\(Int.random(in: 0..<8, using: &g))" : "x\(i)",
                                   dedupKey: "k\(i)", source: SourceLocation(file: "t.csv", line: i + 2)))
        }
        var invoices: [(Invoice, Transaction?)] = []
        for n in 0..<8 {
            let c: CurrencyCode = n % 3 == 0 ? .USD : .EUR
            let net = Money(minorUnits: amount() * 10, currency: c)
            let tax = Money(minorUnits: n % 2 == 0 ? net.minorUnits * 21 / 100 : 0, currency: c)
            let wh = Money(minorUnits: n % 4 == 1 || n == 4 ? net.minorUnits * 15 / 100 : 0, currency: c)
            let total = Money(minorUnits: net.minorUnits + tax.minorUnits, currency: c)
            let payable = Money(minorUnits: total.minorUnits - wh.minorUnits, currency: c)
            let buyer = pick([Party(name: "Acme", taxID: "B12345678", country: "ES"), Party(name: "Bergmann GmbH", taxID: "DE123", country: "DE"),
                              Party(name: "Nobody Known", country: "IT"), Party(name: "Ana")])
            let inv = Invoice(number: "F-\(n)", typeCode: "380", kind: .invoice, direction: n == 5 ? .received : .issued, issueDate: day(),
                              seller: Party(name: "Me", taxID: "X1", country: "ES"), buyer: buyer, currency: c, net: net, tax: tax,
                              withholding: wh, total: total, prepaid: .zero(c), payable: payable, status: n == 7 ? .cancelled : .open, format: "ubl")
            var booked: Transaction?
            if n % 3 == 1 {   // booked with the invoice, with or without its withholding posting
                var ps = [Posting(a("income:work"), Money(minorUnits: -net.minorUnits, currency: c)), Posting(a("assets:receivable"), payable)]
                if !tax.isZero { ps.append(Posting(a("liabilities:tax:vat-output"), Money(minorUnits: -tax.minorUnits, currency: c))) }
                if !wh.isZero && n != 1 { ps.append(Posting(a("assets:tax:withheld"), wh)) } else if !wh.isZero { ps[1] = Posting(a("assets:receivable"), total) }
                booked = Transaction(date: inv.issueDate, description: "invoice \(n)", kind: .earning, postings: ps, client: buyer.name, dedupKey: inv.dedupKey)
            }
            invoices.append((inv, booked))
        }
        return (txs, invoices)
    }

    /// Everything a rule reads of the facts, amounts summed: equal maps mean equal results.
    static func factSums(_ f: TaxFacts) -> [String: Money] {
        var out: [String: Money] = [:]
        for x in f.facts {
            let key = "\(x.date) \(x.category) \(x.treatment.map { "\($0)" } ?? "-") \(x.client ?? "-") \(x.clientCountry ?? "-") \(x.withInputVAT) \(x.socialSecurity) \(x.withheldAtSource)"
            out[key, default: .zero(x.amount.currency)] += x.amount
        }
        return out
    }

    static func compare(_ store: any LedgerStore, profiles: [TaxProfile], today: Day, label: String, expectSums: Bool = true) throws {
        let invoices = try store.invoices().map(\.invoice)
        for p in profiles {
            let target = taxCurrency(p.jurisdiction)
            for from in [nil, Day(year: 2025, month: 1, day: 1)!, Day(year: 2026, month: 1, day: 1)!] {
                let fast = try Taxes.ledgerInputs(from: from, invoices: invoices, target: target, store: store)
                let slow = try Taxes.ledgerInputs(from: from, invoices: invoices, target: target, store: store, detailed: true)
                if expectSums { #expect(!fast.sums.isEmpty && fast.transactions.count < slow.transactions.count, "\(label): the sums were used") }
                func inputs(_ l: (transactions: [Transaction], sums: [PostingSum], booked: BookedInvoiceReferences?, rates: RateTable)) -> TaxInputs {
                    let rates = l.rates
                    return TaxInputs(transactions: l.transactions, invoices: invoices, convert: { m, d in try rates.convert(m, to: target, on: d).amount },
                                     profile: p, today: today, bookedInvoices: l.booked, postingSums: l.sums)
                }
                let a = inputs(fast), b = inputs(slow)
                let what = "\(label) \(p.jurisdiction) from \(from.map { "\($0)" } ?? "the start")"
                for year in [2025, 2026] {
                    let rules = try TaxEngine.rules(p.jurisdiction, year: year, inputs: a)
                    let fa = TaxEngine.facts(a, rules: rules), fb = TaxEngine.facts(b, rules: rules)
                    #expect(Self.factSums(fa) == Self.factSums(fb), "\(what): facts of \(year)")
                    #expect(fa.problems == fb.problems && fa.notes == fb.notes && fa.converted == fb.converted, "\(what): notes of \(year)")
                    for quarter in [nil, 1, 2, 3, 4] as [Int?] {
                        let x = try TaxEngine.summary(a, year: year, quarter: quarter), y = try TaxEngine.summary(b, year: year, quarter: quarter)
                        #expect(TaxDocument(table: x.table, result: x).json == TaxDocument(table: y.table, result: y).json, "\(what): \(year) Q\(quarter ?? 0)")
                    }
                    let x = try TaxEngine.setAside(a, year: year), y = try TaxEngine.setAside(b, year: year)
                    #expect(TaxDocument(table: x.table, result: x).json == TaxDocument(table: y.table, result: y).json, "\(what): set-aside \(year)")
                }
                let x = try TaxEngine.calendar(a), y = try TaxEngine.calendar(b)
                #expect(TaxDocument(table: x.table, result: x).json == TaxDocument(table: y.table, result: y).json, "\(what): calendar")
            }
        }
    }

    @Test(arguments: Engine.available, [UInt64(1), 2, 3, 4, 5, 6])
    func sumsGiveWhatTransactionsGive(engine: Engine, seed: UInt64) throws {
        let store = try engine.emptyStore()
        let (txs, invoices) = Self.ledger(seed: seed, count: 400)
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "a\(seed)", format: "t", transactions: txs, invoices: invoices))
        try Self.compare(store, profiles: Self.profiles, today: Day(year: 2026, month: 10, day: 20)!, label: "seed \(seed)")
    }

    @Test(arguments: [Jurisdiction.es, .us, .gb])
    func theDemoLedgerGivesTheSameEitherWay(_ j: Jurisdiction) throws {
        let store = try LedgerLocation(path: appLedger).open(.existing)
        try Self.compare(store, profiles: [TaxProfile(jurisdiction: j)], today: demoDay, label: "demo")
    }

    /// A summed amount that has no rate (a day before the first ECB rate) makes the inputs read every
    /// transaction, so that the problem names the transaction, as it always did.
    @Test func anAmountWithoutARateReadsTheTransactions() throws {
        let store = try SQLiteLedgerStore()
        let early = Transaction(date: Day(year: 1998, month: 6, day: 1)!, description: "too early", kind: .earning,
                                postings: [Posting(try Account("income:work"), Money(minorUnits: -1000, currency: .USD)),
                                           Posting(try Account("assets:bank"), Money(minorUnits: 1000, currency: .USD))], dedupKey: "e")
        let (txs, invoices) = Self.ledger(seed: 9, count: 50)
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "t", transactions: [early] + txs, invoices: invoices))
        let all = try Taxes.ledgerInputs(from: nil, invoices: invoices.map(\.0), target: .EUR, store: store)
        #expect(all.sums.isEmpty && all.transactions.count == 51 + invoices.compactMap(\.1).count)
        let recent = try Taxes.ledgerInputs(from: Day(year: 2025, month: 1, day: 1)!, invoices: invoices.map(\.0), target: .EUR, store: store)
        #expect(!recent.sums.isEmpty)
        try Self.compare(store, profiles: [Self.profiles[0]], today: Day(year: 2026, month: 10, day: 20)!, label: "early", expectSums: false)
    }

    /// Summed amounts in other currencies are converted once, in the inputs (each posting rounded
    /// as alone, times the count), and the sums of a day, account, names and marks merged across
    /// currencies: fewer sums than the store gives, all in the tax currency, marked converted where
    /// any part was, with the same totals; a sum that has no rate gives none (the inputs then read
    /// every transaction).
    @Test func sumsAreConvertedOnceAndMergedAcrossCurrencies() throws {
        let store = try SQLiteLedgerStore()
        let (txs, invoices) = Self.ledger(seed: 3, count: 400)
        // One client's income in dollars (twice the same amount, once another) and in euros on one day: one sum.
        let day = Day(year: 2026, month: 3, day: 2)!
        let merged = [(-1000, CurrencyCode.USD), (-1000, .USD), (-2500, .USD), (-700, .EUR)].enumerated().map { i, a in
            Transaction(date: day, description: "merged \(i)", kind: .earning,
                        postings: [Posting(try! Account("income:work"), Money(minorUnits: Int64(a.0), currency: a.1)),
                                   Posting(try! Account("assets:bank"), Money(minorUnits: Int64(-a.0), currency: a.1))],
                        client: "Merged Client", dedupKey: "merged-\(i)")
        }
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "a3", format: "t", transactions: txs + merged, invoices: invoices))
        let inv = invoices.map(\.0)
        let fast = try Taxes.ledgerInputs(from: nil, invoices: inv, target: .EUR, store: store)
        let raw = try store.postingSums(PostingSumQuery(from: nil, accounts: TaxFactsBuilder.factAccounts, markers: TaxFactsBuilder.markerAccounts,
                                                        summingCurrency: .EUR, wholeDedupKeys: Set(inv.map(\.dedupKey)),
                                                        wholeExternalIDs: Set(inv.map(\.number))))
        #expect(raw.sums.contains { $0.amount.currency != .EUR })
        #expect(fast.sums.allSatisfy { $0.amount.currency == .EUR })
        #expect(fast.sums.count < raw.sums.count)
        #expect(fast.sums.contains { $0.converted } && fast.sums.contains { !$0.converted })
        #expect(fast.sums.map(\.count).reduce(0, +) == raw.sums.map(\.count).reduce(0, +))
        func key(_ s: PostingSum) -> String { "\(s.date) \(s.account.path) \(s.payee ?? "-") \(s.platform ?? "-") \(s.client ?? "-") \(s.markers)" }
        var expected: [String: Int64] = [:], converted: [String: Bool] = [:]
        for s in raw.sums {
            let foreign = s.amount.currency != .EUR
            let v = foreign ? try fast.rates.convert(try #require(s.unit), to: .EUR, on: s.date).amount.minorUnits * Int64(s.count) : s.amount.minorUnits
            expected[key(s), default: 0] += v
            converted[key(s), default: false] = converted[key(s), default: false] || foreign
        }
        #expect(Dictionary(uniqueKeysWithValues: fast.sums.map { (key($0), $0.amount.minorUnits) }) == expected)
        #expect(Dictionary(uniqueKeysWithValues: fast.sums.map { (key($0), $0.converted) }) == converted)
        let one = fast.sums.filter { $0.client == "Merged Client" }
        #expect(one.count == 1 && one.first?.count == 4 && one.first?.converted == true && one.first?.date == day)
        #expect(raw.sums.filter { $0.client == "Merged Client" }.count == 3)
        #expect(Taxes.converted(raw.sums, target: .EUR, rates: RateTable()) == nil)
    }
}
