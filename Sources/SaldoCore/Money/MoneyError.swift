/// What can go wrong with amounts, in words a user can act on.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownCurrency(String)
    case notANumber(String)
    case tooManyDecimals(String, currency: String, allowed: Int)
    case ambiguousSeparator(String)
    case overflow(String)
    case currencyMismatch(String, String)

    public var description: String {
        switch self {
        case .unknownCurrency(let c):
            return "unknown currency code \"\(c)\": expected an ISO 4217 code such as EUR, USD or GBP"
        case .notANumber(let t):
            return "expected an amount, found \"\(t)\""
        case .tooManyDecimals(let t, let c, let n):
            return "\"\(t)\" has more decimals than \(c) allows (\(n))"
        case .ambiguousSeparator(let t):
            return "\"\(t)\" could be read with either a decimal point or a decimal comma; say which the decimal mark is"
        case .overflow(let t):
            return "amount \"\(t)\" is too large"
        case .currencyMismatch(let a, let b):
            return "cannot combine \(a) with \(b) without a conversion"
        }
    }
}
