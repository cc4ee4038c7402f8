/// Exports that people take for a statement but that list something else: recognised by their
/// header when no profile claims the file, so the error says what the file is and which export
/// to import instead, rather than "no profile recognises this file".
///
/// Each entry is evidence-based (a real sample in ../shared/samples, see fixtures/SOURCES.md) and
/// matched only after every profile has declined the file, so it can never take a statement away
/// from a profile.
struct KnownReport: Sendable {
    /// Normalised header names (`HeaderText.normalize`) that must all be in one header row.
    let headers: [String]
    /// "this is …, not an account statement: …" (English; the catalog holds the Spanish).
    let message: String
    let hint: String

    static let all: [KnownReport] = [
        // Revolut Business → Expenses → Export: one row per card expense with its receipts, tax
        // and category; no balance, and transfers and incoming payments are not in it.
        KnownReport(headers: ["expense id", "expense status", "transaction started (utc)"],
                    message: "this is Revolut Business's expenses report, not an account statement: it lists card expenses with their receipts and categories, not everything that moved the balance",
                    hint: "export the account's statement from Revolut Business (Statement, CSV) and import that file"),
        // `csb2format -f csv` turns a Norma 43 file into one CSV row per movement with the
        // account's header fields repeated: the bank's own file carries the balances to check.
        KnownReport(headers: ["bank_code", "branch_code", "account_key", "information_mode"],
                    message: "this is a CSV made by the csb2format tool from a Norma 43 file, not the bank's own export",
                    hint: "import the Norma 43 file itself (Cuaderno 43, often .n43, .csb or .txt): Saldo reads it directly and checks its balances"),
    ]

    /// The first entry whose headers are all in one of the candidate rows, and that row's index.
    static func match(_ rows: [[String]]) -> (report: KnownReport, row: Int)? {
        for r in all {
            if let i = rows.firstIndex(where: { row in r.headers.allSatisfy(row.contains) }) { return (r, i) }
        }
        return nil
    }
}
