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
    /// Fields most rows never use live in one shared box, allocated on first write (copied on
    /// write), so that a million-row file's movements stay small.
    var rare: RareFields? = nil

    /// For a conversion told in a single row (Wise): the other side of the exchange, signed.
    var counter: Money? {
        get { rare?.counter }
        set { mutateRare { $0.counter = newValue } }
    }
    /// For a single-row conversion: the fee included in `net`, positive, in `currency`.
    var conversionFee: Int64 {
        get { rare?.conversionFee ?? 0 }
        set { mutateRare { $0.conversionFee = newValue } }
    }
    /// More text that tells identical-looking rows apart in a fingerprint (Norma 43 references).
    var extra: String? {
        get { rare?.extra }
        set { mutateRare { $0.extra = newValue } }
    }
    /// The payout that swept this row (Stripe `automatic_payout_id` / `Transfer`).
    var payout: String? {
        get { rare?.payout }
        set { mutateRare { $0.payout = newValue } }
    }

    private mutating func mutateRare(_ change: (RareFields) -> Void) {
        if rare == nil { rare = RareFields() } else if !isKnownUniquelyReferenced(&rare) { rare = rare!.copy() }
        change(rare!)
    }

    final class RareFields {
        var counter: Money?
        var conversionFee: Int64 = 0
        var extra: String?
        var payout: String?
        func copy() -> RareFields {
            let c = RareFields()
            c.counter = counter; c.conversionFee = conversionFee; c.extra = extra; c.payout = payout
            return c
        }
    }

    /// Drops the texts once the row is booked (the checks after booking need only numbers),
    /// so that a large file's strings are freed as its transactions are written.
    mutating func releaseTexts() {
        timestamp = nil; timeZone = nil; id = nil; ref = nil; name = nil; description = ""
        if rare?.extra != nil { extra = nil }
    }

    var money: Money { Money(minorUnits: net, currency: currency) }
    var sortKey: (Int, Int) { (day.ordinal, seconds < 0 ? 0 : seconds) }
}
