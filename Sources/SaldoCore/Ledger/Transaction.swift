/// One leg of a transaction: an amount on an account, and for a currency conversion the
/// total it cost in the other currency (hledger's and beancount's `@@`).
public struct Posting: Hashable, Sendable {
    public var account: Account
    public var amount: Money
    /// For conversions: what this whole posting is worth in another currency.
    /// `assets:wise:usd  -100.00 USD @@ 92.15 EUR`.
    public var cost: Money?

    public init(_ account: Account, _ amount: Money, cost: Money? = nil) {
        self.account = account; self.amount = amount; self.cost = cost
    }

    /// The amount that counts when balancing: the cost if there is one, else the amount.
    public var balancingAmount: Money {
        guard let c = cost else { return amount }
        // The cost carries the sign of the amount.
        return amount.isNegative == c.isNegative || c.isZero ? c : -c
    }
}

/// What a transaction is, for reports and filters.
public enum TransactionKind: String, Sendable, Codable, CaseIterable {
    case earning, fee, payout, transfer, conversion, refund, chargeback, withholding
    case invoice, payment, expense, tax, adjustment, opening, other

    /// The case's position in `allCases`, without a lookup (tables indexed by kind use it).
    public var index: Int {
        switch self {
        case .earning: 0
        case .fee: 1
        case .payout: 2
        case .transfer: 3
        case .conversion: 4
        case .refund: 5
        case .chargeback: 6
        case .withholding: 7
        case .invoice: 8
        case .payment: 9
        case .expense: 10
        case .tax: 11
        case .adjustment: 12
        case .opening: 13
        case .other: 14
        }
    }
}

/// A balanced double-entry transaction with where it came from.
public struct Transaction: Hashable, Sendable {
    /// Booking date in the statement's own calendar.
    public var date: Day
    /// The original timestamp text and time zone as the source wrote them, if any.
    public var timestamp: String?
    public var timeZone: String?
    public var payee: String?
    /// The platform the money came through or from (PayPal, Upwork, Prolific…).
    public var platform: String?
    /// The client who paid, when known (an invoice's buyer, a PayPal payer).
    public var client: String?
    public var description: String
    public var kind: TransactionKind
    public var postings: [Posting]
    /// The platform's own transaction id.
    public var externalID: String?
    /// The key that makes a re-import add nothing twice: platform id, or fingerprint plus occurrence.
    public var dedupKey: String?
    public var source: SourceLocation?
    /// Some amounts were computed (from a rate) rather than stated by the source: the target side
    /// of a Wise conversion knows the amount received but only derives the amount sold. When the
    /// same transaction (same dedup key) arrives later from a source that states everything, the
    /// ledger replaces the derived one.
    public var isDerived: Bool = false

    public init(date: Day, description: String, kind: TransactionKind, postings: [Posting],
                payee: String? = nil, platform: String? = nil, client: String? = nil,
                timestamp: String? = nil, timeZone: String? = nil,
                externalID: String? = nil, dedupKey: String? = nil, source: SourceLocation? = nil) {
        self.date = date; self.description = description; self.kind = kind; self.postings = postings
        self.payee = payee; self.platform = platform; self.client = client
        self.timestamp = timestamp; self.timeZone = timeZone
        self.externalID = externalID; self.dedupKey = dedupKey; self.source = source
    }

    /// What is left per currency after adding every posting (costs replacing amounts).
    public var residual: MoneyBag { MoneyBag(postings.map(\.balancingAmount)) }

    /// The residual summed without overflow (amounts near Int64's limits from hostile input).
    private var wideResidual: [CurrencyCode: Int128] {
        var sums: [CurrencyCode: Int128] = [:]
        for p in postings { let b = p.balancingAmount; sums[b.currency, default: 0] += Int128(b.minorUnits) }
        return sums
    }

    /// Checks that the transaction balances in each currency, or through its conversion prices.
    public func validate() throws(LedgerError) {
        guard postings.count >= 2 else { throw .tooFewPostings(date: date.description, description: description) }
        // The common case, one currency and no costs, sums without a dictionary (same verdict).
        if let c = postings.first?.amount.currency, postings.allSatisfy({ $0.cost == nil && $0.amount.currency == c }) {
            var sum: Int64 = 0
            var overflow = false
            for p in postings {
                let (v, o) = sum.addingReportingOverflow(p.amount.minorUnits)
                if o { overflow = true; break }
                sum = v
            }
            if !overflow && sum == 0 { return }
        }
        for p in postings where p.cost?.currency == p.amount.currency {
            throw .mixedCostCurrency(date: date.description, description: description)
        }
        let r = wideResidual.filter { $0.value != 0 }
        if !r.isEmpty {
            let text = r.sorted { $0.key < $1.key }.map { c, v in
                Int64(exactly: v).map { Money(minorUnits: $0, currency: c).description } ?? "an amount too large to hold in \(c.code)"
            }.joined(separator: ", ")
            throw .unbalanced(date: date.description, description: description, residual: text)
        }
    }

    /// Returns the transaction after checking it balances.
    public func validated() throws(LedgerError) -> Transaction { try validate(); return self }
}
