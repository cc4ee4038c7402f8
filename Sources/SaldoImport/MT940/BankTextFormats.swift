import Foundation
import SaldoCore
import SaldoBatch

/// Dispatch to the MT940/MT942 and QIF readers, by content (never by the file name).
extension StatementImporter {
    /// The read result when the text is an MT940/MT942 statement or a QIF file, else nil.
    /// A file that is not UTF-8 is decoded again with the legacy code page that reads it best
    /// (Windows-1252 or CP852), from the original bytes.
    static func bankTextFormat(data: Data, decoded: TextDecoding.Decoded, fileName: String, options: ImportOptions,
                               userProfiles: [UserProfile]) -> StatementReadResult? {
        let forced = options.profile
        let head = decoded.bytes.prefix(4096).array
        let rules = userProfiles.flatMap(\.rules)
        func text() -> TextDecoding.Decoded { decoded.encoding == .windows1252 ? TextDecoding.decodeLegacy(data) : decoded }
        if forced == nil || forced == MT940Reader.profileName || forced == MT940Reader.interimProfileName, MT940Reader.looksLikeMT940(head) {
            let d = text()
            return MT940Reader.read(d.bytes.array, file: fileName, encoding: d.encoding, userRules: rules)
        }
        if forced == nil || forced == QIFReader.profileName, QIFReader.looksLikeQIF(head) {
            let d = text()
            return QIFReader.read(d.bytes.array, file: fileName, encoding: d.encoding, options: options, userRules: rules)
        }
        return nil
    }

    /// Hands a collected result's transactions to `emit` in batches, as the streaming path expects;
    /// nothing is handed over from a fatal result unless the caller collects anyway.
    static func handOver(_ r: StatementReadResult, emitWhenRowsFailed: Bool, emit: (TransactionBatch) -> Void) -> StatementReadResult {
        var r = r
        if emitWhenRowsFailed || !r.isFatal {
            var b = TransactionBatchBuilder(sourceFile: r.file)
            for t in r.transactions {
                b.append(t)
                if b.count >= 4096 { emit(b.take()) }
            }
            if b.count > 0 { emit(b.take()) }
        }
        r.transactions = []
        return r
    }
}

extension ProfileRegistry {
    /// Why an MT940/MT942 or QIF reader claims the text, for `profiles check`; nil when neither does.
    static func bankTextFormatClaim(_ bytes: ByteBuffer) -> (String, String)? {
        let head = bytes.prefix(4096).array
        if MT940Reader.looksLikeMT940(head) {
            // Whether it is an interim report depends on every statement: the reader decides.
            let name = MT940Reader.read(bytes.array, file: "", encoding: .utf8).profile ?? MT940Reader.profileName
            return (name, "\(name) claims it: SWIFT statement fields (:20: reference, :25: account, then balances or entries) near the start"
                + (name == MT940Reader.interimProfileName ? "; an interim report (:34F:, :13D:, :90D:/:90C:, no balances)" : ""))
        }
        if QIFReader.looksLikeQIF(head) {
            return (QIFReader.profileName, "qif claims it: the first line is a QIF header (!Type:…, !Account or !Option:…)")
        }
        return nil
    }
}

extension ProfileRegistry {
    static var bankTextFormatSummaries: [ProfileSummary] {
        [ProfileSummary(name: MT940Reader.profileName, title: MT940Reader.title, institution: "the bank named in the file", origin: "built-in"),
         ProfileSummary(name: MT940Reader.interimProfileName, title: "SWIFT MT942 interim transaction report", institution: "the bank named in the file", origin: "built-in"),
         ProfileSummary(name: QIFReader.profileName, title: QIFReader.title, institution: "the account named in the file", origin: "built-in")]
    }

    static func bankTextFormatShow(_ name: String, in L: Catalog) -> String? {
        let family: String, title: String
        switch name {
        case MT940Reader.profileName: family = "mt940"; title = MT940Reader.title
        case MT940Reader.interimProfileName: family = "mt940"; title = "SWIFT MT942 interim transaction report"
        case QIFReader.profileName: family = "qif"; title = QIFReader.title
        default: return nil
        }
        let key = "profile.title.\(name)"
        return "\(name): \(L.has(key) ? L.text(key) : title)\n"
            + ["detected", "accounts", "checks", "dedup"].map { "  " + L.text("profiles.show.\(family).\($0)") }.joined(separator: "\n")
    }
}
