import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports

/// Tax: the boxes or lines of a return, the calendar of payments and the monthly set-aside, as the
/// CLI's `saldo tax summary|calendar|set-aside --format json`; figures not confirmed from an
/// official source are named on the page.
struct TaxRoutes {
    let server: WebServer

    enum Kind: String, CaseIterable, Sendable { case summary, calendar, setAside = "set-aside" }

    static let requestParameters: [APIOperation.Parameter] = [
        .init(name: "jurisdiction", description: "es, us or gb (default: the jurisdiction setting or the tax profile's).", values: ["es", "us", "gb"]),
        .init(name: "region", description: "Region: a name or ISO 3166-2 code (madrid or ES-MD, scotland or GB-SCT)."),
        .init(name: "no-forecast", kind: .boolean, description: "Don't project the rest of the year with the income forecast (use the average month so far)."),
    ]
    static let yearParameter = APIOperation.Parameter(name: "year", kind: .integer, description: "Tax year, 2000 to 2100 (default: the current one).")
    static let quarterParameter = APIOperation.Parameter(name: "quarter", kind: .integer, description: "Quarter 1-4 (default: the whole year so far).")

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        for kind in Kind.allCases {
            var parameters = TaxRoutes.requestParameters
            if kind != .calendar { parameters.append(TaxRoutes.yearParameter) }
            if kind == .summary { parameters.append(TaxRoutes.quarterParameter) }
            let summary = [Kind.summary: "The boxes or lines of the return, its due date and the amount (saldo tax summary).",
                           .calendar: "The next tax deadlines with estimated amounts (saldo tax calendar).",
                           .setAside: "How much of each month's income to put aside so the next payments are covered (saldo tax set-aside)."][kind]!
            let id = [Kind.summary: "taxSummary", .calendar: "taxCalendar", .setAside: "taxSetAside"][kind]!
            api.add(APIOperation(method: .get, path: "/books/{book}/tax/\(kind.rawValue)", id: id, summary: summary,
                                 parameters: parameters + [APIRoutes.formatParameter],
                                 produces: ["application/json", "text/csv", "text/markdown", "text/html", "text/plain"])) { request, context in
                let query = Query(request)
                let format = try query.choice("format", default: OutputFormat.json)
                let document = try await self.document(kind, book: try context.parameters.require("book"), query: query)
                return documentResponse(document, format: format, name: "tax-\(kind.rawValue)", language: context.language)
            }
        }
        router.get("/books/:book/tax") { request, context in try await page(request, context) }
    }

    func request(_ query: Query) throws -> TaxRequest {
        let noForecast = try query.bool("no-forecast")
        return try RestSupport.parameter("jurisdiction") {
            try TaxRequest(jurisdictionCode: query.string("jurisdiction"), region: query.string("region"), today: server.options.clock.today,
                           useForecast: !noForecast)
        }
    }

    func document(_ kind: Kind, book: String, query: Query) async throws -> TaxDocument {
        let request = try request(query)
        var y: Int?, q: Int?
        if query.string("year") != nil { y = try query.int("year", default: 0, in: 2000...2100) }
        if query.string("quarter") != nil { q = try query.int("quarter", default: 0, in: 1...4) }
        let year = y, quarter = q
        switch kind {
        case .summary: return try await server.books.read(book) { try Taxes.summary(request, year: year, quarter: quarter, store: $0) }
        case .calendar: return try await server.books.read(book) { try Taxes.calendar(request, store: $0) }
        case .setAside: return try await server.books.read(book) { try Taxes.setAside(request, year: year, store: $0) }
        }
    }

    func page(_ request: Request, _ context: WebContext) async throws -> Response {
        let book = try context.parameters.require("book")
        let query = Query(request)
        let t = Catalog.shipped(context.language)
        let jurisdiction = query.string("jurisdiction") ?? ""
        let year = query.string("year") ?? ""
        let quarter = query.string("quarter") ?? ""
        var jurisdictions: [[String: Any]] = [["value": "", "label": t.text("web.tax.from_settings"), "selected": jurisdiction.isEmpty]]
        for j in Taxes.jurisdictionCodes {
            jurisdictions.append(["value": j, "label": "\(Taxes.jurisdictionName(j) ?? j) (\(j))", "selected": j == jurisdiction])
        }
        var quarters: [[String: Any]] = [["value": "", "label": t.text("web.tax.whole_year"), "selected": quarter.isEmpty]]
        for q in 1...4 { quarters.append(["value": String(q), "label": "Q\(q)", "selected": String(q) == quarter]) }
        var data: [String: Any] = [
            "jurisdictions": jurisdictions,
            "year": year,
            "quarters": quarters,
            "settings": "/books/\(book)/settings",
        ]
        do {
            var sections: [[String: Any]] = []
            var unconfirmed: [String] = []
            for kind in Kind.allCases {
                let document = try await self.document(kind, book: book, query: query)
                // Listed once, in the page's own box above the sections, not again among each section's notes.
                unconfirmed += document.unconfirmed(in: t).filter { !unconfirmed.contains($0) }
                let link = "/api/v1/books/\(book)/tax/\(kind.rawValue)?"
                    + RestSupport.query([("jurisdiction", jurisdiction), ("year", kind == .calendar ? "" : year), ("quarter", kind == .summary ? quarter : "")])
                sections.append(["id": "tax-\(kind.rawValue)", "heading": t.text("web.tax.section.\(kind.rawValue)"),
                                 "title": document.document(in: t).title, "report": HTMLReport.fragment(document.withoutUnconfirmedNotes(), language: context.language), "json": link])
            }
            data["sections"] = sections
            data["unconfirmed"] = unconfirmed
            data["hasUnconfirmed"] = !unconfirmed.isEmpty
            data["unconfirmedCount"] = String(unconfirmed.count)
        } catch let e as UserError where e.fix == .chooseJurisdiction || isSettingFix(e.fix) {
            // Nothing to compute yet: say what to set, and where.
            data["missing"] = ["message": e.message, "hint": e.hint ?? ""]
        }
        return server.pages.page("tax", title: t.text("web.nav.tax"), data: data, book: book, current: "tax",
                                 context: context, request: request, scripts: [], styles: ["tax.css"])
    }

    func isSettingFix(_ fix: Fix?) -> Bool {
        if case .some(.setSetting) = fix { return true }
        return false
    }
}
