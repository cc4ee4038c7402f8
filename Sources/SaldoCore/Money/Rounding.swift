/// The one place where Saldo rounds money.
///
/// Every conversion, proration or percentage is computed as an exact ratio of integers
/// (`Int128`) and rounded here, once, to the target currency's minor unit. The default is
/// round-half-to-even ("banker's rounding"), which has no upward bias when many amounts are
/// summed. Tax rules that the law states otherwise (for example "round half up to the cent"
/// on Spanish forms) pass ``RoundingRule/halfUp`` explicitly.
public enum RoundingRule: String, Sendable, Codable, CaseIterable {
    /// Ties go to the even neighbour: 0.125 → 0.12, 0.135 → 0.14.
    case halfEven
    /// Ties go away from zero: 0.125 → 0.13, -0.125 → -0.13.
    case halfUp
    /// Toward zero: drop the remainder.
    case down
    /// Toward positive infinity.
    case up

    /// `numerator / denominator`, rounded to an integer by this rule. `denominator` must not be 0.
    public func divide(_ numerator: Int128, by denominator: Int128) -> Int128 {
        precondition(denominator != 0, "division by zero in rounding")
        var n = numerator, d = denominator
        if d < 0 { n = -n; d = -d }
        var q = n / d
        let r = n % d               // same sign as n
        if r == 0 { return q }
        let twice = (r < 0 ? -r : r) * 2
        switch self {
        case .down:
            return q
        case .up:
            return r > 0 ? q + 1 : q
        case .halfUp:
            if twice >= d { q += (n < 0 ? -1 : 1) }
            return q
        case .halfEven:
            if twice > d || (twice == d && q % 2 != 0) { q += (n < 0 ? -1 : 1) }
            return q
        }
    }
}

/// Powers of ten as `Int128`, for scaling between decimal places.
@inlinable public func pow10(_ n: Int) -> Int128 {
    precondition(n >= 0 && n <= 37)
    var v: Int128 = 1
    for _ in 0..<n { v *= 10 }
    return v
}
