/// A calendar date with no time zone: the booking date of a transaction, an invoice's issue date.
/// Stored and printed as ISO 8601 `yyyy-mm-dd`.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, Strideable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Refuses impossible dates (2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Parses `yyyy-mm-dd` (also with a `T…` time suffix, which is ignored).
    public init?(iso text: some StringProtocol) {
        let t = text.prefix(10)
        let parts = t.split(separator: "-")
        guard t.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's civil algorithm).
    public var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(ordinal z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days n: Int) -> Day { Day(ordinal: ordinal + n) }
    /// Same day `n` months later, clamped to the month's end (Jan 31 + 1 month = Feb 28/29).
    public func adding(months n: Int) -> Day {
        let total = year * 12 + (month - 1) + n
        let y = total / 12, m = total % 12 + 1
        return Day(year: y, month: m, day: min(day, Day.daysIn(month: m, year: y)))!
    }
    /// 1 = Monday … 7 = Sunday.
    public var weekday: Int { ((ordinal % 7) + 7 + 3) % 7 + 1 }
    public var isWeekend: Bool { weekday >= 6 }
    public var yearMonth: YearMonth { YearMonth(year: year, month: month) }
    public var quarter: Int { (month - 1) / 3 + 1 }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
    public func distance(to other: Day) -> Int { other.ordinal - ordinal }
    public func advanced(by n: Int) -> Day { adding(days: n) }

    public var description: String {
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = Day(iso: s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a date yyyy-mm-dd, found \"\(s)\""))
        }
        self = d
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A calendar month, `2026-07`.
public struct YearMonth: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public init(year: Int, month: Int) {
        precondition((1...12).contains(month))
        self.year = year; self.month = month
    }
    public init?(_ text: some StringProtocol) {
        let p = text.split(separator: "-")
        guard p.count == 2, p[0].count == 4, let y = Int(p[0]), let m = Int(p[1]), (1...12).contains(m) else { return nil }
        self.init(year: y, month: m)
    }
    public var first: Day { Day(year: year, month: month, day: 1)! }
    public var last: Day { Day(year: year, month: month, day: Day.daysIn(month: month, year: year))! }
    public var next: YearMonth { adding(1) }
    public func adding(_ n: Int) -> YearMonth {
        let t = year * 12 + month - 1 + n
        return YearMonth(year: t / 12, month: t % 12 + 1)
    }
    public var index: Int { year * 12 + month - 1 }
    public var quarter: Int { (month - 1) / 3 + 1 }
    public static func < (a: YearMonth, b: YearMonth) -> Bool { a.index < b.index }
    public var description: String { String(format4(year)) + "-" + (month < 10 ? "0\(month)" : "\(month)") }
    private func format4(_ v: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, 4 - s.count)) + s }

    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let m = YearMonth(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a month yyyy-mm, found \"\(s)\""))
        }
        self = m
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
