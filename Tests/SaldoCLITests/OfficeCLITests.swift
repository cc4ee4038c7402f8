import Foundation
import SaldoApp
import SaldoCLI
import SaldoTestSupport
import Testing

/// `saldo office …` against the PostgreSQL test cluster (off without one, as the store matrix).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SALDO_TEST_POSTGRES_URL"].map { !$0.isEmpty } ?? false,
                "SALDO_TEST_POSTGRES_URL is not set: the office commands' tests are off (scripts/pg-test-cluster.sh start prints it)"))
struct OfficeCLITests {
    static let owner = ProcessInfo.processInfo.environment["SALDO_TEST_POSTGRES_URL"] ?? ""
    static let app = ProcessInfo.processInfo.environment["SALDO_TEST_POSTGRES_APP_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? owner

    static func unique(_ name: String) -> String { "\(name)-\(UUID().uuidString.prefix(8).lowercased())@example.com" }

    /// Create an office as the owner (the schema comes with it), then add staff and a client as the
    /// app role; list shows them. The password comes from SALDO_PASSWORD, never from argv.
    @Test func createAddAndList() throws {
        let admin = Self.unique("ana"), staff = Self.unique("luis"), client = Self.unique("marta")
        let env = ["SALDO_PASSWORD": "correct horse battery", "LANG": "C.UTF-8"]
        let created = SaldoCLI.capture(["office", "create", "--database", Self.owner, "--name", "Gestoría Ruiz", "--admin-email", admin], environment: env)
        #expect(created.status == 0, "\(created.err)")
        let number = try #require(created.out.split(separator: " ").dropFirst().first.map(String.init), "\(created.out)")
        #expect(created.out.hasPrefix("Office \(number) \"Gestoría Ruiz\" created; its admin logs in as \(admin)."), "\(created.out)")
        let added = SaldoCLI.capture(["office", "add-staff", "--database", Self.app, "--office", number, "--email", staff], environment: env)
        #expect(added.status == 0 && added.out.contains(staff), "\(added.err)")
        let withClient = SaldoCLI.capture(["office", "add-client", "--database", Self.app, "--office", number, "--name", "Marta López", "--email", client], environment: env)
        #expect(withClient.status == 0 && withClient.out.contains("\"Marta López\" added") && withClient.out.contains(client), "\(withClient.err)")
        let list = SaldoCLI.capture(["office", "list", "--database", Self.app, "--office", number], environment: env)
        #expect(list.status == 0)
        #expect(list.out.contains("Workspaces (1):") && list.out.contains("Marta López") && list.out.contains("People who log in (3):"), "\(list.out)")
        #expect(list.out.contains("\(client)\tMarta López\tclient"))
        // In Spanish.
        let es = SaldoCLI.capture(["--lang", "es", "office", "list", "--database", Self.app, "--office", number], environment: env)
        #expect(es.out.contains("Espacios (1):") && es.out.contains("Personas que entran (3):") && es.out.contains("\tcliente"), "\(es.out)")
        // The same email twice: a plain error, nothing added.
        let again = SaldoCLI.capture(["office", "add-staff", "--database", Self.app, "--office", number, "--email", staff], environment: env)
        #expect(again.status == 1 && again.err.contains("already belongs to someone"), "\(again.err)")
        // A short password is refused before anything is written.
        let short = SaldoCLI.capture(["office", "add-staff", "--database", Self.app, "--office", number, "--email", Self.unique("x")],
                                     environment: ["SALDO_PASSWORD": "short", "LANG": "C.UTF-8"])
        #expect(short.status == 1 && short.err.contains("at least 10"), "\(short.err)")
    }

    /// Quarter-end for the whole office: each workspace's returns with deadlines as one table (CSV for
    /// the filing software); a workspace that cannot be computed says why in its row.
    @Test func quarterEndForEveryWorkspace() throws {
        let env = ["SALDO_PASSWORD": "correct horse battery", "LANG": "C.UTF-8"]
        let created = SaldoCLI.capture(["office", "create", "--database", Self.owner, "--name", "Gestoría Q", "--admin-email", Self.unique("q")], environment: env)
        let number = try #require(created.out.split(separator: " ").dropFirst().first.map(String.init), "\(created.err)")
        func workspace(_ name: String) throws -> String {
            let r = SaldoCLI.capture(["office", "add-client", "--database", Self.app, "--office", number, "--name", name], environment: env)
            return try #require(r.out.split(separator: " ").dropFirst().first.map(String.init), "\(r.err)")
        }
        let demo = try workspace("Demo client"), empty = try workspace("Empty client")
        _ = try Demo.buildLedger(at: Self.app + "?workspace=\(demo)")
        let csv = SaldoCLI.capture(["tax", "summary", "--all-workspaces", "--database", Self.app, "--office", number,
                                    "--year", "2026", "--quarter", "3", "--today", "2026-11-15", "--format", "csv"], environment: env)
        // The empty client cannot be computed (no jurisdiction yet): named on standard error, exit code 3.
        #expect(csv.status == 3, "\(csv.err)")
        #expect(csv.err.contains("1 client not computed: Empty client"), "\(csv.err)")
        let lines = csv.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "client,workspace,jurisdiction,form,period,due,amount,currency", "\(csv.out)")
        let demoRows = lines.filter { $0.hasPrefix("Demo client,\(demo),es,") }
        #expect(demoRows.contains { $0.contains(",Modelo 130,2026-Q3,2026-10-20,") }, "\(csv.out)")
        #expect(demoRows.contains { $0.contains(",Modelo 303,2026-Q3,2026-10-20,") }, "\(csv.out)")
        // The same figures as the workspace's own tax summary.
        let own = try taxJSON(["tax", "summary", "--ledger", Self.app + "?workspace=\(demo)", "--year", "2026", "--quarter", "3", "--today", "2026-11-15", "--no-forecast"])
        let q3 = try #require(((own["spain"] as? [String: Any])?["modelo_130"] as? [[String: Any]])?.first { ($0["quarter"] as? Int) == 3 })
        #expect(demoRows.contains { $0.hasSuffix(",Modelo 130,2026-Q3,2026-10-20,\(q3["payable"] as? String ?? "?"),EUR") }, "\(csv.out)")
        // The table in Spanish, with the client not computed and why.
        let es = SaldoCLI.capture(["--lang", "es", "tax", "summary", "--all-workspaces", "--database", Self.app, "--office", number,
                                   "--year", "2026", "--quarter", "3", "--today", "2026-11-15"], environment: env)
        #expect(es.out.contains("Cierre del trimestre 3T 2026 de Gestoría Q: 2 clientes") && es.out.contains("Empty client"), "\(es.out)")
        #expect(es.out.contains("Saldo no sabe"), "\(es.out)")
        // Without the office: a usage error that says what to give.
        let missing = SaldoCLI.capture(["tax", "summary", "--all-workspaces", "--database", Self.app], environment: env)
        #expect(missing.status == 2 && missing.err.contains("--office"), "\(missing.err)")
    }

    /// Without a database address or a password source, the commands say what to give.
    @Test func missingDatabaseOrPassword() {
        let noDatabase = SaldoCLI.capture(["office", "list", "--office", "1"], environment: ["LANG": "C.UTF-8"])
        #expect(noDatabase.status == 1 && noDatabase.err.contains("SALDO_DATABASE"), "\(noDatabase.err)")
        let notPostgres = SaldoCLI.capture(["office", "list", "--database", "/tmp/books.sqlite", "--office", "1"], environment: ["LANG": "C.UTF-8"])
        #expect(notPostgres.status == 1 && notPostgres.err.contains("not a PostgreSQL address"), "\(notPostgres.err)")
    }
}
