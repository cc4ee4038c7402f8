import Foundation
import Testing
import SaldoCLI
import SaldoTestSupport

/// `saldo ledger copy`: the demo ledger into a new file (and, with a test cluster, into a workspace and
/// back), the same reports from the copy; a second copy into the now non-empty file is refused, in
/// English and Spanish, and changes nothing.
@Suite struct LedgerCopyCLITests {
    @Test(arguments: Engine.available)
    func copiesTheDemoAndRefusesANonEmptyTarget(via engine: Engine) throws {
        let folder = Fixtures.temporaryDirectory()
        let middle = engine.location(in: folder, name: "middle")
        let back = folder.appendingPathComponent("back.sqlite").path
        let there = SaldoCLI.capture(["ledger", "copy", "--from", demoLedger, "--to", middle])
        try #require(there.status == 0, "\(there.err)")
        #expect(there.out.hasPrefix("Copied 717 transactions from 16 statements (16 files kept), 10 invoices, 7240 exchange rates and 2 settings from "), "\(there.out)")
        #expect(!there.out.contains(Engine.appURL.flatMap { URLComponents(string: $0)?.password } ?? "no password"), "the password is never printed")
        let home = SaldoCLI.capture(["ledger", "copy", "--from", middle, "--to", back])
        #expect(home.status == 0, "\(home.err)")
        for args in [["report", "balances", "--format", "json"], ["report", "monthly", "--period", "2026", "--format", "csv"],
                     ["invoices", "list", "--today", asOf, "--format", "json"]] {
            let a = SaldoCLI.capture(args + ["--ledger", demoLedger]), b = SaldoCLI.capture(args + ["--ledger", back])
            #expect(a.status == 0 && a.out == b.out, "\(args)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: back))
        let again = SaldoCLI.capture(["ledger", "copy", "--from", demoLedger, "--to", back])
        #expect(again.status == 1 && again.err.contains("is not empty") && again.err.contains("nothing was changed"), "\(again.err)")
        let es = SaldoCLI.capture(["--lang", "es", "ledger", "copy", "--from", demoLedger, "--to", back])
        #expect(es.status == 1 && es.err.contains("no está vacío") && es.err.contains("no se ha cambiado nada"), "\(es.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: back)) == before)
        let same = SaldoCLI.capture(["ledger", "copy", "--from", back, "--to", back])
        #expect(same.status == 1 && same.err.contains("the same one"), "\(same.err)")
    }

    @Test func theSummaryReadsSpanish() throws {
        let to = Fixtures.temporaryDirectory().appendingPathComponent("es.sqlite").path
        let r = SaldoCLI.capture(["--lang", "es", "ledger", "copy", "--from", demoLedger, "--to", to])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.hasPrefix("Copia terminada: 717 movimientos de 16 extractos (16 ficheros guardados), 10 facturas, 7240 tipos de cambio y 2 ajustes, de "), "\(r.out)")
    }

    /// A missing ledger says which option named it; naming it twice is a usage error.
    @Test func theMissingSourceSaysWhereItsPathCameFrom() {
        let dir = Fixtures.temporaryDirectory().path
        let from = SaldoCLI.capture(["ledger", "copy", "--from", dir + "/none.sqlite", "--to", dir + "/to.sqlite"])
        #expect(from.status == 1 && from.err.contains("(the path given with --from)"), "\(from.err)")
        let es = SaldoCLI.capture(["--lang", "es", "ledger", "copy", "--from", dir + "/none.sqlite", "--to", dir + "/to.sqlite"])
        #expect(es.err.contains("no hay ningún libro en") && es.err.contains("(la ruta indicada con --from)"), "\(es.err)")
        let ledger = SaldoCLI.capture(["ledger", "copy", "--ledger", dir + "/none.sqlite", "--to", dir + "/to.sqlite"])
        #expect(ledger.status == 1 && ledger.err.contains("(the path comes from --ledger)"), "\(ledger.err)")
        let both = SaldoCLI.capture(["ledger", "copy", "--from", "a.sqlite", "--ledger", "b.sqlite", "--to", dir + "/to.sqlite"])
        #expect(both.status == 2 && both.err.contains("--from or --ledger, not both"), "\(both.err)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/to.sqlite"))
    }
}
