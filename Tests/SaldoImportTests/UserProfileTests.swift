import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
@testable import SaldoImport

@Suite struct UserProfileTests {
    func load(_ name: String) throws -> UserProfile {
        try UserProfile.decode(try Fixtures.data("profiles/" + name), source: name)
    }

    @Test func santanderCSVWithPreambleSemicolonsAndWindows1252() throws {
        let profile = try load("santander-es.json")
        let data = try Fixtures.data("profiles/santander-es-statement.csv")
        let r = StatementImporter.read(data: data, fileName: "santander.csv", userProfiles: [profile])
        #expect(r.profile == "santander-es")
        #expect(r.encoding == "Windows-1252")
        #expect(!r.isFatal, "\(r.problems)")
        let text = JournalText.render(r)
        if let diff = Fixtures.compareGolden(text, "profiles/santander-es-statement.csv.golden") { Issue.record("\(diff)") }
        // Categorisation rules: platform, client and account.
        let prolific = try #require(r.transactions.first { $0.description.contains("PROLIFIC") })
        #expect(prolific.platform == "Prolific")
        #expect(prolific.postings.contains { $0.account.path == "income:prolific" })
        let acme = try #require(r.transactions.first { $0.description.contains("ACME") })
        #expect(acme.client == "Acme Corp")
        #expect(acme.postings.contains { $0.account.path == "income:clients:acme" })
        #expect(r.transactions.contains { $0.postings.contains { $0.account.path == "expenses:software" } })
        #expect(r.transactions.contains { $0.kind == .payout })
        #expect(r.transactions.contains { $0.kind == .fee })
        // The "Total" footer is not a transaction, and says so.
        #expect(r.filtered.contains { $0.reason == "not a transaction: no date and no amount" })
        #expect(r.balanceChecks.allSatisfy { $0.holds })
    }

    @Test func rulesOnlyProfileAppliesToBuiltins() throws {
        let rules = try load("my-clients.json")
        #expect(rules.profile == nil)
        let r = StatementImporter.read(data: try Fixtures.data("statements/payoneer/saldo-payoneer-activity.csv"), fileName: "p.csv", userProfiles: [rules])
        #expect(r.transactions.first?.platform == "Toloka")
        let w = StatementImporter.read(data: try Fixtures.data("statements/paypal/saldo-paypal-activity-en-us.csv"), fileName: "a.csv", userProfiles: [rules])
        let acme = try #require(w.transactions.first { $0.externalID == "PP000000000000002" })
        #expect(acme.postings.contains { $0.account.path == "income:clients:acme" })
    }

    @Test func loadsAFolderAndExplainsMistakes() throws {
        let dir = Fixtures.temporaryDirectory()
        try Fixtures.data("profiles/santander-es.json").write(to: dir.appendingPathComponent("a.json"))
        try Fixtures.data("profiles/my-clients.json").write(to: dir.appendingPathComponent("b.json"))
        let all = try UserProfile.load(from: dir)
        #expect(all.map(\.source) == ["a.json", "b.json"])
        #expect(ProfileRegistry.list(userProfiles: all).first?.name == "santander-es")
        #expect(ProfileRegistry.show("santander-es", userProfiles: all)?.contains("decimal mark: ,") == true)

        try Fixtures.data("profiles/broken-profile.json.txt").write(to: dir.appendingPathComponent("c.json"))
        do {
            _ = try UserProfile.load(from: dir)
            Issue.record("a broken profile must be refused")
        } catch {
            let text = error.diagnostics.map(\.description).joined(separator: "\n")
            #expect(text.contains("unknown column role \"amounts\""))
            #expect(text.contains("unknown currency code \"EURO\""))
            #expect(text.contains("\"cash\" is not an account name"))
            #expect(text.contains("c.json"))
        }
        do {
            _ = try UserProfile.decode(Data("{\"title\": 3}".utf8), source: "x.json")
            Issue.record("invalid JSON must be refused")
        } catch {
            #expect(error.diagnostics.first?.message.hasPrefix("not a valid profile:") == true)
        }
    }

    @Test func checkExplainsAUserProfileMatch() throws {
        let profile = try load("santander-es.json")
        let report = ProfileRegistry.check(data: try Fixtures.data("profiles/santander-es-statement.csv"), fileName: "s.csv", userProfiles: [profile])
        #expect(report.matched == "santander-es")
        #expect(report.explanation.contains { $0.contains("after 3 preamble line(s)") })
        #expect(report.explanation.contains("delimiter: semicolon"))
    }

    @Test func schemaIsValidJSONAndNamesEveryRole() throws {
        let json = try JSONSerialization.jsonObject(with: try Fixtures.data("profiles/profile.schema.json")) as? [String: Any]
        let props = try #require(json?["properties"] as? [String: Any])
        let columns = try #require(props["columns"] as? [String: Any])
        let names = try #require((columns["propertyNames"] as? [String: Any])?["enum"] as? [String])
        #expect(Set(names) == Set(ColumnRole.allCases.map(\.rawValue)))
        let kinds = (((props["classRules"] as? [String: Any])?["items"] as? [String: Any])?["properties"] as? [String: Any])?["kind"] as? [String: Any]
        #expect(Set((kinds?["enum"] as? [String]) ?? []) == Set(RowClass.allCases.map(\.rawValue)))
    }
}
