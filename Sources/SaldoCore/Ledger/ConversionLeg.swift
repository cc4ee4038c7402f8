/// One leg of a currency conversion told in two rows (PayPal, Revolut) whose other leg was not
/// in the same file. It is booked on its own against ``ConversionLeg/suspense`` (so the balance it
/// moved is in the ledger) and waits there until a later import brings the other leg; then a
/// pairing transaction moves both legs out of the suspense account at the conversion's price.
public struct ConversionLeg: Sendable, Hashable {
    /// The account lone legs are booked against until they are paired.
    public static let suspense = Account(.equity, "conversions", "unmatched")

    /// The institution's account component (`paypal`): legs pair only within one institution.
    public var institution: String
    /// The dedup key of the leg's own ledger transaction.
    public var key: String
    /// The leg's own id and the id it references, as the statement wrote them.
    public var id: String?
    public var reference: String?
    public var day: Day
    /// Seconds since midnight, -1 when the row had no time.
    public var seconds: Int
    /// The leg's gross amount, signed as it moved the balance (negative: sold), and its net
    /// (after any fee on the leg).
    public var gross: Money
    public var net: Money
    /// Where the leg was read (file and line), for messages.
    public var source: SourceLocation?
    /// The dedup key of the pairing transaction, once the other leg has arrived.
    public var pairedBy: String?

    public init(institution: String, key: String, id: String?, reference: String?, day: Day, seconds: Int, gross: Money, net: Money,
                source: SourceLocation? = nil, pairedBy: String? = nil) {
        self.institution = institution; self.key = key; self.id = id; self.reference = reference; self.day = day
        self.seconds = seconds; self.gross = gross; self.net = net; self.source = source; self.pairedBy = pairedBy
    }

    /// Whether two legs are the two sides of one conversion: opposite signs, two currencies, and a
    /// link the platforms use: one names the other (one-way or mutual reference), both name the
    /// same parent, both carry the same id, or (with no id link at all) the same instant.
    public func pairs(with o: ConversionLeg, idsAreUnique: Bool) -> Bool {
        guard institution == o.institution, gross.currency != o.gross.currency,
              (gross.minorUnits < 0) != (o.gross.minorUnits < 0), !gross.isZero, !o.gross.isZero else { return false }
        func has(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        if let r = has(reference), r == has(o.id) { return true }
        if let r = has(o.reference), r == has(id) { return true }
        if let r = has(reference), r == has(o.reference) { return true }
        if let a = has(id), a == has(o.id) { return true }
        let linked = has(reference) != nil || has(o.reference) != nil || (!idsAreUnique && has(id) != nil)
        return !linked && day == o.day && seconds >= 0 && seconds == o.seconds
    }
}
