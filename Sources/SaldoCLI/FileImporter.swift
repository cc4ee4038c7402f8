import Foundation
import SaldoCore
import SaldoImport
import SaldoInvoices
import SaldoStore
import SaldoReports

/// Reads one input file (statement or e-invoice), records it in the ledger as one batch, and
/// says what happened.
struct FileImporter {
    let store: LedgerStore
    let options: ImportOptions
    let userProfiles: [UserProfile]
    let invoiceOptions: InvoiceReadOptions
    let dryRun: Bool

    func importFile(_ url: URL) -> FileImportSummary {
        let console = Console.current
        let name = url.path.hasPrefix(FileManager.default.currentDirectoryPath + "/")
            ? String(url.path.dropFirst(FileManager.default.currentDirectoryPath.count + 1)) : url.path
        var summary = FileImportSummary(file: name, dryRun: dryRun)
        let data: Data
        // Mapped, not copied: a statement of a million rows stays out of the heap.
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            summary.problems = [.error("file.read", "cannot read the file: \(error.localizedDescription)", at: SourceLocation(file: name),
                                       hint: "check that it exists and that you may read it")]
            summary.failed = true
            return summary
        }
        let large = data.count > 5_000_000 && console.isTerminal
        if large { console.progress("reading \(name) (\(data.count / 1_000_000) MB)…") }
        defer { if large { console.endProgress() } }
        if Self.looksLikeXML(data) && !StatementImporter.isStatement(data) { return importInvoices(data, name: name, sha: LedgerStore.sha256(data), summary: summary) }

        // Statements stream: the file is read and booked on another thread while this one hashes
        // it and then writes each transaction into the open database transaction (on two cores
        // the halves overlap). A bounded handoff keeps memory flat.
        var result: StatementReadResult?
        var waits: PipelineTimes = (0, 0, 0, 0)
        var progress: (@Sendable (Double) -> Void)?
        if large {
            let shown = name
            progress = { f in console.progress("importing \(shown): \(Int(f * 100))%") }
        }
        var legsInWholeConversions: [String] = []
        // Conversion legs earlier imports booked on their own: a leg of this file may complete one.
        var withLegs = self.options
        do { withLegs.conversionLegs = try store.conversionLegs() } catch {
            summary.problems = [.error("ledger.read", "\(error)", at: SourceLocation(file: name))]
            summary.failed = true
            return summary
        }
        let options = withLegs, userProfiles = self.userProfiles, reportProgress = progress
        let handoff = Handoff<TransactionBatch>(chunkSize: 1, maxChunks: 8)
        let timeline = Timeline()
        let reader = BackgroundWork { () -> (StatementReadResult, Double) in
            // Named so that profilers tell the reader from the ledger writer.
            Thread.current.name = "saldo-reader"
            let cpu0 = threadCPUSeconds()
            let r = StatementImporter.read(data: data, fileName: name, options: options, userProfiles: userProfiles,
                                           progress: reportProgress, handedOver: { handoff.finish(); timeline.mark("booked") }) { t in handoff.send(t) }
            handoff.finish()
            timeline.mark("reader done")
            return (r, threadCPUSeconds() - cpu0)
        }
        // Whatever happens below, the reader is stopped and waited for before returning.
        var readerDone = false
        defer { if !readerDone { handoff.cancel(); _ = reader.wait() } }
        let cpu0 = threadCPUSeconds()
        let sha = LedgerStore.sha256(data)
        do {
            let outcome = try store.recordStream(fileName: name, sha256: sha, format: "csv", dryRun: dryRun, keysAreUnique: true) { sink in
                var first = true
                while let chunk = handoff.receive() {
                    if first { timeline.mark("first batch"); first = false }
                    for batch in chunk { try sink.add(batch) }
                }
                try sink.noMoreBatches()
                timeline.mark("written")
                let (r, readerCPU) = reader.wait()
                readerDone = true
                result = r
                waits = (handoff.consumerWaited, handoff.producerWaited, readerCPU, threadCPUSeconds() - cpu0)
                return LedgerStore.StreamEnd(keep: !r.isFatal, format: r.profile, balanceChecks: r.balanceChecks,
                                             filteredCount: r.filtered.count, problemCount: r.problems.count,
                                             conversionLegs: r.conversionLegs)
            }
            timeline.mark("committed")
            if let o = outcome {
                summary.new = o.newTransactions
                summary.duplicates = o.duplicateTransactions
                legsInWholeConversions = o.legsInWholeConversions
            }
        } catch {
            summary.problems.append(.error("ledger.write", "\(error)", at: SourceLocation(file: name)))
            summary.failed = true
            // What the reader found still belongs in the summary (profile, problems in the file).
            if !readerDone {
                handoff.cancel()
                result = reader.wait().0
                readerDone = true
            }
        }
        // How the file's dates and amounts were read, and what said so.
        if let r = result { summary.dateOrder = r.dateOrder; summary.decimalMark = r.decimalMark }
        summary.pipelineWaits = waits
        summary.timeline = timeline.marks
        if let r = result {
            summary.profile = r.profile
            summary.format = r.profile
            summary.problems = r.problems + summary.problems
            summary.filtered = r.filtered
            summary.rows = r.rowCount
            summary.balances = r.balances
            // Lone legs the ledger turned out to hold inside a whole conversion wait for nothing.
            let inWhole = Set(legsInWholeConversions)
            summary.unmatchedLegs = r.conversionLegs.filter { $0.pairedBy == nil && !inWhole.contains($0.key) }.compactMap { $0.source?.line }
            let doneLines = Set(r.conversionLegs.filter { inWhole.contains($0.key) }.compactMap { $0.source?.line })
            summary.problems.removeAll { $0.code == "import.conversion" && $0.location.flatMap(\.line).map(doneLines.contains) == true }
            summary.pairedLegs = r.conversionsCompleted
            if r.isFatal { summary.failed = true; summary.new = 0; summary.duplicates = 0 }
        }
        if summary.failed, summary.profile == nil, Self.isECBRatesCSV(data) {
            summary.problems.append(Diagnostic(.note, code: "import.rates", "this file holds ECB exchange rates, not a statement",
                                               at: SourceLocation(file: name), hint: "use `saldo rates import \(name)`"))
        }
        return summary
    }

    private func importInvoices(_ data: Data, name: String, sha: String, summary s: FileImportSummary) -> FileImportSummary {
        var summary = s
        let r = InvoiceReader.read(data, file: name, options: invoiceOptions)
        summary.format = r.format?.rawValue
        summary.problems = r.diagnostics
        if r.format == nil && !r.hasErrors {
            summary.problems.append(.error("xml.unknown", "this XML file is not an e-invoice Saldo reads",
                                           at: SourceLocation(file: name),
                                           hint: Self.isECBRates(data) ? "it holds ECB exchange rates: use `saldo rates import \(name)`"
                                               : "Saldo reads UBL 2.1, UN/CEFACT CII (Factur-X, ZUGFeRD, XRechnung), Facturae 3.x and CFDI 4.0"))
        }
        if summary.problems.contains(where: { $0.severity == .error }) { summary.failed = true; return summary }
        summary.profile = r.invoices.first?.profile ?? r.format?.rawValue
        summary.invoiceNumbers = r.invoices.map(\.invoice.number)
        let record = ImportRecord(fileName: name, sha256: sha, format: summary.format ?? "xml",
                                  invoices: r.invoices.map { imported in
                                      // A direct client is its own platform in reports (income is attributed to who paid).
                                      var t = imported.transaction
                                      if t?.platform == nil { t?.platform = imported.invoice.direction == .issued ? imported.invoice.buyer.name : imported.invoice.seller.name }
                                      return (imported.invoice, t)
                                  },
                                  problemCount: summary.problems.count)
        do {
            let out = try store.record(record, dryRun: dryRun)
            summary.new = out.newTransactions + out.newInvoices
            summary.duplicates = out.duplicateTransactions + out.duplicateInvoices
            summary.newInvoices = out.newInvoices
        } catch {
            summary.problems.append(.error("ledger.write", "\(error)", at: SourceLocation(file: name)))
            summary.failed = true
        }
        return summary
    }

    /// An ECB rates CSV (`Date,USD,JPY,…`) given to `import` by mistake.
    static func isECBRatesCSV(_ data: Data) -> Bool {
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        return head.hasPrefix("Date,USD") || head.hasPrefix("Date, USD")
    }

    /// XML starts with `<` after an optional BOM and white space (UTF-8 or UTF-16).
    static func looksLikeXML(_ data: Data) -> Bool {
        var bytes = data.prefix(512)[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let utf16 = bytes.dropFirst(2).enumerated().filter { ($0.offset % 2 == 0) == bytes.starts(with: [0xFF, 0xFE]) }.map(\.element)
            return utf16.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } == UInt8(ascii: "<")
        }
        return bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } == UInt8(ascii: "<")
    }

    static func isECBRates(_ data: Data) -> Bool {
        String(decoding: data.prefix(2048), as: UTF8.self).contains("www.ecb.int/vocabulary/2002-08-01/eurofxref")
    }
}

/// What one file contributed.
struct FileImportSummary {
    var file: String
    var dryRun: Bool
    var profile: String?
    var format: String?
    var rows = 0
    var new = 0
    var duplicates = 0
    var newInvoices = 0
    var invoiceNumbers: [String] = []
    var filtered: [FilteredRow] = []
    var problems: [Diagnostic] = []
    /// Stated balances compared with the ledger.
    var balanceChecks: Int { balances.checked }
    /// Where a statement import's time went (for `saldo bench import`).
    var pipelineWaits: PipelineTimes = (0, 0, 0, 0)
    /// Seconds from the start of the pipeline to each of its steps.
    var timeline: [(step: String, seconds: Double)] = []
    /// Breaks to report; a gap also keeps the closing balance out of reach, so it is counted once.
    var brokenBalances: Int { balances.broken > 0 ? balances.broken : balances.currencies.filter { !$0.agrees }.count }
    /// The ledger against the statement's balances.
    var balances = BalanceSummary()
    /// Lines of conversion legs booked against equity:conversions:unmatched, waiting for their other leg.
    var unmatchedLegs: [Int] = []
    /// Legs of earlier imports that this file completed.
    var pairedLegs = 0
    var failed = false
    /// The date order and decimal mark the file was read with, and the evidence for each.
    var dateOrder: ConventionDecision?
    var decimalMark: ConventionDecision?

    struct Totals {
        var new = 0, duplicates = 0, filtered = 0
        mutating func add(_ s: FileImportSummary) { new += s.new; duplicates += s.duplicates; filtered += s.filtered.count }
    }

    func text(verbose: Bool, console: Console) -> String {
        var lines: [String] = []
        let what = profile.map { " (\($0))" } ?? ""
        if failed {
            lines.append(console.styled("✗ \(file)\(what): not imported", .red))
            let shown = problems.filter { $0.severity != .warning }
            if verbose {
                for p in shown { lines.append("  " + p.description.replacingOccurrences(of: "\n", with: "\n  ")) }
            } else {
                // The same problem on many rows (a made-up currency code in every row) is said once, with where else.
                var groups: [(first: Diagnostic, lines: [Int])] = []
                for p in shown {
                    if let i = groups.firstIndex(where: { $0.first.message == p.message && $0.first.hint == p.hint && $0.first.location?.field == p.location?.field }) {
                        if let l = p.location?.line { groups[i].lines.append(l) }
                    } else { groups.append((p, [])) }
                }
                for g in groups.prefix(10) {
                    lines.append("  " + g.first.description.replacingOccurrences(of: "\n", with: "\n  "))
                    if !g.lines.isEmpty {
                        let list = g.lines.prefix(8).map(String.init).joined(separator: ", ")
                        lines.append("    the same on line\(g.lines.count == 1 ? "" : "s") \(list)\(g.lines.count > 8 ? " and \(g.lines.count - 8) more" : "")")
                    }
                }
                if groups.count > 10 { lines.append("  … and \(groups.count - 10) more kinds of problem (use --verbose)") }
            }
            return lines.joined(separator: "\n")
        }
        var parts = ["\(new) new", "\(duplicates) already in the ledger"]
        if !filtered.isEmpty { parts.append("\(filtered.count) filtered") }
        let warnings = problems.filter { $0.severity == .warning }
        if !warnings.isEmpty { parts.append("\(warnings.count) warning\(warnings.count == 1 ? "" : "s")") }
        if balanceChecks > 0 {
            // Said only when the ledger reproduces every stated balance, not when the file agrees with itself.
            if balances.ledgerAgrees { parts.append("running balances check out") }
            else {
                if balances.gaps > 0 { parts.append("\(balances.gaps) gap\(balances.gaps == 1 ? "" : "s") in the running balance") }
                if balances.unbooked > 0 { parts.append("\(balances.unbooked) row\(balances.unbooked == 1 ? "" : "s") not booked as stated") }
                if balances.broken == 0 { parts.append("the ledger does not reach the closing balance") }
            }
        }
        let notes = problems.filter { $0.severity == .note }
        let mark = brokenBalances > 0 ? console.styled("!", .yellow) : console.styled("✓", .green)
        lines.append("\(mark) \(file)\(what): " + parts.joined(separator: ", ") + (dryRun ? " (dry run: nothing written)" : ""))
        if !filtered.isEmpty {
            if verbose {
                for f in filtered { lines.append("  filtered \(f.location): \(f.reason) — \(f.summary)") }
            } else {
                var byReason: [String: Int] = [:]
                for f in filtered { byReason[f.reason, default: 0] += 1 }
                for (r, n) in byReason.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
                    lines.append("  filtered \(n) × \(r)")
                }
            }
        }
        if !unmatchedLegs.isEmpty {
            let list = unmatchedLegs.prefix(8).map(String.init).joined(separator: ", ") + (unmatchedLegs.count > 8 ? " and \(unmatchedLegs.count - 8) more" : "")
            lines.append("  \(unmatchedLegs.count) conversion leg\(unmatchedLegs.count == 1 ? "" : "s") without the other leg in this file (line\(unmatchedLegs.count == 1 ? "" : "s") \(list)): booked against \(ConversionLeg.suspense.path); importing the statement with the other leg completes \(unmatchedLegs.count == 1 ? "it" : "them")")
        }
        if pairedLegs > 0 {
            lines.append("  \(pairedLegs) conversion\(pairedLegs == 1 ? "" : "s") completed with a leg imported earlier")
        }
        lines += conventionLines(verbose: verbose)
        if verbose { for n in notes { lines.append("  " + n.description.replacingOccurrences(of: "\n", with: "\n  ")) } }
        let shownWarnings = verbose || unmatchedLegs.isEmpty ? warnings : warnings.filter { $0.code != "import.conversion" }
        for w in shownWarnings.prefix(verbose ? 1000 : 5) { lines.append("  " + w.description.replacingOccurrences(of: "\n", with: "\n  ")) }
        if !verbose && shownWarnings.count > 5 { lines.append("  … and \(shownWarnings.count - 5) more warnings (use --verbose)") }
        return lines.joined(separator: "\n")
    }

    /// How dates and amounts were read, when Saldo inferred it from the export's language, its row
    /// order or its running balances (`--verbose`: always), with how to override it.
    func conventionLines(verbose: Bool) -> [String] {
        var out: [String] = []
        if let d = dateOrder, verbose || d.wasInferred {
            out.append("  dates read as \(d.value): \(d.evidence)" + (d.basis == .option ? "" : "; --date-format overrides it"))
        }
        if let m = decimalMark, verbose || m.wasInferred {
            out.append("  amounts read with a decimal \(m.value == "," ? "comma" : "point"): \(m.evidence)" + (m.basis == .option ? "" : "; --decimal-mark overrides it"))
        }
        return out
    }

    /// `{"value": "dd/mm/yyyy", "evidence": "…", "basis": "language"}`, or null.
    static func json(_ d: ConventionDecision?) -> JSONValue {
        d.map { .obj([("value", .string($0.value)), ("evidence", .string($0.evidence)), ("basis", .string($0.basis.rawValue))]) } ?? .null
    }

    /// One line of `saldo import --format json`.
    func json() -> String {
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

/// Seconds the ledger writer waited for rows and the reader for the writer, and the CPU time of
/// each thread (the writer's excludes the final commit).
typealias PipelineTimes = (writerWaited: Double, readerWaited: Double, readerCPU: Double, writerCPU: Double)

/// When each step of an import pipeline happened, marked from either thread.
final class Timeline: @unchecked Sendable {
    private let lock = NSLock()
    private let start = DispatchTime.now().uptimeNanoseconds
    private var list: [(step: String, seconds: Double)] = []

    func mark(_ step: String) {
        let t = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        lock.lock(); list.append((step, t)); lock.unlock()
    }

    var marks: [(step: String, seconds: Double)] { lock.lock(); defer { lock.unlock() }; return list }
}

/// CPU time of the calling thread.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
