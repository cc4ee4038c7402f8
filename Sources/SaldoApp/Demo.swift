import Foundation
import SaldoCore
import SaldoReports
import SaldoStore

/// The demo: Lucía's statements, e-invoices, rates and tax profile, bundled with Saldo, imported
/// into a ledger of its own through the same use cases as the user's.
public enum Demo {
    /// The bundled demo files.
    public static var folder: URL? { Bundle.module.url(forResource: "Demo", withExtension: nil) }

    /// The day the demo's figures are computed for.
    public static let today = Day(year: 2026, month: 11, day: 15)!

    /// The statements and e-invoices (a folder) imported, in order, and her categorisation rules.
    public static let files = ["paypal-activity-2025-2026.csv", "upwork-transactions.csv", "wise-statement-gbp.csv", "wise-statement-usd.csv",
                               "wise-statement-eur.csv", "bank-ing-2025-2026.n43", "invoices"]
    public static let rules = "lucia-rules.json"

    /// Builds the demo ledger at `path`: settings, the ECB rates, then the statements and invoices.
    /// `each` is told about every imported file.
    @discardableResult
    public static func buildLedger(at path: String, environment: [String: String] = [:],
                                   each: (FileImportSummary) -> Void = { _ in }) throws -> ImportOutcome {
        guard let folder else { throw UserError("the bundled demo data is missing from this build", hint: "rebuild Saldo") }
        func file(_ name: String) -> String { folder.appendingPathComponent(name).path }
        let ledger = LedgerLocation(path: path)
        let store = try ledger.open(.create)
        try Settings.set(.baseCurrency, "EUR", in: store)
        try Settings.set(.taxProfile, file("tax-profile.json"), in: store)
        let rates = try Rates.importFiles([file("ecb-eurofxref-2024-2026.csv")]) { store }
        if let bad = rates.files.first(where: \.failed) { throw UserError("the demo's rates do not read: \(bad.problems.map(\.description).joined(separator: "; "))") }
        return try ImportFiles.run(ImportRequest(paths: files.map(file), profilesPath: file(rules)), ledger: ledger,
                                   environment: environment, each: each)
    }
}
