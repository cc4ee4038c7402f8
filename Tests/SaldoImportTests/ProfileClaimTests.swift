import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
@testable import SaldoImport

@Suite struct ProfileClaimTests {
    /// Every profile is checked against every fixture: exactly one claims each file, and it is the
    /// profile the importer used.
    @Test(arguments: StatementFixtures.files)
    func exactlyOneProfileClaims(_ f: String) throws {
        let data = try Fixtures.data("statements/" + f)
        let report = ProfileRegistry.check(data: data, fileName: f)
        #expect(report.claimants.count == 1, "\(f) is claimed by \(report.claimants)")
        let r = StatementImporter.read(data: data, fileName: f)
        #expect(r.profile == report.matched)
        let expectedFamily = f.split(separator: "/").first.map(String.init) ?? ""
        if expectedFamily == "xlsx" {
            // Excel exports are named after their bank, whatever the folder.
            #expect(BuiltinProfiles.spreadsheetProfiles.map(\.name).contains(r.profile ?? "-"), "\(f) read as \(r.profile ?? "-")")
        } else {
            #expect(r.profile?.hasPrefix(expectedFamily) == true, "\(f) read as \(r.profile ?? "-")")
        }
    }

    @Test func detectionIgnoresTheFileName() throws {
        let data = try Fixtures.data("statements/stripe/saldo-stripe-itemized-payout.csv")
        let r = StatementImporter.read(data: data, fileName: "paypal-wise-revolut.csv")
        #expect(r.profile == "stripe-itemized")
    }

    @Test func listAndShow() {
        let names = ProfileRegistry.list().map(\.name)
        for n in ["paypal-activity", "paypal-statement", "wise-statement", "wise-transfers", "stripe-itemized", "stripe-balance",
                  "revolut-personal", "revolut-business", "upwork", "payoneer", "norma43"] {
            #expect(names.contains(n))
            #expect(ProfileRegistry.show(n) != nil)
        }
        let text = ProfileRegistry.show("paypal-statement") ?? ""
        #expect(text.contains("* gross: \"Gross\", \"Brutto\", \"Bruto\""))
        #expect(text.contains("not claimed when the header has: Type"))
        #expect(ProfileRegistry.show("nope") == nil)
    }
}
