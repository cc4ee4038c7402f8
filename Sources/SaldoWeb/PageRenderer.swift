import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import SaldoApp
import SaldoCore
import SaldoReports

/// Server-rendered pages: Mustache templates from `Resources/templates`, the words from the
/// language's catalog (`web.*` keys, as `{{t.web_nav_overview}}`), every page inside `layout`.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    /// Per language: the catalog's entries with `.` in keys replaced by `_` (Mustache reads dots as nesting).
    let words: [Language: [String: String]]
    let csrfToken: String

    init(csrfToken: String) throws {
        guard let folder = Bundle.module.url(forResource: "Resources", withExtension: nil)?.appendingPathComponent("templates") else {
            throw Problem(.internalServerError, code: "templates", title: "Templates missing", detail: "the page templates are not installed")
        }
        var templates: [String: MustacheTemplate] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) where file.pathExtension == "mustache" {
            templates[file.deletingPathExtension().lastPathComponent] = try MustacheTemplate(string: String(decoding: Data(contentsOf: file), as: UTF8.self))
        }
        library = MustacheLibrary(templates: templates)
        var words: [Language: [String: String]] = [:]
        for language in Language.allCases {
            var dict: [String: String] = [:]
            for (key, value) in Catalog.shipped(language).entries { dict[key.replacingOccurrences(of: ".", with: "_")] = value }
            words[language] = dict
        }
        self.words = words
        self.csrfToken = csrfToken
    }

    /// The pages in the navigation, in order: (path under the book, catalog key).
    static let navigation: [(path: String, key: String)] = [
        ("overview", "web.nav.overview"), ("import", "web.nav.import"), ("transactions", "web.nav.transactions"),
        ("reports", "web.nav.reports"), ("invoices", "web.nav.invoices"), ("forecast", "web.nav.forecast"),
        ("tax", "web.nav.tax"), ("settings", "web.nav.settings"),
    ]

    /// A full page: `template` rendered with `data`, inside the layout.
    /// `scripts` and `styles` name the page's own files under `/assets/` (besides saldo.js and saldo.css).
    func page(_ template: String, title: String, data: [String: Any], book: String, current: String,
              context: WebContext, request: Request, status: HTTPResponse.Status = .ok,
              scripts: [String] = [], styles: [String] = []) -> Response {
        page(content: content(template, data: data, book: book, language: context.language), title: title, book: book,
             current: current, context: context, request: request, status: status, scripts: scripts, styles: styles)
    }

    /// A page's own part: `template` rendered with `data` (and the language's words, the book and
    /// the language), without the layout: what a page may keep and put in the layout again.
    func content(_ template: String, data: [String: Any], book: String, language: Language) -> String {
        var data = data
        data["t"] = words[language] ?? [:]
        data["book"] = book
        data["lang"] = language.rawValue
        return library.render(data, withTemplate: template) ?? ""
    }

    /// A full page around `content` (made by ``content(_:data:book:language:)``): the layout, with
    /// this request's session (its CSRF token, whether it may change the books) and links.
    func page(content body: String, title: String, book: String, current: String,
              context: WebContext, request: Request, status: HTTPResponse.Status = .ok,
              scripts: [String] = [], styles: [String] = []) -> Response {
        let language = context.language
        let t = words[language] ?? [:]
        let readOnly = context.person.map { !Office.mayChange($0) } ?? false
        let query = request.uri.query.map { "?" + $0 } ?? ""
        let layout: [String: Any] = [
            "t": t,
            "lang": language.rawValue,
            "title": title,
            "book": book,
            "csrf": context.csrfToken ?? csrfToken,
            "content": body,
            "scripts": scripts,
            "styles": styles,
            "office": context.person != nil,
            // Whose books these are (office mode), beside "Books", on every page of them.
            "bookName": book.isEmpty ? "" : context.bookName ?? "",
            // A client reads their books; their accountant changes them (no Import for them).
            "readOnly": readOnly && !book.isEmpty,
            // Pages of no book (the office's quarter-end and audit log) have no book navigation.
            "home": book.isEmpty ? "/" : "/books/\(book)/overview",
            "nav": PageRenderer.navigation.filter { !book.isEmpty && (!readOnly || $0.path != "import") }.map { item -> [String: Any] in
                ["href": "/books/\(book)/\(item.path)", "label": t[item.key.replacingOccurrences(of: ".", with: "_")] ?? item.key,
                 "current": item.path == current]
            },
            "languages": Language.allCases.map { l -> [String: Any] in
                ["code": l.rawValue, "label": l.autonym, "current": l == language,
                 "href": request.uri.path + PageRenderer.replacing("lang", with: l.rawValue, in: query)]
            },
        ]
        let html = library.render(layout, withTemplate: "layout") ?? ""
        return PageRenderer.html(html, status: status)
    }

    /// A problem shown as a page, in the layout, with the same message and hint as the API.
    func problemPage(_ problem: Problem, context: WebContext, request: Request) -> Response {
        let data = problemData(problem, language: context.language)
        let book = request.uri.path.split(separator: "/").dropFirst().first.map(String.init) ?? "main"
        return page("problem", title: data["title"] as? String ?? "", data: data, book: book, current: "", context: context, request: request, status: problem.status)
    }

    /// A page of a book that has no ledger yet: 200, the page's own title, a neutral empty state
    /// that points to Import (and Settings, which work before the first import); no path, no
    /// command-line advice.
    func welcomePage(context: WebContext, request: Request) -> Response {
        let parts = request.uri.path.split(separator: "/").map(String.init)
        let book = parts.count > 1 ? parts[1] : "main"
        let current = parts.count > 2 ? parts[2] : ""
        let t = words[context.language] ?? [:]
        let title = PageRenderer.navigation.first { $0.path == current }.map { t[$0.key.replacingOccurrences(of: ".", with: "_")] ?? $0.key }
            ?? t["web_welcome_title"] ?? "Saldo"
        return page("welcome", title: title, data: [:], book: book, current: current, context: context, request: request,
                    styles: ["welcome.css"])
    }

    /// What `problem.mustache` shows of a problem, in the language: the title (`web.problem_title.*`),
    /// the detail and hint as the command line says them (`error.*`; ``Problem/localized(_:)``, as the
    /// API answers them), each diagnostic by its code. Pages that show a problem beside their form use it too.
    func problemData(_ problem: Problem, language: Language) -> [String: Any] {
        let L = Catalog.shipped(language)
        let said = problem.localized(language)
        let title = said.title
        // A bare "Not Found" (a route that does not exist) says so once, and where to go instead.
        var detail = said.detail
        var hint = said.hint ?? ""
        if detail.caseInsensitiveCompare(title) == .orderedSame {
            detail = problem.status == .notFound ? L.text("web.problem.no_page") : ""
            if hint.isEmpty && problem.status == .notFound { hint = L.text("web.problem.no_page_hint") }
        }
        return [
            "title": title, "detail": detail.isEmpty ? false : detail, "hint": hint.isEmpty ? false : hint,
            "errors": problem.diagnostics.map { d -> [String: Any] in
                let h = d.localizedHint(in: L) ?? ""
                return ["location": d.localizedLocation(in: L)?.description ?? "", "message": d.localizedMessage(in: L), "hint": h.isEmpty ? false : h, "code": d.code]
            },
            "status": String(problem.status.code), "startLedger": problem.fix == "start-ledger",
        ]
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `query` (with its `?`) with `name` set to `value`.
    static func replacing(_ name: String, with value: String, in query: String) -> String {
        var parts = query.dropFirst().split(separator: "&").map(String.init).filter { !$0.hasPrefix(name + "=") }
        parts.append("\(name)=\(value)")
        return "?" + parts.joined(separator: "&")
    }
}
