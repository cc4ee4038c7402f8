/// One posting with the facts of its transaction, flattened: what the store hands to reports.
/// A fact may also stand for several postings of one day summed (same account, currency,
/// kind, platform and client), when a report asks the store to aggregate.
public struct PostingFact: Hashable, Sendable {
    public var transactionID: Int64
    public var date: Day
    public var account: Account
    public var amount: Money
    public var cost: Money?
    public var kind: TransactionKind
    public var platform: String?
    public var client: String?
    public var description: String?
    /// When `amount` sums a day's postings (a day total, transaction id 0): their amounts, in minor
    /// units of `amount`'s currency, adding up to it. A conversion converts and rounds each alone,
    /// as the tax return does. Nil: `amount` is one posting's, or converted as one.
    public var parts: [Int64]?

    public init(transactionID: Int64, date: Day, account: Account, amount: Money, cost: Money? = nil,
                kind: TransactionKind, platform: String? = nil, client: String? = nil, description: String? = nil, parts: [Int64]? = nil) {
        self.transactionID = transactionID; self.date = date; self.account = account; self.amount = amount
        self.cost = cost; self.kind = kind; self.platform = platform; self.client = client; self.description = description
        self.parts = parts
    }
}

/// A running balance stated by a statement, compared with the balance Saldo computes from the
/// rows before it (in booking order, per account and currency).
public struct BalanceCheck: Hashable, Sendable {
    public var account: Account
    public var date: Day
    public var stated: Money
    public var computed: Money
    public var location: SourceLocation?
    public init(account: Account, date: Day, stated: Money, computed: Money, location: SourceLocation? = nil) {
        self.account = account; self.date = date; self.stated = stated; self.computed = computed; self.location = location
    }
    public var holds: Bool { stated == computed }
}

extension PostingFact {
    /// `facts[..<split]` and `facts[split...]`, each in day order, as one list in day order; on one
    /// day the first list's facts come first, each list keeping its own order (what a stable sort
    /// by day gives, without moving every fact through a sort).
    public static func mergedByDay(_ facts: [PostingFact], splitAt split: Int) -> [PostingFact] {
        guard isByDay(facts, 0..<split), isByDay(facts, split..<facts.count) else { return facts.sorted { $0.date < $1.date } }
        // Already in order (no costed postings, or all after the day totals): nothing to move.
        if split == 0 || split == facts.count || facts[split - 1].date <= facts[split].date { return facts }
        var i = 0, j = split
        var out: [PostingFact] = []
        out.reserveCapacity(facts.count)
        while i < split && j < facts.count {
            if facts[j].date < facts[i].date { out.append(facts[j]); j += 1 } else { out.append(facts[i]); i += 1 }
        }
        out.append(contentsOf: facts[i..<split])
        out.append(contentsOf: facts[j...])
        return out
    }

    static func isByDay(_ facts: [PostingFact], _ range: Range<Int>) -> Bool {
        guard range.count > 1 else { return true }
        for k in range.lowerBound + 1 ..< range.upperBound where facts[k].date < facts[k - 1].date { return false }
        return true
    }
}
