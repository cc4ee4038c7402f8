import Foundation
import Testing
import PropertyBased
import SaldoCore
import SaldoTestSupport
@testable import SaldoImport

/// Nothing counted twice, nothing lost: keys are stable across re-imports and overlapping exports.
@Suite struct DedupPropertyTests {
    /// A statement with no ids and no balance (so only fingerprints and occurrence counts tell
    /// rows apart), with genuine identical rows on the same day.
    static let profile: UserProfile = {
        let json = """
        {"name": "plain-bank", "institution": "Plain Bank", "columns": {"date": "Date", "description": "Text", "amount": "Amount"},
         "currency": "EUR", "dateFormat": "yyyy-mm-dd", "decimalMark": "."}
        """
        return try! UserProfile.decode(Data(json.utf8), source: "plain-bank.json")
    }()

    static func statement(_ rows: [(day: Int, text: String, cents: Int)]) -> Data {
        var s = "Date,Text,Amount\n"
        for r in rows {
            let d = Day(year: 2026, month: 1, day: 1)!.adding(days: r.day)
            s += "\(d),\(r.text),\(r.cents / 100).\(String(format: "%02d", abs(r.cents) % 100))\n"
        }
        return Data(s.utf8)
    }

    static func keys(_ rows: [(day: Int, text: String, cents: Int)]) -> [String] {
        let r = StatementImporter.read(data: statement(rows), fileName: "s.csv", userProfiles: [profile])
        return r.transactions.compactMap(\.dedupKey)
    }

    static let rowGen = zip(Gen.int(in: 0...9), Gen.int(in: 0...2), Gen.int(in: 1...3)).array(of: 1...40)

    @Test func overlappingExportsGiveTheSameKeys() async {
        await propertyCheck(count: 150, input: Self.rowGen, Gen.int(in: 0...9), Gen.int(in: 0...9)) { raw, a, b in
            // Day-ordered rows; texts and amounts from tiny sets so identical rows are common.
            let rows = raw.map { (day: $0.0, text: ["Fee", "Coffee", "Transfer"][$0.1], cents: $0.2 * 100) }.sorted { $0.day < $1.day }
            let whole = Self.keys(rows)
            #expect(Set(whole).count == rows.count, "every row keeps its own key")
            // Two exports of date ranges that overlap and together cover the whole period.
            let cut1 = min(a, b), cut2 = max(a, b)
            let first = rows.filter { $0.day <= cut2 }, second = rows.filter { $0.day >= cut1 }
            let union = Set(Self.keys(first)).union(Self.keys(second))
            #expect(union == Set(whole))
            // Importing the same file twice adds nothing new.
            #expect(Self.keys(rows) == whole)
        }
    }

    @Test func identicalRowsBothSurvive() {
        let keys = Self.keys([(0, "ATM Withdrawal Fee", -200), (0, "ATM Withdrawal Fee", -200)])
        #expect(keys.count == 2)
        #expect(keys[0] != keys[1])
        #expect(keys[1].hasSuffix("#2"))
    }

    @Test func platformIDsComeFirst() throws {
        let r = StatementImporter.read(data: try Fixtures.data("statements/paypal/saldo-paypal-activity-en-us.csv"), fileName: "a.csv")
        #expect(r.transactions.contains { $0.dedupKey == "paypal:PP000000000000002" })
        #expect(r.transactions.allSatisfy { $0.dedupKey?.hasPrefix("paypal:") == true })
    }

    /// A Wise conversion appears in the statements of both currencies: both give the same key,
    /// so importing the two files books it once.
    @Test func conversionSeenFromBothCurrencyFiles() throws {
        let eur = StatementImporter.read(data: try Fixtures.data("statements/wise/saldo-wise-statement-eur.csv"), fileName: "eur.csv")
        let usd = StatementImporter.read(data: try Fixtures.data("statements/wise/saldo-wise-statement-usd.csv"), fileName: "usd.csv")
        let a = try #require(eur.transactions.first { $0.kind == .conversion })
        let b = try #require(usd.transactions.first { $0.kind == .conversion })
        #expect(a.dedupKey == b.dedupKey)
        #expect(a.dedupKey == "wise:BALANCE-900000002:conversion")
    }

    /// Random contiguous slices of a generated PayPal-style file: every key of a slice is a key of
    /// the whole file (ids do not depend on what else the export holds), except a conversion leg
    /// whose other leg the slice cut off: it is booked on its own under a key of its own, and the
    /// ledger pairs it or finds it inside the whole conversion (StoreTests check that end).
    @Test func paypalSlicesAreSubsets() async {
        let all = BenchmarkTests.paypalCSV(rows: 300, seed: 3)
        let lines = all.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        let header = lines[0], body = Array(lines.dropFirst())
        let whole = Set(StatementImporter.read(data: Data(all.utf8), fileName: "w.csv").transactions.compactMap(\.dedupKey))
        await propertyCheck(count: 40, input: Gen.int(in: 0..<body.count), Gen.int(in: 1...120)) { start, len in
            let slice = body[start..<min(body.count, start + len)]
            let data = Data((([header] + slice).joined(separator: "\n") + "\n").utf8)
            let read = StatementImporter.read(data: data, fileName: "s.csv")
            let lone = Set(read.conversionLegs.map(\.key))
            let keys = read.transactions.compactMap(\.dedupKey).filter { !lone.contains($0) }
            #expect(Set(keys).isSubset(of: whole))
            // Every lone leg's id is inside one of the whole file's conversions.
            for leg in read.conversionLegs {
                guard let id = leg.id else { Issue.record("a PayPal leg without an id"); continue }
                #expect(whole.contains { $0.hasPrefix("paypal:conversion:") && $0.contains(id) })
            }
            // Nothing that moved the balance was dropped: the ledger agrees with every slice.
            #expect(read.balances.broken == 0 && read.balances.currencies.allSatisfy(\.agrees))
        }
    }
}

/// The occurrence counter behind dedup keys counts exactly as a dictionary of strings would.
@Suite struct OccurrenceCounterTests {
    @Test func countsLikeADictionary() async {
        await propertyCheck(count: 100, input: Gen.int(in: 0...1_000_000), Gen.int(in: 0...3000)) { seed, n in
            var g = SplitMix(state: UInt64(seed))
            // Short keys over a small alphabet: many repeats, prefixes of each other, and the empty key.
            var counter = OccurrenceCounter(expected: 1)
            var reference: [String: Int] = [:]
            for _ in 0..<n {
                let key = String((0..<Int.random(in: 0...12, using: &g)).map { _ in "ab:#é".randomElement(using: &g)! })
                var k = key
                let got = k.withUTF8 { counter.bump($0) }
                reference[key, default: 0] += 1
                #expect(got == reference[key]!, "\(key)")
            }
        }
    }
}
