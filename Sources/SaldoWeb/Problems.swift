import Foundation
import HTTPTypes
import Hummingbird
import SaldoApp
import SaldoCore
import SaldoStore

/// An error as RFC 9457 problem details (`application/problem+json`): the same message, location
/// and hint as the command line, never a stack trace.
public struct Problem: Error, Sendable {
    public var status: HTTPResponse.Status
    /// A stable identifier of the kind of problem (`/problems/<code>`).
    public var code: String
    public var title: String
    public var detail: String
    public var hint: String?
    /// Problems with positions (file, line, column, field): a file's diagnostics.
    public var diagnostics: [Diagnostic]
    /// What to do, by name, for the page to offer (start a ledger, import rates, …).
    public var fix: String?

    public init(_ status: HTTPResponse.Status, code: String, title: String, detail: String, hint: String? = nil,
                diagnostics: [Diagnostic] = [], fix: String? = nil) {
        self.status = status; self.code = code; self.title = title; self.detail = detail; self.hint = hint
        self.diagnostics = diagnostics; self.fix = fix
    }

    public static func badRequest(_ code: String, _ detail: String, hint: String? = nil) -> Problem {
        Problem(.badRequest, code: code, title: "Bad request", detail: detail, hint: hint)
    }
    public static func notFound(_ detail: String) -> Problem {
        Problem(.notFound, code: "not-found", title: "Not found", detail: detail)
    }
    public static func forbidden(_ code: String, _ detail: String, hint: String? = nil) -> Problem {
        Problem(.forbidden, code: code, title: "Forbidden", detail: detail, hint: hint)
    }

    /// The problem for any error a route lets through.
    public static func from(_ error: any Error) -> Problem {
        switch error {
        case let p as Problem: return p
        case let e as UserError:
            let notFound = e.fix == .startLedger || e.fix == .importStatements
            return Problem(notFound ? .notFound : .unprocessableContent, code: e.fix.map(\.name) ?? "user-error",
                           title: notFound ? "Nothing to show yet" : "Cannot do that", detail: e.message, hint: e.hint,
                           fix: e.fix.map(\.name))
        case let d as Diagnostic:
            return Problem(.unprocessableContent, code: d.code, title: "Cannot do that", detail: d.message, hint: d.hint, diagnostics: [d])
        case let e as DiagnosticsError:
            let first = e.diagnostics.first
            return Problem(.unprocessableContent, code: first?.code ?? "diagnostics", title: "Cannot do that",
                           detail: first?.message ?? "the input has problems", hint: first?.hint, diagnostics: e.diagnostics)
        case let e as StoreError:
            if case .noLedger = e {
                return Problem(.notFound, code: "start-ledger", title: "Nothing to show yet", detail: e.description,
                               hint: "import a statement or e-invoice on the Import page", fix: "start-ledger")
            }
            return Problem(.unprocessableContent, code: "ledger", title: "Cannot use the ledger", detail: e.description)
        case let e as HTTPError:
            return Problem(e.status, code: "http-\(e.status.code)", title: e.status.reasonPhrase,
                           detail: e.body ?? e.status.reasonPhrase)
        case is MoneyError, is LedgerError, is PeriodError:
            return Problem(.badRequest, code: "bad-value", title: "Bad request", detail: "\(error)")
        default:
            return Problem(.internalServerError, code: "internal", title: "Something went wrong",
                           detail: "Saldo could not answer this request; nothing was changed.",
                           hint: "the terminal running `saldo serve` shows the details")
        }
    }

    /// The body: RFC 9457 members plus Saldo's own (`code`, `hint`, `fix`, `errors`).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .string("/problems/\(code)")),
            ("title", .string(title)),
            ("status", .number(String(status.code))),
            ("detail", .string(detail)),
            ("code", .string(code)),
        ]
        if let hint { members.append(("hint", .string(hint))) }
        if let fix { members.append(("fix", .string(fix))) }
        if !diagnostics.isEmpty {
            members.append(("errors", .array(diagnostics.map(Problem.json))))
        }
        return .obj(members)
    }

    static func json(_ d: Diagnostic) -> JSONValue {
        var m: [(String, JSONValue)] = [("severity", .string(d.severity.rawValue)), ("code", .string(d.code)), ("message", .string(d.message))]
        if let l = d.location {
            m.append(("file", .string(l.file)))
            if let line = l.line { m.append(("line", .number(String(line)))) }
            if let column = l.column { m.append(("column", .number(String(column)))) }
            if let field = l.field { m.append(("field", .string(field))) }
            if let sheet = l.sheet { m.append(("sheet", .string(sheet))) }
            m.append(("location", .string(l.description)))
        }
        if let hint = d.hint { m.append(("hint", .string(hint))) }
        return .obj(m)
    }

    /// The title, detail and hint in `language`, as the command line says them (`web.problem_title.*`,
    /// `error.*`; a refused setting's help from `setting.help.*`); the code and diagnostics unchanged.
    func localized(_ language: Language) -> Problem {
        guard language != .en else { return self }
        let L = Catalog.shipped(language)
        func said(_ text: String) -> String {
            if let t = Catalog.recognize(text, keyPrefix: "web.problem_title.") { return t.text(in: L) }
            let t = L.translating(text, keyPrefix: "error.")
            return t != text ? t : L.translating(text, keyPrefix: "setting.help.")
        }
        var p = self
        p.title = said(title); p.detail = said(detail); p.hint = hint.map(said)
        return p
    }

    public func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json.serialized())))
    }
}

/// Turns every error a route throws into problem details (JSON for the API, a page for the pages).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let pages: PageRenderer
    let log: @Sendable (String) -> Void

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .internalServerError { log("error answering \(request.method) \(request.uri.path): \(error)") }
            if request.uri.path.hasPrefix("/api/") || !request.wantsHTML {
                // Pages show what their scripts receive: in the reader's language (the lang cookie or
                // Accept-Language, as the pages choose it); `code` stays the same for scripts.
                return problem.localized(context.language).response()
            }
            // A book without a ledger yet (the first run) is no error for a person: its pages
            // welcome them and point to Import (the API still answers 404 start-ledger).
            if problem.fix == "start-ledger", request.uri.path.hasPrefix("/books/") {
                return pages.welcomePage(context: context, request: request)
            }
            return pages.problemPage(problem, context: context, request: request)
        }
    }
}

extension Request {
    /// A browser navigating (not a script asking for JSON).
    var wantsHTML: Bool {
        (headers[.accept] ?? "").contains("text/html")
    }
}
