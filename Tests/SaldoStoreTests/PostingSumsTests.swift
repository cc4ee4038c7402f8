import Foundation
import Testing
@testable import SaldoStore
import SaldoCore
import SaldoTestSupport

/// `postingSums`: the store's sums for tax, the same on every engine of `Engine.available`.
@Suite struct PostingSumsTests {
    static func tx(_ day: String, _ postings: [(String, Int64, CurrencyCode)], cost: (Int, Money)? = nil, payee: String? = nil,
                   platform: String? = nil, client: String? = nil, key: String, externalID: String? = nil) -> Transaction {
        var ps = postings.map { Posting(try! Account($0.0), Money(minorUnits: $0.1, currency: $0.2)) }
        if let (i, c) = cost { ps[i] = Posting(ps[i].account, ps[i].amount, cost: c) }
        return Transaction(date: Day(iso: day)!, description: "t " + key, kind: .other, postings: ps, payee: payee, platform: platform,
                           client: client, externalID: externalID, dedupKey: key, source: SourceLocation(file: "t.csv", line: 2))
    }

    /// A small ledger: euro income summed across transactions, dollar income summed only when
    /// equal, input VAT and withholding marking their transactions, an invoice's transaction
    /// coming whole, a cost in yen on an asset posting, a transaction before the range.
    static let ledger: [Transaction] = [
        tx("2025-12-31", [("assets:bank", 100, .EUR), ("income:old", -100, .EUR)], client: "Old", key: "k0"),
        tx("2026-01-05", [("assets:bank", 1000, .EUR), ("income:work", -1000, .EUR)], client: "Acme", key: "k1"),
        tx("2026-01-05", [("assets:bank", 500, .EUR), ("income:work", -500, .EUR)], client: "Acme", key: "k2"),
        tx("2026-01-05", [("assets:paypal", 950, .USD), ("income:work", -1000, .USD), ("expenses:fees", 50, .USD)], platform: "PayPal", key: "k3"),
        tx("2026-01-05", [("assets:paypal", 950, .USD), ("income:work", -1000, .USD), ("expenses:fees", 50, .USD)], platform: "PayPal", key: "k4"),
        tx("2026-01-05", [("assets:paypal", 1900, .USD), ("income:work", -2000, .USD), ("expenses:fees", 100, .USD)], platform: "PayPal", key: "k5"),
        tx("2026-02-10", [("assets:bank", -121, .EUR), ("expenses:software", 100, .EUR), ("assets:tax:vat-input", 21, .EUR)], payee: "Shop", key: "k6"),
        tx("2026-02-11", [("assets:bank", -50, .EUR), ("expenses:software", 50, .EUR)], payee: "Shop", key: "k7"),
        tx("2026-03-01", [("assets:bank", 850, .EUR), ("assets:tax:withheld", 150, .EUR), ("income:work", -1000, .EUR)], client: "Acme", key: "k8"),
        tx("2026-03-02", [("assets:bank", 1210, .EUR), ("income:work", -1000, .EUR), ("liabilities:tax:vat-output", -210, .EUR)], client: "Beta", key: "inv-key"),
        tx("2026-03-03", [("assets:bank", 300, .EUR), ("income:work", -300, .EUR)], client: "Beta", key: "k9", externalID: "F-7"),
        tx("2026-03-04", [("assets:wise:jpy", 10000, .JPY), ("assets:wise:eur", -60, .EUR)], cost: (0, Money(minorUnits: 60, currency: .EUR)), key: "k10"),
    ]

    func store(_ engine: Engine) throws -> any LedgerStore {
        let s = try engine.emptyStore()
        _ = try s.record(ImportRecord(fileName: "a.csv", sha256: "a", format: "t", transactions: Self.ledger))
        return s
    }

    static func line(_ s: PostingSum) -> String {
        "\(s.date) \(s.account.path) \(s.amount) ×\(s.count) \(s.payee ?? "-")/\(s.platform ?? "-")/\(s.client ?? "-") \(s.markers)"
    }

    @Test(arguments: Engine.available)
    func sumsByDayAccountCurrencyAndClientWithMarkers(engine: Engine) throws {
        let q = PostingSumQuery(from: Day(iso: "2026-01-01")!, accounts: ["income", "expenses", "assets:tax:withheld", "liabilities:tax:vat-output", "assets:tax:vat-input"],
                                markers: ["assets:tax:vat-input", "assets:tax:withheld"], summingCurrency: .EUR,
                                wholeDedupKeys: ["inv-key", "nobody"], wholeExternalIDs: ["F-7"])
        let r = try store(engine).postingSums(q)
        #expect(r.sums.map(Self.line).sorted() == [
            "2026-01-05 expenses:fees 1.00 USD ×1 -/PayPal/- 0",
            "2026-01-05 expenses:fees 1.00 USD ×2 -/PayPal/- 0",
            "2026-01-05 income:work -15.00 EUR ×2 -/-/Acme 0",
            "2026-01-05 income:work -20.00 USD ×1 -/PayPal/- 0",
            "2026-01-05 income:work -20.00 USD ×2 -/PayPal/- 0",
            "2026-02-10 assets:tax:vat-input 0.21 EUR ×1 Shop/-/- 1",
            "2026-02-10 expenses:software 1.00 EUR ×1 Shop/-/- 1",
            "2026-02-11 expenses:software 0.50 EUR ×1 Shop/-/- 0",
            "2026-03-01 assets:tax:withheld 1.50 EUR ×1 -/-/Acme 2",
            "2026-03-01 income:work -10.00 EUR ×1 -/-/Acme 2",
        ].sorted())
        #expect(r.whole.map(\.transaction.dedupKey) == ["inv-key", "k9"])
        #expect(r.whole.map(\.transaction) == Array(Self.ledger[9...10]))
        #expect(r.firstDay == Day(iso: "2026-01-05") && r.lastDay == Day(iso: "2026-03-04"))
        #expect(r.currencies == [.EUR, .USD, .JPY])
        #expect(r.sums.first { $0.account.path == "income:work" && $0.amount.currency == .USD && $0.count == 2 }?.unit == Money(minorUnits: -1000, currency: .USD))
    }

    @Test(arguments: Engine.available)
    func withoutARangeOrReferencesEverythingIsSummed(engine: Engine) throws {
        let r = try store(engine).postingSums(PostingSumQuery(from: nil, accounts: ["income"], summingCurrency: .USD))
        #expect(r.whole.isEmpty)
        #expect(r.firstDay == Day(iso: "2025-12-31") && r.lastDay == Day(iso: "2026-03-04"))
        // In dollars every dollar amount of a day sums; euro amounts only when equal.
        #expect(r.sums.map(Self.line).sorted() == [
            "2025-12-31 income:old -1.00 EUR ×1 -/-/Old 0",
            "2026-01-05 income:work -10.00 EUR ×1 -/-/Acme 0",
            "2026-01-05 income:work -40.00 USD ×3 -/PayPal/- 0",
            "2026-01-05 income:work -5.00 EUR ×1 -/-/Acme 0",
            "2026-03-01 income:work -10.00 EUR ×1 -/-/Acme 0",
            "2026-03-02 income:work -10.00 EUR ×1 -/-/Beta 0",
            "2026-03-03 income:work -3.00 EUR ×1 -/-/Beta 0",
        ].sorted())
        #expect(try store(engine).postingSums(PostingSumQuery(from: Day(iso: "2027-01-01")!, accounts: ["income"], summingCurrency: .EUR))
                == PostingSums())
    }
}

/// The builder reads the postings column without decoding it into postings: the same sums, the
/// same currencies and range, for any legs; an escaped currency code is decoded the slow way; a
/// damaged column is an error as when decoded.
@Suite struct PostingSumsColumnReadingTests {
    static let accounts = [try! Account("assets:paypal"), try! Account("expenses:fees:paypal"), try! Account("income:acme"),
                           try! Account("assets:tax:vat-input"), try! Account("income:other")]
    static let currencies: [CurrencyCode] = [.USD, .EUR, try! CurrencyCode("JPY"), try! CurrencyCode("KWD")]
    static let query = PostingSumQuery(from: nil, accounts: ["income", "expenses"], markers: ["assets:tax:vat-input"], summingCurrency: .EUR)

    static func interner() -> Interner {
        var i = Interner()
        for (n, a) in accounts.enumerated() { i.accountsByID[Int64(n + 10)] = a }
        return i
    }

    @Test func columnsSumAsTheirPostings() throws {
        var g = SystemRandomNumberGenerator()
        var byPostings = try PostingSumsBuilder(Self.query), byColumn = try PostingSumsBuilder(Self.query)
        var interner = Self.interner()
        for n in 0..<2_000 {
            let day = 20_454 + n / 7
            let postings = (0..<Int.random(in: 1...4, using: &g)).map { _ in
                let a = Int.random(in: 0..<Self.accounts.count, using: &g), c = Self.currencies.randomElement(using: &g)!
                let amount = [Int64(-1000), 1000, 250, -250, .max, .min, 0].randomElement(using: &g)!
                return Posting(Self.accounts[a], Money(minorUnits: amount == .max || amount == .min ? Int64(n) : amount, currency: c),
                               cost: Bool.random(using: &g) ? Money(minorUnits: 7, currency: Self.currencies.randomElement(using: &g)!) : nil)
            }
            let names = ["Acme", nil, "PayPal"]
            let payee = names.randomElement(using: &g)!, client = names.randomElement(using: &g)!
            let text = PostingsColumn.encode(postings, accountIDs: postings.map { p in Int64(Self.accounts.firstIndex(of: p.account)! + 10) })
            try byPostings.add(day: day, payee: payee, platform: nil, client: client, postings: postings)
            try byColumn.add(day: day, payee: payee, platform: nil, client: client, postingsColumn: text, interner: &interner)
        }
        let a = byPostings.finish(whole: []), b = byColumn.finish(whole: [])
        #expect(!a.sums.isEmpty && a.sums.contains { $0.markers != 0 } && a.sums.contains { $0.count > 1 && $0.amount.currency != .EUR })
        #expect(a == b)
    }

    @Test func anEscapedCodeIsDecodedAndADamagedColumnIsAnError() throws {
        var interner = Self.interner()
        var builder = try PostingSumsBuilder(Self.query), plain = try PostingSumsBuilder(Self.query)
        // "\u0055SD" is USD written with an escape: read through the full decoder.
        try builder.add(day: 20_454, payee: nil, platform: nil, client: nil, postingsColumn: #"[[12,"\u0055SD",-500],[10,"USD",500]]"#, interner: &interner)
        try plain.add(day: 20_454, payee: nil, platform: nil, client: nil, postingsColumn: #"[[12,"USD",-500],[10,"USD",500]]"#, interner: &interner)
        #expect(builder.finish(whole: []) == plain.finish(whole: []))
        #expect(builder.finish(whole: []).sums.map(\.amount) == [Money(minorUnits: -500, currency: .USD)])
        for text in [#"[[10,"USD",99999999999999999999]]"#, #"[[10,"USD",]]"#, #"[[99,"USD",5]]"#, #"[[10,"XXX",5]]"#, #"[[10,"USD",5"#, "", "[[10,\"USD"] {
            var b = try PostingSumsBuilder(Self.query)
            #expect(throws: (any Error).self, "\(text)") { try b.add(day: 1, payee: nil, platform: nil, client: nil, postingsColumn: text, interner: &interner) }
        }
    }
}
