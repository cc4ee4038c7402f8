import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports

/// The import page and its API (to be built).
struct ImportRoutes {
    let server: WebServer

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        router.get("/books/:book/import") { request, context in
            let book = try context.parameters.require("book")
            return server.pages.page("coming", title: Catalog.shipped(context.language).text("web.nav.import"), data: [:], book: book,
                                     current: "import", context: context, request: request)
        }
    }
}
