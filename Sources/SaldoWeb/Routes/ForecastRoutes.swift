import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports

/// The forecast page and its API (to be built).
struct ForecastRoutes {
    let server: WebServer

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        router.get("/books/:book/forecast") { request, context in
            let book = try context.parameters.require("book")
            return server.pages.page("coming", title: Catalog.shipped(context.language).text("web.nav.forecast"), data: [:], book: book,
                                     current: "forecast", context: context, request: request)
        }
    }
}
