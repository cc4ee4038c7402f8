import Foundation
import Testing
import SaldoCLI
import SaldoTestSupport

/// `saldo bench forecast --interval-study` (issue #16, third round): the interval rule's
/// leave-one-set-out choice, re-runnable after the forecast members change (64,800 candidates since
/// the seventh round added the per-horizon scales' smoothing and anchor to the grid).
@Suite struct BenchIntervalStudyCLITests {
    @Test func intervalStudyPrintsTheHeldOutTable() {
        let data = Fixtures.url("forecasting/m3-monthly-60.json").path
        let r = SaldoCLI.capture(["bench", "forecast", "--dataset", "m3-monthly", "--data", data, "--interval-study"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("Interval rule left out one set at a time (64800 candidates"), "\(r.out.prefix(300))")
        // One set: nothing to leave out, so no held-out row, only the choice on it.
        #expect(r.out.contains("Only one set: leaving one set out needs two sets or more"), "\(r.out)")
        #expect(!r.out.contains("| m3-monthly | normal g="), "\(r.out)")
        #expect(r.out.contains("Chosen on all sets: normal") && r.out.contains("| m3-monthly | 0."), "\(r.out)")
        // A data set that does not exist is refused, naming it.
        let wrong = SaldoCLI.capture(["bench", "forecast", "--dataset", "m3-weekly", "--data", data, "--interval-study"])
        #expect(wrong.status != 0 && wrong.err.contains("m3-weekly"), "\(wrong.err)")
    }
}
