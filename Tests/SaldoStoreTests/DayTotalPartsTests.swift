import Foundation
import PropertyBased
import SaldoBatch
import SaldoCore
@testable import SaldoStore
import SaldoTestSupport
import Testing

/// `daily_total.parts`: each day total keeps the amounts it sums, so that a report converts each
/// posting alone, as the tax return does (SaldoBatch's DayTotalParts).
@Suite struct DayTotalPartsTests {
    @Test func theColumnTextReadsBack() async {
        #expect(DayTotalParts.encode([12000, -350, 0, .max, .min]) == "12000,-350,0,9223372036854775807,-9223372036854775808")
        await propertyCheck(count: 300, input: Gen.int64(in: .min ... .max), Gen.int64(in: -1_000_000...1_000_000), Gen.int(in: 1...5)) { a, b, n in
            let parts = (0..<n).map { $0 % 2 == 0 ? a : b }
            #expect(DayTotalParts.decode(DayTotalParts.encode(parts)) == parts)
        }
    }

    /// What is not a list of integers is not trusted (the report converts the row's sum instead).
    @Test func damagedTextIsNotTrusted() {
        for text in ["", ",", "1,", ",1", "1,,2", "--1", "1-", "1 2", "12a", "9223372036854775808", "-9223372036854775809", "99999999999999999999"] {
            #expect(DayTotalParts.decode(text) == nil, "\(text)")
        }
    }

    /// The rate factors the property converts with: a euro-dollar rate, its inverse, a yen rate.
    static let factors = try! ["1.0823", "0.9239", "161.17", "0.0062"].map { try ExactDecimal($0) }

    /// Converting a day total's parts one by one gives exactly what converting every posting it
    /// sums does, for any rate, on both engines, through duplicates inside a file, overlapping
    /// re-imports and derived rows replaced by their stated ones.
    @Test(arguments: Engine.available)
    func partsConvertAsThePostingsDo(engine: Engine) async throws {
        await propertyCheck(count: 25, input: Gen.int(in: 0...1_000_000), Gen.int(in: 2...120)) { seed, n in
            // Few days, platforms and clients, so that postings share day totals.
            var ts = randomTransactions(seed: seed, count: n)
            for i in ts.indices {
                ts[i].date = Day(ordinal: 20_000 + i % 3)
                ts[i].platform = ["Prolific", nil, ""][i % 3]
                ts[i].client = i % 4 == 0 ? "Acme" : nil
                ts[i].dedupKey = "k:\(i % (n / 2 + 1))"
            }
            var earlier = Array(ts.prefix(n / 3))
            for i in earlier.indices where i % 2 == 0 { earlier[i].isDerived = true }
            do {
                let store = try engine.emptyStore()
                _ = try store.record(ImportRecord(fileName: "e.csv", sha256: "e", format: "t", transactions: earlier))
                _ = try store.record(ImportRecord(fileName: "s.csv", sha256: "s", format: "t", transactions: ts))
                _ = try store.record(ImportRecord(fileName: "r.csv", sha256: "r", format: "t", transactions: Array(ts.suffix(n / 2))))
                try Self.expectPartsConvertAsPostings(store, "seed \(seed), n \(n)")
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    struct Key: Hashable { var date: Day; var account: Account; var currency: CurrencyCode; var kind: TransactionKind; var platform: String?; var client: String? }
    static func key(_ f: PostingFact) -> Key {
        Key(date: f.date, account: f.account, currency: f.amount.currency, kind: f.kind,
            platform: f.platform?.isEmpty == false ? f.platform : nil, client: f.client?.isEmpty == false ? f.client : nil)
    }

    /// Every day total's parts add up to its amount and convert, at each of ``factors``, to the sum
    /// of its postings converted one by one; no day total is missing or extra.
    static func expectPartsConvertAsPostings(_ store: any LedgerStore, _ label: String) throws {
        var postings: [Key: [Money]] = [:]
        for f in try store.facts(in: nil, roots: nil, aggregateByDay: false) where f.cost == nil {
            postings[key(f), default: []].append(f.amount)
        }
        var seen = Set<Key>()
        for f in try store.facts(in: nil, roots: nil, aggregateByDay: true) where f.cost == nil {
            let k = key(f)
            #expect(seen.insert(k).inserted, "\(label): \(k) twice")
            let parts = f.parts ?? [f.amount.minorUnits]
            #expect(parts.reduce(0, +) == f.amount.minorUnits, "\(label): \(k)")
            let own = postings[k] ?? []
            for r in factors {
                let byParts = parts.reduce(Int64(0)) { $0 + Money(minorUnits: $1, currency: k.currency).converted(by: r, to: .EUR).minorUnits }
                let byPostings = own.reduce(Int64(0)) { $0 + $1.converted(by: r, to: .EUR).minorUnits }
                #expect(byParts == byPostings, "\(label): \(k) at \(r): parts \(parts), postings \(own.map(\.minorUnits))")
            }
        }
        // Groups whose postings cancel out may be left out; every other one is there.
        for (k, ms) in postings where !seen.contains(k) {
            #expect(ms.count <= 2 && ms.reduce(0) { $0 + $1.minorUnits } == 0, "\(label): no day total for \(k): \(ms.map(\.minorUnits))")
        }
    }

    /// A ledger written before the column existed gets its parts from its transactions when it is
    /// opened (migration v8), and then answers as a new one.
    @Test func anOlderLedgerGetsItsParts() throws {
        var ts = randomTransactions(seed: 8, count: 120)
        for i in ts.indices { ts[i].date = Day(ordinal: 20_000 + i % 4); ts[i].platform = i % 2 == 0 ? "Upwork" : nil; ts[i].dedupKey = "k:\(i)" }
        let (older, current) = try olderLedger(upTo: "2026-12-06-v7-external-id-index", ts)
        #expect(try !older.rowTexts("PRAGMA table_info(daily_total)").joined().contains("parts"))
        try older.migrate()
        #expect(try older.schemaSQL() == current.schemaSQL())
        #expect(try older.rowTexts("SELECT 1 FROM daily_total WHERE parts = ''").isEmpty, "every row was filled")
        try Self.expectPartsConvertAsPostings(older, "migrated")
        func sortedFacts(_ s: SQLiteLedgerStore) throws -> [String] {
            try s.facts(in: nil, roots: nil, aggregateByDay: true).map { f in var f = f; f.parts?.sort(); return "\(f)" }.sorted()
        }
        #expect(try sortedFacts(older) == sortedFacts(current))
    }
}

