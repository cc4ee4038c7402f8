import Foundation
import PropertyBased
import SaldoCore
import SaldoTestSupport
import Testing
@testable import SaldoImport

/// Random PayPal statements with exact running balances, fees and two-leg conversions linked in
/// every way PayPal links them, written out in the orders platforms use, then with random rows
/// removed. The import must report exactly the gaps of the removed rows, with the amounts they
/// moved, and never a gap that a valid order removes; with nothing removed the ledger (the booked
/// postings) reproduces the statement exactly.
@Suite struct BalanceChainPropertyTests {
    struct Row {
        var id: String
        var day: Int            // day of February 2026
        var seconds: Int
        var type: String
        var name: String
        var currency: String
        var gross: Int64
        var fee: Int64
        var ref: String
        var balance: Int64 = 0
        var net: Int64 { gross + fee }
    }

    enum Linking: CaseIterable { case oneWay, mutual, sharedParent, sameInstant }
    enum Layout: CaseIterable { case oldestFirst, newestFirst, stampedEarlier, instantsShuffled, dayShuffled }

    /// The statement in the order its balances follow, each row's balance computed exactly.
    /// `sparse`: at most one row per currency and day (a day's order is then never in question).
    static func statement(_ g: inout SplitMix, sparse: Bool = false) -> [Row] {
        var rows: [Row] = []
        var n = 0
        func id() -> String { n += 1; return String(format: "9PP%014d", n) }
        func amount(_ lo: Int64, _ hi: Int64) -> Int64 { Int64.random(in: lo...hi, using: &g) }
        // Days from the 13th: every date is unambiguous, whatever rows are drawn.
        var day = 13, seconds = 8 * 3600
        let events = sparse ? Int.random(in: 4...14, using: &g) : Int.random(in: 6...30, using: &g)
        for _ in 0..<events {
            if sparse || Int.random(in: 0..<3, using: &g) == 0 { day = min(28, day + 1); seconds = 8 * 3600 } else { seconds += Int.random(in: 1...3000, using: &g) }
            let cur = ["USD", "EUR"].randomElement(using: &g)!
            switch Int.random(in: 0..<5, using: &g) {
            case 0, 1:
                let gross = amount(1_000, 250_000)
                rows.append(Row(id: id(), day: day, seconds: seconds, type: "General Payment", name: "Client \(Int.random(in: 1...4, using: &g))",
                                currency: cur, gross: gross, fee: -(gross * 35 / 1000 + 30), ref: ""))
            case 2:
                rows.append(Row(id: id(), day: day, seconds: seconds, type: "Express Checkout Payment", name: "Shop",
                                currency: cur, gross: -amount(100, 20_000), fee: 0, ref: ""))
            case 3:
                rows.append(Row(id: id(), day: day, seconds: seconds, type: "General Withdrawal", name: "",
                                currency: cur, gross: -amount(100, 50_000), fee: 0, ref: ""))
            default:
                let sold = amount(500, 100_000), bought = sold * Int64.random(in: 80...120, using: &g) / 100
                let other = cur == "USD" ? "EUR" : "USD"
                let a = id(), b = id()
                var legs = [Row(id: a, day: day, seconds: seconds, type: "General Currency Conversion", name: "", currency: cur, gross: -sold, fee: 0, ref: ""),
                            Row(id: b, day: day, seconds: seconds, type: "General Currency Conversion", name: "", currency: other, gross: bought, fee: 0, ref: "")]
                switch (sparse ? [Linking.oneWay, .mutual, .sameInstant] : Linking.allCases).randomElement(using: &g)! {
                case .oneWay: legs[1].ref = a
                case .mutual: legs[0].ref = b; legs[1].ref = a
                case .sharedParent:
                    // The payment that was converted on arrival, in the same second (PayPal's automatic conversion).
                    let p = id()
                    rows.append(Row(id: p, day: day, seconds: seconds, type: "General Payment", name: "Client 9", currency: cur, gross: sold, fee: 0, ref: ""))
                    legs[0].ref = p; legs[1].ref = p
                case .sameInstant: break
                }
                rows += legs
            }
        }
        var balance: [String: Int64] = [:]
        for i in rows.indices {
            balance[rows[i].currency, default: 0] += rows[i].net
            rows[i].balance = balance[rows[i].currency]!
        }
        return rows
    }

    /// The rows as a platform would list them.
    static func listed(_ rows: [Row], _ layout: Layout, _ g: inout SplitMix) -> [Row] {
        var out = rows
        switch layout {
        case .oldestFirst: break
        case .newestFirst: out.reverse()
        case .stampedEarlier:
            // Rows listed after another of their day but stamped earlier (a fee row, a completion
            // date): the balances follow the listing, not the time stamps.
            for i in out.indices.dropFirst() where out[i].day == out[i - 1].day && out[i].type != "General Currency Conversion" && Bool.random(using: &g) {
                out[i].seconds = max(0, out[i - 1].seconds - Int.random(in: 60...20_000, using: &g))
            }
            out.reverse()
        case .instantsShuffled:
            // Rows of one instant come in any order.
            var i = 0
            var shuffled: [Row] = []
            while i < out.count {
                var e = i + 1
                while e < out.count && out[e].day == out[i].day && out[e].seconds == out[i].seconds { e += 1 }
                shuffled += out[i..<e].shuffled(using: &g)
                i = e
            }
            out = shuffled.reversed()
        case .dayShuffled:
            // A day's rows in any order, and their times too (balances that follow a completion
            // date; a fee row listed before its payment): only the balances tell the order.
            var i = 0
            var shuffled: [Row] = []
            while i < out.count {
                var e = i + 1
                while e < out.count && out[e].day == out[i].day { e += 1 }
                var day = Array(out[i..<e])
                let times = day.map(\.seconds).sorted()
                day.shuffle(using: &g)
                for k in day.indices { day[k].seconds = times[k] }
                shuffled += day
                i = e
            }
            out = shuffled
        }
        return out
    }

    static func csv(_ rows: [Row]) -> String {
        func money(_ v: Int64) -> String { String(format: "%@%lld.%02lld", v < 0 ? "-" : "", abs(v) / 100, abs(v) % 100) }
        var lines = ["\"Date\",\"Time\",\"TimeZone\",\"Name\",\"Type\",\"Status\",\"Currency\",\"Gross\",\"Fee\",\"Net\",\"Transaction ID\",\"Reference Txn ID\",\"Balance\""]
        for r in rows {
            let fields = [String(format: "%02d/02/2026", r.day), String(format: "%02d:%02d:%02d", r.seconds / 3600, r.seconds / 60 % 60, r.seconds % 60),
                          "Europe/Madrid", r.name, r.type, "Completed", r.currency, money(r.gross), money(r.fee), money(r.net), r.id, r.ref, money(r.balance)]
            lines.append(fields.map { "\"\($0)\"" }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// At most one row per currency and day: whatever the listing, the gaps are exactly the runs
    /// of removed rows, with their amounts.
    @Test func gapsAreExactlyTheRemovedRows() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000_000)) { seed in
            Self.check(seed: seed, sparse: true)
        }
    }

    /// Several rows a day, listed in every way: nothing missing means no gap and a ledger equal to
    /// the statement; rows missing are found as gaps, never more than the runs removed where the
    /// listing or the times order a day (fewer only where another order of a day's rows explains the
    /// balances without them: never a break that a valid order removes).
    @Test func noGapIsInventedAndNothingIsLost() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000_000)) { seed in
            Self.check(seed: seed, sparse: false)
        }
    }

    /// Seeds the property test once failed on, pinned. 895764849 (found 2026-12-06): on the first
    /// day, three rows of one instant passed together and the walk ended on the balance after all of
    /// them, while the order's fit was judged by the last listed row's balance; the day then seemed
    /// to lead into the next one, and a gap of the opening balance was reported where nothing was
    /// missing. The fit now reads the end off the same walk, and a first day whose rows close on
    /// themselves is ordered to start where it must end (the next day's start). 816264700 (found the
    /// same day, `.instantsShuffled`, three rows removed): one gap too many, by the same cause.
    @Test(arguments: [895_764_849, 816_264_700])
    func pinnedSeeds(seed: Int) {
        Self.check(seed: seed, sparse: false)
    }

    static func check(seed: Int, sparse: Bool) {
            var g = SplitMix(state: UInt64(seed))
            let truth = Self.statement(&g, sparse: sparse)
            let layout = Layout.allCases.randomElement(using: &g)!
            var file = Self.listed(truth, layout, &g)
            // Remove up to three rows, or none.
            var removed = Set<String>()
            for _ in 0..<Int.random(in: 0...3, using: &g) where file.count > 2 {
                removed.insert(file.remove(at: Int.random(in: file.indices, using: &g)).id)
            }
            // What must be reported, per currency: a run of removed rows with rows of that currency
            // kept before and after it (in the order the balances follow) is one gap, of their sum.
            var expectedGaps = 0
            var expectedMissing: [String: Int64] = [:]
            for cur in ["USD", "EUR"] {
                let chain = truth.filter { $0.currency == cur }
                guard let first = chain.firstIndex(where: { !removed.contains($0.id) }),
                      let last = chain.lastIndex(where: { !removed.contains($0.id) }) else { continue }
                var k = first
                while k <= last {
                    if removed.contains(chain[k].id) {
                        var sum: Int64 = 0
                        while k <= last && removed.contains(chain[k].id) { sum += chain[k].net; k += 1 }
                        if sum != 0 { expectedGaps += 1; expectedMissing[cur, default: 0] += sum }
                    } else { k += 1 }
                }
            }
            let text = Self.csv(file)
            // SALDO_DUMP_SEED=<seed> prints the statement a failing seed generated.
            if ProcessInfo.processInfo.environment["SALDO_DUMP_SEED"] == String(seed) { print(text) }
            let r = StatementImporter.read(data: Data(text.utf8), fileName: "p.csv")
            guard !r.isFatal else { Issue.record("not imported: \(r.errors) (seed \(seed))"); return }
            // Where neither the listing nor the times tell a day's order (`dayShuffled`) and rows are
            // missing, several orders explain the balances equally well: then a gap is reported if
            // and only if something that moved the balance is missing.
            if sparse || removed.isEmpty {
                #expect(r.balances.gaps == expectedGaps, "seed \(seed), \(layout), removed \(removed.sorted())")
            } else if layout != .dayShuffled {
                #expect(r.balances.gaps <= expectedGaps, "seed \(seed), \(layout), removed \(removed.sorted())")
            } else {
                // Neither listing nor times tell a day's order, and rows are missing: each day is
                // ordered on its own, so the count may exceed the runs removed; something missing is
                // still always reported.
                #expect((r.balances.gaps == 0) == (expectedGaps == 0) || r.balances.gaps < expectedGaps, "seed \(seed), \(layout), removed \(removed.sorted())")
            }
            let amountsDetermined = sparse || removed.isEmpty
            var missing: [String: Int64] = [:]
            for (i, c) in r.balanceChecks.enumerated() where !c.holds {
                // The closing check (each currency's last) differs by the whole of what is missing; gap checks by their own amount.
                if i == r.balanceChecks.lastIndex(where: { $0.stated.currency == c.stated.currency }) { continue }
                missing[c.stated.currency.code, default: 0] += c.stated.minorUnits - c.computed.minorUnits
            }
            if amountsDetermined {
                #expect(missing.filter { $0.value != 0 } == expectedMissing.filter { $0.value != 0 }, "seed \(seed), \(layout)")
            }
            #expect(r.balances.unbooked == 0, "seed \(seed)")
            if removed.isEmpty {
                #expect(r.balances.ledgerAgrees, "seed \(seed), \(layout)")
                // The booked postings on assets:paypal add up to what the statement says moved.
                var booked: [String: Int64] = [:]
                for t in r.transactions { for p in t.postings where p.account.path == "assets:paypal" { booked[p.amount.currency.code, default: 0] += p.amount.minorUnits } }
                for cur in ["USD", "EUR"] {
                    let rows = truth.filter { $0.currency == cur }
                    guard let last = rows.last else { continue }
                    #expect(booked[cur, default: 0] == last.balance, "seed \(seed) \(cur)")
                }
                if layout != .dayShuffled {   // there, times no longer link same-instant legs
                    #expect(!r.conversionLegs.contains { $0.pairedBy == nil }, "every leg pairs within a whole file (seed \(seed))")
                }
            }
    }
}
