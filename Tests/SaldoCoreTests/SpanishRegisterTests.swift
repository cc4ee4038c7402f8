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

    /// Every Spanish text, CLI and web alike (a zip "archivo", an archive, is another word).
    @Test func everyTextUsesTheGlossaryWords() throws {
        let avoid = ["moneda": "divisa", "monedas": "divisas", "archivo": "fichero", "archivos": "ficheros", "contabilidad": "libro"]
        // Where the other word is a name, not Saldo's choice: CFDI's own field, Numbers' menu, an archive.
        let named: Set<String> = ["diag.invoice.missing.missing_moneda", "diag_hint.import.numbers.numbers_choose_file_export",
                                  "diag_hint.fx.zip.unzip_archive_import_csv"]
        var found: [String] = []
        for file in try Self.spanishFiles() {
            for (key, text) in file.entries where !named.contains(key) {
                let words = Self.words(text)
                for (i, w) in words.enumerated() {
                    guard let better = avoid[w] else { continue }
                    if w.hasPrefix("archivo"), i + 1 < words.count, ["zip", "comprimido"].contains(words[i + 1]) { continue }
                    found.append("\(file.name) \(key): \"\(w)\" (the glossary says \"\(better)\")")
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func theCheckFindsUsted() {
        #expect(!Set(Self.words("Elija un fichero y pulse Importar")).intersection(Self.ustedWords).isEmpty)
        #expect(Set(Self.words("Elige un fichero y pulsa Importar")).intersection(Self.ustedWords).isEmpty)
    }
}
