/// The `parts` column of `daily_total` on both engines: the amounts a day total sums, one per
/// posting, in minor units, written as decimal integers separated by commas (`12000,-350,12000`).
///
/// Why they are kept: a report converts a foreign day total into its currency, and a conversion
/// rounds. The tax return converts each posting and rounds it alone; converting the day's sum once
/// can differ from that by a cent or more. With the parts, a report converts each of them alone and
/// adds the results, so a quarter's report and Modelo 130's box 01 agree to the cent, while reports
/// still read one row per day group instead of every transaction.
///
/// A posting taken out again (a duplicate found after its batch was summed, a derived row replaced
/// by its stated one) is written as its negation: half-even rounding is symmetric, so `a` and `-a`
/// convert to amounts that cancel exactly, and the parts always add up to the row's `amount`.
/// An import appends its parts to a row's (`parts || ',' || excluded.parts`), so the column is
/// written once per import and group, never read back on import.
public enum DayTotalParts {
    /// `parts` as the column holds them, appended to `out`.
    public static func encode(_ parts: [Int64], into out: inout [UInt8]) {
        var digits = [UInt8](repeating: 0, count: 20)
        for (i, p) in parts.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            if p < 0 { out.append(UInt8(ascii: "-")) }
            // The magnitude as unsigned: Int64.min has no positive counterpart.
            var m = p.magnitude, n = 0
            repeat { digits[n] = UInt8(ascii: "0") + UInt8(m % 10); m /= 10; n += 1 } while m > 0
            while n > 0 { n -= 1; out.append(digits[n]) }
        }
    }

    public static func encode(_ parts: [Int64]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(parts.count * 7)
        encode(parts, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The column's amounts; nil when it is empty (a row written before the column existed and not
    /// filled, which reports then convert as one sum) or not a list of integers.
    public static func decode(_ text: String) -> [Int64]? {
        var text = text
        return text.withUTF8 { decode($0) }
    }

    /// The column's amounts when there are several; nil for one (the row's amount is then that
    /// posting's, converted as it is) or none. What reports read: most day totals of a freelancer's
    /// ledger hold one posting, and those cost no array.
    public static func several(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int64]? {
        bytes.contains(UInt8(ascii: ",")) ? decode(bytes) : nil
    }

    public static func several(_ text: String) -> [Int64]? {
        var text = text
        return text.withUTF8 { several($0) }
    }

    /// Whether a row summing to `amount` with this parts column adds nothing to a report (left
    /// out): a zero sum of at most two parts, which are then `a` and `-a` and convert to nothing;
    /// three or more converted one by one may leave a cent, so they stay.
    public static func addsNothing(amount: Int64, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        amount == 0 && bytes.lazy.filter { $0 == UInt8(ascii: ",") }.count < 2
    }

    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int64]? {
        if bytes.isEmpty { return nil }
        var out: [Int64] = []
        out.reserveCapacity(bytes.count / 6 + 1)
        var value: UInt64 = 0, negative = false, digits = 0
        func finish() -> Bool {
            guard digits > 0, digits <= 19 else { return false }
            if negative {
                guard value <= UInt64(Int64.max) + 1 else { return false }
                out.append(value == UInt64(Int64.max) + 1 ? .min : -Int64(value))
            } else {
                guard value <= UInt64(Int64.max) else { return false }
                out.append(Int64(value))
            }
            value = 0; negative = false; digits = 0
            return true
        }
        for b in bytes {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value &* 10 &+ UInt64(b - UInt8(ascii: "0")); digits += 1
            case UInt8(ascii: "-") where digits == 0 && !negative:
                negative = true
            case UInt8(ascii: ","):
                guard finish() else { return nil }
            default:
                return nil
            }
        }
        guard finish() else { return nil }
        return out
    }
}
