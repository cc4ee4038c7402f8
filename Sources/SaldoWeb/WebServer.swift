import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SaldoApp
import SaldoCore
import SaldoReports
import Synchronization

/// `saldo serve`: the web app and its JSON API on one port, over the same use cases as the CLI.
public final class WebServer: Sendable {
    public let options: WebOptions
    public let books: Books
    let state: ServerState
    let pages: PageRenderer
    let assets: Assets
    /// Uploads waiting to be previewed, committed or cancelled (the Import page).
    let imports: ImportSessions
    /// Overview documents by ledger version, kept computed in the background (OverviewRoutes.keepComputed).
    let overviews: OverviewCache
    private let keepingComputed = Mutex<Task<Void, Never>?>(nil)
    /// Office mode (`database` given): logins, sessions and the audit log.
    let office: OfficeSessions?
    /// The access token in force (given or generated) when listening beyond this machine.
    public var accessToken: String? { state.accessToken }

    public init(options: WebOptions) throws {
        self.options = options
        // Office mode has logins instead: no generated access token.
        let token: String? = options.isLoopback || options.database != nil ? options.accessToken : (options.accessToken ?? randomToken())
        state = ServerState(host: options.host, port: options.port, csrfToken: randomToken(), accessToken: token, officeMode: options.database != nil)
        // Office mode: pages carry their session's token (WebContext.csrfToken), never a server-wide one.
        pages = try PageRenderer(csrfToken: options.database == nil ? state.csrfToken : "")
        assets = try Assets()
        overviews = OverviewCache(capacity: options.database != nil ? OverviewCache.officeCapacity : OverviewCache.singleLedgerCapacity)
        var ledger = options.ledger
        ledger.lockTimeout = options.lockTimeout
        if let database = options.database {
            let office = try OfficeSessions(database: database, policy: options.officePolicy)
            self.office = office
            books = Books(office: office)
        } else {
            office = nil
            books = Books(["main": ledger])
        }
        imports = try ImportSessions(folder: options.uploadFolder)
    }

    deinit { keepingComputed.withLock { $0?.cancel() } }

    /// The address to open, once listening (with the token when one is needed).
    public var address: String {
        let host = options.host.contains(":") && !options.host.hasPrefix("[") ? "[\(options.host)]" : options.host
        return "http://\(host):\(state.port)/" + (state.accessToken.map { "?token=\($0)" } ?? "")
    }

    public var port: Int { state.port }

    /// Every route, behind the security, language and problem middlewares.
    /// Every API operation, as the OpenAPI document lists them.
    var registeredOperations: [APIOperation] { routes(log: { _ in }).api.operations }

    func router(log: @escaping @Sendable (String) -> Void) -> Router<WebContext> { routes(log: log).router }

    func routes(log: @escaping @Sendable (String) -> Void) -> (router: Router<WebContext>, api: APIRoutes) {
        let router = Router(context: WebContext.self)
        router.add(middleware: SecurityMiddleware(state: state))
        router.add(middleware: LanguageMiddleware())
        router.add(middleware: ProblemMiddleware(pages: pages, log: log))
        if let office { router.add(middleware: OfficeMiddleware(office: office)) }
        let api = APIRoutes(router: router)
        addMetaRoutes(router, api)
        if let office { OfficeRoutes(server: self, office: office).register(router, api) }
        // One group per page, each in its own file under Routes/.
        OverviewRoutes(server: self).register(router, api)
        ImportRoutes(server: self).register(router, api)
        TransactionRoutes(server: self).register(router, api)
        ReportRoutes(server: self).register(router, api)
        InvoiceRoutes(server: self).register(router, api)
        ForecastRoutes(server: self).register(router, api)
        TaxRoutes(server: self).register(router, api)
        SettingsRoutes(server: self).register(router, api)
        let document = api.openAPI(books: books.ids)
        router.get("/api/v1/openapi.json") { _, _ in jsonResponse(document) }
        return (router, api)
    }

    func addMetaRoutes(_ router: Router<WebContext>, _ api: APIRoutes) {
        if office == nil {
            router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/books/main/overview"]) }
        }
        router.get("/books/:book") { _, context in
            let book = try context.parameters.require("book")
            return Response(status: .seeOther, headers: [.location: "/books/\(book)/overview"])
        }
        router.get("/assets/:name") { [assets] _, context in
            try assets.response(for: try context.parameters.require("name"))
        }
        router.get("/favicon.ico") { [assets] _, _ in try assets.response(for: "favicon.svg") }
        api.add(APIOperation(method: .get, path: "/session", id: "getSession",
                             summary: "The CSRF token to send as X-CSRF-Token with every change, and the books served.")) { [state, books, office] _, context in
            if let office {
                return jsonResponse(.obj([("csrfToken", .string(context.csrfToken ?? "")), ("language", .string(context.language.rawValue)),
                                          ("books", .array(try await OfficeRoutes.books(office, context).compactMap { $0["id"] }))]))
            }
            return jsonResponse(.obj([("csrfToken", .string(state.csrfToken)), ("language", .string(context.language.rawValue)),
                                      ("books", .array(books.ids.map(JSONValue.string)))]))
        }
        api.add(APIOperation(method: .get, path: "/books", id: "listBooks", summary: "The books (ledgers) this server serves.")) { [books, office] _, context in
            if let office { return jsonResponse(.obj([("books", .array(try await OfficeRoutes.books(office, context)))])) }
            return jsonResponse(.obj([("books", .array(books.ids.map { id in
                .obj([("id", .string(id)), ("ledger", .string(URL(fileURLWithPath: books.ledgers[id]!.path).lastPathComponent))])
            }))]))
        }
    }

    /// Listens until the process is stopped (SIGINT/SIGTERM); `onReady` gets the address to open.
    public func run(onReady: @escaping @Sendable (String) -> Void = { _ in },
                    log: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) async throws {
        do {
            try await application(onReady: onReady, log: log).runService()
        } catch let error as IOError {
            throw ListenFailure(errno: error.errnoCode, detail: "\(error)")
        }
    }

    /// Why the server could not listen, in words a front end can put in the user's language
    /// (NIO's own text reads "bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)").
    public struct ListenFailure: Error, CustomStringConvertible, Sendable {
        public enum Cause: Sendable { case addressInUse, notPermitted, noSuchAddress, other }
        public var cause: Cause
        /// The system's own description, for the causes without words of their own.
        public var detail: String
        public init(errno: Int32, detail: String) {
            switch errno {
            case EADDRINUSE: cause = .addressInUse
            case EACCES, EPERM: cause = .notPermitted
            case EADDRNOTAVAIL: cause = .noSuchAddress
            default: cause = .other
            }
            self.detail = detail
        }
        public var description: String { detail }
    }

    /// The application, for `run` and for tests that run it in a task and cancel it.
    public func application(onReady: @escaping @Sendable (String) -> Void = { _ in },
                            log: @escaping @Sendable (String) -> Void = { _ in },
                            logLevel: Logger.Level = .warning) -> some ApplicationProtocol {
        var logger = Logger(label: "saldo.serve")
        logger.logLevel = logLevel
        let state = self.state
        return Application(
            router: router(log: log),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { [self] channel in
                state.bound(port: channel.localAddress?.port ?? options.port)
                if self.options.computeAhead {
                    self.keepingComputed.withLock { task in
                        if task == nil { task = OverviewRoutes.keepComputed(self) }
                    }
                }
                onReady(self.address)
            },
            logger: logger)
    }
}

/// Stylesheet, script and icon, served from the package's resources with long caching (the
/// names carry no version: the server is local and restarts with the binary).
struct Assets: Sendable {
    let files: [String: (type: String, bytes: [UInt8])]

    init() throws {
        guard let folder = Bundle.module.url(forResource: "Resources", withExtension: nil)?.appendingPathComponent("assets") else {
            throw Problem(.internalServerError, code: "assets", title: "Assets missing", detail: "the page assets are not installed")
        }
        var files: [String: (String, [UInt8])] = [:]
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml", "png": "image/png"]
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) {
            guard let type = types[file.pathExtension] else { continue }
            files[file.lastPathComponent] = (type, Array(try Data(contentsOf: file)))
        }
        files["report.css"] = (types["css"]!, Array(HTMLReport.stylesheet.utf8))
        self.files = files
    }

    func response(for name: String) throws -> Response {
        guard let file = files[name] else { throw Problem.notFound("no asset named \(name)") }
        var headers = HTTPFields()
        headers[.contentType] = file.type
        headers[.cacheControl] = "max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
