import Foundation
import Testing
import SaldoCore
import SaldoStore
import SaldoCLI
import SaldoTestSupport

/// `saldo tax quarter-end FOLDER`: one row per client return, the same figures each client's own
/// `saldo tax summary` shows, the CSV one table for filing software, and a client that cannot be
/// computed named on standard error with exit code 3 while the others are still listed.
@Suite struct QuarterEndCLITests {
    @Test func aFolderOfClientLedgers() throws {
        let folder = Fixtures.temporaryDirectory().appendingPathComponent("clients")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ana = try taxLedger(.EUR, income: [("2026-02-10", "10000.00"), ("2026-03-05", "2500.00")], expenses: [("2026-03-01", "1000.00")],
                                settings: [("jurisdiction", "es")])
        let luis = try taxLedger(.EUR, income: [("2026-01-20", "4000.00")], settings: [("jurisdiction", "es")])
        let nobody = try taxLedger(.EUR, income: [("2026-01-20", "100.00")], settings: [])
        for (name, path) in [("ana", ana), ("luis", luis), ("zoe", nobody)] {
            try FileManager.default.copyItem(atPath: path, toPath: folder.appendingPathComponent("\(name).sqlite").path)
        }
        let r = SaldoCLI.capture(["tax", "quarter-end", folder.path, "--year", "2026", "--quarter", "1", "--today", "2026-05-01", "--format", "csv"])
        #expect(r.status == 3, "a client not computed: exit code 3")
        #expect(r.err.contains("1 client not computed: zoe"), "\(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "client,workspace,jurisdiction,form,period,due,amount,currency")
        #expect(lines.count == 5, "four returns, one table: \(r.out)")
        // Each figure is the one the client's own summary shows for the quarter.
        for (name, path) in [("ana", ana), ("luis", luis)] {
            let own = try taxJSON(["tax", "summary", "--ledger", path, "--year", "2026", "--quarter", "1", "--today", "2026-05-01", "--no-forecast"])
            let spain = try #require(own["spain"] as? [String: Any])
            for (form, key) in [("Modelo 130", "modelo_130"), ("Modelo 303", "modelo_303")] {
                let q1 = try #require((spain[key] as? [[String: Any]])?.first { ($0["quarter"] as? Int) == 1 })
                let payable = try #require(q1["payable"] as? String)
                let due = try #require(q1["due"] as? String)
                let row = lines.first { $0.hasPrefix("\(name),") && $0.contains(",\(form),") }
                #expect(row?.hasSuffix(",2026-Q1,\(due),\(payable),EUR") == true, "\(name) \(form): \(row ?? "missing") vs \(payable) due \(due)")
            }
        }
        // The table format names the client not computed and why, in Spanish too.
        let es = SaldoCLI.capture(["tax", "quarter-end", folder.path, "--year", "2026", "--quarter", "1", "--today", "2026-05-01"],
                                  environment: ["LANG": "es_ES.UTF-8"])
        #expect(es.out.contains("Cierre del trimestre 1T 2026: 3 clientes"))
        #expect(es.out.contains("Clientes sin calcular (1)") && es.out.contains("zoe"))
        #expect(es.err.contains("1 cliente sin calcular: zoe"), "\(es.err)")
    }

    @Test func nothingNamedOrAMissingFolderIsAClearError() {
        let none = SaldoCLI.capture(["tax", "quarter-end"])
        #expect(none.status != 0 && none.err.contains("Name the client ledgers"), "\(none.err)")
        let missing = SaldoCLI.capture(["tax", "quarter-end", "/nonexistent/clients"])
        #expect(missing.status != 0 && missing.err.contains("/nonexistent/clients: no such file or folder"), "\(missing.err)")
    }
}
