import Foundation
import SaldoCore
import SaldoStore
import SaldoTestSupport
import Testing

/// A day's facts keep each foreign amount (``PostingFact/parts``), so that a report converts and
/// rounds each posting alone, as the tax return does; amounts in the report's currency are summed.
@Suite struct DayFactsTests {
    @Test(arguments: Engine.available)
    func foreignAmountsOfADayKeepTheirParts(engine: Engine) throws {
        let store = try engine.emptyStore()
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "1", format: "t", transactions: [
            payment("2026-01-02", 1, id: "A"), payment("2026-01-02", 2, id: "B"), payment("2026-01-02", 3, id: "C"),
            payment("2026-01-05", 7, id: "D"),
        ]))
        // Summing euros: the dollars of 2 January are one fact that keeps its three amounts.
        let inEuros = try store.facts(in: nil, roots: [.income], aggregateByDay: true, summing: .EUR)
        #expect(inEuros.count == 2)
        #expect(inEuros[0].amount == Money(minorUnits: -6, currency: .USD) && inEuros[0].parts == [-1, -2, -3])
        #expect(inEuros[0].transactionID == 0 && inEuros[0].platform == "Prolific" && inEuros[0].kind == .earning)
        // One posting: its amount is the one, no parts.
        #expect(inEuros[1].amount == Money(minorUnits: -7, currency: .USD) && inEuros[1].parts == nil)
        // Summing dollars: nothing to convert, nothing kept apart.
        let inDollars = try store.facts(in: nil, roots: [.income], aggregateByDay: true, summing: .USD)
        #expect(inDollars.map(\.amount.minorUnits) == [-6, -7] && inDollars.allSatisfy { $0.parts == nil })
        // The roots still choose the accounts, and the day sums still agree with the transactions.
        let all = try store.facts(in: nil, roots: nil, aggregateByDay: true, summing: .USD)
        #expect(Set(all.map(\.account.path)) == ["assets:paypal", "income:prolific"])
        #expect(try store.integrityCheck() == "ok")
    }

    @Test(arguments: Engine.available)
    func amountsThatCancelInDollarsStayWhenTheirPartsDoNot(engine: Engine) throws {
        let store = try engine.emptyStore()
        _ = try store.record(ImportRecord(fileName: "a.csv", sha256: "1", format: "t", transactions: [
            payment("2026-03-02", 10, id: "A"), payment("2026-03-02", -7, id: "B"), payment("2026-03-02", -3, id: "C"),
        ]))
        let facts = try store.facts(in: nil, roots: [.income], aggregateByDay: true, summing: .EUR)
        // +10 −7 −3 dollars sum to nothing, but each converts and rounds alone: the fact stays.
        #expect(facts.count == 1 && facts[0].amount.minorUnits == 0 && facts[0].parts == [-10, 7, 3])
        #expect(try store.facts(in: nil, roots: [.income], aggregateByDay: true, summing: .USD).isEmpty)
    }
}
