import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports

/// Forecast: the fan (P10/P50/P90), the floor, what-if scenarios and the backtest, as the CLI's
/// `saldo forecast [backtest] --format json` with the same defaults (10,000 paths, seed 42).
struct ForecastRoutes {
    let server: WebServer

    static let seriesParameters: [APIOperation.Parameter] = [
        .init(name: "by", description: "Streams by platform (default) or client.", values: ["platform", "client"]),
        .init(name: "currency", description: "Report currency (ISO 4217); default: the base-currency setting, else EUR."),
    ]
    static let forecastParameters: [APIOperation.Parameter] = [
        .init(name: "floor", description: "A monthly amount you need (decimal); the answer gives the chance of falling below it."),
        .init(name: "without", description: "Scenario: without this platform (repeat for several).", repeatable: true),
        .init(name: "change", description: "Scenario: a platform changed by a percentage, e.g. Upwork=-30% (repeat for several).", repeatable: true),
        .init(name: "add", description: "Scenario: an amount added every month, e.g. 800/month."),
        .init(name: "months", kind: .integer, description: "Months ahead, 1 to 24 (default 3)."),
        .init(name: "paths", kind: .integer, description: "Simulated paths, 100 to 100000 (default 10000)."),
        .init(name: "seed", kind: .integer, description: "Random seed (default 42; same seed, same answer)."),
    ]

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        api.add(APIOperation(method: .get, path: "/books/{book}/forecast", id: "forecast",
                             summary: "The next months' income as P10/P50/P90, the floor and scenarios (saldo forecast).",
                             parameters: ForecastRoutes.seriesParameters + ForecastRoutes.forecastParameters + [APIRoutes.formatParameter],
                             produces: ["application/json", "text/csv", "text/markdown", "text/html", "text/plain"])) { request, context in
            let query = Query(request)
            let format = try query.choice("format", default: OutputFormat.json)
            let (document, _) = try await forecast(book: try context.parameters.require("book"), query: query)
            return documentResponse(document, format: format, name: "forecast", language: context.language)
        }
        api.add(APIOperation(method: .get, path: "/books/{book}/forecast/backtest", id: "forecastBacktest",
                             summary: "What the forecast would have said each past quarter, and what happened (saldo forecast backtest).",
                             parameters: ForecastRoutes.seriesParameters
                                + [.init(name: "minimum-history", kind: .integer, description: "Months of history before the first origin, 3 to 60 (default 6)."),
                                   APIRoutes.formatParameter],
                             produces: ["application/json", "text/csv", "text/markdown", "text/html", "text/plain"])) { request, context in
            let query = Query(request)
            let format = try query.choice("format", default: OutputFormat.json)
            return documentResponse(try await backtest(book: try context.parameters.require("book"), query: query), format: format, name: "forecast-backtest", language: context.language)
        }
        router.get("/books/:book/forecast") { request, context in try await page(request, context) }
    }

    func history(book: String, query: Query) async throws -> IncomeSeries {
        let by = try query.choice("by", default: MonthlyGrouping.platform)
        guard by == .platform || by == .client else { throw Problem.badRequest("bad-parameter", "by: expected one of platform, client, found \"\(by.rawValue)\"") }
        let currency = try query.currency()
        let today = server.options.clock.today
        return try await server.books.read(book) { try Forecasts.history(by: by, today: today, currency: currency, store: $0) }
    }

    /// The forecast a query asks for, and the history's streams (for the page's scenario form).
    func forecast(book: String, query: Query) async throws -> (ForecastDocument, [String]) {
        let floor = try query.string("floor").map { f in try RestSupport.parameter("floor") { try ScenarioRequest.parseFloor(f) } }
        let scenario = try RestSupport.parameter("scenario") {
            try ScenarioRequest.parse(without: query.strings("without"), change: query.strings("change"), add: query.string("add"))
        }
        let months = try query.int("months", default: 3, in: 1...24)
        let paths = try query.int("paths", default: 10_000, in: 100...100_000)
        let seed = try query.int("seed", default: 42, in: 0...Int(Int32.max))
        let history = try await history(book: book, query: query)
        let document = try RestSupport.parameter("scenario") {
            try Forecasts.next(history, months: months, floor: floor, scenarios: scenario.map { [$0] } ?? [], paths: paths, seed: UInt64(seed))
        }
        return (document, history.streams.keys.sorted())
    }

    func backtest(book: String, query: Query) async throws -> BacktestDocument {
        let minimum = try query.int("minimum-history", default: 6, in: 3...60)
        let history = try await history(book: book, query: query)
        return try Forecasts.backtest(history, minimumHistory: minimum)
    }

    func page(_ request: Request, _ context: WebContext) async throws -> Response {
        let book = try context.parameters.require("book")
        var query = Query(request)
        // The form's platform + percent pair is the API's change=PLATFORM=PERCENT%.
        if let platform = query.string("change-platform"), let percent = query.string("change-percent") {
            let p = percent.trimmingCharacters(in: .whitespaces)
            query.items.append(("change", "\(platform)=\(p.hasSuffix("%") ? p : p + "%")"))
        }
        if let add = query.string("add-month") { query.items.append(("add", add + "/month")) }
        let t = Catalog.shipped(context.language)
        let (document, streams) = try await forecast(book: book, query: query)
        let backtest = try await backtest(book: book, query: Query(""))
        let without = Set(query.strings("without"))
        let months = try query.int("months", default: 3, in: 1...24)
        let apiQuery = RestSupport.query(
            [("floor", query.string("floor") ?? "")] + query.strings("without").map { ("without", $0) }
            + query.strings("change").map { ("change", $0) } + [("add", query.string("add") ?? ""), ("months", months == 3 ? "" : String(months))])
        let data: [String: Any] = [
            "floor": query.string("floor") ?? "",
            "streams": streams.map { s -> [String: Any] in ["value": s, "selected": without.contains(s)] },
            "changeStreams": streams.map { s -> [String: Any] in ["value": s, "selected": query.string("change-platform") == s] },
            "changePercent": query.string("change-percent") ?? "",
            "addMonth": query.string("add-month") ?? "",
            "months": [1, 2, 3, 6, 12].map { m -> [String: Any] in ["value": m, "selected": m == months] },
            "report": HTMLReport.fragment(document, language: context.language),
            "reportTitle": HTMLReport.title(document, language: context.language),
            "backtest": HTMLReport.fragment(backtest, language: context.language),
            "backtestTitle": HTMLReport.title(backtest, language: context.language),
            "json": "/api/v1/books/\(book)/forecast" + (apiQuery.isEmpty ? "" : "?" + apiQuery),
            "backtestJSON": "/api/v1/books/\(book)/forecast/backtest",
            "scenarioAsked": !query.strings("without").isEmpty || !query.strings("change").isEmpty || query.string("add") != nil,
        ]
        return server.pages.page("forecast", title: t.text("web.nav.forecast"), data: data, book: book, current: "forecast",
                                 context: context, request: request, scripts: [], styles: ["forecast.css"])
    }
}
