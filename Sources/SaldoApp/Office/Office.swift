import Foundation
import SaldoPostgres
import SaldoStore
import Synchronization

/// How an office's logins behave. The defaults are what `saldo serve --database` uses.
public struct OfficePolicy: Sendable {
    /// bcrypt's cost for new passwords (2^cost rounds; never below 10).
    public var bcryptCost: UInt8 = 12
    /// A session ends this long after login, in seconds, whatever happens.
    public var sessionLifetime = 12 * 3600
    /// A session ends after this long without a request, in seconds.
    public var sessionIdle = 30 * 60
    /// Failed logins allowed per email within ``failureWindow``.
    public var failureLimit = 5
    /// Failed logins allowed per client address within ``failureWindow`` (behind a reverse proxy
    /// every request has the proxy's address: raise it there).
    public var addressFailureLimit = 5
    /// The window failed logins are counted in, in seconds.
    public var failureWindow = 15 * 60
    /// How long, in seconds, this server keeps what it found of a session (its person) and of a
    /// person's workspace check before asking the database again (0: every request asks). A
    /// logout in this server ends the session at once; a change made elsewhere (a session ended
    /// by another server, a client moved to another workspace by the office commands) is seen
    /// within this bound.
    public var sessionCheckSeconds = 5.0
    public init() {}
}

/// The accounting office's directory: organisations, staff, clients and their workspaces on a
/// PostgreSQL database. The office commands and the web app's login both call these.
public enum Office {
    /// The address of workspace `id` of the database at `url` (a ledger location).
    public static func ledger(database url: String, workspace id: Int64) -> LedgerLocation {
        LedgerLocation(path: url + (url.contains("?") ? "&" : "?") + "workspace=\(id)")
    }

    /// A database address for messages: without its password.
    public static func displayed(_ url: String) -> String { PostgresLocation.displayed(url) }

    static func requireDatabase(_ url: String) throws {
        guard PostgresLocation.isURL(url) else {
            throw UserError("\"\(PostgresLocation.displayed(url))\" is not a PostgreSQL address; an office lives in a PostgreSQL database",
                            hint: "give an address of the form postgres://user:password@host:5432/database")
        }
    }

    static func checkEmail(_ email: String) throws -> String {
        let e = email.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = e.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), e.count <= 254, !e.contains(where: { $0.isWhitespace }) else {
            throw UserError("\"\(email.prefix(80))\" is not an email address", hint: "give the address the person logs in with, such as ana@gestoria.es")
        }
        return e
    }

    static func checkName(_ name: String, what: String) throws -> String {
        let n = name.trimmingCharacters(in: .whitespacesAndNewlines)
        // `what` says which name in code; the message quotes the name itself (both languages).
        _ = what
        guard !n.isEmpty, n.count <= 200 else { throw UserError("the name \"\(n.prefix(40))\" is empty or longer than 200 characters", hint: "give a name of 1 to 200 characters") }
        return n
    }

    static func checkPassword(_ password: String) throws {
        if let p = Passwords.problem(password) { throw UserError(p, hint: "choose a password of \(Passwords.minimumCharacters) to \(Passwords.maximumBytes) characters") }
    }

    static func directory(_ url: String) throws -> PostgresDirectory {
        try requireDatabase(url)
        return try PostgresDirectory(url: url)
    }

    // MARK: setting up an office

    public struct Created: Sendable {
        public var organisation: DirectoryOrganisation
        public var admin: DirectoryPerson
    }

    /// Creates an organisation with its first admin. When the address's role owns the database
    /// schema, the ledger and directory migrations are applied first, granting `appRole` what
    /// the web app needs.
    public static func create(database url: String, name: String, adminEmail: String, adminName: String?,
                              password: String, appRole: String = "saldo_app", policy: OfficePolicy = .init()) throws -> Created {
        try requireDatabase(url)
        let name = try checkName(name, what: "office name")
        let email = try checkEmail(adminEmail)
        let adminName = try checkName(adminName ?? email, what: "admin's name")
        try checkPassword(password)
        if try PostgresSchema.ownsSchema(url: url) { try PostgresSchema.migrate(ownerURL: url, appRole: appRole) }
        let d = try directory(url)
        let org = try d.createOrganisation(name: name)
        let admin = try d.addPerson(organisation: org.id, email: email, displayName: adminName,
                                    passwordHash: Passwords.hash(password, cost: policy.bcryptCost), kind: .admin, clientWorkspace: nil)
        try d.audit(organisation: org.id, person: nil, actor: "setup", workspace: nil, action: "office.create", object: "organisation \(org.id), admin \(email)", clientAddress: nil)
        return Created(organisation: org, admin: admin)
    }

    static func organisation(_ d: PostgresDirectory, _ id: Int64) throws -> DirectoryOrganisation {
        guard let o = try d.organisation(id) else {
            throw UserError("there is no office number \(id) in this database", hint: "use the number given when the office was created")
        }
        return o
    }

    /// Adds a staff member (or an admin) to organisation `organisation`.
    public static func addStaff(database url: String, organisation: Int64, email: String, name: String?, password: String,
                                admin: Bool = false, policy: OfficePolicy = .init()) throws -> DirectoryPerson {
        let email = try checkEmail(email)
        let name = try checkName(name ?? email, what: "name")
        try checkPassword(password)
        let d = try directory(url)
        _ = try Office.organisation(d, organisation)
        let p = try d.addPerson(organisation: organisation, email: email, displayName: name,
                                passwordHash: Passwords.hash(password, cost: policy.bcryptCost), kind: admin ? .admin : .staff, clientWorkspace: nil)
        try d.audit(organisation: organisation, person: nil, actor: "setup", workspace: nil, action: "office.add-staff", object: "person \(p.id) \(email)", clientAddress: nil)
        return p
    }

    /// A client's login: email, name and password.
    public struct ClientLogin: Sendable {
        public var email: String, name: String?, password: String
        public init(email: String, name: String?, password: String) { self.email = email; self.name = name; self.password = password }
    }

    /// Adds a client workspace (an empty ledger) to the organisation, and optionally the client's login to it.
    public static func addClient(database url: String, organisation: Int64, name: String, login: ClientLogin?,
                                 policy: OfficePolicy = .init()) throws -> (workspace: DirectoryWorkspace, login: DirectoryPerson?) {
        let name = try checkName(name, what: "client's name")
        var email: String?
        if let l = login { email = try checkEmail(l.email); try checkPassword(l.password) }
        let d = try directory(url)
        _ = try Office.organisation(d, organisation)
        let ws = try d.createWorkspace(organisation: organisation, name: name)
        var person: DirectoryPerson?
        if let l = login, let email {
            person = try d.addPerson(organisation: organisation, email: email, displayName: try checkName(l.name ?? name, what: "client's name"),
                                     passwordHash: Passwords.hash(l.password, cost: policy.bcryptCost), kind: .client, clientWorkspace: ws.id)
        }
        try d.audit(organisation: organisation, person: nil, actor: "setup", workspace: ws.id, action: "office.add-client",
                    object: "workspace \(ws.id)" + (email.map { ", login \($0)" } ?? ""), clientAddress: nil)
        return (ws, person)
    }

    /// What an office holds: its workspaces and the people who log in.
    public struct Listing: Sendable {
        public var organisation: DirectoryOrganisation
        public var workspaces: [DirectoryWorkspace]
        public var people: [DirectoryPerson]
    }

    public static func list(database url: String, organisation: Int64) throws -> Listing {
        let d = try directory(url)
        let o = try Office.organisation(d, organisation)
        return Listing(organisation: o, workspaces: try d.workspaces(organisation: organisation), people: try d.people(organisation: organisation))
    }
}

extension Office {
    /// The organisation's latest audit events, newest first.
    public static func auditLog(database url: String, organisation: Int64, limit: Int = 100) throws -> [AuditEvent] {
        let d = try directory(url)
        _ = try Office.organisation(d, organisation)
        return try d.auditEvents(organisation: organisation, limit: max(1, min(limit, 10_000)))
    }
}

extension PostgresSchema {
    /// Whether the address's role owns the schema (and so may apply the migrations).
    static func ownsSchema(url: String) throws -> Bool { try PostgresSchema.connectingRoleOwnsSchema(url: url) }
}
