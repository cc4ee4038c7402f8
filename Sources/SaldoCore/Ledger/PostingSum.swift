/// Postings of one day summed, with what a tax computation needs of their transactions: the
/// account, the currency, the transactions' payee, platform and client, and which other accounts
/// the transactions also post to (``markers``). What the store hands to the tax engine instead of
/// every transaction (a ledger of 10,000 transactions a year sums to a few thousand of these).
///
/// Postings in the summing currency are summed whatever their amounts. Postings in any other
/// currency are summed only with postings of the same amount (``count`` of them), because a
/// conversion rounds each amount: `count × convert(unit)` is what converting them one by one gives.
public struct PostingSum: Hashable, Sendable {
    public var date: Day
    public var account: Account
    /// The sum of ``count`` postings.
    public var amount: Money
    public var count: Int
    public var payee: String?
    public var platform: String?
    public var client: String?
    /// Bit `i` set: the postings' transactions also have a posting under the query's `markers[i]`.
    public var markers: UInt64
    /// Some of ``amount`` was converted from another currency, posting by posting (each rounded as
    /// alone), before these were summed: ``amount`` is then in the tax currency and ``unit`` means
    /// nothing. A tax computation says its figures hold converted amounts.
    public var converted: Bool = false

    public init(date: Day, account: Account, amount: Money, count: Int, payee: String? = nil, platform: String? = nil,
                client: String? = nil, markers: UInt64 = 0) {
        self.date = date; self.account = account; self.amount = amount; self.count = count
        self.payee = payee; self.platform = platform; self.client = client; self.markers = markers
    }

    /// One posting's amount, when every posting summed here had the same amount (the case outside
    /// the summing currency); nil when ``count`` is not positive or the sum does not divide by it.
    public var unit: Money? {
        guard count > 0, amount.minorUnits % Int64(count) == 0 else { return nil }
        return Money(minorUnits: amount.minorUnits / Int64(count), currency: amount.currency)
    }

    /// Whether the transactions also post under the query's `markers[i]`.
    public func marked(_ i: Int) -> Bool { markers & (1 << UInt64(i)) != 0 }
}
