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

    /// On every engine of the matrix: with the ledger in a PostgreSQL workspace the same goldens hold.
    @Test(arguments: Engine.available, reports.map(\.name))
    func everyFormatMatchesItsGolden(engine: Engine, _ name: String) throws {
        let args = Self.reports.first { $0.name == name }!.args
        let ledger = demoLedger(on: engine)
        for (format, ext) in Self.formats.sorted(by: { $0.key < $1.key }) {
            let r = SaldoCLI.capture(args + ["--format", format, "--ledger", ledger])
            #expect(r.status == 0, "\(name) \(format) on \(engine): \(r.err)")
            if let diff = Fixtures.compareGolden(normalisedOutput(r.out, ledger: ledger), "cli/\(name).\(ext)") { Issue.record("on \(engine): \(diff)") }
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

/// `--read-database`: the demo workspace's reports read from the test cluster's streaming replica
/// match the same goldens; a change sent to the replica is refused as read-only.
let cliReplicaURL = ProcessInfo.processInfo.environment["SALDO_TEST_POSTGRES_REPLICA_URL"].flatMap { $0.isEmpty ? nil : $0 }

@Suite struct ReadDatabaseCLITests {
    static let replicaURL = cliReplicaURL

    @Test(.enabled(if: cliReplicaURL != nil && Engine.postgresAvailable, "no test cluster replica (scripts/pg-test-cluster.sh replica start)"))
    func reportsFromTheReplicaMatchTheGoldens() throws {
        let ledger = try #require(demoLedgerOnPostgres)
        let replica = try #require(Self.replicaURL)
        let workspace = String(ledger[try #require(ledger.lastIndex(of: "?"))...])
        // The copy into the workspace was committed on the primary: wait until the replica has replayed it.
        let deadline = Date().addingTimeInterval(15)
        while SaldoCLI.capture(["report", "balances", "--ledger", replica + workspace]).status != 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        for (name, ext, format) in [("report-balances", "json", "json"), ("report-monthly", "txt", "table"), ("report-currencies", "csv", "csv"),
                                    ("tax-summary-es-2026-q3", "json", "json"), ("tax-calendar", "csv", "csv"), ("forecast", "json", "json"),
                                    ("invoices-summary", "txt", "table")] {
            let args = ReportGoldenTests.reports.first { $0.name == name }!.args
            let r = SaldoCLI.capture(args + ["--format", format, "--ledger", ledger, "--read-database", replica])
            #expect(r.status == 0, "\(name): \(r.err)")
            if let diff = Fixtures.compareGolden(normalisedOutput(r.out, ledger: ledger), "cli/\(name).\(ext)") { Issue.record("through the replica: \(diff)") }
        }
        let o = SaldoCLI.capture(["overview", "--today", asOf, "--format", "json", "--ledger", ledger, "--read-database", replica])
        #expect(o.status == 0 && o.out == SaldoCLI.capture(["overview", "--today", asOf, "--format", "json", "--ledger", ledger]).out)
        let w = SaldoCLI.capture(["config", "set", "base-currency", "USD", "--ledger", replica + workspace])
        #expect(w.status == 1 && w.err.contains("read-only replica"), "\(w.err)")
        let s = SaldoCLI.capture(["report", "balances", "--ledger", demoLedger, "--read-database", replica])
        #expect(s.status == 1 && s.err.contains("PostgreSQL"), "\(s.err)")
    }
}
