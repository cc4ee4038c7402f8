import Testing
import PropertyBased
import SaldoCore

/// Searches compare letters without case and accents, by one table both engines apply.
@Suite struct SearchFoldingTests {
    @Test func spanishAndBankWritingFoldTogether() {
        #expect(SearchFolding.fold("Lucía") == "lucia")
        #expect(SearchFolding.fold("CONVERSIÓN") == SearchFolding.fold("conversion"))
        #expect(SearchFolding.fold("Pago exprés — Ñandú, Łódź") == "pago expres — nandu, lodz")
        #expect(SearchFolding.fold("100%_ ☕ 東京") == "100%_ ☕ 東京", "what the table lacks stays")
        #expect(SearchFolding.from.unicodeScalars.count == SearchFolding.to.unicodeScalars.count)
        #expect(Set(SearchFolding.from.unicodeScalars).count == SearchFolding.from.unicodeScalars.count, "no letter twice")
        #expect(!SearchFolding.from.contains("'") && !SearchFolding.to.contains("'"), "safe inside an SQL literal")
    }

    @Test func foldingIsIdempotentAndKeepsLength() async {
        let alphabet = Array("aAbBzZ áÁéÉíÍóÓúÚñÑüÜçÇ-_%'\u{301}☕東".unicodeScalars)
        await propertyCheck(input: Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...200)) { picks in
            let s = String(String.UnicodeScalarView(picks.map { alphabet[$0] }))
            let f = SearchFolding.fold(s)
            #expect(SearchFolding.fold(f) == f)
            #expect(f.unicodeScalars.count == s.unicodeScalars.count, "one scalar for one scalar, as PostgreSQL's translate")
        }
    }
}
