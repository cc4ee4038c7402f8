import Foundation
import Testing
import SaldoCore
import SaldoStore
import SaldoCLI
import SaldoTestSupport

/// A ledger with income and expenses in one currency (no rates needed), and the given settings.
func taxLedger(_ currency: CurrencyCode, income: [(String, String)], expenses: [(String, String)] = [],
               settings: [(String, String)]) throws -> String {
    let path = Fixtures.temporaryDirectory().appendingPathComponent("tax.sqlite").path
    let store = try SQLiteLedgerStore(path: path)
    var txns: [Transaction] = []
    for (i, (day, amount)) in income.enumerated() {
        let m = try Money(ExactDecimal(amount), currency: currency)
        txns.append(Transaction(date: Day(iso: day)!, description: "client work", kind: .earning, postings: [
            Posting(try Account("assets:bank"), m), Posting(try Account("income:client"), -m),
        ], client: "Client", dedupKey: "test:in:\(i)"))
    }
    for (i, (day, amount)) in expenses.enumerated() {
        let m = try Money(ExactDecimal(amount), currency: currency)
        txns.append(Transaction(date: Day(iso: day)!, description: "software", kind: .expense, postings: [
            Posting(try Account("expenses:software"), m), Posting(try Account("assets:bank"), -m),
        ], dedupKey: "test:out:\(i)"))
    }
    _ = try store.record(ImportRecord(fileName: "t", sha256: "t", format: "test", transactions: txns))
    for (k, v) in settings {
        let r = SaldoCLI.capture(["config", "set", k, v, "--ledger", path])
        #expect(r.status == 0, "config set \(k) \(v): \(r.err)")
    }
    return path
}

func taxJSON(_ args: [String]) throws -> [String: Any] {
    let r = SaldoCLI.capture(args + ["--format", "json"])
    #expect(r.status == 0, "\(r.err)")
    return try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
}

@Suite struct TaxSettingsTests {
    /// tax-rules.md US-6(b): last year (2025) is US-2, total tax 68,271.13 with AGI 235,734.11 > 150,000,
    /// so the prior-year leg is 110% = 75,098.24. This year's profit of 300,000 puts 90% of this year's
    /// tax above it, so the required payment is the 110% leg: 18,774.56 a quarter.
    @Test func lastYearSettingsGiveTheUSHighIncomeSafeHarbour() throws {
        let path = try taxLedger(.USD, income: [("2026-03-10", "300000.00")],
                                 settings: [("jurisdiction", "us"), ("last-year-tax", "68271.13"), ("last-year-income", "235734.11")])
        let json = try taxJSON(["tax", "summary", "--year", "2026", "--today", "2027-01-10", "--no-forecast", "--ledger", path])
        let us = try #require(json["united_states"] as? [String: Any])
        let ws = try #require(us["form_1040es"] as? [String: Any])
        #expect(ws["line_12b"] as? String == "75098.24")
        let line12a = try ExactDecimal(try #require(ws["line_12a"] as? String))
        #expect(line12a > (try ExactDecimal("75098.24")))
        #expect(ws["line_12c"] as? String == "75098.24")
        let payments = try #require(us["estimated_payments"] as? [[String: Any]])
        #expect(payments.map { $0["amount"] as? String } == ["18774.56", "18774.56", "18774.56", "18774.56"])
        #expect((json["notes"] as? [String])?.contains { $0.contains("AGI was above") } == true)
    }

    /// tax-rules.md US-6(a): last year is US-1 (tax 9,775.17, AGI 46,467.61), this year US-4 (profit
    /// 50,000, tax 9,732.07): required = min(90% × 9,732.07 = 8,758.86; 100% × 9,775.17) = 8,758.86.
    @Test func lastYearSettingsGiveTheUSPriorYearLeg() throws {
        let path = try taxLedger(.USD, income: [("2026-03-10", "50000.00")],
                                 settings: [("jurisdiction", "us"), ("last-year-tax", "9775.17"), ("last-year-income", "46467.61")])
        let json = try taxJSON(["tax", "summary", "--year", "2026", "--today", "2027-01-10", "--no-forecast", "--ledger", path])
        let us = try #require(json["united_states"] as? [String: Any])
        #expect(us["total_tax"] as? String == "9732.07")
        let ws = try #require(us["form_1040es"] as? [String: Any])
        #expect(ws["line_12a"] as? String == "8758.86")
        #expect(ws["line_12b"] as? String == "9775.17")
        #expect(ws["line_12c"] as? String == "8758.86")
        #expect((us["estimated_payments"] as? [[String: Any]])?.first?["amount"] as? String == "2189.72")
        #expect((json["notes"] as? [String])?.contains { $0.contains("Last year's total tax is not in the tax profile") } == false)
    }

    /// `config set region scotland` stores GB-SCT, and the Scottish bands are used: tax-rules.md UK-3,
    /// 2025-26, profit 40,000: 19% × 2,827 + 20% × 12,094 + 21% × 12,509 = 5,582.82 (rUK would be 5,486.00).
    @Test func scotlandByNameUsesTheScottishBands() throws {
        let path = try taxLedger(.GBP, income: [("2025-06-10", "41500.00")], expenses: [("2025-07-01", "1500.00")],
                                 settings: [("jurisdiction", "gb"), ("region", "Scotland")])
        #expect(SaldoCLI.capture(["config", "get", "region", "--ledger", path]).out == "GB-SCT\n")
        let json = try taxJSON(["tax", "summary", "--year", "2025", "--today", "2026-04-10", "--no-forecast", "--ledger", path])
        let uk = try #require(json["united_kingdom"] as? [String: Any])
        #expect(uk["trading_profit"] as? String == "40000.00")
        #expect(uk["residence"] as? String == "GB-SCT")
        #expect(uk["income_tax"] as? String == "5582.82")
        // The same through --region, in another spelling, and Spanish names with or without accents.
        let again = try taxJSON(["tax", "summary", "--year", "2025", "--today", "2026-04-10", "--no-forecast", "--region", "gb-sct", "--ledger", path])
        #expect((again["united_kingdom"] as? [String: Any])?["income_tax"] as? String == "5582.82")
        for name in ["Cataluña", "CATALUNYA", "catalonia"] {
            #expect(SaldoCLI.capture(["config", "set", "region", name, "--ledger", path]).out == "region = ES-CT\n")
        }
    }

    @Test func anUnknownRegionIsRefusedWithWhatIsAccepted() throws {
        let path = try taxLedger(.GBP, income: [("2025-06-10", "41500.00")], settings: [("jurisdiction", "gb")])
        let r = SaldoCLI.capture(["config", "set", "region", "highlands", "--ledger", path])
        #expect(r.status != 0)
        #expect(r.err.contains("region \"highlands\" is not one Saldo knows"))
        #expect(r.err.contains("GB-SCT (scotland)") && r.err.contains("ES-MD (madrid"))
        #expect(SaldoCLI.capture(["config", "get", "region", "--ledger", path]).status != 0, "nothing stored")
        let t = SaldoCLI.capture(["tax", "summary", "--year", "2025", "--today", "2026-04-10", "--region", "highlands", "--ledger", path])
        #expect(t.status != 0)
        #expect(t.err.contains("GB-SCT (scotland)"))
        // A region of another country is not silently ignored either.
        let m = SaldoCLI.capture(["tax", "summary", "--year", "2025", "--today", "2026-04-10", "--region", "madrid", "--ledger", path])
        #expect(m.status != 0)
        #expect(m.err.contains("(ES-MD) is not in United Kingdom"))
    }

    /// Pinned (tester): `tax summary --jurisdiction us` (the help's example) failed on the demo ledger
    /// with "region ES-VC is not in United States": the stored Spanish region followed the request to
    /// another country. It stays with its own country; with the stored jurisdiction it still applies.
    @Test func aStoredRegionDoesNotFollowARequestForAnotherCountry() throws {
        let path = try taxLedger(.EUR, income: [("2025-06-10", "41500.00")], settings: [("jurisdiction", "es"), ("region", "ES-VC")])
        let us = SaldoCLI.capture(["tax", "summary", "--jurisdiction", "us", "--year", "2025", "--today", "2026-04-10", "--ledger", path, "--format", "json"])
        #expect(us.status == 0 || us.status == 3, "\(us.err)")
        #expect(!us.err.contains("is not in United States"), "\(us.err)")
        let es = SaldoCLI.capture(["tax", "summary", "--year", "2025", "--today", "2026-04-10", "--ledger", path, "--format", "json"])
        #expect(es.out.contains("ES-VC"), "\(es.out.prefix(400))")
    }

    /// Last year's figures may be written with a decimal comma, as Spanish does (stored with a
    /// point), when two decimals follow it; other commas are read as before (English groups of
    /// three) or refused, and nothing is stored then.
    @Test func lastYearAmountsTakeADecimalComma() throws {
        let path = try taxLedger(.EUR, income: [("2025-06-10", "41500.00")], settings: [("jurisdiction", "es")])
        for (typed, stored) in [("12345,67", "12345.67"), ("12.345,67", "12345.67"), ("12345.67", "12345.67"), ("0,50", "0.50")] {
            let set = SaldoCLI.capture(["config", "set", "last-year-income", typed, "--ledger", path])
            #expect(set.status == 0, "\(typed): \(set.err)")
            let got = SaldoCLI.capture(["config", "get", "last-year-income", "--ledger", path])
            #expect(got.out.trimmingCharacters(in: .whitespacesAndNewlines) == stored, "\(typed) → \(got.out)")
        }
        for typed in ["12,3", "12.345,678", "doce"] {
            let r = SaldoCLI.capture(["config", "set", "last-year-tax", typed, "--ledger", path])
            #expect(r.status != 0, "\(typed) must be refused")
            #expect(r.err.contains("is not an amount") && r.err.contains("12345,67"), "\(r.err)")
        }
        #expect(SaldoCLI.capture(["config", "get", "last-year-tax", "--ledger", path]).status != 0, "nothing stored")
    }

    /// A forecast that cannot be made (no complete month of history yet) is said in the output, in
    /// every format, instead of being dropped silently.
    @Test func aFailedForecastIsANoteInTheTaxOutput() throws {
        let path = try taxLedger(.USD, income: [("2026-03-02", "5000.00")], settings: [("jurisdiction", "us")])
        let args = ["tax", "summary", "--year", "2026", "--today", "2026-03-20", "--ledger", path]
        let json = try taxJSON(args)
        let notes = try #require(json["notes"] as? [String])
        #expect(notes.contains { $0.hasPrefix("Estimated without the income forecast") && $0.contains("no earnings in the ledger before 2026-03") })
        let text = SaldoCLI.capture(args + ["--format", "table"])
        #expect(text.out.contains("Estimated without the income forecast"))
        for sub in [["tax", "calendar"], ["tax", "set-aside", "--year", "2026"]] {
            let r = SaldoCLI.capture(sub + ["--today", "2026-03-20", "--ledger", path, "--format", "json"])
            #expect(r.out.contains("Estimated without the income forecast"), "\(sub): \(r.err)")
        }
        // Asked not to forecast, there is nothing to report.
        #expect(!SaldoCLI.capture(args + ["--no-forecast"]).out.contains("without the income forecast"))
    }

    /// Minimal profiles: each jurisdiction asks only for its own keys.
    @Test func minimalProfilesAreAccepted() throws {
        let cases: [(CurrencyCode, String, [String])] = [
            (.USD, #"{"jurisdiction": "us", "filing_status": "SINGLE"}"#, ["--year", "2026", "--today", "2027-01-10"]),
            (.EUR, #"{"jurisdiction": "es", "new_freelancer": false}"#, ["--year", "2026", "--today", "2027-01-10"]),
            (.GBP, #"{"jurisdiction": "gb"}"#, ["--year", "2025", "--today", "2026-04-10"]),
        ]
        for (cur, profile, when) in cases {
            let path = try taxLedger(cur, income: [("2026-03-10", "20000.00"), ("2025-06-10", "20000.00")], settings: [])
            let file = Fixtures.temporaryDirectory().appendingPathComponent("profile.json")
            try Data(profile.utf8).write(to: file)
            let set = SaldoCLI.capture(["config", "set", "tax-profile", file.path, "--ledger", path])
            #expect(set.status == 0, "\(profile): \(set.err)")
            let r = SaldoCLI.capture(["tax", "summary", "--no-forecast", "--ledger", path] + when)
            #expect(r.status == 0, "\(profile): \(r.err)")
        }
        // A US profile without its filing status is refused, naming the key.
        let path = try taxLedger(.USD, income: [], settings: [])
        let file = Fixtures.temporaryDirectory().appendingPathComponent("profile.json")
        try Data(#"{"jurisdiction": "us"}"#.utf8).write(to: file)
        let r = SaldoCLI.capture(["config", "set", "tax-profile", file.path, "--ledger", path])
        #expect(r.status != 0)
        #expect(r.err.contains("missing key \"filing_status\""))
    }

    /// Pinned (2026-12-07, newcomer pass): `config list` printed a stored tax profile's whole JSON in
    /// its value column, one key per line, breaking the list; it now names it and `config get` shows it.
    @Test func configListKeepsAStoredProfileOnOneLine() throws {
        let path = try taxLedger(.EUR, income: [], settings: [])
        let file = Fixtures.temporaryDirectory().appendingPathComponent("profile-\(UUID().uuidString).json")
        try Data("{\n  \"jurisdiction\": \"es\",\n  \"new_freelancer\": false\n}\n".utf8).write(to: file)
        #expect(SaldoCLI.capture(["config", "set", "tax-profile", file.path, "--ledger", path]).status == 0)
        let es = SaldoCLI.capture(["--lang", "es", "config", "list", "--ledger", path])
        let line = try #require(es.out.split(separator: "\n").first { $0.hasPrefix("tax-profile") }, "\(es.out)")
        #expect(line.contains("(guardado; `saldo config get tax-profile` lo muestra)"), "\(line)")
        #expect(!es.out.contains("\"jurisdiction\""), "\(es.out)")
        #expect(es.out.split(separator: "\n").count == SaldoCLI.capture(["config", "list", "--ledger", path]).out.split(separator: "\n").count)
        #expect(SaldoCLI.capture(["config", "get", "tax-profile", "--ledger", path]).out.contains("\"new_freelancer\": false"))
    }
}
