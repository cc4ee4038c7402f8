import Foundation
import Testing
import SaldoCore
import SaldoStore
import SaldoCLI
import SaldoApp
import SaldoTestSupport

/// The demo ledger, built once for the suite from the bundled sample files.
let demoLedger: String = {
    let path = Fixtures.temporaryDirectory().appendingPathComponent("demo.sqlite").path
    do { _ = try DemoCommand.buildLedger(at: path) } catch { Issue.record("demo ledger: \(error)") }
    return path
}()

let asOf = "2026-11-15"

/// The demo ledger in a PostgreSQL workspace (a copy of the SQLite one, through the ledger copy),
/// built once, for the CLI goldens' second run: the same commands with `--ledger postgres://…?workspace=N`
/// must print the same bytes. Nil when no test cluster is configured.
let demoLedgerOnPostgres: String? = {
    guard Engine.postgresAvailable else { return nil }
    do {
        try Engine.migrated.get()
        let location = Engine.postgres.location(in: Fixtures.temporaryDirectory(), name: "demo")
        _ = try LedgerCopy.copy(from: LedgerLocation(path: demoLedger), to: LedgerLocation(path: location))
        return location
    } catch { Issue.record("demo ledger on PostgreSQL: \(error)"); return nil }
}()

/// The demo ledger's location on an engine of the matrix.
func demoLedger(on engine: Engine) -> String {
    switch engine {
    case .sqlite: return demoLedger
    case .postgres: return demoLedgerOnPostgres ?? "postgres://unconfigured@127.0.0.1:1/none?workspace=1"
    }
}

/// What a command printed, as the goldens hold it whichever engine keeps the ledger: the one place
/// where the workspace's location (as outputs show it, without the password) becomes the SQLite
/// file's, should an output print it (none of the report goldens does so far).
func normalisedOutput(_ out: String, ledger: String) -> String {
    guard ledger != demoLedger else { return out }
    return out.replacingOccurrences(of: Engine.displayed(ledger), with: demoLedger)
}

@Suite struct DemoLedgerTests {
    @Test func demoImportsEverythingWithoutProblems() throws {
        let store = try SQLiteLedgerStore(path: demoLedger)
        #expect(try store.transactionCount() == 717)   // 707 statement transactions + 10 invoices
        #expect(try store.invoices().count == 10)
        #expect(try store.balanceChecks().allSatisfy(\.holds))
        #expect(try store.rateCount() == 7240)
    }

    @Test func reimportingTheDemoFilesAddsNothing() throws {
        let copy = Fixtures.temporaryDirectory().appendingPathComponent("again.sqlite").path
        _ = try DemoCommand.buildLedger(at: copy)
        let before = try SQLiteLedgerStore(path: copy).transactionCount()
        let out = try DemoCommand.buildLedger(at: copy)
        #expect(try SQLiteLedgerStore(path: copy).transactionCount() == before)
        #expect(out.contains("16 files: 0 new, 756 already in the ledger"))
    }

    @Test func exportLoadsInHledgerWithTheSameBalances() throws {
        let r = SaldoCLI.capture(["export", "--format", "hledger", "--ledger", demoLedger])
        #expect(r.status == 0)
        let file = Fixtures.temporaryDirectory().appendingPathComponent("demo.journal").path
        try r.out.write(toFile: file, atomically: true, encoding: .utf8)
        guard let h = hledgerBalances(file) else { return }
        #expect(h == (try saldoBalances(try SQLiteLedgerStore(path: demoLedger))))
    }

    @Test func exportPassesBeanCheckWithTheSameBalances() throws {
        let file = Fixtures.temporaryDirectory().appendingPathComponent("demo.beancount").path
        #expect(SaldoCLI.capture(["export", "--format", "beancount", "--ledger", demoLedger, "-o", file]).status == 0)
        guard let b = beancountBalances(file) else { return }
        var expected: [String: String] = [:]
        for (k, v) in try saldoBalances(try SQLiteLedgerStore(path: demoLedger)) {
            let parts = k.split(separator: "|")
            expected["\(JournalWriter.beancountAccount(try Account(String(parts[0]))))|\(parts[1])"] = v
        }
        #expect(b == expected)
    }

    /// The per-month, per-currency sums of `report monthly` (its `original` figures) equal what
    /// hledger computes from the exported journal.
    @Test func monthlyOriginalSumsAgreeWithHledger() throws {
        let r = SaldoCLI.capture(["report", "monthly", "--format", "json", "--show-original", "--ledger", demoLedger])
        #expect(r.status == 0, "\(r.err)")
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        var saldo: [String: String] = [:]     // "2026-03|USD|gross" → decimal
        for m in json["months"] as! [[String: Any]] {
            let month = m["month"] as! String
            for (cur, figs) in m["original"] as! [String: [String: String]] {
                for k in ["gross", "fees"] { saldo["\(month)|\(cur)|\(k)"] = try ExactDecimal(figs[k]!).normalized.description }
            }
        }
        let exported = SaldoCLI.capture(["export", "--format", "hledger", "--ledger", demoLedger])
        let file = Fixtures.temporaryDirectory().appendingPathComponent("m.journal").path
        try exported.out.write(toFile: file, atomically: true, encoding: .utf8)
        var hledger: [String: String] = [:]
        for (query, key, flip) in [("^income", "gross", true), ("^expenses:fees", "fees", false)] {
            guard let out = requireTool("hledger", ["-f", file, "bal", query, "-M", "--depth", query == "^income" ? "1" : "2", "--layout=bare", "-O", "csv", "--no-total"],
                                        install: "apt-get install -y hledger") else { return }
            let lines = out.out.split(separator: "\n").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"\r")) } }
            let header = lines[0]
            for row in lines.dropFirst() {
                for (i, cell) in row.enumerated() where i >= 2 {
                    guard let v = try? ExactDecimal(cell), !v.isZero else { continue }
                    // hledger's monthly columns are headed 2025-01 (or 2025-01-01..); take the month.
                    let month = String(header[i].prefix(7))
                    let k = "\(month)|\(row[1])|\(key)"
                    let value = flip ? -v : v
                    hledger[k] = ((hledger[k].flatMap { try? ExactDecimal($0) } ?? ExactDecimal(0)) + value).normalized.description
                }
            }
        }
        let nonZero = saldo.filter { (try? ExactDecimal($0.value))?.isZero == false }
        #expect(!nonZero.isEmpty)
        #expect(nonZero == hledger)
    }
}

@Suite struct ImportOrderTests {
    /// Wise lists a conversion in both balances' statements; only the source side knows the fee.
    /// Whichever file comes first, the ledger ends the same (pinned: the fee was lost when the
    /// target side was imported first).
    @Test func wiseStatementsGiveTheSameLedgerInAnyOrder() throws {
        guard let folder = DemoCommand.demoFolder else { Issue.record("no demo folder"); return }
        let files = ["wise-statement-gbp.csv", "wise-statement-usd.csv", "wise-statement-eur.csv"].map { folder.appendingPathComponent($0).path }
        var results: [[String: String]] = []
        for order in [files, files.reversed()] {
            let path = Fixtures.temporaryDirectory().appendingPathComponent("w.sqlite").path
            for f in order { #expect(SaldoCLI.capture(["import", f, "--ledger", path]).status == 0) }
            results.append(try saldoBalances(try SQLiteLedgerStore(path: path)))
        }
        #expect(results[0] == results[1])
        #expect(results[0]["expenses:fees:wise|GBP"] == "69.65")
    }

    @Test func importJSONLinesCarryTheDocumentedFields() throws {
        guard let folder = DemoCommand.demoFolder else { Issue.record("no demo folder"); return }
        let path = Fixtures.temporaryDirectory().appendingPathComponent("j.sqlite").path
        let r = SaldoCLI.capture(["import", folder.appendingPathComponent("paypal-activity-2025-2026.csv").path, "--format", "json", "--dry-run", "--ledger", path])
        #expect(r.status == 0)
        // JSON lines: the whole object on one line (scripts read it line by line).
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == 1, "\(r.out)")
        let obj = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        for k in ["file", "profile", "new", "duplicates", "filtered", "problems"] { #expect(obj.keys.contains(k), "missing \(k)") }
        #expect(obj["new"] as? Int == 296)
        #expect((obj["filtered"] as? [Any])?.count == 4)
        #expect(try SQLiteLedgerStore(path: path).transactionCount() == 0)   // dry run
    }

    @Test func anECBFileGivenToImportSaysWhatToDo() throws {
        guard let folder = DemoCommand.demoFolder else { Issue.record("no demo folder"); return }
        let path = Fixtures.temporaryDirectory().appendingPathComponent("e.sqlite").path
        let r = SaldoCLI.capture(["import", folder.appendingPathComponent("ecb-eurofxref-2024-2026.csv").path, "--ledger", path])
        #expect(r.status == 1)
        #expect(r.out.contains("saldo rates import"))
    }
}
