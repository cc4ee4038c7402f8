import Foundation
import SaldoCore
import SaldoPostgres
import SaldoStore
import SaldoTestSupport
import Testing

@Suite struct EngineMatrixTests {
    /// On CI the PostgreSQL half of the matrix must run: a missing URL is a failure, not a skip.
    @Test func postgresIsConfiguredOnCI() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(Engine.postgresAvailable, "CI is set but SALDO_TEST_POSTGRES_URL is not: .ci/run starts the cluster with scripts/pg-test-cluster.sh")
        }
    }

    /// Both engines apply the same migrations, by name, in the same order.
    @Test func migrationListsAreEqual() {
        #expect(PostgresSchema.migrationNames == SQLiteLedgerStore.migrationNames)
        #expect(PostgresSchema.migrationNames.last == "2026-12-07-v8-day-total-parts")
    }
}
