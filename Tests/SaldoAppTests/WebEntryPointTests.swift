import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore
import SaldoTestSupport

/// The plain-values entry points both front ends share: scenarios and floors as written, several
/// settings at once, a tax profile given as text, the matcher's proposals, rate files by name.
@Suite struct WebEntryPointTests {
    func copy(_ name: String) throws -> String {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("\(name)-\(UUID().uuidString).sqlite").path
        try Demo.buildLedger(at: path)
        return path
    }

    @Test func scenariosReadAsTheyAreWritten() throws {
        #expect(try ScenarioRequest.parse() == nil)
        #expect(try ScenarioRequest.parse(without: [" "], change: [], add: "") == nil)
        let s = try #require(try ScenarioRequest.parse(without: ["Outlier"], change: ["Upwork=-30%", "Toptal = +10 %"], add: "800/month"))
        #expect(s.without == ["Outlier"])
        #expect(s.change["Upwork"] == -0.3)
        #expect(s.change["Toptal"] == 0.1)
        #expect(s.addPerMonth == 800)
        #expect(s.name == "without Outlier; Upwork=-30%, Toptal = +10 %; +800/month")
        #expect(try ScenarioRequest.parse(add: "1200.50")?.addPerMonth == 1200.5)
        #expect(try ScenarioRequest.parse(add: "500/mo")?.addPerMonth == 500)
        for bad in ["Upwork", "Upwork=-30", "=-30%", "Upwork=abc%"] {
            #expect(throws: UserError.self, "\(bad)") { try ScenarioRequest.parse(change: [bad]) }
        }
        #expect(throws: UserError.self) { try ScenarioRequest.parse(change: ["Upwork=-101%"]) }
        #expect(throws: UserError.self) { try ScenarioRequest.parse(add: "lots/month") }
        #expect(try ScenarioRequest.parseFloor("1500.50") == 1500.5)
        #expect(throws: UserError.self) { try ScenarioRequest.parseFloor("-1") }
        #expect(throws: UserError.self) { try ScenarioRequest.parseFloor("1,500") }
        // Pinned (tester): a Spanish floor with a decimal comma was refused ("1500,50" is not an amount).
        #expect(try ScenarioRequest.parseFloor("1500,50") == 1500.5)
        #expect(try ScenarioRequest.parseFloor("1.500,5") == 1500.5)
        #expect(throws: UserError.self) { try ScenarioRequest.parseFloor("-1,50") }
        #expect(throws: UserError.self) { try ScenarioRequest.parseFloor("1,5,0") }
        do { _ = try ScenarioRequest.parse(change: ["Upwork"]) } catch let e as UserError {
            #expect(!e.message.contains("--"), "library messages name no command-line flag: \(e.message)")
        }
    }

    @Test func theCLIForecastGoldenComesFromTheSharedScenarioParser() throws {
        let store = try LedgerLocation(path: appLedger).open(.existing)
        let scenario = try ScenarioRequest.parse(change: ["Upwork=-30%"])
        let doc = try Forecasts.next(Forecasts.history(today: demoDay, store: store), floor: try ScenarioRequest.parseFloor("3000"),
                                     scenarios: scenario.map { [$0] } ?? [])
        if let diff = Fixtures.compareGolden(render(doc, format: .json), "cli/forecast.json") { Issue.record("\(diff)") }
    }

    @Test func settingsChangeTogetherOrNotAtAll() throws {
        let path = try copy("apply")
        let store = try SQLiteLedgerStore(path: path)
        let stored = try Settings.apply([(.baseCurrency, "usd"), (.jurisdiction, "uk"), (.myTaxIDs, "X1")], in: store)
        #expect(stored.map(\.value) == ["USD", "gb", "X1"])
        do {
            try Settings.apply([(.region, "madrid"), (.baseCurrency, "EURO")], in: store)
            Issue.record("a bad currency was accepted")
        } catch let e as UserError {
            #expect(e.message.hasPrefix("base-currency: "), "\(e.message)")
        }
        #expect(try Settings.get(.region, in: store) == nil, "nothing is stored when one value is bad")
        #expect(try Settings.get(.baseCurrency, in: store) == "USD")
        try Settings.apply([(.jurisdiction, nil)], in: store)
        #expect(try Settings.get(.jurisdiction, in: store) == nil)
        try Settings.apply([(.rateSource, "ARS=bcra")], in: store)
        try Settings.apply([(.rateSource, "COP=trm")], in: store)
        let sources = try #require(try Settings.get(.rateSource, in: store))
        #expect(sources.contains("ARS=bcra") && sources.contains("COP=trm"), "one currency at a time: \(sources)")
    }

    @Test func aTaxProfileGivenAsTextIsCheckedWithPositions() throws {
        let path = try copy("profile")
        let store = try SQLiteLedgerStore(path: path)
        let good = try #require(try Settings.get(.taxProfile, in: store))
        try Settings.unset(.taxProfile, in: store)
        do {
            try Settings.apply([(.taxProfile, "{\n  \"jurisdiction\": \"es\",\n}")], taxProfileIsContent: true, in: store)
            Issue.record("a trailing comma was accepted")
        } catch let e as UserError {
            #expect(e.message.contains("tax-profile: the tax profile: line 3, column"), "\(e.message)")
        }
        #expect(throws: UserError.self) { try Settings.validateProfile(content: "") }
        #expect(throws: UserError.self) { try Settings.validateProfile(content: "{\"jurisdiction\": 7}") }
        #expect(try Settings.get(.taxProfile, in: store) == nil)
        try Settings.apply([(.taxProfile, good)], taxProfileIsContent: true, in: store)
        #expect(try Settings.get(.taxProfile, in: store) == good)
    }

    @Test func suggestionsProposeWithoutLinkingAndSkipRefusedMatches() throws {
        let path = try copy("suggest")
        let store = try SQLiteLedgerStore(path: path)
        #expect(try Invoices.suggest(store: store).isEmpty, "the demo import matched everything it could")
        let linked = try #require(try store.invoices().first { $0.payments.contains { $0.method == "auto" } })
        let txn = linked.payments.first { $0.method == "auto" }!
        _ = try store.unlink(invoiceID: linked.id, transactionID: txn.transactionID)
        let suggestions = try Invoices.suggest(store: store)
        let mine = try #require(suggestions.first { $0.transaction == txn.transactionID })
        #expect(mine.invoice == linked.invoice.number)
        #expect(mine.amount == txn.amount)
        #expect(mine.explanation == txn.explanation)
        #expect(try store.invoices().first { $0.id == linked.id }!.payments.isEmpty, "suggesting links nothing")
        // Matched again, then refused by the user (an automatic link unlinked): never proposed again.
        #expect(try InvoiceMatching.matchOpenInvoices(store) >= 1)
        #expect(try store.invoices().first { $0.id == linked.id }!.payments.contains { $0.transactionID == txn.transactionID && $0.method == "auto" })
        try Invoices.unlink(number: linked.invoice.number, transaction: txn.transactionID, store: store)
        #expect(!(try Invoices.suggest(store: store)).contains { $0.transaction == txn.transactionID })
    }

    @Test func linkRefusesAmountsThatPayNothing() throws {
        let path = try copy("link")
        let store = try SQLiteLedgerStore(path: path)
        let s = try #require(try store.invoices().first { $0.payments.contains { $0.method == "auto" } })
        let txn = s.payments.first!.transactionID
        #expect(throws: UserError.self) { try Invoices.link(number: s.invoice.number, transaction: txn, amount: "0.00", store: store) }
        #expect(throws: UserError.self) { try Invoices.link(number: s.invoice.number, transaction: txn, amount: "-1", store: store) }
        #expect(throws: UserError.self) { try Invoices.link(number: s.invoice.number, transaction: txn, amount: "12,50", store: store) }
        // Without an amount, the link pays what is outstanding besides this payment: all of it when it is the only one.
        if s.payments.count == 1 {
            #expect(try Invoices.link(number: s.invoice.number, transaction: txn, store: store) == s.invoice.payable)
        }
    }

    @Test func uploadedRatesAreReportedUnderTheirOwnName() throws {
        let path = try copy("rates")
        let file = Fixtures.temporaryDirectory().appendingPathComponent("0b7c-generated.upload")
        try Data("Date,USD,\n2031-01-02,1.2001,\n".utf8).write(to: file)
        let r = try Rates.importUploads([(path: file.path, name: "eurofxref.csv")]) { try SQLiteLedgerStore(path: path) }
        #expect(r.files.map(\.file) == ["eurofxref.csv"])
        #expect(r.added == 1)
        try Data("Date,USD\nnope,1\n".utf8).write(to: file)
        let bad = try Rates.importUploads([(path: file.path, name: "mine.csv")]) { try SQLiteLedgerStore(path: path) }
        #expect(bad.added == nil)
        #expect(bad.files[0].problems.allSatisfy { $0.location?.file == "mine.csv" }, "\(bad.files[0].problems)")
        #expect(throws: UserError.self) { try Rates.importUploads([(path: file.path, name: "x")], source: "moon") { try SQLiteLedgerStore(path: path) } }
    }

    @Test func taxRequestsFromPlainValues() throws {
        #expect(try TaxRequest(jurisdictionCode: nil, today: demoDay).jurisdiction == nil)
        #expect(try TaxRequest(jurisdictionCode: " ", today: demoDay).jurisdiction == nil)
        #expect(try TaxRequest(jurisdictionCode: "UK", region: "", today: demoDay).jurisdiction?.rawValue == "gb")
        #expect(try TaxRequest(jurisdictionCode: "es", region: "madrid", today: demoDay).region == "madrid")
        #expect(throws: UserError.self) { try TaxRequest(jurisdictionCode: "fr", today: demoDay) }
        #expect(Taxes.jurisdictionCodes == ["es", "us", "gb"])
    }
}
