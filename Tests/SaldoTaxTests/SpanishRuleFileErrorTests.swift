import Foundation
import SaldoCore
import SaldoTestSupport
import Testing
@testable import SaldoTax

/// A problem in a rule file, as the tax commands now raise it (its diagnostic: position, JSON path,
/// code, hint), reads Spanish whole: the sentence, what was expected and the hint.
@Suite struct SpanishRuleFileErrorTests {
    @Test func aWrongFormatVersionIsSaidInSpanish() throws {
        let url = Fixtures.temporaryDirectory().appendingPathComponent("reglas.json")
        try #"{"format_version": "0.1"}"#.write(to: url, atomically: true, encoding: .utf8)
        var thrown: RuleFileError?
        do { _ = try TaxRules.load(contentsOf: url) } catch { thrown = error }
        let d = try #require(thrown).diagnostic
        #expect(d.message == #"expected format version "1", found "0.1""#, "\(d.message)")
        let es = d.text(in: .shipped(.es))
        #expect(es.contains(#"se esperaba la versión de formato "1", se encontró "0.1" [tax.rules]"#), "\(es)")
        #expect(!es.contains("hint:") && es.contains("sugerencia: "), "\(es)")
    }
}
