import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports

/// Reports: monthly (by platform, client, currency or account), currencies and balances; as JSON
/// (the CLI's `--format json`), as downloads, and as the Reports page.
struct ReportRoutes {
    let server: WebServer

    enum Kind: String, CaseIterable, Sendable { case monthly, currencies, balances }

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        for kind in Kind.allCases {
            var parameters = APIRoutes.periodParameters + APIRoutes.filterParameters + [APIRoutes.formatParameter]
            if kind == .monthly {
                parameters += [.init(name: "by", description: "Group by platform, client, currency or account.", values: MonthlyGrouping.allCases.map(\.rawValue)),
                               .init(name: "show-original", kind: .boolean, description: "Also show the sums in their original currencies.")]
            }
            let summary = [Kind.monthly: "Gross earnings, fees and net per month (saldo report monthly).",
                           .currencies: "Per currency: earned, converted, held, and the hidden cost of each conversion (saldo report currencies).",
                           .balances: "Balance per account and currency, with the statements' balance checks (saldo report balances)."][kind]!
            api.add(APIOperation(method: .get, path: "/books/{book}/reports/\(kind.rawValue)", id: "report\(kind.rawValue.capitalized)",
                                 summary: summary, parameters: parameters,
                                 produces: ["application/json", "text/csv", "text/markdown", "text/html", "text/plain"])) { request, context in
                let query = Query(request)
                let format = try query.choice("format", default: OutputFormat.json)
                let report = try await self.report(kind, book: try context.parameters.require("book"), query: query)
                return documentResponse(report, format: format, name: kind.rawValue, language: context.language)
            }
        }
        router.get("/books/:book/reports") { request, context in
            try await self.page(request, context)
        }
    }

    /// The report a query asks for, as a document.
    func report(_ kind: Kind, book: String, query: Query) async throws -> any ReportConvertible & Sendable {
        let request = try query.reportRequest()
        switch kind {
        case .monthly:
            let by = try query.choice("by", default: MonthlyGrouping.platform)
            let original = try query.bool("show-original")
            return try await server.books.read(book) { try Reports.monthly(request, by: by, showOriginal: original, store: $0).report as any ReportConvertible & Sendable }
        case .currencies:
            return try await server.books.read(book) { try Reports.currencies(request, store: $0).report as any ReportConvertible & Sendable }
        case .balances:
            return try await server.books.read(book) { try Reports.balances(request, store: $0).report as any ReportConvertible & Sendable }
        }
    }

    func page(_ request: Request, _ context: WebContext) async throws -> Response {
        let book = try context.parameters.require("book")
        let query = Query(request)
        let kind = try query.choice("report", default: Kind.monthly)
        let by = try query.choice("by", default: MonthlyGrouping.platform)
        let document = try await report(kind, book: book, query: query)
        let t = Catalog.shipped(context.language)
        // The same query, for the API's downloads.
        let base = "/api/v1/books/\(book)/reports/\(kind.rawValue)?" + query.items
            .filter { !["report", "format", "lang"].contains($0.name) }
            .map { "\($0.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.name)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        let data: [String: Any] = [
            "kinds": Kind.allCases.map { k in ["value": k.rawValue, "label": t.text("web.reports.kind.\(k.rawValue)"), "selected": k == kind] },
            "groupings": MonthlyGrouping.allCases.map { g in ["value": g.rawValue, "label": t.text("web.reports.by.\(g.rawValue)"), "selected": g == by] },
            "isMonthly": kind == .monthly,
            "period": query.string("period") ?? "",
            "from": query.string("from") ?? "",
            "to": query.string("to") ?? "",
            "currency": query.string("currency") ?? "",
            "report": HTMLReport.fragment(document, language: context.language),
            "reportTitle": HTMLReport.title(document, language: context.language),
            "downloads": [("csv", "CSV"), ("json", "JSON"), ("markdown", "Markdown"), ("html", "HTML")].map { f in
                ["href": base + (base.hasSuffix("?") ? "" : "&") + "format=\(f.0)", "label": f.1]
            },
        ]
        return server.pages.page("reports", title: t.text("web.nav.reports"), data: data, book: book, current: "reports", context: context, request: request)
    }
}
