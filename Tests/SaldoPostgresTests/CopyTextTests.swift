import Foundation
@testable import SaldoPostgres
import SaldoStore
import SaldoTestSupport
import Testing

@Suite struct CopyTextTests {
    @Test func escapesTheFourSpecialBytesAndWritesNull() {
        var e = CopyTextEncoder()
        e.text("a\\b\tc\nd\re"); e.text(nil); e.text(""); e.int(-12); e.bool(true); e.endRow()
        #expect(String(decoding: e.bytes, as: UTF8.self) == "a\\\\b\\tc\\nd\\re\t\\N\t\t-12\tt\n")
    }

    /// Random texts over an alphabet of every byte COPY treats specially (and look-alikes such as
    /// a literal `\N`), copied into PostgreSQL and read back: each value comes back unchanged.
    @Test(.enabled(if: Engine.postgresAvailable, Comment(rawValue: Engine.postgresMissing)), arguments: [1, 2, 3, 4])
    func roundTripsThroughPostgreSQL(seed: Int) throws {
        try Engine.migrated.get()
        var g = SplitMix(state: UInt64(seed))
        let alphabet = ["\\", "\t", "\n", "\r", "N", "\\N", "\\.", ".", "é", "☕", ",", "\"", "'", " ", "a", "0", "\u{1}", "\u{7f}", "𝄞"]
        let values: [String?] = (0..<500).map { _ in
            if Int.random(in: 0..<10, using: &g) == 0 { return nil }
            return (0..<Int.random(in: 0...12, using: &g)).map { _ in alphabet.randomElement(using: &g)! }.joined()
        }
        var e = CopyTextEncoder()
        for (i, v) in values.enumerated() { e.int(Int64(i)); e.text(v); e.endRow() }
        let s = try PGSession(try PostgresLocation(url: Engine.appURL!))
        let back = try s.transaction(workspace: nil) { tx -> [String?] in
            try tx.run("CREATE TEMPORARY TABLE copy_check (n bigint, v text) ON COMMIT DROP")
            try tx.copy(into: "copy_check", columns: ["n", "v"], data: e.bytes)
            return try tx.query("SELECT v FROM copy_check ORDER BY n").map { try $0.decode(String?.self) }
        }
        #expect(back == values)
    }
}
