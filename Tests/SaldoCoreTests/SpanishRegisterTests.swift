import Foundation
import Testing
@testable import SaldoCore

/// One register and one vocabulary in Spanish (issue #15, third part): Saldo speaks to the reader
/// as "tú" everywhere, and the web pages use the glossary's words (docs/glossary.md) like the
/// command line: "divisa", "fichero", "libro".
@Suite struct SpanishRegisterTests {
    /// Imperatives and pronouns of "usted" that have a "tú" form Saldo uses instead.
    static let ustedWords = ["usted", "ustedes", "elija", "pulse", "compruebe", "indique", "seleccione", "revise", "vuelva", "añada",
                             "suba", "escriba", "guarde", "consulte", "cambie", "abra", "espere", "asegúrese", "inténtelo", "descargue"]

    static func spanishFiles() throws -> [(name: String, entries: [String: String])] {
        let dir = try #require(Catalog.folder).appendingPathComponent("es", isDirectory: true)
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
            .map { ($0.lastPathComponent, try JSONDecoder().decode([String: String].self, from: Data(contentsOf: $0))) }
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
    }

    @Test func everySpanishTextSaysTuNotUsted() throws {
        var found: [String] = []
        for file in try Self.spanishFiles() {
            for (key, text) in file.entries {
                let hits = Set(Self.words(text)).intersection(Self.ustedWords)
                if !hits.isEmpty { found.append("\(file.name) \(key): \(hits.sorted()) in \(text)") }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func theWebPagesUseTheGlossaryWords() throws {
        let avoid = ["moneda": "divisa", "monedas": "divisas", "archivo": "fichero", "archivos": "ficheros", "contabilidad": "libro"]
        var found: [String] = []
        for file in try Self.spanishFiles() where file.name.hasPrefix("web") {
            for (key, text) in file.entries {
                for w in Self.words(text) { if let better = avoid[w] { found.append("\(file.name) \(key): \"\(w)\" (the glossary says \"\(better)\")") } }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func theCheckFindsUsted() {
        #expect(!Set(Self.words("Elija un fichero y pulse Importar")).intersection(Self.ustedWords).isEmpty)
        #expect(Set(Self.words("Elige un fichero y pulsa Importar")).intersection(Self.ustedWords).isEmpty)
    }
}
