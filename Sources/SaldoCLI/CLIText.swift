import Foundation
import ArgumentParser
import SaldoApp
import SaldoReports
import SaldoCore

/// How the command line says what the application layer leaves to the front end: the commands
/// that fix a problem.
enum CLIText {
    /// The message and what to do: the error's hint followed by the command that does it (for a
    /// missing ledger, the commands that start one).
    /// In the run's language: messages and hints made from an `error.*` template of the catalog
    /// are shown from it (others as they are), the commands from `cli.fix.*`.
    static func describe(_ e: UserError) -> String {
        let L = Console.catalog
        let message = L.translating(e.message, keyPrefix: "error.")
        var hint = e.hint.map { L.translating($0, keyPrefix: "error.") }
        if let f = e.fix {
            hint = f == .startLedger ? command(f) : (hint.map { "\($0) (\(command(f)))" } ?? command(f))
        }
        return hint.map { "\(message)\n  \(L.text("cli.hint_label")) \($0)" } ?? message
    }

    static func command(_ fix: Fix) -> String {
        let L = Console.catalog
        switch fix {
        case .startLedger: return L.text("cli.fix.start_ledger")
        case .importStatements: return L.text("cli.fix.import_statements")
        case .setSetting(let key, let example): return L.text("cli.fix.set_setting", ["key": key.rawValue, "example": example])
        case .importRates: return L.text("cli.fix.import_rates")
        case .chooseProfile: return L.text("cli.fix.choose_profile")
        case .chooseJurisdiction: return L.text("cli.fix.choose_jurisdiction")
        case .chooseInvoice: return L.text("cli.fix.choose_invoice")
        case .seeReports(let period): return L.text("cli.fix.see_reports", ["period": period])
        }
    }
}

extension CLIText {
    /// The commands and options that do what a library's hint says, by diagnostic code: the
    /// libraries say what to do in domain words, the command line says how.
    static func commandHints(_ L: Catalog) -> [String: String] { [
        "import.rates": L.text("cli.hint.rates_import"),
        "csv.date": "--date-format",
        "csv.decimal-mark": L.text("cli.hint.decimal_mark"),
        "csv.date-format": L.text("cli.hint.date_format"),
        "import.option": "--date-format dd/mm/yyyy|mm/dd/yyyy|yyyy-mm-dd, --decimal-mark point|comma",
        "fx.missing-rate": L.text("cli.fix.import_rates"),
    ] }

    /// How the import summary says which option overrides an inferred convention.
    static let importOverrides = ["date-order": "--date-format", "decimal-mark": "--decimal-mark", "verbose": "use --verbose"]

    /// A diagnostic with the command that does what its hint says, in `L`'s language (the run's
    /// for the terminal; English for JSON, which is the same in every language).
    static func withCommand(_ d: Diagnostic, in L: Catalog = Console.catalog) -> Diagnostic {
        var d = d
        // The library's hint in that language first; the command follows it.
        if L.language != .en { d.hint = d.localizedHint(in: L) }
        if d.code == "csv.profile" {
            // Several profiles claim it: the option that chooses; none does: the command that explains.
            let extra = d.message.hasPrefix("several") ? L.text("cli.fix.choose_profile") : L.text("cli.hint.profiles_check")
            d.hint = d.hint.map { "\($0) (\(extra))" } ?? extra
        } else if let extra = commandHints(L)[d.code] { d.hint = d.hint.map { "\($0) (\(extra))" } ?? extra }
        return d
    }

    /// The summary with each problem's hint followed by the command that does it.
    static func withCommands(_ summary: FileImportSummary, in L: Catalog = Console.catalog) -> FileImportSummary {
        var s = summary
        s.problems = s.problems.map { withCommand($0, in: L) }
        return s
    }

    /// Import summaries as a document, with the commands and options the command line offers.
    /// `json`: for `--format json`, whose fields are English in every language (as every JSON
    /// Saldo writes; `code` says which problem it is).
    static func importDocument(_ summaries: [FileImportSummary], verbose: Bool, color: Bool, json: Bool = false) -> ImportSummaryDocument {
        let L = json ? Catalog.shipped(.en) : Console.catalog
        return ImportSummaryDocument(files: summaries.map { withCommands($0, in: L) }, verbose: verbose, color: color, overrides: importOverrides)
    }

    /// An import summary as the terminal shows it.
    static func importText(_ summary: FileImportSummary, verbose: Bool, color: Bool) -> String {
        withCommands(summary).text(verbose: verbose, color: color, overrides: importOverrides, catalog: Console.catalog)
    }
}

extension CLIText {
    /// The parser's first line without its "Error:" label (read back by its catalog template), or nil
    /// when the parser's text does not start with an error.
    static func parserError(_ english: String) -> String? {
        let errorLabel = Catalog.shipped(.en).text("argparser.line.error") + " "
        guard let line = english.split(separator: "\n").first, line.hasPrefix(errorLabel) else { return nil }
        return String(line.dropFirst(errorLabel.count))
    }

    /// `saldo export hledger`, `saldo report monthly csv`: an output format typed where the
    /// command takes no argument. When the same command line with `--format` before that word
    /// parses, the hint says so.
    static func formatHint(_ english: String, arguments: [String]) -> String? {
        let formats: Set<String> = ["hledger", "beancount", "csv", "json", "markdown", "html", "text", "table"]
        guard let said = parserError(english).flatMap({ Catalog.recognize($0, keyPrefix: "argparser.text.unexpected_argument") }),
              let value = said.arguments["argument"] else { return nil }
        guard formats.contains(value.lowercased()), let i = arguments.firstIndex(of: value) else { return nil }
        var fixed = arguments
        fixed[i] = value.lowercased()
        fixed.insert("--format", at: i)
        guard (try? SaldoCommand.parseAsRoot(fixed)) != nil else { return nil }
        let L = Console.catalog
        return "  " + L.text("diag.label.hint") + " " + L.text("cli.hint.format_option", ["value": value.lowercased()])
    }

    /// `saldo reprot monthly`, `saldo report montly`, `saldo tax estimate`: a word typed where a
    /// command group (the root included) takes its subcommand, which the parser then refused. The
    /// hint names the subcommand the word most likely meant (one or two letters off; with the whole
    /// mended line when that parses), else the group's subcommands.
    static func subcommandHint(_ english: String, arguments: [String]) -> String? {
        // Only after the parser refused a word or an option (a group's default subcommand, or the
        // root, meeting the word; or an option the root does not take, met before it).
        guard let message = parserError(english) else { return nil }
        let unexpected = Catalog.recognize(message, keyPrefix: "argparser.text.unexpected_argument")
        guard unexpected != nil || Catalog.recognize(message, keyPrefix: "argparser.text.unknown_option") != nil else { return nil }
        // The words the parser named as unexpected ("'montly'", "'reprot', 'monthly'"), when it named any.
        let named: [String] = unexpected.map { said in
            said.arguments["argument"].map { [$0] } ?? (said.arguments["list"] ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
            }
        } ?? []
        // The first word where a group (the root included) expects a subcommand's name and none is given.
        var command: ParsableCommand.Type = SaldoCommand.self
        var path = ["saldo"]
        var found: Int?
        for (k, word) in arguments.enumerated() {
            if word.hasPrefix("-") || (k > 0 && arguments[k - 1] == "--lang") { continue }
            guard !command.configuration.subcommands.isEmpty else { return nil }
            guard let sub = command.configuration.subcommands.first(where: { $0._commandName == word }) else { found = k; break }
            command = sub
            path.append(word)
        }
        guard let i = found, named.isEmpty || named.contains(arguments[i]) else { return nil }
        let value = arguments[i]
        let names = command.configuration.subcommands.filter { $0.configuration.shouldDisplay }.map { $0._commandName }.filter { $0 != "help" }
        let L = Console.catalog
        let typed = value.lowercased()
        var best: (name: String, distance: Int)?
        for name in names {
            let d = editDistance(typed, name)
            let allowed = min(2, max(1, name.count / 3))
            if d <= allowed, d < (best?.distance ?? Int.max) { best = (name, d) }
        }
        if let name = best?.name {
            // The whole line with the word mended when that parses (`saldo report monthly`), else the command.
            var fixed = arguments
            fixed[i] = name
            let parses = (try? SaldoCommand.parseAsRoot(fixed)) != nil
            let words = parses ? ["saldo"] + fixed.map { $0.contains(" ") ? "'\($0)'" : $0 } : path + [name]
            return "  " + L.text("diag.label.hint") + " " + L.text("cli.hint.subcommand_meant", ["command": words.joined(separator: " ")])
        }
        return "  " + L.text("diag.label.hint") + " " + L.text("cli.hint.subcommands", ["command": path.joined(separator: " "), "names": names.joined(separator: ", ")])
    }

    /// Levenshtein distance over characters (short words: command names).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var previous = row[0]
            row[0] = i + 1
            for (j, y) in b.enumerated() {
                let next = min(row[j + 1] + 1, row[j] + 1, previous + (x == y ? 0 : 1))
                previous = row[j + 1]
                row[j + 1] = next
            }
        }
        return row[b.count]
    }

    /// What the argument parser prints (help layout, usage errors) in the run's language: its
    /// headings and fixed phrases from `argparser.line.*`/`argparser.phrase.*`, its messages read
    /// back from `argparser.text.*`; the command and option names stay as they are. English is
    /// returned unchanged.
    static func parserText(_ text: String) -> String {
        let L = Console.catalog
        guard L.language != .en else { return text }
        let en = Catalog.shipped(.en)
        let headings = ["overview", "usage_heading", "options", "arguments", "subcommands", "error", "help", "usage"].map {
            (en.text("argparser.line.\($0)"), L.text("argparser.line.\($0)"))
        }
        let phrases = ["show_help", "show_version", "default", "or_choice", "values", "default_value"].map { (en.text("argparser.phrase.\($0)"), L.text("argparser.phrase.\($0)")) }
        return text.components(separatedBy: "\n").map { line -> String in
            var line = line
            for (english, local) in headings where line.hasPrefix(english) {
                let rest = line.dropFirst(english.count)
                let body = rest.drop { $0 == " " }
                let message = L.translating(String(body), keyPrefix: "argparser.text.")
                line = local + String(rest.prefix(rest.count - body.count)) + message
                break
            }
            for (english, local) in phrases where line.contains(english) {
                // A longer phrase takes the spaces after it, so the help's second column stays aligned.
                let longer = local.count - english.count
                let padded = english + String(repeating: " ", count: max(0, longer) + 1)
                line = longer > 0 && line.contains(padded) ? line.replacingOccurrences(of: padded, with: local + " ")
                                                            : line.replacingOccurrences(of: english, with: local)
            }
            line = valueNames(line, L)
            let body = line.drop { $0 == " " }
            if body.count < line.count || line.hasPrefix("See") {
                let indent = String(line.prefix(line.count - body.count))
                let translated = L.translating(String(body), keyPrefix: "argparser.text.")
                if translated != String(body) { line = indent + translated }
            }
            return line
        }.joined(separator: "\n")
    }
}

extension CLIText {
    /// The parser's `<value>` names (`<file>`, `<subcommand>`) from `argparser.value.*`; a longer
    /// name takes the spaces after it, so the help's second column stays aligned.
    static func valueNames(_ line: String, _ L: Catalog) -> String {
        guard line.contains("<") else { return line }
        var out = "", rest = Substring(line)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
            guard let local = L.entries["argparser.value.\(name)"] else { out += "<\(name)>"; continue }
            out += "<\(local)>"
            let longer = local.count - name.count
            let spaces = rest.prefix { $0 == " " }.count
            if longer > 0, spaces > longer { rest = rest.dropFirst(longer) }
            else if longer < 0, spaces >= 2 { out += String(repeating: " ", count: -longer) }
        }
        return out + rest
    }
}

/// Exit statuses: 0 ok, 1 user or input error, 2 usage error, 3 done with caveats or problems found
/// (a balance that does not agree).
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let userError: Int32 = 1
    public static let usage: Int32 = 2
    public static let problemsFound: Int32 = 3
}
