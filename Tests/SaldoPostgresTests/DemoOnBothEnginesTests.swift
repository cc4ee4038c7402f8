import Foundation
import SaldoApp
import SaldoCore
import SaldoPostgres
import SaldoReports
import SaldoStore
import SaldoTestSupport
import Testing

/// The demo ledger built through the same use cases on both engines: the application layer's
/// documents (monthly report, balances, the forecast's input and forecast, tax, invoices,
/// overview, a transactions page, the ledger export) come out byte for byte the same as JSON.
@Suite(.enabled(if: Engine.postgresAvailable, Comment(rawValue: Engine.postgresMissing)))
struct DemoOnBothEnginesTests {
    static let today = Demo.today

    static func documents(_ location: String) throws -> [(String, String)] {
        _ = try Demo.buildLedger(at: location)
        return try documents(existing: location)
    }

    /// The documents of a ledger that is already there.
    static func documents(existing location: String) throws -> [(String, String)] {
        let store = try LedgerLocation(path: location).open(.existing)
        var docs: [(String, String)] = []
        let year = try Period.parse("2026")
        docs.append(("monthly", render(try Reports.monthly(ReportRequest(period: year), store: store).report, format: .json)))
        docs.append(("monthly by client", render(try Reports.monthly(ReportRequest(period: nil), by: .client, store: store).report, format: .json)))
        docs.append(("balances", render(try Reports.balances(ReportRequest(), store: store).report, format: .json)))
        docs.append(("currencies", render(try Reports.currencies(ReportRequest(period: year), store: store).report, format: .json)))
        let history = try Forecasts.history(today: today, store: store)
        docs.append(("forecast input", "\(history.months) \(history.currency) \(history.streams.sorted { $0.key < $1.key })"))
        docs.append(("forecast", render(try Forecasts.next(history), format: .json)))
        docs.append(("tax summary", render(try Taxes.summary(TaxRequest(today: today), year: 2026, quarter: nil, store: store), format: .json)))
        docs.append(("tax calendar", render(try Taxes.calendar(TaxRequest(today: today), store: store), format: .json)))
        docs.append(("invoices", render(try Invoices.list(today: today, store: store), format: .json)))
        docs.append(("overview", render(try Overview.build(OverviewRequest(today: today), store: store), format: .json)))
        docs.append(("transactions page", render(try Transactions.page(TransactionQuery(text: "wise", limit: 30), store: store), format: .json)))
        docs.append(("ledger export", try Exports.ledger(period: nil, format: .json, store: store).text))
        return docs
    }

    @Test func demoDocumentsAreIdentical() throws {
        let folder = Fixtures.temporaryDirectory()
        let sqlite = try Self.documents(Engine.sqlite.location(in: folder, name: "demo"))
        try Engine.migrated.get()
        let postgres = try Self.documents(Engine.postgres.location(in: folder, name: "demo"))
        #expect(sqlite.count == postgres.count)
        for ((name, a), (_, b)) in zip(sqlite, postgres) {
            #expect(a.count > 40, "\(name) is too short to compare: \(a)")
            if a != b {
                let diff = zip(a.split(separator: "\n", omittingEmptySubsequences: false), b.split(separator: "\n", omittingEmptySubsequences: false))
                    .first { $0 != $1 }.map { "sqlite:   \($0.0)\npostgres: \($0.1)" } ?? "lengths \(a.count) and \(b.count)"
                Issue.record("\(name) differs:\n\(diff)")
            }
        }
    }
}
