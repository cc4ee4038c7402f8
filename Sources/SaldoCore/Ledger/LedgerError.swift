/// Errors in the ledger model: accounts, balancing.
public enum LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidAccount(String, reason: String)
    case unbalanced(date: String, description: String, residual: String)
    case tooFewPostings(date: String, description: String)
    case mixedCostCurrency(date: String, description: String)

    public var description: String {
        switch self {
        case .invalidAccount(let a, let r):
            return "\"\(a)\" is not an account name: \(r) (for example assets:paypal or expenses:fees:wise)"
        case .unbalanced(let d, let desc, let r):
            return "transaction on \(d) (\"\(desc)\") does not balance: the postings leave \(r); add the missing posting or a conversion price"
        case .tooFewPostings(let d, let desc):
            return "transaction on \(d) (\"\(desc)\") needs at least two postings"
        case .mixedCostCurrency(let d, let desc):
            return "transaction on \(d) (\"\(desc)\") has a posting whose conversion price is in its own currency"
        }
    }
}
