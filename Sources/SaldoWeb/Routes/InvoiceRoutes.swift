import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports

/// The invoices page and its API (to be built).
struct InvoiceRoutes {
    let server: WebServer

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        router.get("/books/:book/invoices") { request, context in
            let book = try context.parameters.require("book")
            return server.pages.page("coming", title: Catalog.shipped(context.language).text("web.nav.invoices"), data: [:], book: book,
                                     current: "invoices", context: context, request: request)
        }
    }
}
