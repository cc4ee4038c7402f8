import Foundation
import HTTPTypes
import Hummingbird
import SaldoCore
import Synchronization

/// What the security checks need to know about the running server.
final class ServerState: Sendable {
    let host: String
    let loopback: Bool
    /// Sent with every state-changing request (`X-CSRF-Token`); pages carry it in a meta tag.
    /// Single-user mode only: in office mode each session has its own, checked by the office
    /// middleware once it knows the session (``OfficeSessions/csrfToken(forSession:)``).
    let csrfToken: String
    /// Required on every request when the server listens beyond this machine.
    let accessToken: String?
    /// Office mode: the login form and logout are plain form posts (same Origin, no CSRF header).
    let officeMode: Bool
    private let boundPort: Mutex<Int>

    init(host: String, port: Int, csrfToken: String, accessToken: String?, officeMode: Bool = false) {
        self.officeMode = officeMode
        self.host = host
        self.loopback = WebOptions.isLoopback(host)
        self.csrfToken = csrfToken
        self.accessToken = accessToken
        self.boundPort = Mutex(port)
    }

    var port: Int { boundPort.withLock { $0 } }
    func bound(port: Int) { boundPort.withLock { $0 = port } }

    /// The host names a browser may use to reach the server: the bound one, and for loopback also
    /// `localhost` and `127.0.0.1`.
    var acceptedHosts: [String] {
        let name = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return loopback ? Array(Set([name, "localhost", "127.0.0.1", "[::1]"])).sorted() : [name]
    }

    /// Whether a `Host` header names this server (DNS rebinding sends a foreign name).
    func accepts(host header: String) -> Bool {
        let value = header.lowercased()
        return acceptedHosts.contains { value == "\($0):\(port)" || (port == 80 && value == $0) }
    }

    /// Whether an `Origin` header is this server's own.
    func accepts(origin header: String) -> Bool {
        let value = header.lowercased()
        return acceptedHosts.contains { value == "http://\($0):\(port)" || (port == 80 && value == "http://\($0)") }
    }
}

/// The checks every request passes, in order: the `Host` names this server (DNS rebinding), the
/// access token when listening beyond this machine, then for anything that changes state a
/// same-origin `Origin` and the CSRF token. Every answer carries the security headers.
struct SecurityMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let state: ServerState

    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; manifest-src 'self'"

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            try check(request)
            response = try await next(request, context)
        } catch let problem as Problem where problem.status == .forbidden || problem.status == .misdirectedRequest || problem.status == .unauthorized {
            // Refused before the language middleware runs: in the language that middleware would
            // choose, as every other problem is (`code` stays the same for scripts).
            response = problem.localized(LanguageMiddleware.language(of: request).chosen).response()
        }
        var headers = response.headers
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with a plain
        // form's POST (the login form), which the Origin check must refuse; same-origin still sends
        // nothing to other sites. Found by a real browser logging in (Tests/browser/test_office.py).
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "same-origin"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
        response.headers = headers
        return response
    }

    func check(_ request: Request) throws {
        let host = request.head.authority ?? ""
        // The texts are the catalog's English templates (`error.web_security.*`), so that
        // `Problem.localized` finds them again in the request's language.
        guard state.accepts(host: host) else {
            let addresses = state.acceptedHosts.map { "\($0):\(state.port)" }.joined(separator: ", ")
            throw Problem(.misdirectedRequest, code: "foreign-host", title: "Wrong address",
                          detail: host.isEmpty ? LocalizedText("error.web_security.foreign_host_missing", ["addresses": addresses]).english
                                               : LocalizedText("error.web_security.foreign_host", ["addresses": addresses, "host": host]).english,
                          hint: LocalizedText("error.web_security.open_printed_address").english)
        }
        if let token = state.accessToken, !hasAccessToken(request, token) {
            throw Problem(.unauthorized, code: "access-token", title: "Access token required",
                          detail: LocalizedText("error.web_security.access_token").english,
                          hint: LocalizedText("error.web_security.access_token_hint").english)
        }
        let method = request.method
        if method != .get && method != .head && method != .options {
            guard let origin = request.headers[.origin], state.accepts(origin: origin) else {
                let own = "http://\(state.acceptedHosts.first ?? state.host):\(state.port)"
                throw Problem.forbidden("foreign-origin", request.headers[.origin].map { LocalizedText("error.web_security.foreign_origin", ["origin": $0]).english }
                                            ?? LocalizedText("error.web_security.foreign_origin_missing").english,
                                        hint: LocalizedText("error.web_security.foreign_origin_hint", ["origin": own]).english)
            }
            // Office mode: the token is the session's, checked after the session is known
            // (OfficeMiddleware); the login and logout forms are plain posts (Origin checked above).
            guard state.officeMode || request.headers[HTTPField.Name("X-CSRF-Token")!].map({ constantTimeEqual($0, state.csrfToken) }) == true else {
                throw Self.missingCSRFToken()
            }
        }
    }

    /// A change without this page's CSRF token (single-user mode here, office mode in `OfficeMiddleware`).
    static func missingCSRFToken() -> Problem {
        Problem.forbidden("csrf-token", LocalizedText("error.web_security.csrf_token").english,
                          hint: LocalizedText("error.web_security.csrf_token_hint").english)
    }

    func hasAccessToken(_ request: Request, _ token: String) -> Bool {
        if let auth = request.headers[.authorization], auth.hasPrefix("Bearer "), constantTimeEqual(String(auth.dropFirst(7)), token) { return true }
        if let cookie = Cookies(request).value("saldo_token"), constantTimeEqual(cookie, token) { return true }
        if let q = Query(request).string("token"), constantTimeEqual(q, token) { return true }
        return false
    }
}

/// Compares secrets without stopping at the first difference.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in 0..<x.count { diff |= x[i] ^ y[i] }
    return diff == 0
}

/// The request's cookies.
struct Cookies {
    var values: [String: String] = [:]
    init(_ request: Request) {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if kv.count == 2, values[kv[0]] == nil { values[kv[0]] = kv[1] }
            }
        }
    }
    func value(_ name: String) -> String? { values[name] }
}

/// Chooses the answer's language: `?lang=` (remembered in a cookie), else the cookie, else
/// `Accept-Language`, else English.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = WebContext

    /// The language a request asks for (`chosen`), and the one it named with `?lang=` (`asked`, to remember).
    static func language(of request: Request) -> (chosen: Language, asked: Language?) {
        let asked = Query(request).string("lang").flatMap(Language.parse)
        let chosen = asked
            ?? Cookies(request).value("saldo_lang").flatMap(Language.parse)
            ?? request.headers[.acceptLanguage].flatMap { Language.preferred(acceptLanguage: $0) }
            ?? .en
        return (chosen, asked)
    }

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        let (chosen, asked) = Self.language(of: request)
        context.language = chosen
        var response = try await next(request, context)
        if let asked {
            response.headers.append(HTTPField(name: .setCookie, value: "saldo_lang=\(asked.rawValue); Path=/; Max-Age=31536000; SameSite=Strict"))
        }
        return response
    }
}
