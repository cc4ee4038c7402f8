import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoStore
import SaldoTestSupport

/// Import sessions (the web app's upload → preview → commit): display names, decisions, and the
/// preview being the same import as the commit.
@Suite struct ImportSessionTests {
    @Test(arguments: [
        ("../../etc/passwd", "passwd"), ("..\\x.csv", "x.csv"), ("C:\\Users\\me\\paypal.csv", "paypal.csv"),
        ("statement\u{202E}vsc.exe", "statementvsc.exe"), ("a\u{0}b\u{7}\tc.csv", "abc.csv"), ("", "upload"), ("..", "upload"),
        ("/", "upload"), ("C:", "upload"), ("  wise.csv  ", "wise.csv"), ("extracto año.csv", "extracto año.csv"),
    ])
    func displayNamesAreSanitized(_ name: String, _ shown: String) {
        #expect(ImportSessions.displayName(name) == shown)
    }

    @Test func aVeryLongNameIsShortened() {
        let shown = ImportSessions.displayName(String(repeating: "x", count: 500) + ".csv")
        #expect(shown.count == 120)
        #expect(shown.hasSuffix(".csv"))
    }

    @Test func previewCommitCancelAndLeftovers() throws {
        let dir = Fixtures.temporaryDirectory()
        let uploads = dir.appendingPathComponent("uploads")
        let ledger = LedgerLocation(path: dir.appendingPathComponent("ledger.sqlite").path)
        try FileManager.default.createDirectory(at: uploads, withIntermediateDirectories: true)
        // A leftover of an earlier run is removed; other files are left alone.
        FileManager.default.createFile(atPath: uploads.appendingPathComponent("saldo-upload-old").path, contents: Data("x".utf8))
        FileManager.default.createFile(atPath: uploads.appendingPathComponent("mine.txt").path, contents: Data("x".utf8))
        let sessions = try ImportSessions(folder: uploads.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path) == ["mine.txt"])

        let file = try #require(Demo.folder).appendingPathComponent("upwork-transactions.csv")
        let s = sessions.start(clientName: "../upwork.csv")
        try FileManager.default.copyItem(at: file, to: s.storedAt)
        sessions.received(s.id, bytes: 1)
        sessions.preview(s.id, ledger: ledger, environment: [:])
        let previewed = try sessions.session(s.id)
        #expect(previewed.state == .previewed)
        let preview = try #require(previewed.preview)
        #expect(preview.file == "upwork.csv" && preview.dryRun && preview.new > 0)
        #expect(!FileManager.default.fileExists(atPath: ledger.path))

        // Decisions are checked before anything runs.
        #expect(throws: ImportSessionError.badDecision(field: "decimalMark", expected: "\".\" or \",\"", found: ";")) {
            try sessions.decide(s.id, .init(decimalMark: ";"), environment: [:])
        }
        #expect(throws: ImportSessionError.unknown("nope")) { try sessions.session("nope") }

        let outcome = try sessions.commit(s.id, ledger: ledger, environment: [:])
        #expect(outcome.files.first?.new == preview.new)
        #expect(try ledger.open(.existing).transactionCount() == preview.new)
        #expect(!FileManager.default.fileExists(atPath: s.storedAt.path))
        // A second commit answers the first and writes nothing.
        let again = try sessions.commit(s.id, ledger: ledger, environment: [:])
        #expect(again.files.first?.new == preview.new)
        #expect(try ledger.open(.existing).transactionCount() == preview.new)
        #expect(throws: ImportSessionError.self) { try sessions.cancel(s.id) }

        let c = sessions.start(clientName: "x.csv")
        try FileManager.default.copyItem(at: file, to: c.storedAt)
        try sessions.cancel(c.id)
        #expect(try sessions.session(c.id).state == .cancelled)
        #expect(!FileManager.default.fileExists(atPath: c.storedAt.path))
        #expect(sessions.list().map(\.state) == [.committed, .cancelled])
    }

    @Test func closingRemovesTheUploadsAndTheFolderItMade() throws {
        let sessions = try ImportSessions(folder: nil)
        let s = sessions.start(clientName: "a.csv")
        #expect(FileManager.default.createFile(atPath: s.storedAt.path, contents: Data("x".utf8)))
        var info = stat()
        #expect(stat(sessions.folder.path, &info) == 0 && info.st_mode & 0o777 == 0o700)
        sessions.close()
        #expect(!FileManager.default.fileExists(atPath: s.storedAt.path))
        #expect(!FileManager.default.fileExists(atPath: sessions.folder.path))
    }
}
