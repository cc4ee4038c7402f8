import Foundation
import Testing
import SaldoApp
import SaldoStore
import SaldoTestSupport

/// An import into an empty ledger drops the transaction table's indexes and builds them once at
/// the end: afterwards the schema is exactly a new ledger's, and the indexes answer queries.
@Suite struct BulkLoadSchemaTests {
    @Test func theIndexesComeBackAsTheyWere() throws {
        let dir = Fixtures.temporaryDirectory()
        let fresh = try SQLiteLedgerStore(path: dir.appendingPathComponent("bulk-fresh.sqlite").path)
        let path = dir.appendingPathComponent("bulk-loaded.sqlite").path
        let csv = Fixtures.url("statements/paypal/saldo-paypal-activity-en-us.csv").path
        let outcome = try ImportFiles.run(ImportRequest(paths: [csv]), ledger: LedgerLocation(path: path), environment: [:])
        #expect(outcome.totals.new > 0)
        let loaded = try SQLiteLedgerStore(path: path, mode: .existing)
        #expect(try loaded.schemaSQL() == fresh.schemaSQL())
        #expect(try loaded.integrityCheck() == "ok")
        // A second file into the now non-empty ledger takes the ordinary path, and dedup still holds.
        let again = try ImportFiles.run(ImportRequest(paths: [csv]), ledger: LedgerLocation(path: path), environment: [:])
        #expect(again.totals.new == 0)
    }
}
