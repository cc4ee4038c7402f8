/// A span of days, `start` included and `end` excluded, named the way a user selects it.
public struct Period: Hashable, Sendable, CustomStringConvertible {
    public let start: Day
    /// First day after the period.
    public let end: Day
    public let label: String

    public init(start: Day, end: Day, label: String? = nil) {
        self.start = start
        self.end = end
        self.label = label ?? "\(start)..\(end.adding(days: -1))"
    }

    public func contains(_ d: Day) -> Bool { d >= start && d < end }
    public var lastDay: Day { end.adding(days: -1) }
    public var description: String { label }

    public static func year(_ y: Int) -> Period {
        Period(start: Day(year: y, month: 1, day: 1)!, end: Day(year: y + 1, month: 1, day: 1)!, label: String(y))
    }
    public static func quarter(_ y: Int, _ q: Int) -> Period {
        let s = Day(year: y, month: (q - 1) * 3 + 1, day: 1)!
        return Period(start: s, end: s.adding(months: 3), label: "\(y)-Q\(q)")
    }
    public static func month(_ m: YearMonth) -> Period {
        Period(start: m.first, end: m.next.first, label: m.description)
    }

    /// Parses `2026`, `2026-Q3`, `2026-07`, `2026-07-15`, or `FROM..TO` (TO included). A quarter may
    /// also be written as Spanish reports and the AEAT write it: `3T 2026` (or `3T2026`, `2026-3T`,
    /// `2026-T3`); its label is `2026-Q3` whichever way it was typed.
    public static func parse(_ text: String) throws(PeriodError) -> Period {
        let t = text.trimmingCharactersWhitespace()
        if let r = t.range(of: "..") {
            let a = String(t[..<r.lowerBound]), b = String(t[r.upperBound...])
            guard let from = try? parse(a), let to = try? parse(b) else { throw .invalid(text) }
            // 2026-06..2026-01 would be an empty period: every report would say "no earnings".
            guard from.start < to.end else { throw .reversed(t) }
            return Period(start: from.start, end: to.end, label: t)
        }
        if t.count == 4, let y = Int(t), (1900...9999).contains(y) { return .year(y) }
        let up = t.uppercased()
        if up.count == 7, up.dropFirst(4).hasPrefix("-Q"), let y = Int(up.prefix(4)), let q = Int(up.suffix(1)), (1...4).contains(q) {
            return .quarter(y, q)
        }
        if let (y, q) = spanishQuarter(up) { return .quarter(y, q) }
        if let m = YearMonth(t) { return .month(m) }
        if let d = Day(iso: t), t.count == 10 { return Period(start: d, end: d.adding(days: 1), label: t) }
        throw .invalid(text)
    }

    /// `3T 2026`, `3T2026`, `2026-3T`, `2026-T3` (upper-cased): the year and quarter.
    static func spanishQuarter(_ up: String) -> (Int, Int)? {
        let c = Array(up)
        func quarter(_ ch: Character) -> Int? { ch.wholeNumberValue.flatMap { (1...4).contains($0) ? $0 : nil } }
        func year(_ s: ArraySlice<Character>) -> Int? {
            guard s.count == 4, s.allSatisfy(\.isASCII), let y = Int(String(s)), (1900...9999).contains(y) else { return nil }
            return y
        }
        // 3T 2026, 3T2026
        if c.count >= 6, c[1] == "T", let q = quarter(c[0]) {
            let rest = c[2...].drop { $0 == " " }
            if let y = year(rest) { return (y, q) }
        }
        // 2026-3T, 2026-T3
        if c.count == 7, c[4] == "-", let y = year(c[0..<4]) {
            if c[6] == "T", let q = quarter(c[5]) { return (y, q) }
            if c[5] == "T", let q = quarter(c[6]) { return (y, q) }
        }
        return nil
    }

    /// The months that overlap this period, in order.
    public var months: [YearMonth] {
        var out: [YearMonth] = []
        var m = start.yearMonth
        while m.first < end { out.append(m); m = m.next }
        return out
    }
}

public enum PeriodError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    /// A range whose end comes before its start (`2026-06..2026-01`).
    case reversed(String)
    public var description: String {
        switch self {
        case .reversed(let t):
            return "\"\(t)\" ends before it starts: write the earlier end first, as in 2026-01..2026-06"
        case .invalid(let t):
            return "\"\(t)\" is not a period: expected a year (2026), a quarter (2026-Q3), a month (2026-07), a day (2026-07-15) or a range (2026-01..2026-06)"
        }
    }
}
