import Foundation
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore

/// The transactions page and its API: filters, text search, sort, pages of 50 with a cursor
/// (keyset pagination, so every page of a million transactions is as fast as the first).
struct TransactionRoutes {
    let server: WebServer

    static let parameters: [APIOperation.Parameter] = APIRoutes.periodParameters + [
        .init(name: "platform", description: "Only this platform (repeat for several).", repeatable: true),
        .init(name: "client", description: "Only this client (repeat for several).", repeatable: true),
        .init(name: "account", description: "Only transactions with a posting on this account or one under it (repeat for several).", repeatable: true),
        .init(name: "currency", description: "Only transactions with a posting in this currency (ISO 4217; repeat for several).", repeatable: true),
        .init(name: "q", description: "Words in the description, the counterparty or the reference (any case)."),
        .init(name: "sort", description: "Order: date-desc (newest first, the default), date, amount-desc or amount (the first posting's amount).",
              values: TransactionQuery.Sort.allCases.map(\.rawValue)),
        .init(name: "limit", kind: .integer, description: "Transactions per page, 1 to 200 (default 50)."),
        .init(name: "cursor", description: "Where the page starts: the next_cursor of the previous page, with the same filters and sort."),
    ]

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        api.add(APIOperation(method: .get, path: "/books/{book}/transactions", id: "listTransactions",
                             summary: "One page of transactions, filtered and sorted, with the cursor of the next page.",
                             parameters: Self.parameters)) { request, context in
            let document = try await self.page(book: try context.parameters.require("book"), query: Query(request))
            return documentResponse(document, format: .json, name: "transactions")
        }
        router.get("/books/:book/transactions") { request, context in
            try await self.htmlPage(request, context)
        }
        api.add(APIOperation(method: .get, path: "/books/{book}/transactions/{id}/source", id: "getTransactionSource",
                             summary: "Where a transaction came from: its statement file and line, with the lines around it from the copy the ledger keeps.",
                             parameters: [.init(name: "context", kind: .integer, description: "Lines shown either side of the transaction's, 0 to 50 (default 8).")])) { request, context in
            let document = try await self.source(book: try context.parameters.require("book"), id: try Self.id(context), query: Query(request))
            return jsonResponse(document.json())
        }
        router.get("/books/:book/transactions/:id/source") { request, context in
            try await self.sourcePage(request, context)
        }
        router.get("/books/:book/transactions/:id/original") { _, context in
            let book = try context.parameters.require("book"), id = try Self.id(context)
            let original = try await RestSupport.notFoundAs404 { try await self.server.books.read(book) { try Transactions.original(id: id, store: $0) } }
            // Downloaded under its own name (folders and quotes removed), never shown as a page.
            let name = String(original.fileName.filter { $0.isLetter || $0.isNumber || "._- ()".contains($0) }.prefix(120))
            return Response(status: .ok, headers: [.contentType: "application/octet-stream",
                                                   .contentDisposition: "attachment; filename=\"\(name.isEmpty ? "statement" : name)\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: original.bytes)))
        }
    }

    /// The transaction id in the path; anything but a whole number is a 404 (no such transaction).
    static func id(_ context: WebContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw Problem.notFound("there is no transaction \"\(text.prefix(40))\" in this ledger") }
        return id
    }

    func source(book: String, id: Int64, query: Query) async throws -> TransactionSourceDocument {
        let lines = try query.int("context", default: 8, in: 0...50)
        return try await RestSupport.notFoundAs404 { try await server.books.read(book) { try Transactions.source(id: id, context: lines, store: $0) } }
    }

    func sourcePage(_ request: Request, _ context: WebContext) async throws -> Response {
        let book = try context.parameters.require("book"), id = try Self.id(context)
        let document = try await source(book: book, id: id, query: Query(request))
        let t = Catalog.shipped(context.language)
        let file = document.fileName.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "?"
        var data: [String: Any] = ["back": "/books/\(book)/transactions", "json": "/api/v1/books/\(book)/transactions/\(id)/source"]
        let metaArguments = ["file": file, "line": document.line.map(String.init) ?? "", "format": document.format ?? "?",
                             "imported": document.importedAt.flatMap { Day(iso: String($0.prefix(10))) }
                                .map { context.language == .en ? $0.description : HumanFormat(context.language).date($0) } ?? "?"]
        data["meta"] = t.text(document.line == nil ? "web.source.meta_no_line" : "web.source.meta", metaArguments)
        switch document.content {
        case .lines(let lines):
            data["hasLines"] = !lines.isEmpty
            // A gap row where the first line (the column names) stands apart from the rest.
            data["lines"] = lines.enumerated().map { i, l in
                ["number": String(l.number), "text": l.text, "isTheRow": l.isTheRow, "gapBefore": i > 0 && lines[i - 1].number + 1 < l.number] as [String: Any]
            }
            if let e = document.encoding, e != "utf-8" { data["encoding"] = t.text("web.source.encoding", ["encoding": e]) }
        case .binary(let kind):
            data["binary"] = t.text("web.source.binary.\(kind)", ["line": document.line.map(String.init) ?? "?"])
        case .notKept:
            data["notKept"] = t.text(document.sha256 == nil ? "web.source.no_file" : "web.source.not_kept")
        }
        if let bytes = document.keptBytes {
            data["download"] = "/books/\(book)/transactions/\(id)/original"
            data["downloadLabel"] = t.text("web.source.download", ["file": file, "size": Self.size(bytes, context.language)])
        }
        return server.pages.page("source", title: t.text("web.source.title", ["id": String(id)]), data: data, book: book, current: "transactions",
                                 context: context, request: request, styles: ["source.css"])
    }

    /// A file size for people: 812 bytes, 14 KB, 1.2 MB (1,2 MB in Spanish).
    static func size(_ bytes: Int, _ language: Language) -> String {
        if bytes < 1_000 { return "\(bytes) B" }
        let (value, unit) = bytes < 1_000_000 ? (Double(bytes) / 1_000, "KB") : (Double(bytes) / 1_000_000, "MB")
        let text = value < 10 ? String(format: "%.1f", value) : String(Int(value.rounded()))
        return (language == .es ? text.replacingOccurrences(of: ".", with: ",") : text) + " " + unit
    }

    /// The query a request asks for; a bad parameter is a 400 that names it.
    static func transactionQuery(_ q: Query) throws -> TransactionQuery {
        let sort = try q.choice("sort", default: TransactionQuery.Sort.dateDesc)
        let limit = try q.int("limit", default: TransactionQuery.defaultLimit, in: TransactionQuery.limits)
        var after: TransactionCursor?
        if let token = q.string("cursor") {
            guard let c = TransactionCursor(token: token) else {
                throw Problem.badRequest("bad-parameter", "cursor: expected the next_cursor of an earlier page, found \"\(token.prefix(60))\"",
                                         hint: "start again from the first page (without a cursor)")
            }
            guard c.sort == sort else {
                throw Problem.badRequest("bad-parameter", "cursor: this position belongs to the order \(c.sort.rawValue), not \(sort.rawValue)",
                                         hint: "keep the same sort while paging, or start again from the first page")
            }
            after = c
        }
        let accounts = try q.strings("account").map { a -> Account in
            do { return try Account(a) } catch { throw Problem.badRequest("bad-parameter", "account: \(error)") }
        }
        let currencies = try q.strings("currency").map { v -> CurrencyCode in
            do { return try CurrencyCode(v.uppercased()) } catch {
                throw Problem.badRequest("bad-parameter", "currency: expected an ISO 4217 code such as EUR or USD, found \"\(v)\"")
            }
        }
        let text = q.string("q")
        if let text, text.count > 200 {
            throw Problem.badRequest("bad-parameter", "q: expected at most 200 characters, found \(text.count)")
        }
        return TransactionQuery(period: try q.period(), platforms: q.strings("platform"), clients: q.strings("client"), accounts: accounts,
                                currencies: currencies, text: text, sort: sort, limit: limit, after: after)
    }

    /// `locate`: count the rows before the page too, to say where a page reached by a cursor is.
    func page(book: String, query: Query, locate: Bool = false) async throws -> TransactionsDocument {
        var asked = try Self.transactionQuery(query)
        asked.locate = locate
        let q = asked
        return try await server.books.read(book) { try Transactions.page(q, store: $0) }
    }

    /// The pager's links and where this page is: previous and next only when there is such a page,
    /// the first page from the third on, and "page 2 of 15". Keyset pages know no number of their
    /// own, so the links carry it (`page`, only shown, never used to read); a page opened from a
    /// cursor alone (a link kept from elsewhere) has its rows before it counted instead
    /// (``TransactionsDocument/pageNumber``).
    static func pager(_ document: TransactionsDocument, book: String, base: String, cursorGiven: Bool, page given: Int?,
                      t: Catalog) -> [String: Any] {
        let pages = max(1, (document.matching + document.limit - 1) / document.limit)
        var number = cursorGiven ? document.pageNumber : 1
        if number == nil, let given, (2...pages).contains(given) { number = given }
        let path = "/books/\(book)/transactions"
        func link(_ cursor: String?, _ page: Int?) -> String {
            var parts = base.isEmpty ? [] : [base]
            if let cursor { parts.append("cursor=\(cursor)") }
            if let page, page > 1, cursor != nil { parts.append("page=\(page)") }
            return path + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
        }
        var pager: [String: Any] = ["first": false, "previous": false, "next": false, "position": false]
        switch document.previous {
        case .none: break
        case .first: pager["previous"] = link(nil, nil)
        case .cursor(let c):
            pager["previous"] = link(c, number.map { $0 - 1 })
            pager["first"] = link(nil, nil)
        }
        if let next = document.nextCursor { pager["next"] = link(next, number.map { $0 + 1 }) }
        if pages > 1, let number { pager["position"] = t.text("web.transactions.position", ["page": String(number), "pages": String(pages)]) }
        pager["shown"] = pager["previous"] is String || pager["next"] is String || pager["position"] is String
        return pager
    }

    func htmlPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let book = try context.parameters.require("book")
        let query = Query(request)
        let t = Catalog.shipped(context.language)
        // A filter that does not read (From after To, a period such as 2026-13, a bad cursor) is said
        // beside the form, which keeps what was typed; the page is otherwise an empty result.
        let document: TransactionsDocument
        var problem: Problem?
        // A cursor without the page's number (a link kept or shared, not the pager's own): the page
        // counts where it is, so that it still says "page 7 of 15".
        let given = query.string("page").flatMap { Int($0) }
        let locate = query.string("cursor") != nil && (given ?? 0) < 2
        do { document = try await page(book: book, query: query, locate: locate) } catch let p as Problem where p.status == .badRequest {
            problem = p
            document = TransactionsDocument(entries: [], matching: 0, sort: query.string("sort") ?? TransactionQuery.Sort.dateDesc.rawValue,
                                            limit: TransactionQuery.defaultLimit, nextCursor: nil)
        }
        let human = HumanFormat(context.language)
        func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
        // The same filters without the position, for the links to other pages.
        let kept = query.items.filter { !["cursor", "lang", "page"].contains($0.name) && !$0.value.isEmpty }
        let base = kept.map { "\(encoded($0.name))=\(encoded($0.value))" }.joined(separator: "&")
        let catalog = Catalog.shipped(context.language)
        let rows: [[String: Any]] = document.entries.map { e in
            let tx = e.transaction
            var who: [String] = []
            for name in [tx.platform, tx.client].compactMap({ $0 }) where !name.isEmpty && !who.contains(name) { who.append(name) }
            // Only texts that are there: Mustache shows a section for an empty string too.
            var row: [String: Any] = [
                "id": String(e.id),
                // As the other pages write a day (3 nov 2026 in Spanish; English keeps ISO), the ISO day for machines.
                "date": human.date(tx.date),
                "isoDate": tx.date.description,
                // An invoice's description is Saldo's own words ("Invoice A-12 to Client"): in the page's language.
                "description": tx.kind == .invoice ? catalog.translating(tx.description, keyPrefix: "txn.invoice.") : tx.description,
                "who": who.joined(separator: " · "),
                "postings": tx.postings.map { p -> [String: Any] in
                    ["account": p.account.path, "amount": human.money(p.amount), "negative": p.amount.isNegative]
                },
            ]
            if let c = tx.payee, !c.isEmpty, c != tx.description { row["counterparty"] = c }
            if let r = tx.externalID, !r.isEmpty { row["reference"] = r }
            if let s = tx.source {
                // The file's name and line in the row; its whole path on hover.
                var short = s
                short.file = URL(fileURLWithPath: s.file).lastPathComponent
                row["source"] = short.description
                row["sourcePath"] = s.description
                row["sourceHref"] = "/books/\(book)/transactions/\(e.id)/source" + (s.line.map { "#L\($0)" } ?? "")
            }
            return row
        }
        let sort = query.string("sort") ?? TransactionQuery.Sort.dateDesc.rawValue
        let data: [String: Any] = [
            "period": query.string("period") ?? "", "from": query.string("from") ?? "", "to": query.string("to") ?? "",
            "platform": query.string("platform") ?? "", "client": query.string("client") ?? "",
            "account": query.string("account") ?? "", "currency": query.string("currency") ?? "", "q": query.string("q") ?? "",
            "sorts": TransactionQuery.Sort.allCases.map { s in
                ["value": s.rawValue, "label": t.text("web.transactions.sort.\(s.rawValue)"), "selected": s.rawValue == sort]
            },
            "rows": rows,
            "empty": rows.isEmpty && problem == nil,
            "hasRows": !rows.isEmpty,
            "problem": problem.map { server.pages.problemData($0, language: context.language) } ?? false,
            // "Clear filters" where filters (not only the order or the page size) chose nothing.
            "clear": query.items.contains { !["cursor", "lang", "page", "sort", "limit"].contains($0.name) && !$0.value.isEmpty }
                ? "/books/\(book)/transactions" : false,
            "matching": problem == nil ? t.plural("web.transactions.matching", count: document.matching) : false,
            "pager": Self.pager(document, book: book, base: base, cursorGiven: query.string("cursor") != nil,
                                page: given, t: t),
            "json": "/api/v1/books/\(book)/transactions" + (query.items.isEmpty ? "" : "?" + query.items.filter { $0.name != "lang" }
                .map { "\(encoded($0.name))=\(encoded($0.value))" }.joined(separator: "&")),
        ]
        return server.pages.page("transactions", title: t.text("web.nav.transactions"), data: data, book: book, current: "transactions",
                                 context: context, request: request, status: problem == nil ? .ok : .badRequest,
                                 scripts: ["transactions.js"], styles: ["transactions.css"])
    }
}
