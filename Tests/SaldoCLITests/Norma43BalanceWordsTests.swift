import Foundation
import Testing
import SaldoCore
import SaldoCLI
import SaldoTestSupport

/// A Norma 43 totals record whose closing balance the ledger does not reach is said with its money
/// grouped, in the reader's language (it wrote "1236997.90 EUR" and a difference without currency).
@Suite struct Norma43BalanceWordsTests {
    /// The two-account fixture with the first account's final balance (record 33, positions 60-73)
    /// raised by 1,234,567.89.
    func brokenStatement() throws -> String {
        // Bytes, not characters: the file's lines end in CR LF, one Swift character.
        var bytes = [UInt8](try Fixtures.data("statements/norma43/saldo-norma43-two-accounts.n43"))
        var start = 0
        while !(bytes[start] == UInt8(ascii: "3") && bytes[start + 1] == UInt8(ascii: "3")) {
            start = try #require(bytes[start...].firstIndex(of: 10)) + 1
        }
        let final = try #require(Int64(String(decoding: bytes[(start + 59)..<(start + 73)], as: UTF8.self)))
        bytes.replaceSubrange((start + 59)..<(start + 73), with: Array(String(final + 123_456_789).leftPadded(to: 14).utf8))
        let url = Fixtures.temporaryDirectory().appendingPathComponent("broken.n43")
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func theClosingBalanceBreakIsGroupedInBothLanguages() throws {
        let file = try brokenStatement()
        let en = SaldoCLI.capture(["import", file, "--ledger", Fixtures.temporaryDirectory().appendingPathComponent("en.sqlite").path])
        #expect(en.out.contains("the totals record states 1,236,997.90 EUR, but the opening balance 1,000.00 EUR plus what the ledger holds for the account's movements gives 2,430.01 EUR (difference 1,234,567.89 EUR)"), "\(en.out)")
        let es = SaldoCLI.capture(["--lang", "es", "import", file, "--ledger", Fixtures.temporaryDirectory().appendingPathComponent("es.sqlite").path])
        #expect(es.out.contains("el registro de totales indica 1.236.997,90 €, pero el saldo de apertura 1.000,00 € más lo que el libro tiene para los movimientos de la cuenta da 2.430,01 € (diferencia 1.234.567,89 €)"), "\(es.out)")
    }
}

private extension String {
    func leftPadded(to n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
