import Foundation
import SaldoCore
import SaldoBatch

/// The front door: bytes of one statement file in, transactions and problems out.
/// Never touches a database and never prints.
public enum StatementImporter {
    /// Reads one file. The profile is detected from the content (header signature, or the
    /// Norma 43 record structure), never from `fileName`, which is used only in locations.
    ///
    /// `progress`, when given, is called from time to time with the share of the work done (0…1),
    /// so that a terminal can show progress for large files; it is called on the caller's thread.
    public static func read(data: Data, fileName: String, options: ImportOptions = ImportOptions(),
                            userProfiles: [UserProfile] = [], progress: (@Sendable (Double) -> Void)? = nil) -> StatementReadResult {
        var kept: [Transaction] = []
        var result = read(data: data, fileName: fileName, options: options, userProfiles: userProfiles, progress: progress,
                          emitWhenRowsFailed: true) { kept.append(contentsOf: $0.transactions) }
        result.transactions = kept
        return result
    }

    /// The same as ``read(data:fileName:options:userProfiles:progress:)``, but hands the
    /// transactions to `sink` in booking order, a batch at a time, instead of collecting them
    /// (`transactions` stays empty), so that a caller can insert them as they come and a
    /// million-row file never holds all its transactions in memory. `noMoreBatches` is called as
    /// soon as the last batch is handed over, before the balance checks. Nothing is handed over when
    /// reading the rows found an error; still check `isFatal` at the end and roll back when it is true.
    /// A sink that throws stops the hand-over; its error is one of the result's problems.
    public static func read(data: Data, fileName: String, options: ImportOptions = ImportOptions(),
                            userProfiles: [UserProfile] = [], progress: (@Sendable (Double) -> Void)? = nil,
                            into sink: inout some TransactionBatchSink) -> StatementReadResult {
        var failure: (any Error)?
        var result = read(data: data, fileName: fileName, options: options, userProfiles: userProfiles, progress: progress,
                          emitWhenRowsFailed: false, handedOver: {
                              guard failure == nil else { return }
                              do { try sink.noMoreBatches() } catch { failure = error }
                          }, emit: { batch in
                              guard failure == nil else { return }
                              do { try sink.add(batch) } catch { failure = error }
                          })
        if let failure {
            result.problems.append(.error("import.write", "the transactions could not be handed over: \(failure)", at: SourceLocation(file: fileName)))
        }
        return result
    }

    static func read(data: Data, fileName: String, options: ImportOptions, userProfiles: [UserProfile],
                     progress: (@Sendable (Double) -> Void)?, emitWhenRowsFailed: Bool, handedOver: () -> Void = {},
                     emit: (TransactionBatch) -> Void) -> StatementReadResult {
        // Recognised by content: an .xlsx goes through the sheet reader; PDFs, images, .xls and other archives are explained.
        let kind = options.sheetNumbers == nil ? FileKind.sniff(data) : .text
        if kind == .xlsx {
            return XLSXStatement.read(data: data, fileName: fileName, options: options, userProfiles: userProfiles, progress: progress,
                                      emitWhenRowsFailed: emitWhenRowsFailed, handedOver: handedOver, emit: emit)
        }
        if let d = kind.diagnostic(file: fileName) { return StatementReadResult(file: fileName, problems: [d]) }
        // Bank formats with their own structure, recognised by content before the CSV engine.
        switch statementFormat(data) {
        case .camt?:
            let r = CamtReader.read(data, file: fileName, userRules: userProfiles.flatMap(\.rules), emitWhenRowsFailed: emitWhenRowsFailed, emit: emit)
            handedOver()
            return r
        case .ofx?:
            let r = OFXReader.read(data, file: fileName, userRules: userProfiles.flatMap(\.rules), emitWhenRowsFailed: emitWhenRowsFailed, emit: emit)
            handedOver()
            return r
        case nil: break
        }
        var result = StatementReadResult(file: fileName)
        var clock = PhaseClock()
        let decoded: TextDecoding.Decoded
        switch TextDecoding.decode(data, file: fileName) {
        case .failure(let d): result.problems = [d]; return result
        case .success(let d): decoded = d
        }
        result.encoding = decoded.encoding.rawValue
        if decoded.bytes.withUnsafeBufferPointer({ $0.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 } }) {
            result.problems = [.error("csv.empty", "the file is empty: expected a header row and at least one transaction",
                                      at: SourceLocation(file: fileName), hint: "export the statement again; make sure the period holds transactions")]
            return result
        }
        if options.profile == nil || options.profile == Norma43Reader.profileName, Norma43Reader.looksLikeNorma43(decoded.bytes.prefix(4096).array) {
            return Norma43Reader.read(decoded.bytes.array, file: fileName, encoding: decoded.encoding, userRules: userProfiles.flatMap(\.rules),
                                      emitWhenRowsFailed: emitWhenRowsFailed, handedOver: handedOver, emit: emit)
        }
        if let r = bankTextFormat(data: data, decoded: decoded, fileName: fileName, options: options, userProfiles: userProfiles) {
            let out = handOver(r, emitWhenRowsFailed: emitWhenRowsFailed, emit: emit)
            handedOver()
            return out
        }
        clock.lap("decode", &result)
        let delimiter = CSVTokenizer.sniffDelimiter(decoded.bytes)
        let tokenizer = CSVTokenizer(buffer: decoded.bytes, delimiter: delimiter)
        let candidates: [HeaderCandidate]
        do { candidates = try headerCandidates(tokenizer) } catch {
            result.problems = [syntax(error, fileName)]
            return result
        }
        let profiles = ProfileRegistry.candidates(userProfiles: userProfiles, forced: options.profile)
        guard let (profile, fit, texts) = detect(profiles, candidates, userCount: userProfiles.count, result: &result) else { return result }
        result.profile = profile.name
        var reader = CSVStatementReader(file: fileName, tokenizer: tokenizer, profile: profile, fit: fit, headerTexts: texts, options: options)
        reader.progress = progress
        let evidence: (NumberEvidence, DateEvidence)
        do { evidence = try reader.scan() } catch {
            result.problems = [syntax(error, fileName)]
            return result
        }
        result.rowCount = reader.rows.count
        clock.lap("scan", &result)
        if reader.rows.isEmpty {
            result.problems = [.error("csv.empty", "the file has a \(profile.title) header but no transaction rows",
                                      at: SourceLocation(file: fileName, line: fit.headerLine), hint: "export a period that holds transactions")]
            return result
        }
        let notation = reader.decideNotation(evidence.0)
        let order = reader.decideDates(evidence.1)
        result.decimalMark = reader.notationDecision
        result.dateOrder = reader.dateDecision
        guard let n = notation, let o = order else {
            result.problems = reader.sink.finish(file: fileName)
            return result
        }
        var movements = reader.movements(notation: n, order: o)
        // The column spans are no longer needed: free them before booking (large files).
        reader.spans = []
        reader.datePartsSeen = []
        if separateFeeRows(profile) { markSeparateFees(&movements) }
        clock.lap("map", &result)
        var booker = Booker(file: fileName, profile: profile, userRules: userProfiles.flatMap(\.rules),
                            balanceField: reader.headerNames[.balance], sink: reader.sink, ledgerLegs: options.conversionLegs)
        // A streaming caller gets nothing from a file whose rows already failed.
        let rowsFailed = reader.sink.items.contains { $0.severity == .error }
        var emitted = 0
        let total = Double(max(1, movements.count))
        let out = booker.book(&movements, handedOver: handedOver) { batch in
            if emitted == 0 { clock.lap("order", &result) }
            emitted += batch.count
            if let p = progress { p(0.8 + 0.2 * Double(emitted) / total) }
            if emitWhenRowsFailed || !rowsFailed { emit(batch) }
        }
        clock.lap("book", &result)
        result.filtered = out.filtered + reader.skipped
        result.balanceChecks = out.checks
        result.balances = out.balances
        result.conversionLegs = out.legs
        result.conversionsCompleted = out.completed
        result.problems = booker.sink.finish(file: fileName)
        progress?(1.0)
        return result
    }

    /// The bank formats that are not CSV and are recognised by their content.
    public enum StatementFormat: String, Sendable {
        /// ISO 20022 camt.052, camt.053, camt.054 (XML).
        case camt
        /// OFX 1.x (SGML) and 2.x (XML), QFX.
        case ofx
    }

    /// The bank format of these bytes, from their content (never a file name), or nil for
    /// anything else (CSV, Norma 43, an e-invoice…).
    public static func statementFormat(_ data: Data) -> StatementFormat? {
        let head = data.prefix(4096)
        if CamtReader.looksLikeCamt(head) { return .camt }
        if OFXReader.looksLikeOFX(head) { return .ofx }
        return nil
    }

    /// The profile name a bank file is read under: `camt.053.001.04` (from the namespace), `ofx-1`
    /// (SGML) or `ofx-2` (an XML declaration).
    static func bankProfileName(_ data: Data, _ format: StatementFormat) -> String {
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        switch format {
        case .camt:
            guard let r = head.range(of: "urn:iso:std:iso:20022:tech:xsd:") else { return "camt" }
            let m = String(head[r.upperBound...].prefix { $0 != "\"" && $0 != "'" })
            return CamtReader.message("urn:iso:std:iso:20022:tech:xsd:" + m) ?? "camt"
        case .ofx:
            return head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }.hasPrefix("<?xml") ? "ofx-2" : "ofx-1"
        }
    }

    /// Whether the bytes are a bank statement that this importer reads, XML ones included (camt,
    /// OFX 2): a front end that sends other XML to the e-invoice readers asks this first.
    public static func isStatement(_ data: Data) -> Bool { statementFormat(data) != nil }

    /// Reads a file from disk, mapping it into memory rather than copying it onto the heap.
    public static func read(contentsOf url: URL, options: ImportOptions = ImportOptions(), userProfiles: [UserProfile] = [],
                            progress: (@Sendable (Double) -> Void)? = nil) -> StatementReadResult {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            return StatementReadResult(file: url.lastPathComponent, problems: [
                .error("import.read", "cannot read the file: \(SystemFailure.reason(error, path: url.path))", at: SourceLocation(file: url.path),
                       hint: "check that the path exists and is readable")])
        }
        return read(data: data, fileName: url.lastPathComponent, options: options, userProfiles: userProfiles, progress: progress)
    }

    /// Wall time per phase, kept in the result.
    struct PhaseClock {
        var last = DispatchTime.now().uptimeNanoseconds
        mutating func lap(_ name: String, _ r: inout StatementReadResult) {
            let now = DispatchTime.now().uptimeNanoseconds
            r.phases.append((name, Double(now - last) / 1e9))
            last = now
        }
    }

    struct HeaderCandidate { var record: Int; var line: Int; var texts: [String]; var normalized: [String] }

    static func headerCandidates(_ tokenizer: CSVTokenizer) throws(CSVSyntaxError) -> [HeaderCandidate] {
        var t = tokenizer
        var rec = CSVRecord()
        var out: [HeaderCandidate] = []
        while out.count < 40, try t.next(into: &rec) {
            if rec.fields.allSatisfy({ $0.isEmpty }) { continue }
            let texts = rec.fields.map { t.text($0) }
            out.append(HeaderCandidate(record: rec.number, line: rec.line, texts: texts, normalized: texts.map(HeaderText.normalize)))
        }
        return out
    }

    static func syntax(_ e: CSVSyntaxError, _ file: String) -> Diagnostic {
        .error("csv.syntax", e.message, at: SourceLocation(file: file, line: e.line, column: e.column), hint: e.hint)
    }

    /// Exactly one built-in profile must claim the file; a claiming user profile wins over built-ins.
    static func detect(_ profiles: [StatementProfile], _ candidates: [HeaderCandidate], userCount: Int,
                       result: inout StatementReadResult) -> (StatementProfile, HeaderFit, [String])? {
        let cands = candidates.map { (record: $0.record, line: $0.line, header: $0.normalized) }
        var claims: [(StatementProfile, HeaderFit)] = []
        var misses: [HeaderFit] = []
        for (i, p) in profiles.enumerated() {
            guard let f = HeaderMatcher.best(p, candidates: cands) else { continue }
            if f.claims {
                claims.append((p, f))
                if i < userCount { break }
            } else { misses.append(f) }
        }
        if let first = claims.first, claims.count == 1 || profiles.firstIndex(where: { $0.name == first.0.name })! < userCount {
            let texts = candidates.first { $0.record == first.1.headerRecord }?.texts ?? []
            return (first.0, first.1, texts)
        }
        if claims.count > 1 {
            result.problems = [.error("csv.profile", "several profiles claim this file: \(claims.map(\.0.name).joined(separator: ", "))",
                                      at: SourceLocation(file: result.file), hint: "choose the profile for this file")]
            return nil
        }
        if let (known, row) = KnownReport.match(candidates.map(\.normalized)) {
            result.problems = [.error("csv.not_statement", known.message, at: SourceLocation(file: result.file, line: candidates[row].line), hint: known.hint)]
            return nil
        }
        let best = misses.sorted { ($0.found - $0.missing.count) > ($1.found - $1.missing.count) }.first
        var hint = "describe the layout in a user profile (see docs/profiles.md)"
        // A profile is "closest" only when it shares a column with the file.
        if let b = best, b.found > 0 {
            hint = "closest profile: \(b.profile), which misses the column(s) \(b.missing.map { "\"\($0)\"" }.joined(separator: ", "))"
                + (b.forbidden.isEmpty ? "" : " and must not have \(b.forbidden.map { "\"\($0)\"" }.joined(separator: ", "))")
                + "; or " + hint
        }
        let first = candidates.first.map { $0.texts.prefix(8).joined(separator: ",") } ?? ""
        result.problems = [.error("csv.profile", "no profile recognises this file (first row: \"\(first)\")",
                                  at: SourceLocation(file: result.file, line: candidates.first?.line ?? 1), hint: hint)]
        return nil
    }

    static func separateFeeRows(_ p: StatementProfile) -> Bool { p.amountModel == .amountIncludingFee && !p.uniqueIDs }

    /// Wise "fees as separate transactions": a fee row reuses the parent's id and names it in its
    /// description. The parent's `Total fees` is then metadata only, or the fee would count twice.
    static func markSeparateFees(_ ms: inout [Movement]) {
        var feeIDs: Set<String> = []
        for i in ms.indices {
            guard let id = ms[i].id, ms[i].description.contains(id) else { continue }
            ms[i].cls = .fee; ms[i].gross = ms[i].net; ms[i].fee = 0; ms[i].counter = nil
            feeIDs.insert(id)
        }
        for i in ms.indices {
            guard let id = ms[i].id, feeIDs.contains(id), !ms[i].description.contains(id) else { continue }
            ms[i].gross = ms[i].net
            ms[i].fee = 0
            ms[i].conversionFee = 0
        }
    }
}
