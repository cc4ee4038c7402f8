import Hummingbird
import SaldoCore

/// What a request carries through the middlewares to its route.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The language of the answer: `?lang=`, else the `saldo_lang` cookie (the page switch sets it),
    /// else `Accept-Language`, else English. Machine outputs (JSON, CSV) do not depend on it.
    public var language: Language = .en

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies decoded by Hummingbird (JSON requests) stay small; uploads stream past this limit
    /// under their own limit (``WebOptions/maxUploadBytes``).
    public var maxUploadSize: Int { 1 * 1024 * 1024 }
}
