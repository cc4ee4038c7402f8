import Hummingbird
import SaldoApp
import SaldoCore

/// What a request carries through the middlewares to its route.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The language of the answer: `?lang=`, else the `saldo_lang` cookie (the page switch sets it),
    /// else `Accept-Language`, else English. Machine outputs (JSON, CSV) do not depend on it.
    public var language: Language = .en
    /// Office mode: who is logged in (set by the office middleware) and their session's token.
    public var person: OfficePerson?
    var sessionToken: String?
    /// Office mode: the session's CSRF token (pages carry it; every change sends it back).
    var csrfToken: String?
    /// Office mode: the name of the client whose books the request is in (set by the office
    /// middleware once it has checked the person may see them), so every page says whose they are.
    var bookName: String?
    /// The client's IP address (login throttling, the audit log).
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies decoded by Hummingbird (JSON requests) stay small; uploads stream past this limit
    /// under their own limit (``WebOptions/maxUploadBytes``).
    public var maxUploadSize: Int { 1 * 1024 * 1024 }
}
