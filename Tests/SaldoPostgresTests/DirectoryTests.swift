import Foundation
@testable import SaldoApp
import SaldoCore
@testable import SaldoPostgres
import SaldoStore
import SaldoTestSupport
import Testing

/// The office directory: organisations, people, sessions, login attempts and the audit log.
@Suite(.enabled(if: Engine.postgresAvailable, Comment(rawValue: Engine.postgresMissing)))
struct DirectoryTests {
    static let password = "correct horse battery"
    /// bcrypt at the lowest cost the policy allows (10), so that tests stay quick.
    static var policy: OfficePolicy { var p = OfficePolicy(); p.bcryptCost = 10; return p }

    static func unique(_ name: String) -> String { "\(name)-\(UUID().uuidString.prefix(8).lowercased())@example.com" }

    /// An organisation with an admin, a staff member, and a client with a login; and a second one.
    struct Two {
        var a: Office.Created, b: Office.Created
        var staffA: DirectoryPerson, clientA: DirectoryPerson, workspaceA: DirectoryWorkspace, workspaceB: DirectoryWorkspace
    }

    static func twoOffices() throws -> Two {
        try Engine.migrated.get()
        let url = Engine.appURL!
        let a = try Office.create(database: url, name: "Gestoría A", adminEmail: unique("admin-a"), adminName: nil, password: password, policy: policy)
        let b = try Office.create(database: url, name: "Gestoría B", adminEmail: unique("admin-b"), adminName: nil, password: password, policy: policy)
        let staffA = try Office.addStaff(database: url, organisation: a.organisation.id, email: unique("staff-a"), name: "Luis", password: password, policy: policy)
        let clientA = try Office.addClient(database: url, organisation: a.organisation.id, name: "Cliente A1",
                                           login: .init(email: unique("client-a"), name: nil, password: password), policy: policy)
        _ = try Office.addClient(database: url, organisation: a.organisation.id, name: "Cliente A2", login: nil, policy: policy)
        let clientB = try Office.addClient(database: url, organisation: b.organisation.id, name: "Cliente B1", login: nil, policy: policy)
        return Two(a: a, b: b, staffA: staffA, clientA: clientA.login!, workspaceA: clientA.workspace, workspaceB: clientB.workspace)
    }

    /// Every directory table has row-level security enabled and forced, with policies; the lookup
    /// functions are SECURITY DEFINER with a fixed search_path and not executable by PUBLIC.
    @Test func directoryCatalogShowsRowSecurity() throws {
        try Engine.migrated.get()
        let s = try IsolationTests.connect(Engine.appURL!)
        try s.transaction(workspace: nil, readOnly: true) { tx in
            for t in DirectorySchema.tables {
                let r = try tx.query("""
                    SELECT c.relrowsecurity, c.relforcerowsecurity, (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
                    FROM pg_class c WHERE c.oid = \(t)::regclass
                    """).first!.decode((Bool, Bool, Int64).self)
                #expect(r.0 && r.1 && r.2 > 0, "\(t): rowsecurity \(r.0), forced \(r.1), policies \(r.2)")
            }
            let functions = try tx.query("""
                SELECT p.proname, p.prosecdef, array_to_string(p.proconfig, ','), has_function_privilege('public', p.oid, 'EXECUTE')
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = current_schema() AND p.proname IN ('saldo_login_lookup', 'saldo_login_failures', 'saldo_session_lookup', 'saldo_workspace_taken')
                """).map { try $0.decode((String, Bool, String, Bool).self) }
            #expect(functions.count == 4)
            for f in functions {
                #expect(f.1, "\(f.0) is not SECURITY DEFINER")
                #expect(f.2.hasPrefix("search_path=") && f.2.hasSuffix("pg_temp"), "\(f.0): \(f.2)")
                #expect(!f.3, "\(f.0) is executable by PUBLIC")
            }
        }
    }

    /// In organisation A's context nothing of B is visible; without a context the tables refuse.
    @Test func organisationContextIsolates() throws {
        let two = try Self.twoOffices()
        let d = try PostgresDirectory(url: Engine.appURL!)
        let peopleA = try d.people(organisation: two.a.organisation.id)
        #expect(peopleA.count == 3)
        #expect(peopleA.allSatisfy { $0.organisationID == two.a.organisation.id })
        let s = try IsolationTests.connect(Engine.appURL!)
        // A's context, B's rows asked for by id: nothing.
        let seen = try s.transaction(workspace: 0) { tx in
            try tx.query("SELECT set_config('app.organisation_id', \(String(two.a.organisation.id)), true)")
            return try tx.query("SELECT count(*) FROM person WHERE organisation_id = \(two.b.organisation.id)").first!.decode(Int64.self)
        }
        #expect(seen == 0)
        #expect(try d.workspace(two.workspaceB.id, of: two.a.organisation.id) == nil)
        #expect(try d.workspace(two.workspaceA.id, of: two.a.organisation.id)?.name == "Cliente A1")
        // No context at all: an error, not rows.
        #expect(throws: StoreError.self) {
            try s.transaction(workspace: 0) { tx in try tx.query("SELECT count(*) FROM person").first!.decode(Int64.self) }
        }
        // Writing a person into B from A's context is refused (WITH CHECK).
        #expect(throws: StoreError.self) {
            try s.transaction(workspace: 0) { tx in
                try tx.query("SELECT set_config('app.organisation_id', \(String(two.a.organisation.id)), true)")
                try tx.query("INSERT INTO person (organisation_id, id, email, display_name, password_hash, kind) VALUES (\(two.b.organisation.id), 999999999, 'x@y.z', 'x', 'h', 'staff')")
            }
        }
        // The app role cannot read login attempts (only the owner's counting function does).
        #expect(throws: StoreError.self) {
            try s.transaction(workspace: 0) { tx in try tx.query("SELECT count(*) FROM login_attempt").first!.decode(Int64.self) }
        }
    }

    /// The audit log takes INSERT and SELECT; UPDATE, DELETE and TRUNCATE are refused to the app
    /// role (no grant) and to the owner too (the trigger).
    @Test func auditLogIsAppendOnly() throws {
        let two = try Self.twoOffices()
        let org = two.a.organisation.id
        let app = try PostgresDirectory(url: Engine.appURL!)
        try app.audit(organisation: org, person: two.staffA.id, actor: two.staffA.email, workspace: two.workspaceA.id,
                      action: "import.commit", object: "bank.csv", clientAddress: "127.0.0.1")
        let events = try app.auditEvents(organisation: org)
        #expect(events.first?.action == "import.commit" && events.first?.object == "bank.csv" && events.first?.workspace == two.workspaceA.id)
        #expect(events.contains { $0.action == "office.add-client" })
        for sql in ["UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event", "TRUNCATE audit_event"] {
            // The app role has no grant for these.
            #expect(throws: StoreError.self, "app role: \(sql)") { try app.runInOrganisation(org, sql) }
            // The owner has every privilege: the trigger refuses (UPDATE and DELETE also find no
            // row to change, as no policy lets anyone update or delete audit events).
            if let owner = Engine.ownerURL {
                let o = try PostgresDirectory(url: owner)
                do {
                    try o.runInOrganisation(org, sql)
                    #expect(!sql.hasPrefix("TRUNCATE"), "the owner could truncate the audit log")
                } catch {
                    #expect("\(error)".contains("append-only"), "\(sql): \(error)")
                }
            }
        }
        // The row trigger is in place for UPDATE and DELETE, whoever gets past the policies.
        let s = try IsolationTests.connect(Engine.appURL!)
        let triggers = try s.transaction(workspace: nil, readOnly: true) { tx in
            try tx.query("SELECT tgname::text FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass AND NOT tgisinternal ORDER BY 1").map { try $0.decode(String.self) }
        }
        #expect(triggers == ["audit_event_append_only", "audit_event_no_truncate"])
        #expect(try app.auditEvents(organisation: org).count == events.count)
        // Another organisation's context sees none of A's events.
        #expect(try app.auditEvents(organisation: two.b.organisation.id).allSatisfy { $0.action != "import.commit" })
    }

    /// Who sees what: staff their organisation's workspaces, a client exactly theirs.
    @Test func workspacesPerPerson() throws {
        let two = try Self.twoOffices()
        let sessions = try OfficeSessions(database: Engine.appURL!, policy: Self.policy, connections: 1)
        let staff = try sessions.workspaces(for: two.staffA)
        #expect(staff.map(\.name) == ["Cliente A1", "Cliente A2"])
        #expect(try sessions.workspaces(for: two.clientA).map(\.id) == [two.workspaceA.id])
        #expect(try sessions.workspace(two.workspaceB.id, for: two.staffA) == nil)
        #expect(try sessions.workspace(staff[1].id, for: two.clientA) == nil)
        #expect(try sessions.workspace(two.workspaceA.id, for: two.clientA) != nil)
        let listing = try Office.list(database: Engine.appURL!, organisation: two.a.organisation.id)
        #expect(listing.workspaces.count == 2 && listing.people.count == 3)
        #expect(listing.people.first { $0.kind == .client }?.clientWorkspace == two.workspaceA.id)
        // An unknown office number is a plain error.
        #expect(throws: UserError.self) { _ = try Office.list(database: Engine.appURL!, organisation: 987_654_321) }
        // An email used once cannot be used again, in any office.
        #expect(throws: StoreError.self) {
            _ = try Office.addStaff(database: Engine.appURL!, organisation: two.b.organisation.id, email: two.staffA.email, name: nil,
                                    password: Self.password, policy: Self.policy)
        }
    }

    /// Login: the right password opens a session; a wrong one and an unknown email get the same
    /// answer; after 5 failures in the window even the right password is refused; logout ends
    /// the session on the server.
    @Test func loginSessionsAndRateLimit() throws {
        let two = try Self.twoOffices()
        let sessions = try OfficeSessions(database: Engine.appURL!, policy: Self.policy, connections: 2)
        let address = "10.0.\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        let signed = try sessions.logIn(email: two.staffA.email.uppercased(), password: Self.password, address: address)
        #expect(signed.person.id == two.staffA.id)
        #expect(try sessions.resolve(token: signed.token)?.id == two.staffA.id)
        #expect(try sessions.resolve(token: signed.token + "x") == nil)
        #expect(throws: LoginRefusal.wrongCredentials) { _ = try sessions.logIn(email: two.staffA.email, password: "wrong password!", address: address) }
        #expect(throws: LoginRefusal.wrongCredentials) { _ = try sessions.logIn(email: Self.unique("nobody"), password: Self.password, address: address) }
        // Logout: the token is worthless afterwards.
        try sessions.logOut(token: signed.token, person: signed.person, address: address)
        #expect(try sessions.resolve(token: signed.token) == nil)
        // Rate limit per email (from many addresses).
        let email = two.clientA.email
        for i in 0..<5 {
            #expect(throws: LoginRefusal.wrongCredentials) { _ = try sessions.logIn(email: email, password: "nope nope \(i)", address: "192.0.2.\(i + 1)") }
        }
        #expect(throws: LoginRefusal.tooManyAttempts(minutes: 15)) { _ = try sessions.logIn(email: email, password: Self.password, address: "192.0.2.99") }
        // Per address (over many emails): the address above has 2 failures (a wrong password, an unknown email).
        for _ in 0..<3 {
            #expect(throws: LoginRefusal.wrongCredentials) { _ = try sessions.logIn(email: Self.unique("guess"), password: "nope nope", address: address) }
        }
        #expect(throws: LoginRefusal.tooManyAttempts(minutes: 15)) { _ = try sessions.logIn(email: two.a.admin.email, password: Self.password, address: address) }
        // Another address and email still log in; the audit log has the logins.
        let admin = try sessions.logIn(email: two.a.admin.email, password: Self.password, address: "198.51.100.7")
        let events = try sessions.auditEvents(for: admin.person)
        #expect(events.filter { $0.action == "login" }.count >= 2)
        #expect(events.contains { $0.action == "logout" && $0.personID == two.staffA.id })
        #expect(try sessions.auditEvents(for: two.clientA).isEmpty)
    }

    /// A live session is marked seen at most once per tenth of the idle limit (at most a minute),
    /// not at every request: a request that finds the mark recent leaves it, one that finds it
    /// older moves it, and beyond the idle limit there is no session.
    @Test func sessionsAreMarkedSeenAtMostOncePerInterval() throws {
        let two = try Self.twoOffices()
        let org = two.a.organisation.id
        // Every request asks the database here (no session kept in the server between requests).
        var policy = Self.policy
        policy.sessionCheckSeconds = 0
        let sessions = try OfficeSessions(database: Engine.appURL!, policy: policy, connections: 1)
        let signed = try sessions.logIn(email: two.staffA.email, password: Self.password, address: "203.0.113.\(Int.random(in: 1...254))")
        let owner = try PostgresDirectory(url: Engine.ownerURL!)
        let person = two.staffA.id
        func age() throws -> Double {
            try owner.inOrganisation(org, readOnly: true) { tx in
                try tx.query("SELECT extract(epoch FROM now() - last_seen)::float8 FROM session WHERE person_id = \(person)").map { try $0.decode(Double.self) }
            }.first ?? -1
        }
        func mark(secondsAgo: Int) throws {
            try owner.runInOrganisation(org, "UPDATE session SET last_seen = now() - interval '\(secondsAgo) seconds' WHERE person_id = \(person)")
        }
        try mark(secondsAgo: 30)
        #expect(try sessions.resolve(token: signed.token)?.id == person)
        #expect(try age() >= 29, "a mark 30 s old was written again")
        try mark(secondsAgo: 600)
        #expect(try sessions.resolve(token: signed.token)?.id == person)
        #expect(try age() < 5, "a mark 10 minutes old was not moved")
        try mark(secondsAgo: Self.policy.sessionIdle + 5)
        #expect(try sessions.resolve(token: signed.token) == nil)
    }

    /// The server keeps a session's person and a person's workspace check for
    /// `sessionCheckSeconds`: a logout here refuses the session at once; a session ended elsewhere
    /// (another server's logout) and a client moved to another workspace are refused within the bound.
    @Test func sessionChecksAreKeptForTheBoundAndLogoutEndsThemAtOnce() throws {
        let two = try Self.twoOffices()
        let org = two.a.organisation.id
        var policy = Self.policy
        policy.sessionCheckSeconds = 1.5
        let sessions = try OfficeSessions(database: Engine.appURL!, policy: policy, connections: 1)
        let owner = try PostgresDirectory(url: Engine.ownerURL!)
        let address = "203.0.113.\(Int.random(in: 1...254))"
        // Logout in this server: refused at once, though the person was found a moment ago.
        let staff = try sessions.logIn(email: two.staffA.email, password: Self.password, address: address)
        #expect(try sessions.resolve(token: staff.token)?.id == two.staffA.id)
        try sessions.logOut(token: staff.token, person: staff.person, address: address)
        #expect(try sessions.resolve(token: staff.token) == nil)
        // Ended in the database by someone else: kept within the bound, refused after it.
        let again = try sessions.logIn(email: two.staffA.email, password: Self.password, address: address)
        #expect(try sessions.resolve(token: again.token)?.id == two.staffA.id)
        try owner.runInOrganisation(org, "DELETE FROM session WHERE token_sha256 = '\(OfficeSessions.digest(again.token))'")
        let ended = ContinuousClock.now
        #expect(try sessions.resolve(token: again.token)?.id == two.staffA.id, "asked the database again within the bound")
        Thread.sleep(forTimeInterval: 1.6)
        #expect(try sessions.resolve(token: again.token) == nil)
        #expect(ContinuousClock.now - ended < .seconds(5))
        // A client moved to another workspace: the old one is still theirs within the bound, then 404.
        let client = try sessions.logIn(email: two.clientA.email, password: Self.password, address: address)
        let person = try #require(try sessions.resolve(token: client.token))
        #expect(try sessions.workspace(two.workspaceA.id, for: person)?.id == two.workspaceA.id)
        let other = try #require(try sessions.workspaces(for: two.staffA).first { $0.id != two.workspaceA.id })
        try owner.runInOrganisation(org, "UPDATE person SET client_workspace_id = \(other.id) WHERE id = \(two.clientA.id)")
        let within = try #require(try sessions.resolve(token: client.token))
        #expect(within.clientWorkspace == two.workspaceA.id)
        #expect(try sessions.workspace(two.workspaceA.id, for: within) != nil)
        Thread.sleep(forTimeInterval: 1.6)
        let after = try #require(try sessions.resolve(token: client.token))
        #expect(after.clientWorkspace == other.id)
        #expect(try sessions.workspace(two.workspaceA.id, for: after) == nil)
        #expect(try sessions.workspace(other.id, for: after)?.id == other.id)
        // With no bound, every check asks the database.
        policy.sessionCheckSeconds = 0
        let uncached = try OfficeSessions(database: Engine.appURL!, policy: policy, connections: 1)
        let third = try uncached.logIn(email: two.staffA.email, password: Self.password, address: address)
        #expect(try uncached.resolve(token: third.token) != nil)
        try owner.runInOrganisation(org, "DELETE FROM session WHERE token_sha256 = '\(OfficeSessions.digest(third.token))'")
        #expect(try uncached.resolve(token: third.token) == nil)
    }

    /// A hash made at a lower bcrypt cost than the policy's is made again at a successful login
    /// (and only then): a wrong password leaves it, an equal cost leaves it.
    @Test func loginRehashesALowCostHash() throws {
        let two = try Self.twoOffices()
        let d = try PostgresDirectory(url: Engine.appURL!)
        // "correct horse battery" at cost 4 (made by the C library's crypt; below what Saldo makes).
        let low = "$2b$04$abcdefghijklmnopqrstuuqREtd3VJD2QVZbuFskFSLk6eRIrQoOS"
        #expect(Passwords.verify(Self.password, hash: low))
        let email = Self.unique("old-hash")
        _ = try d.addPerson(organisation: two.a.organisation.id, email: email, displayName: "Old hash", passwordHash: low, kind: .staff, clientWorkspace: nil)
        let sessions = try OfficeSessions(database: Engine.appURL!, policy: Self.policy, connections: 1)
        let address = "10.1.\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        #expect(throws: LoginRefusal.wrongCredentials) { _ = try sessions.logIn(email: email, password: "not the password", address: address) }
        #expect(try d.loginLookup(email: email)?.passwordHash == low)
        _ = try sessions.logIn(email: email, password: Self.password, address: address)
        let rehashed = try #require(try d.loginLookup(email: email)?.passwordHash)
        #expect(Passwords.cost(of: rehashed) == 10, "\(rehashed)")
        #expect(Passwords.verify(Self.password, hash: rehashed) && !Passwords.verify("correct horse batterz", hash: rehashed))
        // At the policy's cost already: the next login keeps the hash as it is.
        _ = try sessions.logIn(email: email, password: Self.password, address: address)
        #expect(try d.loginLookup(email: email)?.passwordHash == rehashed)
    }

    /// The CSRF token is the session's: HMAC-SHA256 of its token with the server's key, different
    /// for every session and every server start, refused for any other session.
    @Test func csrfTokenIsBoundToTheSession() throws {
        // RFC 4231, test case 2.
        let mac = HMACSHA256.mac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined() == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // RFC 4231, test case 6 (a key longer than the block).
        let long = HMACSHA256.mac(key: [UInt8](repeating: 0xaa, count: 131), message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(long.map { String(format: "%02x", $0) }.joined() == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        try Engine.migrated.get()
        let one = try OfficeSessions(database: Engine.appURL!, policy: Self.policy, connections: 1)
        let two = try OfficeSessions(database: Engine.appURL!, policy: Self.policy, connections: 1)
        let a = OfficeSessions.newToken(), b = OfficeSessions.newToken()
        let ta = one.csrfToken(forSession: a)
        #expect(ta.count == 43 && ta == one.csrfToken(forSession: a))
        #expect(one.acceptsCSRF(ta, forSession: a))
        #expect(!one.acceptsCSRF(ta, forSession: b))
        #expect(!one.acceptsCSRF(one.csrfToken(forSession: b), forSession: a))
        #expect(!one.acceptsCSRF(nil, forSession: a) && !one.acceptsCSRF("", forSession: a) && !one.acceptsCSRF(ta + "x", forSession: a))
        // Another server (another key) does not take it.
        #expect(!two.acceptsCSRF(ta, forSession: a))
        #expect(!ta.contains(a) && ta != OfficeSessions.digest(a))
    }

    /// The audit log's filters (workspace, person, action and the actions under it, days, older
    /// than an event), and row-level security: without the application's organisation condition,
    /// an organisation's context still reads only its own events.
    @Test func auditFiltersAndRowSecurity() throws {
        let two = try Self.twoOffices()
        let app = try PostgresDirectory(url: Engine.appURL!)
        let org = two.a.organisation.id, ws = two.workspaceA.id
        func record(_ action: String, person: DirectoryPerson?, workspace: Int64?, organisation: Int64 = org) throws {
            try app.audit(organisation: organisation, person: person?.id, actor: person?.email ?? "setup", workspace: workspace,
                          action: action, object: "/x", clientAddress: "127.0.0.1")
        }
        try record("import.commit", person: two.staffA, workspace: ws)
        try record("import.post", person: two.staffA, workspace: ws)
        try record("imports.other", person: two.staffA, workspace: ws)
        try record("settings.change", person: two.a.admin, workspace: ws)
        try record("import.commit", person: two.b.admin, workspace: two.workspaceB.id, organisation: two.b.organisation.id)
        func events(_ f: AuditFilter) throws -> [String] { try app.auditEvents(organisation: org, filter: f).map(\.action) }
        // (The workspace's first event is its creation by the office command.)
        #expect(try events(AuditFilter(workspace: ws)) == ["settings.change", "imports.other", "import.post", "import.commit", "office.add-client"])
        #expect(try events(AuditFilter(action: "import")) == ["import.post", "import.commit"])
        #expect(try events(AuditFilter(action: "import.commit")) == ["import.commit"])
        #expect(try events(AuditFilter(person: two.a.admin.id, action: "settings")) == ["settings.change"])
        #expect(try events(AuditFilter(workspace: two.workspaceB.id)).isEmpty)
        let today = String(try #require(try app.auditEvents(organisation: org, limit: 1).first).at.prefix(10))
        #expect(try events(AuditFilter(workspace: ws, from: today, to: today)).count == 5)
        #expect(try events(AuditFilter(workspace: ws, to: "2000-01-01")).isEmpty)
        #expect(try events(AuditFilter(workspace: ws, from: "2999-01-01")).isEmpty)
        // Pages: two at a time, then older than the last one shown.
        let first = try app.auditEvents(organisation: org, filter: AuditFilter(workspace: ws, limit: 2))
        let second = try app.auditEvents(organisation: org, filter: AuditFilter(workspace: ws, before: first.last!.id, limit: 2))
        #expect((first + second).map(\.action) == ["settings.change", "imports.other", "import.post", "import.commit"])
        // Staff get pages through the sessions; a client gets none.
        let sessions = try OfficeSessions(database: Engine.appURL!, policy: Self.policy, connections: 1)
        let page = try #require(try sessions.auditLog(for: two.staffA, filter: AuditFilter(workspace: ws, limit: 3)))
        #expect(page.events.count == 3 && page.olderBefore == page.events.last?.id && page.workspaces.count == 2 && page.people.count == 3)
        let last = try #require(try sessions.auditLog(for: two.staffA, filter: AuditFilter(workspace: ws, before: page.olderBefore, limit: 3)))
        #expect(last.events.map(\.action) == ["import.commit", "office.add-client"] && last.olderBefore == nil)
        #expect(try sessions.auditLog(for: two.clientA, filter: AuditFilter()) == nil)
        // Row-level security alone: A's context reads no event of B (nor of any other office the
        // shared test database holds), though the query has no organisation condition.
        let unfiltered = try app.auditEventsWithoutFilter(organisation: org)
        let filtered = try app.auditEvents(organisation: org, filter: AuditFilter(limit: 10_000))
        #expect(unfiltered.map(\.id) == filtered.map(\.id))
        #expect(!unfiltered.contains { $0.workspace == two.workspaceB.id || $0.actor == two.b.admin.email })
    }

    /// Password rules, and bcrypt's hash string (cost at least 10, verifies, refuses others).
    @Test func passwordRules() {
        #expect(Passwords.problem("short") != nil)
        #expect(Passwords.problem(String(repeating: "ñ", count: 37)) != nil)   // 74 bytes
        #expect(Passwords.problem("ten chars\u{0}x") != nil)
        #expect(Passwords.problem("correct horse battery") == nil)
        let h = Passwords.hash("correct horse battery", cost: 4)
        #expect(Passwords.cost(of: h) == 10)
        #expect(Passwords.verify("correct horse battery", hash: h))
        #expect(!Passwords.verify("correct horse batterz", hash: h))
        #expect(!Passwords.verify("correct horse battery", hash: "not a hash"))
    }

    /// The office commands' checks: not a PostgreSQL address, bad email, short password.
    @Test func officeInputIsChecked() {
        #expect(throws: UserError.self) { _ = try Office.create(database: "/tmp/x.sqlite", name: "X", adminEmail: "a@b.es", adminName: nil, password: Self.password) }
        #expect(throws: UserError.self) { _ = try Office.create(database: "postgres://u@h/db", name: "X", adminEmail: "not-an-email", adminName: nil, password: Self.password) }
        #expect(throws: UserError.self) { _ = try Office.create(database: "postgres://u@h/db", name: "X", adminEmail: "a@b.es", adminName: nil, password: "short") }
        #expect(throws: UserError.self) { _ = try Office.create(database: "postgres://u@h/db", name: "  ", adminEmail: "a@b.es", adminName: nil, password: Self.password) }
    }
}
