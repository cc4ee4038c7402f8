import Foundation
import Testing
import SaldoCore
import SaldoImport

/// Pinned: PayPal shows a withdrawal to the bank as "Pending" while its running balance already
/// excludes it (seen in the OCA activity sample). Dropping it broke every later balance check and
/// lost the payout; a pending withdrawal that states a balance is kept.
@Suite struct PendingWithdrawalTests {
    let csv = """
    "Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","From Email Address","To Email Address","Transaction ID","Reference Txn ID","Balance"
    "13/03/2026","10:00:00","CET","Client A","Website Payment","Completed","EUR","1,000.00","-30.00","970.00","a@example.com","me@example.com","T1","","970.00"
    "15/03/2026","09:00:00","CET","","General Withdrawal","Pending","EUR","-900.00","0.00","-900.00","me@example.com","","T2","","70.00"
    "16/03/2026","09:00:00","CET","Client B","Website Payment","Pending","EUR","50.00","0.00","50.00","b@example.com","me@example.com","T3","",""
    "17/03/2026","09:00:00","CET","Client C","Website Payment","Completed","EUR","10.00","-0.50","9.50","c@example.com","me@example.com","T4","","79.50"

    """

    @Test func pendingWithdrawalWithABalanceIsKept() {
        let r = StatementImporter.read(data: Data(csv.utf8), fileName: "pending.csv")
        #expect(!r.isFatal, "\(r.problems)")
        #expect(r.profile == "paypal-activity")
        #expect(r.transactions.map(\.externalID) == ["T1", "T2", "T4"])
        #expect(r.transactions.first { $0.externalID == "T2" }?.kind == .payout)
        #expect(r.filtered.map(\.reason) == ["status \"Pending\" is not completed"])
        #expect(!r.balanceChecks.isEmpty && r.balanceChecks.allSatisfy(\.holds))
    }
}
