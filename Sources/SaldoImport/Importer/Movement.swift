import SaldoCore

/// One statement row after reading, before it becomes a transaction. Amounts are minor units of
/// `currency`, seen from the account holder: `net = gross + fee`, the fee negative when charged,
/// and `net` is the change of the balance.
struct Movement {
    var index: Int
    var line: Int
    var day: Day
    /// Seconds since midnight, -1 when the row has no usable time.
    var seconds: Int
    var timestamp: String?
    var timeZone: String?
    var currency: CurrencyCode
    var gross: Int64
    var fee: Int64
    var net: Int64
    var balance: Int64?
    var cls: RowClass
    var id: String?
    var ref: String?
    var name: String?
    var description: String
    /// Filter reason; nil when the row is booked.
    var filtered: String?
    /// Whether the row changes the stated running balance (for balance checks).
    var affectsBalance: Bool
    /// For a conversion told in a single row (Wise): the other side of the exchange, signed.
    var counter: Money?
    /// For a single-row conversion: the fee included in `net`, positive, in `currency`.
    var conversionFee: Int64 = 0
    /// More text that tells identical-looking rows apart in a fingerprint (Norma 43 references).
    var extra: String? = nil
    /// The payout that swept this row (Stripe `automatic_payout_id` / `Transfer`).
    var payout: String? = nil

    var money: Money { Money(minorUnits: net, currency: currency) }
    var sortKey: (Int, Int) { (day.ordinal, seconds < 0 ? 0 : seconds) }
}
