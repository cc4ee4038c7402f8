import Foundation
import SaldoTestSupport
import Testing

/// Finds user-facing sentences written as string literals in Swift source: a literal (or a line
/// of a multi-line literal) that, once its interpolations and markup are taken out, holds two
/// words in a row. Words a person reads belong in the catalog
/// (`Sources/SaldoCore/Localization/Catalog/<language>/*.json`); what remains must be on the
/// allow-list (`fixtures/lint/user-facing-strings.allow`) with the reason.
struct UserFacingStringLint {
    struct Finding: Hashable, CustomStringConvertible {
        var file: String
        var line: Int
        var literal: String
        var description: String { "\(file):\(line): \"\(literal)\"" }
    }

    /// Lines whose literals are command-line help (abstracts, discussions, option help): allowed
    /// as a group by the allow-list's `context:` rules.
    var allowedContexts: [String] = []
    /// `file|literal` pairs allowed one by one.
    var allowed: Set<String> = []

    init(allowList text: String) {
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("context: ") { allowedContexts.append(String(line.dropFirst(9))); continue }
            allowed.insert(line)
        }
    }

    /// The literals of `source` (named `file`) that read like sentences and are not allowed.
    func findings(in source: String, file: String) -> [Finding] {
        var out: [Finding] = []
        var multiline: (open: Bool, allowed: Bool) = (false, false)
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let inContext = allowedContexts.contains { trimmed.contains($0) }
            if multiline.open {
                if trimmed.hasPrefix("\"\"\"") { multiline = (false, false); continue }
                if !multiline.allowed && Self.readsLikeASentence(trimmed) && !isAllowed(file, trimmed) {
                    out.append(Finding(file: file, line: index + 1, literal: trimmed))
                }
                continue
            }
            if trimmed.hasPrefix("//") { continue }
            if trimmed.hasSuffix("\"\"\"") && !trimmed.hasPrefix("\"\"\"") || trimmed == "\"\"\"" {
                multiline = (true, inContext); continue
            }
            if inContext { continue }
            for literal in Self.literals(in: String(line)) where Self.readsLikeASentence(literal) && !isAllowed(file, literal) {
                out.append(Finding(file: file, line: index + 1, literal: literal))
            }
        }
        return out
    }

    func isAllowed(_ file: String, _ literal: String) -> Bool { allowed.contains(file + "|" + literal) }

    /// The contents of the one-line string literals of a line, escapes kept as written.
    static func literals(in line: String) -> [String] {
        var out: [String] = []
        var chars = Array(line)
        if let comment = line.range(of: " //") { chars = Array(line[..<comment.lowerBound]) }
        var i = 0
        while i < chars.count {
            guard chars[i] == "\"" else { i += 1; continue }
            var j = i + 1, depth = 0
            var literal = ""
            while j < chars.count {
                let c = chars[j]
                if c == "\\" && j + 1 < chars.count {
                    if chars[j + 1] == "(" { depth += 1 }
                    literal.append(c); literal.append(chars[j + 1]); j += 2; continue
                }
                if depth > 0 {
                    if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
                    literal.append(c); j += 1; continue
                }
                if c == "\"" { break }
                literal.append(c); j += 1
            }
            out.append(literal)
            i = j + 1
        }
        return out
    }

    /// Two words of two or more letters in a row, once interpolations, escapes and markup are gone.
    static func readsLikeASentence(_ literal: String) -> Bool {
        var text = ""
        var depth = 0, tag = false
        var chars = Array(literal)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "\\", let next = chars.first {
                chars = chars.dropFirst()
                if next == "(" { depth += 1 }
                text.append(" ")
                continue
            }
            if depth > 0 { if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }; continue }
            if c == "<" { tag = true; continue }
            if c == ">" && tag { tag = false; text.append(" "); continue }
            if !tag { text.append(c) }
        }
        var run = 0, letters = 0
        for c in text + " " {
            if c.isLetter { letters += 1; continue }
            if letters >= 2 { run += 1; if run >= 2 { return true } } else if letters > 0 || !(c == " " || c == "," || c == ":" || c == ";") { run = 0 }
            letters = 0
            if !(c == " " || c == "," || c == ":" || c == ";") { run = 0 }
        }
        return false
    }
}

@Suite struct UserFacingStringLintTests {
    static let targets = ["Sources/SaldoReports", "Sources/SaldoCLI"]

    var lint: UserFacingStringLint {
        get throws { UserFacingStringLint(allowList: try Fixtures.text("lint/user-facing-strings.allow")) }
    }

    @Test func noUserFacingSentenceOutsideTheCatalog() throws {
        let lint = try lint
        var findings: [UserFacingStringLint.Finding] = []
        for target in Self.targets {
            let dir = Fixtures.root.appendingPathComponent(target)
            let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
            #expect(!files.isEmpty, "no sources under \(target)")
            for url in files.sorted(by: { $0.path < $1.path }) {
                let source = try String(contentsOf: url, encoding: .utf8)
                findings += lint.findings(in: source, file: url.lastPathComponent)
            }
        }
        #expect(findings.isEmpty, """
            user-facing text outside the catalog: put it in Sources/SaldoCore/Localization/Catalog/{en,es}/*.json, \
            or allow it in fixtures/lint/user-facing-strings.allow with the reason:
            \(findings.map(\.description).joined(separator: "\n"))
            """)
    }

    /// The allow-list only shrinks: an entry whose literal is gone from its file (now in the
    /// catalog) must go too.
    @Test func everyAllowedLiteralIsStillInItsFile() throws {
        let lint = try lint
        var sources: [String: [String]] = [:]
        for target in Self.targets {
            let dir = Fixtures.root.appendingPathComponent(target)
            let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
            for url in files { sources[url.lastPathComponent, default: []].append(try String(contentsOf: url, encoding: .utf8)) }
        }
        let stale = lint.allowed.filter { entry in
            let parts = entry.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return true }
            return !(sources[parts[0]] ?? []).contains { $0.contains(parts[1]) }
        }
        #expect(stale.isEmpty, "allow-list entries no source holds any more (remove them): \(stale.sorted())")
    }

    /// The lint itself: a new hard-coded sentence fails; catalog keys, ids, markup and formats pass.
    @Test func aNewHardCodedSentenceIsCaught() throws {
        let lint = try lint
        let sample = """
            let title = L("report.monthly.title")
            let column = ReportColumn("gross_eur", L("report.column.gross_in", args), cur)
            out += "<section class=\\"table\\">\\n"
            let n = String(format: "%.4f", x)
            notes.append("Amounts were converted at \\(rate) today.")
            let t = ReportDocument(title: "Monthly earnings")
            // A comment with several words is fine.
            """
        let found = lint.findings(in: sample, file: "Sample.swift")
        #expect(found.map(\.literal) == ["Amounts were converted at \\(rate) today.", "Monthly earnings"])
        #expect(found.map(\.line) == [5, 6])
        let multiline = "let d = prose(\"\"\"\n    Saldo imports platform statements.\n    \"\"\")\n"
        #expect(lint.findings(in: multiline, file: "Sample.swift").map(\.line) == [2])
        let help = "    discussion: prose(\"\"\"\n    Saldo imports platform statements.\n    \"\"\")\n"
        #expect(lint.findings(in: help, file: "Sample.swift").map(\.line) == [2], "help text belongs in the catalog too")
        let example = "    discussion: example(\"saldo report monthly --period 2026\")) }\n"
        #expect(lint.findings(in: example, file: "Sample.swift").isEmpty, "a command line is allowed by a context rule")
        #expect(UserFacingStringLint(allowList: "Sample.swift|Monthly earnings").findings(in: sample, file: "Sample.swift").map(\.line) == [5])
    }
}
