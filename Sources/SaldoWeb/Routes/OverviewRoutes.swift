import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports

/// The overview page and its API (to be built).
struct OverviewRoutes {
    let server: WebServer

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        router.get("/books/:book/overview") { request, context in
            let book = try context.parameters.require("book")
            return server.pages.page("coming", title: Catalog.shipped(context.language).text("web.nav.overview"), data: [:], book: book,
                                     current: "overview", context: context, request: request)
        }
    }
}
