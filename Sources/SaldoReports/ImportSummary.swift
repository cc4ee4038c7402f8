import SaldoCore
import SaldoImport

/// What one file contributed.
public struct FileImportSummary: Sendable {
    public init(file: String, dryRun: Bool) { self.file = file; self.dryRun = dryRun }

    public var file: String
    public var dryRun: Bool
    public var profile: String?
    public var format: String?
    public var rows = 0
    public var new = 0
    public var duplicates = 0
    public var newInvoices = 0
    public var invoiceNumbers: [String] = []
    public var filtered: [FilteredRow] = []
    public var problems: [Diagnostic] = []
    /// Stated balances compared with the ledger.
    public var balanceChecks: Int { balances.checked }
    /// Where a statement import's time went (for `saldo bench import`).
    public var pipelineWaits: PipelineTimes = PipelineTimes()
    /// Seconds from the start of the pipeline to each of its steps.
    public var timeline: [(step: String, seconds: Double)] = []
    /// Breaks to report; a gap also keeps the closing balance out of reach, so it is counted once.
    public var brokenBalances: Int { balances.broken > 0 ? balances.broken : balances.currencies.filter { !$0.agrees }.count }
    /// The ledger against the statement's balances.
    public var balances = BalanceSummary()
    /// Lines of conversion legs booked against equity:conversions:unmatched, waiting for their other leg.
    public var unmatchedLegs: [Int] = []
    /// Legs of earlier imports that this file completed.
    public var pairedLegs = 0
    public var failed = false
    /// The date order and decimal mark the file was read with, and the evidence for each.
    public var dateOrder: ConventionDecision?
    public var decimalMark: ConventionDecision?
    /// The first transactions (or e-invoices) the import writes, or in a dry run would write, in the
    /// order it writes them, each with whether the ledger takes it as new; only when the import is
    /// asked for them (the web app's preview and commit; `saldo import` leaves them empty).
    public var firstRows: [BookedRow] = []
    /// How many more the import writes (or finds already in the ledger) besides ``firstRows``.
    public var moreRows = 0

    public struct Totals: Sendable {
        public var new = 0, duplicates = 0, filtered = 0
        public init() {}
        public mutating func add(_ s: FileImportSummary) { new += s.new; duplicates += s.duplicates; filtered += s.filtered.count }
    }

    /// The text a terminal shows. `overrides` names how the front end lets the user override an
    /// inferred convention (keys `date-order`, `decimal-mark`) and see everything (`verbose`).
    public func text(verbose: Bool, color: Bool, overrides: [String: String] = [:], catalog L: Catalog = .shipped(.en)) -> String {
        let console = Styler(color: color)
        let count = { (n: Int) in L.format.integer(n) }
        var lines: [String] = []
        let what = profile.map { " (\($0))" } ?? ""
        if failed {
            lines.append(console.styled("✗ \(file)\(what): " + L("import.summary.not_imported"), .red))
            let shown = problems.filter { $0.severity != .warning }
            if verbose {
                for p in shown { lines.append("  " + p.text(in: L).replacingOccurrences(of: "\n", with: "\n  ")) }
            } else {
                // The same problem on many rows (a made-up currency code in every row) is said once, with where else.
                var groups: [(first: Diagnostic, lines: [Int])] = []
                for p in shown {
                    if let i = groups.firstIndex(where: { $0.first.message == p.message && $0.first.hint == p.hint && $0.first.location?.field == p.location?.field }) {
                        if let l = p.location?.line { groups[i].lines.append(l) }
                    } else { groups.append((p, [])) }
                }
                for g in groups.prefix(10) {
                    lines.append("  " + g.first.text(in: L).replacingOccurrences(of: "\n", with: "\n  "))
                    if !g.lines.isEmpty {
                        let list = g.lines.prefix(8).map(String.init).joined(separator: ", ")
                        lines.append("    " + L.plural("import.summary.same_on_lines", count: g.lines.count, ["list": list])
                                     + (g.lines.count > 8 ? L("import.summary.and_more", ["count": count(g.lines.count - 8)]) : ""))
                    }
                }
                if groups.count > 10 { lines.append("  " + L("import.summary.more_kinds", ["count": count(groups.count - 10), "how": overrides["verbose"] ?? L("import.summary.verbose_shows_all")])) }
            }
            return lines.joined(separator: "\n")
        }
        var parts = [L.plural("import.summary.new", count: new, ["count": count(new)]),
                     L.plural("import.summary.duplicates", count: duplicates, ["count": count(duplicates)])]
        if !filtered.isEmpty { parts.append(L.plural("import.summary.filtered", count: filtered.count, ["count": count(filtered.count)])) }
        let warnings = problems.filter { $0.severity == .warning }
        if !warnings.isEmpty { parts.append(L.plural("import.summary.warnings", count: warnings.count, ["count": count(warnings.count)])) }
        if balanceChecks > 0 {
            // Said only when the ledger reproduces every stated balance, not when the file agrees with itself.
            if balances.ledgerAgrees { parts.append(L("import.summary.balances_check_out")) }
            else {
                if balances.gaps > 0 { parts.append(L.plural("import.summary.gaps", count: balances.gaps, ["count": count(balances.gaps)])) }
                if balances.closingBreaks > 0 { parts.append(L.plural("import.summary.closing_breaks", count: balances.closingBreaks, ["count": count(balances.closingBreaks)])) }
                if balances.unbooked > 0 { parts.append(L.plural("import.summary.unbooked", count: balances.unbooked, ["count": count(balances.unbooked)])) }
                if balances.broken == 0 { parts.append(L("import.summary.closing_not_reached")) }
            }
        }
        let notes = problems.filter { $0.severity == .note }
        let mark = brokenBalances > 0 ? console.styled("!", .yellow) : console.styled("✓", .green)
        lines.append("\(mark) \(file)\(what): " + parts.joined(separator: ", ") + (dryRun ? " (" + L("import.summary.dry_run") + ")" : ""))
        if !filtered.isEmpty {
            if verbose {
                for f in filtered { lines.append("  " + L("import.summary.filtered_row", ["location": f.location.description, "reason": L.translating(f.reason, keyPrefix: "filter."), "row": f.summary(in: HumanFormat(L.language))])) }
            } else {
                var byReason: [String: Int] = [:]
                for f in filtered { byReason[f.reason, default: 0] += 1 }
                for (r, n) in byReason.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
                    lines.append("  " + L("import.summary.filtered_reason", ["count": count(n), "reason": L.translating(r, keyPrefix: "filter.")]))
                }
            }
        }
        if !unmatchedLegs.isEmpty {
            let list = unmatchedLegs.prefix(8).map(String.init).joined(separator: ", ") + (unmatchedLegs.count > 8 ? L("import.summary.and_more", ["count": count(unmatchedLegs.count - 8)]) : "")
            lines.append("  " + L.plural("import.summary.unmatched_legs", count: unmatchedLegs.count, ["count": count(unmatchedLegs.count), "list": list, "account": ConversionLeg.suspense.path]))
        }
        if pairedLegs > 0 {
            lines.append("  " + L.plural("import.summary.paired_legs", count: pairedLegs, ["count": count(pairedLegs)]))
        }
        lines += conventionLines(verbose: verbose, overrides: overrides, catalog: L)
        if verbose { for n in notes { lines.append("  " + n.text(in: L).replacingOccurrences(of: "\n", with: "\n  ")) } }
        let shownWarnings = verbose || unmatchedLegs.isEmpty ? warnings : warnings.filter { $0.code != "import.conversion" }
        for w in shownWarnings.prefix(verbose ? 1000 : 5) { lines.append("  " + w.text(in: L).replacingOccurrences(of: "\n", with: "\n  ")) }
        if !verbose && shownWarnings.count > 5 { lines.append("  " + L("import.summary.more_warnings", ["count": count(shownWarnings.count - 5), "how": overrides["verbose"] ?? L("import.summary.verbose_shows_all")])) }
        return lines.joined(separator: "\n")
    }

    /// How dates and amounts were read, when Saldo inferred it from the export's language, its row
    /// order or its running balances (`--verbose`: always), with how to override it.
    public func conventionLines(verbose: Bool, overrides: [String: String] = [:], catalog L: Catalog = .shipped(.en)) -> [String] {
        var out: [String] = []
        if let d = dateOrder, verbose || d.wasInferred {
            out.append("  " + L("import.summary.dates_read_as", ["order": d.value, "evidence": L.translating(d.evidence, keyPrefix: "evidence.")])
                       + (d.basis == .option ? "" : overrides["date-order"].map { L("import.summary.overrides_it", ["option": $0]) } ?? ""))
        }
        if let m = decimalMark, verbose || m.wasInferred {
            out.append("  " + L(m.value == "," ? "import.summary.decimal_comma" : "import.summary.decimal_point", ["evidence": L.translating(m.evidence, keyPrefix: "evidence.")])
                       + (m.basis == .option ? "" : overrides["decimal-mark"].map { L("import.summary.overrides_it", ["option": $0]) } ?? ""))
        }
        return out
    }

    /// `{"value": "dd/mm/yyyy", "evidence": "…", "basis": "language"}`, or null.
    public static func json(_ d: ConventionDecision?) -> JSONValue {
        d.map { .obj([("value", .string($0.value)), ("evidence", .string($0.evidence)), ("basis", .string($0.basis.rawValue))]) } ?? .null
    }

    /// One line of `saldo import --format json`.
    public func json() -> String {
        func text(_ v: String?) -> JSONValue { v.map(JSONValue.string) ?? .null }
        return JSONValue.obj([
            ("file", .string(file)), ("profile", text(profile)), ("imported", .bool(!failed)), ("dry_run", .bool(dryRun)),
            ("rows", .int(rows)), ("new", .int(new)), ("duplicates", .int(duplicates)), ("invoices", .int(invoiceNumbers.count)),
            ("date_order", Self.json(dateOrder)), ("decimal_mark", Self.json(decimalMark)),
            ("filtered", .array(filtered.map { .obj([("location", .string($0.location.description)), ("reason", .string($0.reason)),
                                                     ("row", .string($0.summary))]) })),
            ("problems", .array(problems.map { .obj([("severity", .string($0.severity.rawValue)), ("code", .string($0.code)),
                                                     ("message", .string($0.message)), ("location", text($0.location?.description)),
                                                     ("hint", text($0.hint))]) })),
            ("balance_checks", .obj([("checked", .int(balanceChecks)), ("broken", .int(brokenBalances)),
                                     ("ledger_agrees", balanceChecks > 0 ? .bool(balances.ledgerAgrees) : .null),
                                     ("currencies", .array(balances.currencies.map { c in
                                         .obj([("currency", .string(c.closing.currency.code)), ("opening", .string(c.opening.decimalString)),
                                               ("closing", .string(c.closing.decimalString)), ("ledger_change", .string(c.ledgerChange.decimalString)),
                                               ("agrees", .bool(c.agrees))]) }))])),
            ("conversion_legs", .obj([("unmatched", .int(unmatchedLegs.count)), ("completed", .int(pairedLegs))])),
        ]).line()
    }
}

/// One transaction (or e-invoice) an import writes, as a preview shows it before anything is
/// written: when, what, how much, for whom, and whether the ledger already holds it.
public struct BookedRow: Sendable, Equatable {
    public var date: Day
    public var description: String
    public var kind: TransactionKind
    /// The other party as the file names it.
    public var counterparty: String?
    /// What the row moves on its first account (for a statement, the statement's own account:
    /// what came in or went out; for an e-invoice, the amount it books as owed), and that account.
    public var amount: Money?
    public var account: Account?
    public var platform: String?
    public var client: String?
    /// Where in the file the row comes from.
    public var source: SourceLocation?
    /// The transaction's dedup key (how the ledger knows it again).
    public var dedupKey: String?
    /// true: the import adds it; false: the ledger already holds it (the import skips it); nil:
    /// the ledger did not say.
    public var isNew: Bool?

    public init(date: Day, description: String, kind: TransactionKind, counterparty: String? = nil, amount: Money? = nil,
                account: Account? = nil, platform: String? = nil, client: String? = nil, source: SourceLocation? = nil,
                dedupKey: String? = nil, isNew: Bool? = nil) {
        self.date = date; self.description = description; self.kind = kind; self.counterparty = counterparty; self.amount = amount
        self.account = account; self.platform = platform; self.client = client; self.source = source; self.dedupKey = dedupKey
        self.isNew = isNew
    }

    /// A booked transaction: its first posting is the amount.
    public init(_ t: Transaction, isNew: Bool?) {
        self.init(date: t.date, description: t.description, kind: t.kind, counterparty: t.payee, amount: t.postings.first?.amount,
                  account: t.postings.first?.account, platform: t.platform, client: t.client, source: t.source, dedupKey: t.dedupKey,
                  isNew: isNew)
    }
}

/// Seconds the ledger writer waited for rows and the reader for the writer, and the CPU time of
/// each thread (the writer's excludes the final commit).
public struct PipelineTimes: Sendable {
    public var writerWaited = 0.0, readerWaited = 0.0, readerCPU = 0.0, writerCPU = 0.0
    public init(writerWaited: Double = 0, readerWaited: Double = 0, readerCPU: Double = 0, writerCPU: Double = 0) {
        self.writerWaited = writerWaited; self.readerWaited = readerWaited; self.readerCPU = readerCPU; self.writerCPU = writerCPU
    }
}

/// ANSI styles for text outputs, only when colour is on.
struct Styler {
    var color: Bool
    enum Style: String { case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", cyan = "36" }
    func styled(_ s: String, _ style: Style) -> String { color ? "\u{1B}[\(style.rawValue)m\(s)\u{1B}[0m" : s }
}

/// An import's summary as a document, so that it goes through `render(document, format)` like
/// every other output: the terminal text file by file, one JSON object per file and line, and a
/// table of the files for CSV, Markdown and HTML.
public struct ImportSummaryDocument: ReportConvertible, Sendable {
    public var files: [FileImportSummary]
    public var verbose: Bool
    public var color: Bool
    /// How the front end names the options that override an inferred convention (see ``FileImportSummary/text(verbose:color:overrides:)``).
    public var overrides: [String: String]
    /// The line after several files ("3 files: …"), when the front end shows one.
    public var totalsLine: String?

    public init(files: [FileImportSummary], verbose: Bool = false, color: Bool = false, overrides: [String: String] = [:], totalsLine: String? = nil) {
        self.files = files; self.verbose = verbose; self.color = color; self.overrides = overrides; self.totalsLine = totalsLine
    }

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    public func document(in L: Catalog) -> ReportDocument {
        let text = (files.map { $0.text(verbose: verbose, color: color, overrides: overrides, catalog: L) } + (totalsLine.map { [$0] } ?? [])).joined(separator: "\n") + "\n"
        let table = ReportTable(id: "files", title: L("import.document.table"), columns: [
            ReportColumn("file", L("import.document.column.file")), ReportColumn("profile", L("import.document.column.read_as")), ReportColumn("imported", L("import.document.column.imported"), .flag),
            ReportColumn("new", L("import.document.column.new"), .number), ReportColumn("duplicates", L("import.document.column.duplicates"), .number),
            ReportColumn("filtered", L("import.document.column.filtered"), .number), ReportColumn("problems", L("import.document.column.problems"), .number),
            ReportColumn("ledger_agrees", L("import.document.column.ledger_agrees")),
        ], rows: files.map { f in
            ReportRow([.text(f.file), .text(f.profile ?? ""), .flag(!f.failed), .integer(f.new), .integer(f.duplicates), .integer(f.filtered.count),
                       .integer(f.problems.filter { $0.severity != .note }.count),
                       .text(f.balanceChecks == 0 ? L("import.document.no_balances") : L(f.balances.ledgerAgrees ? "render.yes" : "render.no"))])
        })
        return ReportDocument(title: L("import.document.title"), blocks: [.table(table)], encodedJSON: files.map { $0.json() + "\n" }.joined(), text: text)
    }
}

extension FilteredRow {
    /// The filtered row as a person reads it in `f`'s language: the day and amount as reports write
    /// them (`19 dic 2019 44,12 € Allgemeine Gutschrift…`; English `2019-12-19 44.12 EUR …`), or the
    /// row's own text when it has no date and amount. Machine output keeps ``summary``.
    public func summary(in f: HumanFormat) -> String {
        guard let day, let amount else { return text }
        return [f.date(day), f.money(amount), detail ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
    }
}
