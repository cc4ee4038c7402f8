import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports

/// Invoices: the list (status, period) and the summary with aging, as the CLI's `saldo invoices
/// list|summary --format json`; payment links made and removed; the matcher's proposals with
/// its explanations, before anything is linked.
struct InvoiceRoutes {
    let server: WebServer

    static let statusParameter = APIOperation.Parameter(name: "status", description: "all (default), open (anything outstanding), overdue or paid.",
                                                        values: Invoices.StatusFilter.allCases.map(\.rawValue))
    static let linkSchema: JSONValue = .obj([
        ("type", .string("object")), ("additionalProperties", .bool(false)),
        ("required", .array([.string("invoice"), .string("transaction")])),
        ("properties", .obj([
            ("invoice", .obj([("type", .string("string")), ("description", .string("Invoice number."))])),
            ("seller", .obj([("type", .string("string")), ("description", .string("Seller name or tax id, when several invoices share the number."))])),
            ("kind", .obj([("type", .string("string")), ("enum", .array(Invoices.DocumentKind.allCases.map { .string($0.rawValue) })),
                           ("description", .string("Document kind, when a seller used the number for several documents (an invoice and a credit note)."))])),
            ("issued", .obj([("type", .string("string")), ("format", .string("date")),
                             ("description", .string("Issue date (yyyy-mm-dd), when documents sharing the number differ by date."))])),
            ("transaction", .obj([("type", .string("integer")), ("minimum", .number("1")), ("description", .string("Transaction id."))])),
            ("amount", .obj([("type", .string("string")), ("pattern", .string("^[0-9]+(\\.[0-9]+)?$")),
                             ("description", .string("Amount it pays in the invoice currency, as a decimal string (default: everything outstanding)."))])),
        ])),
    ])
    static let unlinkSchema: JSONValue = .obj([
        ("type", .string("object")), ("additionalProperties", .bool(false)),
        ("required", .array([.string("invoice")])),
        ("properties", .obj([
            ("invoice", .obj([("type", .string("string")), ("description", .string("Invoice number."))])),
            ("seller", .obj([("type", .string("string")), ("description", .string("Seller name or tax id, when several invoices share the number."))])),
            ("kind", .obj([("type", .string("string")), ("enum", .array(Invoices.DocumentKind.allCases.map { .string($0.rawValue) })),
                           ("description", .string("Document kind, when a seller used the number for several documents (an invoice and a credit note)."))])),
            ("issued", .obj([("type", .string("string")), ("format", .string("date")),
                             ("description", .string("Issue date (yyyy-mm-dd), when documents sharing the number differ by date."))])),
            ("transaction", .obj([("type", .string("integer")), ("minimum", .number("1")), ("description", .string("Transaction id; without it, every link of the invoice."))])),
        ])),
    ])

    /// `kind` and `issued` of a link request: which of the documents sharing a number (as `--kind` and `--issued`).
    static func choice(_ body: [JSONMember]) throws -> (Invoices.DocumentKind?, Day?) {
        var kind: Invoices.DocumentKind?
        if let k = try RestSupport.string(body, "kind") {
            guard let parsed = Invoices.DocumentKind(rawValue: k) else {
                throw Problem.badRequest("bad-field", "kind: expected one of \(Invoices.DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(k)\"")
            }
            kind = parsed
        }
        var issued: Day?
        if let d = try RestSupport.string(body, "issued") {
            guard let day = Day(iso: d), d.count == 10 else { throw Problem.badRequest("bad-field", "issued: expected a date such as 2026-03-31, found \"\(d)\"") }
            issued = day
        }
        return (kind, issued)
    }

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        api.add(APIOperation(method: .get, path: "/books/{book}/invoices", id: "listInvoices",
                             summary: "One entry per invoice: amounts, status, and which payment settled it (saldo invoices list).",
                             parameters: [InvoiceRoutes.statusParameter] + APIRoutes.periodParameters + [APIRoutes.formatParameter],
                             produces: ["application/json", "text/csv", "text/markdown", "text/html", "text/plain"])) { request, context in
            let query = Query(request)
            let format = try query.choice("format", default: OutputFormat.json)
            return documentResponse(try await list(book: try context.parameters.require("book"), query: query), format: format, name: "invoices-list", language: context.language)
        }
        api.add(APIOperation(method: .get, path: "/books/{book}/invoices/summary", id: "invoiceSummary",
                             summary: "By client and currency: issued, paid, outstanding, overdue, aging, DSO, next due dates (saldo invoices summary).",
                             parameters: [APIRoutes.formatParameter],
                             produces: ["application/json", "text/csv", "text/markdown", "text/html", "text/plain"])) { request, context in
            let format = try Query(request).choice("format", default: OutputFormat.json)
            return documentResponse(try await summary(book: try context.parameters.require("book")), format: format, name: "invoices-summary", language: context.language)
        }
        api.add(APIOperation(method: .get, path: "/books/{book}/invoices/suggestions", id: "suggestInvoiceLinks",
                             summary: "The payments matching would link to open invoices now, each with the matcher's explanation; nothing is linked.")) { _, context in
            let book = try context.parameters.require("book")
            let suggestions = try await server.books.read(book) { try Invoices.suggest(store: $0) }
            return jsonResponse(.obj([("suggestions", .array(suggestions.map { s in
                .obj([("invoice", .string(s.invoice)), ("seller", .string(s.seller)), ("transaction", .int(Int(s.transaction))),
                      ("date", .string(s.date.description)), ("amount", .money(s.amount)), ("currency", .string(s.amount.currency.code)),
                      ("explanation", .string(s.explanation))])
            }))]))
        }
        api.add(APIOperation(method: .get, path: "/books/{book}/invoices/matches", id: "invoiceMatches",
                             summary: "The automatic matches in the ledger: which payment settles which invoice, and why.")) { _, context in
            let book = try context.parameters.require("book")
            let matches = try await server.books.read(book) { try Invoices.automaticMatches(store: $0) }
            return jsonResponse(.obj([("matches", .array(matches.map(InvoiceRoutes.json)))]))
        }
        api.add(APIOperation(method: .post, path: "/books/{book}/invoices/links", id: "linkInvoicePayment",
                             summary: "Record that a transaction pays an invoice (saldo invoices link).",
                             body: ("application/json", InvoiceRoutes.linkSchema))) { request, context in
            let book = try context.parameters.require("book")
            let body = try await RestSupport.jsonObject(request, context)
            try RestSupport.onlyKnown(body, ["invoice", "seller", "kind", "issued", "transaction", "amount"])
            let invoice = try RestSupport.string(body, "invoice", required: true)!
            let seller = try RestSupport.string(body, "seller")
            let (kind, issued) = try InvoiceRoutes.choice(body)
            let transaction = try RestSupport.id(body, "transaction", required: true)!
            let amount = try RestSupport.string(body, "amount")
            let outcome = try await RestSupport.notFoundAs404 {
                try await server.books.write(book) { location in
                    try Invoices.linkChecked(number: invoice, seller: seller, kind: kind, issued: issued, transaction: transaction, amount: amount,
                                             store: location.open(.existing))
                }
            }
            // What the command line warns about (another currency, an early or late date, money already linked), in the request's language.
            let L = Catalog.shipped(context.language)
            let value = outcome.amount
            return jsonResponse(.obj([("invoice", .string(invoice)), ("transaction", .int(Int(transaction))), ("amount", .money(value)),
                                      ("currency", .string(value.currency.code)), ("method", .string("manual")),
                                      ("explanation", .string("linked by the user")),
                                      ("warnings", .array(outcome.warnings.map { .string($0.text(in: L)) }))]))
        }
        api.add(APIOperation(method: .delete, path: "/books/{book}/invoices/links", id: "unlinkInvoicePayment",
                             summary: "Remove a payment link, or every link of an invoice; an automatic match removed is not proposed again (saldo invoices unlink).",
                             body: ("application/json", InvoiceRoutes.unlinkSchema))) { request, context in
            let book = try context.parameters.require("book")
            let body = try await RestSupport.jsonObject(request, context)
            try RestSupport.onlyKnown(body, ["invoice", "seller", "kind", "issued", "transaction"])
            let invoice = try RestSupport.string(body, "invoice", required: true)!
            let seller = try RestSupport.string(body, "seller")
            let (kind, issued) = try InvoiceRoutes.choice(body)
            let transaction = try RestSupport.id(body, "transaction", required: false)
            let removed = try await RestSupport.notFoundAs404 {
                try await server.books.write(book) { location in
                    try Invoices.unlink(number: invoice, seller: seller, kind: kind, issued: issued, transaction: transaction, store: location.open(.existing))
                }
            }
            return jsonResponse(.obj([("invoice", .string(invoice)), ("removed", .int(removed))]))
        }
        router.get("/books/:book/invoices") { request, context in try await page(request, context) }
    }

    static func json(_ m: Invoices.Match) -> JSONValue {
        .obj([("invoice", .string(m.invoice)), ("seller", .string(m.seller)), ("transaction", .int(Int(m.transaction))),
              ("date", .string(m.date.description)), ("amount", m.amount.map(JSONValue.money) ?? .null),
              ("currency", m.amount.map { .string($0.currency.code) } ?? .null), ("explanation", .string(m.explanation))])
    }

    func list(book: String, query: Query) async throws -> InvoiceListDocument {
        let status = try query.choice("status", default: Invoices.StatusFilter.all)
        let period = try query.period()
        let today = server.options.clock.today
        return try await server.books.read(book) { try Invoices.list(status: status, period: period, today: today, store: $0) }
    }

    func summary(book: String) async throws -> InvoiceSummaryDocument {
        let today = server.options.clock.today
        return try await server.books.read(book) { try Invoices.summary(today: today, store: $0) }
    }

    func page(_ request: Request, _ context: WebContext) async throws -> Response {
        let book = try context.parameters.require("book")
        let query = Query(request)
        let status = try query.choice("status", default: Invoices.StatusFilter.all)
        let list = try await list(book: book, query: query)
        let summary = try await summary(book: book)
        let matches = try await server.books.read(book) { try Invoices.automaticMatches(store: $0) }
        let t = Catalog.shipped(context.language)
        let data: [String: Any] = [
            "statuses": Invoices.StatusFilter.allCases.map { s -> [String: Any] in ["value": s.rawValue, "label": t.text("web.invoices.status.\(s.rawValue)"), "selected": s == status] },
            "period": query.string("period") ?? "",
            "summary": HTMLReport.fragment(summary, language: context.language),
            "summaryTitle": summary.document(in: t).title,
            "list": HTMLReport.fragment(list, language: context.language),
            "listTitle": list.document(in: t).title,
            "api": "/api/v1/books/\(book)",
            "matches": matches.map { m -> [String: Any] in
                ["invoice": m.invoice, "seller": m.seller, "transaction": String(m.transaction), "date": context.language == .en ? m.date.description : HumanFormat(context.language).date(m.date),
                 "amount": m.amount.map { context.language == .en ? "\($0.decimalString) \($0.currency.code)" : HumanFormat(context.language).money($0) } ?? "", "explanation": t.translatingClauses(m.explanation, keyPrefix: "match.")]
            },
            "hasMatches": !matches.isEmpty,
        ]
        return server.pages.page("invoices", title: t.text("web.nav.invoices"), data: data, book: book, current: "invoices",
                                 context: context, request: request, scripts: ["invoices.js"], styles: ["invoices.css"])
    }
}
