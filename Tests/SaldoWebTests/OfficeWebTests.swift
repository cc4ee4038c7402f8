import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoTestSupport
@testable import SaldoWeb

/// The office mode's world: two organisations on the test cluster, A with a staff member, a
/// client with a login and two workspaces (A1 holds the demo ledger), B with one workspace
/// holding the demo ledger too (so that B's transaction, invoice and import ids all exist).
enum OfficeWorld {
    static let ownerURL = ProcessInfo.processInfo.environment["SALDO_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let appURL = ProcessInfo.processInfo.environment["SALDO_TEST_POSTGRES_APP_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? ownerURL
    static var available: Bool { ownerURL != nil }
    static let missing = "SALDO_TEST_POSTGRES_URL is not set: the office-mode web tests are off (scripts/pg-test-cluster.sh start prints it)"
    static let password = "correct horse battery"
    /// bcrypt at cost 10 (quick tests); every test logs in from 127.0.0.1, so the per-address
    /// limit is raised (DirectoryTests checks it).
    static var policy: OfficePolicy { var p = OfficePolicy(); p.bcryptCost = 10; p.addressFailureLimit = 1000; return p }

    struct People: Sendable {
        var staffA: String, clientA: String, adminB: String
        var a1: Int64, a2: Int64, b1: Int64
        var orgA: Int64
    }

    static func unique(_ name: String) -> String { "\(name)-\(UUID().uuidString.prefix(8).lowercased())@example.com" }

    static let people: Result<People, any Error> = Result {
        // The owner creates the first office (and applies the migrations); the rest as the app role.
        let a = try Office.create(database: ownerURL!, name: "Gestoría A", adminEmail: unique("admin-a"), adminName: nil, password: password, policy: policy)
        let b = try Office.create(database: appURL!, name: "Gestoría B", adminEmail: unique("admin-b"), adminName: nil, password: password, policy: policy)
        let staffA = try Office.addStaff(database: appURL!, organisation: a.organisation.id, email: unique("staff-a"), name: "Luis", password: password, policy: policy)
        let a1 = try Office.addClient(database: appURL!, organisation: a.organisation.id, name: "Cliente A1",
                                      login: .init(email: unique("client-a1"), name: nil, password: password), policy: policy)
        let a2 = try Office.addClient(database: appURL!, organisation: a.organisation.id, name: "Cliente A2", login: nil, policy: policy)
        let b1 = try Office.addClient(database: appURL!, organisation: b.organisation.id, name: "Cliente B1", login: nil, policy: policy)
        _ = try Demo.buildLedger(at: Office.ledger(database: appURL!, workspace: a1.workspace.id).path)
        _ = try Demo.buildLedger(at: Office.ledger(database: appURL!, workspace: b1.workspace.id).path)
        return People(staffA: staffA.email, clientA: a1.login!.email, adminB: b.admin.email, a1: a1.workspace.id, a2: a2.workspace.id, b1: b1.workspace.id,
                      orgA: a.organisation.id)
    }
}

/// A logged-in browser or script: the session cookie on every request, and the session's CSRF
/// token (read from GET /api/v1/session, as scripts do) on every change.
struct OfficeClient: Sendable {
    let s: RunningServer
    let cookie: String
    var csrf: String = ""

    func get(_ path: String, html: Bool = false) async throws -> RawHTTPResponse {
        try await s.get(path, headers: [("Cookie", cookie)] + (html ? [("Accept", "text/html")] : []))
    }
    func change(_ method: String, _ path: String, json: String? = nil, body: Data = Data(), contentType: String? = nil,
                headers: [(String, String)] = []) async throws -> RawHTTPResponse {
        try await change(method, path, json: json, body: body, contentType: contentType, headers: headers, csrf: csrf)
    }
    /// A change with the CSRF token given (nil: none at all).
    func change(_ method: String, _ path: String, json: String? = nil, body: Data = Data(), contentType: String? = nil,
                headers: [(String, String)] = [], csrf token: String?) async throws -> RawHTTPResponse {
        var all: [(String, String)] = [("Origin", s.origin), ("Cookie", cookie)] + (token.map { [("X-CSRF-Token", $0)] } ?? [])
        if let json { all.append(("Content-Type", "application/json")); return try await s.send(method, path, headers: all + headers, body: Data(json.utf8)) }
        if let contentType { all.append(("Content-Type", contentType)) }
        return try await s.send(method, path, headers: all + headers, body: body)
    }
}

func withOfficeServer<T: Sendable>(_ body: @Sendable (RunningServer) async throws -> T) async throws -> T {
    var options = WebOptions(host: "127.0.0.1", port: 0, ledger: LedgerLocation(path: "/nonexistent"), clock: .fixed(webDemoDay))
    options.computeAhead = false
    options.database = OfficeWorld.appURL
    options.officePolicy = OfficeWorld.policy
    return try await withServer(options: options, body)
}

extension RunningServer {
    /// Logs in through the form; answers the response and the session cookie (`name=value`).
    func logIn(_ email: String, _ password: String = OfficeWorld.password, address: String? = nil) async throws -> (RawHTTPResponse, OfficeClient?) {
        let form = "email=\(RestSupport.encode(email))&password=\(RestSupport.encode(password))"
        let r = try await send("POST", "/login", headers: [("Origin", origin), ("Content-Type", "application/x-www-form-urlencoded")], body: Data(form.utf8))
        guard let set = r.headers("Set-Cookie").first(where: { $0.hasPrefix("saldo_session=") }) else { return (r, nil) }
        var client = OfficeClient(s: self, cookie: String(set.split(separator: ";")[0]))
        let session = try await client.get("/api/v1/session")
        client.csrf = (try? JSONSerialization.jsonObject(with: Data(session.text.utf8)) as? [String: Any])?["csrfToken"] as? String ?? ""
        return (r, client)
    }
}

@Suite(.enabled(if: OfficeWorld.available, Comment(rawValue: OfficeWorld.missing)), .serialized)
struct OfficeWebTests {
    /// The login sets a Secure, HttpOnly, SameSite=Strict session cookie for the whole site; a
    /// wrong password gets the login page again (401) and no cookie.
    @Test func loginCookieHasEveryAttribute() async throws {
        let p = try OfficeWorld.people.get()
        try await withOfficeServer { s in
            let page = try await s.get("/login")
            #expect(page.status == 200 && page.text.contains("name=\"password\""))
            let es = try await s.get("/login?lang=es")
            #expect(es.text.contains("Contraseña") && es.text.contains("Entrar"))
            let (r, client) = try await s.logIn(p.staffA)
            #expect(r.status == 303 && r.header("Location") == "/")
            let cookie = try #require(r.headers("Set-Cookie").first { $0.hasPrefix("saldo_session=") })
            let attributes = Set(cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(attributes.isSuperset(of: ["Path=/", "HttpOnly", "Secure", "SameSite=Strict"]), "\(cookie)")
            // The token is long and random (256 bits).
            #expect((client?.cookie.count ?? 0) >= "saldo_session=".count + 43)
            let (wrong, none) = try await s.logIn(p.staffA, "not the password")
            #expect(wrong.status == 401 && none == nil && wrong.text.contains("not right"))
            // A login form from another site is refused (Origin).
            let foreign = try await s.send("POST", "/login", headers: [("Origin", "http://evil.example"), ("Content-Type", "application/x-www-form-urlencoded")],
                                           body: Data("email=a&password=b".utf8))
            #expect(foreign.status == 403)
        }
    }

    /// Without a session: pages redirect to the login, the API answers 401, for every route.
    @Test func everythingNeedsASession() async throws {
        let p = try OfficeWorld.people.get()
        try await withOfficeServer { s in
            for path in ["/", "/books/\(p.a1)/overview", "/books/\(p.a1)/transactions", "/books/\(p.a1)/settings"] {
                let r = try await s.get(path, headers: [("Accept", "text/html")])
                #expect(r.status == 303 && r.header("Location") == "/login", "\(path): \(r.status)")
            }
            for op in s.server.registeredOperations {
                let path = "/api/v1" + op.path.replacingOccurrences(of: "{book}", with: String(p.a1)).replacingOccurrences(of: "{id}", with: "1")
                let r = try await s.send(op.method.rawValue, path, headers: [("Origin", s.origin), ("X-CSRF-Token", s.server.state.csrfToken),
                                                                             ("Cookie", "saldo_session=forged-\(UUID().uuidString)-\(UUID().uuidString)")])
                #expect(r.status == 401, "\(op.method) \(path): \(r.status)")
                #expect(!r.text.contains("Cliente"))
            }
            #expect(try await s.get("/api/v1/openapi.json").status == 401)
            #expect(try await s.get("/assets/saldo.css").status == 200)
        }
    }

    /// Staff of A and the client of A1 call every API operation and every page with B's
    /// workspace (and, for the client, A's other workspace): always 404, with the very answer an
    /// unknown book gets; never data.
    @Test func anotherTenantsIdsAreAlways404() async throws {
        let p = try OfficeWorld.people.get()
        try await withOfficeServer { s in
            let staff = try #require(try await s.logIn(p.staffA).1)
            let client = try #require(try await s.logIn(p.clientA).1)
            let unknown: Int64 = 9_000_000_000_123
            let pages = PageRenderer.navigation.map { "/books/{book}/\($0.path)" }
                + ["/books/{book}", "/books/{book}/import", "/books/{book}/transactions/1/source", "/books/{book}/transactions/1/original"]
            var checked = 0
            for (who, c, foreign) in [("staff A", staff, [p.b1]), ("client A1", client, [p.b1, p.a2])] {
                for book in foreign {
                    // Every operation on a book (the others, /books and /session, list the person's own: checked below).
                    for op in s.server.registeredOperations where op.path.contains("{book}") {
                        let path = "/api/v1" + op.path.replacingOccurrences(of: "{id}", with: "1")
                        let r = try await c.change(op.method.rawValue, path.replacingOccurrences(of: "{book}", with: String(book)), json: "{}")
                        let u = try await c.change(op.method.rawValue, path.replacingOccurrences(of: "{book}", with: String(unknown)), json: "{}")
                        #expect(r.status == 404, "\(who) \(op.method) \(op.path) on \(book): \(r.status) \(r.text.prefix(200))")
                        #expect(r.text.replacingOccurrences(of: "named \\\"\(book)\\\"", with: "named N")
                                == u.text.replacingOccurrences(of: "named \\\"\(unknown)\\\"", with: "named N"),
                                "\(who) \(op.path): \(r.text) vs \(u.text)")
                        #expect(r.text.contains("named N") == false && r.text.contains("no book named"), "\(r.text)")
                        #expect(!r.text.contains("Cliente") && !r.text.contains("EUR"))
                        checked += 1
                    }
                    for page in pages {
                        let r = try await c.get(page.replacingOccurrences(of: "{book}", with: String(book)), html: true)
                        #expect(r.status == 404, "\(who) \(page) on \(book): \(r.status)")
                        #expect(!r.text.contains("Cliente B1") && !r.text.contains("Cliente A2"))
                        checked += 1
                    }
                }
            }
            #expect(checked > 3 * 30)
            // Paths written another way reach nothing either: doubled slashes, dot segments, escapes.
            for odd in ["//books/\(p.b1)/overview", "/api/v1//books/\(p.b1)/overview", "/api//v1/books/\(p.b1)/settings",
                        "/books/\(p.a1)/../\(p.b1)/overview", "/api/v1/books/%3\(p.b1)/overview", "/api/v1/books/\(p.b1)%2Foverview",
                        "/api/v1/books/+\(p.b1)/overview", "/api/v1/books/0\(p.b1)/overview"] {
                let r = try await staff.get(odd)
                #expect(r.status == 404 || r.status == 400, "\(odd): \(r.status)")
                #expect(!r.text.contains("Cliente B1") && !r.text.contains("\"EUR\""), "\(odd): \(r.text.prefix(200))")
            }
            // The same calls on their own workspace do answer (the test can fail).
            #expect(try await staff.get("/api/v1/books/\(p.a1)/overview").status == 200)
            #expect(try await staff.get("/api/v1/books/\(p.a2)/settings").status == 200)
            #expect(try await client.get("/api/v1/books/\(p.a1)/transactions").status == 200)
            // Lists: staff see A's workspaces, the client exactly theirs.
            let staffBooks = try await staff.get("/api/v1/books").text
            #expect(staffBooks.contains("\"\(p.a1)\"") && staffBooks.contains("\"\(p.a2)\"") && !staffBooks.contains("\"\(p.b1)\""))
            let clientBooks = try await client.get("/api/v1/books").text
            #expect(clientBooks.contains("\"\(p.a1)\"") && !clientBooks.contains("\"\(p.a2)\"") && !clientBooks.contains("\"\(p.b1)\""))
            let home = try await client.get("/", html: true)
            #expect(home.status == 200 && home.text.contains("Cliente A1") && !home.text.contains("Cliente A2"))
        }
    }

    /// SQL injection strings in every query parameter of every reading operation answer normally
    /// (200, 400 or 404, never 500 or a database message), and the ledger is intact afterwards.
    @Test func injectionInEveryFilterAnswersNormally() async throws {
        let p = try OfficeWorld.people.get()
        try await withOfficeServer { s in
            let staff = try #require(try await s.logIn(p.staffA).1)
            let before = try await staff.get("/api/v1/books/\(p.a1)/transactions?limit=200").text
            let attacks = ["' OR '1'='1", "1; DROP TABLE txn; --", "%' UNION SELECT password_hash FROM person --", "\\x00'); DELETE FROM setting; --",
                           "1) OR (SELECT pg_sleep(5)) IS NULL --"]
            var calls = 0
            for op in s.server.registeredOperations where op.method == .get && !op.parameters.isEmpty {
                let path = "/api/v1" + op.path.replacingOccurrences(of: "{book}", with: String(p.a1)).replacingOccurrences(of: "{id}", with: "1")
                for parameter in op.parameters {
                    for attack in attacks {
                        let r = try await staff.get(path + "?\(parameter.name)=\(RestSupport.encode(attack))")
                        #expect([200, 400, 404, 422].contains(r.status), "\(op.path) \(parameter.name)=\(attack): \(r.status) \(r.text.prefix(200))")
                        #expect(!r.text.contains("$2b$") && !r.text.lowercased().contains("syntax error"), "\(op.path) \(parameter.name)")
                        calls += 1
                    }
                }
            }
            #expect(calls > 50)
            #expect(try await staff.get("/api/v1/books/\(p.a1)/transactions?limit=200").text == before)
        }
    }

    /// Logout ends the session on the server: the old cookie no longer opens anything.
    @Test func aTokenIsWorthlessAfterLogout() async throws {
        let p = try OfficeWorld.people.get()
        try await withOfficeServer { s in
            let staff = try #require(try await s.logIn(p.staffA).1)
            #expect(try await staff.get("/api/v1/books/\(p.a1)/settings").status == 200)
            let out = try await s.send("POST", "/logout", headers: [("Origin", s.origin), ("Cookie", staff.cookie)])
            #expect(out.status == 303)
            #expect(out.headers("Set-Cookie").contains { $0.hasPrefix("saldo_session=;") && $0.contains("Max-Age=0") })
            #expect(try await staff.get("/api/v1/books/\(p.a1)/settings").status == 401)
            #expect(try await staff.get("/books/\(p.a1)/overview", html: true).status == 303)
        }
    }

    /// After five failed logins for an email, even the right password is refused for a while
    /// (429, a message that does not say whether the email exists).
    @Test func loginsAreRateLimited() async throws {
        let p = try OfficeWorld.people.get()
        let email = try Office.addStaff(database: OfficeWorld.appURL!, organisation: p.orgA,
                                        email: OfficeWorld.unique("limited"), name: nil, password: OfficeWorld.password, policy: OfficeWorld.policy).email
        try await withOfficeServer { s in
            for _ in 0..<5 { #expect(try await s.logIn(email, "wrong wrong wrong").0.status == 401) }
            let (r, c) = try await s.logIn(email)
            #expect(r.status == 429 && c == nil, "\(r.status)")
            #expect(r.text.contains("15"))
        }
    }

    /// Two staff members upload the same file into one workspace and commit at once: both
    /// requests end, and the rows land once.
    @Test func twoStaffImportingTheSameFileAtOnce() async throws {
        let p = try OfficeWorld.people.get()
        try await withOfficeServer { s in
            let one = try #require(try await s.logIn(p.staffA).1)
            let two = try #require(try await s.logIn(p.staffA).1)
            let book = p.a2
            let csv = ImportTests.payPal(spanish: false, rows: (0..<300).map { i in ("03/\(String(format: "%02d", i % 28 + 1))/2026", "2.00", "\(i + 1).00") })
            func upload(_ c: OfficeClient) async throws -> String {
                let r = try await c.change("POST", "/api/v1/books/\(book)/imports?preview=false", body: Data(csv.utf8),
                                           contentType: "application/octet-stream", headers: [("X-File-Name", "same.csv")])
                #expect(r.status == 202, "\(r.text)")
                return try #require(ImportTests.object(r)["id"] as? String)
            }
            let idOne = try await upload(one), idTwo = try await upload(two)
            async let a = one.change("POST", "/api/v1/books/\(book)/imports/\(idOne)/commit")
            async let b = two.change("POST", "/api/v1/books/\(book)/imports/\(idTwo)/commit")
            let (ra, rb) = try await (a, b)
            #expect(ra.status == 200 && rb.status == 200, "\(ra.text.prefix(200)) \(rb.text.prefix(200))")
            let page = try await one.get("/api/v1/books/\(book)/transactions?limit=200")
            let count = ImportTests.object(page)["matching"] as? Int ?? -1
            #expect(count == 300, "\(page.text.prefix(300))")
            // An upload of one workspace is unknown in another (no cross-workspace import sessions).
            #expect(try await one.get("/api/v1/books/\(p.a1)/imports/\(idOne)").status == 404)
            // Both commits are in the audit log, with who and where.
            let events = try Office.auditLog(database: OfficeWorld.appURL!, organisation: p.orgA)
            #expect(events.filter { $0.action == "import.commit" && $0.workspace == book && $0.actor == p.staffA }.count == 2)
            #expect(events.contains { $0.action == "login" && $0.clientAddress == "127.0.0.1" })
        }
    }

    /// The CSRF token belongs to the session: a page carries its session's token; session A's
    /// token is refused with session B's cookie (same person, two logins); a token from before a
    /// logout is refused after logging in again; the server-wide single-user token is not taken.
    @Test func csrfTokenIsTheSessionsOwn() async throws {
        let p = try OfficeWorld.people.get()
        try await withOfficeServer { s in
            let a = try #require(try await s.logIn(p.staffA).1)
            let b = try #require(try await s.logIn(p.staffA).1)
            #expect(a.csrf.count == 43 && b.csrf.count == 43 && a.csrf != b.csrf)
            // The page's meta tag carries the session's token, not a server-wide one.
            let page = try await a.get("/books/\(p.a2)/import", html: true)
            #expect(page.text.contains("name=\"csrf-token\" content=\"\(a.csrf)\""))
            #expect(!page.text.contains(s.server.state.csrfToken))
            // A change that gets past the checks: committing an unknown upload is a 404.
            let path = "/api/v1/books/\(p.a2)/imports/no-such-upload/commit"
            #expect(try await a.change("POST", path).status == 404)
            #expect(try await b.change("POST", path).status == 404)
            for (who, token) in [("B's token with A's session", b.csrf), ("no token", nil), ("the server's token", s.server.state.csrfToken),
                                 ("an empty token", "")] as [(String, String?)] {
                let r = try await a.change("POST", path, csrf: token)
                #expect(r.status == 403 && r.text.contains("csrf-token"), "\(who): \(r.status) \(r.text.prefix(200))")
            }
            // Logout, log in again: the old token is worthless with the new session.
            let old = a.csrf
            #expect(try await s.send("POST", "/logout", headers: [("Origin", s.origin), ("Cookie", a.cookie)]).status == 303)
            let again = try #require(try await s.logIn(p.staffA).1)
            #expect(again.csrf != old)
            let refused = try await again.change("POST", path, csrf: old)
            #expect(refused.status == 403 && refused.text.contains("csrf-token"), "\(refused.status)")
            #expect(try await again.change("POST", path).status == 404)
            // The old session with its old token: no session any more (401).
            #expect(try await a.change("POST", path).status == 401)
        }
    }

    /// An office's refusal of a change without the session's CSRF token is said in the request's
    /// language, as the single-user server's is (`SecurityProblemLanguageTests`); `code` is the same.
    @Test func aMissingTokenIsRefusedInSpanish() async throws {
        let p = try OfficeWorld.people.get()
        try await withOfficeServer { s in
            let a = try #require(try await s.logIn(p.staffA).1)
            let path = "/api/v1/books/\(p.a2)/imports/no-such-upload/commit"
            let es = try await a.change("POST", path, headers: [("Accept-Language", "es-ES,es;q=0.9")], csrf: nil)
            #expect(es.status == 403)
            let problem = try JSONParser.parse(Array(es.text.utf8)).value
            #expect(problem["code"] == .string("csrf-token"))
            #expect(problem["title"] == .string("Prohibido"), "\(es.text)")
            #expect(problem["detail"] == .string("a la petición le falta el token CSRF de esta página"), "\(es.text)")
            let en = try await a.change("POST", path, csrf: nil)
            #expect(try JSONParser.parse(Array(en.text.utf8)).value["title"] == .string("Forbidden"), "\(en.text)")
        }
    }

    /// A client reads their own book (pages, API, downloads) but every change there is refused:
    /// 403 with a plain message in their language (never 404: the book is theirs and exists);
    /// staff make the same calls. The book is unchanged afterwards.
    @Test func clientsReadButDoNotWrite() async throws {
        let p = try OfficeWorld.people.get()
        try await withOfficeServer { s in
            let client = try #require(try await s.logIn(p.clientA).1)
            let staff = try #require(try await s.logIn(p.staffA).1)
            let before = try await client.get("/api/v1/books/\(p.a1)/transactions?limit=200")
            #expect(before.status == 200)
            let settingsBefore = try await client.get("/api/v1/books/\(p.a1)/settings").text
            var checked = 0
            for op in s.server.registeredOperations where op.method != .get && op.path.contains("{book}") {
                let path = "/api/v1" + op.path.replacingOccurrences(of: "{book}", with: String(p.a1)).replacingOccurrences(of: "{id}", with: "1")
                let r = try await client.change(op.method.rawValue, path, json: "{}")
                #expect(r.status == 403, "client \(op.method) \(op.path): \(r.status) \(r.text.prefix(200))")
                #expect(r.text.contains("client-read-only") && r.text.contains("your accountant manages this book"), "\(op.path): \(r.text.prefix(300))")
                // Staff get past the rights check (whatever the empty body then gets), on the empty workspace.
                let st = try await staff.change(op.method.rawValue, path.replacingOccurrences(of: "/books/\(p.a1)/", with: "/books/\(p.a2)/"), json: "{}")
                #expect(st.status != 403, "staff \(op.method) \(op.path): \(st.status) \(st.text.prefix(200))")
                checked += 1
            }
            #expect(checked >= 8)
            // An upload as a plain file too, and the page in Spanish.
            let upload = try await client.change("POST", "/api/v1/books/\(p.a1)/imports", body: Data("Date,Amount\n".utf8),
                                                 contentType: "application/octet-stream", headers: [("X-File-Name", "x.csv")])
            #expect(upload.status == 403)
            // The API's answer is in English (as every API problem); pages say it in the reader's
            // language: a problem page translates it, and a client's pages say so up front, with
            // no Import in the navigation.
            let L = Catalog.shipped(.es)
            #expect(L.translating(Office.clientReadOnly.detail, keyPrefix: "error.").hasPrefix("tu gestoría lleva este libro"))
            #expect(L.translating(Office.clientReadOnly.hint, keyPrefix: "error.") == "pide a tu gestoría que haga este cambio por ti")
            let es = try await client.get("/books/\(p.a1)/overview?lang=es", html: true)
            #expect(es.status == 200 && es.text.contains("Tu gestoría lleva este libro") && !es.text.contains("/books/\(p.a1)/import\""), "\(es.text.prefix(3000))")
            let en = try await client.get("/books/\(p.a1)/settings?lang=en", html: true)
            #expect(en.text.contains("Your accountant manages this book"))
            let staffPage = try await staff.get("/books/\(p.a1)/overview?lang=en", html: true)
            #expect(!staffPage.text.contains("Your accountant manages this book") && staffPage.text.contains("/books/\(p.a1)/import\""))
            // Reading stays open to them: pages, API, downloads.
            #expect(try await client.get("/books/\(p.a1)/settings", html: true).status == 200)
            #expect(try await client.get("/api/v1/books/\(p.a1)/reports/monthly?format=csv").status == 200)
            #expect(try await client.get("/api/v1/books/\(p.a1)/transactions?limit=200").text == before.text)
            #expect(try await client.get("/api/v1/books/\(p.a1)/settings").text == settingsBefore)
            // Another office's book stays a 404 for a change too (never a 403 that confirms it).
            #expect(try await client.change("PUT", "/api/v1/books/\(p.b1)/settings", json: "{}").status == 404)
        }
    }

    /// Staff open the audit log (page and API): an export they just made is there, filters and
    /// pages work, bad filters are 400s; a client gets 404 for both; another office's admin does
    /// not see A's events.
    @Test func auditLogForStaff() async throws {
        let p = try OfficeWorld.people.get()
        try await withOfficeServer { s in
            let staff = try #require(try await s.logIn(p.staffA).1)
            #expect(try await staff.get("/api/v1/books/\(p.a1)/reports/monthly?format=csv").status == 200)
            #expect(try await staff.get("/api/v1/books/\(p.a1)/reports/monthly?format=markdown").status == 200)
            let r = try await staff.get("/api/v1/audit?workspace=\(p.a1)&action=export&limit=1")
            #expect(r.status == 200, "\(r.text.prefix(300))")
            let doc = ImportTests.object(r)
            let events = try #require(doc["events"] as? [[String: Any]])
            #expect(events.count == 1 && events[0]["action"] as? String == "export.markdown" && events[0]["actor"] as? String == p.staffA)
            #expect(events[0]["workspaceName"] as? String == "Cliente A1" && events[0]["workspace"] as? Int == Int(p.a1))
            let next = try #require(doc["next"] as? String)
            #expect(next.contains("before=\(events[0]["id"] as? Int ?? -1)") && next.contains("action=export"))
            let older = ImportTests.object(try await staff.get(next))
            let olderEvents = try #require(older["events"] as? [[String: Any]])
            #expect(olderEvents.first?["action"] as? String == "export.csv", "\(olderEvents)")
            // The page, in both languages, linked from the books list.
            #expect(try await staff.get("/", html: true).text.contains("href=\"/audit\""))
            let page = try await staff.get("/audit?workspace=\(p.a1)&action=export", html: true)
            #expect(page.status == 200 && page.text.contains("Audit log") && page.text.contains("export.markdown") && page.text.contains("Cliente A1"))
            #expect(page.text.contains("<option value=\"\(p.a1)\" selected>"))
            let es = try await staff.get("/audit?lang=es", html: true)
            #expect(es.status == 200 && es.text.contains("Registro de actividad") && es.text.contains("Cuándo (UTC)"))
            // The action filter names each action in words (it listed the bare codes); the codes stay beside them.
            #expect(es.text.contains("<option value=\"import.commit\">Importaciones escritas (import.commit)</option>"), "\(es.text)")
            #expect(page.text.contains("<option value=\"export\" selected>Exports (export)</option>"))
            for a in AuditRoutes.actions {
                #expect(Catalog.shipped(.en).entries["web.audit.action.\(a)"] != nil && Catalog.shipped(.es).entries["web.audit.action.\(a)"] != nil, "\(a)")
            }
            // Nothing in a day range before any event; bad filters answer 400, naming the parameter.
            let none = try await staff.get("/api/v1/audit?to=2001-01-01")
            #expect(none.status == 200 && (ImportTests.object(none)["events"] as? [Any])?.isEmpty == true)
            #expect(try await staff.get("/audit?to=2001-01-01", html: true).text.contains("No events match"))
            for bad in ["action=%27%20OR%201%3D1", "workspace=abc", "from=2026-13-01", "from=2026-02-01&to=2026-01-01", "limit=0", "before=-1"] {
                let b = try await staff.get("/api/v1/audit?\(bad)")
                #expect(b.status == 400, "\(bad): \(b.status) \(b.text.prefix(200))")
            }
            // A client: no audit log, as for any page that is not theirs.
            let client = try #require(try await s.logIn(p.clientA).1)
            #expect(try await client.get("/audit", html: true).status == 404)
            #expect(try await client.get("/api/v1/audit").status == 404)
            // B's admin reads B's log only.
            let b = try #require(try await s.logIn(p.adminB).1)
            let theirs = try await b.get("/api/v1/audit?limit=500").text
            #expect(theirs.contains("\"login\"") && !theirs.contains(p.staffA) && !theirs.contains("Cliente A1"))
            // The OpenAPI document describes the operation.
            let openapi = try await staff.get("/api/v1/openapi.json").text
            #expect(openapi.contains("\"/audit\"") && openapi.contains("listAuditEvents"))
        }
    }
}

/// Writes run one at a time per book, and books do not wait for each other (office mode: one
/// workspace's long import does not hold up another's).
@Suite struct BookWriteQueueTests {
    @Test func aLongWriteInOneBookDoesNotDelayAnother() async throws {
        let books = Books(["a": LedgerLocation(path: "/nonexistent/a.sqlite"), "b": LedgerLocation(path: "/nonexistent/b.sqlite")])
        let clock = ContinuousClock()
        let start = clock.now
        // Every instant is taken inside the writes themselves (on the books' queues), not after an
        // await: when other tests keep Swift's cooperative threads busy, resuming this task can lag
        // by seconds on a loaded 2-core machine, which says nothing about the queues (it once failed so).
        async let long: (took: Duration, ended: ContinuousClock.Instant) = books.write("a") { _ in
            Thread.sleep(forTimeInterval: 2.0); return (clock.now - start, clock.now)
        }
        try await Task.sleep(for: .milliseconds(200))
        let asked = clock.now
        let b = try await books.write("b") { _ in (waited: clock.now - asked, ended: clock.now) }
        let a = try await long
        // B started at once (bound: 1 s on a loaded machine) and ended before A, which takes 2 s.
        #expect(b.waited < .seconds(1), "b waited \(b.waited)")
        #expect(b.ended < a.ended, "b ended \(a.ended - b.ended) after a")
        #expect(a.took >= .seconds(2))
    }

    @Test func writesToOneBookRunOneAtATime() async throws {
        let books = Books(["a": LedgerLocation(path: "/nonexistent/a.sqlite")])
        let clock = ContinuousClock()
        let origin = clock.now
        let spans = try await withThrowingTaskGroup(of: (Duration, Duration).self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await books.write("a") { _ in
                        let begin = clock.now - origin
                        Thread.sleep(forTimeInterval: 0.15)
                        return (begin, clock.now - origin)
                    }
                }
            }
            var all: [(Duration, Duration)] = []
            for try await span in group { all.append(span) }
            return all.sorted { $0.0 < $1.0 }
        }
        #expect(spans.count == 4)
        for (earlier, later) in zip(spans, spans.dropFirst()) {
            #expect(later.0 >= earlier.1, "writes overlapped: \(spans)")
        }
    }
}
