import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports

/// The tax page and its API (to be built).
struct TaxRoutes {
    let server: WebServer

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        router.get("/books/:book/tax") { request, context in
            let book = try context.parameters.require("book")
            return server.pages.page("coming", title: Catalog.shipped(context.language).text("web.nav.tax"), data: [:], book: book,
                                     current: "tax", context: context, request: request)
        }
    }
}
