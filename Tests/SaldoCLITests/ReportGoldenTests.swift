import Foundation
import Testing
import SaldoCLI
import SaldoTestSupport

/// Every report in every format, on the demo ledger, against goldens in fixtures/cli/.
@Suite struct ReportGoldenTests {
    static let reports: [(name: String, args: [String])] = [
        ("report-monthly", ["report", "monthly", "--period", "2026"]),
        ("report-monthly-by-client-original", ["report", "monthly", "--period", "2026-Q3", "--by", "client", "--show-original"]),
        ("report-currencies", ["report", "currencies", "--period", "2026"]),
        ("report-balances", ["report", "balances"]),
        ("invoices-summary", ["invoices", "summary", "--today", asOf]),
        ("invoices-list", ["invoices", "list", "--today", asOf]),
        ("forecast", ["forecast", "--today", asOf, "--floor", "3000", "--change", "Upwork=-30%"]),
        ("forecast-backtest", ["forecast", "backtest", "--today", asOf]),
        ("tax-summary-es-2026-q3", ["tax", "summary", "--year", "2026", "--quarter", "3", "--today", asOf]),
        ("tax-calendar", ["tax", "calendar", "--today", asOf]),
        ("tax-set-aside", ["tax", "set-aside", "--year", "2026", "--today", asOf]),
    ]
    static let formats = ["table": "txt", "csv": "csv", "json": "json", "markdown": "md", "html": "html"]

    @Test(arguments: reports.map(\.name))
    func everyFormatMatchesItsGolden(_ name: String) throws {
        let args = Self.reports.first { $0.name == name }!.args
        for (format, ext) in Self.formats.sorted(by: { $0.key < $1.key }) {
            let r = SaldoCLI.capture(args + ["--format", format, "--ledger", demoLedger])
            #expect(r.status == 0, "\(name) \(format): \(r.err)")
            if let diff = Fixtures.compareGolden(r.out, "cli/\(name).\(ext)") { Issue.record("\(diff)") }
            if format == "json" {
                #expect((try? JSONSerialization.jsonObject(with: Data(r.out.utf8))) != nil, "\(name): not valid JSON")
            }
        }
    }

    @Test func monthlyJSONHasTheDocumentedShape() throws {
        let r = SaldoCLI.capture(["report", "monthly", "--period", "2026", "--format", "json", "--ledger", demoLedger])
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        #expect(json["currency"] as? String == "EUR")
        let months = json["months"] as! [[String: Any]]
        #expect(months.count == 10)
        #expect(months[0]["month"] as? String == "2026-01")
        for k in ["gross", "fees", "net"] { #expect(months[0][k] is String) }
        let by = months[0]["by"] as! [String: [String: Any]]
        #expect(by["Upwork"]?["net"] is String)
    }

    @Test func forecastJSONHasTheDocumentedShape() throws {
        let r = SaldoCLI.capture(["forecast", "--today", asOf, "--floor", "1500", "--format", "json", "--ledger", demoLedger])
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        #expect(json["currency"] as? String == "EUR")
        let months = json["months"] as! [[String: Any]]
        #expect(months.map { $0["month"] as? String } == ["2026-11", "2026-12", "2027-01"])
        for k in ["p10", "p50", "p90"] { #expect(months[0][k] != nil && (json["quarter"] as! [String: Any])[k] != nil) }
        #expect(json["p_below_floor"] != nil && !(json["p_below_floor"] is NSNull))
    }

    @Test func invoicesListJSONHasTheDocumentedFields() throws {
        let r = SaldoCLI.capture(["invoices", "list", "--today", asOf, "--format", "json", "--ledger", demoLedger])
        let rows = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [[String: Any]]
        #expect(rows.count == 10)
        for k in ["number", "type_code", "issue_date", "due_date", "currency", "net", "vat", "gross", "prepaid", "payable", "withholding", "seller", "buyer", "status", "source"] {
            #expect(rows[0].keys.contains(k), "missing \(k)")
        }
        #expect(rows.last?["status"] as? String == "open")
    }

    @Test func csvCellsCannotStartAFormula() throws {
        let r = SaldoCLI.capture(["invoices", "list", "--today", asOf, "--format", "csv", "--ledger", demoLedger])
        for line in r.out.split(separator: "\n") {
            for cell in line.split(separator: ",") where cell.first.map({ "=+@".contains($0) }) == true {
                Issue.record("unescaped formula cell: \(cell)")
            }
        }
    }
}
