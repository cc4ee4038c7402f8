import Foundation
import HTTPTypes
import Hummingbird
import SaldoCore
import SaldoReports

/// One API operation, as the OpenAPI document describes it.
struct APIOperation: Sendable {
    enum ParameterKind: String, Sendable { case string, integer, boolean, date }
    struct Parameter: Sendable {
        var name: String
        var kind: ParameterKind = .string
        var description: String
        var values: [String] = []
        var repeatable = false
        var required = false
    }
    var method: HTTPRequest.Method
    /// OpenAPI path (`/books/{book}/reports/monthly`), under `/api/v1`.
    var path: String
    var id: String
    var summary: String
    var parameters: [Parameter] = []
    /// The request body's media type and schema (JSON), when the operation takes one.
    var body: (type: String, schema: JSONValue)? = nil
    /// Media types of a success.
    var produces: [String] = ["application/json"]
    var success: HTTPResponse.Status = .ok
    /// The schema of a success's JSON body, when the document describes it (a `$ref` to one of
    /// ``APIRoutes/schemas``); nil: any JSON.
    var response: JSONValue? = nil
}

/// The API's routes and their description: registering a route here also describes it, so the
/// OpenAPI document cannot miss one.
final class APIRoutes: @unchecked Sendable {
    private(set) var operations: [APIOperation] = []
    /// Named schemas of answers (`#/components/schemas/<name>`), besides `Problem`.
    private(set) var schemas: [(name: String, schema: JSONValue)] = []
    let router: Router<WebContext>

    /// Describes an answer's JSON under `name`; operations refer to it with ``schemaRef(_:)``.
    func addSchema(_ name: String, _ schema: JSONValue) {
        schemas.removeAll { $0.name == name }
        schemas.append((name, schema))
    }

    static func schemaRef(_ name: String) -> JSONValue { .obj([("$ref", .string("#/components/schemas/\(name)"))]) }

    init(router: Router<WebContext>) { self.router = router }

    /// Registers `operation` at `/api/v1<path>` with `handler`.
    func add(_ operation: APIOperation, _ handler: @escaping @Sendable (Request, WebContext) async throws -> Response) {
        operations.append(operation)
        let hbPath = "/api/v1" + operation.path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
        router.on(RouterPath(hbPath), method: operation.method) { request, context in try await handler(request, context) }
    }

    static let periodParameters: [APIOperation.Parameter] = [
        .init(name: "period", description: "A year (2026), quarter (2026-Q3), month (2026-07) or range (2026-01..2026-06)."),
        .init(name: "from", kind: .date, description: "First day included (yyyy-mm-dd)."),
        .init(name: "to", kind: .date, description: "Last day included (yyyy-mm-dd)."),
    ]
    static let filterParameters: [APIOperation.Parameter] = [
        .init(name: "platform", description: "Only this platform (repeat for several).", repeatable: true),
        .init(name: "client", description: "Only this client (repeat for several).", repeatable: true),
        .init(name: "account", description: "Only transactions touching this account or one under it (repeat for several).", repeatable: true),
        .init(name: "currency", description: "Report currency (ISO 4217); default: the base-currency setting, else EUR."),
    ]
    static let formatParameter = APIOperation.Parameter(name: "format", description: "json (default), csv, markdown, html or table.",
                                                        values: OutputFormat.allCases.map(\.rawValue))
    static let languageParameter = APIOperation.Parameter(name: "lang", description: "Language of human formats (en, es); JSON and CSV do not change.",
                                                          values: Language.allCases.map(\.rawValue))

    /// The OpenAPI 3.1 document of every registered operation.
    func openAPI(books: [String]) -> JSONValue {
        var paths: [String: [(String, JSONValue)]] = [:]
        var order: [String] = []
        for op in operations {
            if paths[op.path] == nil { order.append(op.path) }
            var parameters: [JSONValue] = []
            for name in APIRoutes.pathParameters(op.path) {
                let schema: JSONValue = name == "book"
                    ? .obj([("type", .string("string")), ("enum", .array(books.map(JSONValue.string)))])
                    : .obj([("type", .string("string"))])
                parameters.append(.obj([("name", .string(name)), ("in", .string("path")), ("required", .bool(true)), ("schema", schema)]))
            }
            for p in op.parameters + [APIRoutes.languageParameter] {
                var schema: [(String, JSONValue)]
                switch p.kind {
                case .string: schema = [("type", .string("string"))]
                case .integer: schema = [("type", .string("integer"))]
                case .boolean: schema = [("type", .string("boolean"))]
                case .date: schema = [("type", .string("string")), ("format", .string("date"))]
                }
                if !p.values.isEmpty { schema.append(("enum", .array(p.values.map(JSONValue.string)))) }
                if p.repeatable { schema = [("type", .string("array")), ("items", .obj(schema))] }
                var m: [(String, JSONValue)] = [("name", .string(p.name)), ("in", .string("query")), ("description", .string(p.description)),
                                                ("required", .bool(p.required)), ("schema", .obj(schema))]
                if p.repeatable { m.append(("explode", .bool(true))) }
                parameters.append(.obj(m))
            }
            var responses: [(String, JSONValue)] = [
                (String(op.success.code), .obj([("description", .string(op.success.reasonPhrase)),
                                                 ("content", .obj(op.produces.map { ($0, .obj([("schema", op.response ?? .obj([]))])) }))])),
            ]
            // Every problem an operation can answer: bad input, the security checks (401 token, 403
            // Origin/CSRF, 421 foreign Host), unknown ids, unprocessable values; for changes also a
            // state conflict (409), a body too large (413) or of the wrong type (415).
            var statuses = ["400", "401", "403", "404", "421", "422"]
            if op.method != .get { statuses += ["409", "413", "415"] }
            for status in statuses.sorted() {
                responses.append((status, .obj([("description", .string("Problem details (RFC 9457)")),
                                                 ("content", .obj([("application/problem+json", .obj([("schema", .obj([("$ref", .string("#/components/schemas/Problem"))]))]))]))])))
            }
            var operation: [(String, JSONValue)] = [("operationId", .string(op.id)), ("summary", .string(op.summary)),
                                                    ("parameters", .array(parameters)), ("responses", .obj(responses))]
            if let body = op.body {
                operation.append(("requestBody", .obj([("required", .bool(true)), ("content", .obj([(body.type, .obj([("schema", body.schema)]))]))])))
            }
            paths[op.path, default: []].append((op.method.rawValue.lowercased(), .obj(operation)))
        }
        let problem: JSONValue = .obj([
            ("type", .string("object")),
            ("required", .array([.string("type"), .string("title"), .string("status"), .string("detail")])),
            ("properties", .obj([
                ("type", .obj([("type", .string("string"))])), ("title", .obj([("type", .string("string"))])),
                ("status", .obj([("type", .string("integer"))])), ("detail", .obj([("type", .string("string"))])),
                ("code", .obj([("type", .string("string"))])), ("hint", .obj([("type", .string("string"))])),
                ("fix", .obj([("type", .string("string"))])),
                ("errors", .obj([("type", .string("array")), ("items", .obj([("type", .string("object"))]))])),
            ])),
        ])
        return .obj([
            ("openapi", .string("3.1.0")),
            ("info", .obj([("title", .string("Saldo")), ("version", .string("1")),
                           ("description", .string("The same documents as the command line's --format json. Amounts are decimal strings. Changes need Origin and X-CSRF-Token (GET /api/v1/session)."))])),
            ("servers", .array([.obj([("url", .string("/api/v1"))])])),
            ("paths", .obj(order.map { ($0, .obj(paths[$0]!)) })),
            ("components", .obj([("schemas", .obj([("Problem", problem)] + schemas.map { ($0.name, $0.schema) }))])),
        ])
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}

/// Answers with a report in `format`: JSON as the command line prints it; the other formats as a
/// download (`Content-Disposition: attachment`).
func documentResponse(_ report: some ReportConvertible, format: OutputFormat, name: String, language: Language = .en) -> Response {
    var options = RenderOptions(color: false, width: 100)
    options.language = language
    let text = render(report, format: format, options: options)
    var headers = HTTPFields()
    switch format {
    case .json: headers[.contentType] = "application/json; charset=utf-8"
    case .csv: headers[.contentType] = "text/csv; charset=utf-8"
    case .markdown: headers[.contentType] = "text/markdown; charset=utf-8"
    case .html: headers[.contentType] = "text/html; charset=utf-8"
    case .table: headers[.contentType] = "text/plain; charset=utf-8"
    }
    if format != .json {
        let ext = [OutputFormat.csv: "csv", .markdown: "md", .html: "html", .table: "txt"][format] ?? "txt"
        headers[.contentDisposition] = "attachment; filename=\"saldo-\(name).\(ext)\""
    }
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
}

func jsonResponse(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json; charset=utf-8"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.serialized())))
}
