import Foundation
import Testing
import SaldoCore
import SaldoStore
@testable import SaldoCLI
import SaldoTestSupport

/// Commands that only read never create a ledger (a mistyped --ledger must not leave an empty one
/// behind); what Saldo writes (ledgers, -o files) only its owner can read.
@Suite struct PrivacyCLITests {
    /// Commands that do not use a ledger at all.
    static let withoutLedger: Set<[String]> = [
        ["demo"], ["profiles", "list"], ["profiles", "show"], ["profiles", "check"],
        ["bench", "forecast"], ["bench", "ledger"], ["bench", "import"],
        // Serves a missing ledger (its pages say how to start one, and it is created only by an
        // import): SaldoWebTests.APITests.aMissingLedgerSaysHowToStart checks that nothing is created.
        ["serve"],
        // The accounting office's commands work on a PostgreSQL database (OfficeCLITests).
        ["office", "create"], ["office", "add-staff"], ["office", "add-client"], ["office", "list"],
        // An office's quarter-end reads the client ledgers it is given, never the user's own
        // (QuarterEndCLITests: a missing one is an error, and nothing is created).
        ["tax", "quarter-end"],
        // The office benchmark measures a PostgreSQL office's workspaces, never the user's ledger.
        ["bench", "office"],
    ]
    /// Commands that start a ledger when there is none.
    static let creating: Set<[String]> = [["import"], ["rates", "import"], ["config", "set"]]
    /// The arguments a command needs besides --ledger (the ledger is missing, so any will do).
    static let arguments: [[String]: [String]] = [
        ["config", "get"]: ["base-currency"], ["config", "unset"]: ["region"], ["rates", "show"]: ["USD"],
        ["invoices", "link"]: ["LMS-2026-009", "412"], ["invoices", "unlink"]: ["LMS-2026-009"],
        ["ledger", "copy"]: ["--to", "saldo-copy-never-written.sqlite"],
    ]

    /// Every other command, found from the command tree (a new one is checked without being listed
    /// here), and the groups' default commands, with -o where they take it.
    @Test func everyOtherCommandFailsOnAMissingLedgerAndCreatesNothing() throws {
        let commands = SaldoCommand.runnableCommands.filter { !Self.withoutLedger.contains($0) && !Self.creating.contains($0) }
        #expect(commands.count >= 19, "\(commands)")
        let defaults: [[String]] = [["report"], ["forecast"], ["tax"], ["invoices"], ["report", "monthly", "-o", "x.html"],
                                    ["export", "-o", "x.journal"], ["tax", "summary", "--format", "json", "-o", "x.json"]]
        for command in commands + defaults {
            let dir = Fixtures.temporaryDirectory()
            let path = dir.appendingPathComponent("typo/ledger.sqlite").path
            let args = command.map { $0.hasPrefix("x.") ? dir.appendingPathComponent($0).path : $0 }
            let r = SaldoCLI.capture(args + (Self.arguments[command] ?? []) + ["--ledger", path])
            let name = "saldo " + command.joined(separator: " ")
            #expect(r.status == ExitStatus.userError, "\(name): \(r.status) \(r.out)\(r.err)")
            #expect(r.err.contains("there is no ledger at \(path): nothing has been recorded there yet (the path comes from --ledger)"), "\(name): \(r.err)")
            #expect(r.err.contains("hint: `saldo import FILE` creates a ledger from a statement or e-invoice; `saldo demo --keep` builds a demo ledger to try"), "\(name): \(r.err)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "\(name) created something")
        }
    }

    @Test func theMessageSaysWhereThePathCameFrom() throws {
        let home = Fixtures.temporaryDirectory()
        var r = SaldoCLI.capture(["report", "monthly"], environment: ["HOME": home.path])
        #expect(r.status == 1)
        #expect(r.err.contains("there is no ledger at \(home.path)/.local/share/saldo/ledger.sqlite: nothing has been recorded there yet (the path comes from the default location)"), "\(r.err)")
        let other = home.appendingPathComponent("elsewhere.sqlite").path
        r = SaldoCLI.capture(["accounts"], environment: ["HOME": home.path, "SALDO_LEDGER": other])
        #expect(r.err.contains("there is no ledger at \(other): nothing has been recorded there yet (the path comes from $SALDO_LEDGER)"), "\(r.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).isEmpty)
    }

    @Test func aFileThatIsNotALedgerIsAClearError() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("ledger.sqlite").path
        try Data("date,amount\n2026-01-02,10\n".utf8).write(to: URL(fileURLWithPath: path))
        for command in [["report", "monthly"], ["config", "set", "base-currency", "EUR"]] {
            let r = SaldoCLI.capture(command + ["--ledger", path])
            #expect(r.status == 1)
            #expect(r.err == "error: cannot open the ledger \(path): the file is not a Saldo ledger (not an SQLite database)\n", "\(r.err)")
        }
    }

    @Test func writingCommandsStartAPrivateLedger() throws {
        guard let demo = DemoCommand.demoFolder else { Issue.record("no demo folder"); return }
        let dir = Fixtures.temporaryDirectory()
        let cases: [(args: [String], folder: String)] = [
            (["config", "set", "base-currency", "EUR"], "a"),
            (["rates", "import", demo.appendingPathComponent("ecb-eurofxref-2024-2026.csv").path], "b"),
            (["import", demo.appendingPathComponent("upwork-transactions.csv").path], "c"),
        ]
        for (args, folder) in cases {
            let path = dir.appendingPathComponent("\(folder)/saldo/ledger.sqlite").path
            let r = Fixtures.withUmask(0o022) { SaldoCLI.capture(args + ["--ledger", path]) }
            #expect(r.status == 0, "\(args): \(r.err)")
            #expect(Fixtures.mode(dir.appendingPathComponent(folder).path) == 0o700)
            #expect(Fixtures.mode(dir.appendingPathComponent("\(folder)/saldo").path) == 0o700)
            #expect(Fixtures.mode(path) == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("\(folder)/saldo").path) == ["ledger.sqlite"])
        }
    }

    @Test func aDryRunImportCreatesNoLedger() throws {
        guard let demo = DemoCommand.demoFolder else { Issue.record("no demo folder"); return }
        let dir = Fixtures.temporaryDirectory()
        let r = SaldoCLI.capture(["import", "--dry-run", demo.appendingPathComponent("upwork-transactions.csv").path,
                                  "--ledger", dir.appendingPathComponent("new/ledger.sqlite").path])
        #expect(r.status == 0, "\(r.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// Each way a command writes -o (rendered reports, the export, tax JSON, the invoice list's JSON).
    @Test func outputFilesArePrivateUnlessTheyExist() throws {
        let dir = Fixtures.temporaryDirectory()
        let commands: [[String]] = [
            ["report", "monthly", "--period", "2026", "--format", "html"],
            ["export", "--format", "csv"],
            ["tax", "summary", "--today", asOf, "--format", "json"],
            ["invoices", "list", "--today", asOf, "--format", "json"],
        ]
        for (i, command) in commands.enumerated() {
            let file = dir.appendingPathComponent("out-\(i)").path
            let r = Fixtures.withUmask(0o022) { SaldoCLI.capture(command + ["--ledger", demoLedger, "-o", file]) }
            #expect(r.status == 0, "\(command): \(r.err)")
            #expect(r.out.isEmpty, "\(command) printed what it should have written: \(r.out.prefix(200))")
            #expect(Fixtures.mode(file) == 0o600, "\(command)")
            let written = try String(contentsOfFile: file, encoding: .utf8)
            #expect(written.count > 100, "\(command): \(written)")

            // Written again over a file the user made readable: its mode stays, its content is replaced.
            #expect(chmod(file, 0o644) == 0)
            try Data("old".utf8).write(to: URL(fileURLWithPath: file))
            _ = Fixtures.withUmask(0o077) { SaldoCLI.capture(command + ["--ledger", demoLedger, "-o", file]) }
            #expect(Fixtures.mode(file) == 0o644, "\(command)")
            #expect(try String(contentsOfFile: file, encoding: .utf8) == written, "\(command)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == (0..<commands.count).map { "out-\($0)" })
    }

    @Test func anOutputThatCannotBeWrittenIsAUserError() throws {
        let file = Fixtures.temporaryDirectory().appendingPathComponent("missing/out.csv").path
        let r = SaldoCLI.capture(["export", "--format", "csv", "--ledger", demoLedger, "-o", file])
        #expect(r.status == 1)
        #expect(r.err.contains("cannot write \(file): no such file or directory"), "\(r.err)")
    }
}
