import Foundation
import PostgresNIO
import SaldoStore

/// What a person who logs in is.
public enum PersonKind: String, Sendable, CaseIterable {
    /// Staff who also manage the office's people.
    case admin
    /// Staff: every workspace of their organisation.
    case staff
    /// A client: exactly one workspace, their own.
    case client
}

public struct DirectoryOrganisation: Sendable, Equatable {
    public var id: Int64
    public var name: String
}

public struct DirectoryWorkspace: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var name: String
}

public struct DirectoryPerson: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var email: String
    public var displayName: String
    public var kind: PersonKind
    /// A client's workspace; nil for staff and admins.
    public var clientWorkspace: Int64?
}

/// What the login lookup returns for one email: no more than checking a password needs.
public struct LoginRecord: Sendable {
    public var personID: Int64
    public var organisationID: Int64
    public var passwordHash: String
}

public struct AuditEvent: Sendable, Equatable {
    public var id: Int64
    /// When, as ISO 8601 in UTC.
    public var at: String
    public var personID: Int64?
    public var actor: String
    public var workspace: Int64?
    public var action: String
    public var object: String
    public var clientAddress: String?
}

/// Which audit events to show: every condition given must hold (nil: any).
public struct AuditFilter: Sendable, Equatable {
    /// Only events about this workspace.
    public var workspace: Int64?
    /// Only events by this person.
    public var person: Int64?
    /// Only this action, or the actions under it (`import` takes `import.commit` too).
    public var action: String?
    /// Only events on or after this day (UTC), `yyyy-mm-dd`.
    public var from: String?
    /// Only events on or before this day (UTC), `yyyy-mm-dd`.
    public var to: String?
    /// Only events older than this one (the next page).
    public var before: Int64?
    public var limit: Int

    public init(workspace: Int64? = nil, person: Int64? = nil, action: String? = nil, from: String? = nil, to: String? = nil,
                before: Int64? = nil, limit: Int = 100) {
        self.workspace = workspace; self.person = person; self.action = action; self.from = from; self.to = to
        self.before = before; self.limit = limit
    }
}

/// The office directory of a PostgreSQL database: organisations, people, sessions, login
/// attempts, the audit log. Every call is one transaction whose first statements set the
/// context (`app.organisation_id`, and `app.workspace_id` to 0 — no workspace — so the ledger
/// policy on `workspace` fails closed instead of erroring); the lookups before an organisation
/// is known go through the schema's `SECURITY DEFINER` functions. Values are always bound.
public final class PostgresDirectory: Sendable {
    let session: PGSession

    /// Connects as the URL's role (the app role when serving; the owner or app role for the
    /// office commands). The directory's migrations must be in place.
    public init(url: String) throws(StoreError) {
        let location = try PostgresLocation(url: url)
        session = try PGSession(location)
        let names = try session.transaction(workspace: nil, readOnly: true) { tx -> [String] in
            guard try tx.query("SELECT to_regclass('saldo_directory_migration') IS NOT NULL").first!.decode(Bool.self) else { return [] }
            return try tx.query("SELECT name FROM saldo_directory_migration ORDER BY name").map { try $0.decode(String.self) }
        }
        guard names == DirectorySchema.migrationNames else {
            throw .cannotOpen(location.description, reason: "the database has no office directory yet (or an older one); let its owner apply the migrations first")
        }
    }

    public var location: String { session.location.description }

    /// One transaction in `organisation`'s context (nil: no organisation, for the lookups).
    func inOrganisation<T>(_ organisation: Int64?, readOnly: Bool = false, _ body: (PGTx) throws -> T) throws(StoreError) -> T {
        try session.transaction(workspace: 0, readOnly: readOnly) { tx in
            if let o = organisation { try tx.query("SELECT set_config('app.organisation_id', \(String(o)), true)") }
            return try body(tx)
        }
    }

    // MARK: organisations, workspaces, people

    public func createOrganisation(name: String) throws(StoreError) -> DirectoryOrganisation {
        try session.transaction(workspace: 0) { tx in
            let id = try tx.query("SELECT nextval('organisation_id_seq')").first!.decode(Int64.self)
            try tx.query("SELECT set_config('app.organisation_id', \(String(id)), true)")
            try tx.query("INSERT INTO organisation (id, name) VALUES (\(id), \(name))")
            return DirectoryOrganisation(id: id, name: name)
        }
    }

    public func organisation(_ id: Int64) throws(StoreError) -> DirectoryOrganisation? {
        try inOrganisation(id, readOnly: true) { tx in
            try tx.query("SELECT id, name FROM organisation WHERE id = \(id)").first.map { row in
                let (i, n) = try row.decode((Int64, String).self)
                return DirectoryOrganisation(id: i, name: n)
            }
        }
    }

    /// Adds a person; an email already used anywhere is `StoreError.invalid`.
    public func addPerson(organisation: Int64, email: String, displayName: String, passwordHash: String,
                          kind: PersonKind, clientWorkspace: Int64?) throws(StoreError) -> DirectoryPerson {
        let email = email.lowercased()
        do {
            return try inOrganisation(organisation) { tx in
                let id = try tx.query("SELECT nextval('person_id_seq')").first!.decode(Int64.self)
                try tx.query("""
                    INSERT INTO person (organisation_id, id, email, display_name, password_hash, kind, client_workspace_id)
                    VALUES (\(organisation), \(id), \(email), \(displayName), \(passwordHash), \(kind.rawValue), \(clientWorkspace))
                    """)
                return DirectoryPerson(id: id, organisationID: organisation, email: email, displayName: displayName, kind: kind, clientWorkspace: clientWorkspace)
            }
        } catch .database(let m) where m.contains("person_email_key") {
            throw .invalid("the email \(email) already belongs to someone who logs in; each login needs its own email")
        }
    }

    public func people(organisation: Int64) throws(StoreError) -> [DirectoryPerson] {
        try inOrganisation(organisation, readOnly: true) { tx in
            try tx.query("""
                SELECT id, organisation_id, email, display_name, kind, client_workspace_id FROM person
                WHERE organisation_id = \(organisation) ORDER BY id
                """).map(Self.person)
        }
    }

    public func person(organisation: Int64, id: Int64) throws(StoreError) -> DirectoryPerson? {
        try inOrganisation(organisation, readOnly: true) { tx in
            try tx.query("""
                SELECT id, organisation_id, email, display_name, kind, client_workspace_id FROM person
                WHERE organisation_id = \(organisation) AND id = \(id)
                """).first.map(Self.person)
        }
    }

    static func person(_ row: PostgresRow) throws -> DirectoryPerson {
        let (id, org, email, name, kind, ws) = try row.decode((Int64, Int64, String, String, String, Int64?).self)
        return DirectoryPerson(id: id, organisationID: org, email: email, displayName: name, kind: PersonKind(rawValue: kind) ?? .client, clientWorkspace: ws)
    }

    /// Creates a workspace (an empty ledger) for a client of `organisation`.
    public func createWorkspace(organisation: Int64, name: String) throws(StoreError) -> DirectoryWorkspace {
        try session.transaction(workspace: nil) { tx in
            // The next free id (a workspace made outside the office, by a ledger address, may hold one).
            var id: Int64 = 0
            repeat {
                id = try tx.query("SELECT nextval('office_workspace_id_seq')").first!.decode(Int64.self)
            } while try tx.query("SELECT saldo_workspace_taken(\(id))").first?.decode(Bool.self) ?? false
            try tx.query("SELECT set_config('app.workspace_id', \(String(id)), true)")
            try tx.query("SELECT set_config('app.organisation_id', \(String(organisation)), true)")
            try tx.query("INSERT INTO workspace (id, organisation_id, display_name) VALUES (\(id), \(organisation), \(name))")
            return DirectoryWorkspace(id: id, organisationID: organisation, name: name)
        }
    }

    /// The organisation's workspaces, by id.
    public func workspaces(organisation: Int64) throws(StoreError) -> [DirectoryWorkspace] {
        try inOrganisation(organisation, readOnly: true) { tx in
            try tx.query("SELECT id, organisation_id, COALESCE(display_name, '') FROM workspace WHERE organisation_id = \(organisation) ORDER BY id").map { row in
                let (i, o, n) = try row.decode((Int64, Int64, String).self)
                return DirectoryWorkspace(id: i, organisationID: o, name: n)
            }
        }
    }

    /// Whether workspace `id` belongs to `organisation` (read in the organisation's context).
    public func workspace(_ id: Int64, of organisation: Int64) throws(StoreError) -> DirectoryWorkspace? {
        try inOrganisation(organisation, readOnly: true) { tx in
            try tx.query("SELECT id, organisation_id, COALESCE(display_name, '') FROM workspace WHERE organisation_id = \(organisation) AND id = \(id)").first.map { row in
                let (i, o, n) = try row.decode((Int64, Int64, String).self)
                return DirectoryWorkspace(id: i, organisationID: o, name: n)
            }
        }
    }

    /// One workspace, read in its own ledger context (what a client may read of it).
    public func workspace(_ id: Int64) throws(StoreError) -> DirectoryWorkspace? {
        try session.transaction(workspace: id, readOnly: true) { tx in
            try tx.query("SELECT id, COALESCE(organisation_id, 0), COALESCE(display_name, '') FROM workspace WHERE id = \(id)").first.map { row in
                let (i, o, n) = try row.decode((Int64, Int64, String).self)
                return DirectoryWorkspace(id: i, organisationID: o, name: n)
            }
        }
    }

    // MARK: logins and sessions

    /// The password hash and organisation for one email (the schema's `saldo_login_lookup`).
    public func loginLookup(email: String) throws(StoreError) -> LoginRecord? {
        try inOrganisation(nil, readOnly: true) { tx in
            try tx.query("SELECT person_id, organisation_id, password_hash FROM saldo_login_lookup(\(email))").first.map { row in
                let (p, o, h) = try row.decode((Int64, Int64, String).self)
                return LoginRecord(personID: p, organisationID: o, passwordHash: h)
            }
        }
    }

    /// Failed logins within the last `seconds`, for the email and for the address.
    public func loginFailures(email: String, address: String, withinSeconds seconds: Int) throws(StoreError) -> (byEmail: Int, byAddress: Int) {
        try inOrganisation(nil, readOnly: true) { tx in
            let row = try tx.query("SELECT by_email, by_address FROM saldo_login_failures(\(email), \(address), now() - make_interval(secs => \(Double(seconds))))").first!
            let (e, a) = try row.decode((Int64, Int64).self)
            return (Int(e), Int(a))
        }
    }

    public func recordAttempt(email: String, address: String, succeeded: Bool) throws(StoreError) {
        try inOrganisation(nil) { tx in
            try tx.query("INSERT INTO login_attempt (email, address, succeeded) VALUES (\(email.lowercased()), \(address), \(succeeded))")
        }
    }

    /// Stores a new session (only the token's SHA-256) for `lifetimeSeconds`.
    public func createSession(organisation: Int64, person: Int64, tokenSHA256: String, lifetimeSeconds: Int) throws(StoreError) {
        try inOrganisation(organisation) { tx in
            try tx.query("""
                INSERT INTO session (organisation_id, token_sha256, person_id, expires_at)
                VALUES (\(organisation), \(tokenSHA256), \(person), now() + make_interval(secs => \(Double(lifetimeSeconds))))
                """)
        }
    }

    /// The person behind a live session (not expired, seen within `idleSeconds`), marking it seen.
    public func resolveSession(tokenSHA256: String, idleSeconds: Int) throws(StoreError) -> DirectoryPerson? {
        try inOrganisation(nil) { tx in
            try tx.query("""
                SELECT person_id, organisation_id, email, display_name, kind, client_workspace_id
                FROM saldo_session_lookup(\(tokenSHA256), make_interval(secs => \(Double(idleSeconds))))
                """).first.map(Self.person)
        }
    }

    /// Replaces a person's password hash (a login found it made with a lower bcrypt cost).
    public func setPasswordHash(organisation: Int64, person: Int64, passwordHash: String) throws(StoreError) {
        try inOrganisation(organisation) { tx in
            try tx.query("UPDATE person SET password_hash = \(passwordHash) WHERE organisation_id = \(organisation) AND id = \(person)")
        }
    }

    /// Ends a session; true when there was one.
    @discardableResult
    public func deleteSession(organisation: Int64, tokenSHA256: String) throws(StoreError) -> Bool {
        try inOrganisation(organisation) { tx in
            try tx.query("DELETE FROM session WHERE organisation_id = \(organisation) AND token_sha256 = \(tokenSHA256)").metadata.rows ?? 0 > 0
        }
    }

    // MARK: audit

    public func audit(organisation: Int64, person: Int64?, actor: String, workspace: Int64?, action: String, object: String,
                      clientAddress: String?) throws(StoreError) {
        try inOrganisation(organisation) { tx in
            try tx.query("""
                INSERT INTO audit_event (organisation_id, person_id, actor, workspace_id, action, object, client_address)
                VALUES (\(organisation), \(person), \(actor), \(workspace), \(action), \(object), \(clientAddress))
                """)
        }
    }

    /// The organisation's latest audit events, newest first.
    public func auditEvents(organisation: Int64, limit: Int = 100) throws(StoreError) -> [AuditEvent] {
        try auditEvents(organisation: organisation, filter: AuditFilter(limit: limit))
    }

    /// The organisation's audit events that pass `filter`, newest first (at most `filter.limit`).
    /// Read in the organisation's context: row-level security shows no other organisation's
    /// events even without the `organisation_id` condition (``auditEventsWithoutFilter(organisation:)``).
    public func auditEvents(organisation: Int64, filter: AuditFilter) throws(StoreError) -> [AuditEvent] {
        let limit = max(1, min(filter.limit, 10_000))
        // Days are whole UTC days: from its first instant to the next day's first.
        let from = filter.from, to = filter.to
        return try inOrganisation(organisation, readOnly: true) { tx in
            try tx.query("""
                SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), person_id, actor, workspace_id, action, object, client_address
                FROM audit_event WHERE organisation_id = \(organisation)
                  AND (\(filter.workspace)::bigint IS NULL OR workspace_id = \(filter.workspace))
                  AND (\(filter.person)::bigint IS NULL OR person_id = \(filter.person))
                  AND (\(filter.action)::text IS NULL OR action = \(filter.action) OR left(action, length(\(filter.action)) + 1) = \(filter.action) || '.')
                  AND (\(from)::text IS NULL OR at >= (\(from)::date)::timestamp AT TIME ZONE 'UTC')
                  AND (\(to)::text IS NULL OR at < ((\(to)::date) + 1)::timestamp AT TIME ZONE 'UTC')
                  AND (\(filter.before)::bigint IS NULL OR id < \(filter.before))
                ORDER BY id DESC LIMIT \(limit)
                """).map(Self.auditEvent)
        }
    }

    static func auditEvent(_ row: PostgresRow) throws -> AuditEvent {
        let (id, at, p, actor, ws, action, object, address) = try row.decode((Int64, String, Int64?, String, Int64?, String, String, String?).self)
        return AuditEvent(id: id, at: at, personID: p, actor: actor, workspace: ws, action: action, object: object, clientAddress: address)
    }

    /// Every audit event the organisation's context can read, with no `organisation_id` condition
    /// of the application's: what row-level security alone lets through (tests).
    package func auditEventsWithoutFilter(organisation: Int64) throws(StoreError) -> [AuditEvent] {
        try inOrganisation(organisation, readOnly: true) { tx in
            try tx.query("""
                SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), person_id, actor, workspace_id, action, object, client_address
                FROM audit_event ORDER BY id DESC
                """).map(Self.auditEvent)
        }
    }

    /// Runs raw SQL in an organisation's context (tests: the audit log refuses changes).
    package func runInOrganisation(_ organisation: Int64, _ sql: String) throws(StoreError) {
        try inOrganisation(organisation) { tx in try tx.run(sql) }
    }
}
