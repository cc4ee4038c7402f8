import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SaldoApp
import SaldoCore
import SaldoReports

/// `saldo serve --database postgres://…`: the office mode. Every page and API call needs a
/// session (the `saldo_session` cookie: Secure, HttpOnly, SameSite=Strict, Path=/), except the
/// login page and the assets. A book is a workspace id; one the person may not see answers 404
/// exactly as an unknown one (never 403). The work itself is the same routes as single-user mode.
struct OfficeMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let office: OfficeSessions

    static let cookieName = "saldo_session"

    /// Paths open without a session.
    static func isOpen(_ path: String) -> Bool {
        path == "/login" || path.hasPrefix("/assets/") || path == "/favicon.ico"
    }

    /// The book in a path (`/books/{book}/…`, `/api/v1/books/{book}/…`), if any.
    /// Empty segments are skipped (`//books/7/…` is routed like `/books/7/…`), and any segment
    /// named `books` counts: a path the check cannot read is refused, never let through.
    static func book(in path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let i = parts.firstIndex(where: { $0.lowercased() == "books" }), i + 1 < parts.count else { return nil }
        return parts[i + 1]
    }

    /// The answer to a client's change of their own book (imports, links, settings, rates, deletes).
    static func clientReadOnly() -> Problem {
        Problem(.forbidden, code: "client-read-only", title: "Forbidden", detail: Office.clientReadOnly.detail, hint: Office.clientReadOnly.hint)
    }

    /// The one answer for a book that does not exist and for one this person may not see.
    static func noSuchBook(_ book: String) -> Problem {
        Problem.notFound("there is no book named \"\(book.prefix(40))\"")
    }

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if Self.isOpen(path) { return try await next(request, context) }
        var context = context
        let token = Cookies(request).value(Self.cookieName)
        let office = self.office
        let person = try await token.asyncMap { t in try await offPool { try office.resolve(token: t) } } ?? nil
        guard let person, let token else {
            if path.hasPrefix("/api/") {
                throw Problem(.unauthorized, code: "login-required", title: "Login required",
                              detail: "this server keeps many clients' books: log in first", hint: "open the login page, /login")
            }
            return Response(status: .seeOther, headers: [.location: "/login"])
        }
        context.person = person
        context.sessionToken = token
        context.csrfToken = office.csrfToken(forSession: token)
        let changes = request.method != .get && request.method != .head && request.method != .options
        // Every change carries this session's CSRF token (the logout form excepted: same Origin,
        // checked already, and SameSite=Strict; all it can do is end the session).
        if changes && path != "/logout" {
            guard office.acceptsCSRF(request.headers[HTTPField.Name("X-CSRF-Token")!], forSession: token) else {
                throw SecurityMiddleware.missingCSRFToken()
            }
        }
        if let book = Self.book(in: path) {
            guard let id = Int64(book), id > 0, let workspace = try await offPool({ try office.workspace(id, for: person) }) else {
                throw Self.noSuchBook(book)
            }
            context.bookName = workspace.displayName
            // A client's own book exists for them (they read it): a change is refused as such.
            if changes && !Office.mayChange(person) { throw Self.clientReadOnly() }
        }
        let response = try await next(request, context)
        if let action = Self.auditedAction(request, status: response.status), let book = Self.book(in: path), let id = Int64(book) {
            let address = context.clientAddress
            try? await offPool { try office.record(person, workspace: id, action: action, object: path, address: address) }
        }
        return response
    }

    /// What the audit log records of a request that succeeded: imports, invoice links and unlinks,
    /// settings changes, exports (any document in another format than JSON, original files); nil
    /// for plain reading.
    static func auditedAction(_ request: Request, status: HTTPResponse.Status) -> String? {
        guard (200..<400).contains(status.code) else { return nil }
        let path = request.uri.path
        switch request.method {
        case .get, .head:
            if path.hasSuffix("/original") { return "export.original" }
            if let f = Query(request).string("format"), f != "json" { return "export.\(f.prefix(16))" }
            return nil
        default:
            if path.contains("/imports") { return path.hasSuffix("/commit") ? "import.commit" : "import.\(request.method.rawValue.lowercased())" }
            if path.contains("/invoices/links") { return request.method == .delete ? "invoice.unlink" : "invoice.link" }
            if path.contains("/invoices/matches") { return "invoice.match" }
            if path.contains("/settings") { return "settings.change" }
            if path.contains("/rates") { return "rates.change" }
            return "change.\(request.method.rawValue.lowercased())"
        }
    }
}

/// The login page, login, logout and the books list of the office mode.
struct OfficeRoutes {
    let server: WebServer
    let office: OfficeSessions

    static func cookie(_ token: String, maxAge: Int) -> String {
        "\(OfficeMiddleware.cookieName)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; Secure; SameSite=Strict"
    }

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        let office = self.office, server = self.server
        let pages = server.pages
        router.get("/login") { request, context in
            pages.login(context: context, request: request, message: nil, email: "", status: .ok)
        }
        router.post("/login") { request, context in
            let body = try await request.body.collect(upTo: 16 * 1024)
            let form = Query(String(decoding: body.readableBytesView, as: UTF8.self))
            let email = form.string("email") ?? "", password = form.string("password") ?? ""
            let t = Catalog.shipped(context.language)
            guard !email.isEmpty, !password.isEmpty else {
                return pages.login(context: context, request: request, message: t.text("web.office.missing"), email: email, status: .badRequest)
            }
            let address = context.clientAddress ?? "unknown"
            do {
                let signed = try await offPool { try office.logIn(email: email, password: password, address: address) }
                var response = Response(status: .seeOther, headers: [.location: "/"])
                response.headers.append(HTTPField(name: .setCookie, value: Self.cookie(signed.token, maxAge: office.policy.sessionLifetime)))
                return response
            } catch let r as LoginRefusal {
                switch r {
                case .wrongCredentials:
                    return pages.login(context: context, request: request, message: t.text("web.office.wrong"), email: email, status: .unauthorized)
                case .tooManyAttempts(let minutes):
                    return pages.login(context: context, request: request, message: t.text("web.office.too_many", ["minutes": String(minutes)]),
                                       email: email, status: .tooManyRequests)
                }
            }
        }
        router.post("/logout") { _, context in
            if let person = context.person, let token = context.sessionToken {
                let address = context.clientAddress
                try await offPool { try office.logOut(token: token, person: person, address: address) }
            }
            var response = Response(status: .seeOther, headers: [.location: "/login"])
            response.headers.append(HTTPField(name: .setCookie, value: Self.cookie("", maxAge: 0)))
            return response
        }
        AuditRoutes(server: server, office: office).register(router, api)
        // Quarter-end for staff: every client workspace's returns for a quarter (the same use case
        // as `saldo tax summary --all-workspaces`); a client gets the unknown page's 404.
        router.get("/quarter-end") { request, context in
            guard let person = context.person, person.kind != .client else { throw Problem.notFound("there is no page here") }
            let query = Query(request)
            var year: Int?, quarter: Int?
            if query.string("year").map({ !$0.isEmpty }) == true { year = try query.int("year", default: 0, in: 2000...2100) }
            if query.string("quarter").map({ !$0.isEmpty }) == true { quarter = try query.int("quarter", default: 0, in: 1...4) }
            let format = try query.choice("format", default: OutputFormat.html)
            let today = server.options.clock.today, database = office.database, organisation = person.organisationID
            let (y, q) = (year, quarter)
            let report = try await offPool { try Office.quarterEnd(database: database, organisation: organisation, today: today, year: y, quarter: q) }
            if query.string("format") != nil {
                let address = context.clientAddress
                try? await offPool { try office.record(person, workspace: nil, action: "export.quarter-end.\(format.rawValue)", object: "/quarter-end", address: address) }
                return documentResponse(report, format: format, name: "quarter-end-\(report.year)-q\(report.quarter)", language: context.language)
            }
            let t = Catalog.shipped(context.language)
            var quarters: [[String: Any]] = []
            for n in 1...4 { quarters.append(["value": String(n), "label": "Q\(n)", "selected": n == report.quarter]) }
            let links = RestSupport.query([("year", String(report.year)), ("quarter", String(report.quarter))])
            let data: [String: Any] = [
                "year": String(report.year), "quarters": quarters,
                "report": HTMLReport.fragment(report, language: context.language),
                "csv": "/quarter-end?\(links)&format=csv", "json": "/quarter-end?\(links)&format=json",
            ]
            return pages.page("quarter-end", title: report.document(in: t).title, data: data, book: "", current: "",
                              context: context, request: request)
        }
        router.get("/") { request, context in
            guard let person = context.person else { return Response(status: .seeOther, headers: [.location: "/login"]) }
            let books = try await offPool { try office.workspaces(for: person) }
            let t = Catalog.shipped(context.language)
            let data: [String: Any] = [
                "signedInAs": person.displayName == person.email || person.displayName.isEmpty
                    ? t.text("web.office.signed_in_as_email", ["email": person.email])
                    : t.text("web.office.signed_in_as", ["name": person.displayName, "email": person.email]),
                "hasBooks": !books.isEmpty,
                "isStaff": person.kind != .client,
                "books": books.map { ["id": String($0.id), "name": $0.displayName] as [String: Any] },
            ]
            return pages.page("books", title: t.text(person.kind == .client ? "web.office.books_title_client" : "web.office.books_title"), data: data,
                              // A client's page leads into their own books; a staff member's lists many, so
                              // its navigation waits until one is chosen (it pointed at the first client's).
                              book: person.kind == .client ? books.first.map { String($0.id) } ?? "" : "",
                              current: "", context: context, request: request)
        }
    }

    /// The books this person may see, for the API's list and session.
    static func books(_ office: OfficeSessions, _ context: WebContext) async throws -> [JSONValue] {
        guard let person = context.person else { return [] }
        return try await offPool { try office.workspaces(for: person) }.map { w in
            .obj([("id", .string(String(w.id))), ("name", .string(w.name))])
        }
    }
}

extension PageRenderer {
    /// The login page (no navigation: nothing is known before the login).
    func login(context: WebContext, request: Request, message: String?, email: String, status: HTTPResponse.Status) -> Response {
        let language = context.language
        let data: [String: Any] = [
            "t": words[language] ?? [:], "lang": language.rawValue, "message": message ?? "", "email": email,
            "languages": Language.allCases.map { l -> [String: Any] in
                ["code": l.rawValue, "label": l.autonym, "current": l == language, "href": "/login?lang=\(l.rawValue)"]
            },
        ]
        return PageRenderer.html(library.render(data, withTemplate: "login") ?? "", status: status)
    }
}

/// Runs blocking work (PostgreSQL, bcrypt) on a dispatch queue, never on Swift's cooperative pool.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
    }
}

extension Optional {
    func asyncMap<U>(_ f: (Wrapped) async throws -> U) async rethrows -> U? {
        switch self { case .some(let w): return try await f(w); case .none: return nil }
    }
}
