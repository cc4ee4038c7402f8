import Foundation
import Hummingbird
import NIOCore
import SaldoApp
import SaldoCore
import SaldoReports

/// Settings: the values kept in the ledger (base currency, jurisdiction, tax profile, own tax
/// ids, rate source…), read and changed with the same checks as the CLI's `saldo config`; and
/// rate files imported with the same readers as `saldo rates import`.
struct SettingsRoutes {
    let server: WebServer

    static var putSchema: JSONValue {
        .obj([("type", .string("object")), ("additionalProperties", .bool(false)), ("minProperties", .number("1")),
              ("properties", .obj(Setting.allCases.map { key -> (String, JSONValue) in
                  (key.rawValue, .obj([("type", .array([.string("string"), .string("null")])),
                                       ("description", .string(key.help + (key == .taxProfile ? " (here: the profile's JSON text)" : "") + "; null removes it."))]))
              }))])
    }

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        api.add(APIOperation(method: .get, path: "/books/{book}/settings", id: "getSettings",
                             summary: "Every setting kept in the ledger (null when not set), and what each is for.")) { _, context in
            let book = try context.parameters.require("book")
            return jsonResponse(try await settingsJSON(book: book))
        }
        api.add(APIOperation(method: .put, path: "/books/{book}/settings", id: "putSettings",
                             summary: "Change settings: {key: value}, null removes one. Every value is checked first; a bad one changes nothing.",
                             body: ("application/json", SettingsRoutes.putSchema))) { request, context in
            let book = try context.parameters.require("book")
            let body = try await RestSupport.jsonObject(request, context)
            guard !body.isEmpty else { throw Problem.badRequest("missing-field", "no setting given; expected one or more of \(Setting.allCases.map(\.rawValue).joined(separator: ", "))") }
            var changes: [(key: Setting, value: String?)] = []
            for m in body {
                guard let key = Setting(rawValue: m.key) else {
                    throw Problem.badRequest("unknown-setting", "\(m.key): not a setting; expected one of \(Setting.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                switch m.value {
                case .string(let s): changes.append((key, s))
                case .null: changes.append((key, nil))
                default: throw Problem.badRequest("bad-field", "\(m.key): expected a string (or null to remove it), found \(m.value.foundDescription)")
                }
            }
            let asked = changes
            try await server.books.write(book) { location in
                _ = try Settings.apply(asked, taxProfileIsContent: true, in: location.open(.create))
            }
            return jsonResponse(try await settingsJSON(book: book))
        }
        api.add(APIOperation(method: .post, path: "/books/{book}/rates", id: "importRates",
                             summary: "Import one rate file sent as the body (ECB CSV, XML or zip; a central bank's file): same readers as saldo rates import. Stored under a generated name in a private folder and deleted after.",
                             parameters: [.init(name: "name", description: "The file's name, to name it in messages."),
                                          .init(name: "source", description: "The rate source it comes from (default: recognised by content).", values: Rates.sourceNames)],
                             body: ("application/octet-stream", .obj([("type", .string("string")), ("format", .string("binary"))])))) { request, context in
            try await importRates(request, context)
        }
        router.get("/books/:book/settings") { request, context in try await page(request, context) }
    }

    func settingsJSON(book: String) async throws -> JSONValue {
        let list = try await server.books.readOrEmpty(book) { store in try Settings.list(in: store).map { ($0.key.rawValue, $0.value) } }
        return .obj([("settings", .obj(list.map { ($0.0, $0.1.map(JSONValue.string) ?? .null) })),
                     ("help", .obj(Setting.allCases.map { ($0.rawValue, .string($0.help)) }))])
    }

    /// The upload, streamed to a private folder under a generated name (never the client's), read
    /// by the rate readers under the name the user knows, then deleted.
    func importRates(_ request: Request, _ context: WebContext) async throws -> Response {
        let book = try context.parameters.require("book")
        let query = Query(request)
        let source = query.string("source")
        if let s = source, !Rates.sourceNames.contains(s) {
            throw Problem.badRequest("bad-parameter", "source: expected one of \(Rates.sourceNames.joined(separator: ", ")), found \"\(s)\"")
        }
        // Only shown in messages: the last path component, printable, short.
        let given = (query.string("name") ?? "uploaded rates").replacingOccurrences(of: "\\", with: "/")
        let name = String((given.split(separator: "/").last.map(String.init) ?? "uploaded rates").filter { !$0.isNewline && $0.asciiValue.map { $0 >= 32 } ?? true }.prefix(120))
        let folder = try RestSupport.privateFolder(server.options.uploadFolder)
        let file = folder.appendingPathComponent(UUID().uuidString + ".upload")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = try? FileHandle(forWritingTo: file) else {
            throw Problem(.internalServerError, code: "upload", title: "Cannot store the upload", detail: "the private upload folder is not writable")
        }
        var size = 0
        do {
            defer { try? handle.close() }
            for try await buffer in request.body {
                size += buffer.readableBytes
                if size > server.options.maxUploadBytes {
                    throw Problem(.contentTooLarge, code: "too-large", title: "Too large",
                                  detail: "\(name) is larger than the \(server.options.maxUploadBytes / (1024 * 1024)) MB this server accepts",
                                  hint: "split the file, or start the server with a larger upload limit")
                }
                handle.write(Data(buffer.readableBytesView))
            }
        }
        guard size > 0 else { throw Problem.badRequest("empty-upload", "\(name): the upload is empty", hint: "send the rate file as the request body") }
        let path = file.path
        let result = try await server.books.write(book) { location in
            try Rates.importUploads([(path: path, name: name)], source: source) { try location.open(.create) }
        }
        let problems: [Diagnostic] = result.files.flatMap { $0.problems }
        guard let added = result.added else {
            throw Problem(.unprocessableContent, code: "bad-rates", title: "Cannot do that",
                          detail: "\(name): the rates do not read; nothing was added", hint: problems.first?.hint, diagnostics: problems)
        }
        return jsonResponse(.obj([
            ("file", .string(name)),
            ("read", .int(result.files.reduce(0) { $0 + $1.rates.count })),
            ("added", .int(added)),
            ("existing", .int(result.existing ?? 0)),
            ("problems", .array(problems.map(Problem.json))),
        ]))
    }

    func page(_ request: Request, _ context: WebContext) async throws -> Response {
        let book = try context.parameters.require("book")
        let t = Catalog.shipped(context.language)
        let list = try await server.books.readOrEmpty(book) { store in try Settings.list(in: store).map { ($0.key, $0.value) } }
        var values: [String: String] = [:]
        for (k, v) in list { values[k.rawValue] = v ?? "" }
        func field(_ key: Setting, _ kind: String = "text", placeholder: String = "") -> [String: Any] {
            ["key": key.rawValue, "label": t.text("web.settings.key.\(key.rawValue)"), "help": t.text("web.settings.help.\(key.rawValue)"), "value": values[key.rawValue] ?? "",
             "placeholder": placeholder, "type": kind]
        }
        // A setting with a few fixed values is a choice in words (the stored codes stay the values),
        // with "(not set)" first.
        func choice(_ key: Setting, _ options: [(value: String, label: String)]) -> [String: Any] {
            var f = field(key)
            let current = values[key.rawValue] ?? ""
            let all = [(value: "", label: t.text("web.settings.not_set"))] + options
            f["choices"] = [["options": all.map { ["value": $0.value, "label": $0.label, "selected": $0.value == current] }]]
            return f
        }
        func inWords(_ key: Setting, _ codes: [String]) -> [(value: String, label: String)] {
            codes.map { ($0, t.text("web.settings.choice.\(key.rawValue).\($0)")) }
        }
        let amountExample = t.text("web.settings.amount_example")
        let data: [String: Any] = [
            "main": [field(.baseCurrency, placeholder: "EUR"), field(.myTaxIDs, placeholder: "ES12345678Z"), field(.rateSource, placeholder: "ARS=bcra")],
            "profileLabel": t.text("web.settings.key.tax-profile"),
            "tax": [choice(.jurisdiction, Taxes.jurisdictionCodes.map { ($0, "\(Taxes.jurisdictionName($0) ?? $0) (\($0))") }),
                    field(.region, placeholder: "ES-MD"), field(.activityStart, "date"),
                    choice(.filingStatus, inWords(.filingStatus, Setting.filingStatuses)),
                    choice(.newFreelancer, inWords(.newFreelancer, Setting.newFreelancerValues)),
                    field(.lastYearTax, placeholder: amountExample), field(.lastYearIncome, placeholder: amountExample)],
            "profile": values[Setting.taxProfile.rawValue] ?? "",
            "profileHelp": t.text("web.settings.help.tax-profile"),
            "sources": Rates.sourceNames.map { ["value": $0] },
            "api": "/api/v1/books/\(book)",
        ]
        return server.pages.page("settings", title: t.text("web.nav.settings"), data: data, book: book, current: "settings",
                                 context: context, request: request, scripts: ["settings.js"], styles: ["settings.css"])
    }
}
