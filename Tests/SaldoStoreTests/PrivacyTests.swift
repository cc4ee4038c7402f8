import Foundation
import Testing
@testable import SaldoStore
import SaldoCore
import SaldoTestSupport

/// A ledger holds someone's income, clients and tax ids: what Saldo creates only its owner can read,
/// whatever the umask, and opening a ledger that is not there creates nothing unless asked to.
@Suite struct PrivacyTests {
    @Test func aNewLedgerAndItsFoldersArePrivate() throws {
        let dir = Fixtures.temporaryDirectory()
        // Its mode set here: made while another test held a stricter umask (the umask is the
        // process's), it would be 0700 already and the check below would not say anything.
        chmod(dir.path, 0o755)
        let path = dir.appendingPathComponent("new/saldo/ledger.sqlite").path
        let store = try Fixtures.withUmask(0o022) { try SQLiteLedgerStore(path: path, mode: .create) }
        #expect(Fixtures.mode(dir.path) == 0o755)   // an existing folder keeps its mode
        #expect(Fixtures.mode(dir.appendingPathComponent("new").path) == 0o700)
        #expect(Fixtures.mode(dir.appendingPathComponent("new/saldo").path) == 0o700)
        #expect(Fixtures.mode(path) == 0o600)
        #expect(try store.integrityCheck() == "ok")
    }

    /// SQLite gives the files it keeps next to the ledger (the rollback journal Saldo uses, and the
    /// -wal and -shm files of WAL mode) the database file's mode: all of them end 0600.
    @Test func theFilesSQLiteAddsAreAsPrivateAsTheLedger() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("ledger.sqlite").path
        try Fixtures.withUmask(0o022) {
            let store = try SQLiteLedgerStore(path: path, mode: .create)
            var journal: mode_t?
            try store.execute("INSERT INTO setting(key, value) VALUES ('region', 'madrid')") { journal = Fixtures.mode(path + "-journal") }
            #expect(journal == 0o600)

            try store.executeOutsideTransaction("PRAGMA journal_mode = WAL")
            var wal: mode_t?, shm: mode_t?
            try store.execute("INSERT INTO setting(key, value) VALUES ('jurisdiction', 'es')") {
                wal = Fixtures.mode(path + "-wal"); shm = Fixtures.mode(path + "-shm")
            }
            #expect(wal == 0o600)
            #expect(shm == 0o600)
            #expect(Fixtures.mode(path + "-wal") == 0o600)   // still there after the commit
            #expect(Fixtures.mode(path + "-shm") == 0o600)
            #expect(Fixtures.mode(path) == 0o600)
            #expect(try store.setting("jurisdiction") == "es")
        }
    }

    @Test func anExistingLedgerKeepsItsMode() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("ledger.sqlite").path
        _ = try SQLiteLedgerStore(path: path, mode: .create)
        #expect(chmod(path, 0o640) == 0)
        _ = try SQLiteLedgerStore(path: path, mode: .create)
        _ = try SQLiteLedgerStore(path: path, mode: .existing)
        #expect(Fixtures.mode(path) == 0o640)
    }

    @Test func openingAMissingLedgerToReadCreatesNothing() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("typo/ledger.sqlite").path
        #expect(throws: StoreError.noLedger(path)) { try SQLiteLedgerStore(path: path, mode: .existing) }
        #expect(StoreError.noLedger(path).description == "there is no ledger at \(path): nothing has been recorded there yet")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)

        // In an existing folder, no file either.
        let inFolder = dir.appendingPathComponent("ledger.sqlite").path
        #expect(throws: StoreError.noLedger(inFolder)) { try SQLiteLedgerStore(path: inFolder, mode: .existing) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func aFileThatIsNotALedgerIsNamedAndLeftAlone() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("notes.sqlite").path
        let text = Data(String(repeating: "my notes, not a database\n", count: 200).utf8)
        try text.write(to: URL(fileURLWithPath: path))
        for mode in [SQLiteLedgerStore.OpenMode.existing, .create] {
            #expect(throws: StoreError.cannotOpen(path, reason: "the file is not a Saldo ledger (not an SQLite database)")) {
                try SQLiteLedgerStore(path: path, mode: mode)
            }
        }
        #expect(FileManager.default.contents(atPath: path) == text)
    }

    @Test func aFolderIsNotALedger() throws {
        let dir = Fixtures.temporaryDirectory().path
        for mode in [SQLiteLedgerStore.OpenMode.existing, .create] {
            #expect(throws: StoreError.cannotOpen(dir, reason: "it is a folder, not a ledger file")) { try SQLiteLedgerStore(path: dir, mode: mode) }
        }
    }

    @Test func aLedgerThatCannotBeCreatedSaysWhy() throws {
        let dir = Fixtures.temporaryDirectory()
        let blocker = dir.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let path = blocker.appendingPathComponent("ledger.sqlite").path
        #expect(throws: StoreError.cannotOpen(path, reason: "cannot create it (\(blocker.path): it is a file, not a folder)")) {
            try SQLiteLedgerStore(path: path, mode: .create)
        }
    }

    // MARK: - Files written with -o

    @Test func aNewOutputFileIsPrivate() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("report.html").path
        try Fixtures.withUmask(0o022) { try PrivateFiles.write(Data("<p>income</p>\n".utf8), to: path) }
        #expect(Fixtures.mode(path) == 0o600)
        #expect(FileManager.default.contents(atPath: path) == Data("<p>income</p>\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.html"])   // no temporary file left
    }

    @Test func anExistingOutputFileKeepsItsMode() throws {
        let dir = Fixtures.temporaryDirectory()
        for mode: mode_t in [0o644, 0o640, 0o600] {
            let path = dir.appendingPathComponent("export-\(String(mode, radix: 8)).csv").path
            try Data("old, longer than the new text\n".utf8).write(to: URL(fileURLWithPath: path))
            #expect(chmod(path, mode) == 0)
            try Fixtures.withUmask(0o077) { try PrivateFiles.write(Data("new\n".utf8), to: path) }
            #expect(Fixtures.mode(path) == mode)
            #expect(FileManager.default.contents(atPath: path) == Data("new\n".utf8))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 3)
    }

    @Test func writingThroughALinkReplacesTheFileItPointsTo() throws {
        let dir = Fixtures.temporaryDirectory()
        let real = dir.appendingPathComponent("real.json").path, link = dir.appendingPathComponent("link.json").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: real))
        #expect(chmod(real, 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        try PrivateFiles.write(Data("[1]".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real)
        #expect(FileManager.default.contents(atPath: real) == Data("[1]".utf8))
        #expect(Fixtures.mode(real) == 0o644)
    }

    @Test func anOutputInAMissingFolderFailsAndLeavesNothing() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("missing/report.csv").path
        #expect(throws: PrivateFileError(path: path, reason: "no such file or directory")) { try PrivateFiles.write(Data("x".utf8), to: path) }
        #expect(throws: PrivateFileError(path: dir.path, reason: "it is a folder")) { try PrivateFiles.write(Data("x".utf8), to: dir.path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
