import PropertyBased
import SaldoCore
import SaldoTestSupport
import Testing

/// Day totals and costed postings come from two reads, each by day; they are merged, not sorted.
@Suite struct MergedByDayTests {
    static let account = try! Account("income:upwork")

    static func fact(_ day: Int, _ tag: Int64) -> PostingFact {
        PostingFact(transactionID: tag, date: Day(ordinal: 20_000 + day), account: account,
                    amount: Money(minorUnits: tag, currency: .EUR), kind: .earning)
    }

    /// Whatever the two lists, the merge is what a stable sort by day of the two, one after the
    /// other, gives: on one day the first list's facts first, each list in its own order.
    @Test func theMergeIsAStableSortByDay() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...40), Gen.int(in: 0...40), Gen.int(in: 1...6), Gen.int(in: 0...1_000_000)) { a, b, days, seed in
            var g = SplitMix(state: UInt64(seed))
            let first = (0..<a).map { _ in Int(g.next() % UInt64(days)) }.sorted().enumerated().map { Self.fact($1, Int64($0)) }
            let second = (0..<b).map { _ in Int(g.next() % UInt64(days)) }.sorted().enumerated().map { Self.fact($1, 1000 + Int64($0)) }
            let all = first + second
            let expected = all.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
            #expect(PostingFact.mergedByDay(all, splitAt: first.count) == expected)
        }
    }

    /// Lists that are not by day after all are sorted, not merged into a wrong order.
    @Test func listsOutOfOrderAreSorted() {
        let all = [Self.fact(3, 1), Self.fact(1, 2), Self.fact(2, 3), Self.fact(0, 4)]
        #expect(PostingFact.mergedByDay(all, splitAt: 2).map(\.date.ordinal) == [20_000, 20_001, 20_002, 20_003])
    }
}
