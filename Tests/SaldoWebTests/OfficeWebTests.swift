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

/// A logged-in browser or script: the session cookie on every request.
struct OfficeClient: Sendable {
    let s: RunningServer
    let cookie: String

    func get(_ path: String, html: Bool = false) async throws -> RawHTTPResponse {
        try await s.get(path, headers: [("Cookie", cookie)] + (html ? [("Accept", "text/html")] : []))
    }
    func change(_ method: String, _ path: String, json: String? = nil, body: Data = Data(), contentType: String? = nil,
                headers: [(String, String)] = []) async throws -> RawHTTPResponse {
        try await s.change(method, path, json: json, body: body, contentType: contentType, headers: [("Cookie", cookie)] + headers)
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
        return (r, OfficeClient(s: self, cookie: String(set.split(separator: ";")[0])))
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
}
