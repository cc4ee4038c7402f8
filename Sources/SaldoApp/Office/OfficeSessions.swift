import Foundation
import SaldoPostgres
import SaldoStore
import Synchronization

/// A person of an office's directory, as the front ends see it.
public typealias OfficePerson = DirectoryPerson
/// Which audit events to show, as the front ends ask for them.
public typealias OfficeAuditFilter = AuditFilter

extension DirectoryWorkspace {
    /// How pages name the workspace: its client's name, else its number (`#12`).
    public var displayName: String { name.isEmpty ? "#\(id)" : name }
}

/// Someone logged in: who, and the session's token (only ever given to them, in a cookie).
public struct SignedIn: Sendable {
    public var token: String
    public var person: DirectoryPerson
}

/// Why a login failed. Messages never say whether the email exists.
public enum LoginRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The email or the password is wrong (one message for both).
    case wrongCredentials
    /// Too many failed logins for this email or from this address recently.
    case tooManyAttempts(minutes: Int)

    public var description: String {
        switch self {
        case .wrongCredentials: return "the email or the password is not right"
        case .tooManyAttempts(let m): return "too many failed logins; wait \(m) minutes and try again"
        }
    }
}

/// Logins, sessions and the audit log of an office database, for the web app. Every call blocks
/// on PostgreSQL (and login on bcrypt): callers run it off Swift's cooperative pool.
///
/// A few directory connections are shared round-robin (each serialises its own calls); every call
/// is one transaction that sets its own context, so nothing carries from one request to the next.
public final class OfficeSessions: Sendable {
    public let database: String
    public let policy: OfficePolicy
    private let connections: [PostgresDirectory]
    /// The connections every workspace's ledger is read through (one store per workspace would
    /// mean one connection each: a server reading 200 clients' books reconnected on nearly every
    /// request).
    private let readers: PostgresSessionPool
    private let next = Atomic<Int>(0)
    /// A hash verified when the email is unknown, so that both answers take as long.
    private let dummyHash: String
    /// The key of this server's CSRF tokens (random per start: a page loaded before a restart
    /// gets a fresh token when reloaded).
    private let csrfKey: [UInt8]
    /// Sessions and workspace checks found recently (``OfficePolicy/sessionCheckSeconds``).
    private let recent: RecentChecks

    /// `readingConnections`: the ledgers' shared reading connections (see ``readingLedger(_:)``).
    public init(database url: String, policy: OfficePolicy = .init(), connections count: Int = 4, readingConnections: Int = 8) throws {
        try Office.requireDatabase(url)
        database = url
        self.policy = policy
        connections = try (0..<max(1, count)).map { _ in try PostgresDirectory(url: url) }
        readers = try PostgresSessionPool(url: url, size: readingConnections)
        dummyHash = Passwords.hash("not anyone's password \(UUID())", cost: policy.bcryptCost)
        var g = SystemRandomNumberGenerator()
        csrfKey = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &g) }
        recent = RecentChecks(seconds: policy.sessionCheckSeconds)
    }

    var directory: PostgresDirectory {
        connections[next.add(1, ordering: .relaxed).oldValue % connections.count]
    }

    /// Checks the password and opens a session. Refused after too many failures per email or per
    /// address within the window (refused attempts are not counted again).
    public func logIn(email: String, password: String, address: String) throws -> SignedIn {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        let d = directory
        let failures = try d.loginFailures(email: email, address: address, withinSeconds: policy.failureWindow)
        if failures.byEmail >= policy.failureLimit || failures.byAddress >= policy.addressFailureLimit {
            throw LoginRefusal.tooManyAttempts(minutes: policy.failureWindow / 60)
        }
        let record = try d.loginLookup(email: email)
        let matches = Passwords.verify(password, hash: record?.passwordHash ?? dummyHash)
        let ok = matches && record != nil
        try d.recordAttempt(email: email, address: address, succeeded: ok)
        guard ok, let record, let person = try d.person(organisation: record.organisationID, id: record.personID) else {
            throw LoginRefusal.wrongCredentials
        }
        // A hash made when the policy's cost was lower is made again now that the password is at hand.
        if let cost = Passwords.cost(of: record.passwordHash), cost < Passwords.effectiveCost(policy.bcryptCost) {
            try d.setPasswordHash(organisation: record.organisationID, person: record.personID,
                                  passwordHash: Passwords.hash(password, cost: policy.bcryptCost))
        }
        let token = Self.newToken()
        try d.createSession(organisation: record.organisationID, person: record.personID, tokenSHA256: Self.digest(token),
                            lifetimeSeconds: policy.sessionLifetime)
        try d.audit(organisation: person.organisationID, person: person.id, actor: person.email, workspace: person.clientWorkspace,
                    action: "login", object: "", clientAddress: address)
        return SignedIn(token: token, person: person)
    }

    /// The person behind a session token, or nil (unknown, ended, expired or idle too long).
    /// What the database said is kept for ``OfficePolicy/sessionCheckSeconds`` (a session that
    /// ended elsewhere, or went idle or past its lifetime, is refused within that bound).
    public func resolve(token: String) throws -> DirectoryPerson? {
        guard token.count >= 32, token.count <= 128 else { return nil }
        let digest = Self.digest(token)
        if let person = recent.person(digest) { return person }
        let person = try directory.resolveSession(tokenSHA256: digest, idleSeconds: policy.sessionIdle)
        if let person { recent.keep(person, digest) }
        return person
    }

    /// Ends the session on the server: the token is worthless afterwards.
    public func logOut(token: String, person: DirectoryPerson, address: String?) throws {
        recent.forget(Self.digest(token))
        let d = directory
        try d.deleteSession(organisation: person.organisationID, tokenSHA256: Self.digest(token))
        try d.audit(organisation: person.organisationID, person: person.id, actor: person.email, workspace: person.clientWorkspace,
                    action: "logout", object: "", clientAddress: address)
    }

    /// The workspaces `person` may see: staff and admins their organisation's, a client exactly theirs.
    public func workspaces(for person: DirectoryPerson) throws -> [DirectoryWorkspace] {
        switch person.kind {
        case .admin, .staff: return try directory.workspaces(organisation: person.organisationID)
        case .client:
            guard let w = person.clientWorkspace, let ws = try directory.workspace(w) else { return [] }
            return [ws]
        }
    }

    /// Workspace `id` when `person` may see it; nil for another organisation's and an unknown one alike.
    /// A workspace found is kept for ``OfficePolicy/sessionCheckSeconds`` (for this person as
    /// they are: a person whose kind or workspace changed is checked again).
    public func workspace(_ id: Int64, for person: DirectoryPerson) throws -> DirectoryWorkspace? {
        if let w = recent.workspace(id, for: person) { return w }
        let found: DirectoryWorkspace?
        switch person.kind {
        case .admin, .staff: found = try directory.workspace(id, of: person.organisationID)
        case .client: found = person.clientWorkspace == id ? try directory.workspace(id) : nil
        }
        if let found { recent.keep(found, for: person) }
        return found
    }

    /// The ledger of a workspace the caller has checked `person` may see.
    public func ledger(_ workspace: Int64) -> LedgerLocation { Office.ledger(database: database, workspace: workspace) }

    /// The same ledger for reading, on the shared reading connections: opening it costs nothing.
    public func readingLedger(_ workspace: Int64) -> any LedgerStore { readers.store(workspace: workspace) }

    /// Records who did what (import, invoice link/unlink, settings change, export, login).
    public func record(_ person: DirectoryPerson, workspace: Int64?, action: String, object: String, address: String?) throws {
        try directory.audit(organisation: person.organisationID, person: person.id, actor: person.email, workspace: workspace,
                            action: action, object: object, clientAddress: address)
    }

    /// The organisation's latest audit events (staff and admins only; a client gets none).
    public func auditEvents(for person: DirectoryPerson, limit: Int = 100) throws -> [AuditEvent] {
        guard person.kind != .client else { return [] }
        return try directory.auditEvents(organisation: person.organisationID, limit: limit)
    }

    /// One page of the organisation's audit log for staff: the events that pass `filter`, newest
    /// first, whether older ones follow, and the workspaces and people to name them and to filter
    /// by. Nil for a client (the audit log is not theirs to see).
    public func auditLog(for person: DirectoryPerson, filter: AuditFilter) throws -> AuditLogPage? {
        guard Office.mayChange(person) else { return nil }
        let d = directory
        var asked = filter
        asked.limit = max(1, min(filter.limit, AuditLogPage.maximumLimit)) + 1
        var events = try d.auditEvents(organisation: person.organisationID, filter: asked)
        let more = events.count >= asked.limit
        if more { events.removeLast() }
        return AuditLogPage(events: events, olderBefore: more ? events.last?.id : nil,
                            workspaces: try d.workspaces(organisation: person.organisationID),
                            people: try d.people(organisation: person.organisationID))
    }

    // MARK: CSRF

    /// The CSRF token of a session: HMAC-SHA256 of the session token with this server's key
    /// (URL-safe base64). Bound to the session, so it changes at every login and is worthless for
    /// any other session; it reveals nothing of the session token.
    public func csrfToken(forSession token: String) -> String {
        Self.base64URL(HMACSHA256.mac(key: csrfKey, message: Array(token.utf8)))
    }

    /// Whether `presented` is the CSRF token of session `token` (compared in constant time).
    public func acceptsCSRF(_ presented: String?, forSession token: String) -> Bool {
        guard let presented else { return false }
        let expected = Array(csrfToken(forSession: token).utf8), given = Array(presented.utf8)
        guard expected.count == given.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<expected.count { diff |= expected[i] ^ given[i] }
        return diff == 0
    }

    /// 32 random bytes, URL-safe base64 (256 bits).
    static func newToken() -> String {
        var g = SystemRandomNumberGenerator()
        return base64URL((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &g) })
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// What the database keeps of a token: its SHA-256, hex.
    static func digest(_ token: String) -> String { SQLiteLedgerStore.sha256(Data(token.utf8)) }
}

/// What a server found of sessions and workspace checks in the last few seconds, so that a
/// request of a session seen just before asks the database neither who it is nor whether it may
/// see its book. Only what was found is kept (an unknown token or a refused book asks again each
/// time); entries older than the bound are never used, and are dropped when the table is full.
final class RecentChecks: Sendable {
    private struct WorkspaceKey: Hashable {
        var person: Int64, organisation: Int64, kind: PersonKind, clientWorkspace: Int64?, workspace: Int64
        init(_ person: DirectoryPerson, _ workspace: Int64) {
            self.person = person.id; organisation = person.organisationID; kind = person.kind
            clientWorkspace = person.clientWorkspace; self.workspace = workspace
        }
    }
    /// Entries found at a time, the oldest never used past the bound.
    private struct Recent<Key: Hashable & Sendable, Value: Sendable>: Sendable {
        var entries: [Key: (value: Value, at: ContinuousClock.Instant)] = [:]

        func value(_ key: Key, now: ContinuousClock.Instant, bound: Duration) -> Value? {
            entries[key].flatMap { now - $0.at < bound ? $0.value : nil }
        }

        /// Keeps `value`; a full table first drops what is past the bound, and everything if that is not enough.
        mutating func keep(_ value: Value, _ key: Key, now: ContinuousClock.Instant, bound: Duration) {
            if entries.count >= RecentChecks.capacity { entries = entries.filter { now - $0.value.at < bound } }
            if entries.count >= RecentChecks.capacity { entries.removeAll() }
            entries[key] = (value, now)
        }
    }
    private struct Table: Sendable {
        var sessions = Recent<String, DirectoryPerson>()
        var workspaces = Recent<WorkspaceKey, DirectoryWorkspace>()
    }
    /// The most sessions (and, separately, workspace checks) kept.
    static let capacity = 50_000
    private let bound: Duration
    private let table = Mutex(Table())

    init(seconds: Double) { bound = .milliseconds(Int64((max(0, seconds) * 1000).rounded())) }

    func person(_ digest: String) -> DirectoryPerson? {
        guard bound > .zero else { return nil }
        let now = ContinuousClock.now
        return table.withLock { $0.sessions.value(digest, now: now, bound: bound) }
    }

    func keep(_ person: DirectoryPerson, _ digest: String) {
        guard bound > .zero else { return }
        let now = ContinuousClock.now
        table.withLock { $0.sessions.keep(person, digest, now: now, bound: bound) }
    }

    /// A session ended here: its next request asks the database (which no longer has it).
    func forget(_ digest: String) {
        _ = table.withLock { $0.sessions.entries.removeValue(forKey: digest) }
    }

    func workspace(_ id: Int64, for person: DirectoryPerson) -> DirectoryWorkspace? {
        guard bound > .zero else { return nil }
        let now = ContinuousClock.now
        return table.withLock { $0.workspaces.value(WorkspaceKey(person, id), now: now, bound: bound) }
    }

    func keep(_ workspace: DirectoryWorkspace, for person: DirectoryPerson) {
        guard bound > .zero else { return }
        let now = ContinuousClock.now
        table.withLock { $0.workspaces.keep(workspace, WorkspaceKey(person, workspace.id), now: now, bound: bound) }
    }
}

/// One page of an office's audit log (``OfficeSessions/auditLog(for:filter:)``).
public struct AuditLogPage: Sendable {
    /// The most events one page shows.
    public static let maximumLimit = 500
    public var events: [AuditEvent]
    /// Older events follow: ask again with `before` set to this id.
    public var olderBefore: Int64?
    public var workspaces: [DirectoryWorkspace]
    public var people: [DirectoryPerson]
}

extension Office {
    /// Whether `person` may change a workspace's books (import, link invoices, change settings or
    /// rates, delete): staff and admins; a client only reads their own.
    public static func mayChange(_ person: DirectoryPerson) -> Bool { person.kind != .client }

    /// Why a client's change is refused: what they may do and whom to ask.
    public static let clientReadOnly = (
        detail: "your accountant manages this book: you can read it and download from it, but imports, invoice links, settings and rates are changed by them",
        hint: "ask your accountant to make this change for you"
    )
}

/// HMAC (RFC 2104) over the store's SHA-256.
enum HMACSHA256 {
    static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        let blockSize = 64
        var k = key.count > blockSize ? digest(key) : key
        k += [UInt8](repeating: 0, count: blockSize - k.count)
        let inner = digest(k.map { $0 ^ 0x36 } + message)
        return digest(k.map { $0 ^ 0x5c } + inner)
    }

    /// SHA-256 as bytes (the store's digest is hex).
    static func digest(_ bytes: [UInt8]) -> [UInt8] {
        let hex = Array(SQLiteLedgerStore.sha256(Data(bytes)).utf8)
        func nibble(_ c: UInt8) -> UInt8 { c >= 97 ? c - 87 : c >= 65 ? c - 55 : c - 48 }
        return stride(from: 0, to: hex.count, by: 2).map { nibble(hex[$0]) << 4 | nibble(hex[$0 + 1]) }
    }
}
