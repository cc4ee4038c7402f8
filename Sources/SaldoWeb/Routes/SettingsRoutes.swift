import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports

/// The settings page and its API (to be built).
struct SettingsRoutes {
    let server: WebServer

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        router.get("/books/:book/settings") { request, context in
            let book = try context.parameters.require("book")
            return server.pages.page("coming", title: Catalog.shipped(context.language).text("web.nav.settings"), data: [:], book: book,
                                     current: "settings", context: context, request: request)
        }
    }
}
