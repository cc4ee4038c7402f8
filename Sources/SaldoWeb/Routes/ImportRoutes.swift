import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SaldoApp
import SaldoCore
import SaldoReports
import SaldoStore

/// The Import page and its API: upload (streamed to a private folder under a generated name),
/// preview (the import as a dry run), decisions (date order, decimal mark, profile), commit and
/// cancel, one session per file (``ImportSessions``).
struct ImportRoutes {
    let server: WebServer

    static let fileNameHeader = HTTPField.Name("X-File-Name")!

    func register(_ router: Router<WebContext>, _ api: APIRoutes) {
        for (name, schema) in Self.schemas { api.addSchema(name, schema) }
        let session = APIRoutes.schemaRef("ImportSession")
        let sessions = server.imports
        let environment = server.options.environment
        let books = server.books
        let maxBytes = server.options.maxUploadBytes

        /// Runs the preview of `id` in the background, one ledger job at a time.
        @Sendable func startPreview(_ id: String, book: String) {
            Task.detached {
                _ = try? await books.write(book) { location in sessions.preview(id, ledger: location, environment: environment) }
            }
        }

        api.add(APIOperation(method: .post, path: "/books/{book}/imports", id: "uploadImport",
                             summary: "Upload one statement or e-invoice (the raw bytes; its name in X-File-Name, percent-encoded). Answers the new import session; its preview (a dry run) follows in the background. The same bytes as an upload of this book still waiting (neither imported nor cancelled) answer that upload, with its decisions, instead of a second one.",
                             parameters: [.init(name: "preview", kind: .boolean, description: "false: skip the preview; the upload is ready to commit at once (scripts that trust the file). Default true.")],
                             body: ("application/octet-stream", .obj([("type", .string("string")), ("format", .string("binary"))])),
                             success: .accepted, response: session)) { request, context in
            let book = try context.parameters.require("book")
            _ = try books.location(book)
            let query = Query(request)
            let preview = query.string("preview") == nil ? true : try query.bool("preview")
            let clientName = request.headers[Self.fileNameHeader].map { $0.removingPercentEncoding ?? $0 } ?? "upload"
            if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
                throw Self.tooLarge(maxBytes)
            }
            let session = sessions.start(clientName: clientName, book: book)
            let answer: ImportSessions.Session?
            do {
                let bytes = try await Self.receive(request.body, to: session.storedAt, limit: maxBytes)
                guard bytes > 0 else {
                    throw Problem.badRequest("empty-upload", "the upload \(session.displayName) is empty", hint: "send the file's bytes as the request body")
                }
                answer = sessions.received(session.id, bytes: bytes)
            } catch {
                sessions.discard(session.id)
                throw error
            }
            // The same bytes already waiting in this book: that upload is the answer (same status:
            // its preview, if still running, follows as for a new one).
            if let earlier = answer, earlier.id != session.id {
                var response = jsonResponse(earlier.json(language: context.language), status: .accepted)
                response.headers[.location] = "/api/v1/books/\(book)/imports/\(earlier.id)"
                return response
            }
            if preview { startPreview(session.id, book: book) } else { sessions.skipPreview(session.id) }
            var response = jsonResponse(try sessions.session(session.id).json(language: context.language), status: .accepted)
            response.headers[.location] = "/api/v1/books/\(book)/imports/\(session.id)"
            return response
        }

        api.add(APIOperation(method: .get, path: "/books/{book}/imports", id: "listImports",
                             summary: "Every upload of this server run, oldest first, with its state (a reload or a second tab resumes from it).",
                             response: APIRoutes.schemaRef("ImportList"))) { _, context in
            let book = try context.parameters.require("book")
            _ = try books.location(book)
            return jsonResponse(.obj([("imports", .array(sessions.list(book: book).map { $0.json(language: context.language) }))]))
        }

        api.add(APIOperation(method: .get, path: "/books/{book}/imports/{id}", id: "getImport",
                             summary: "One upload: state (reading, previewed, committing, committed, failed, cancelled), progress, the preview (what `import --dry-run --format json` says: profile and why, new, duplicate and filtered rows, problems, balance checks, date order and decimal mark with their evidence; and the first rows it would write, each new or already in the ledger, with how many more) and, once committed, what was written.",
                             response: session)) { _, context in
            let book = try context.parameters.require("book")
            _ = try books.location(book)
            return jsonResponse(try Self.session(sessions, try context.parameters.require("id"), book: book).json(language: context.language))
        }

        let decisionSchema: JSONValue = .obj([
            ("type", .string("object")), ("additionalProperties", .bool(false)),
            ("properties", .obj([
                ("dateFormat", .obj([("type", .array([.string("string"), .string("null")])), ("enum", .array(ImportSessions.dateFormats.map(JSONValue.string) + [.null]))])),
                ("decimalMark", .obj([("type", .array([.string("string"), .string("null")])), ("enum", .array([.string("."), .string(","), .null]))])),
                ("profile", .obj([("type", .array([.string("string"), .string("null")])), ("description", .string("A statement profile's name (GET the profiles list in the CLI's `profiles list`)."))])),
            ])),
        ])
        api.add(APIOperation(method: .patch, path: "/books/{book}/imports/{id}", id: "decideImport",
                             summary: "Settle how an ambiguous file is read (date order, decimal mark) or which profile reads it; the preview runs again.",
                             body: ("application/json", decisionSchema), success: .accepted, response: session)) { request, context in
            let book = try context.parameters.require("book")
            _ = try books.location(book)
            let id = try context.parameters.require("id")
            _ = try Self.session(sessions, id, book: book)
            let body = try await request.body.collect(upTo: 64 * 1024)
            let decisions = try Self.decisions(Array(body.readableBytesView))
            do { try sessions.decide(id, decisions, environment: environment) } catch let e as ImportSessionError { throw Self.problem(e) }
            startPreview(id, book: book)
            return jsonResponse(try sessions.session(id).json(language: context.language), status: .accepted)
        }

        api.add(APIOperation(method: .post, path: "/books/{book}/imports/{id}/commit", id: "commitImport",
                             summary: "Import the previewed upload into the ledger, in one database transaction (one writer at a time; another program's write is waited for). Answers the summary `import --format json` prints. Committing again writes nothing twice.",
                             response: APIRoutes.schemaRef("ImportSummary"))) { _, context in
            let book = try context.parameters.require("book")
            let id = try context.parameters.require("id")
            _ = try Self.session(sessions, id, book: book)
            let outcome: SaldoApp.ImportOutcome
            do {
                // Claimed before the wait for the book's writer, so that the page shows the upload as
                // being imported while other imports into the book finish first.
                switch try sessions.claim(id) {
                case .committed(let written):
                    outcome = written
                case .claimed:
                    do {
                        outcome = try await books.write(book) { location in try sessions.commitClaimed(id, ledger: location, environment: environment) }
                    } catch {
                        sessions.releaseClaim(id)
                        throw error
                    }
                case .committing:
                    // A second commit of the same upload (a double click): it waits for the first and
                    // answers what that one wrote, writing nothing twice.
                    outcome = try await books.write(book) { location in try sessions.commit(id, ledger: location, environment: environment) }
                }
            } catch let e as ImportSessionError { throw Self.problem(e) }
            guard let summary = outcome.files.first else { throw Self.problem(.unknown(id)) }
            if summary.failed {
                let errors = summary.problems.filter { $0.severity == .error }
                throw Problem(.unprocessableContent, code: "import-failed", title: "Not imported",
                              detail: "\(summary.file) was not imported: \(errors.first?.message ?? "it has problems"); nothing was written",
                              hint: errors.first?.hint, diagnostics: errors)
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: summary.json() + "\n")))
        }

        api.add(APIOperation(method: .delete, path: "/books/{book}/imports/{id}", id: "cancelImport",
                             summary: "Cancel an upload that is not committed: its file is deleted, nothing is written.",
                             response: session)) { _, context in
            let book = try context.parameters.require("book")
            _ = try books.location(book)
            let id = try context.parameters.require("id")
            _ = try Self.session(sessions, id, book: book)
            do { try sessions.cancel(id) } catch let e as ImportSessionError { throw Self.problem(e) }
            return jsonResponse(try sessions.session(id).json(language: context.language))
        }

        router.get("/books/:book/import") { request, context in
            try await self.page(request, context)
        }
    }

    // MARK: What the API answers

    /// The JSON of an import session (``ImportSessions/Session/json(language:)``) and of an import's
    /// summary (`saldo import --format json`), for the OpenAPI document. Members a later version may
    /// add are allowed (no `additionalProperties: false`).
    static let schemas: [(String, JSONValue)] = {
        func type(_ t: String, _ description: String? = nil) -> JSONValue {
            .obj([("type", .string(t))] + (description.map { [("description", .string($0))] } ?? []))
        }
        func nullable(_ t: String, _ description: String? = nil) -> JSONValue {
            .obj([("type", .array([.string(t), .string("null")]))] + (description.map { [("description", .string($0))] } ?? []))
        }
        func object(_ required: [String], _ properties: [(String, JSONValue)], _ description: String? = nil) -> JSONValue {
            .obj([("type", .string("object")), ("required", .array(required.map(JSONValue.string))), ("properties", .obj(properties))]
                 + (description.map { [("description", .string($0))] } ?? []))
        }
        func array(_ items: JSONValue) -> JSONValue { .obj([("type", .string("array")), ("items", items)]) }
        func orNull(_ ref: String) -> JSONValue { .obj([("anyOf", .array([APIRoutes.schemaRef(ref), .obj([("type", .string("null"))])]))]) }
        let convention = nullable("object", "How dates or amounts were read: value, evidence and basis; null when the file did not say.")
        let summary = object(["file", "imported", "dry_run", "rows", "new", "duplicates", "problems"], [
            ("file", type("string")), ("profile", nullable("string")), ("imported", type("boolean")), ("dry_run", type("boolean")),
            ("rows", type("integer")), ("new", type("integer")), ("duplicates", type("integer")), ("invoices", type("integer")),
            ("date_order", convention), ("decimal_mark", convention),
            ("filtered", array(type("object"))), ("problems", array(type("object"))),
            ("balance_checks", type("object")), ("conversion_legs", type("object")),
        ], "One file's import, as `saldo import --format json` prints it (amounts are decimal strings).")
        let row = object(["date", "date_text", "description", "description_text", "amount", "currency", "amount_text", "status"], [
            ("date", .obj([("type", .string("string")), ("format", .string("date"))])),
            ("date_text", type("string", "The day as the request's language writes it (1 oct 2026 in Spanish).")),
            ("description", type("string")),
            ("description_text", type("string", "The description in the request's language (an e-invoice's is Saldo's own words).")),
            ("counterparty", nullable("string")),
            ("amount", nullable("string", "What the row moves on its first account (the statement's own), a decimal string.")),
            ("currency", nullable("string")),
            ("amount_text", nullable("string", "The amount and its currency as the request's language writes them (1.500,50 EUR).")),
            ("account", nullable("string")), ("platform", nullable("string")), ("client", nullable("string")),
            ("line", nullable("integer", "The line of the file the row comes from.")),
            ("status", .obj([("type", .array([.string("string"), .string("null")])), ("enum", .array([.string("new"), .string("duplicate"), .null])),
                             ("description", .string("new: the import adds it; duplicate: the ledger already holds it; null: the ledger did not say."))])),
        ], "A transaction (or e-invoice) the import writes, or in a preview would write.")
        let preview = JSONValue.obj([("allOf", .array([APIRoutes.schemaRef("ImportSummary"), object(["first_rows", "more_rows"], [
            ("first_rows", .obj([("type", .string("array")), ("items", APIRoutes.schemaRef("ImportRow")),
                                 ("maxItems", .int(ImportSessions.firstRows)),
                                 ("description", .string("The first rows the import writes (in a preview: would write), in order."))])),
            ("more_rows", type("integer", "How many more rows it writes or finds already in the ledger, besides first_rows.")),
            ("more_rows_text", nullable("string", "The same said in the request's language; null when there are none.")),
            ("problems_text", array(type("object"))), ("filtered_text", array(type("string"))), ("filtered_rows_text", array(type("string"))), ("balances_text", array(type("object"))),
            ("evidence_text", type("object")),
        ])]))])
        let state = JSONValue.obj([("type", .string("string")), ("enum", .array(ImportSessions.State.allCases.map { .string($0.rawValue) }))])
        let session = object(["id", "name", "bytes", "state", "decisions", "preview", "committed", "failure"], [
            ("id", type("string")), ("name", type("string")), ("bytes", type("integer")), ("state", state), ("progress", nullable("string")),
            ("decisions", type("object")), ("profile_check", nullable("object")),
            ("preview", orNull("ImportPreview")), ("committed", orNull("ImportPreview")),
            ("matched_payments", type("integer")), ("failure", nullable("string")), ("failure_text", type("string")),
        ], "One upload: its state, the preview (a dry run) and, once imported, what was written.")
        return [("ImportSummary", summary), ("ImportRow", row), ("ImportPreview", preview), ("ImportSession", session),
                ("ImportList", object(["imports"], [("imports", array(APIRoutes.schemaRef("ImportSession")))]))]
    }()

    // MARK: Upload

    static func tooLarge(_ max: Int) -> Problem {
        Problem(.contentTooLarge, code: "upload-too-large", title: "Upload too large",
                detail: "the file is larger than the largest upload this server accepts (\(max / (1024 * 1024)) MB, \(max) bytes); nothing was kept",
                hint: "import the statement in parts (shorter periods), or start the server with a larger upload limit")
    }

    /// Streams `body` into a new private file at `url`; stops and throws 413 once past `limit`.
    static func receive(_ body: RequestBody, to url: URL, limit: Int) async throws -> Int {
        do { _ = try PrivateFiles.createEmptyFile(url.path) } catch {
            throw Problem(.internalServerError, code: "upload-folder", title: "Cannot store the upload", detail: "cannot store the upload: \(error.reason)")
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var total = 0
        for try await buffer in body {
            total += buffer.readableBytes
            if total > limit { throw tooLarge(limit) }
            try buffer.withUnsafeReadableBytes { raw in try handle.write(contentsOf: raw) }
        }
        return total
    }

    // MARK: Decisions

    /// The PATCH body: an object with optional `dateFormat`, `decimalMark`, `profile` (strings or
    /// null); anything else is a 400 naming the field.
    static func decisions(_ bytes: [UInt8]) throws -> ImportSessions.Decisions {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes).value } catch {
            throw Problem.badRequest("bad-json", "the request body is not JSON (\(error))",
                                     hint: "send an object such as {\"dateFormat\": \"dd/mm/yyyy\", \"decimalMark\": \",\"}")
        }
        guard case .object(let members) = value else {
            throw Problem.badRequest("bad-json", "the request body must be a JSON object with dateFormat, decimalMark or profile",
                                     hint: "send an object such as {\"dateFormat\": \"dd/mm/yyyy\"}")
        }
        var d = ImportSessions.Decisions()
        for m in members {
            let text: String?
            switch m.value {
            case .string(let s): text = s
            case .null: text = nil
            default: throw Problem.badRequest("bad-decision", "\(m.key): expected a string or null, found \(m.value.serialized())")
            }
            switch m.key {
            case "dateFormat": d.dateFormat = text
            case "decimalMark": d.decimalMark = text
            case "profile": d.profile = text
            default: throw Problem.badRequest("bad-decision", "\(m.key): not a decision an import takes (dateFormat, decimalMark, profile)")
            }
        }
        return d
    }

    static func session(_ sessions: ImportSessions, _ id: String, book: String) throws -> ImportSessions.Session {
        do { return try sessions.session(id, book: book) } catch let e as ImportSessionError { throw problem(e) }
    }

    static func problem(_ e: ImportSessionError) -> Problem {
        switch e {
        case .unknown: return Problem.notFound(e.description)
        case .wrongState: return Problem(.conflict, code: "import-state", title: "Not now", detail: e.description,
                                         hint: "look at the upload's state; a cancelled upload is uploaded again")
        case .badDecision: return Problem.badRequest("bad-decision", e.description)
        }
    }

    // MARK: Page

    func page(_ request: Request, _ context: WebContext) async throws -> Response {
        let book = try context.parameters.require("book")
        _ = try server.books.location(book)
        let t = Catalog.shipped(context.language)
        let data: [String: Any] = [
            "maxMB": server.options.maxUploadBytes / (1024 * 1024),
            "dateFormats": ImportSessions.dateFormats,
        ]
        return server.pages.page("import", title: t.text("web.nav.import"), data: data, book: book, current: "import",
                                 context: context, request: request, scripts: ["import.js"], styles: ["import.css"])
    }
}

extension WebServer {
    /// Deletes the uploads not imported (the server is stopping).
    public func removeUploads() { imports.close() }
}
