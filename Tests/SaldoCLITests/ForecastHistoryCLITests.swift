import Foundation
import Testing
import SaldoCLI

/// The forecast's history runs to the month before `--today`, months without pay included.
@Suite struct ForecastHistoryCLITests {
    /// A JSON number or a decimal written as a string.
    func number(_ v: Any?) -> Double? { (v as? NSNumber)?.doubleValue ?? (v as? String).flatMap(Double.init) }

    /// Half a year after the demo ledger's last payment: the forecast covers the months after
    /// `--today`, not the months after the last income, and every platform is in a drought.
    @Test func aDroughtInProgressIsPartOfTheHistory() throws {
        let r = SaldoCLI.capture(["forecast", "--today", "2027-06-15", "--paths", "2000", "--format", "json", "--ledger", demoLedger])
        #expect(r.status == 0, "\(r.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let months = try #require(json["months"] as? [[String: Any]])
        #expect(months.map { $0["month"] as? String } == ["2027-06", "2027-07", "2027-08"])
        let history = try #require(json["history"] as? [[String: Any]])
        #expect(history.last?["month"] as? String == "2027-05")
        // The empty months are in the history as zeros.
        #expect(history.suffix(5).allSatisfy { number($0["net"]) == 0 })
        let streams = try #require(json["streams"] as? [[String: Any]])
        #expect(!streams.isEmpty)
        for s in streams {
            let chance = try #require(number(s["chance_active_next_month"]))
            #expect(chance < 0.5, "\(s["name"] ?? "?") after months without pay: \(chance)")
        }
        let notes = try #require(json["notes"] as? [String])
        #expect(notes.contains { $0.contains("no income for the last") })
    }
}
