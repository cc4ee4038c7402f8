import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoStore
import SaldoTestSupport
@testable import SaldoWeb

/// A copy of the demo ledger, for tests that change things (never the shared one).
func demoLedgerCopy(_ name: String) throws -> String {
    let path = Fixtures.temporaryDirectory().appendingPathComponent("\(name)-\(UUID().uuidString).sqlite").path
    for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: webDemoLedger + suffix) {
        try FileManager.default.copyItem(atPath: webDemoLedger + suffix, toPath: path + suffix)
    }
    return path
}

/// Pages without inline script, inline style or event handlers (the CSP forbids them).
func expectCleanPage(_ r: RawHTTPResponse, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(r.status == 200, "\(what): \(r.status) \(r.text.prefix(400))", sourceLocation: sourceLocation)
    #expect(r.header("Content-Type")?.hasPrefix("text/html") == true, sourceLocation: sourceLocation)
    #expect(!r.text.contains("<script>") && !r.text.contains("<style"), "\(what): inline script or style", sourceLocation: sourceLocation)
    #expect(r.text.range(of: #"\sstyle=""#, options: .regularExpression) == nil, "\(what): style attribute", sourceLocation: sourceLocation)
    #expect(r.text.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil, "\(what): event handler attribute", sourceLocation: sourceLocation)
    #expect(!r.text.contains("{{"), "\(what): unrendered template", sourceLocation: sourceLocation)
    #expect(!r.text.contains("web."), "\(what): a catalog key shown instead of its words", sourceLocation: sourceLocation)
}

func expectProblem(_ r: RawHTTPResponse, _ status: Int, _ text: String, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(r.status == status, "\(what): \(r.status) \(r.text)", sourceLocation: sourceLocation)
    #expect(r.header("Content-Type") == "application/problem+json", "\(what)", sourceLocation: sourceLocation)
    #expect(r.text.contains(text), "\(what): \(r.text)", sourceLocation: sourceLocation)
}

@Suite struct InvoicesWebTests {
    @Test func listAndSummaryEqualTheCommandLinesJSON() async throws {
        try await withServer { s in
            for (path, golden) in [("/api/v1/books/main/invoices", "cli/invoices-list.json"),
                                   ("/api/v1/books/main/invoices?status=all", "cli/invoices-list.json"),
                                   ("/api/v1/books/main/invoices/summary", "cli/invoices-summary.json")] {
                let r = try await s.get(path)
                #expect(r.status == 200, "\(path): \(r.text.prefix(300))")
                if let diff = Fixtures.compareGolden(r.text, golden) { Issue.record("\(path): \(diff)") }
            }
            let csv = try await s.get("/api/v1/books/main/invoices?format=csv")
            if let diff = Fixtures.compareGolden(csv.text.hasSuffix("\n") ? csv.text : csv.text + "\n", "cli/invoices-list.csv") { Issue.record("csv: \(diff)") }
            let paid = try await s.get("/api/v1/books/main/invoices?status=paid&period=2026")
            #expect(paid.status == 200)
            #expect(!paid.text.contains("\"status\" : \"open\""))
            expectProblem(try await s.get("/api/v1/books/main/invoices?status=late"), 400, "status: expected one of all, open, overdue, paid", "status")
            expectProblem(try await s.get("/api/v1/books/main/invoices?period=soon"), 400, "soon", "period")
            expectProblem(try await s.get("/api/v1/books/nobook/invoices"), 404, "there is no book named", "book")
        }
    }

    @Test func unlinkThenLinkIsVisibleInTheNextGETAndInTheStore() async throws {
        let path = try demoLedgerCopy("invoices-link")
        let store = try SQLiteLedgerStore(path: path)
        let linked = try #require(try store.invoices().first { $0.payments.contains { $0.method == "auto" } })
        let number = linked.invoice.number
        let txn = linked.payments.first { $0.method == "auto" }!.transactionID
        let explanation = linked.payments.first { $0.method == "auto" }!.explanation
        try await withServer(ledger: path) { s in
            // The automatic match is listed with the matcher's explanation.
            let matches = try await s.get("/api/v1/books/main/invoices/matches")
            #expect(matches.status == 200)
            let doc = try JSONParser.parse(Array(matches.text.utf8)).value
            guard case .array(let items)? = doc["matches"] else { Issue.record("no matches array: \(matches.text)"); return }
            let mine = items.first { $0["transaction"] == .number(String(txn)) }
            #expect(mine?["invoice"] == .string(number))
            #expect(mine?["explanation"] == .string(explanation) && !explanation.isEmpty)
            let page = try await s.get("/books/main/invoices", headers: [("Accept", "text/html")])
            #expect(page.text.contains("data-unlink-transaction=\"\(txn)\""), "the page offers to unlink the match")

            let unlink = try await s.change("DELETE", "/api/v1/books/main/invoices/links", json: #"{"invoice": "\#(number)", "transaction": \#(txn)}"#)
            #expect(unlink.status == 200, "\(unlink.text)")
            #expect(unlink.text.contains("\"removed\": 1"))
            #expect(!(try await s.get("/api/v1/books/main/invoices/matches")).text.contains("\"transaction\": \(txn),"))
            // The matcher remembers the unlinked match: it is not proposed again.
            let suggestions = try await s.get("/api/v1/books/main/invoices/suggestions")
            #expect(suggestions.status == 200)
            #expect(!suggestions.text.contains("\"transaction\": \(txn),"))
            let open = try await s.get("/api/v1/books/main/invoices?status=open")
            #expect(open.text.contains("\"number\" : \"\(number)\""), "the unlinked invoice is open again")

            let link = try await s.change("POST", "/api/v1/books/main/invoices/links", json: #"{"invoice": "\#(number)", "transaction": \#(txn), "amount": "10.00"}"#)
            #expect(link.status == 200, "\(link.text)")
            #expect(link.text.contains("\"amount\": \"10.00\""))
            #expect(link.text.contains("\"explanation\": \"linked by the user\""))
            // As the command line: the checks' warnings in the answer, and the document chosen by kind and date.
            #expect(link.text.contains("\"warnings\": ["), "\(link.text)")
            let badKind = try await s.change("POST", "/api/v1/books/main/invoices/links", json: #"{"invoice": "\#(number)", "transaction": \#(txn), "kind": "receipt"}"#)
            #expect(badKind.status == 400 && badKind.text.contains("kind: expected one of invoice, credit-note"), "\(badKind.text)")
            let badDay = try await s.change("POST", "/api/v1/books/main/invoices/links", json: #"{"invoice": "\#(number)", "transaction": \#(txn), "issued": "31/03/2026"}"#)
            #expect(badDay.status == 400 && badDay.text.contains("issued: expected a date"), "\(badDay.text)")
            let byKind = try await s.change("DELETE", "/api/v1/books/main/invoices/links", json: #"{"invoice": "\#(number)", "transaction": \#(txn), "kind": "invoice"}"#)
            #expect(byKind.status == 200, "\(byKind.text)")
            let relink = try await s.change("POST", "/api/v1/books/main/invoices/links", json: #"{"invoice": "\#(number)", "transaction": \#(txn), "amount": "10.00", "kind": "invoice"}"#)
            #expect(relink.status == 200, "\(relink.text)")
            let after = try SQLiteLedgerStore(path: path).invoices().first { $0.invoice.number == number }!
            #expect(after.payments.contains { $0.transactionID == txn && $0.method == "manual" && $0.amount.decimalString == "10.00" })
            let stillOpen = try await s.get("/api/v1/books/main/invoices?status=open")
            #expect(stillOpen.text.contains("\"number\" : \"\(number)\""), "10.00 does not settle it")
        }
    }

    @Test func suggestionsExplainWhatMatchingWouldLinkWithoutLinking() async throws {
        let path = try demoLedgerCopy("invoices-suggest")
        let store = try SQLiteLedgerStore(path: path)
        let linked = try #require(try store.invoices().first { $0.payments.contains { $0.method == "auto" } })
        let txn = linked.payments.first { $0.method == "auto" }!.transactionID
        // Forget the match without remembering a refusal: matching proposes it again.
        _ = try store.unlink(invoiceID: linked.id, transactionID: txn)
        try await withServer(ledger: path) { s in
            let r = try await s.get("/api/v1/books/main/invoices/suggestions")
            #expect(r.status == 200)
            let doc = try JSONParser.parse(Array(r.text.utf8)).value
            guard case .array(let items)? = doc["suggestions"] else { Issue.record("no suggestions array: \(r.text)"); return }
            let mine = items.first { $0["transaction"] == .number(String(txn)) }
            #expect(mine?["invoice"] == .string(linked.invoice.number), "\(r.text)")
            if case .string(let why)? = mine?["explanation"] { #expect(!why.isEmpty) } else { Issue.record("no explanation") }
            if case .string(let amount)? = mine?["amount"] { #expect(amount.contains(".")) } else { Issue.record("amount is not a decimal string") }
            // Nothing was linked by asking.
            #expect(try SQLiteLedgerStore(path: path).invoices().first { $0.id == linked.id }!.payments.isEmpty)
        }
    }

    @Test func badLinkRequestsAreProblemsThatSayWhatIsWrong() async throws {
        let path = try demoLedgerCopy("invoices-bad")
        let number = try SQLiteLedgerStore(path: path).invoices().first!.invoice.number
        try await withServer(ledger: path) { s in
            let url = "/api/v1/books/main/invoices/links"
            let cases: [(String, Int, String, String)] = [
                (#"{"invoice": "\#(number)", "transaction": 1"#, 400, "line 1, column", "malformed JSON"),
                (#"["\#(number)", 1]"#, 400, "must be a JSON object", "not an object"),
                (#"{"transaction": 1}"#, 400, "invoice: missing", "missing invoice"),
                (#"{"invoice": "\#(number)"}"#, 400, "transaction: missing", "missing transaction"),
                (#"{"invoice": 12, "transaction": 1}"#, 400, "invoice: expected a string, found the number 12", "wrong type"),
                (#"{"invoice": "\#(number)", "transaction": "abc"}"#, 400, "transaction: expected a transaction id", "transaction not a number"),
                (#"{"invoice": "\#(number)", "transaction": 1.5}"#, 400, "transaction: expected a transaction id", "fractional id"),
                (#"{"invoice": "\#(number)", "transaction": 1, "amount": 12.5}"#, 400, "amount: expected a string", "amount as a float"),
                (#"{"invoice": "\#(number)", "transaction": 1, "colour": "red"}"#, 400, "colour: not a field of this request", "unknown field"),
                (#"{"invoice": "NO-SUCH-1", "transaction": 1}"#, 404, "no invoice numbered", "unknown invoice"),
                (#"{"invoice": "\#(number)", "transaction": 99999999}"#, 404, "no transaction #99999999", "unknown transaction"),
                (#"{"invoice": "\#(number)", "transaction": 1, "amount": "12,50"}"#, 422, "is not an amount in", "comma decimal"),
                (#"{"invoice": "\#(number)", "transaction": 1, "amount": "-5.00"}"#, 422, "does not pay anything", "negative amount"),
            ]
            for (body, status, text, what) in cases {
                expectProblem(try await s.change("POST", url, json: body), status, text, what)
            }
            expectProblem(try await s.change("DELETE", url, json: #"{"invoice": "NO-SUCH-1"}"#), 404, "no invoice numbered", "unlink unknown")
            expectProblem(try await s.change("DELETE", url, json: #"{"invoice": "\#(number)", "transaction": 99999999}"#), 422, "has no such payment link", "unlink no link")
            expectProblem(try await s.change("POST", url, body: Data("invoice=1".utf8), contentType: "application/x-www-form-urlencoded"), 415, "must be JSON", "form body")
            let wrongMethod = try await s.change("PATCH", url, json: #"{"invoice": "\#(number)", "transaction": 1}"#)
            #expect(wrongMethod.status == 405 || wrongMethod.status == 404, "PATCH: \(wrongMethod.status)")
            #expect(!wrongMethod.text.contains("Swift"))
        }
    }

    @Test func thePageShowsSummaryListAndLinkForm() async throws {
        try await withServer { s in
            let en = try await s.get("/books/main/invoices?status=open", headers: [("Accept", "text/html")])
            expectCleanPage(en, "invoices")
            #expect(en.text.contains("<script src=\"/assets/invoices.js\" defer>"))
            #expect(en.text.contains("<option value=\"open\" selected>"))
            #expect(en.text.contains("id=\"invoice-suggest\""))
            #expect(en.text.contains("<label>Invoice number"))
            let es = try await s.get("/books/main/invoices?lang=es", headers: [("Accept", "text/html")])
            expectCleanPage(es, "facturas")
            #expect(es.text.contains("Proponer cobros"))
            let script = try await s.get("/assets/invoices.js")
            #expect(script.status == 200 && script.text.contains("/invoices/links"))
        }
    }
}

@Suite struct ForecastWebTests {
    @Test func forecastAndBacktestEqualTheCommandLinesJSON() async throws {
        try await withServer { s in
            let r = try await s.get("/api/v1/books/main/forecast?floor=3000&change=Upwork%3D-30%25")
            #expect(r.status == 200, "\(r.text.prefix(300))")
            if let diff = Fixtures.compareGolden(r.text, "cli/forecast.json") { Issue.record("forecast: \(diff)") }
            let b = try await s.get("/api/v1/books/main/forecast/backtest")
            #expect(b.status == 200, "\(b.text.prefix(300))")
            if let diff = Fixtures.compareGolden(b.text, "cli/forecast-backtest.json") { Issue.record("backtest: \(diff)") }
        }
    }

    @Test func scenariosChangeTheAnswerAndBadOnesNameTheParameter() async throws {
        try await withServer { s in
            let base = try await s.get("/api/v1/books/main/forecast?months=2")
            let added = try await s.get("/api/v1/books/main/forecast?months=2&add=800/month&without=Outlier")
            #expect(base.status == 200 && added.status == 200, "\(added.text.prefix(400))")
            #expect(added.text.contains("without Outlier; +800/month"), "\(added.text.prefix(2000))")
            #expect(base.text != added.text)
            let cases: [(String, String)] = [
                ("floor=lots", "floor: the floor \\\"lots\\\" is not an amount"),
                ("floor=-5", "floor:"),
                ("change=Upwork", "scenario: the change \\\"Upwork\\\" does not read as PLATFORM=PERCENT"),
                ("change=Upwork%3D-150%25", "takes away more than everything"),
                ("change=Nowhere%3D-10%25", "no platform named \\\"Nowhere\\\""),
                ("without=Nowhere", "no platform named \\\"Nowhere\\\""),
                ("add=lots", "the added income \\\"lots\\\" is not an amount per month"),
                ("months=0", "months: expected a whole number from 1 to 24"),
                ("months=x", "months: expected a whole number"),
                ("paths=5", "paths: expected a whole number from 100"),
                ("by=currency", "by: expected one of platform, client"),
                ("currency=EURO", "currency: expected an ISO 4217 code"),
            ]
            for (q, text) in cases {
                expectProblem(try await s.get("/api/v1/books/main/forecast?\(q)"), 400, text, q)
            }
            expectProblem(try await s.get("/api/v1/books/main/forecast/backtest?minimum-history=1"), 400, "minimum-history: expected a whole number from 3 to 60", "minimum-history")
        }
    }

    @Test func thePageOffersTheScenarioFormAndTheBacktest() async throws {
        try await withServer { s in
            let r = try await s.get("/books/main/forecast?floor=1500&change-platform=Upwork&change-percent=-30&add-month=800", headers: [("Accept", "text/html")])
            expectCleanPage(r, "forecast")
            #expect(r.text.contains("<option value=\"Upwork\" selected>Upwork</option>"))
            #expect(r.text.contains("Upwork=-30%"), "the scenario is in the fan's document")
            #expect(r.text.contains("forecast?floor=1500&amp;change=Upwork%3D-30%25&amp;add=800%2Fmonth") || r.text.contains("change=Upwork%3D-30%25"), "the JSON link carries the same query")
            #expect(r.text.contains("<svg"), "the fan chart from the report chart code")
            let es = try await s.get("/books/main/forecast?lang=es", headers: [("Accept", "text/html")])
            expectCleanPage(es, "previsión")
            #expect(es.text.contains("Mínimo mensual"))
            let bad = try await s.get("/books/main/forecast?floor=abc", headers: [("Accept", "text/html")])
            #expect(bad.status == 400)
            #expect(bad.text.contains("is not an amount"))
        }
    }
}

@Suite struct TaxWebTests {
    @Test func summaryCalendarAndSetAsideEqualTheCommandLinesJSON() async throws {
        try await withServer { s in
            for (path, golden) in [("/api/v1/books/main/tax/summary?year=2026&quarter=3", "cli/tax-summary-es-2026-q3.json"),
                                   ("/api/v1/books/main/tax/calendar", "cli/tax-calendar.json"),
                                   ("/api/v1/books/main/tax/set-aside?year=2026", "cli/tax-set-aside.json")] {
                let r = try await s.get(path)
                #expect(r.status == 200, "\(path): \(r.text.prefix(300))")
                if let diff = Fixtures.compareGolden(r.text, golden) { Issue.record("\(path): \(diff)") }
            }
            let cases: [(String, String)] = [
                ("summary?jurisdiction=fr", "jurisdiction: jurisdiction \\\"fr\\\" is not supported"),
                ("summary?quarter=5", "quarter: expected a whole number from 1 to 4"),
                ("summary?year=twenty", "year: expected a whole number"),
                ("set-aside?year=1800", "year: expected a whole number from 2000 to 2100"),
                ("calendar?no-forecast=maybe", "no-forecast: expected true or false"),
            ]
            for (q, text) in cases {
                expectProblem(try await s.get("/api/v1/books/main/tax/\(q)"), 400, text, q)
            }
            // The demo's profile names a Spanish region: another jurisdiction says so, and computes with a region of its own.
            expectProblem(try await s.get("/api/v1/books/main/tax/summary?jurisdiction=us&year=2026"), 422, "is not in United States", "us with a Spanish region")
            let us = try await s.get("/api/v1/books/main/tax/summary?jurisdiction=gb&region=scotland&year=2026")
            #expect(us.status == 200, "\(us.text.prefix(300))")
            #expect(us.text != (try await s.get("/api/v1/books/main/tax/summary?year=2026")).text)
        }
    }

    @Test func thePageMarksUnconfirmedFiguresInWords() async throws {
        try await withServer { s in
            let r = try await s.get("/books/main/tax?year=2026&quarter=3", headers: [("Accept", "text/html")])
            expectCleanPage(r, "tax")
            #expect(r.text.contains("<option value=\"3\" selected>Q3</option>"))
            #expect(r.text.contains("Return:") && r.text.contains("Calendar:") && r.text.contains("Monthly set-aside:"))
            // The demo's 2026 Spanish rules hold figures not confirmed yet (see the CLI golden's "unconfirmed").
            #expect(try Fixtures.text("cli/tax-summary-es-2026-q3.json").contains("\"unconfirmed\" : [\n    {"))
            #expect(r.text.contains("<h2 id=\"unconfirmed-title\"><span aria-hidden=\"true\">⚠ </span>Unconfirmed figures</h2>"),
                    "unconfirmed figures are named in words, not colour alone")
            // Listed once, in that box: not again among every section's notes (they were, three times).
            #expect(r.text.components(separatedBy: "(irpf.modelo130, es-2026.json)").count == 2, "\(r.text)")
            let es = try await s.get("/books/main/tax?lang=es", headers: [("Accept", "text/html")])
            expectCleanPage(es, "impuestos")
            #expect(es.text.contains("Ejercicio"))
        }
    }

    @Test func withoutJurisdictionThePageSaysWhatToSetAndLinksToSettings() async throws {
        let path = try demoLedgerCopy("tax-missing")
        try Settings.unset(.taxProfile, in: try SQLiteLedgerStore(path: path))
        try Settings.unset(.jurisdiction, in: try SQLiteLedgerStore(path: path))
        try await withServer(ledger: path) { s in
            let api = try await s.get("/api/v1/books/main/tax/summary")
            expectProblem(api, 422, "does not know your tax jurisdiction", "api")
            #expect(api.text.contains("choose-jurisdiction"))
            let page = try await s.get("/books/main/tax", headers: [("Accept", "text/html")])
            expectCleanPage(page, "tax without jurisdiction")
            #expect(page.text.contains("does not know your tax jurisdiction"))
            #expect(page.text.contains("href=\"/books/main/settings\">Open the settings</a>"))
            // Named in the request, it computes.
            #expect(try await s.get("/api/v1/books/main/tax/calendar?jurisdiction=gb").status == 200)
        }
    }
}

@Suite struct SettingsWebTests {
    @Test func aChangeIsVisibleInTheNextGETAndInTheStore() async throws {
        let path = try demoLedgerCopy("settings")
        try await withServer(ledger: path) { s in
            let before = try await s.get("/api/v1/books/main/settings")
            #expect(before.status == 200)
            #expect(before.text.contains("\"base-currency\": \"EUR\""))
            #expect(before.text.contains("\"jurisdiction\": null"))
            let put = try await s.change("PUT", "/api/v1/books/main/settings", json: #"{"base-currency": "usd", "jurisdiction": "UK", "my-tax-ids": "12345678Z, ESB1"}"#)
            #expect(put.status == 200, "\(put.text)")
            #expect(put.text.contains("\"base-currency\": \"USD\""))
            #expect(put.text.contains("\"jurisdiction\": \"gb\""))
            let after = try await s.get("/api/v1/books/main/settings")
            #expect(after.text.contains("\"base-currency\": \"USD\"") && after.text.contains("\"jurisdiction\": \"gb\""))
            let store = try SQLiteLedgerStore(path: path)
            #expect(try Settings.get(.baseCurrency, in: store) == "USD")
            #expect(try Settings.ownTaxIDs(in: store) == ["12345678Z", "ESB1"])
            // Reports follow the new base currency.
            let monthly = try await s.get("/api/v1/books/main/reports/monthly?period=2026")
            #expect(monthly.text.contains("\"currency\": \"USD\""))
            // null removes a setting.
            let removed = try await s.change("PUT", "/api/v1/books/main/settings", json: #"{"jurisdiction": null}"#)
            #expect(removed.status == 200)
            #expect(try Settings.get(.jurisdiction, in: SQLiteLedgerStore(path: path)) == nil)
        }
    }

    @Test func badSettingsAreRefusedByKeyAndChangeNothing() async throws {
        let path = try demoLedgerCopy("settings-bad")
        try await withServer(ledger: path) { s in
            let url = "/api/v1/books/main/settings"
            expectProblem(try await s.change("PUT", url, json: #"{"base-currency": "EUR""#), 400, "not JSON: line 1", "malformed")
            expectProblem(try await s.change("PUT", url, json: #"{}"#), 400, "no setting given", "empty")
            expectProblem(try await s.change("PUT", url, json: #"{"colour": "red"}"#), 400, "colour: not a setting; expected one of base-currency", "unknown key")
            expectProblem(try await s.change("PUT", url, json: #"{"base-currency": 5}"#), 400, "base-currency: expected a string (or null to remove it), found the number 5", "wrong type")
            expectProblem(try await s.change("PUT", url, json: #"{"jurisdiction": "es", "base-currency": "EURO"}"#), 422, "base-currency:", "bad currency")
            expectProblem(try await s.change("PUT", url, json: #"{"jurisdiction": "fr"}"#), 422, #"jurisdiction: jurisdiction \"fr\" is not supported"#, "bad jurisdiction")
            expectProblem(try await s.change("PUT", url, json: #"{"activity-start": "2026-02-30"}"#), 422, "activity-start:", "bad date")
            expectProblem(try await s.change("PUT", url, json: #"{"rate-source": "ARS=nowhere"}"#), 422, "rate-source:", "bad rate source")
            expectProblem(try await s.change("PUT", url, json: #"{"tax-profile": "{\"jurisdiction\": \"es\",}"}"#), 422, "tax-profile: the tax profile: line 1, column", "profile not JSON")
            expectProblem(try await s.change("PUT", url, json: #"{"tax-profile": "{\"jurisdiction\": 7}"}"#), 422, "tax-profile:", "profile of the wrong shape")
            let post = try await s.change("POST", url, json: #"{"base-currency": "USD"}"#)
            #expect(post.status == 405 || post.status == 404, "POST settings: \(post.status)")
            #expect(!post.text.contains("Swift"))
            let huge = #"{"my-tax-ids": ""# + String(repeating: "X", count: 2 * 1024 * 1024) + #""}"#
            expectProblem(try await s.change("PUT", url, json: huge), 413, "larger than", "oversized JSON")
            let store = try SQLiteLedgerStore(path: path)
            #expect(try Settings.get(.jurisdiction, in: store) == nil, "a bad value beside a good one changes nothing")
            #expect(try Settings.get(.baseCurrency, in: store) == "EUR")
        }
    }

    @Test func aPastedTaxProfileIsCheckedAndStored() async throws {
        let path = try demoLedgerCopy("settings-profile")
        let profile = try #require(try Settings.get(.taxProfile, in: SQLiteLedgerStore(path: path)))
        try Settings.unset(.taxProfile, in: SQLiteLedgerStore(path: path))
        try await withServer(ledger: path) { s in
            #expect(try await s.get("/api/v1/books/main/tax/calendar").status == 422)
            let body = JSONValue.obj([("tax-profile", .string(profile))]).serialized()
            let put = try await s.change("PUT", "/api/v1/books/main/settings", json: body)
            #expect(put.status == 200, "\(put.text.prefix(500))")
            #expect(try Settings.get(.taxProfile, in: SQLiteLedgerStore(path: path)) == profile)
            let calendar = try await s.get("/api/v1/books/main/tax/calendar")
            #expect(calendar.status == 200)
            if let diff = Fixtures.compareGolden(calendar.text, "cli/tax-calendar.json") { Issue.record("\(diff)") }
        }
    }

    @Test func ratesImportReadsTheFileAndSaysHowManyWereAdded() async throws {
        let path = try demoLedgerCopy("rates")
        let uploads = Fixtures.temporaryDirectory().appendingPathComponent("uploads-\(UUID().uuidString)").path
        let csv = "Date,USD,GBP,\n2031-01-02,1.2001,0.8601,\n2031-01-03,1.2002,0.8602,\n"
        try await withUploadServer(ledger: path, uploadFolder: uploads, maxUploadBytes: 4096) { s in
            let r = try await s.change("POST", "/api/v1/books/main/rates?name=..%2F..%2Fetc%2Feurofxref.csv", body: Data(csv.utf8), contentType: "text/csv")
            #expect(r.status == 200, "\(r.text)")
            #expect(r.text.contains("\"added\": 4"), "\(r.text)")
            #expect(r.text.contains("\"file\": \"eurofxref.csv\""), "only the file's own name is kept")
            let again = try await s.change("POST", "/api/v1/books/main/rates?name=eurofxref.csv", body: Data(csv.utf8), contentType: "text/csv")
            #expect(again.text.contains("\"added\": 0") && again.text.contains("\"existing\": 4"), "\(again.text)")
            #expect(try SQLiteLedgerStore(path: path).rates(quote: try CurrencyCode("USD"), from: Day(iso: "2031-01-01"), to: nil).count == 2)
            // Nothing stays behind in the upload folder.
            #expect((try? FileManager.default.contentsOfDirectory(atPath: uploads))?.isEmpty ?? true)

            let bad = try await s.change("POST", "/api/v1/books/main/rates?name=rates.csv", body: Data("Date,USD\nyesterday,abc\n".utf8), contentType: "text/csv")
            expectProblem(bad, 422, "rates.csv: the rates do not read; nothing was added", "bad file")
            #expect(bad.text.contains("\"errors\""), "with the reader's positions: \(bad.text)")
            let big = try await s.change("POST", "/api/v1/books/main/rates?name=big.csv", body: Data(repeating: 65, count: 10_000), contentType: "text/csv")
            expectProblem(big, 413, "larger than", "too large")
            expectProblem(try await s.change("POST", "/api/v1/books/main/rates", body: Data(), contentType: "text/csv"), 400, "the upload is empty", "empty")
            expectProblem(try await s.change("POST", "/api/v1/books/main/rates?source=moon", body: Data(csv.utf8), contentType: "text/csv"), 400, "source: expected one of", "source")
            #expect((try? FileManager.default.contentsOfDirectory(atPath: uploads))?.isEmpty ?? true)
        }
    }

    @Test func thePageLabelsEveryField() async throws {
        try await withServer { s in
            let r = try await s.get("/books/main/settings", headers: [("Accept", "text/html")])
            expectCleanPage(r, "settings")
            for key in Setting.allCases.map(\.rawValue) where key != "tax-profile" {
                #expect(r.text.contains("<label for=\"s-\(key)\">"), "\(key) has a label")
            }
            #expect(r.text.contains("<label for=\"s-tax-profile\">"))
            #expect(r.text.contains("value=\"EUR\" data-initial=\"EUR\""))
            #expect(r.text.contains("<label for=\"r-file\">"))
            let es = try await s.get("/books/main/settings?lang=es", headers: [("Accept", "text/html")])
            expectCleanPage(es, "configuración")
            #expect(es.text.contains("Divisa base"))
        }
    }

    /// Settings with a few fixed values are choices in words, in the page's language; the stored
    /// code is the option's value and is shown selected. (The Spanish page used to ask for
    /// "yes" or "no" in an empty box.)
    @Test func fixedValueSettingsAreChoicesInWords() async throws {
        let path = try demoLedgerCopy("settings-choices")
        try await withServer(ledger: path) { s in
            let put = try await s.change("PUT", "/api/v1/books/main/settings", json: #"{"new-freelancer": "yes", "filing-status": "head-of-household"}"#)
            #expect(put.status == 200, "\(put.text)")
            let es = try await s.get("/books/main/settings?lang=es", headers: [("Accept", "text/html")])
            expectCleanPage(es, "configuración")
            #expect(es.text.contains("<select id=\"s-new-freelancer\" name=\"new-freelancer\" data-initial=\"yes\""))
            #expect(es.text.contains("<option value=\"yes\" selected>Sí</option><option value=\"no\">No</option>"))
            #expect(es.text.contains("<option value=\"head-of-household\" selected>Cabeza de familia (head of household)</option>"))
            #expect(!es.text.contains("yes si te corresponde"))
            let en = try await s.get("/books/main/settings?lang=en", headers: [("Accept", "text/html")])
            #expect(en.text.contains("<option value=\"married-joint\">Married filing jointly</option>"))
            #expect(en.text.contains("<option value=\"\">(not set)</option>"))
            // Every code the setting accepts is offered, and nothing else.
            for code in Setting.filingStatuses { #expect(en.text.contains("<option value=\"\(code)\"")) }
        }
    }
}

/// A server with its own upload folder and limit (the shared helper keeps the defaults).
func withUploadServer<T: Sendable>(ledger: String, uploadFolder: String, maxUploadBytes: Int,
                                   _ body: @Sendable (RunningServer) async throws -> T) async throws -> T {
    let options = WebOptions(host: "127.0.0.1", port: 0, ledger: LedgerLocation(path: ledger), maxUploadBytes: maxUploadBytes,
                             clock: .fixed(webDemoDay), uploadFolder: uploadFolder)
    return try await withServer(options: options, body)
}
