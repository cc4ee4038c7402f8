import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports

/// The transactions page and its API (to be built).
struct TransactionRoutes {
    let server: WebServer

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        router.get("/books/:book/transactions") { request, context in
            let book = try context.parameters.require("book")
            return server.pages.page("coming", title: Catalog.shipped(context.language).text("web.nav.transactions"), data: [:], book: book,
                                     current: "transactions", context: context, request: request)
        }
    }
}
