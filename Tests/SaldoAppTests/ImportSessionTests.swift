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

    /// Choosing the same file twice before importing it gives one upload, not two cards; the same
    /// size with other bytes, another book, or a file already cancelled are new uploads.
    @Test func theSameBytesWhileWaitingAreOneUpload() throws {
        let sessions = try ImportSessions(folder: nil)
        defer { sessions.close() }
        func upload(_ name: String, _ text: String, book: String = "") -> (mine: ImportSessions.Session, answer: ImportSessions.Session?) {
            let s = sessions.start(clientName: name, book: book)
            FileManager.default.createFile(atPath: s.storedAt.path, contents: Data(text.utf8))
            return (s, sessions.received(s.id, bytes: text.utf8.count))
        }
        let text = String(repeating: "Date,Amount\n2026-01-02,10.00\n", count: 50_000)  // > 1 MiB: compared in pieces
        let a = upload("a.csv", text)
        #expect(a.answer?.id == a.mine.id)

        let b = upload("b.csv", text)
        #expect(b.answer?.id == a.mine.id, "the same bytes answer the waiting upload")
        #expect(throws: ImportSessionError.unknown(b.mine.id)) { try sessions.session(b.mine.id) }
        #expect(!FileManager.default.fileExists(atPath: b.mine.storedAt.path), "the second copy is deleted")
        #expect(FileManager.default.fileExists(atPath: a.mine.storedAt.path))

        var other = text; other.removeLast(2); other += "1\n"  // same size, last byte differs
        #expect(other.utf8.count == text.utf8.count)
        let c = upload("c.csv", other)
        #expect(c.answer?.id == c.mine.id, "same size, other bytes: a new upload")

        let d = upload("a.csv", text, book: "client-7")
        #expect(d.answer?.id == d.mine.id, "another book never sees this book's uploads")

        // The earlier of two copies whose bytes arrive together answers; never each the other.
        let x = sessions.start(clientName: "x.csv"), y = sessions.start(clientName: "y.csv")
        for s in [x, y] { FileManager.default.createFile(atPath: s.storedAt.path, contents: Data("x".utf8)) }
        sessions.received(x.id, bytes: 0)  // not whole yet: its size is not known
        sessions.received(y.id, bytes: 1)
        #expect(sessions.received(x.id, bytes: 1)?.id == x.id, "the earlier upload never gives way to a later one")
        #expect(try sessions.session(y.id).id == y.id)
        for s in [x, y] { try sessions.cancel(s.id) }

        try sessions.cancel(a.mine.id)
        let e = upload("a.csv", text)
        #expect(e.answer?.id == e.mine.id, "a cancelled upload is not waiting")
        #expect(sessions.list(book: "").map(\.id) == [a.mine.id, c.mine.id, x.id, y.id, e.mine.id])
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
