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

    static func bankTextFormatShow(_ name: String) -> String? {
        switch name {
        case MT940Reader.profileName, MT940Reader.interimProfileName:
            return """
            \(name): \(name == MT940Reader.profileName ? MT940Reader.title : "SWIFT MT942 interim transaction report")
              detected by: :20: reference and :25: account near the start (SWIFT envelope and bank header lines allowed)
              accounts: assets:<bank> <last 4 digits of the account>; amounts: decimal comma, C/D/RC/RD marks (reversals reverse)
              checks: opening (:60F:/:60M:) + the ledger's change = closing (:62F:/:62M:) per statement, statements chain; MT942: :90D:/:90C: counts and sums
              dedup: the bank's reference (after //) with date and amount, else a fingerprint of date, amount and details, plus occurrence
            """
        case QIFReader.profileName:
            return """
            qif: \(QIFReader.title)
              detected by: the first line is !Type:…, !Account or !Option:…
              accounts: the !Account name (cards and Oth L under liabilities), else assets:bank / assets:cash / liabilities:credit-card
              dates: !Option:MDY/DMY, else the same evidence as CSV files; currency: the ledger's base currency; no balances to check
              dedup: date, amount, payee, number and occurrence; a transfer has the same key from both accounts
            """
        default: return nil
        }
    }
}
