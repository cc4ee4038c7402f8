import Foundation
import Testing
import SaldoCore
import SaldoImport
import SaldoCLI

/// `saldo profiles show` in Spanish: every label Saldo writes reads Spanish; the profile's own words
/// (column names, statuses, rule values, role identifiers) stay as the profile writes them.
@Suite struct SpanishProfileShowTests {
    static let englishLabels = ["institution:", "columns:", "amounts:", "decimal mark:", "imported statuses:", "rule:", "category:",
                                "ids:", "evidence:", "(* = required", "detected by:", "accounts:", "dates:", "checks:", "dedup:",
                                "not claimed when", "inferred per file"]

    @Test(arguments: BuiltinProfiles.all.map(\.name) + ["norma43", "mt940", "mt942", "qif"])
    func everyLabelReadsSpanish(_ name: String) throws {
        let spanish = try #require(ProfileRegistry.show(name, in: .shipped(.es)))
        let english = try #require(ProfileRegistry.show(name, in: .shipped(.en)))
        #expect(spanish != english)
        for line in spanish.split(separator: "\n").dropFirst() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("*") || line.hasPrefix("     ") { continue }   // a column: role and the file's own names
            for label in Self.englishLabels { #expect(!text.contains(label), "\(name): \(text)") }
        }
        // The same number of lines: nothing dropped or added by the translation.
        #expect(spanish.split(separator: "\n").count == english.split(separator: "\n").count)
    }

    @Test func theCommandFollowsTheLanguage() {
        let es = SaldoCLI.capture(["profiles", "show", "wise-statement"], environment: ["LANG": "es_ES.UTF-8"])
        #expect(es.status == 0)
        #expect(es.out.contains("columnas:") && es.out.contains("(* = obligatoria para reclamar un fichero)"), "\(es.out)")
        let en = SaldoCLI.capture(["profiles", "show", "wise-statement"])
        #expect(en.out.contains("columns:") && en.out.contains("(* = required to claim a file)"))
    }
}
