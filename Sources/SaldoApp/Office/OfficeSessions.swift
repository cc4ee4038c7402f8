import Foundation
import SaldoPostgres
import SaldoStore
import Synchronization

/// A person of an office's directory, as the front ends see it.
public typealias OfficePerson = DirectoryPerson

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

    /// `readingConnections`: the ledgers' shared reading connections (see ``readingLedger(_:)``).
    public init(database url: String, policy: OfficePolicy = .init(), connections count: Int = 4, readingConnections: Int = 8) throws {
        try Office.requireDatabase(url)
        database = url
        self.policy = policy
        connections = try (0..<max(1, count)).map { _ in try PostgresDirectory(url: url) }
        readers = try PostgresSessionPool(url: url, size: readingConnections)
        dummyHash = Passwords.hash("not anyone's password \(UUID())", cost: policy.bcryptCost)
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
        let token = Self.newToken()
        try d.createSession(organisation: record.organisationID, person: record.personID, tokenSHA256: Self.digest(token),
                            lifetimeSeconds: policy.sessionLifetime)
        try d.audit(organisation: person.organisationID, person: person.id, actor: person.email, workspace: person.clientWorkspace,
                    action: "login", object: "", clientAddress: address)
        return SignedIn(token: token, person: person)
    }

    /// The person behind a session token, or nil (unknown, ended, expired or idle too long).
    public func resolve(token: String) throws -> DirectoryPerson? {
        guard token.count >= 32, token.count <= 128 else { return nil }
        return try directory.resolveSession(tokenSHA256: Self.digest(token), idleSeconds: policy.sessionIdle)
    }

    /// Ends the session on the server: the token is worthless afterwards.
    public func logOut(token: String, person: DirectoryPerson, address: String?) throws {
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
    public func workspace(_ id: Int64, for person: DirectoryPerson) throws -> DirectoryWorkspace? {
        switch person.kind {
        case .admin, .staff: return try directory.workspace(id, of: person.organisationID)
        case .client: return person.clientWorkspace == id ? try directory.workspace(id) : nil
        }
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

    /// 32 random bytes, URL-safe base64 (256 bits).
    static func newToken() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &g) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// What the database keeps of a token: its SHA-256, hex.
    static func digest(_ token: String) -> String { SQLiteLedgerStore.sha256(Data(token.utf8)) }
}
