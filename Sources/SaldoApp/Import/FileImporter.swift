import Foundation
import SaldoCore
import SaldoBatch
import SaldoImport
import SaldoInvoices
import SaldoStore
import SaldoReports

/// Reads one input file (statement or e-invoice), records it in the ledger as one database
/// transaction, and says what happened.
public struct FileImporter: Sendable {
    public let store: any LedgerStore
    public let options: ImportOptions
    public let userProfiles: [UserProfile]
    public let invoiceOptions: InvoiceReadOptions
    public let dryRun: Bool
    /// Told how a large file is getting on (front ends that can show progress pass one).
    public let progress: (any ProgressReporter)?
    /// How many of the first rows written (or, in a dry run, that would be) the summary lists
    /// (``FileImportSummary/firstRows``), each as the ledger's writer took it: new or already there.
    public let firstRows: Int

    public init(store: any LedgerStore, options: ImportOptions = ImportOptions(), userProfiles: [UserProfile] = [],
                invoiceOptions: InvoiceReadOptions = InvoiceReadOptions(), dryRun: Bool = false, progress: (any ProgressReporter)? = nil,
                firstRows: Int = 0) {
        self.store = store; self.options = options; self.userProfiles = userProfiles; self.invoiceOptions = invoiceOptions
        self.dryRun = dryRun; self.progress = progress; self.firstRows = max(0, firstRows)
    }

    /// `displayName`: the name summaries and problems show (an upload's sanitized name, never the
    /// path it is stored under); by default the path, relative to the current folder when under it.
    public func importFile(_ url: URL, displayName: String? = nil) -> FileImportSummary {
        let name = displayName ?? (url.path.hasPrefix(FileManager.default.currentDirectoryPath + "/")
            ? String(url.path.dropFirst(FileManager.default.currentDirectoryPath.count + 1)) : url.path)
        var summary = FileImportSummary(file: name, dryRun: dryRun)
        let data: Data
        // Mapped, not copied: a statement of a million rows stays out of the heap.
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            summary.problems = [.error("file.read", "cannot read the file: \(SystemFailure.reason(error, path: url.path))", at: SourceLocation(file: name),
                                       hint: "check that it exists and that you may read it")]
            summary.failed = true
            return summary
        }
        let reporter = data.count > 5_000_000 ? self.progress : nil
        reporter?.progress("reading \(name) (\(data.count / 1_000_000) MB)…")
        defer { reporter?.endProgress() }
        if Self.looksLikeXML(data) && !StatementImporter.isStatement(data) { return importInvoices(data, name: name, sha: SQLiteLedgerStore.sha256(data), summary: summary) }

        // Statements stream: the file is read and booked on another thread while this one hashes
        // it and then writes each transaction into the open database transaction (on two cores
        // the halves overlap). A bounded handoff keeps memory flat.
        var result: StatementReadResult?
        var waits = PipelineTimes()
        var progress: (@Sendable (Double) -> Void)?
        if let reporter {
            let shown = name
            progress = { f in reporter.progress("importing \(shown): \(Int(f * 100))%") }
        }
        var legsInWholeConversions: [String] = []
        // The first rows handed to the writer, as it took them, and how many rows it was handed.
        var firstRows: [BookedRow] = []
        var handed = 0
        let wanted = self.firstRows
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
            var toWriter = HandoffSink(handoff: handoff, timeline: timeline)
            let r = StatementImporter.read(data: data, fileName: name, options: options, userProfiles: userProfiles,
                                           progress: reportProgress, into: &toWriter)
            handoff.finish()
            timeline.mark("reader done")
            return (r, threadCPUSeconds() - cpu0)
        }
        // Whatever happens below, the reader is stopped and waited for before returning.
        var readerDone = false
        defer { if !readerDone { handoff.cancel(); _ = reader.wait() } }
        let cpu0 = threadCPUSeconds()
        let sha = SQLiteLedgerStore.sha256(data)
        do {
            // The file itself is kept with its rows, so each can show the line it came from.
            let outcome = try store.recordStream(fileName: name, sha256: sha, format: "csv", dryRun: dryRun, keysAreUnique: true,
                                                 original: data) { sink in
                var first = true
                while let chunk = handoff.receive() {
                    if first { timeline.mark("first batch"); first = false }
                    for batch in chunk {
                        let n = min(wanted - firstRows.count, batch.count)
                        if n > 0 {
                            // The writer says which of them it added and which the ledger already held.
                            let fates = try sink.add(batch, tellingFirst: n)
                            for i in 0..<n { firstRows.append(BookedRow(batch.transaction(at: i), isNew: i < fates.count ? fates[i] : nil)) }
                        } else {
                            try sink.add(batch)
                        }
                        handed += batch.count
                    }
                }
                try sink.noMoreBatches()
                timeline.mark("written")
                let (r, readerCPU) = reader.wait()
                readerDone = true
                result = r
                waits = PipelineTimes(writerWaited: handoff.consumerWaited, readerWaited: handoff.producerWaited, readerCPU: readerCPU,
                                      writerCPU: threadCPUSeconds() - cpu0)
                return ImportStreamEnd(keep: !r.isFatal, format: r.profile, balanceChecks: r.balanceChecks,
                                             filteredCount: r.filtered.count, problemCount: r.problems.count,
                                             conversionLegs: r.conversionLegs)
            }
            timeline.mark("committed")
            if let o = outcome {
                summary.new = o.newTransactions
                summary.duplicates = o.duplicateTransactions
                legsInWholeConversions = o.legsInWholeConversions
                // A lone conversion leg the ledger turned out to hold inside a whole conversion was
                // taken out again at the end: already in the ledger, as the counts say.
                let inWhole = Set(o.legsInWholeConversions)
                for i in firstRows.indices where firstRows[i].dedupKey.map(inWhole.contains) == true { firstRows[i].isNew = false }
                summary.firstRows = firstRows
                summary.moreRows = max(0, handed - firstRows.count)
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
            if r.isFatal { summary.failed = true; summary.new = 0; summary.duplicates = 0; summary.firstRows = []; summary.moreRows = 0 }
        }
        if summary.failed, summary.profile == nil, Self.isECBRatesCSV(data) {
            summary.problems.append(Diagnostic(.note, code: "import.rates", "this file holds ECB exchange rates, not a statement",
                                               at: SourceLocation(file: name), hint: "import it as exchange rates, not as a statement"))
        }
        return summary
    }

    private func importInvoices(_ data: Data, name: String, sha: String, summary s: FileImportSummary) -> FileImportSummary {
        var summary = s
        // ECB rates are XML too: said as what they are, before the invoice readers refuse them.
        if Self.isECBRates(data) {
            summary.problems = [.error("import.rates", "this XML file holds ECB exchange rates, not an e-invoice or a statement",
                                       at: SourceLocation(file: name), hint: "import it as exchange rates")]
            summary.failed = true
            return summary
        }
        let r = InvoiceReader.read(data, file: name, options: invoiceOptions)
        summary.format = r.format?.rawValue
        summary.problems = r.diagnostics
        if r.format == nil && !r.hasErrors {
            summary.problems.append(.error("xml.unknown", "this XML file is not an e-invoice Saldo reads", at: SourceLocation(file: name),
                                           hint: "Saldo reads UBL 2.1, UN/CEFACT CII (Factur-X, ZUGFeRD, XRechnung), Facturae 3.x and CFDI 4.0"))
        }
        if summary.problems.contains(where: { $0.severity == .error }) { summary.failed = true; return summary }
        // The specification by the name people know it by, not its identifier (BT-24 is a URN).
        summary.profile = r.invoices.first.map { InvoiceSpecification.displayName($0.profile, format: r.format) } ?? r.format?.rawValue
        summary.invoiceNumbers = r.invoices.map(\.invoice.number)
        // The ledger counts an invoice once by seller, number, type and date: one under that key with
        // other amounts is another document, never "already in the ledger".
        do {
            let conflicts = try Self.conflicts(r.invoices.map(\.invoice), stored: store.invoices().map(\.invoice), file: name)
            if !conflicts.isEmpty {
                summary.problems += conflicts
                summary.failed = true
                return summary
            }
        } catch {
            summary.problems.append(.error("ledger.read", "\(error)", at: SourceLocation(file: name)))
            summary.failed = true
            return summary
        }
        let record = ImportRecord(fileName: name, sha256: sha, format: summary.format ?? "xml",
                                  invoices: r.invoices.map { imported in
                                      (imported.invoice, imported.transaction.map { IncomeStreams.attribute($0, invoice: imported.invoice) })
                                  },
                                  problemCount: summary.problems.count, original: data)
        do {
            let out = try store.record(record, dryRun: dryRun)
            summary.new = out.newTransactions + out.newInvoices
            summary.duplicates = out.duplicateTransactions + out.duplicateInvoices
            summary.newInvoices = out.newInvoices
            // One row per invoice: its transaction when it books one, else the document itself.
            summary.firstRows = r.invoices.prefix(firstRows).enumerated().map { k, imported in
                let isNew = k < out.invoicesNew.count ? out.invoicesNew[k] : nil
                if let t = imported.transaction { return BookedRow(t, isNew: isNew) }
                let i = imported.invoice
                return BookedRow(date: i.issueDate, description: i.number, kind: .invoice, amount: i.payable,
                                 client: i.direction == .issued ? i.buyer.name : i.seller.name, source: i.source, dedupKey: i.dedupKey, isNew: isNew)
            }
            summary.moreRows = max(0, r.invoices.count - summary.firstRows.count)
        } catch {
            summary.problems.append(.error("ledger.write", "\(error)", at: SourceLocation(file: name)))
            summary.failed = true
        }
        return summary
    }

    /// Invoices of a file whose dedup key (``Invoice/dedupKey``) the ledger, or an earlier invoice of
    /// the same file, already holds with other amounts or another client: each an error naming the
    /// invoice, both payable amounts and what to do. The same invoice again is no conflict.
    public static func conflicts(_ invoices: [Invoice], stored: [Invoice], file: String) -> [Diagnostic] {
        var known: [String: (invoice: Invoice, inLedger: Bool)] = [:]
        for i in stored { known[i.dedupKey] = (i, true) }
        var out: [Diagnostic] = []
        for inv in invoices {
            guard let (old, inLedger) = known[inv.dedupKey] else { known[inv.dedupKey] = (inv, false); continue }
            guard !sameDocument(old, inv) else { continue }
            var args = ["invoice": inv.number, "seller": inv.seller.name.isEmpty ? (inv.seller.taxID ?? "") : inv.seller.name,
                        "date": inv.issueDate.description, "stored": old.payable.description, "found": inv.payable.description]
            let variant = old.payable == inv.payable ? "same_payable" : "payable"
            if variant == "same_payable" { args["stored"] = old.total.description; args["found"] = inv.total.description }
            let message = LocalizedText("diag.invoice.conflict.\(variant)\(inLedger ? "" : "_file")", args).english
            let hint = LocalizedText("diag_hint.invoice.conflict.reused_number").english
            out.append(Diagnostic(.error, code: "invoice.conflict", message, at: inv.source ?? SourceLocation(file: file), hint: hint, arguments: args))
        }
        return out
    }

    /// Whether two invoices under one dedup key are the same document: same currency, amounts and client.
    static func sameDocument(_ a: Invoice, _ b: Invoice) -> Bool {
        a.currency == b.currency && a.net == b.net && a.tax == b.tax && a.withholding == b.withholding && a.total == b.total
            && a.prepaid == b.prepaid && a.payable == b.payable && a.kind == b.kind && sameParty(a.buyer, b.buyer)
    }

    /// Two tax ids alike but for spacing and punctuation (`FR 05 987 654 321`); without both, the
    /// same name (a Factur-X MINIMUM file of an invoice leaves the buyer's tax id out).
    static func sameParty(_ a: Party, _ b: Party) -> Bool {
        func plain(_ s: String?) -> String { (s ?? "").lowercased().filter { $0.isLetter || $0.isNumber } }
        if !plain(a.taxID).isEmpty && !plain(b.taxID).isEmpty { return plain(a.taxID) == plain(b.taxID) }
        return plain(a.name) == plain(b.name) || plain(a.name).isEmpty || plain(b.name).isEmpty
    }

    /// An ECB rates CSV (`Date,USD,JPY,…`) given to `import` by mistake.
    public static func isECBRatesCSV(_ data: Data) -> Bool {
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        return head.hasPrefix("Date,USD") || head.hasPrefix("Date, USD")
    }

    /// XML starts with `<` after an optional BOM and white space (UTF-8 or UTF-16).
    public static func looksLikeXML(_ data: Data) -> Bool {
        var bytes = data.prefix(512)[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let utf16 = bytes.dropFirst(2).enumerated().filter { ($0.offset % 2 == 0) == bytes.starts(with: [0xFF, 0xFE]) }.map(\.element)
            return utf16.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } == UInt8(ascii: "<")
        }
        return bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } == UInt8(ascii: "<")
    }

    public static func isECBRates(_ data: Data) -> Bool {
        String(decoding: data.prefix(2048), as: UTF8.self).contains("www.ecb.int/vocabulary/2002-08-01/eurofxref")
    }
}


/// When each step of an import pipeline happened, marked from either thread.
public final class Timeline: @unchecked Sendable {
    private let lock = NSLock()
    private let start = DispatchTime.now().uptimeNanoseconds
    private var list: [(step: String, seconds: Double)] = []

    public func mark(_ step: String) {
        let t = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        lock.lock(); list.append((step, t)); lock.unlock()
    }

    public var marks: [(step: String, seconds: Double)] { lock.lock(); defer { lock.unlock() }; return list }
}

/// CPU time of the calling thread.
public func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Progress of long work, for front ends that can show it (a terminal line, a progress bar).
public protocol ProgressReporter: Sendable {
    func progress(_ text: String)
    func endProgress()
}

/// The reader's side of the hand-off: batches go to the ledger writer's thread as they are booked.
struct HandoffSink: TransactionBatchSink {
    let handoff: Handoff<TransactionBatch>
    let timeline: Timeline
    func add(_ batch: TransactionBatch) { handoff.send(batch) }
    func noMoreBatches() { handoff.finish(); timeline.mark("booked") }
}
