import Foundation
import Testing
import SaldoTestSupport

/// The golden comparison itself: a missing golden fails unless recording, and a recording that cannot
/// write fails too.
@Suite struct GoldenComparisonTests {
    @Test func aMissingGoldenFailsWithItsPathAndHowToRecordIt() throws {
        let u = Fixtures.temporaryDirectory().appendingPathComponent("never-recorded.txt")
        let failure = try #require(Fixtures.compareGolden("text\n", at: u, name: "x/never-recorded.txt", environment: [:]))
        #expect(failure.contains(u.path))
        #expect(failure.contains("SALDO_UPDATE_GOLDENS=1"))
        #expect(!FileManager.default.fileExists(atPath: u.path), "a comparison must not create the golden")
        // Any value other than 1 is not recording.
        #expect(Fixtures.compareGolden("text\n", at: u, name: "x", environment: ["SALDO_UPDATE_GOLDENS": "0"]) != nil)
    }

    @Test func recordingWritesTheGoldenAndThenItMatches() throws {
        let u = Fixtures.temporaryDirectory().appendingPathComponent("sub/new.txt")
        #expect(Fixtures.compareGolden("text\n", at: u, name: "new", environment: ["SALDO_UPDATE_GOLDENS": "1"]) == nil)
        #expect(try String(contentsOf: u, encoding: .utf8) == "text\n")
        #expect(Fixtures.compareGolden("text\n", at: u, name: "new", environment: [:]) == nil)
        #expect(Fixtures.compareGolden("other\n", at: u, name: "new", environment: [:])?.contains("differs at line 1") == true)
    }

    @Test func aRecordingThatCannotWriteFails() throws {
        // The golden's folder would have to be a regular file: no write can succeed, even as root.
        let dir = Fixtures.temporaryDirectory()
        let blocker = dir.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: blocker)
        let u = blocker.appendingPathComponent("golden.txt")
        let failure = try #require(Fixtures.compareGolden("text\n", at: u, name: "golden.txt", environment: ["SALDO_UPDATE_GOLDENS": "1"]))
        #expect(failure.contains("cannot write"))
        #expect(failure.contains(u.path))
    }
}
