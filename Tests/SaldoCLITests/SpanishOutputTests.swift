import Foundation
import Testing
import SaldoCLI
import SaldoTestSupport

/// Saldo in Spanish (issue #15): every report in every human format against goldens in
/// fixtures/cli/es/, machine formats byte-identical to English, the demo told in Spanish.
@Suite struct SpanishOutputTests {
    static let human = ["table": "txt", "markdown": "md", "html": "html"]

    @Test(arguments: Engine.available, ReportGoldenTests.reports.map(\.name))
    func everyHumanFormatMatchesItsSpanishGolden(engine: Engine, _ name: String) throws {
        let args = ReportGoldenTests.reports.first { $0.name == name }!.args
        let ledger = demoLedger(on: engine)
        for (format, ext) in Self.human.sorted(by: { $0.key < $1.key }) {
            let r = SaldoCLI.capture(["--lang", "es"] + args + ["--format", format, "--ledger", ledger])
            #expect(r.status == 0, "\(name) \(format) on \(engine): \(r.err)")
            if let diff = Fixtures.compareGolden(normalisedOutput(r.out, ledger: ledger), "cli/es/\(name).\(ext)") { Issue.record("on \(engine): \(diff)") }
            if format == "html" { #expect(r.out.contains("<html lang=\"es\">")) }
        }
    }

    /// CSV and JSON are for machines: the same bytes in every language, whichever way it is chosen.
    @Test(arguments: Engine.available, ReportGoldenTests.reports.map(\.name))
    func machineFormatsAreTheSameInSpanish(engine: Engine, _ name: String) throws {
        let args = ReportGoldenTests.reports.first { $0.name == name }!.args
        let ledger = demoLedger(on: engine)
        for (format, ext) in [("csv", "csv"), ("json", "json")] {
            let r = SaldoCLI.capture(args + ["--format", format, "--ledger", ledger], environment: ["LANG": "es_ES.UTF-8"])
            #expect(r.status == 0, "\(name) \(format) on \(engine): \(r.err)")
            if let diff = Fixtures.compareGolden(normalisedOutput(r.out, ledger: ledger), "cli/\(name).\(ext)") { Issue.record("on \(engine): \(diff)") }
        }
    }

    @Test func theLanguageComesFromTheOptionThenTheEnvironment() {
        let args = ["report", "monthly", "--period", "2026", "--ledger", demoLedger]
        #expect(SaldoCLI.capture(args).out.hasPrefix("Monthly earnings\n"))
        #expect(SaldoCLI.capture(args, environment: ["LANG": "es_ES.UTF-8"]).out.hasPrefix("Ingresos mensuales\n"))
        #expect(SaldoCLI.capture(args, environment: ["SALDO_LANG": "es", "LANG": "en_US.UTF-8"]).out.hasPrefix("Ingresos mensuales\n"))
        // The option wins over the environment, before or after the command.
        #expect(SaldoCLI.capture(args + ["--lang", "en"], environment: ["LANG": "es_ES.UTF-8"]).out.hasPrefix("Monthly earnings\n"))
        #expect(SaldoCLI.capture(["--lang=es"] + args).out.hasPrefix("Ingresos mensuales\n"))
        // Spanish amounts: decimal comma, point between thousands.
        #expect(SaldoCLI.capture(["--lang", "es"] + args).out.contains("39.235,95"))
    }

    @Test func anUnknownLanguageIsAUsageErrorThatNamesTheChoices() {
        let r = SaldoCLI.capture(["--lang", "fr", "report", "monthly", "--ledger", demoLedger])
        #expect(r.status == 2)
        #expect(r.err.contains("fr") && r.err.contains("en, es"))
        #expect(SaldoCLI.capture(["report", "monthly", "--lang"]).status == 2)
    }

    /// `LANG=es_ES.UTF-8 saldo demo`: narration, reports, numbers and dates in Spanish.
    @Test func theDemoInSpanish() {
        let r = SaldoCLI.capture(["demo"], environment: ["LANG": "es_ES.UTF-8"])
        #expect(r.status == 0, "\(r.err)")
        if let diff = Fixtures.compareGolden(r.out, "cli/es/demo.txt") { Issue.record("\(diff)") }
        #expect(r.out.contains("Demo de Saldo") && r.out.contains("Cifras a 15 nov 2026."))
    }

    @Test func theDemoInEnglish() {
        let r = SaldoCLI.capture(["demo"], environment: ["LANG": "C.UTF-8"])
        #expect(r.status == 0, "\(r.err)")
        if let diff = Fixtures.compareGolden(r.out, "cli/demo.txt") { Issue.record("\(diff)") }
    }
}

/// The outputs whose only human format is the terminal: accounts, rates, the import summary.
@Suite struct SpanishTerminalOutputTests {
    static let commands: [(name: String, args: [String])] = [
        ("accounts", ["accounts"]),
        ("rates-show-usd", ["rates", "show", "USD", "--from", "2026-10-01", "--to", "2026-10-31", "--today", asOf]),
        ("rates-show", ["rates", "show", "--today", asOf]),
    ]

    @Test(arguments: Engine.available, commands.map(\.name))
    func matchesItsSpanishGolden(engine: Engine, _ name: String) {
        let args = Self.commands.first { $0.name == name }!.args
        let ledger = demoLedger(on: engine)
        let r = SaldoCLI.capture(["--lang", "es"] + args + ["--ledger", ledger])
        #expect(r.status == 0, "\(name) on \(engine): \(r.err)")
        if let diff = Fixtures.compareGolden(normalisedOutput(r.out, ledger: ledger), "cli/es/\(name).txt") { Issue.record("on \(engine): \(diff)") }
    }

    @Test func theImportSummaryInSpanish() throws {
        let folder = try #require(DemoCommand.demoFolder)
        let ledger = Fixtures.temporaryDirectory().appendingPathComponent("es-import.sqlite").path
        let files = ["paypal-activity-2025-2026.csv", "wise-statement-eur.csv"].map { folder.appendingPathComponent($0).path }
        let r = SaldoCLI.capture(["import", "--dry-run", "--ledger", ledger] + files, environment: ["LANG": "es_ES.UTF-8"])
        #expect(r.status == 0, "\(r.err)")
        // File names as printed (relative to the working directory), without the build folder.
        let text = r.out.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.range(of: "Demo/").map { "✓ " + line[$0.upperBound...] } ?? String(line)
        }.joined(separator: "\n")
        if let diff = Fixtures.compareGolden(text, "cli/es/import-dry-run.txt") { Issue.record("\(diff)") }
        #expect(text.contains("simulación: no se ha escrito nada"))
    }
}

/// Help in Spanish, where it goes through the catalog so far: the root command, `--lang`, the demo.
@Suite struct SpanishHelpTests {
    @Test func theRootAndTheDemoExplainThemselvesInSpanish() {
        let root = SaldoCLI.capture(["--lang", "es", "--help"])
        #expect(root.out.contains("Herramienta de ingresos para autónomos"), "\(root.out)")
        #expect(root.out.contains("--lang <idioma>"))
        let demo = SaldoCLI.capture(["demo", "--help"], environment: ["LANG": "es_ES.UTF-8"])
        #expect(demo.out.contains("Ejemplos:") && demo.out.contains("Conserva el libro de la demo"), "\(demo.out)")
        let english = SaldoCLI.capture(["--help"], environment: ["LANG": "en_GB.UTF-8"])
        #expect(english.out.contains("Income toolkit for freelancers paid across platforms and currencies."))
        #expect(english.out.contains("--lang <language>"))
    }
}
